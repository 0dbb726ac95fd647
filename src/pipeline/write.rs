//! Stage 7, write: a produced PDF goes to its file through a temporary file renamed into place
//! ([`crate::files::write_file`]), so a failed build never leaves a partial file or replaces an
//! earlier good PDF, and a sealed year's PDF is replaced only by the same bytes or when forced.

use crate::diag::{Code, Diagnostic, Diagnostics};
pub use crate::files::ToDisk;
use crate::msg;
use crate::pipeline::{BuildConfig, Produced, Project};
use crate::seal::{self, Difference};

/// Writes the PDF (and the generated Typst source, if asked) of `produced` as `cfg` says,
/// unless the year is sealed and its PDF would change. A forced change is a warning added to
/// the produced year's. `sync` says whether the PDF reaches the disk before the rename (not the
/// previews of `watch`).
pub fn write(
    project: &Project,
    cfg: &BuildConfig,
    produced: &mut Produced,
    sync: ToDisk,
) -> Result<(), Diagnostics> {
    let year = cfg.year;
    if let Some(seal) = project.seal(year)?
        && seal::sha256_hex(&produced.pdf) != seal.pdf.sha256
    {
        if !cfg.force {
            let mut d = Diagnostic::error(Code::SealYearSealed, msg!(
                "ปีงบประมาณ {year} ปิดผนึกแล้ว และ PDF ที่สร้างใหม่ต่างจากฉบับที่เผยแพร่ จึงไม่ได้เขียนไฟล์",
                "fiscal year {year} is sealed and the new PDF differs from the published one; nothing written"
            ))
            .in_file(seal::seal_path(project.root(), year));
            // The sources edited since the seal: the PDFs differ by the premise.
            let pdf = &produced.pdf;
            for difference in seal::compare(seal, &produced.checked.files, pdf, Some(pdf)) {
                if let Difference::SourceChanged { .. } = difference {
                    d = d.hint(difference.message());
                }
            }
            return Err(d
                .hint(msg!(
                    "ถ้าตั้งใจแก้ฉบับที่เผยแพร่แล้ว ใช้ --force แล้วรัน oit025 archive อีกครั้ง",
                    "to change a published year on purpose, use --force, then run oit025 archive again"
                ))
                .into());
        }
        produced.checked.warnings.push(Diagnostic::warning(
            Code::SealReplaced,
            msg!(
                "เขียนทับ PDF ของปี {year} ที่ปิดผนึกแล้ว (--force): ผนึกเดิมไม่ตรงอีกต่อไป",
                "replaced the sealed PDF of {year} (--force): the seal no longer matches"
            ),
        ));
    }
    if let Some(path) = &cfg.emit_typst {
        crate::files::write_atomic(path, produced.typst.as_bytes())?;
    }
    crate::files::write_file(&cfg.out, &produced.pdf, sync)
}

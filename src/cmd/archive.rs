//! Sealing a fiscal year: the SHA-256 of every source file and of the PDF, kept beside the content
//! in `content/<year>/sealed.yaml`, so a published year can be verified later and is never changed
//! by accident (`build` refuses to replace a sealed year's PDF with a different one unless forced).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::diag::{Diagnostic, Diagnostics, Message};
use crate::{content, msg};

/// What a sealed year was: its sources and its PDF, by hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seal {
    pub fiscal_year: i32,
    pub sources: Vec<Entry>,
    pub pdf: Entry,
}

/// A file named relative to the project, with the SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub path: String,
    pub sha256: String,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn seal_path(root: &Path, year: i32) -> PathBuf {
    root.join("content")
        .join(year.to_string())
        .join(content::SEAL_FILE)
}

/// The seal of a year, if it has one.
pub fn read_seal(root: &Path, year: i32) -> Result<Option<Seal>, Diagnostics> {
    let path = seal_path(root, year);
    if !path.exists() {
        return Ok(None);
    }
    let shown = content::rel(root, &path);
    let fail = |(code, m)| Diagnostics::from(Diagnostic::error(code, m).in_file(&shown));
    let bytes = crate::files::read_confined(root, &path, MAX_SEAL_BYTES).map_err(fail)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        fail((
            crate::diag::Code::FileNotUtf8,
            msg!("ไฟล์ไม่ได้เข้ารหัสเป็น UTF-8", "file is not UTF-8"),
        ))
    })?;
    serde_yaml::from_str(&text).map(Some).map_err(|e| {
        Diagnostics::from(
            Diagnostic::error(
                crate::diag::Code::SealDamaged,
                msg!("ไฟล์ผนึกเสียหาย ({e})", "the seal file is damaged ({e})"),
            )
            .in_file(&shown),
        )
    })
}

/// Hashes of the year's source files as they are now.
pub fn source_entries(root: &Path, year: i32) -> Result<Vec<Entry>, Diagnostics> {
    content::FILES
        .iter()
        .map(|name| {
            let rel = format!("content/{year}/{name}");
            let bytes =
                crate::files::read_confined(root, &root.join(&rel), content::MAX_FILE_BYTES)
                    .map_err(|(code, m)| {
                        Diagnostics::from(Diagnostic::error(code, m).in_file(&rel))
                    })?;
            Ok(Entry {
                path: rel,
                sha256: sha256_hex(&bytes),
            })
        })
        .collect()
}

/// Largest seal read: a real one is under a kilobyte.
const MAX_SEAL_BYTES: u64 = 64 * 1024;

/// Largest published PDF `verify` reads: the report is about 1 MB.
pub const MAX_PDF_BYTES: u64 = 64 * 1024 * 1024;

/// The published PDF a seal names, as `verify` compares it; `None` if it is not there. The seal
/// is a file anyone may edit: the path it names is read only if it is a regular file under the
/// project's `output/`, of a sane size, so a seal cannot make `verify` hash `/etc/passwd` or
/// read `/dev/zero` for ever.
pub fn read_sealed_pdf(root: &Path, seal: &Seal) -> Result<Option<Vec<u8>>, Diagnostics> {
    let named = Path::new(&seal.pdf.path);
    let inside = named.starts_with("output")
        && named
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    let path = root.join(named);
    let fail = |(code, m)| {
        Diagnostics::from(Diagnostic::error(code, m).in_file(seal_path(root, seal.fiscal_year)))
    };
    if !inside {
        let shown = named.display();
        return Err(fail((
            crate::diag::Code::SealPdfOutside,
            msg!(
                "ผนึกระบุ PDF นอกโฟลเดอร์ output/ ของโปรเจกต์ ({shown}) จึงไม่อ่าน",
                "the seal names a PDF outside the project's output/ ({shown}); not read"
            ),
        )));
    }
    if path.symlink_metadata().is_err() {
        return Ok(None);
    }
    crate::files::read_confined(&root.join("output"), &path, MAX_PDF_BYTES)
        .map(Some)
        .map_err(fail)
}

/// Writes the seal of a year whose PDF has just been built from its current sources.
pub fn write_seal(
    root: &Path,
    year: i32,
    pdf_path: &Path,
    pdf: &[u8],
) -> Result<Seal, Diagnostics> {
    let seal = Seal {
        fiscal_year: year,
        sources: source_entries(root, year)?,
        pdf: Entry {
            path: content::rel(root, pdf_path).display().to_string(),
            sha256: sha256_hex(pdf),
        },
    };
    let header = "# ปีงบประมาณนี้ปิดผนึกแล้ว: ค่า SHA-256 ของไฟล์ต้นฉบับและ PDF ที่เผยแพร่ ห้ามแก้ไขด้วยมือ\n\
                  # This year is sealed: SHA-256 of the sources and of the published PDF. Written by `oit025 archive`.\n";
    let body = serde_yaml::to_string(&seal).unwrap_or_default();
    crate::files::write_atomic(&seal_path(root, year), format!("{header}{body}").as_bytes())?;
    Ok(seal)
}

/// How a year differs from its seal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// A sealed source file was edited after the seal.
    SourceChanged { path: String },
    /// A sealed source file is gone.
    SourceMissing { path: String },
    /// The PDF rebuilt from the sources is not the sealed one.
    RebuiltPdfDiffers,
    /// The PDF on disk is not the sealed one.
    PdfOnDiskDiffers { path: String },
    /// The sealed PDF is not on disk.
    PdfMissing { path: String },
}

impl Difference {
    /// What kind of difference it is, as a diagnostic's code.
    pub fn code(&self) -> crate::diag::Code {
        use crate::diag::Code;
        match self {
            Difference::SourceChanged { .. } => Code::SealSourceChanged,
            Difference::SourceMissing { .. } | Difference::PdfMissing { .. } => {
                Code::SealFileMissing
            }
            Difference::RebuiltPdfDiffers => Code::SealRebuiltDiffers,
            Difference::PdfOnDiskDiffers { .. } => Code::SealPdfDiffers,
        }
    }

    /// What to tell the user, in Thai and English.
    pub fn message(&self) -> Message {
        match self {
            Difference::SourceChanged { path } => msg!(
                "ไฟล์ {path} ถูกแก้ไขหลังปิดผนึก",
                "{path} changed after the year was sealed"
            ),
            Difference::SourceMissing { path } | Difference::PdfMissing { path } => {
                msg!("ไม่พบไฟล์ {path}", "{path} is missing")
            }
            Difference::RebuiltPdfDiffers => msg!(
                "PDF ที่สร้างใหม่ต่างจาก PDF ที่ปิดผนึกไว้",
                "the rebuilt PDF differs from the sealed one"
            ),
            Difference::PdfOnDiskDiffers { path } => msg!(
                "ไฟล์ {path} ต่างจากฉบับที่ปิดผนึกไว้",
                "{path} differs from the sealed PDF"
            ),
        }
    }
}

/// Differences between a seal and the year as it is now: sources, then the rebuilt PDF, then the
/// PDF on disk.
pub fn compare(
    seal: &Seal,
    now_sources: &[Entry],
    rebuilt_pdf: &[u8],
    pdf_on_disk: Option<&[u8]>,
) -> Vec<Difference> {
    let mut out = Vec::new();
    for entry in &seal.sources {
        let path = entry.path.clone();
        match now_sources.iter().find(|e| e.path == path) {
            Some(now) if now.sha256 == entry.sha256 => {}
            Some(_) => out.push(Difference::SourceChanged { path }),
            None => out.push(Difference::SourceMissing { path }),
        }
    }
    if sha256_hex(rebuilt_pdf) != seal.pdf.sha256 {
        out.push(Difference::RebuiltPdfDiffers);
    }
    let path = seal.pdf.path.clone();
    match pdf_on_disk {
        Some(bytes) if sha256_hex(bytes) == seal.pdf.sha256 => {}
        Some(_) => out.push(Difference::PdfOnDiskDiffers { path }),
        None => out.push(Difference::PdfMissing { path }),
    }
    out
}

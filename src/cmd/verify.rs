//! `verify`: rebuilds each sealed year in memory through the pipeline and compares its sources,
//! the rebuilt PDF and the published PDF with the seal.

use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics, SourceMap};
use crate::pipeline::{Project, Session, Years};
use crate::seal;
use crate::template::Digits;

/// Verifies the chosen years; a year without a seal is said so and skipped.
pub fn verify(
    root: &Path,
    years: Years,
    sources: &mut SourceMap,
) -> Result<Diagnostics, Diagnostics> {
    let project = Project::open(root)?;
    let mut session = Session::default();
    let mut problems = Diagnostics::default();
    for year in years.of(&project) {
        let Some(seal) = project.seal(year)? else {
            eprintln!("ปี {year} ยังไม่ได้ปิดผนึก / {year} is not sealed");
            continue;
        };
        let produced = session.produce(&project, year, Digits::Thai, sources)?;
        let on_disk = match seal::read_sealed_pdf(root, seal) {
            Ok(bytes) => bytes,
            Err(d) => {
                problems.extend(d);
                continue;
            }
        };
        let files = &produced.checked.files;
        let found = seal::compare(seal, files, &produced.pdf, on_disk.as_deref());
        if found.is_empty() {
            eprintln!("ปี {year} ตรงกับผนึก / {year} matches its seal");
        }
        for difference in found {
            problems.push(
                Diagnostic::error(difference.code(), difference.message())
                    .in_file(seal::seal_path(root, year)),
            );
        }
    }
    if problems.has_errors() {
        Err(problems)
    } else {
        Ok(problems)
    }
}

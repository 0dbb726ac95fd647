//! `archive`: builds a year through the pipeline, writes its PDF and seals it with the SHA-256 of
//! the sources as they were read and of the PDF as it was made (nothing is read back).

use std::path::Path;

use crate::diag::{Diagnostics, SourceMap};
use crate::pipeline::{BuildArgs, BuildConfig, Project, Session, write};
use crate::seal;

/// Builds `year` (the latest by default), writes its PDF and its seal. Returns the warnings.
pub fn archive(
    root: &Path,
    year: Option<i32>,
    force: bool,
    sources: &mut SourceMap,
) -> Result<Diagnostics, Diagnostics> {
    let project = Project::open(root)?;
    let args = BuildArgs {
        year,
        force,
        ..BuildArgs::default()
    };
    let cfg = BuildConfig::new(&project, args)?;
    let mut produced = Session::default().produce(&project, cfg.year, cfg.digits, sources)?;
    write::write(&project, &cfg, &mut produced, write::ToDisk::Yes)?;
    let seal = seal::write_seal(
        root,
        cfg.year,
        &produced.checked.files,
        &cfg.out,
        &produced.pdf,
    )?;
    eprintln!(
        "ปิดผนึกปี {y} แล้ว / sealed {y}: {} source files, PDF sha256 {}",
        seal.sources.len(),
        seal.pdf.sha256,
        y = cfg.year
    );
    Ok(produced.checked.warnings)
}

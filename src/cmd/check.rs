//! `check`: loads, checks and derives years through the pipeline and writes nothing.

use std::path::Path;
use std::process::ExitCode;

use crate::diag::{Diagnostics, SourceMap};
use crate::pipeline::{Project, Session, Years};

/// Checks the chosen years; collects the problems of all of them. Ok holds the warnings.
pub fn check(
    root: &Path,
    years: Years,
    sources: &mut SourceMap,
) -> Result<Diagnostics, Diagnostics> {
    let project = Project::open(root)?;
    let mut session = Session::default();
    let (mut warnings, mut errors) = (Diagnostics::default(), Diagnostics::default());
    for year in years.of(&project) {
        match session.check(&project, year, sources) {
            Ok(checked) => {
                eprintln!("ข้อมูลปี {year} ผ่านการตรวจ / content of {year} passes the checks");
                warnings.extend(checked.warnings);
            }
            Err(d) => {
                eprintln!("ข้อมูลปี {year} มีข้อผิดพลาด / content of {year} has errors");
                errors.extend(d);
            }
        }
    }
    // What belongs to the project, not to a year (a font in fonts/ skipped), is found with each
    // year: said once.
    let said_once = |found: Diagnostics| {
        let mut once = Diagnostics::default();
        for d in found.0 {
            if !once.0.contains(&d) {
                once.push(d);
            }
        }
        once
    };
    if errors.has_errors() {
        warnings.extend(errors);
        Err(said_once(warnings))
    } else {
        Ok(said_once(warnings))
    }
}

/// `check --format json`: the problems found, one JSON object a line on standard output (for
/// editors and CI). A reader that goes away (`| head -1`) ends the output quietly.
pub fn json(root: &Path, years: Years) -> ExitCode {
    use std::io::Write;
    let mut sources = SourceMap::default();
    let found = match check(root, years, &mut sources) {
        Ok(d) | Err(d) => d,
    };
    let mut out = std::io::stdout().lock();
    for d in &found.0 {
        if writeln!(out, "{}", sources.to_json(d)).is_err() {
            break;
        }
    }
    if found.has_errors() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

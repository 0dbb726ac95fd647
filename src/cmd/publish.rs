//! `publish`: every chosen year built and checked through the pipeline first, each once; then
//! each year's PDF written to `output/<year>/` (seals respected) and the whole website bundle
//! ([`crate::site`]) written beside the old one and swapped in, so a failure or a kill leaves
//! either the old site or the new one, each consistent with its PDFs.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostics, SourceMap};
use crate::pipeline::{BuildArgs, BuildConfig, Project, Session, Years, write};
use crate::{site, template};

/// Publishes the chosen years to `out` (default `output/site/`). Returns the warnings.
pub fn publish(
    root: &Path,
    years: Years,
    out: Option<PathBuf>,
    sources: &mut SourceMap,
) -> Result<Diagnostics, Diagnostics> {
    let project = Project::open(root)?;
    let out = out.unwrap_or_else(|| root.join("output").join("site"));
    project.protected().check_dir(&out)?;
    let mut session = Session::default();
    let mut built = Vec::new();
    for year in years.of(&project) {
        let args = BuildArgs {
            year: Some(year),
            ..BuildArgs::default()
        };
        let cfg = BuildConfig::new(&project, args)?;
        let produced = session.produce(&project, year, cfg.digits, sources)?;
        built.push((cfg, produced));
    }
    // The project's own fonts, as the builds vetted them, go with the pages that may need them.
    let fonts = session
        .fonts()
        .map(|f| f.files().to_vec())
        .unwrap_or_default();
    let env = template::environment(Some(&root.join("templates")), template::Digits::Thai);
    let (mut files, mut index, mut warnings) = (Vec::new(), Vec::new(), Diagnostics::default());
    let mut agency = String::new();
    for (cfg, mut produced) in built {
        write::write(&project, &cfg, &mut produced, write::ToDisk::Yes)?;
        let checked = &produced.checked;
        let (year_files, line) = site::year_files(
            &env,
            &checked.report,
            &checked.figures,
            &produced.pdf,
            cfg.digits,
            &fonts,
        )?;
        files.extend(year_files);
        index.push(line);
        agency = checked.report.agency.name.clone();
        warnings.extend(produced.checked.warnings);
    }
    files.extend(site::index_files(&env, &agency, index, &fonts)?);
    crate::files::replace_dir(&out, &files)?;
    eprintln!(
        "เว็บไซต์พร้อมแล้ว / site written: {} ({} files)",
        out.join("index.html").display(),
        files.len()
    );
    Ok(warnings)
}

//! `build`: one year's PDF, or many (`--all`, `--projects`), each through the pipeline
//! ([`crate::pipeline`]) and written by its last stage.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use crate::diag::{Code, Diagnostic, Diagnostics, SourceMap};
use crate::msg;
use crate::pipeline::batch::{self, Outcome};
use crate::pipeline::{BuildArgs, BuildConfig, Project, Session, workers, write};
use crate::template::Digits;

/// Builds one year's PDF as `args` say and writes it, unless the year is sealed and the PDF would
/// change. Returns the warnings. `started` is when the command started, for the time printed.
pub fn one(
    root: &Path,
    args: BuildArgs,
    started: Instant,
    sources: &mut SourceMap,
) -> Result<Diagnostics, Diagnostics> {
    let project = Project::open(root)?;
    let cfg = BuildConfig::new(&project, args)?;
    eprintln!("กำลังสร้าง / building {} ...", cfg.out.display());
    let mut session = Session::default();
    let mut produced = session.produce(&project, cfg.year, cfg.digits, sources)?;
    // The process ends once the PDF is written: the session's caches (typst's World, the
    // segmented words, the text layer) go back to the system with it, instead of being freed
    // one allocation at a time before the write (0.4 ms of a build).
    std::mem::forget(session);
    write::write(&project, &cfg, &mut produced, write::ToDisk::Yes)?;
    let t = &produced.timings;
    eprintln!(
        "เสร็จ / done: {} ({} KB) in {:.1} ms: check {:.0?}, render {:.0?}, compile+export {:.0?}",
        cfg.out.display(),
        produced.pdf.len() / 1024,
        // A tenth of a millisecond: whole ones (truncated) read 0.5 ms low on average, 0.7%
        // of a build, which `bench/compare.sh` sets against the wheel's time.
        started.elapsed().as_secs_f64() * 1000.0,
        t.load + t.check,
        t.render,
        t.compile
    );
    Ok(produced.checked.warnings)
}

/// The reports of a batch, and the projects of it that failed before building (a folder that
/// is missing or has no year), each with why.
pub type Batch = (Vec<BuildConfig>, Vec<(PathBuf, Diagnostics)>);

/// One build per fiscal year of a project (`build --all`).
pub fn every_year(root: &Path, digits: Digits) -> Result<Batch, Diagnostics> {
    let project = Project::open(root)?;
    let configs = project
        .years()
        .iter()
        .map(|&y| {
            let args = BuildArgs {
                year: Some(y),
                digits,
                ..BuildArgs::default()
            };
            BuildConfig::new(&project, args)
        })
        .collect::<Result<_, _>>()?;
    Ok((configs, Vec::new()))
}

/// One build per project folder listed in a file, the latest year of each (`build --projects`).
/// A project that cannot even start fails alone: the others are still built.
pub fn every_project(list: &Path, digits: Digits) -> Result<Batch, Diagnostics> {
    let text = std::fs::read_to_string(list).map_err(|e| {
        Diagnostics::from(
            Diagnostic::error(
                Code::FileUnreadable,
                msg!("อ่านไฟล์ไม่ได้ ({e})", "cannot read file ({e})"),
            )
            .in_file(list),
        )
    })?;
    let base = list.parent().unwrap_or(Path::new("."));
    let (mut configs, mut failed) = (Vec::new(), Vec::new());
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let root = base.join(line);
        let args = BuildArgs {
            digits,
            ..BuildArgs::default()
        };
        match Project::open(&root).and_then(|p| BuildConfig::new(&p, args)) {
            Ok(cfg) => configs.push(cfg.labelled(root)),
            Err(d) => failed.push((root, d)),
        }
    }
    Ok((configs, failed))
}

/// Builds many reports at once, a progress line each. Every report that fails is named with its
/// project, the others are still built, and the exit code says whether all of them were.
pub fn many(batch: Result<Batch, Diagnostics>, jobs: Option<usize>) -> ExitCode {
    let (configs, failed_early) = match batch {
        Ok(b) => b,
        Err(d) => {
            SourceMap::default().emit(&d.0);
            return ExitCode::FAILURE;
        }
    };
    let jobs = jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let total = configs.len() + failed_early.len();
    let started = Instant::now();
    for (project, d) in &failed_early {
        let p = project.display();
        eprint!("{}", SourceMap::within(project).render(&d.0));
        eprintln!("{p} ไม่สำเร็จ / {p} failed: no report to build, nothing written");
    }
    // More than one job: worker processes, one a core (see pipeline::workers for why not threads).
    let outcomes = match std::env::current_exe() {
        Ok(exe) if jobs > 1 && configs.len() > 1 => {
            workers::build_many(&exe, configs, jobs, progress)
        }
        _ => batch::build_many(configs, jobs, progress),
    };
    let failed = outcomes.iter().filter(|o| o.result.is_err()).count() + failed_early.len();
    eprintln!(
        "สร้าง {} จาก {total} รายงาน / built {} of {total} reports in {:.1?}",
        total - failed,
        total - failed,
        started.elapsed()
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The line a batch prints for each report, after its diagnostics.
fn progress(o: &Outcome) {
    eprint!("{}", o.report);
    let (th, en) = match &o.project {
        Some(p) => (
            format!("{} ปี {}", p.display(), o.year),
            format!("{}: {}", p.display(), o.year),
        ),
        None => (format!("ปี {}", o.year), o.year.to_string()),
    };
    match &o.result {
        Ok(b) => eprintln!(
            "{th} เสร็จ / {en} done: {} ({} KB, {:.0?})",
            b.pdf.display(),
            b.bytes / 1024,
            b.took
        ),
        Err(e) => eprintln!("{th} ไม่สำเร็จ / {en} failed: {e}, nothing written"),
    }
}

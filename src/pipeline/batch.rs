//! Many builds in one process, one [`Session`] a thread: `build --all`, `build --projects` with
//! `--jobs 1`, and each worker process of [`crate::pipeline::workers`].

use std::path::PathBuf;
use std::time::Duration;

use crate::diag::{Diagnostics, SourceMap};
use crate::pipeline::{BuildConfig, Project, Session, write};

/// The outcome of one build among many: the year, and either the PDF written or why not. It
/// crosses from a worker process to the one that started it as a line of JSON
/// ([`crate::pipeline::workers`]).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Outcome {
    pub year: i32,
    /// The project folder, in a batch of many projects.
    #[serde(default)]
    pub project: Option<PathBuf>,
    pub result: Result<Written, String>,
    /// Warnings and errors, rendered, ready to print.
    pub report: String,
}

/// A PDF a build among many wrote.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Written {
    pub pdf: PathBuf,
    pub bytes: usize,
    /// From the content loaded to the PDF written.
    pub took: Duration,
}

/// Builds one report of many in `session` (which keeps what the next report may reuse), its
/// diagnostics rendered for printing. `tidy` runs once, after the PDF is made: while its file
/// syncs to the disk, or after a failed build.
pub fn build_one(session: &mut Session, cfg: &BuildConfig, mut tidy: impl FnMut()) -> Outcome {
    let mut tidied = false;
    let mut once = || {
        if !std::mem::replace(&mut tidied, true) {
            tidy();
        }
    };
    let mut sources = cfg
        .label
        .as_deref()
        .map_or_else(SourceMap::default, SourceMap::within);
    let built = (|| -> Result<_, Diagnostics> {
        let project = Project::open(&cfg.root)?;
        let mut produced = session.produce(&project, cfg.year, cfg.digits, &mut sources)?;
        write::write(
            &project,
            cfg,
            &mut produced,
            write::ToDisk::Beside(&mut once),
        )?;
        Ok(produced)
    })();
    once();
    let (report, result) = match built {
        Ok(produced) => (
            sources.render(&produced.checked.warnings.0),
            Ok(Written {
                pdf: cfg.out.clone(),
                bytes: produced.pdf.len(),
                took: produced.timings.total(),
            }),
        ),
        Err(diags) => (
            sources.render(&diags.0),
            Err(format!(
                "{} error(s)",
                diags.0.iter().filter(|d| d.is_error()).count()
            )),
        ),
    };
    Outcome {
        year: cfg.year,
        project: cfg.label.clone(),
        result,
        report,
    }
}

/// Builds many years (or agencies) with `jobs` threads of this process; fonts and the typst
/// library are parsed once and shared. The threads form one rayon pool, which typst's own parallel
/// layout and `crate::par` then run in too: `--jobs 1` builds on one core, and two jobs do not
/// each start work for all cores (measured on 40 agencies: 1.24x from a second job when every
/// report used its own threads). The binary builds on more than one core with
/// [`crate::pipeline::workers`] instead, one process a core. `progress` sees each outcome as it finishes.
pub fn build_many(
    configs: Vec<BuildConfig>,
    jobs: usize,
    progress: impl Fn(&Outcome) + Sync,
) -> Vec<Outcome> {
    let jobs = jobs.clamp(1, configs.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let outcomes = std::sync::Mutex::new(Vec::with_capacity(configs.len()));
    let work = || {
        // Each thread's builds keep their caches for its next report, and drop them at the end.
        let mut session = Session::default();
        loop {
            let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(cfg) = configs.get(k) else { break };
            // typst's memoized results would otherwise pile up for every report of the run;
            // those of the last few builds stay for the next to reuse.
            let outcome = build_one(&mut session, cfg, || crate::pdf::evict_caches(2 * jobs));
            progress(&outcome);
            outcomes
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(outcome);
        }
    };
    match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(pool) => pool.scope(|scope| {
            for _ in 0..jobs {
                scope.spawn(|_| work());
            }
        }),
        // No pool (the system refused threads): one by one on this thread.
        Err(_) => work(),
    }
    let mut outcomes = outcomes.into_inner().unwrap_or_else(|e| e.into_inner());
    outcomes.sort_by_key(|o| o.year);
    outcomes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::Digits;

    fn config(root: PathBuf, out: PathBuf) -> BuildConfig {
        BuildConfig {
            root,
            year: 2569,
            out,
            emit_typst: None,
            digits: Digits::Thai,
            force: false,
            label: None,
        }
    }

    /// The caches are tidied once a report, whether its PDF was written or not.
    #[test]
    fn tidy_runs_once_after_a_written_report_and_after_a_failed_one() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("a.pdf");
        let bundled = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let mut session = Session::default();
        let mut tidied = 0;
        let outcome = build_one(&mut session, &config(bundled, out.clone()), || tidied += 1);
        assert!(outcome.result.is_ok(), "{}", outcome.report);
        assert_eq!(tidied, 1);
        assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF-"));

        let mut tidied = 0;
        let missing = dir.path().join("no-such-project");
        let outcome = build_one(
            &mut session,
            &config(missing, dir.path().join("b.pdf")),
            || tidied += 1,
        );
        assert!(outcome.result.is_err());
        assert_eq!(tidied, 1);
        assert!(!dir.path().join("b.pdf").exists());
    }
}

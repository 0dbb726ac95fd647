//! Many reports on many cores, one worker process a core. Threads of one process share typst's
//! font instances, and each glyph a candidate line copies counts a reference to its font: two
//! threads doing that on two cores fight over one counter. On 40 agencies with text of their
//! own, a second thread gave 1.62x and a second process 1.97x (BENCHMARKS.md, eleventh pass).
//!
//! The binary starts itself as `oit025 __worker` once per job. A worker reads a
//! [`BuildConfig`] a line (JSON) on stdin, builds it on one core as `build --jobs 1` does, and
//! answers with its [`Outcome`] a line on stdout. Each worker takes the next report when it has
//! finished one, so a slow report does not hold up the rest.

use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::pipeline::batch::{self, Outcome};
use crate::pipeline::{BuildConfig, Session};

/// The hidden subcommand that makes the binary a worker.
pub const WORKER_COMMAND: &str = "__worker";

/// Builds `configs` in `jobs` worker processes of `exe` (the oit025 binary). `progress` sees each
/// outcome as it arrives; the outcomes come back sorted by year. Where a worker cannot be
/// started, or stops, its thread here builds the remaining reports itself, and the report the
/// worker was building is failed with why.
pub fn build_many(
    exe: &Path,
    configs: Vec<BuildConfig>,
    jobs: usize,
    progress: impl Fn(&Outcome) + Sync,
) -> Vec<Outcome> {
    let jobs = jobs.clamp(1, configs.len().max(1));
    let next = AtomicUsize::new(0);
    let outcomes = Mutex::new(Vec::with_capacity(configs.len()));
    let record = |o: Outcome| {
        progress(&o);
        outcomes.lock().unwrap_or_else(|e| e.into_inner()).push(o);
    };
    let take = || configs.get(next.fetch_add(1, Ordering::Relaxed));
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| drive(exe, &take, &record));
        }
    });
    let mut outcomes = outcomes.into_inner().unwrap_or_else(|e| e.into_inner());
    outcomes.sort_by_key(|o| o.year);
    outcomes
}

/// Feeds one worker until the configs run out.
fn drive<'a>(
    exe: &Path,
    take: &(impl Fn() -> Option<&'a BuildConfig> + Sync),
    record: &(impl Fn(Outcome) + Sync),
) {
    let mut worker = Worker::start(exe).ok();
    while let Some(cfg) = take() {
        let Some(w) = worker.as_mut() else {
            record(in_process(cfg));
            continue;
        };
        match w.build(cfg) {
            Ok(outcome) => record(outcome),
            Err(e) => {
                record(Outcome {
                    year: cfg.year,
                    project: cfg.label.clone(),
                    result: Err(format!(
                        "โปรเซสที่สร้างรายงานนี้หยุดทำงาน ({e}) / the worker process stopped ({e}) while building {}",
                        cfg.root.display()
                    )),
                    report: String::new(),
                });
                worker = None;
            }
        }
    }
    if let Some(w) = worker {
        w.finish();
    }
}

/// One report built in this process, on one core, when no worker is there to build it.
fn in_process(cfg: &BuildConfig) -> Outcome {
    batch::build_many(vec![cfg.clone()], 1, |_| {})
        .pop()
        .expect("one config gives one outcome")
}

/// How a worker is started: the binary with the hidden subcommand, its pipes, and mimalloc told
/// to keep the memory a report freed for the next one (`MIMALLOC_PURGE_DELAY=-1`, read when the
/// process starts): mimalloc gives freed memory back to the system after 10 ms, and the next
/// report faulted it in again page by page (2.3 µs a page on the benchmarks' machine), 450-720
/// times a report, 175 without that; a batch took 0.97x the time (BENCHMARKS.md). A worker keeps
/// its peak, about 90 MB, until the batch ends. A value the user set is kept.
fn worker_command(exe: &Path) -> Command {
    const PURGE_DELAY: &str = "MIMALLOC_PURGE_DELAY";
    let mut command = Command::new(exe);
    command
        .arg(WORKER_COMMAND)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    if std::env::var_os(PURGE_DELAY).is_none() {
        command.env(PURGE_DELAY, "-1");
    }
    command
}

/// A worker process and its two pipes.
struct Worker {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Worker {
    fn start(exe: &Path) -> io::Result<Self> {
        let mut child = worker_command(exe).spawn()?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            return Err(io::Error::other("no pipes to the worker"));
        };
        Ok(Worker {
            child,
            stdin,
            stdout: BufReader::new(stdout),
        })
    }

    fn build(&mut self, cfg: &BuildConfig) -> io::Result<Outcome> {
        let mut line = serde_json::to_string(cfg)?;
        line.push('\n');
        self.stdin.write_all(line.as_bytes())?;
        self.stdin.flush()?;
        line.clear();
        if self.stdout.read_line(&mut line)? == 0 {
            let status = self.child.wait()?;
            return Err(io::Error::other(format!("exit {status}")));
        }
        Ok(serde_json::from_str(&line)?)
    }

    /// Closes the worker's stdin, which ends it, and waits for it.
    fn finish(mut self) {
        drop(self.stdin);
        let _ = self.child.wait();
    }
}

/// The worker's side: a config a line from `input`, its outcome a line to `output`, until
/// `input` ends. Builds run on one rayon thread, so that N workers use N cores.
pub fn serve(input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .map_err(io::Error::other)?;
    // The worker's builds keep their caches for its next report, until `input` ends.
    let mut session = Session::default();
    for line in input.lines() {
        let cfg: BuildConfig = serde_json::from_str(&line?)?;
        // What `build_many` keeps for one job: the last two builds' memoized results. While the
        // PDF syncs to the disk, and on the pool's thread, which allocated what is freed: freed
        // from another thread, mimalloc defers each block (the eviction was 3.5% of a worker's
        // time, a third of it freeing).
        let outcome =
            pool.install(|| batch::build_one(&mut session, &cfg, || crate::pdf::evict_caches(2)));
        let mut line = serde_json::to_string(&outcome)?;
        line.push('\n');
        output.write_all(line.as_bytes())?;
        output.flush()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_worker_keeps_the_memory_a_report_freed() {
        let command = worker_command(Path::new("oit025"));
        let set: Vec<_> = command.get_envs().collect();
        let delay = set.iter().find(|(k, _)| *k == "MIMALLOC_PURGE_DELAY");
        match std::env::var_os("MIMALLOC_PURGE_DELAY") {
            None => assert_eq!(
                delay,
                Some(&("MIMALLOC_PURGE_DELAY".as_ref(), Some("-1".as_ref())))
            ),
            // The user's own value goes to the worker as the rest of the environment does.
            Some(_) => assert_eq!(delay, None),
        }
        assert_eq!(command.get_args().collect::<Vec<_>>(), [WORKER_COMMAND]);
    }

    #[test]
    fn a_line_that_is_not_a_config_ends_the_worker_with_an_error() {
        let mut out = Vec::new();
        let err = serve("not a config\n".as_bytes(), &mut out).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData, "{err}");
        assert!(out.is_empty());
    }
}

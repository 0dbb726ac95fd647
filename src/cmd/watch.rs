//! `watch`: build, then rebuild whenever content/, templates/ or fonts/ change, keeping one [`Session`]
//! (a typst World, parsed files, word marks) so each rebuild reuses the work before. The fonts are
//! compiled into the binary, so no folder of the project holds them. Errors are shown and the
//! watch goes on.

use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify_debouncer_mini::{new_debouncer, notify::RecursiveMode};

use crate::diag::{Diagnostic, Diagnostics, SourceMap};
use crate::msg;
use crate::pipeline::{BuildArgs, BuildConfig, FileState, Project, Session, files_state, write};

/// The project folders a build reads: the fonts are in the binary.
const WATCHED: [&str; 3] = ["content", "templates", "fonts"];

/// Runs until the process is stopped. Returns only if watching cannot start. With `serve`, the
/// PDF is also served on that port of 127.0.0.1 (see [`crate::preview`]).
pub fn watch(
    root: &Path,
    year: Option<i32>,
    serve: Option<u16>,
) -> Result<Diagnostics, Diagnostics> {
    let args = BuildArgs {
        year,
        ..BuildArgs::default()
    };
    let cfg = &BuildConfig::new(&Project::open(root)?, args)?;
    let preview = serve
        .map(|port| crate::preview::Preview::start(cfg.out.clone(), port))
        .transpose()?;
    let (tx, rx) = mpsc::channel();
    let fail = |e: notify_debouncer_mini::notify::Error| {
        let e = e.to_string();
        Diagnostics::from(Diagnostic::error(
            crate::diag::Code::WatchFailed,
            msg!("เฝ้าดูไฟล์ไม่ได้ ({e})", "cannot watch files ({e})"),
        ))
    };
    let mut debouncer = new_debouncer(Duration::from_millis(150), tx).map_err(fail)?;
    for dir in WATCHED {
        let path = cfg.root.join(dir);
        if path.is_dir() {
            debouncer
                .watcher()
                .watch(&path, RecursiveMode::Recursive)
                .map_err(fail)?;
        }
    }
    let mut session = Session::watching();
    let mut seen = fingerprint(&cfg.root);
    rebuild(&mut session, cfg, preview.as_ref());
    if let Some(p) = &preview {
        let url = format!("http://127.0.0.1:{}/", p.port);
        eprintln!("เปิดดูรายงานในเบราว์เซอร์ได้ที่ / preview in a browser at {url}");
        open_in_browser(&url);
    }
    eprintln!(
        "กำลังเฝ้าดู content/ templates/ fonts/ (Ctrl+C เพื่อหยุด) / watching for changes (Ctrl+C to stop)"
    );
    for events in rx {
        if events.is_err() {
            continue;
        }
        // The watcher also reports reads (our own build opens every file): rebuild only when a file's
        // size, modification time or presence really changed.
        let now = fingerprint(&cfg.root);
        if now != seen {
            // The World reads the project's fonts once: a font added or changed needs a new one.
            let fonts = |f: &[FileState]| {
                let dir = cfg.root.join("fonts");
                f.iter()
                    .filter(|s| s.0.starts_with(&dir))
                    .cloned()
                    .collect::<Vec<_>>()
            };
            if fonts(&now) != fonts(&seen) {
                session = Session::watching();
            }
            seen = now;
            rebuild(&mut session, cfg, preview.as_ref());
        }
    }
    Ok(Diagnostics::default())
}

/// Name, size and modification time of every watched file.
fn fingerprint(root: &Path) -> Vec<FileState> {
    WATCHED
        .iter()
        .flat_map(|dir| files_state(&root.join(dir)))
        .collect()
}

fn rebuild(session: &mut Session, cfg: &BuildConfig, preview: Option<&crate::preview::Preview>) {
    let t = Instant::now();
    let mut sources = SourceMap::default();
    // The project is opened again for each rebuild: a year sealed meanwhile is one too.
    let result = Project::open(&cfg.root).and_then(|project| {
        let mut produced = session.produce(&project, cfg.year, cfg.digits, &mut sources)?;
        write::write(&project, cfg, &mut produced, write::ToDisk::No)?;
        Ok(produced.checked.warnings)
    });
    // The time to the PDF written, as a cold build's "done ... in" counts it: evicting old cache
    // entries and printing the warnings come after.
    let took = t.elapsed();
    crate::pdf::evict_caches(10);
    match result {
        Ok(warnings) => {
            sources.emit(&warnings.0);
            preview.inspect(|p| p.built());
            eprintln!("สร้างใหม่แล้ว / rebuilt {} in {:.0?}", cfg.out.display(), took);
        }
        Err(diags) => {
            sources.emit(&diags.0);
            preview.inspect(|p| p.failed(sources.render(&diags.0)));
            eprintln!("ยังสร้างไม่ได้ รอการแก้ไขครั้งถัดไป / not rebuilt: waiting for the next save");
        }
    }
}

/// On Windows, where the users of a downloaded `oit025.exe` work, the preview opens in the default
/// browser; elsewhere the address printed above is enough, and tests start no browser.
#[cfg(windows)]
fn open_in_browser(url: &str) {
    if let Err(e) = opener::open_browser(url) {
        eprintln!("เปิดเบราว์เซอร์ไม่ได้ ({e}) / cannot open a browser ({e})");
    }
}

#[cfg(not(windows))]
fn open_in_browser(_: &str) {}

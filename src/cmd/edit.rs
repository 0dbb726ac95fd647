//! `edit`: the browser editor ([`crate::editor`]) on this machine, until the process is stopped.
//! The first line of standard output is the address to open, with the page's secret, so that a
//! script (or the tests) can read it; the default browser opens it unless `--no-browser`.

use std::io::Write;
use std::path::Path;

use crate::diag::Diagnostics;

/// Serves the editor of `root` on `port` (any free port when `None`) and never returns unless it
/// cannot start.
pub fn edit(
    root: &Path,
    year: Option<i32>,
    port: Option<u16>,
    browser: bool,
) -> Result<Diagnostics, Diagnostics> {
    let started = crate::editor::start(root, port.unwrap_or(0))?;
    let url = match year {
        Some(year) => format!("{}#{year}", started.url),
        None => started.url,
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{url}");
    let _ = out.flush();
    drop(out);
    eprintln!(
        "แก้ไขรายงานในเบราว์เซอร์ที่ที่อยู่ข้างบน (Ctrl+C เพื่อหยุด) / edit the report in a browser at the address above (Ctrl+C to stop)"
    );
    if browser {
        open_in_browser(&url);
    }
    loop {
        std::thread::park();
    }
}

/// Opens `url` in the default browser; where none can be opened, the address printed is enough.
fn open_in_browser(url: &str) {
    if let Err(e) = opener::open_browser(url) {
        eprintln!(
            "เปิดเบราว์เซอร์ไม่ได้ ({e}) เปิดที่อยู่ข้างบนเอง / cannot open a browser ({e}); open the address above"
        );
    }
}

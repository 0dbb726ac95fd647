//! `watch --serve`: the report on http://127.0.0.1:PORT/ for a browser. The page shows the PDF
//! in the browser's own viewer, asks every half second whether a rebuild happened, reloads the
//! PDF when one did and shows the errors of a failed one above the last good PDF.
//!
//! Only this machine can connect (127.0.0.1), only requests for that address or `localhost`
//! with the port are answered (Host), and only four fixed paths are served: the page,
//! the build status, the font of the page and the PDF the watch writes. No path from a request
//! reaches the file system. The server itself ([`crate::http`]) answers each request on a
//! thread of its own with bounded bodies and a time limit, so one client never holds up another.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::diag::{Diagnostic, Diagnostics};
use crate::http::{self, Request, Response};
use crate::msg;

/// What the page learns from `/status`: a number that changes with every build, and the errors
/// of the last one if it failed.
#[derive(Default)]
struct Status {
    builds: u64,
    errors: String,
}

/// The running preview server; the watch tells it about each build.
pub struct Preview {
    status: Arc<Mutex<Status>>,
    /// The port it listens on (the one asked for, or the one the system chose for port 0).
    pub port: u16,
}

impl Preview {
    /// Starts serving `pdf` on 127.0.0.1:`port`, each request on a thread of its own
    /// ([`crate::http`]).
    pub fn start(pdf: PathBuf, port: u16) -> Result<Self, Diagnostics> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
            Diagnostics::from(Diagnostic::error(
                crate::diag::Code::ServePort,
                msg!(
                    "เปิดเซิร์ฟเวอร์ที่พอร์ต {port} ไม่ได้ ({e}) ลองใช้ --port อื่น",
                    "cannot serve on port {port} ({e}); try another --port"
                ),
            ))
        })?;
        let port = listener.local_addr().map_or(port, |a| a.port());
        let status = Arc::new(Mutex::new(Status::default()));
        let shared = Arc::clone(&status);
        let hosts = vec![format!("127.0.0.1:{port}"), format!("localhost:{port}")];
        let handler = move |request: &Request| {
            let response = match request.path.as_str() {
                "/" => Response::ok("text/html; charset=utf-8", PAGE),
                "/status" => {
                    let s = shared.lock().unwrap_or_else(|e| e.into_inner());
                    let body = format!("{}\n{}", s.builds, s.errors);
                    Response::ok("text/plain; charset=utf-8", body)
                }
                // The page's own text in Sarabun, whatever fonts the browser's machine has.
                "/sarabun.ttf" => Response::ok("font/ttf", crate::fonts::FONT_FILES[0]),
                "/report.pdf" => match std::fs::read(&pdf) {
                    Ok(bytes) => Response::ok("application/pdf", bytes),
                    Err(_) => Response::text(404, "no PDF yet"),
                },
                _ => Response::text(404, "not found"),
            };
            response.with_header("Cache-Control", "no-store")
        };
        http::serve(listener, hosts, http::Limits::default(), Arc::new(handler));
        Ok(Self { status, port })
    }

    /// A build wrote the PDF: the page reloads it.
    pub fn built(&self) {
        let mut s = self.status.lock().unwrap_or_else(|e| e.into_inner());
        s.builds += 1;
        s.errors.clear();
    }

    /// A build failed with `errors` (rendered diagnostics): the page shows them; the PDF stays.
    pub fn failed(&self, errors: String) {
        let mut s = self.status.lock().unwrap_or_else(|e| e.into_inner());
        s.builds += 1;
        s.errors = errors;
    }
}

/// The preview page. Errors are set as text (`textContent`), never as HTML.
const PAGE: &str = r#"<!doctype html>
<html lang="th">
<meta charset="utf-8">
<title>oit025: ตัวอย่างรายงาน / report preview</title>
<style>
  /* Thai in Sarabun where the monospace font has none */
  @font-face { font-family: Sarabun; src: url(sarabun.ttf); }
  html, body { margin: 0; height: 100%; display: flex; flex-direction: column; }
  #errors { display: none; margin: 0; padding: 8px 12px; background: #fdecea; color: #8a1c1c;
            font: 14px/1.5 monospace, Sarabun; white-space: pre-wrap; max-height: 40%; overflow: auto; }
  iframe { border: 0; flex: 1; width: 100%; }
</style>
<pre id="errors"></pre>
<iframe id="pdf" src="report.pdf" title="PDF"></iframe>
<script>
  let seen = null;
  async function poll() {
    try {
      const text = await (await fetch("status", { cache: "no-store" })).text();
      const cut = text.indexOf("\n");
      const builds = text.slice(0, cut), errors = text.slice(cut + 1);
      if (seen !== null && builds !== seen && !errors) {
        document.getElementById("pdf").src = "report.pdf?build=" + builds;
      }
      seen = builds;
      const box = document.getElementById("errors");
      box.textContent = errors ? "ยังสร้างไม่ได้ แสดงฉบับล่าสุดที่สร้างได้ / not rebuilt, showing the last good PDF\n\n" + errors : "";
      box.style.display = errors ? "block" : "none";
    } catch (e) {}
    setTimeout(poll, 500);
  }
  poll();
</script>
</html>
"#;

//! `oit025 edit`: the report as forms in a browser, for people who work in Word, not in YAML.
//! The page is made from the JSON Schema (every label is a field's `title`), saves through
//! [`crate::content::edit`] (only the lines of the values that changed), checks through the same
//! [`Session`] as the command line, and shows the PDF that session builds beside the form.
//!
//! Safe on a shared PC: it listens on 127.0.0.1 only ([`crate::http`] refuses another Host); every
//! request for data or a change must carry the secret printed with the address, in a header a
//! page of another site cannot send without asking first, and a request whose Origin is another
//! site's is refused. No path of a request names a file: the year is a number checked against
//! the project's years, and the only files written are the six of a year (and what build,
//! publish, archive, new and init write, as on the command line).

mod api;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::http::{self, Request, Response};
use crate::msg;
use crate::pipeline::Session;

const PAGE: &str = include_str!("assets/page.html");
const SCRIPT: &str = include_str!("assets/editor.js");
const STYLE: &str = include_str!("assets/editor.css");

/// The running editor of the project at `root` (which may have no project yet: the page then
/// offers to make one).
pub struct Editor {
    root: PathBuf,
    token: String,
    origins: [String; 2],
    /// One build at a time, with the caches of the last: a save's preview reuses them.
    session: Mutex<Session>,
}

/// The address to open (with the secret), and the port.
pub struct Started {
    pub url: String,
    pub port: u16,
}

/// Starts the editor of `root` on 127.0.0.1:`port` (0: any free port).
pub fn start(root: &Path, port: u16) -> Result<Started, Diagnostics> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
        Diagnostics::from(Diagnostic::error(
            Code::ServePort,
            msg!(
                "เปิดเซิร์ฟเวอร์ที่พอร์ต {port} ไม่ได้ ({e}) ลองใช้ --port อื่น",
                "cannot serve on port {port} ({e}); try another --port"
            ),
        ))
    })?;
    let port = listener.local_addr().map_or(port, |a| a.port());
    let token = secret()?;
    let hosts = vec![format!("127.0.0.1:{port}"), format!("localhost:{port}")];
    let editor = Arc::new(Editor {
        root: root.to_path_buf(),
        origins: [
            format!("http://{}", hosts[0]),
            format!("http://{}", hosts[1]),
        ],
        token: token.clone(),
        session: Mutex::new(Session::watching()),
    });
    let limits = http::Limits {
        max_body: 4 << 20,
        // A save builds the PDF, and publishing builds every year.
        time_limit: std::time::Duration::from_secs(120),
        ..http::Limits::default()
    };
    http::serve(
        listener,
        hosts,
        limits,
        Arc::new(move |r: &Request| editor.answer(r)),
    );
    Ok(Started {
        url: format!("http://127.0.0.1:{port}/?t={token}"),
        port,
    })
}

impl Editor {
    fn answer(&self, r: &Request) -> Response {
        let response = match (r.method.as_str(), r.path.as_str()) {
            ("GET", "/editor.js") => Response::ok("text/javascript; charset=utf-8", SCRIPT),
            ("GET", "/editor.css") => Response::ok("text/css; charset=utf-8", STYLE),
            ("GET", "/sarabun.ttf") => Response::ok("font/ttf", crate::fonts::FONT_FILES[0]),
            ("GET", "/sarabun-bold.ttf") => Response::ok("font/ttf", crate::fonts::FONT_FILES[1]),
            ("GET", "/") => match self.query_token(r) {
                true => {
                    let page = PAGE.replace("{{token}}", &self.token);
                    Response::ok("text/html; charset=utf-8", page)
                }
                false => Response::ok("text/html; charset=utf-8", NO_TOKEN).status(403),
            },
            ("GET", path) if path.starts_with("/pdf/") => match self.query_token(r) {
                true => self.pdf(&path["/pdf/".len()..]),
                false => Response::text(403, "secret missing / ไม่มีรหัสลับ"),
            },
            (_, path) if path.starts_with("/api/") => match self.allowed(r) {
                Ok(()) => api::answer(self, r, &path["/api/".len()..]),
                Err(why) => Response::text(403, why),
            },
            _ => Response::text(404, "not found"),
        };
        response
            .with_header("Cache-Control", "no-store")
            .with_header("X-Content-Type-Options", "nosniff")
            .with_header("Referrer-Policy", "no-referrer")
            .with_header(
                "Content-Security-Policy",
                "default-src 'self'; frame-ancestors 'self'; object-src 'self'; frame-src 'self'",
            )
    }

    /// The secret in the address (`?t=`): what the first page and the PDF are opened with.
    fn query_token(&self, r: &Request) -> bool {
        let given = (r.query.split('&')).find_map(|kv| kv.strip_prefix("t="));
        given.is_some_and(|t| same(t, &self.token))
    }

    /// Whether an API request comes from the editor's own page: its secret in the
    /// `X-OIT025-Token` header (another site's page cannot set a header without a preflight this
    /// server never answers), and no Origin but this server's.
    fn allowed(&self, r: &Request) -> Result<(), &'static str> {
        if let Some(origin) = r.header("origin")
            && !self.origins.iter().any(|o| o == origin)
        {
            return Err("foreign origin / คำขอจากเว็บไซต์อื่น");
        }
        if r.header("sec-fetch-site")
            .is_some_and(|s| s != "same-origin" && s != "none")
        {
            return Err("cross-site request / คำขอข้ามเว็บไซต์");
        }
        match r.header("x-oit025-token") {
            Some(t) if same(t, &self.token) => {}
            _ => return Err("secret missing or wrong / รหัสลับไม่ถูกต้อง"),
        }
        if r.method == "POST"
            && !r
                .header("content-type")
                .is_some_and(|c| c.starts_with("application/json"))
        {
            return Err("JSON only / รับเฉพาะ JSON");
        }
        Ok(())
    }

    /// The year's PDF as the last build wrote it.
    fn pdf(&self, year: &str) -> Response {
        let Ok(year) = year.parse::<i32>() else {
            return Response::text(404, "not found");
        };
        let Ok(project) = crate::pipeline::Project::open(&self.root) else {
            return Response::text(404, "no project");
        };
        if !project.years().contains(&year) {
            return Response::text(404, "no such year");
        }
        match std::fs::read(project.default_pdf(year)) {
            Ok(bytes) => Response::ok("application/pdf", bytes),
            Err(_) => Response::ok("text/html; charset=utf-8", NOT_BUILT).status(404),
        }
    }

    fn root(&self) -> &Path {
        &self.root
    }
}

/// The page a browser gets without the secret: where to find the right address.
const NO_TOKEN: &str = "<!doctype html><html lang=\"th\"><meta charset=\"utf-8\"><title>oit025</title>\
<p>เปิดด้วยที่อยู่ที่ oit025 edit พิมพ์ไว้ (มีรหัสลับต่อท้าย) / open the address oit025 edit printed \
(it ends with a secret).</p></html>";

/// What the PDF frame shows before the year's first build.
const NOT_BUILT: &str = "<!doctype html><html lang=\"th\"><meta charset=\"utf-8\"><title>PDF</title>\
<link rel=\"stylesheet\" href=\"/editor.css\"><p class=\"note\">ยังไม่ได้สร้าง PDF ของปีนี้: กด \
บันทึก หรือ สร้าง PDF / this year has no PDF yet: press Save or Build.</p></html>";

/// 24 random bytes as hex: the secret of this run.
fn secret() -> Result<String, Diagnostics> {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).map_err(|e| {
        Diagnostics::from(Diagnostic::error(
            Code::ServePort,
            msg!("สุ่มรหัสลับไม่ได้ ({e})", "cannot make a secret ({e})"),
        ))
    })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Compares two secrets in time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0, |acc, (x, y)| acc | (x ^ y))
            == 0
}

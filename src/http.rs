//! A small HTTP/1.1 server for this machine's browser: the preview of `watch --serve`, and the
//! editor to come. Each connection is handled on a thread of its own, one request a connection,
//! so that no client can hold up another.
//!
//! Why not tiny_http: it read a request's unread body on the thread that served every request
//! (when the request was dropped), into a buffer the size the client claimed; one `POST` with
//! `Content-Length: 1000000000` and no body blocked every other request until its socket closed.
//! Here a request is refused before its body is read when its Host is not this server's or its
//! body is larger than [`Limits::max_body`], every read and write has a deadline
//! ([`Limits::time_limit`] for the whole request), and at most [`Limits::max_connections`] are
//! served at once (the next are told to come back, without being read).

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// What one client may ask of the server.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Bytes of the request line and headers.
    pub max_head: usize,
    /// Bytes of a request's body (a form the editor posts).
    pub max_body: usize,
    /// Time from the connection accepted to the response written.
    pub time_limit: Duration,
    /// Connections served at the same time.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_head: 16 << 10,
            max_body: 1 << 20,
            time_limit: Duration::from_secs(10),
            max_connections: 32,
        }
    }
}

/// A request, read whole (head and body) before the handler sees it.
#[derive(Debug)]
pub struct Request {
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// What follows `?` in the target, if anything.
    pub query: String,
    /// Header names in lower case, with their values.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// The value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        (self.headers.iter())
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A response: status, content type, extra headers and body.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// A `200 OK` with `body` of type `content_type`.
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status: 200,
            headers: vec![("Content-Type", content_type.to_string())],
            body: body.into(),
        }
    }

    /// A plain-text response with status `status`.
    pub fn text(status: u16, body: &str) -> Self {
        Self {
            status,
            ..Self::ok("text/plain; charset=utf-8", body)
        }
    }

    /// The same response with status `status`.
    pub fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// A JSON response.
    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        Self::ok("application/json; charset=utf-8", value.to_string()).status(status)
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_string()));
        self
    }
}

/// Answers requests; called on the connection's own thread.
pub type Handler = dyn Fn(&Request) -> Response + Send + Sync;

/// Serves `listener` on a thread of its own until the process ends. Requests whose Host is not
/// one of `hosts` are refused (403) before their body is read: a page of another site may make
/// its name resolve to 127.0.0.1 (DNS rebinding), and its requests then carry its own name.
pub fn serve(listener: TcpListener, hosts: Vec<String>, limits: Limits, handler: Arc<Handler>) {
    let busy = Arc::new(AtomicUsize::new(0));
    let hosts = Arc::new(hosts);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let started = Instant::now();
            if busy.fetch_add(1, Ordering::SeqCst) >= limits.max_connections {
                busy.fetch_sub(1, Ordering::SeqCst);
                let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
                let _ = write_response(&mut stream, &Response::text(503, "busy, try again"));
                continue;
            }
            let (busy, hosts, limits, handler) = (
                Arc::clone(&busy),
                Arc::clone(&hosts),
                limits.clone(),
                Arc::clone(&handler),
            );
            let spawned = std::thread::Builder::new().spawn(move || {
                let deadline = started + limits.time_limit;
                let response = match read_request(&mut stream, &limits, deadline, &hosts) {
                    Ok(request) => handler(&request),
                    Err(refusal) => refusal,
                };
                let _ = set_deadline(&stream, deadline)
                    .and_then(|()| write_response(&mut stream, &response));
                let _ = stream.shutdown(std::net::Shutdown::Both);
                busy.fetch_sub(1, Ordering::SeqCst);
            });
            if spawned.is_err() {
                // No thread (the system refused one): the connection is closed unanswered.
                continue;
            }
        }
    });
}

/// Reads one request within `deadline`, or the response that refuses it.
fn read_request(
    stream: &mut TcpStream,
    limits: &Limits,
    deadline: Instant,
    hosts: &[String],
) -> Result<Request, Response> {
    let mut buf = Vec::with_capacity(1024);
    let head_end = loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        if buf.len() > limits.max_head {
            return Err(Response::text(431, "request header too large"));
        }
        read_some(stream, &mut buf, limits.max_head + 4, deadline)?;
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let (Some(method), Some(target)) = (first.next(), first.next()) else {
        return Err(Response::text(400, "bad request"));
    };
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let header = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v);
    if !header("host").is_some_and(|h| hosts.contains(&h.to_ascii_lowercase())) {
        return Err(Response::text(403, "forbidden host"));
    }
    if header("transfer-encoding").is_some() {
        return Err(Response::text(411, "length required"));
    }
    let length = match header("content-length").map(|v| v.parse::<usize>()) {
        None => 0,
        Some(Ok(n)) if n <= limits.max_body => n,
        Some(Ok(_)) => return Err(Response::text(413, "request body too large")),
        Some(Err(_)) => return Err(Response::text(400, "bad content-length")),
    };
    let mut body = buf.split_off(head_end + 4);
    while body.len() < length {
        read_some(stream, &mut body, length, deadline)?;
    }
    body.truncate(length);
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    Ok(Request {
        method: method.to_string(),
        path: path.to_string(),
        query: query.to_string(),
        headers,
        body,
    })
}

/// Reads what has arrived into `buf` (at most up to `cap` bytes in all), waiting no longer than
/// `deadline`; a closed connection or the time run out refuses the request.
fn read_some(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    cap: usize,
    deadline: Instant,
) -> Result<(), Response> {
    let timeout = || Response::text(408, "request timeout");
    set_deadline(stream, deadline).map_err(|_| timeout())?;
    let mut chunk = [0u8; 8192];
    let want = cap.saturating_sub(buf.len()).clamp(1, chunk.len());
    match stream.read(&mut chunk[..want]) {
        Ok(0) => Err(Response::text(400, "connection closed")),
        Ok(n) => {
            buf.extend_from_slice(&chunk[..n]);
            Ok(())
        }
        Err(_) => Err(timeout()),
    }
}

/// Makes every read and write of `stream` give up at `deadline`.
fn set_deadline(stream: &TcpStream, deadline: Instant) -> std::io::Result<()> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(std::io::ErrorKind::TimedOut.into());
    }
    stream.set_read_timeout(Some(left))?;
    stream.set_write_timeout(Some(left))
}

fn write_response(stream: &mut TcpStream, response: &Response) -> std::io::Result<()> {
    let reason = match response.status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    };
    let mut head = format!(
        "HTTP/1.1 {} {reason}\r\nContent-Length: {}\r\nConnection: close\r\n",
        response.status,
        response.body.len()
    );
    for (name, value) in &response.headers {
        // A header value never carries a line break into the head.
        let value: String = value.chars().filter(|c| !c.is_control()).collect();
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(&response.body)?;
    stream.flush()
}

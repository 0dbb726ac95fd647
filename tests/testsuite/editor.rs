//! Editor support as editors meet it: the JSON Schemas of the content files checked by an
//! independent validator (check-jsonschema), a real yaml-language-server (the server of VS Code's
//! YAML extension) driven over stdio by a small LSP client, and `check --format json`.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};

use crate::common;
use crate::common::oit025;

const FILES: [&str; 6] = [
    "agency",
    "assessment",
    "scores",
    "recommendations",
    "analysis",
    "measures",
];

/// Validates a YAML file against a schema with check-jsonschema: passed, and what it printed.
fn validate(schema: &Path, file: &Path) -> (bool, String) {
    let out = common::output(
        Command::new("check-jsonschema")
            .arg("--schemafile")
            .arg(schema)
            .arg(file),
    );
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn the_schemas_in_the_repository_are_the_ones_the_binary_writes() {
    let dir = tempfile::tempdir().unwrap();
    let out = oit025(dir.path(), &["schema", "--out", "s"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for name in FILES {
        let file = format!("{name}.schema.json");
        let written = std::fs::read_to_string(dir.path().join("s").join(&file)).unwrap();
        let kept =
            std::fs::read_to_string(common::manifest_dir().join("content/schemas").join(&file))
                .unwrap();
        assert!(
            written == kept,
            "content/schemas/{file} is not what the binary writes: run `cargo run --release -- schema`"
        );
        let schema: Value = serde_json::from_str(&written).unwrap();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
    }
}

#[test]
fn bundled_and_init_content_validate_and_mistakes_do_not() {
    let project = common::manifest_dir();
    let schemas = project.join("content/schemas");
    for name in FILES {
        let file = project.join(format!("content/2569/{name}.yaml"));
        let first = std::fs::read_to_string(&file).unwrap();
        assert!(
            first.starts_with(&format!(
                "# yaml-language-server: $schema=../schemas/{name}.schema.json\n"
            )),
            "{name}.yaml does not name its schema on its first line"
        );
        let (ok, report) = validate(&schemas.join(format!("{name}.schema.json")), &file);
        assert!(ok, "{name}.yaml: {report}");
    }

    // A project made by `init` carries the schemas and names them.
    let dir = tempfile::tempdir().unwrap();
    let out = oit025(
        dir.path(),
        &[
            "init",
            "p",
            "--agency",
            "เทศบาลตำบลทดลอง",
            "--abbreviation",
            "ทต.ทดลอง",
            "--year",
            "2569",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let p = dir.path().join("p");
    for name in FILES {
        let year = std::fs::read_dir(p.join("content"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|e| {
                e.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .parse::<i32>()
                    .is_ok()
            })
            .unwrap();
        let file = year.join(format!("{name}.yaml"));
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            text.starts_with("# yaml-language-server: $schema=../schemas/"),
            "init's {name}.yaml: {}",
            &text[..80.min(text.len())]
        );
        let schema = p.join(format!("content/schemas/{name}.schema.json"));
        assert!(schema.is_file(), "init wrote no {}", schema.display());
    }

    // A score that is not a number, and a key the loader does not know, fail the schema as they
    // fail `check`.
    let scores = std::fs::read_to_string(project.join("content/2569/scores.yaml")).unwrap();
    let broken = dir.path().join("scores.yaml");
    std::fs::write(
        &broken,
        scores.replacen("previous: 82.25", "previous: abc", 1),
    )
    .unwrap();
    let (ok, report) = validate(&schemas.join("scores.schema.json"), &broken);
    assert!(!ok && report.contains("abc"), "{report}");
    let agency = std::fs::read_to_string(project.join("content/2569/agency.yaml")).unwrap();
    let broken = dir.path().join("agency.yaml");
    std::fs::write(
        &broken,
        format!("{agency}\nwebsite: https://example.go.th\n"),
    )
    .unwrap();
    let (ok, report) = validate(&schemas.join("agency.schema.json"), &broken);
    assert!(!ok && report.contains("website"), "{report}");
}

#[test]
fn check_format_json_prints_one_object_a_line() {
    let dir = common::project();
    common::replace_in(
        &dir.path().join("content/2569/scores.yaml"),
        "previous: 82.25",
        "previous: abc",
    );
    let out = oit025(dir.path(), &["check", "--format", "json"]);
    assert!(!out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let error = lines
        .iter()
        .find(|d| d["severity"] == "error")
        .unwrap_or_else(|| panic!("no error in {stdout}"));
    assert_eq!(error["file"], "content/2569/scores.yaml", "{error}");
    assert_eq!(error["line"], 17, "{error}");
    assert_eq!(error["column"], 31, "{error}");
    assert_eq!(error["field"], "indicators[0].previous", "{error}");
    assert_eq!(error["code"], "score.not-a-number", "{error}");
    assert!(error["th"].as_str().unwrap().contains("ตัวเลข"), "{error}");
    assert!(
        error["en"].as_str().unwrap().contains("expected a number"),
        "{error}"
    );

    // Clean content: nothing on stdout but the warnings, and success.
    let dir = common::project();
    let out = oit025(dir.path(), &["check", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for l in String::from_utf8(out.stdout).unwrap().lines() {
        let d: Value = serde_json::from_str(l).unwrap();
        assert_eq!(d["severity"], "warning", "{d}");
    }
}

/// yaml-language-server over stdio: a minimal LSP client that answers the server's requests.
struct Server {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    incoming: mpsc::Receiver<Value>,
    next_id: u64,
}

impl Server {
    fn start(root: &Path) -> Self {
        let bin = common::manifest_dir()
            .join("tests/editor/node_modules/yaml-language-server/bin/yaml-language-server");
        assert!(
            bin.is_file(),
            "yaml-language-server is missing: `npm ci --prefix tests/editor` installs it (./test installs all the tests need)"
        );
        let mut child = Command::new("node")
            .arg(bin)
            .arg("--stdio")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("node is not installed: `apt-get install nodejs npm` installs it ({e})")
            });
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, incoming) = mpsc::channel();
        std::thread::spawn(move || {
            loop {
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                if stdout.read_exact(&mut body).is_err() {
                    return;
                }
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        let mut server = Self {
            child,
            stdin,
            incoming,
            next_id: 0,
        };
        let uri = uri(root);
        server.request(
            "initialize",
            json!({
                "processId": std::process::id(),
                "rootUri": uri,
                "workspaceFolders": [{ "uri": uri, "name": "project" }],
                "capabilities": {
                    "workspace": { "configuration": true },
                    "textDocument": {
                        "completion": { "completionItem": { "snippetSupport": false } },
                        "publishDiagnostics": {}
                    }
                }
            }),
        );
        server.notify("initialized", json!({}));
        server.notify(
            "workspace/didChangeConfiguration",
            json!({ "settings": settings() }),
        );
        server
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and waits for its answer, answering the server's own requests meanwhile.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.wait(|m| m["id"] == id && m.get("method").is_none())["result"].clone()
    }

    /// The first message `wanted` accepts; a minute without it is a failure, not a hang.
    fn wait(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        loop {
            let m = self
                .incoming
                .recv_timeout(Duration::from_secs(60))
                .expect("yaml-language-server sent nothing wanted for a minute");
            if let (Some(id), Some(method)) = (m.get("id"), m["method"].as_str()) {
                let result = match method {
                    "workspace/configuration" => Value::Array(
                        m["params"]["items"]
                            .as_array()
                            .map(|items| {
                                items
                                    .iter()
                                    .map(|i| {
                                        if i["section"] == "yaml" {
                                            settings()["yaml"].clone()
                                        } else {
                                            Value::Null
                                        }
                                    })
                                    .collect()
                            })
                            .unwrap_or_default(),
                    ),
                    _ => Value::Null,
                };
                let id = id.clone();
                self.send(json!({ "jsonrpc": "2.0", "id": id, "result": result }));
                continue;
            }
            if wanted(&m) {
                return m;
            }
        }
    }

    fn open(&mut self, path: &Path, text: &str) -> String {
        let uri = uri(path);
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": text } }),
        );
        uri
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn settings() -> Value {
    json!({ "yaml": {
        "validate": true, "completion": true, "hover": true,
        "schemaStore": { "enable": false }
    } })
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

#[test]
fn yaml_language_server_reports_errors_at_their_line_and_completes_keys() {
    let dir = common::project();
    let root = dir.path().canonicalize().unwrap();
    // The schemas as the project keeps them.
    common::copy_dir(
        &common::manifest_dir().join("content/schemas"),
        &root.join("content/schemas"),
    );
    let mut server = Server::start(&root);

    // A score that is not a number, and a key the schema does not know.
    let path = root.join("content/2569/scores.yaml");
    let text =
        std::fs::read_to_string(&path)
            .unwrap()
            .replacen("previous: 82.25", "previous: abc", 1)
            + "unknown_key: 1\n";
    let bad_line = text
        .lines()
        .position(|l| l.contains("previous: abc"))
        .unwrap();
    let unknown_line = text
        .lines()
        .position(|l| l.starts_with("unknown_key"))
        .unwrap();
    let uri = server.open(&path, &text);
    let published = server.wait(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == uri.as_str()
            && m["params"]["diagnostics"]
                .as_array()
                .is_some_and(|d| !d.is_empty())
    });
    let diagnostics = published["params"]["diagnostics"].as_array().unwrap();
    eprintln!("yaml-language-server diagnostics for scores.yaml: {diagnostics:#?}");
    let at = |line: usize| {
        diagnostics
            .iter()
            .find(|d| d["range"]["start"]["line"] == line)
            .unwrap_or_else(|| panic!("no diagnostic at line {}: {diagnostics:#?}", line + 1))
    };
    assert!(at(bad_line)["message"].as_str().unwrap().contains("number"));
    assert!(
        at(unknown_line)["message"]
            .as_str()
            .unwrap()
            .contains("unknown_key")
    );

    // Completion inside `agency:` of an agency.yaml being written: the keys of the file.
    let path = root.join("content/2569/agency.yaml");
    let text = "# yaml-language-server: $schema=../schemas/agency.schema.json\nagency:\n  \n";
    let uri = server.open(&path, text);
    let result = server.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 2, "character": 2 } }),
    );
    let items = result["items"].as_array().or(result.as_array()).unwrap();
    let labels: Vec<&str> = items.iter().filter_map(|i| i["label"].as_str()).collect();
    eprintln!("yaml-language-server completions inside agency: {labels:?}");
    for key in ["name", "abbreviation", "head", "group"] {
        assert!(labels.contains(&key), "{key} not offered: {labels:?}");
    }
    // Hover shows the field's short Thai title, as the browser editor labels it, and its
    // description in Thai and English.
    let hover = server.request(
        "textDocument/hover",
        json!({ "textDocument": { "uri": uri }, "position": { "line": 1, "character": 2 } }),
    );
    let shown = hover["contents"].to_string();
    eprintln!("yaml-language-server hover on agency: {shown}");
    let schema = std::fs::read_to_string(root.join("content/schemas/agency.schema.json")).unwrap();
    let schema: Value = serde_json::from_str(&schema).unwrap();
    let title = schema["properties"]["agency"]["title"].as_str().unwrap();
    assert!(
        shown.contains(&format!("#### {title}")) && shown.contains("the agency's name"),
        "{hover}"
    );
}

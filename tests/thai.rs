//! Thai text as readers get it: every paragraph and table cell of the FY 2569 report copies out
//! verbatim in five PDF text extractors, and lines break between words. The measuring scripts
//! are in tests/extract/ (Python and Node; `.ci/run` installs what they need).

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

fn build(dir: &Path) -> PathBuf {
    let out = Command::new(env!("CARGO_BIN_EXE_oit025"))
        .current_dir(dir)
        .arg("build")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir.join("output/2569/oit025-2569.pdf")
}

/// Runs a measuring script of tests/extract/ and reads the JSON object it prints.
fn measure(script: &str, args: &[&Path]) -> serde_json::Value {
    let path = common::manifest_dir().join("tests/extract").join(script);
    let out = Command::new("python3")
        .arg(&path)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("python3 is needed for {script}: {e}"));
    assert!(
        out.status.success(),
        "{script} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn every_paragraph_and_cell_copies_out_verbatim_in_five_extractors() {
    let dir = common::project();
    let pdf = build(dir.path());
    let content = dir.path().join("content/2569");
    let template = dir.path().join("templates/report.typ");
    let result = measure("copyout.py", &[&pdf, &content, &template]);
    let expected = result["expected"].as_u64().unwrap();
    assert!(expected > 150, "too few expected items: {result}");
    for name in ["poppler", "pdfium", "pdfjs", "pypdf", "pdfminer"] {
        let r = &result["extractors"][name];
        assert_eq!(
            r["found"].as_u64(),
            Some(expected),
            "{name} does not copy out every item verbatim: {r}"
        );
    }
}

#[test]
fn thai_lines_break_between_words() {
    let dir = common::project();
    let pdf = build(dir.path());
    let m = measure("linebreaks.py", &[&pdf]);
    let breaks = m["thai_breaks"].as_f64().unwrap();
    assert!(breaks > 100.0, "too few Thai line breaks measured: {m}");
    let share = |key: &str| m[key].as_f64().unwrap() / breaks;
    assert!(share("between") >= 0.95, "under 95% between words: {m}");
    assert!(share("inside") < 0.01, "1% or more inside words: {m}");
    assert_eq!(m["repeat_mark_starts_line"], 0, "ๆ or ฯ starts a line: {m}");
    assert!(m["line_pairs_checked"].as_u64().unwrap() > 100, "{m}");
    assert_eq!(m["touching"], 0, "marks of adjacent lines touch: {m}");
}

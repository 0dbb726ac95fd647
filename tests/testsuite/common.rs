//! What the test binaries share: a fresh project folder holding the bundled content and templates.
//! Each test binary uses a part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A fresh project folder holding the bundled content and templates, nothing else.
pub fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&manifest_dir().join("content"), &dir.path().join("content"));
    copy_dir(
        &manifest_dir().join("templates"),
        &dir.path().join("templates"),
    );
    dir
}

/// Replaces the first `from` in a file, which must hold it.
pub fn replace_in(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// What installs each outside tool the tests read the PDF or the site with.
fn install_hint(tool: &str) -> &'static str {
    match tool {
        "pdftotext" | "pdffonts" | "pdfinfo" | "pdfdetach" | "pdftoppm" => {
            "apt-get install poppler-utils"
        }
        "qpdf" => "apt-get install qpdf",
        "chromium" => "apt-get install chromium",
        "frictionless" => "pip install frictionless",
        "check-jsonschema" => "pip install -r tests/editor/requirements.txt",
        "node" => "apt-get install nodejs npm",
        _ => "apt-get install python3",
    }
}

/// Runs an outside tool. A tool that is not installed fails the test with one line naming it and
/// the command that installs it, instead of an error deep in the test.
pub fn output(cmd: &mut std::process::Command) -> std::process::Output {
    let name = cmd.get_program().to_string_lossy().into_owned();
    match cmd.output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
            "{name} is not installed: `{}` installs it (./test installs all the tests need)",
            install_hint(&name)
        ),
        Err(e) => panic!("{name} could not be started: {e}"),
    }
}

/// The Python packages and pdf.js the measuring scripts of tests/extract/ import; one line names
/// what is missing and the command that installs it.
pub fn require_extractors() {
    let dir = manifest_dir().join("tests/extract");
    let probe = output(std::process::Command::new("python3").args([
        "-c",
        "import pypdf, pdfminer, pypdfium2, pythainlp, yaml, onnxruntime",
    ]));
    assert!(
        probe.status.success(),
        "Python packages of tests/extract are missing: `pip install -r tests/extract/requirements.txt` installs them (./test installs all the tests need)"
    );
    output(std::process::Command::new("node").arg("--version"));
    assert!(
        dir.join("node_modules/pdfjs-dist").is_dir(),
        "pdf.js is missing: `npm ci --prefix tests/extract` installs it (./test installs all the tests need)"
    );
}

/// Runs the real binary in `dir`, as a user would from that folder.
pub fn oit025(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_oit025"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

/// What a run printed on standard error, lossily decoded.
pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs a measuring script of tests/extract/ (Python, with the extractors installed) and reads
/// the JSON object it prints.
pub fn measure(script: &str, args: &[&Path]) -> serde_json::Value {
    let path = manifest_dir().join("tests/extract").join(script);
    require_extractors();
    let out = output(std::process::Command::new("python3").arg(&path).args(args));
    assert!(
        out.status.success(),
        "{script} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// What `oit025 check --format json` reports in `dir`: one JSON object a diagnostic, in order.
pub fn check_json(dir: &Path) -> Vec<serde_json::Value> {
    let out = oit025(dir, &["check", "--format", "json"]);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The codes (docs/diagnostics.md) of the problems `oit025 check` finds in `dir`, in order: what
/// a test asks when it asks which problem was found, so that it does not match message words.
pub fn codes(dir: &Path) -> Vec<String> {
    check_json(dir)
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The width of a space of the body text (11 pt Sarabun), in points, from the font itself: the
/// unit the holes tests measure gaps in.
pub fn body_space() -> f64 {
    let font = std::fs::read(manifest_dir().join("fonts/Sarabun-Regular.ttf")).unwrap();
    let face = ttf_parser::Face::parse(&font, 0).unwrap();
    let glyph = face.glyph_index(' ').unwrap();
    11.0 * f64::from(face.glyph_hor_advance(glyph).unwrap()) / f64::from(face.units_per_em())
}

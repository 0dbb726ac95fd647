//! The website bundle: files, open data checked by a real validator (frictionless), and the pages
//! opened in headless Chromium from a local server, with their rendered text asserted and screenshots.

use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

fn oit025(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_oit025"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn published() -> (tempfile::TempDir, PathBuf) {
    let dir = common::project();
    let out = oit025(dir.path(), &["publish"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let site = dir.path().join("output/site");
    (dir, site)
}

#[test]
fn site_has_pdf_page_and_open_data_matching_the_report() {
    let (dir, site) = published();
    for f in [
        "index.html",
        "fonts/Sarabun-Regular.ttf",
        "fonts/Sarabun-Bold.ttf",
        "fonts/OFL.txt",
    ] {
        assert!(site.join(f).is_file(), "{f}");
    }
    let pdf = std::fs::read(site.join("2569/oit025-2569.pdf")).unwrap();
    assert_eq!(
        pdf,
        std::fs::read(dir.path().join("output/2569/oit025-2569.pdf")).unwrap()
    );
    let index = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(index.contains("lang=\"th\"") && index.contains("พ.ศ. ๒๕๖๙"));
    assert!(
        index.contains(&oit025::seal::sha256_hex(&pdf)),
        "index lacks the PDF's SHA-256"
    );
    assert!(
        !index.contains("http://") && !index.contains("https://"),
        "external asset in index.html"
    );
    let page = std::fs::read_to_string(site.join("2569/index.html")).unwrap();
    for needle in [
        "<table>",
        "scope=\"col\"",
        "๙๒.๖๑",
        "มาตรการที่ ๑๑",
        "๑๒ ตุลาคม ๒๕๖๙",
        "i15",
    ] {
        assert!(page.contains(needle), "{needle} missing from the year page");
    }
    // CSV opens in Excel as UTF-8 (byte-order mark) and carries the same figures.
    let scores = std::fs::read(site.join("2569/scores.csv")).unwrap();
    assert!(scores.starts_with(b"\xEF\xBB\xBF"));
    let scores = String::from_utf8(scores).unwrap();
    assert!(
        scores.contains("2568,IIT,4,การใช้ทรัพย์สินของราชการ,71.57,86.10,เพิ่ม,ต่ำสุด"),
        "{scores}"
    );
    assert!(
        scores.contains("2568,ITA,,ผลการประเมิน ITA ภาพรวม,86.05,92.61,เพิ่ม,"),
        "{scores}"
    );
    let data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("2569/data.json")).unwrap()).unwrap();
    assert_eq!(data["ita"]["current"], 92.61);
    assert_eq!(data["ita"]["rating"], "ผ่าน");
    assert_eq!(data["measures"].as_array().unwrap().len(), 11);
    assert_eq!(data["indicators"][7]["measures"], serde_json::json!([8, 9]));
}

fn frictionless(package: &Path) -> (bool, String) {
    let out = common::output(Command::new("frictionless").args([
        "validate",
        "--json",
        package.to_str().unwrap(),
    ]));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn open_data_passes_frictionless_validation() {
    let (_dir, site) = published();
    let package = site.join("2569/datapackage.json");
    let (ok, report) = frictionless(&package);
    assert!(ok, "{report}");
    assert!(report.contains("\"valid\": true"), "{report}");
    // The validator is not a rubber stamp: a broken number fails it.
    let csv = site.join("2569/scores.csv");
    let text = std::fs::read_to_string(&csv)
        .unwrap()
        .replacen("71.57", "seventy", 1);
    std::fs::write(&csv, text).unwrap();
    let (ok, report) = frictionless(&package);
    assert!(!ok && report.contains("type-error"), "{report}");
}

/// Serves a folder over HTTP on 127.0.0.1 for as long as the test runs.
fn serve(root: PathBuf) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                let path = line
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("/")
                    .trim_start_matches('/')
                    .to_string();
                let file = root.join(if path.is_empty() {
                    "index.html".into()
                } else {
                    path.clone()
                });
                let mut stream = &stream;
                match std::fs::read(&file) {
                    Ok(body) if !path.contains("..") => {
                        let kind = match file.extension().and_then(|e| e.to_str()) {
                            Some("html") => "text/html; charset=utf-8",
                            Some("ttf") => "font/ttf",
                            Some("csv") => "text/csv; charset=utf-8",
                            Some("json") => "application/json",
                            Some("pdf") => "application/pdf",
                            _ => "application/octet-stream",
                        };
                        let head = format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            body.len()
                        );
                        let _ = stream
                            .write_all(head.as_bytes())
                            .and_then(|_| stream.write_all(&body));
                    }
                    _ => {
                        let _ = stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    }
                }
            });
        }
    });
    port
}

fn chromium(profile: &Path, args: &[&str]) -> String {
    let out = common::output(
        Command::new("chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
            ])
            .args([
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(args),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn pages_render_in_headless_chromium() {
    let (dir, site) = published();
    let port = serve(site);
    let profile = dir.path().join("chromium-profile");
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("site-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    for (page, expected) in [
        (
            "index.html",
            vec!["พ.ศ. ๒๕๖๙", "oit025-2569.pdf", "สำนักเลขาธิการนายกรัฐมนตรี"],
        ),
        (
            "2569/index.html",
            vec!["ประจำปีงบประมาณ พ.ศ. ๒๕๖๙", "๙๒.๖๑", "ผ่าน", "มาตรการที่ ๑๑"],
        ),
    ] {
        let url = format!("http://127.0.0.1:{port}/{page}");
        let dom = chromium(&profile, &["--dump-dom", &url]);
        for e in expected {
            assert!(dom.contains(e), "{e} not rendered in {page}");
        }
        // A phone-sized screenshot, kept under target/ for people to look at.
        let shot = shots.join(format!("{}.png", page.replace('/', "-")));
        chromium(
            &profile,
            &[
                "--window-size=412,900",
                &format!("--screenshot={}", shot.display()),
                &url,
            ],
        );
        let png = std::fs::read(&shot).unwrap();
        assert!(
            png.starts_with(b"\x89PNG") && png.len() > 10_000,
            "{} is not a real screenshot",
            shot.display()
        );
    }
}

#[test]
fn same_content_in_another_folder_gives_the_same_bytes() {
    let (a, b) = (common::project(), common::project());
    for dir in [&a, &b] {
        assert!(oit025(dir.path(), &["build"]).status.success());
    }
    let read = |d: &tempfile::TempDir| {
        std::fs::read(d.path().join("output/2569/oit025-2569.pdf")).unwrap()
    };
    assert_eq!(
        read(&a),
        read(&b),
        "the PDF depends on where the project lives"
    );
}

#[test]
fn fresh_project_to_site_seal_and_next_year_keeps_the_sealed_pdf() {
    let dir = common::project();
    let d = dir.path();
    assert!(oit025(d, &["publish"]).status.success());
    assert!(oit025(d, &["archive", "--year", "2569"]).status.success());
    let sealed = std::fs::read(d.join("output/2569/oit025-2569.pdf")).unwrap();
    assert_eq!(
        std::fs::read(d.join("output/site/2569/oit025-2569.pdf")).unwrap(),
        sealed
    );
    assert!(oit025(d, &["new", "2570"]).status.success());
    assert_eq!(
        oit025(d, &["check", "--year", "2570"]).status.code(),
        Some(1)
    );
    // Publishing again (the year that is ready) and building everything leave the sealed PDF as it was.
    let out = oit025(d, &["publish", "--year", "2569"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        oit025(d, &["build", "--all"]).status.code(),
        Some(1),
        "2570 is not filled in yet"
    );
    let out = oit025(d, &["verify", "--all"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for pdf in [
        "output/2569/oit025-2569.pdf",
        "output/site/2569/oit025-2569.pdf",
    ] {
        assert_eq!(std::fs::read(d.join(pdf)).unwrap(), sealed, "{pdf} changed");
    }
}

/// The site's index and the PDFs in it, as a reader sees them: every year's PDF is named in
/// the index with its SHA-256.
fn index_matches_its_pdfs(site: &Path) -> Result<(), String> {
    let index = std::fs::read_to_string(site.join("index.html")).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(site).unwrap().filter_map(Result::ok) {
        let year = entry.file_name().to_string_lossy().into_owned();
        if !year.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let pdf = std::fs::read(entry.path().join(format!("oit025-{year}.pdf")))
            .map_err(|e| format!("{year}: {e}"))?;
        if !index.contains(&oit025::seal::sha256_hex(&pdf)) {
            return Err(format!(
                "the index does not list the SHA-256 of {year}'s PDF"
            ));
        }
    }
    Ok(())
}

/// Issue 34: `new 2570`, an edit to 2569, then `publish`: 2570 failed after 2569's files in the
/// site were rewritten, and the index listed a SHA-256 that was no longer its PDF's. Every year
/// is built and checked before the site is touched.
#[test]
fn a_year_that_fails_leaves_the_site_as_it_was() {
    let (dir, site) = published();
    let root = dir.path();
    let before = std::fs::read(site.join("2569/oit025-2569.pdf")).unwrap();
    let out = oit025(root, &["new", "2570"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    common::replace_in(
        &root.join("content/2569/scores.yaml"),
        "rank: 126",
        "rank: 3",
    );
    let out = oit025(root, &["publish"]);
    assert!(
        !out.status.success(),
        "2570 is not filled in, yet publish passed"
    );
    assert_eq!(
        std::fs::read(site.join("2569/oit025-2569.pdf")).unwrap(),
        before,
        "2569's PDF in the site changed though the publish failed"
    );
    index_matches_its_pdfs(&site).unwrap();
    assert!(!site.join("2570").exists());
}

/// A publish killed at any step of writing the site (the fault injection of
/// `files::replace_dir` aborts the process there, as a kill would) leaves the old site or the
/// new one, each with an index that matches its PDFs; the next publish succeeds.
#[test]
fn a_publish_killed_at_any_step_leaves_a_whole_site() {
    let (dir, site) = published();
    let root = dir.path();
    let old_index = std::fs::read(site.join("index.html")).unwrap();
    common::replace_in(
        &root.join("content/2569/scores.yaml"),
        "rank: 126",
        "rank: 3",
    );
    let (mut killed, mut step) = (0, 0);
    loop {
        let out = Command::new(env!("CARGO_BIN_EXE_oit025"))
            .current_dir(root)
            .arg("publish")
            .env(oit025::files::ABORT_AT_STEP, step.to_string())
            .output()
            .unwrap();
        index_matches_its_pdfs(&site).unwrap_or_else(|e| panic!("killed at step {step}: {e}"));
        if out.status.success() {
            break;
        }
        assert!(
            out.status.code().is_none(),
            "step {step}: publish failed instead of being killed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        killed += 1;
        step += 1;
        assert!(step < 100, "publish never finished");
    }
    assert!(killed >= 10, "only {killed} steps were tried");
    let new_index = std::fs::read(site.join("index.html")).unwrap();
    assert_ne!(new_index, old_index, "the edit did not reach the site");
    let out = oit025(root, &["publish"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    index_matches_its_pdfs(&site).unwrap();
}

/// Issue 34: project fonts were not copied into the published site, so a page holding Lao showed
/// it in whatever font the reader's browser had. The site carries each font the build used, under
/// a name it makes (never the file's own name, which is the user's text), and its pages load it
/// after Sarabun.
#[test]
fn the_fonts_a_project_adds_go_with_its_site() {
    let dir = common::project();
    let root = dir.path();
    let agency = root.join("content/2569/agency.yaml");
    let text = std::fs::read_to_string(&agency).unwrap();
    let head = text
        .lines()
        .find(|l| l.trim_start().starts_with("head:"))
        .unwrap();
    common::replace_in(&agency, head, &format!("{head} ແລະ"));
    let fonts = root.join("fonts");
    std::fs::create_dir(&fonts).unwrap();
    let lao = common::manifest_dir().join("tests/fixtures/fonts/NotoSansLao-Regular.ttf");
    std::fs::copy(&lao, fonts.join("a\"b.ttf")).unwrap();
    let out = oit025(root, &["publish"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let site = root.join("output/site");
    assert_eq!(
        std::fs::read(site.join("fonts/project-1.ttf")).unwrap(),
        std::fs::read(&lao).unwrap()
    );
    for page in ["index.html", "2569/index.html"] {
        let html = std::fs::read_to_string(site.join(page)).unwrap();
        assert!(
            html.contains("fonts/project-1.ttf\")"),
            "{page} does not load the font"
        );
        assert!(
            html.contains("font-family: Sarabun, Project1, sans-serif"),
            "{page}"
        );
        assert!(!html.contains("a\"b"), "{page} holds the font's file name");
    }
}

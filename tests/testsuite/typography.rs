//! Typography that holds for any agency's text (issue #22): every character a user writes either
//! prints as written or `check` stops it at its field; bidi controls stay inside their field;
//! ligatures copy out as their letters; long words wrap; invisible characters are reported;
//! table rows split over a page only where each part keeps its lines; justified lines open no
//! holes.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::oit025;
use crate::common::{self, project, replace_in};

fn agency(dir: &Path) -> PathBuf {
    dir.join("content/2569/agency.yaml")
}

/// The diagnostics of `check --format json`, one object each.
fn check_json(dir: &Path) -> (bool, Vec<serde_json::Value>) {
    let out = oit025(dir, &["check", "--format", "json"]);
    let diags = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    (out.status.success(), diags)
}

fn build(dir: &Path) -> PathBuf {
    let out = oit025(dir, &["build"]);
    assert!(
        out.status.success(),
        "build failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir.join("output/2569/oit025-2569.pdf")
}

/// The PDF's text as pdftotext copies it out, with `args` before the file.
fn pdftotext(pdf: &Path, args: &[&str]) -> String {
    let out = common::output(Command::new("pdftotext").args(args).arg(pdf).arg("-"));
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect()
}

/// The head of the agency is printed in section 7 just before the template's "ทราบต่อไป".
const HEAD: &str = "head: เลขาธิการนายกรัฐมนตรี";

#[test]
fn characters_the_fonts_lack_are_stopped_at_their_field() {
    // Written as YAML escapes in a double-quoted scalar: emoji, check mark, Chinese, Lao, Khmer,
    // private use, a byte order mark and a control character.
    for code in [
        "1F600", "2713", "4E2D", "0EA5", "1780", "E000", "FEFF", "0007",
    ] {
        let dir = project();
        let escape = if code.len() > 4 {
            format!("\\U{code:0>8}")
        } else {
            format!("\\u{code}")
        };
        replace_in(
            &agency(dir.path()),
            HEAD,
            &format!("head: \"เลขาธิการ{escape}นายกรัฐมนตรี\""),
        );
        let (ok, diags) = check_json(dir.path());
        assert!(!ok, "U+{code} passed check: {diags:?}");
        let d = naming(&diags, code);
        assert_eq!(d["severity"], "error", "{d}");
        assert_eq!(d["file"], "content/2569/agency.yaml", "{d}");
        assert_eq!(d["line"], 11, "{d}");
        assert_eq!(d["field"], "agency.head", "{d}");
        assert!(
            d["th"].as_str().unwrap().contains(&format!("U+{code}")),
            "{d}"
        );
    }
    // Written as itself, the character's own column is named.
    let dir = project();
    replace_in(&agency(dir.path()), HEAD, "head: เลขาธิการ✓นายกรัฐมนตรี");
    let (ok, diags) = check_json(dir.path());
    assert!(!ok);
    let d = diags.iter().find(|d| d["field"] == "agency.head").unwrap();
    assert_eq!(
        (d["line"].clone(), d["column"].clone()),
        (11.into(), 18.into()),
        "{d}"
    );
    assert!(d["en"].as_str().unwrap().contains("U+2713 \"✓\""), "{d}");
}

#[test]
fn a_bidi_override_does_not_reach_past_its_field() {
    for control in ["\\u202E", "\\u202B", "\\u2067"] {
        let dir = project();
        replace_in(
            &agency(dir.path()),
            HEAD,
            &format!("head: \"เลขาธิการ{control}นายกรัฐมนตรี\""),
        );
        let text = squash(&pdftotext(&build(dir.path()), &[]));
        assert!(
            text.contains("ทราบต่อไป"),
            "{control}: the template's text after the field is out of order"
        );
    }
}

#[test]
fn latin_ligatures_copy_out_as_their_letters() {
    let dir = project();
    replace_in(
        &agency(dir.path()),
        "(Integrity and Transparency Assessment : ITA)",
        "(Integrity and Transparency Assessment : ITA) file fluff office",
    );
    let text = pdftotext(&build(dir.path()), &[]);
    assert!(
        text.contains("file fluff office"),
        "ligatures in the copied text: {:?}",
        text.lines().find(|l| l.contains("ITA) ")).unwrap_or("")
    );
}

/// Right edge of every word pdftotext finds, in points, with the page's width.
fn word_boxes(pdf: &Path) -> Vec<(f64, f64, String)> {
    let html = pdftotext(pdf, &["-bbox"]);
    let mut width = 0.0;
    let mut out = Vec::new();
    let attr = |line: &str, name: &str| -> Option<f64> {
        let at = line.find(&format!(" {name}=\""))? + name.len() + 3;
        line[at..].split('"').next()?.parse().ok()
    };
    for line in html.lines() {
        if line.contains("<page ") {
            width = attr(line, "width").unwrap();
        } else if line.contains("<word ") {
            let word = line
                .split('>')
                .nth(1)
                .unwrap_or("")
                .split('<')
                .next()
                .unwrap_or("");
            out.push((attr(line, "xMax").unwrap(), width, word.to_string()));
        }
    }
    out
}

#[test]
fn long_latin_words_and_urls_wrap_inside_the_page_and_their_cell() {
    let dir = project();
    let word = "a".repeat(10_000);
    let url = format!(
        "https://example.org/{}",
        "segment-of-a-long-path/".repeat(12)
    );
    replace_in(
        &agency(dir.path()),
        "(Integrity and Transparency Assessment : ITA)",
        &format!("(Integrity and Transparency Assessment : ITA) {word}"),
    );
    replace_in(
        &dir.path().join("content/2569/measures.yaml"),
        "ผ่านช่องทางต่าง ๆ",
        &format!("ผ่านช่องทางต่าง ๆ {url}"),
    );
    let pdf = build(dir.path());
    let boxes = word_boxes(&pdf);
    assert!(boxes.len() > 100);
    // The right margin is 2 cm: nothing may be drawn past it.
    let outside: Vec<_> = boxes
        .iter()
        .filter(|(x, width, _)| *x > width - 2.0 * 72.0 / 2.54 + 1.0)
        .map(|(x, _, w)| format!("{x}: {}", w.chars().take(40).collect::<String>()))
        .collect();
    assert!(
        outside.is_empty(),
        "drawn past the right margin: {outside:?}"
    );
    // The word runs over pages: their page numbers ("- ๓ -") come between its parts.
    let text: String = pdftotext(&pdf, &[])
        .lines()
        .map(squash)
        .filter(|l| {
            let number = l.trim_start_matches('\u{c}').trim_matches('-');
            !(l.ends_with('-') && number.chars().all(char::is_numeric))
        })
        .collect();
    assert!(
        text.contains(&word),
        "the long word is not copied out whole"
    );
    // In content-stream order, so that the other cells of its row do not come between its lines.
    let raw = squash(&pdftotext(&pdf, &["-raw"]));
    assert!(raw.contains(&url), "the URL is not copied out whole");
    // In its table cell: the measures' table has no glyph past its cell either.
    assert_eq!(overflowing(dir.path()), 0, "a glyph sticks out of its cell");
}

/// How many text runs stick out of the frame (cell) they were laid out in.
fn overflowing(root: &Path) -> usize {
    use oit025::build;
    use oit025::diag::SourceMap;
    use oit025::template::{self, Digits};
    let mut sources = SourceMap::default();
    let (report, figures, _) = build::check(root, 2569, &mut sources).unwrap();
    let env = template::environment(Some(&root.join("templates")), Digits::Thai);
    let source = template::render(&env, &report, &figures, Digits::Thai).unwrap();
    let mut world = oit025::pdf::ReportWorld::new(root, source, None);
    let (document, _) = oit025::pdf::layout(&mut world, &mut sources).ok().unwrap();
    document.overflows()
}

#[test]
fn invisible_characters_are_reported_where_they_are() {
    for code in ["200C", "200D", "2060", "00AD"] {
        let dir = project();
        replace_in(
            &agency(dir.path()),
            HEAD,
            &format!("head: \"เลขาธิการ\\u{code}นายกรัฐมนตรี\""),
        );
        let (ok, diags) = check_json(dir.path());
        assert!(ok, "an invisible character is no error: {diags:?}");
        let d = naming(&diags, code);
        assert_eq!(d["severity"], "warning", "{d}");
        assert_eq!(
            (d["line"].clone(), d["field"].clone()),
            (11.into(), "agency.head".into()),
            "{d}"
        );
        assert!(d["en"].as_str().unwrap().contains("invisible"), "{d}");
    }
}

/// The diagnostic whose English message names the character U+`code`.
fn naming<'a>(diags: &'a [serde_json::Value], code: &str) -> &'a serde_json::Value {
    diags
        .iter()
        .find(|d| {
            d["en"]
                .as_str()
                .unwrap_or("")
                .contains(&format!("U+{code}"))
        })
        .unwrap_or_else(|| panic!("no diagnostic names U+{code}: {diags:?}"))
}

/// The municipality's project (tests/fixtures/municipality, with the bundled templates) in a
/// fresh folder.
fn municipality() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(
        &common::manifest_dir().join("tests/fixtures/municipality"),
        dir.path(),
    );
    dir
}

/// The bundled report and the municipality's, built: (name, project, PDF).
fn both_reports() -> Vec<(&'static str, tempfile::TempDir, PathBuf)> {
    [("bundled", project()), ("municipality", municipality())]
        .into_iter()
        .map(|(name, dir)| {
            let pdf = build(dir.path());
            (name, dir, pdf)
        })
        .collect()
}

/// Runs a measuring script of tests/extract/ on a PDF and reads the JSON object it prints.
fn measure(script: &str, pdf: &Path) -> serde_json::Value {
    let path = common::manifest_dir().join("tests/extract").join(script);
    let out = common::output(Command::new("python3").arg(&path).arg(pdf));
    assert!(
        out.status.success(),
        "{script} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn table_rows_split_only_where_each_part_keeps_its_lines() {
    // From the tagged PDF (tests/extract/rows.py): a cell whose text lies on two pages was split
    // there; its lines on each page are the baselines of its text there.
    for (name, _dir, pdf) in both_reports() {
        let m = measure("rows.py", &pdf);
        assert!(
            m["rows_split"].as_u64().unwrap() > 0,
            "{name}: no row splits, nothing measured: {m}"
        );
        // Each split cell keeps two lines on each side of the page break.
        assert_eq!(m["short_parts"], 0, "{name}: a lone line of a cell: {m}");
        // A row starting at a page foot keeps three lines there, or moves whole (page 8 of both
        // reports put two lines of a question there and the rest over the page).
        assert_eq!(
            m["short_row_starts"], 0,
            "{name}: a row starts at the page foot with under three lines: {m}"
        );
        // No cell of a row starts on the next page, empty at the foot.
        assert_eq!(m["late_cells"], 0, "{name}: a row torn apart: {m}");
    }
}

#[test]
fn justified_lines_have_no_holes() {
    // The width of a space of the body text, 11 pt Sarabun, from the font itself.
    let font = std::fs::read(common::manifest_dir().join("fonts/Sarabun-Regular.ttf")).unwrap();
    let face = ttf_parser::Face::parse(&font, 0).unwrap();
    let glyph = face.glyph_index(' ').unwrap();
    let space =
        11.0 * f64::from(face.glyph_hor_advance(glyph).unwrap()) / f64::from(face.units_per_em());
    for (name, _dir, pdf) in both_reports() {
        // tests/extract/gaps.py: the widest gap between two words of a justified body line.
        let m = measure("gaps.py", &pdf);
        assert!(
            m["justified_lines"].as_u64().unwrap() > 20,
            "{name}: too few justified lines measured: {m}"
        );
        let natural = m["natural_gap"].as_f64().unwrap();
        assert!(
            (natural - space).abs() < 0.1,
            "{name}: a space is drawn {natural} pt wide, the font's is {space:.2} pt: {m}"
        );
        // Before (tracking up to 0.02 em): 10.59 pt (3.96 spaces) in the bundled report, 8.67 pt
        // (3.24 spaces) in the municipality's.
        let widest = m["widest_gap"].as_f64().unwrap();
        assert!(
            widest < 2.5 * space,
            "{name}: a hole of {widest} pt, {:.2} spaces: {m}",
            widest / space
        );
    }
}

//! Thai text as readers get it: every paragraph and table cell of the FY 2569 report copies out
//! verbatim in five PDF text extractors, and lines break between words. The measuring scripts
//! are in tests/extract/ (Python and Node; `.ci/run` installs what they need).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{self, measure};

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
    // The bundled report, and a municipality's (its own unit names and abbreviation).
    let bundled = common::project();
    let municipality = tempfile::tempdir().unwrap();
    common::copy_dir(
        &common::manifest_dir().join("tests/fixtures/municipality/content"),
        &municipality.path().join("content"),
    );
    for dir in [bundled.path(), municipality.path()] {
        let pdf = build(dir);
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
}

/// Lays out a project's FY 2569 report and says how many lines stick out of their cell.
fn overflows(root: &Path) -> (usize, String) {
    use oit025::diag::SourceMap;
    use oit025::template::{self, Digits};
    let mut sources = SourceMap::default();
    let checked = oit025::pipeline::check(root, 2569, &mut sources)
        .ok()
        .unwrap();
    let (report, figures) = (checked.report, checked.figures);
    let env = template::environment(Some(&root.join("templates")), Digits::Thai);
    let source = template::render(&env, &report, &figures, Digits::Thai).unwrap();
    let mut world = oit025::pdf::ReportWorld::new(root, source, None);
    let (document, _) = oit025::pdf::layout(&mut world, &mut sources).ok().unwrap();
    (document.overflows(), world.source_text().to_string())
}

#[test]
fn no_word_sticks_out_of_its_cell() {
    let dir = common::project();
    assert_eq!(overflows(dir.path()).0, 0);

    // A unit whose name is kept whole (a glossary term) and is wider than the narrow column of
    // section 6: it breaks between its clusters in that cell, and nowhere else.
    let long = "ศูนย์ปฏิบัติการต่อต้านการทุจริตแห่งชาติ";
    let year = dir.path().join("content/2569");
    let edit = |file: &str, from: &str, to: &str| {
        let path = year.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file}: {from}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit(
        "agency.yaml",
        "  - code: สสจ.\n",
        &format!("  - code: สสจ.\n  - code: {long}\n"),
    );
    edit(
        "agency.yaml",
        "glossary: []",
        &format!("glossary: [{long}]"),
    );
    edit(
        "measures.yaml",
        "units: [สสจ., ทุกหน่วยงาน]",
        &format!("units: [{long}, ทุกหน่วยงาน]"),
    );
    let (count, source) = overflows(dir.path());
    assert_eq!(count, 0, "the long unit sticks out of its cell");
    let broken = source.matches('\u{200B}').count();
    let whole = source.replace('\u{200B}', "");
    assert_eq!(
        whole.matches(long).count(),
        source.matches(long).count() + 1,
        "exactly one occurrence (the cell) got cluster breaks; {broken} marks"
    );
}

#[test]
fn the_rewritten_pdf_is_sound_and_still_archival() {
    let dir = common::project();
    let pdf = build(dir.path());
    // qpdf decodes every object and stream: a stream compressed twice or a broken xref fails.
    let out = common::output(Command::new("qpdf").arg("--check").arg(&pdf));
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && report.contains("No syntax or stream encoding errors"),
        "{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&pdf).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        bytes.starts_with(b"%PDF-1.7\n%"),
        "header with a binary comment"
    );
    assert!(text.contains("/ID["), "trailer keeps the document ID");
    assert!(text.contains("/Lang(th)"), "the catalog declares Thai");
    assert!(
        !text.contains("(zh)"),
        "no text is tagged with the layout language"
    );
}

#[test]
fn bookmarks_and_tags_hold_the_headings_without_break_marks() {
    let dir = common::project();
    let pdf = lopdf::Document::load(build(dir.path())).unwrap();
    let mut titles = Vec::new();
    let mut marked = Vec::new();
    for object in pdf.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        for (key, value) in dict.iter() {
            let Ok(text) = lopdf::decode_text_string(value) else {
                continue;
            };
            // The break mark and the glue of "พ.ศ. ๒๕๖๘" (U+2060).
            if text.contains(['\u{200B}', '\u{2060}']) {
                marked.push(text.clone());
            }
            if key == b"Title" {
                titles.push(text);
            }
        }
    }
    assert!(
        marked.is_empty(),
        "text strings with break marks: {marked:?}"
    );
    assert!(
        titles.iter().any(|t| t.contains("หลักการและเหตุผล")),
        "no bookmark spells the first heading: {titles:?}"
    );
}

/// ญ and ฐ lose their lower part before a vowel below (ญู, ฐุ), ฎ and ฏ get a shorter one, and
/// Vietnamese ẳ and ẩ stack two accents in one glyph: Sarabun names those glyphs yoYingthai.less,
/// doChadathai.short, circumflex_hookabove; the text layer once found no text for those names and
/// refused to write the PDF.
#[test]
fn letters_drawn_in_their_other_forms_build_and_copy_out() {
    let dir = common::project();
    let words = "บุญญู ฐุ ฎุ ฏุ กุฬุ ẳ ẩ";
    let agency = dir.path().join("content/2569/agency.yaml");
    common::replace_in(
        &agency,
        "head: เลขาธิการนายกรัฐมนตรี",
        &format!("head: เลขาธิการนายกรัฐมนตรี {words}"),
    );
    let pdf = build(dir.path());
    let out = common::output(Command::new("pdftotext").arg(&pdf).arg("-"));
    let text: String = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect();
    let want: String = words.split_whitespace().collect();
    assert!(text.contains(&want), "{want} not in the copied text");
}

/// pdftotext's default and -layout modes read no space inside a word, on the bundled report and
/// the three agencies of tests/fixtures. Before, they read เครื่ องมือ, เพื่ อ, ปรับปรุ ง (10 in
/// these four reports each): a mark GPOS moves back left ended its /ActualText span short of
/// the letters, and in a justified line the gap to the next letter passed poppler's word break
/// (see `widen_shifted_ends` in crates/pdf-textlayer). What each extractor reads is in the README.
#[test]
fn pdftotext_reads_no_space_inside_a_word() {
    let bundled = common::project();
    let mut dirs = vec![bundled];
    for name in ["municipality", "education-office", "health-office"] {
        let dir = tempfile::tempdir().unwrap();
        common::copy_dir(
            &common::manifest_dir().join("tests/fixtures").join(name),
            dir.path(),
        );
        dirs.push(dir);
    }
    let pdfs: Vec<PathBuf> = dirs
        .iter()
        .map(|d| {
            build(d.path());
            // The year built: the content's one year folder.
            let year = std::fs::read_dir(d.path().join("content"))
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
                .max()
                .unwrap();
            d.path().join(format!("output/{year}/oit025-{year}.pdf"))
        })
        .collect();
    let args: Vec<&Path> = pdfs.iter().map(PathBuf::as_path).collect();
    // tests/extract/innerspaces.py: single spaces between two Thai characters that the text in
    // content order (pdftotext -raw) does not have there.
    let m = measure("innerspaces.py", &args);
    for mode in ["poppler", "poppler_layout"] {
        let r = &m[mode];
        assert!(
            r["checked"].as_u64().unwrap() > 500,
            "too few spaces read: {m}"
        );
        assert_eq!(r["inside"], 0, "{mode} reads spaces inside words: {r}");
    }
    // The other extractors the README names read none either.
    for name in ["pdfium", "pdfjs", "pypdf"] {
        assert_eq!(m[name]["inside"], 0, "{name}: {}", m[name]);
    }
}

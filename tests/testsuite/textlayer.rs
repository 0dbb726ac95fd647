//! The PDF text layer (the `pdf-textlayer` crate) on what oit025 makes: the crate's fixture is
//! still typst's PDF of its source as oit025 lays text out, and every page of the bundled report
//! reads back, through the rewritten ToUnicode maps and through the /ActualText spans, as the
//! text typst laid out on it.

use std::path::PathBuf;

use oit025::diag::SourceMap;
use oit025::pdf;
use oit025::template::{self, Digits};

use crate::common;

fn fixtures() -> PathBuf {
    common::manifest_dir().join("crates/pdf-textlayer/tests/fixtures")
}

/// typst's PDF of the fixture's source, laid out as oit025 lays out a report, before the text
/// layer.
fn fixture_pdf() -> Vec<u8> {
    let typ = std::fs::read_to_string(fixtures().join("thai.typ")).unwrap();
    let glossary = oit025::words::Glossary::new(std::iter::empty());
    let source = oit025::words::mark_source(&typ, &glossary);
    let dir = tempfile::tempdir().unwrap();
    let mut world = pdf::ReportWorld::new(dir.path(), source, None);
    let (document, _) = pdf::layout(&mut world, &mut SourceMap::default())
        .ok()
        .unwrap();
    let exported = pdf::export_typst(&world, &document, "pdf-textlayer fixture");
    exported.unwrap_or_else(|d| panic!("{}", SourceMap::default().render(&d.0)))
}

/// The crate tests itself on this fixture: it must stay what oit025 makes of its source, or the
/// crate's tests test a PDF oit025 no longer writes. `OIT025_BLESS=1 ./test textlayer::` writes
/// it again (after a typst upgrade, say).
#[test]
fn the_text_layer_fixture_is_what_oit025_makes_of_its_source() {
    let made = fixture_pdf();
    let path = fixtures().join("thai.pdf");
    if std::env::var_os("OIT025_BLESS").is_some() {
        std::fs::write(&path, &made).unwrap();
    }
    let committed = std::fs::read(&path).unwrap();
    assert!(
        made == committed,
        "{} is not what oit025 makes of thai.typ ({} bytes made, {} committed); \
         write it again with OIT025_BLESS=1 ./test textlayer::",
        path.display(),
        made.len(),
        committed.len()
    );
    assert!(
        made.len() < 300_000,
        "the fixture grew to {} bytes",
        made.len()
    );
}

/// Text without white space (spaces, line ends, no-break spaces): lines are laid out apart.
fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn every_page_of_the_bundled_report_reads_as_laid_out() {
    let root = common::manifest_dir();
    let mut sources = SourceMap::default();
    let checked = oit025::pipeline::check(&root, 2569, &mut sources)
        .ok()
        .unwrap();
    let (report, figures) = (checked.report, checked.figures);
    let env = template::environment(Some(&root.join("templates")), Digits::Thai);
    let source = template::render(&env, &report, &figures, Digits::Thai)
        .ok()
        .unwrap();
    let mut world = pdf::ReportWorld::new(&root, source, None);
    let (document, _) = pdf::layout(&mut world, &mut sources).ok().unwrap();
    let laid_out = document.page_texts();
    let options = pdf::ExportOptions {
        ident: "test".into(),
    };
    let bytes = pdf::export(&world, &document, &options, &mut pdf::text_layer(false))
        .ok()
        .unwrap();
    let pages = pdf_textlayer::decode_pages(&bytes).unwrap();
    assert_eq!(pages.len(), laid_out.len());
    assert!(pages.len() > 10, "{} pages", pages.len());
    for (k, (page, laid)) in pages.iter().zip(&laid_out).enumerate() {
        let want = squeezed(laid);
        assert!(want.chars().filter(|c| ('ก'..='๛').contains(c)).count() > 100);
        assert_eq!(
            squeezed(&page.glyphs),
            want,
            "page {}: glyph by glyph",
            k + 1
        );
        assert_eq!(
            squeezed(&page.actual_text),
            want,
            "page {}: through /ActualText",
            k + 1
        );
    }
    // typst's own text layer does not read so: the comparison can fail.
    let typst = pdf::export_typst(&world, &document, "test").ok().unwrap();
    let typst_pages = pdf_textlayer::decode_pages(&typst).unwrap();
    let wrong = (typst_pages.iter().zip(&laid_out))
        .filter(|(page, laid)| squeezed(&page.glyphs) != squeezed(laid))
        .count();
    assert!(wrong > 0, "typst's own PDF reads right glyph by glyph");
}

/// Every glyph of the embedded fonts has a text, through their cmaps, the names oit025 gives
/// (`pdf::SARABUN_NAMES`) and the Adobe Glyph List's rules: a glyph without one makes the text
/// layer refuse the PDF (`Error::GlyphWithoutText`), so one that only some text reaches (ญู)
/// would fail a build.
#[test]
fn every_glyph_of_the_embedded_fonts_has_a_text() {
    let mut without = Vec::new();
    for data in pdf::FONT_FILES {
        let face = ttf_parser::Face::parse(data, 0).unwrap();
        for g in 1..face.number_of_glyphs() {
            let name = face.glyph_name(ttf_parser::GlyphId(g)).unwrap_or("(none)");
            if pdf::GLYPHS.text(name).is_none() && !without.iter().any(|n| n == name) {
                without.push(name.to_string());
            }
        }
    }
    assert!(without.is_empty(), "glyphs without a text: {without:?}");
}

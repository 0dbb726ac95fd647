//! The rewrite on typst's own PDF of `fixtures/thai.typ` (see `fixtures/README.md`): every page
//! reads as the source through the rewritten ToUnicode maps and through the /ActualText spans,
//! and a PDF that is not as typst 0.15.1 writes it is a typed error naming what changed.

use std::io::{Read, Write};
use std::sync::{Arc, LazyLock};

use pdf_textlayer::{Error, Glyphs, Options, TextLayer, decode_pages};

include!("fixtures/sarabun.rs");

/// What the fixture's glyphs read as (`fixtures/sarabun.rs`), shared.
fn glyphs() -> Arc<Glyphs> {
    static GLYPHS: LazyLock<Arc<Glyphs>> = LazyLock::new(|| Arc::new(sarabun()));
    GLYPHS.clone()
}

fn layer(remember_pages: bool) -> TextLayer {
    let mut options = Options::new();
    options
        .glyphs(glyphs())
        .marks(['\u{200B}'])
        .remember_pages(remember_pages);
    TextLayer::new(&options)
}

const TYPST_PDF: &[u8] = include_bytes!("fixtures/thai.pdf");

/// The text `thai.typ` shows, without white space: each line below its set rules, markup
/// (`=`, `*`, `_`, `#table(...)`, `#pagebreak()`) taken away.
fn source_text() -> String {
    let typ = include_str!("fixtures/thai.typ");
    let mut out = String::new();
    for line in typ.lines() {
        if line.starts_with("//") || line.starts_with("#set") || line == "#pagebreak()" {
            continue;
        }
        let line = match line.strip_prefix("#table(columns: 2, ") {
            Some(cells) => cells
                .trim_end_matches(')')
                .replace("], [", "")
                .replace(['[', ']'], ""),
            None => line.trim_start_matches("= ").replace(['*', '_'], ""),
        };
        out.push_str(&line);
    }
    squeezed(&out)
}

fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn every_page_reads_as_the_source_through_its_glyphs_and_its_actual_text() {
    let out = layer(false).rewrite(TYPST_PDF.to_vec()).unwrap();
    let pages = decode_pages(&out).unwrap();
    assert_eq!(pages.len(), 2);
    let glyphs: String = pages.iter().map(|p| squeezed(&p.glyphs)).collect();
    let actual: String = pages.iter().map(|p| squeezed(&p.actual_text)).collect();
    let source = source_text();
    assert!(
        source.contains("น้ำใจ") && source.contains("ยิ่งใหญ่"),
        "{source}"
    );
    assert_eq!(glyphs, source, "glyph by glyph");
    assert_eq!(actual, source, "through /ActualText");
}

/// The comparison above can fail: typst's own ToUnicode maps read the fixture wrong.
#[test]
fn typst_own_pdf_does_not_read_as_the_source_glyph_by_glyph() {
    let pages = decode_pages(TYPST_PDF).unwrap();
    let glyphs: String = pages.iter().map(|p| squeezed(&p.glyphs)).collect();
    let actual: String = pages.iter().map(|p| squeezed(&p.actual_text)).collect();
    assert_ne!(glyphs, source_text());
    assert_eq!(actual, source_text(), "typst's /ActualText is right");
}

/// A text layer that remembers its pages writes, on the second rewrite of the same PDF (every
/// page reused), what a fresh one writes.
#[test]
fn remembered_pages_give_the_same_pdf() {
    let fresh = layer(false).rewrite(TYPST_PDF.to_vec()).unwrap();
    let mut remembering = layer(true);
    assert_eq!(remembering.rewrite(TYPST_PDF.to_vec()).unwrap(), fresh);
    assert_eq!(remembering.rewrite(TYPST_PDF.to_vec()).unwrap(), fresh);
    remembering.clear();
    assert_eq!(remembering.rewrite(TYPST_PDF.to_vec()).unwrap(), fresh);
}

/// The fixture with the first `from` replaced by `to`, of the same length, so that every offset
/// of the file still holds.
fn changed(from: &str, to: &str) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let mut bytes = TYPST_PDF.to_vec();
    let at = (bytes.windows(from.len()))
        .position(|w| w == from.as_bytes())
        .unwrap_or_else(|| panic!("{from} not in the fixture"));
    bytes[at..at + from.len()].copy_from_slice(to.as_bytes());
    bytes
}

fn rewritten(bytes: Vec<u8>) -> Error {
    match layer(false).rewrite(bytes) {
        Ok(pdf) => panic!("rewritten without an error ({} bytes)", pdf.len()),
        Err(error) => error,
    }
}

fn font_error(error: Error) -> (&'static str, String, &'static str) {
    match error {
        Error::UnexpectedFont {
            key,
            found,
            expected,
            font,
            ..
        } => {
            assert!(font.contains("Sarabun"), "{font}");
            (key, found, expected)
        }
        other => panic!("not a font error: {other}"),
    }
}

#[test]
fn a_font_that_is_not_type0_is_an_error() {
    let error = rewritten(changed("/Subtype /Type0", "/Subtype /Type1"));
    assert!(
        error
            .to_string()
            .contains("/Subtype is /Type1, expected /Type0"),
        "{error}"
    );
    assert_eq!(font_error(error), ("Subtype", "/Type1".into(), "/Type0"));
}

#[test]
fn a_cid_to_gid_map_that_is_not_identity_is_an_error() {
    let error = rewritten(changed("/CIDToGIDMap /Identity", "/CIDToGIDMap 47 0 R   "));
    let found = "a reference to object 47 0".to_string();
    assert_eq!(font_error(error), ("CIDToGIDMap", found, "/Identity"));
}

#[test]
fn codes_other_than_identity_h_are_an_error() {
    let error = rewritten(changed("/Encoding /Identity-H", "/Encoding /Identity-V"));
    assert_eq!(
        font_error(error),
        ("Encoding", "/Identity-V".into(), "/Identity-H")
    );
}

#[test]
fn a_descendant_that_is_not_truetype_is_an_error() {
    let error = rewritten(changed("/Subtype /CIDFontType2", "/Subtype /CIDFontType0"));
    assert_eq!(
        font_error(error),
        ("Subtype", "/CIDFontType0".into(), "/CIDFontType2")
    );
    let error = rewritten(changed("/FontFile2", "/FontFile3"));
    assert_eq!(font_error(error).0, "FontDescriptor");
}

#[test]
fn text_in_a_font_the_page_does_not_name_is_an_error() {
    let error = rewritten(changed("/f0 15.4 Tf", "/f9 15.4 Tf"));
    assert!(
        matches!(&error, Error::UnknownFontResource { page: 1, resource, .. } if resource == "f9"),
        "{error}"
    );
}

#[test]
fn a_code_outside_the_font_is_an_error() {
    // The first span's first glyph, ส, as code 7F01.
    let error = rewritten(changed("[(\\000\\001) -1", "[(\\177\\001) -1"));
    assert!(
        matches!(
            error,
            Error::CodeOutsideFont {
                page: 1,
                code: 0x7F01,
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn an_actual_text_span_without_glyphs_is_an_error() {
    // The first span (สำ) shows nothing: its TJ becomes a move.
    let from = "[(\\000\\001) -1 (\\000\\002) 1 (\\000\\003)] TJ";
    let to = format!("[1{}] TJ", " ".repeat(from.len() - 6));
    let error = rewritten(changed(from, &to));
    assert!(
        matches!(&error, Error::SpanWithoutGlyphs { page: 1, text, .. } if text == "สำ"),
        "{error}"
    );
}

#[test]
fn a_layout_typst_does_not_write_is_an_error() {
    // Where startxref points, no table: a cross-reference stream, say.
    let stream = changed("\nxref\n0 ", "\nXRef\n0 ");
    assert!(matches!(rewritten(stream), Error::UnexpectedLayout { .. }));
    // The trailer ends the file: it may grow.
    for key in ["/Prev 10", "/Encrypt 1 0 R"] {
        let mut bytes = TYPST_PDF.to_vec();
        let at = bytes.windows(9).rposition(|w| w == b"trailer\n<").unwrap() + 10;
        bytes.splice(at..at, format!(" {key} ").into_bytes());
        let error = rewritten(bytes);
        assert!(matches!(error, Error::UnexpectedLayout { .. }), "{error}");
    }
}

/// Sarabun names the fixture's glyphs as the Adobe Glyph List specification says (`uni0E33`,
/// `space`): without its font or names, the rewrite reads them all the same.
#[test]
fn glyph_names_alone_read_the_fixture() {
    let mut other = TextLayer::default();
    let out = other.rewrite(TYPST_PDF.to_vec()).unwrap();
    let pages = decode_pages(&out).unwrap();
    let glyphs: String = pages.iter().map(|p| squeezed(&p.glyphs)).collect();
    assert_eq!(glyphs, source_text());
}

/// The fixture with a glyph name of its first embedded font program (a TrueType subset,
/// Flate-compressed and hex-encoded) changed, the program written again in as many bytes, so
/// that every offset of the file still holds.
fn renamed_glyph(from: &str, to: &str) -> Vec<u8> {
    let mut bytes = TYPST_PDF.to_vec();
    let find = |bytes: &[u8], what: &[u8], from: usize| {
        from + (bytes[from..].windows(what.len()))
            .position(|w| w == what)
            .unwrap_or_else(|| panic!("{} not in the fixture", String::from_utf8_lossy(what)))
    };
    let key = find(&bytes, b"/FontFile2 ", 0) + b"/FontFile2 ".len();
    let number = &bytes[key..key + find(&bytes[key..], b" ", 0)];
    let object = [b"\n", number, b" 0 obj"].concat();
    let start = find(&bytes, b"stream\n", find(&bytes, &object, 0)) + b"stream\n".len();
    let end = find(&bytes, b"endstream", start);
    let hex: Vec<u8> = (bytes[start..end].iter())
        .filter(|b| b.is_ascii_hexdigit())
        .copied()
        .collect();
    let deflated: Vec<u8> = (hex.chunks(2))
        .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap())
        .collect();
    let mut program = Vec::new();
    (flate2::read::ZlibDecoder::new(&deflated[..]))
        .read_to_end(&mut program)
        .unwrap();
    let at = find(&program, from.as_bytes(), 0);
    program[at..at + to.len()].copy_from_slice(to.as_bytes());
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&program).unwrap();
    let mut hex: Vec<u8> = (z.finish().unwrap().iter())
        .flat_map(|b| format!("{b:02X}").into_bytes())
        .collect();
    assert!(hex.len() < end - start, "the program grew");
    hex.resize(end - start - 1, b' ');
    hex.push(b'\n');
    bytes.splice(start..end, hex);
    bytes
}

/// A glyph whose name reads as no text (no font's cmap, no name given, not the Adobe Glyph
/// List's, not `uniXXXX`) would read as nothing: the rewrite refuses the PDF.
#[test]
fn a_glyph_whose_name_reads_as_no_text_is_an_error() {
    assert_eq!(glyphs().text("xni0E01"), None);
    let error = rewritten(renamed_glyph("uni0E01", "xni0E01"));
    assert!(
        matches!(&error, Error::GlyphWithoutText { name, .. } if name == "xni0E01"),
        "{error}"
    );
    // The name as it was reads, through the same steps.
    layer(false)
        .rewrite(renamed_glyph("uni0E01", "uni0E01"))
        .unwrap();
}

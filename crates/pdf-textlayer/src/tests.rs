//! Unit tests of the rewrite's parts; the whole rewrite is tested in `tests/`, on the fixture.

use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};

use lopdf::{Dictionary, Object, Stream};

use super::*;
use crate::content::{align, decode_text_string, hex_text_is_simple, splice_spans};
use crate::raw::{drop_marks_in, unhex};

include!("../tests/fixtures/sarabun.rs");

/// What the fixture's glyphs read as (`tests/fixtures/sarabun.rs`), shared.
pub(crate) fn glyphs() -> Arc<Glyphs> {
    static GLYPHS: LazyLock<Arc<Glyphs>> = LazyLock::new(|| Arc::new(sarabun()));
    GLYPHS.clone()
}

fn layer() -> TextLayer {
    TextLayer::new(Options::new().glyphs(glyphs()).marks(['\u{200B}']))
}

/// typst's own PDF of the fixture (tests/fixtures/thai.typ), before the text layer.
static TYPST_PDF: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/thai.pdf");
    std::fs::read(path).unwrap()
});

#[test]
fn a_hex_text_is_simple_when_it_decodes_to_simple_characters_only() {
    let glyphs = glyphs();
    let t = glyphs.tables();
    // ก and า each read as themselves; ำ is drawn as two glyphs.
    assert!(hex_text_is_simple(b" <FEFF0E01 0E32> >> BDC", t));
    assert!(!hex_text_is_simple(b"<FEFF0E010E33>", t));
    // An odd last digit is followed by 0, as readers decode it: ก ะ.
    assert!(hex_text_is_simple(b"<FEFF0E010E3>", t));
    assert!(!hex_text_is_simple(b"<FEFF0E010EXX>", t), "not hex");
    assert!(!hex_text_is_simple(b"<FEFF0E01", t), "not closed");
    assert!(!hex_text_is_simple(b"(plain)", t), "not a hex string");
    assert!(!hex_text_is_simple(b"<FEFFD800>", t), "a lone surrogate");
}

/// A stream's data decoded, as a reader gets it.
fn plain(stream: &Stream) -> Vec<u8> {
    let mut stream = stream.clone();
    if stream.dict.get(b"Filter").is_ok_and(|f| {
        f.as_name().ok() == Some(b"ASCIIHexDecode")
            || (f.as_array().ok()).and_then(|a| a.first()?.as_name().ok())
                == Some(b"ASCIIHexDecode")
    }) {
        stream.content = unhex(&stream.content).unwrap();
        let rest = match stream.dict.get(b"Filter").unwrap() {
            Object::Array(a) => a[1..].to_vec(),
            _ => Vec::new(),
        };
        stream.dict.set("Filter", Object::Array(rest));
    }
    match stream.dict.get(b"Filter") {
        Ok(Object::Array(a)) if a.is_empty() => stream.content,
        Ok(_) => stream.decompressed_content().unwrap(),
        Err(_) => stream.content,
    }
}

/// The objects the rewrite changes: the pages' content, the fonts' text maps and the CID fonts.
fn rewritten_objects(typst: &lopdf::Document) -> std::collections::BTreeSet<lopdf::ObjectId> {
    let mut rewritten = std::collections::BTreeSet::new();
    for page in typst.get_pages().into_values() {
        rewritten.extend(typst.get_page_contents(page));
    }
    for (id, object) in &typst.objects {
        if let Ok(font) = object.as_dict()
            && font.get(b"Type").and_then(Object::as_name).ok() == Some(b"Font")
        {
            rewritten.extend(font.get(b"ToUnicode").and_then(Object::as_reference));
            if font.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"CIDFontType2") {
                rewritten.insert(*id);
            }
        }
    }
    rewritten
}

/// The rewrite reads only the objects it needs and copies the others: every object of
/// typst's PDF is still there and reads the same (its streams decoded, white space aside),
/// but the page content, the fonts' text maps and the CID fonts' codes, which it rewrites,
/// and the marks it drops. The file loads strictly (its cross-reference table is right),
/// and every stream but the XMP metadata is compressed.
#[test]
fn every_object_the_rewrite_does_not_change_reads_as_typst_wrote_it() {
    let bytes = TYPST_PDF.clone();
    let strict = lopdf::LoadOptions {
        strict: true,
        ..Default::default()
    };
    let typst = lopdf::Document::load_mem_with_options(&bytes, strict.clone()).unwrap();
    let out = layer().rewrite(bytes).unwrap();
    let ours = lopdf::Document::load_mem_with_options(&out, strict).unwrap();
    assert!(
        ours.xref_recovery.is_none(),
        "the cross-reference table was rebuilt"
    );
    let rewritten = rewritten_objects(&typst);
    let mut same = 0;
    for (id, object) in &typst.objects {
        let ours = ours.get_object(*id).unwrap();
        if rewritten.contains(id) {
            assert_eq!(std::mem::discriminant(ours), std::mem::discriminant(object));
            continue;
        }
        match (object, ours) {
            (Object::Stream(theirs), Object::Stream(ours)) => {
                let metadata =
                    ours.dict.get(b"Type").and_then(Object::as_name).ok() == Some(b"Metadata");
                assert_eq!(ours.dict.has(b"Filter"), !metadata, "object {id:?}");
                assert_eq!(plain(ours), plain(theirs), "object {id:?}");
                let rest = |d: &Dictionary| {
                    let mut d = d.clone();
                    for key in [&b"Filter"[..], b"Length", b"DecodeParms"] {
                        d.remove(key);
                    }
                    d
                };
                assert!(rest(&ours.dict) == rest(&theirs.dict), "object {id:?}");
            }
            (theirs, ours) => {
                let mut theirs = theirs.clone();
                drop_marks_in(&mut theirs, &[[0x20, 0x0B]]);
                assert!(theirs == *ours, "object {id:?} differs");
            }
        }
        same += 1;
    }
    assert!(same > 40, "only {same} objects compared");
    // Fonts hex-encoded and pages uncompressed in typst's, compressed in ours.
    assert!(out.len() * 5 < TYPST_PDF.len() * 3, "{} bytes", out.len());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
    /// A PDF cut short or with bytes changed is an error or a PDF, never a panic: the reader
    /// trusts no offset, length or number in the file. Reading its text back
    /// ([`decode_pages`]) is an error or text, never a panic, too.
    #[test]
    fn a_damaged_pdf_is_an_error_not_a_panic(
        cut in 0.0f64..1.0,
        flips in proptest::collection::vec((0.0f64..1.0, proptest::prelude::any::<u8>()), 0..6),
    ) {
        let mut bytes = TYPST_PDF.clone();
        // Half the changes in the last 16 KB: the cross-reference table and the trailer.
        let len = bytes.len();
        for (at, byte) in flips {
            let at = match at < 0.5 {
                true => (at * 2.0 * len as f64) as usize,
                false => len - 1 - ((at - 0.5) * 2.0 * 16384.0) as usize,
            };
            bytes[at] = byte;
        }
        if cut > 0.5 {
            bytes.truncate(((cut - 0.5) * 2.0 * bytes.len() as f64) as usize);
        }
        let _ = decode_pages(&bytes);
        let _ = layer().rewrite(bytes);
    }
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn marks_leave_text_strings_and_nothing_else() {
    let mut title = Object::String(
        vec![0xFE, 0xFF, 0x0E, 0x01, 0x20, 0x0B, 0x0E, 0x02],
        lopdf::StringFormat::Hexadecimal,
    );
    let mut code = Object::String(vec![0x41, 0x20, 0x0B, 0x42], lopdf::StringFormat::Literal);
    drop_marks_in(&mut title, &[[0x20, 0x0B]]);
    drop_marks_in(&mut code, &[[0x20, 0x0B]]);
    assert_eq!(decode_text_string(title.as_str().unwrap()), "กข");
    assert_eq!(code.as_str().unwrap(), &[0x41, 0x20, 0x0B, 0x42]);
}

#[test]
fn hex_streams_decode_with_spaces_an_odd_digit_and_the_end_mark() {
    assert_eq!(
        unhex(b"00 fF\n1a7>junk"),
        Some(vec![0x00, 0xff, 0x1a, 0x70])
    );
    assert_eq!(unhex(b"0g"), None);
}

#[test]
fn sara_am_goes_to_the_sara_aa_glyph() {
    // ต่ำ is drawn ต, ํ, ่, า: the nikhahit moved before the tone mark.
    let got = align(&strings(&["ต", "ํ", "่", "า"]), "ต่ำ").unwrap();
    assert_eq!(got, strings(&["ต", "", "่", "ำ"]));
    let got = align(&strings(&["ส", "ํ", "า", "น", "ั", "ก"]), "สำนัก").unwrap();
    assert_eq!(got.concat(), "สำนัก");
    assert_eq!(got[3..], strings(&["น", "ั", "ก"]));
}

#[test]
fn matching_glyphs_keep_their_text() {
    let d = strings(&["ท", "ั", "้"]);
    assert_eq!(align(&d, "ทั้").unwrap(), d);
}

#[test]
fn glyph_names_map_to_text() {
    let glyphs = glyphs();
    assert_eq!(glyphs.text("uni0E35.narrow").as_deref(), Some("ี"));
    assert_eq!(glyphs.text("uni0E49").as_deref(), Some("้"));
    assert_eq!(glyphs.text("space").as_deref(), Some(" "));
    // Sarabun names the other forms of five Thai letters after the letters, as the caller says.
    assert_eq!(glyphs.text("yoYingthai.less").as_deref(), Some("ญ"));
    assert_eq!(glyphs.text("thoThanthai.less").as_deref(), Some("ฐ"));
    assert_eq!(glyphs.text("doChadathai.short").as_deref(), Some("ฎ"));
    assert_eq!(glyphs.text("f_i").as_deref(), Some("fi"));
    // A ligature of a glyph the cmap reaches (˘) and one the caller names.
    assert_eq!(glyphs.text("breve_hookabove").as_deref(), Some("˘\u{0309}"));
    // A caller's name goes before the Adobe Glyph List's (˘, U+02D8), in a ligature too.
    let mut named = Glyphs::default();
    assert_eq!(
        named.text("breve_hookabove"),
        None,
        "the list has hookabovecomb"
    );
    named
        .name("breve", "\u{0306}")
        .name("hookabove", "\u{0309}");
    assert_eq!(
        named.text("breve_hookabove").as_deref(),
        Some("\u{0306}\u{0309}")
    );
    assert_eq!(Glyphs::default().text("breve").as_deref(), Some("\u{02D8}"));
}

/// The text layer reads the spans with its own reader: each page of typst's PDF reads as lopdf
/// reads it.
#[test]
fn typst_pages_read_as_lopdf_reads_them() {
    let typst = lopdf::Document::load_mem(&TYPST_PDF).unwrap();
    let pages = typst.get_pages();
    assert!(!pages.is_empty());
    for page in pages.into_values() {
        let content = typst.get_page_content(page);
        let ours = crate::raw::operations(&content);
        assert!(ours.as_ref().is_some_and(|o| o.len() > 10));
        let theirs = lopdf::content::Content::decode(&content)
            .unwrap()
            .operations;
        assert!(crate::raw::tests::plain(ours) == crate::raw::tests::plain(Some(theirs)));
    }
}

#[test]
fn only_self_contained_spans_are_spliced() {
    let glyphs = glyphs();
    let id = (7, 0);
    let names = BTreeMap::from([(b"f0".to_vec(), id)]);
    let page = Page {
        number: 1,
        tables: glyphs.tables(),
        marks: &['\u{200B}'],
        names: &names,
    };
    // Glyph 1 reads ก, glyph 2 า.
    let text = vec![None, Some("ก".to_string()), Some("า".to_string())];
    let fonts = &mut BTreeMap::from([(id, Font::new("F".into(), text))]);
    // A span of characters drawn one glyph each is left alone without being parsed.
    let simple = b"BT /Span<</ActualText<FEFF0E01>>>BDC (ab) Tj EMC ET";
    assert_eq!(splice_spans(simple, &page, fonts).unwrap(), Some(None));
    // A span with ำ that sets its font is rewritten on its own: glyph 2 gets a code that reads ำ.
    let ok = b"BT /f0 11 Tf /Span<</ActualText<FEFF0E010E33>>>BDC /f0 11 Tf <00010002> Tj EMC ET";
    let spliced = splice_spans(ok, &page, fonts).unwrap().unwrap().unwrap();
    assert!(spliced.starts_with(b"BT /f0 11 Tf "), "{spliced:?}");
    assert_eq!(fonts[&id].requests, [(2, "ำ".to_string(), 3)]);
    // A span that shows text in a font set before it needs the whole page parsed.
    let outside = b"BT /f0 11 Tf /Span<</ActualText<FEFF0E33>>>BDC (ab) Tj EMC ET";
    assert_eq!(splice_spans(outside, &page, fonts).unwrap(), None);
    // A string that happens to hold the bytes EMC cuts the span short: parsed whole too.
    let cut = b"/Span<</ActualText<FEFF0E33>>>BDC /f0 11 Tf (xEMCy) Tj EMC";
    assert_eq!(splice_spans(cut, &page, fonts).unwrap(), None);
}

#[test]
fn text_strings_decode() {
    assert_eq!(decode_text_string(&[0xFE, 0xFF, 0x0E, 0x01]), "ก");
    assert_eq!(decode_text_string(b"ok"), "ok");
}

//! Reads a PDF's text back as the two kinds of readers do, page by page: through each glyph's
//! ToUnicode entry, and through the /ActualText spans. What the rewrite promises is that the two
//! agree; this is how a caller checks it on its own PDFs (and how the crate's tests and oit025's
//! do). It shares nothing with the rewrite but lopdf: the document is loaded whole, the fonts'
//! ToUnicode maps are parsed as written, so a fault in the rewrite's own tables shows as text that
//! differs.

use std::collections::{BTreeMap, HashMap};

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object};

use crate::Error;
use crate::error::OrMalformed;

/// The text of one page, in content order, no separator between shown strings (a line's end
/// or a space typst moves over instead of showing reads as nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PageText {
    /// Each glyph read through its font's ToUnicode map, as pdf.js, pypdf and pdfminer read it.
    pub glyphs: String,
    /// The same with each /ActualText span read as its text instead of its glyphs, as poppler
    /// and pdfium read it.
    pub actual_text: String,
}

/// The text of every page of `pdf`, as readers that read glyphs (pdf.js, pypdf, pdfminer) and
/// readers that read /ActualText (poppler, pdfium) get it: after [`crate::TextLayer::rewrite`],
/// the two are the same text. Codes are read two bytes each, as the Identity-H encoding of
/// typst's fonts (and of most PDFs with embedded TrueType subsets) has them; a code its font's
/// ToUnicode map lacks reads as U+FFFD, so that it shows in a comparison. Fonts with one-byte
/// encodings read wrong: this is no general text extractor.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let pdf = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/thai.pdf"))?;
/// let pages = pdf_textlayer::decode_pages(&pdf)?;
/// assert_eq!(pages.len(), 2);
/// // typst's own ToUnicode maps read ำ as ํ glyph by glyph; its /ActualText reads right.
/// assert!(pages[0].actual_text.contains("น้ำใจ"));
/// assert!(!pages[0].glyphs.contains("น้ำใจ"));
/// # Ok(())
/// # }
/// ```
pub fn decode_pages(pdf: &[u8]) -> Result<Vec<PageText>, Error> {
    let doc = Document::load_mem(pdf).or_malformed()?;
    let mut out = Vec::new();
    for page in doc.get_pages().into_values() {
        let mut maps: BTreeMap<Vec<u8>, HashMap<u16, String>> = BTreeMap::new();
        for (name, font) in doc.get_page_fonts(page).or_malformed()? {
            maps.insert(name, to_unicode(&doc, font)?);
        }
        let content = Content::decode(&doc.get_page_content(page)).or_malformed()?;
        out.push(page_text(&content, &maps));
    }
    Ok(out)
}

fn page_text(content: &Content, maps: &BTreeMap<Vec<u8>, HashMap<u16, String>>) -> PageText {
    let mut text = PageText {
        glyphs: String::new(),
        actual_text: String::new(),
    };
    let mut font: Option<&HashMap<u16, String>> = None;
    // Open marked content: whether each is an /ActualText span.
    let mut marked: Vec<bool> = Vec::new();
    for op in &content.operations {
        match op.operator.as_str() {
            "Tf" => {
                let name = op.operands.first().and_then(|o| o.as_name().ok());
                font = name.and_then(|n| maps.get(n));
            }
            "BMC" => marked.push(false),
            "BDC" => {
                let actual = (op.operands.get(1))
                    .and_then(|o| o.as_dict().ok())
                    .and_then(|d| d.get(b"ActualText").ok())
                    .and_then(|t| t.as_str().ok());
                if let Some(actual) = actual
                    && !marked.contains(&true)
                {
                    text.actual_text.push_str(&text_string(actual));
                }
                marked.push(actual.is_some());
            }
            "EMC" => {
                marked.pop();
            }
            "Tj" | "TJ" | "'" | "\"" => {
                let strings: Vec<&[u8]> = match op.operator.as_str() {
                    "TJ" => (op.operands.first())
                        .and_then(|o| o.as_array().ok())
                        .map(|a| a.iter().filter_map(|o| o.as_str().ok()).collect())
                        .unwrap_or_default(),
                    _ => op
                        .operands
                        .last()
                        .and_then(|o| o.as_str().ok())
                        .into_iter()
                        .collect(),
                };
                for string in strings {
                    for pair in string.chunks(2) {
                        let code = u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]);
                        let read = font.and_then(|f| f.get(&code));
                        let read = read.map_or("\u{FFFD}", String::as_str);
                        text.glyphs.push_str(read);
                        if !marked.contains(&true) {
                            text.actual_text.push_str(read);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    text
}

/// A font's ToUnicode map: bfchar and bfrange entries of two-byte codes.
fn to_unicode(doc: &Document, font: &Dictionary) -> Result<HashMap<u16, String>, Error> {
    let mut out = HashMap::new();
    let Ok(reference) = font.get(b"ToUnicode").and_then(Object::as_reference) else {
        return Ok(out);
    };
    let stream = (doc.get_object(reference))
        .and_then(Object::as_stream)
        .or_malformed()?;
    let data = match stream.dict.has(b"Filter") {
        true => stream.decompressed_content().or_malformed()?,
        false => stream.content.clone(),
    };
    // A CMap reads as a content stream: `endbfchar` takes its entries as operands.
    let cmap = Content::decode(&data).or_malformed()?;
    let code = |o: &Object| {
        let b = o.as_str().ok()?;
        Some(u16::from_be_bytes([*b.first()?, *b.get(1)?]))
    };
    for op in &cmap.operations {
        match op.operator.as_str() {
            "endbfchar" => {
                for pair in op.operands.chunks_exact(2) {
                    if let (Some(c), Ok(text)) = (code(&pair[0]), pair[1].as_str()) {
                        out.insert(c, utf16(text));
                    }
                }
            }
            "endbfrange" => {
                for entry in op.operands.chunks_exact(3) {
                    let (Some(lo), Some(hi)) = (code(&entry[0]), code(&entry[1])) else {
                        continue;
                    };
                    for (k, c) in (lo..=hi).enumerate() {
                        let text = match &entry[2] {
                            Object::Array(a) => a.get(k).and_then(|t| t.as_str().ok()).map(utf16),
                            Object::String(s, _) => {
                                let mut s = s.clone();
                                if let Some(last) = s.last_mut() {
                                    *last = last.wrapping_add(k as u8);
                                }
                                Some(utf16(&s))
                            }
                            _ => None,
                        };
                        out.extend(text.map(|t| (c, t)));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

fn utf16(bytes: &[u8]) -> String {
    let units = bytes
        .chunks(2)
        .map(|p| u16::from_be_bytes([p[0], *p.get(1).unwrap_or(&0)]));
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// A text string: UTF-16BE after a byte-order mark, else PDFDocEncoding (read as Latin-1).
fn text_string(bytes: &[u8]) -> String {
    match bytes {
        [0xFE, 0xFF, rest @ ..] => utf16(rest),
        _ => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

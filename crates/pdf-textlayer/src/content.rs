//! A page's content: the glyphs each /ActualText span shows, and the codes that make them read as
//! the span's text.

use std::collections::BTreeMap;

use lopdf::content::{Content, Operation};
use lopdf::{Object, ObjectId};

use crate::Error;
use crate::error::OrMalformed;
use crate::font::Font;
use crate::glyphs::Tables;
use crate::raw::unhex;

/// What the rewrite of one page knows besides its content.
pub(crate) struct Page<'a> {
    /// The page's number, from 1, for errors.
    pub number: usize,
    pub tables: &'a Tables,
    /// The characters dropped from /ActualText (see [`crate::Options::marks`]).
    pub marks: &'a [char],
    /// The page's font resource names and the fonts they name.
    pub names: &'a BTreeMap<Vec<u8>, ObjectId>,
}

/// A glyph shown on a page: where its two bytes are, its font and code.
struct Shown {
    op: usize,
    /// Index in a TJ array, or 0 for the string operand of Tj.
    part: usize,
    byte: usize,
    font: ObjectId,
    cid: u16,
}

/// One /ActualText span: its text and the glyphs shown inside it.
struct Span {
    text: String,
    glyphs: Vec<usize>,
}

/// Rewrites each /ActualText span of a page's content on its own and splices it back: `Some(new
/// content)` or `Some(None)` when nothing changed; `None` when a span is not the self-contained
/// `/Span <</ActualText ...>> BDC ... Tf ... EMC` typst writes, and the page needs a full parse
/// (which is no less right, only slower).
pub(crate) fn splice_spans(
    raw: &[u8],
    page: &Page,
    fonts: &mut BTreeMap<ObjectId, Font>,
) -> Result<Option<Option<Vec<u8>>>, Error> {
    const KEY: &[u8] = b"/ActualText";
    let actual_text = memchr::memmem::Finder::new(KEY);
    let emc = memchr::memmem::Finder::new(b"EMC");
    let mut out = Vec::with_capacity(raw.len() + 1024);
    let mut last = 0;
    let mut any = false;
    let mut at = 0;
    while let Some(k) = actual_text.find(&raw[at..]) {
        let key = at + k;
        let Some(e) = emc.find(&raw[key..]) else {
            return Ok(None);
        };
        let end = key + e + 3;
        if hex_text_is_simple(&raw[key + KEY.len()..], page.tables)
            && !ends_left_of_pen(&raw[key..end])
        {
            at = key + KEY.len();
            continue;
        }
        let from = last.max(key.saturating_sub(32));
        let Some(start) = raw[from..key]
            .windows(5)
            .rposition(|w| w == b"/Span")
            .map(|i| from + i)
        else {
            return Ok(None);
        };
        let Some(operations) = crate::raw::operations(&raw[start..end]) else {
            return Ok(None);
        };
        let content = Content { operations };
        if !self_contained(&content) {
            return Ok(None);
        }
        let (content, recoded) = rewrite_content(content, page, fonts)?;
        if recoded {
            out.extend_from_slice(&raw[last..start]);
            out.extend_from_slice(&content.encode().or_malformed()?);
            out.push(b'\n');
            last = end;
            any = true;
        }
        at = end;
    }
    if !any {
        return Ok(Some(None));
    }
    out.extend_from_slice(&raw[last..]);
    Ok(Some(Some(out)))
}

/// Whether `bytes` starts with a hex string `<FEFF...>` whose characters are all simple (see
/// [`Tables::is_simple`]). Decoded without building its text: with a `String` and a hash set,
/// this check was 2 ms of a cold build.
pub(crate) fn hex_text_is_simple(bytes: &[u8], tables: &Tables) -> bool {
    let Some(body) = bytes.trim_ascii_start().strip_prefix(b"<") else {
        return false;
    };
    let Some(end) = memchr::memchr(b'>', body) else {
        return false;
    };
    unhex(&body[..end]).is_some_and(|text| text_string_chars(&text).all(|c| tables.is_simple(c)))
}

/// Whether a span's bytes may end in the shape [`widen_shifted_ends`] widens: a TJ array whose
/// last element is a string (hex or literal) after a positive number (the pen moved back left).
/// A cheap look at the bytes, so that simple spans of any other shape stay unparsed; the parsed
/// span is then checked in full.
fn ends_left_of_pen(span: &[u8]) -> bool {
    let Some(close) = memchr::memrchr(b']', span) else {
        return false;
    };
    let before = span[..close].trim_ascii_end();
    let open = match before.last() {
        Some(b'>') => memchr::memrchr(b'<', before),
        Some(b')') => (0..before.len() - 1)
            .rev()
            .find(|&i| before[i] == b'(' && (i == 0 || before[i - 1] != b'\\')),
        _ => None,
    };
    let Some(open) = open else {
        return false;
    };
    let head = before[..open].trim_ascii_end();
    let number = head
        .iter()
        .rposition(|b| !(b.is_ascii_digit() || *b == b'.' || *b == b'-'))
        .map_or(head, |i| &head[i + 1..]);
    !number.is_empty() && number[0] != b'-' && number.iter().any(|b| *b != b'0' && *b != b'.')
}

/// One BDC with /ActualText first, its EMC last, no marked content between, and a font set
/// before any text is shown.
fn self_contained(content: &Content) -> bool {
    let ops = &content.operations;
    // A lone operation (a damaged stream cut after its BDC) is no span.
    let [first, inner @ .., last] = &ops[..] else {
        return false;
    };
    let mut font = false;
    first.operator == "BDC"
        && last.operator == "EMC"
        && inner.iter().all(|op| match op.operator.as_str() {
            "BDC" | "BMC" | "EMC" => false,
            "Tf" => {
                font = true;
                true
            }
            "Tj" | "TJ" | "'" | "\"" => font,
            _ => true,
        })
}

/// Gives the glyphs of each /ActualText span of `content` the codes that read as the span's text;
/// true when a code changed.
pub(crate) fn rewrite_content(
    mut content: Content,
    page: &Page,
    fonts: &mut BTreeMap<ObjectId, Font>,
) -> Result<(Content, bool), Error> {
    let (shown, spans) = glyphs(&content, page, fonts)?;
    // Each glyph's text: its own, or the part of its span's /ActualText it carries.
    let text_of = |g: &Shown| -> String {
        fonts[&g.font]
            .text
            .get(usize::from(g.cid))
            .cloned()
            .flatten()
            .unwrap_or_default()
    };
    let own: Vec<String> = shown.iter().map(text_of).collect();
    let mut texts = own.clone();
    for span in &spans {
        let target: String = span
            .text
            .chars()
            .filter(|c| !page.marks.contains(c))
            .collect();
        let defaults: Vec<String> = span.glyphs.iter().map(|&g| texts[g].clone()).collect();
        let Some(assigned) = align(&defaults, &target) else {
            if target.is_empty() {
                continue; // nothing shown, nothing to read
            }
            return Err(Error::SpanWithoutGlyphs {
                page: page.number,
                text: target,
            });
        };
        for (&g, text) in span.glyphs.iter().zip(assigned) {
            texts[g] = text;
        }
    }
    let mut recoded = false;
    for ((g, text), own) in shown.iter().zip(&texts).zip(&own) {
        if text == own {
            continue;
        }
        let alias = fonts
            .get_mut(&g.font)
            .expect("font read")
            .alias(g.cid, text);
        let op = &mut content.operations[g.op];
        let string = match op.operator.as_str() {
            "TJ" => op
                .operands
                .first_mut()
                .and_then(|o| o.as_array_mut().ok())
                .and_then(|a| a.get_mut(g.part)),
            _ => op.operands.last_mut(),
        };
        if let Some(Object::String(bytes, _)) = string {
            bytes[g.byte..g.byte + 2].copy_from_slice(&alias.to_be_bytes());
            recoded = true;
        }
    }
    recoded |= widen_shifted_ends(&mut content, &shown, &spans, fonts);
    Ok((content, recoded))
}

/// The least missing width [`widen_shifted_ends`] makes up, in thousandths of the font size:
/// poppler starts a word after a gap of 100, and letters are spaced at most 80 apart, so less
/// than 20 never splits a word. Below 10 (a mark moved 0.001 em, as in ที่), the span stays as
/// typst wrote it.
const MIN_WIDENED: f32 = 10.0;

/// Makes each span whose last glyph is drawn left of where the glyphs before it end (a mark that
/// GPOS moves back over its letter: the tone mark of ครื่ sits 0.65 pt left of the vowel under
/// it) end where they do. poppler's word builder takes a span as one character from the first
/// glyph's origin to the last glyph's origin plus advance, and starts a new word where the next
/// glyph begins more than 0.1 em after that: in a justified line, whose letters are spaced up to
/// 0.08 em apart, the mark's shift made that gap, and `pdftotext` read เครื่ องมือ. The last
/// glyph gets the missing width as character spacing (`Tc`), which poppler counts in its advance,
/// and the pen is moved back by as much after it: every glyph is drawn where it was. Runs after
/// the codes are recoded (it moves glyphs to operations of their own).
fn widen_shifted_ends(
    content: &mut Content,
    shown: &[Shown],
    spans: &[Span],
    fonts: &BTreeMap<ObjectId, Font>,
) -> bool {
    // (operation, element of its TJ array, missing width in thousandths, font size)
    let mut widen: Vec<(usize, usize, f32, f32)> = Vec::new();
    for span in spans {
        let Some(g) = span.glyphs.last().map(|&i| &shown[i]) else {
            continue;
        };
        let ops = &content.operations;
        let op = &ops[g.op];
        let Some(array) = (op.operator == "TJ")
            .then(|| op.operands.first().and_then(|o| o.as_array().ok()))
            .flatten()
        else {
            continue;
        };
        let one_glyph = matches!(&array[g.part], Object::String(s, _) if s.len() == 2);
        let back = (g.part > 0 && g.part + 1 == array.len())
            .then(|| number(&array[g.part - 1]))
            .flatten();
        let size = ops[..g.op]
            .iter()
            .rev()
            .find(|o| o.operator == "Tf")
            .and_then(|o| o.operands.get(1).and_then(number));
        let (true, Some(back), Some(size)) = (one_glyph, back, size) else {
            continue;
        };
        let missing = back - fonts[&g.font].width(g.cid);
        if missing > MIN_WIDENED {
            widen.push((g.op, g.part, missing, size));
        }
    }
    // From the last operation back, so the indices of the ones before stay.
    widen.sort_unstable_by_key(|w| std::cmp::Reverse(w.0));
    widen.dedup_by_key(|w| w.0);
    for &(i, part, missing, size) in &widen {
        let op = &mut content.operations[i];
        let Some(Ok(array)) = op.operands.first_mut().map(|o| o.as_array_mut()) else {
            continue;
        };
        let last = array.split_off(part);
        let spacing = |tc: f32| Operation::new("Tc", vec![Object::Real(tc)]);
        let tail = vec![
            spacing(missing * size / 1000.0),
            Operation::new(
                "TJ",
                vec![Object::Array(
                    last.into_iter().chain([Object::Real(missing)]).collect(),
                )],
            ),
            spacing(0.0),
        ];
        content.operations.splice(i + 1..i + 1, tail);
    }
    !widen.is_empty()
}

fn number(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

/// Every glyph `content` shows, and its /ActualText spans with the glyphs inside each. Checks
/// that each glyph is a two-byte code of a font the page names, with a glyph in that font.
fn glyphs(
    content: &Content,
    page: &Page,
    fonts: &BTreeMap<ObjectId, Font>,
) -> Result<(Vec<Shown>, Vec<Span>), Error> {
    let mut shown: Vec<Shown> = Vec::new();
    let mut spans: Vec<Span> = Vec::new();
    // Marked-content nesting: the span each open BDC/BMC started, if an /ActualText one.
    let mut marked: Vec<Option<usize>> = Vec::new();
    let mut font: Option<ObjectId> = None;
    let mut saved: Vec<Option<ObjectId>> = Vec::new();
    for (i, op) in content.operations.iter().enumerate() {
        match op.operator.as_str() {
            "q" => saved.push(font),
            "Q" => font = saved.pop().flatten(),
            "Tf" => {
                let name = op.operands.first().and_then(|o| o.as_name().ok());
                font = name.and_then(|n| page.names.get(n).copied());
                if font.is_none() {
                    let resource = String::from_utf8_lossy(name.unwrap_or_default()).into();
                    return Err(Error::UnknownFontResource {
                        page: page.number,
                        resource,
                    });
                }
            }
            "BMC" => marked.push(None),
            "BDC" => {
                let text = actual_text(op, page.number)?;
                marked.push(text.map(|text| {
                    spans.push(Span {
                        text,
                        glyphs: Vec::new(),
                    });
                    spans.len() - 1
                }));
            }
            "EMC" => {
                marked.pop();
            }
            "Tj" | "TJ" | "'" | "\"" => {
                let Some(id) = font else {
                    return Err(Error::TextWithoutFont { page: page.number });
                };
                let font = &fonts[&id];
                let span = marked.iter().rev().find_map(|m| *m);
                let odd = |_| Error::UnexpectedString {
                    page: page.number,
                    font: font.name.clone(),
                };
                for (part, string) in strings(op).map_err(odd)? {
                    if string.len() % 2 != 0 {
                        return Err(odd(()));
                    }
                    for (b, pair) in string.chunks_exact(2).enumerate() {
                        let cid = u16::from_be_bytes([pair[0], pair[1]]);
                        if usize::from(cid) >= font.text.len() {
                            return Err(Error::CodeOutsideFont {
                                page: page.number,
                                font: font.name.clone(),
                                code: cid,
                                glyphs: font.text.len(),
                            });
                        }
                        if let Some(span) = span {
                            spans[span].glyphs.push(shown.len());
                        }
                        shown.push(Shown {
                            op: i,
                            part,
                            byte: b * 2,
                            font: id,
                            cid,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    Ok((shown, spans))
}

/// The /ActualText of a BDC, if it has one: a UTF-16BE text string (what typst writes), or one
/// in ASCII (PDFDocEncoding, which agrees with ASCII there).
fn actual_text(op: &Operation, page: usize) -> Result<Option<String>, Error> {
    let Some(value) = op
        .operands
        .get(1)
        .and_then(|o| o.as_dict().ok())
        .and_then(|d| d.get(b"ActualText").ok())
    else {
        return Ok(None);
    };
    match value {
        Object::String(bytes, _) if bytes.starts_with(&[0xFE, 0xFF]) || bytes.is_ascii() => {
            Ok(Some(decode_text_string(bytes)))
        }
        other => Err(Error::UnexpectedActualText {
            page,
            found: format!("{other:?}"),
        }),
    }
}

/// The strings a text-showing operation shows, with their place among its operands; an operand
/// that should be a string and is not is an error.
fn strings(op: &Operation) -> Result<Vec<(usize, &[u8])>, ()> {
    match op.operator.as_str() {
        "TJ" => {
            let array = op.operands.first().and_then(|o| o.as_array().ok());
            let mut out = Vec::new();
            for (k, o) in array.ok_or(())?.iter().enumerate() {
                match o {
                    Object::String(s, _) => out.push((k, &s[..])),
                    Object::Integer(_) | Object::Real(_) => {}
                    _ => return Err(()),
                }
            }
            Ok(out)
        }
        _ => match op.operands.last() {
            Some(Object::String(s, _)) => Ok(vec![(0, &s[..])]),
            _ => Err(()),
        },
    }
}

/// Spreads `target` over glyphs whose own texts are `defaults`, changing as few glyphs' texts
/// as possible (each may get any part of the text, or none). `None` if there are no glyphs.
pub(crate) fn align(defaults: &[String], target: &str) -> Option<Vec<String>> {
    if defaults.is_empty() {
        return None;
    }
    let bounds: Vec<usize> = target
        .char_indices()
        .map(|(i, _)| i)
        .chain([target.len()])
        .collect();
    let n = defaults.len();
    let m = bounds.len();
    // cost[i][j]: fewest changed glyphs for glyphs i.. to hold target from bounds[j] on.
    let inf = usize::MAX / 2;
    let mut cost = vec![vec![inf; m]; n + 1];
    let mut choice = vec![vec![0; m]; n + 1];
    cost[n][m - 1] = 0;
    for i in (0..n).rev() {
        for j in 0..m {
            for k in j..m {
                let piece = &target[bounds[j]..bounds[k]];
                let c = cost[i + 1][k] + usize::from(piece != defaults[i]);
                if c < cost[i][j] {
                    cost[i][j] = c;
                    choice[i][j] = k;
                }
            }
        }
    }
    let mut out = Vec::with_capacity(n);
    let mut j = 0;
    for row in choice.iter().take(n) {
        let k = row[j];
        out.push(target[bounds[j]..bounds[k]].to_string());
        j = k;
    }
    Some(out)
}

/// A PDF text string: UTF-16BE after a byte-order mark, else PDFDocEncoding (ASCII here).
pub(crate) fn decode_text_string(bytes: &[u8]) -> String {
    text_string_chars(bytes).collect()
}

/// The characters of a PDF text string, as [`decode_text_string`] reads them (an unpaired
/// surrogate as U+FFFD).
pub(crate) fn text_string_chars(bytes: &[u8]) -> impl Iterator<Item = char> + '_ {
    let (utf16, rest) = match bytes {
        [0xFE, 0xFF, rest @ ..] => (true, rest),
        _ => (false, bytes),
    };
    let units = (rest.chunks_exact(2))
        .filter(move |_| utf16)
        .map(|p| u16::from_be_bytes([p[0], p[1]]));
    let wide = char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER));
    let narrow = (rest.iter())
        .filter(move |_| !utf16)
        .map(|&b| char::from(b));
    wide.chain(narrow)
}

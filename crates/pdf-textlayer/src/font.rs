//! The fonts of the PDF: each checked to be what typst writes, the text of each of its glyphs
//! read from its program, and its ToUnicode map, CIDToGIDMap and widths written again.

use std::collections::{BTreeMap, HashMap};

use lopdf::{Dictionary, Object, ObjectId, Stream};

use crate::error::OrMalformed;
use crate::glyphs::glyph_names;
use crate::memo::{Memo, hash128};
use crate::raw::Raw;
use crate::{Error, Glyphs, decoded};

/// The first code of glyphs that stand for no text (the nikhahit of ำ). Their ToUnicode entry is
/// empty; pdf.js and pdfium read an empty entry as the code itself, and U+200B is a character
/// every reader tested drops. (The /ActualText around such a cluster stays for poppler and pdfium.)
const EMPTY_CODE: u16 = 0x200B;

/// One embedded CID font and what the rewrite learns about it.
pub(crate) struct Font {
    /// The font's /BaseFont, for errors.
    pub name: String,
    /// Text of each CID (the subset's glyph id) as the font's cmap gives it.
    pub text: Vec<Option<String>>,
    /// A hash of `text`, for the keys of remembered pages.
    pub text_hash: u128,
    /// Extra codes: (glyph id, text) -> alias CID.
    aliases: BTreeMap<(u16, String), u16>,
    /// The alias requests of the page being rewritten, in order: (glyph id, text, code).
    pub requests: Vec<(u16, String, u16)>,
    /// Each glyph's width as the /W array gives it, in thousandths of the font size, and the
    /// width /DW gives the glyphs it leaves out.
    widths: HashMap<u16, f32>,
    default_width: f32,
}

impl Font {
    /// A font whose glyphs read as `text`, without aliases yet.
    pub fn new(name: String, text: Vec<Option<String>>) -> Self {
        Self {
            name,
            text_hash: hash128(&text),
            text,
            aliases: BTreeMap::new(),
            requests: Vec::new(),
            widths: HashMap::new(),
            default_width: 1000.0,
        }
    }

    /// The width the PDF gives glyph `cid`, in thousandths of the font size.
    pub fn width(&self, cid: u16) -> f32 {
        self.widths.get(&cid).copied().unwrap_or(self.default_width)
    }

    /// The code that draws glyph `gid` and reads as `text`.
    pub fn alias(&mut self, gid: u16, text: &str) -> u16 {
        let key = (gid, text.to_string());
        // The next free code is counted only for a new alias: most requests repeat one.
        let code = match self.aliases.get(&key) {
            Some(&code) => code,
            None => {
                let empty = self.aliases.keys().filter(|k| k.1.is_empty()).count();
                let code = if text.is_empty() {
                    EMPTY_CODE + empty as u16
                } else {
                    (self.text.len() + self.aliases.len() - empty) as u16
                };
                self.aliases.insert(key.clone(), code);
                code
            }
        };
        self.requests.push((gid, key.1, code));
        code
    }
}

/// The page's font resource names and the font objects they name. A page without fonts (no
/// /Font in its resources) shows no text: a legitimate empty map.
pub(crate) fn page_fonts(
    pdf: &Raw,
    page: ObjectId,
    number: usize,
) -> Result<BTreeMap<Vec<u8>, ObjectId>, Error> {
    let mut out = BTreeMap::new();
    for resources in pdf.page_resources(page)? {
        let Ok(fonts) = resources.get(b"Font") else {
            continue;
        };
        let fonts = pdf.resolve(fonts)?.as_dict().map_err(|_| {
            let found = format!("{fonts:?}");
            Error::UnexpectedResources {
                page: number,
                found,
            }
        })?;
        for (name, font) in fonts.iter() {
            let Object::Reference(id) = font else {
                let found = format!("/{} {font:?}", String::from_utf8_lossy(name));
                return Err(Error::UnexpectedResources {
                    page: number,
                    found,
                });
            };
            out.entry(name.clone()).or_insert(*id);
        }
    }
    Ok(out)
}

/// The font's /BaseFont, for messages.
fn base_font(dict: &Dictionary) -> String {
    dict.get(b"BaseFont").and_then(Object::as_name).map_or_else(
        |_| "(no /BaseFont)".into(),
        |n| String::from_utf8_lossy(n).into(),
    )
}

/// How a value is shown in an error.
fn shown(value: Option<&Object>) -> String {
    match value {
        None => "missing".into(),
        Some(Object::Name(n)) => format!("/{}", String::from_utf8_lossy(n)),
        Some(Object::Array(a)) => format!("an array of {}", a.len()),
        Some(Object::Reference(id)) => format!("a reference to object {} {}", id.0, id.1),
        Some(other) => format!("{other:?}"),
    }
}

/// Checks that `dict`'s `key` is the name `expected`.
fn expect_name(
    dict: &Dictionary,
    font: &str,
    id: ObjectId,
    key: &'static str,
    expected: &'static str,
) -> Result<(), Error> {
    let value = dict.get(key.as_bytes()).ok();
    if value.and_then(|v| v.as_name().ok()) == Some(expected.as_bytes()) {
        return Ok(());
    }
    Err(Error::UnexpectedFont {
        font: font.into(),
        id,
        key,
        found: shown(value),
        expected: match expected {
            "Type0" => "/Type0",
            "Identity-H" => "/Identity-H",
            "CIDFontType2" => "/CIDFontType2",
            _ => "/Identity",
        },
    })
}

/// The descendant CID font of Type0 font `font`, checked: Type0 with Identity-H codes (two bytes
/// each), exactly one descendant, a CIDFontType2 (TrueType glyphs) whose CIDs are its glyph ids.
/// Returns the descendant and the font's name.
pub(crate) fn descendant(pdf: &Raw, font: ObjectId) -> Result<(ObjectId, String), Error> {
    let dict = pdf.dict(font)?;
    let name = base_font(dict);
    expect_name(dict, &name, font, "Subtype", "Type0")?;
    expect_name(dict, &name, font, "Encoding", "Identity-H")?;
    let descendants = dict.get(b"DescendantFonts").ok();
    let one = match descendants.map(|d| pdf.resolve(d)).transpose()? {
        Some(Object::Array(a)) if a.len() == 1 => a[0].as_reference().ok(),
        _ => None,
    };
    let Some(cid_font) = one else {
        return Err(Error::UnexpectedFont {
            font: name,
            id: font,
            key: "DescendantFonts",
            found: shown(descendants),
            expected: "an array of one reference",
        });
    };
    let cid_dict = pdf.dict(cid_font)?;
    expect_name(cid_dict, &name, cid_font, "Subtype", "CIDFontType2")?;
    expect_name(cid_dict, &name, cid_font, "CIDToGIDMap", "Identity")?;
    Ok((cid_font, name))
}

/// Reads a Type0 font's embedded TrueType subset: the text of each glyph, by its name. With a
/// memo, the texts are kept for the next rewrite that meets the same font file (under `watch`,
/// typst embeds the same subsets again after most edits; reading them was 0.8 ms of a 62 ms
/// rebuild).
pub(crate) fn read(
    pdf: &Raw,
    font: ObjectId,
    glyphs: &Glyphs,
    mut memo: Option<&mut Memo>,
) -> Result<Font, Error> {
    let (cid_font, name) = descendant(pdf, font)?;
    let cid_dict = pdf.dict(cid_font)?;
    let descriptor = cid_dict.get(b"FontDescriptor").ok();
    let file = match descriptor.map(|d| pdf.resolve(d)).transpose()? {
        Some(Object::Dictionary(d)) => d.get(b"FontFile2").ok(),
        _ => None,
    };
    let Some(Object::Reference(file)) = file else {
        return Err(Error::UnexpectedFont {
            font: name,
            id: cid_font,
            key: "FontDescriptor",
            found: format!("a descriptor whose /FontFile2 is {}", shown(file)),
            expected: "a descriptor with a /FontFile2 stream (a TrueType program)",
        });
    };
    let mut out = Font::new(name, Vec::new());
    (out.widths, out.default_width) = widths(pdf, cid_font, &out.name)?;
    let key = memo
        .as_ref()
        .and_then(|_| pdf.typst_data(*file))
        .map(hash128);
    if let (Some(key), Some(memo)) = (key, memo.as_deref_mut())
        && let Some((text, hash)) = memo.font_text(key)
    {
        out.text = text;
        out.text_hash = hash;
        return Ok(out);
    }
    let data = decoded(pdf, *file)?;
    let face = ttf_parser::Face::parse(&data, 0).map_err(|e| Error::FontProgram {
        font: out.name.clone(),
        reason: e.to_string(),
    })?;
    let names = glyph_names(&face);
    out.text = (names.iter())
        .map(|name| name.and_then(|n| glyphs.text(n)))
        .collect();
    // Every glyph but .notdef stands for text: one whose name says none would read as nothing
    // wherever no /ActualText span gives it text (a subset whose glyph names were dropped
    // would lose all its text).
    if let Some(glyph) = (1..out.text.len()).find(|&g| out.text[g].is_none()) {
        return Err(Error::GlyphWithoutText {
            font: out.name,
            glyph: glyph as u16,
            name: names[glyph].map_or_else(|| "(none)".into(), str::to_string),
        });
    }
    out.text_hash = hash128(&out.text);
    if let (Some(key), Some(memo)) = (key, memo) {
        memo.remember_font_text(key, out.text.clone(), out.text_hash);
    }
    Ok(out)
}

/// Writes a font's ToUnicode map and, for its aliases, its CIDToGIDMap and widths.
pub(crate) fn write(pdf: &mut Raw, font: ObjectId, info: &Font) -> Result<(), Error> {
    let mut entries: Vec<(u16, &str)> = info
        .text
        .iter()
        .enumerate()
        .filter_map(|(cid, t)| Some((cid as u16, t.as_deref()?)))
        .filter(|(cid, _)| *cid != 0)
        .collect();
    entries.extend(info.aliases.iter().map(|((_, t), cid)| (*cid, t.as_str())));
    entries.sort_unstable();
    // The map typst wrote is replaced where it stands, so no unused object stays in the file.
    let cmap = Stream::new(Dictionary::new(), to_unicode_cmap(&entries).into_bytes());
    match pdf.dict(font)?.get(b"ToUnicode") {
        Ok(Object::Reference(id)) => pdf.set(*id, Object::Stream(cmap)),
        _ => {
            let id = pdf.add(Object::Stream(cmap));
            (pdf.get_mut(font)?.as_dict_mut().or_malformed()?)
                .set("ToUnicode", Object::Reference(id));
        }
    }
    if info.aliases.is_empty() {
        return Ok(());
    }

    let (cid_font, _) = descendant(pdf, font)?;
    let mut by_cid: Vec<(u16, u16)> = info.aliases.iter().map(|((g, _), c)| (*c, *g)).collect();
    by_cid.sort_unstable();
    let last = by_cid.last().map_or(0, |c| c.0);
    let mut gids: Vec<u16> = (0..=last)
        .map(|c| {
            if usize::from(c) < info.text.len() {
                c
            } else {
                0
            }
        })
        .collect();
    for (cid, gid) in &by_cid {
        gids[usize::from(*cid)] = *gid;
    }
    let map = Stream::new(
        Dictionary::new(),
        gids.iter().flat_map(|g| g.to_be_bytes()).collect(),
    );
    let map_id = pdf.add(Object::Stream(map));
    let (widths, default) = widths(pdf, cid_font, &info.name)?;
    let mut w = match pdf.dict(cid_font)?.get(b"W") {
        Ok(w) => pdf.resolve(w)?.as_array().or_malformed()?.clone(),
        Err(_) => Vec::new(),
    };
    let dict = pdf.get_mut(cid_font)?.as_dict_mut().or_malformed()?;
    dict.set("CIDToGIDMap", Object::Reference(map_id));
    for (cid, gid) in by_cid {
        // A glyph the /W array leaves out has the default width /DW, and so has its alias.
        let width = widths.get(&gid).copied().unwrap_or(default);
        w.push(Object::Integer(i64::from(cid)));
        w.push(Object::Array(vec![Object::Real(width)]));
    }
    dict.set("W", Object::Array(w));
    Ok(())
}

fn number(o: &Object) -> Option<f32> {
    o.as_float()
        .ok()
        .or_else(|| o.as_i64().ok().map(|i| i as f32))
}

/// The widths a CID font's /W array gives (`c [w …]` and `c_first c_last w` forms), and its
/// default width /DW (1000 where it has none). An array of another shape is an error: the
/// aliases would get widths other than their glyphs', and the text would move.
fn widths(pdf: &Raw, cid_font: ObjectId, font: &str) -> Result<(HashMap<u16, f32>, f32), Error> {
    let mut out = HashMap::new();
    let dict = pdf.dict(cid_font)?;
    let default = dict.get(b"DW").ok().and_then(number).unwrap_or(1000.0);
    let Ok(w) = dict.get(b"W") else {
        return Ok((out, default));
    };
    let bad = |found: String| Error::UnexpectedFont {
        font: font.into(),
        id: cid_font,
        key: "W",
        found,
        expected: "an array of `c [w ...]` and `c_first c_last w` entries",
    };
    let w = pdf
        .resolve(w)?
        .as_array()
        .map_err(|_| bad(shown(Some(w))))?;
    let mut i = 0;
    while i < w.len() {
        let Some(first) = number(&w[i]) else {
            return Err(bad(format!("{:?} at entry {i}", w[i])));
        };
        match w.get(i + 1) {
            Some(Object::Array(ws)) => {
                for (k, x) in ws.iter().enumerate() {
                    let x = number(x).ok_or_else(|| bad(format!("{x:?} at entry {i}")))?;
                    out.insert(first as u16 + k as u16, x);
                }
                i += 2;
            }
            Some(last) => {
                let (Some(last), Some(x)) = (number(last), w.get(i + 2).and_then(number)) else {
                    return Err(bad(format!("an incomplete range at entry {i}")));
                };
                for c in first as u16..=last as u16 {
                    out.insert(c, x);
                }
                i += 3;
            }
            None => return Err(bad(format!("a code without widths at entry {i}"))),
        }
    }
    Ok((out, default))
}

/// A ToUnicode CMap with one bfchar entry per code; an empty text maps to nothing.
fn to_unicode_cmap(entries: &[(u16, &str)]) -> String {
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    for chunk in entries.chunks(100) {
        out.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for (cid, text) in chunk {
            let hex: String = text.encode_utf16().map(|u| format!("{u:04X}")).collect();
            out.push_str(&format!("<{cid:04X}> <{hex}>\n"));
        }
        out.push_str("endbfchar\n");
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out
}

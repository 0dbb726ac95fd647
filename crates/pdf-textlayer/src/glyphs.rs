//! The text of each glyph name of the fonts a PDF's subsets were cut from, read from their own
//! cmaps: the embedded subsets keep their glyph names (`post` table) but not the characters.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The fonts whose subsets a PDF embeds, and the tables read from them on first use (2.5 ms for
/// the four Sarabun faces). Share one behind an `Arc` between the [`crate::TextLayer`]s of a
/// process: the tables are a pure function of the fonts.
pub struct Glyphs {
    fonts: Vec<Cow<'static, [u8]>>,
    tables: OnceLock<Tables>,
}

/// What the rewrite reads from the fonts.
pub(crate) struct Tables {
    /// Text of each glyph name, from the fonts' cmaps: `uni0E35.narrow`, a form of ี the font
    /// substitutes for a narrow consonant, is ี. Several characters may share a glyph (space and
    /// no-break space): the lowest is kept, the one text usually holds.
    text: HashMap<String, String>,
    /// Characters that reach the PDF as one glyph of their own whose text is that character
    /// again: an /ActualText span made of these alone reads the same from its glyphs, so it needs
    /// no other codes and is not parsed. Not ำ: every Thai shaper draws it as ํ + า. Sorted, for
    /// a binary search.
    simple: Vec<char>,
}

impl Glyphs {
    /// The fonts (TrueType or OpenType files) whose subsets the PDFs to rewrite embed. Nothing is
    /// read yet.
    pub fn new(fonts: Vec<Cow<'static, [u8]>>) -> Self {
        Self {
            fonts,
            tables: OnceLock::new(),
        }
    }

    /// Reads the fonts now, if not yet: call it on an idle core before the first rewrite.
    pub fn warm_up(&self) {
        self.tables();
    }

    pub(crate) fn tables(&self) -> &Tables {
        self.tables.get_or_init(|| Tables::read(&self.fonts))
    }
}

impl Tables {
    fn read(fonts: &[Cow<'static, [u8]>]) -> Self {
        // Every (character, glyph name) the fonts' cmaps hold.
        let mut cmap: Vec<(char, String)> = Vec::new();
        for data in fonts {
            let Ok(face) = ttf_parser::Face::parse(data, 0) else {
                continue;
            };
            let Some(table) = face.tables().cmap else {
                continue;
            };
            let names = glyph_names(&face);
            for sub in table.subtables.into_iter().filter(|s| s.is_unicode()) {
                sub.codepoints(|cp| {
                    let name = sub
                        .glyph_index(cp)
                        .and_then(|g| names.get(usize::from(g.0)).copied().flatten());
                    if let (Some(c), Some(name)) = (char::from_u32(cp), name) {
                        cmap.push((c, name.to_string()));
                    }
                });
            }
        }
        let mut lowest: HashMap<String, char> = HashMap::new();
        for (c, name) in &cmap {
            lowest
                .entry(name.clone())
                .and_modify(|t| *t = (*t).min(*c))
                .or_insert(*c);
        }
        let text: HashMap<String, String> = lowest
            .into_iter()
            .map(|(n, c)| (n, c.to_string()))
            .collect();
        let mut simple: Vec<char> = cmap
            .iter()
            .filter(|(c, name)| *c != 'ำ' && text.get(name) == Some(&c.to_string()))
            .map(|(c, _)| *c)
            .collect();
        simple.sort_unstable();
        simple.dedup();
        Self { text, simple }
    }

    /// Whether `c` reads the same from its one glyph (see [`Tables::simple`]).
    pub(crate) fn is_simple(&self, c: char) -> bool {
        self.simple.binary_search(&c).is_ok()
    }

    /// The text a glyph stands for, from its name: its entry in the fonts' cmaps, else the name
    /// without its suffix (`.narrow`), else an Adobe Glyph List name of a Thai letter, else its
    /// parts (`f_i`), else a `uniXXXX` name.
    pub(crate) fn glyph_text(&self, name: &str) -> Option<String> {
        if let Some(t) = self.text.get(name) {
            return Some(t.clone());
        }
        let base = name.split('.').next().unwrap_or(name);
        if let Some(t) = self.text.get(base) {
            return Some(t.clone());
        }
        if let Some((_, c)) =
            (THAI_GLYPH_NAMES.iter().chain(&MARK_GLYPH_NAMES)).find(|(n, _)| *n == base)
        {
            return Some(c.to_string());
        }
        if base.contains('_') {
            return base.split('_').map(|part| self.glyph_text(part)).collect();
        }
        let hex = base
            .strip_prefix("uni")
            .or_else(|| base.strip_prefix('u'))?;
        let chunk = if base.starts_with("uni") {
            4
        } else {
            hex.len()
        };
        if hex.is_empty() || !hex.len().is_multiple_of(chunk) {
            return None;
        }
        (0..hex.len())
            .step_by(chunk)
            .map(|i| {
                u32::from_str_radix(&hex[i..i + chunk], 16)
                    .ok()
                    .and_then(char::from_u32)
            })
            .collect()
    }
}

/// The name of each glyph of a face, read in one pass. ttf-parser's `glyph_name` walks the list
/// of names from its start for each glyph, which made reading the four Sarabun faces 12 ms of a
/// build; this reads the name index of a version 2 `post` table directly (its layout: a 32-byte
/// header, the number of glyphs, then one big-endian index per glyph; indexes from 258 on
/// point into the list of names that follows).
pub(crate) fn glyph_names<'a>(face: &'a ttf_parser::Face<'a>) -> Vec<Option<&'a str>> {
    let count = face.number_of_glyphs();
    let by_glyph = |g: u16| face.glyph_name(ttf_parser::GlyphId(g));
    let (Some(post), Some(raw)) = (
        face.tables().post,
        face.raw_face().table(ttf_parser::Tag::from_bytes(b"post")),
    ) else {
        return (0..count).map(by_glyph).collect();
    };
    if raw.get(..4) != Some(&[0, 2, 0, 0]) {
        return (0..count).map(by_glyph).collect();
    }
    let custom: Vec<&str> = post.names().collect();
    (0..count)
        .map(|g| {
            let at = 34 + 2 * usize::from(g);
            match raw.get(at..at + 2) {
                Some(&[hi, lo]) if u16::from_be_bytes([hi, lo]) >= 258 => custom
                    .get(usize::from(u16::from_be_bytes([hi, lo]) - 258))
                    .copied(),
                _ => by_glyph(g),
            }
        })
        .collect()
}

/// Adobe Glyph List names of the Thai letters whose other forms Sarabun names after them, while
/// it names the letters themselves `uniXXXX`: ญ and ฐ without their lower part (`yoYingthai.less`,
/// drawn before a vowel below, as in ญู), ฎ, ฏ and ฬ with a shorter one (`doChadathai.short`).
const THAI_GLYPH_NAMES: [(&str, char); 5] = [
    ("yoYingthai", 'ญ'),
    ("doChadathai", 'ฎ'),
    ("toPatakthai", 'ฏ'),
    ("thoThanthai", 'ฐ'),
    ("loChulathai", 'ฬ'),
];

/// Names of accents Sarabun stacks in one glyph for Vietnamese (`breve_hookabove` over ẳ,
/// `circumflex_hookabove` over ẩ): read as the combining marks they draw.
const MARK_GLYPH_NAMES: [(&str, char); 3] = [
    ("breve", '\u{0306}'),
    ("circumflex", '\u{0302}'),
    ("hookabove", '\u{0309}'),
];

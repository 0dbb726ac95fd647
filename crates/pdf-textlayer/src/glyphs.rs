//! The text of a glyph, read from its name: the embedded subsets keep their glyph names (`post`
//! table) but not the characters. A name reads through the cmaps of the fonts the subsets were
//! cut from, the names the caller gives, and the rules of the Adobe Glyph List specification
//! (`.suffix` dropped, `_` between the parts of a ligature, the list's names, `uniXXXX`,
//! `uXXXX`), which hold for any font that names its glyphs by them.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{LazyLock, OnceLock};

/// What a glyph's name reads as: the fonts a PDF's subsets were cut from, names the caller gives,
/// and the tables read from them on first use (2.5 ms for the four faces of a font family).
/// Share one behind an `Arc` between the [`crate::TextLayer`]s of a process: the tables are a
/// pure function of the fonts and names.
///
/// A glyph named `name` reads as, the first that gives a text:
/// 1. the character the fonts' cmaps map to a glyph named `name` (the lowest, where several
///    share it, as space and no-break space do);
/// 2. the same for `name` without its suffix (from its first `.`: `uni0E35.narrow` is the glyph
///    `uni0E35` maps to);
/// 3. the text given for `name`, then for `name` without its suffix, with [`Glyphs::name`];
/// 4. the Adobe Glyph List's character for `name` without its suffix (`dong` is ₫);
/// 5. a ligature's parts, each read by these rules: `f_i` is `fi`;
/// 6. `uniXXXX`, one or more groups of four hexadecimal digits, or `uXXXX` to `uXXXXXX`, one
///    character.
///
/// Without fonts and names (`Glyphs::default()`), steps 4 to 6 alone: enough for a font whose
/// glyph names all follow the Adobe Glyph List specification.
///
/// ```
/// use pdf_textlayer::Glyphs;
///
/// let mut glyphs = Glyphs::default();
/// glyphs.name("yoYingthai", "ญ");
/// assert_eq!(glyphs.text("yoYingthai.less").as_deref(), Some("ญ"));
/// assert_eq!(glyphs.text("uni0E01_uni0E32").as_deref(), Some("กา"));
/// assert_eq!(glyphs.text("dong").as_deref(), Some("₫"));
/// assert_eq!(glyphs.text("yoyingthai").as_deref(), Some("ญ"), "the Adobe Glyph List's name");
/// assert_eq!(glyphs.text("notAName"), None);
/// ```
#[derive(Default)]
pub struct Glyphs {
    fonts: Vec<Cow<'static, [u8]>>,
    names: HashMap<String, String>,
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
    /// The fonts (TrueType or OpenType files) whose subsets the PDFs to rewrite embed: their
    /// cmaps say what each glyph name reads as. Nothing is read yet.
    pub fn new(fonts: Vec<Cow<'static, [u8]>>) -> Self {
        Self {
            fonts,
            ..Self::default()
        }
    }

    /// Makes glyphs named `name` (or `name.suffix`, or a ligature with `name` as a part) read
    /// as `text` where the fonts' cmaps do not name them: names a font family gives glyphs the
    /// cmaps do not reach (a letter's form drawn before a vowel below, named after the letter),
    /// or that it uses otherwise than the Adobe Glyph List does (an accent's name for the
    /// combining mark stacked with another).
    pub fn name(&mut self, name: impl Into<String>, text: impl Into<String>) -> &mut Glyphs {
        self.names.insert(name.into(), text.into());
        self
    }

    /// The text a glyph named `name` stands for (see [`Glyphs`] for the rules), or `None` if its
    /// name says none.
    pub fn text(&self, name: &str) -> Option<String> {
        self.tables().glyph_text(name, &self.names)
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

    /// The text a glyph stands for, from its name, by the rules [`Glyphs`] lists; `names` are
    /// the caller's.
    pub(crate) fn glyph_text(&self, name: &str, names: &HashMap<String, String>) -> Option<String> {
        if let Some(t) = self.text.get(name) {
            return Some(t.clone());
        }
        let base = name.split('.').next().unwrap_or(name);
        if let Some(t) = self.text.get(base) {
            return Some(t.clone());
        }
        if let Some(t) = names.get(name).or_else(|| names.get(base)) {
            return Some(t.clone());
        }
        if let Some(t) = agl(base) {
            return Some(t);
        }
        if base.contains('_') {
            return (base.split('_'))
                .map(|part| self.glyph_text(part, names))
                .collect();
        }
        unicode_name(base)
    }
}

/// The text of a `uniXXXX` name (one or more groups of four hexadecimal digits) or a `uXXXX` to
/// `uXXXXXX` name (one character), as the Adobe Glyph List specification reads them.
fn unicode_name(name: &str) -> Option<String> {
    let (hex, chunk) = match name.strip_prefix("uni") {
        Some(hex) => (hex, 4),
        None => {
            let hex = name.strip_prefix('u')?;
            (hex, hex.len())
        }
    };
    if hex.is_empty() || !hex.len().is_multiple_of(chunk) || !(4..=6).contains(&chunk) {
        return None;
    }
    (0..hex.len())
        .step_by(chunk)
        .map(|i| {
            let digits = &hex[i..i + chunk];
            (digits.bytes().all(|b| b.is_ascii_hexdigit()))
                .then(|| u32::from_str_radix(digits, 16).ok())
                .flatten()
                .and_then(char::from_u32)
        })
        .collect()
}

/// The Adobe Glyph List 2.0 (`agl/glyphlist.txt`, BSD-3-Clause, Adobe): a name, `;`, then the
/// character or characters it stands for in hexadecimal, one line a name, sorted by name.
const GLYPH_LIST: &str = include_str!("agl/glyphlist.txt");

/// The Adobe Glyph List's entries, read on first use (a name missing from the fonts' cmaps and
/// the caller's names): sorted by name, as the file is.
static AGL: LazyLock<Vec<(&str, &str)>> = LazyLock::new(|| {
    (GLYPH_LIST.lines())
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split_once(';'))
        .collect()
});

/// The text the Adobe Glyph List gives `name`, if it lists it.
fn agl(name: &str) -> Option<String> {
    let at = AGL.binary_search_by(|(n, _)| (*n).cmp(name)).ok()?;
    (AGL[at].1.split(' '))
        .map(|hex| char::from_u32(u32::from_str_radix(hex, 16).ok()?))
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The list is sorted as Rust compares strings, for the binary search, and every entry
    /// reads as text.
    #[test]
    fn the_glyph_list_is_sorted_and_reads() {
        assert!(AGL.len() > 4000, "{} entries", AGL.len());
        assert!(AGL.windows(2).all(|w| w[0].0 < w[1].0));
        for (name, _) in AGL.iter() {
            assert!(agl(name).is_some(), "{name}");
        }
        assert_eq!(agl("A").as_deref(), Some("A"));
        assert_eq!(agl("zukatakana").as_deref(), Some("ズ"));
        assert_eq!(agl("dalethatafpatah").as_deref(), Some("\u{05D3}\u{05B2}"));
    }

    #[test]
    fn unicode_names_read_as_the_specification_says() {
        assert_eq!(unicode_name("uni0E010E32").as_deref(), Some("กา"));
        assert_eq!(unicode_name("u1F600").as_deref(), Some("😀"));
        assert_eq!(unicode_name("u0E01").as_deref(), Some("ก"));
        // Too few or too many digits for a `u` name, a group cut short, not hex, a surrogate.
        for name in [
            "uab", "u1234567", "uni0E0", "uniXYZW", "uniD800", "u", "uni",
        ] {
            assert_eq!(unicode_name(name), None, "{name}");
        }
    }
}

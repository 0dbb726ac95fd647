//! The embedded Sarabun fonts: their bytes, parsed once per process for typst, and the characters
//! all four faces can draw; and the fonts a project adds in its `fonts/` folder (another script's,
//! such as Lao). A leaf: `check` asks it what prints, the typeset stage lays text out in it, the
//! text layer reads its cmaps and glyph names ([`GLYPHS`]), and the preview and site serve it.

use std::sync::{Arc, LazyLock};

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

/// The Sarabun family, carried in the binary so it runs from any directory without system fonts.
pub const FONT_FILES: [&[u8]; 4] = [
    include_bytes!("../../fonts/Sarabun-Regular.ttf"),
    include_bytes!("../../fonts/Sarabun-Bold.ttf"),
    include_bytes!("../../fonts/Sarabun-Italic.ttf"),
    include_bytes!("../../fonts/Sarabun-BoldItalic.ttf"),
];

/// Parsed fonts and their book, built once per process and shared by every build.
pub struct FontSet {
    pub book: LazyHash<FontBook>,
    pub fonts: Vec<Font>,
}

// Not a cache: constant data compiled into the binary, parsed once.
static FONTS: LazyLock<Arc<FontSet>> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONT_FILES
        .iter()
        .flat_map(|data| Font::iter(Bytes::new(*data)))
        .collect();
    Arc::new(FontSet {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    })
});

/// What the text layer reads from the embedded fonts (the text of each glyph name, 2.5 ms) and
/// the names Sarabun gives glyphs ([`SARABUN_NAMES`]), once a process and shared by every
/// text layer (`crate::pdf::text_layer`) and by the check of a project's fonts: a pure function
/// of the fonts compiled into the binary, as [`FONTS`] is, never cleared and never stale. Read on
/// first use.
pub static GLYPHS: LazyLock<Arc<pdf_textlayer::Glyphs>> = LazyLock::new(|| {
    let fonts = FONT_FILES
        .iter()
        .map(|data| std::borrow::Cow::Borrowed(*data))
        .collect();
    let mut glyphs = pdf_textlayer::Glyphs::new(fonts);
    for (name, text) in SARABUN_NAMES {
        glyphs.name(name, text);
    }
    Arc::new(glyphs)
});

/// Names Sarabun gives glyphs its cmap does not reach and the Adobe Glyph List does not know,
/// for the text layer: the other forms of five Thai letters, named after the letters in
/// Glyphs.app's camel case where the list has `yoyingthai` (ญ and ฐ without their lower part,
/// `yoYingthai.less`, drawn before a vowel below as in ญู; ฎ, ฏ and ฬ with a shorter one,
/// `doChadathai.short`), and the hook it stacks over an accent for Vietnamese
/// (`breve_hookabove` over ẳ), which the list calls `hookabovecomb`. Without one, a glyph would
/// read as nothing and the text layer would refuse the PDF
/// (`textlayer::every_glyph_of_the_embedded_fonts_has_a_text` checks every glyph).
pub const SARABUN_NAMES: [(&str, &str); 6] = [
    ("yoYingthai", "ญ"),
    ("doChadathai", "ฎ"),
    ("toPatakthai", "ฏ"),
    ("thoThanthai", "ฐ"),
    ("loChulathai", "ฬ"),
    ("hookabove", "\u{0309}"),
];

/// Characters every embedded face has a glyph for, read from their cmaps: text is set in all four
/// (bold headings, italic), so a character one lacks cannot be printed everywhere.
// Not a cache: constant data of the fonts compiled into the binary, read once.
static COVERED: LazyLock<std::collections::HashSet<char>> = LazyLock::new(|| {
    let mut common: Option<std::collections::HashSet<char>> = None;
    for data in FONT_FILES {
        let mut chars = std::collections::HashSet::new();
        if let Ok(face) = ttf_parser::Face::parse(data, 0) {
            drawn(&face, |c, _| {
                chars.insert(c);
            });
        }
        common = Some(match common {
            None => chars,
            Some(common) => common.intersection(&chars).copied().collect(),
        });
    }
    common.unwrap_or_default()
});

/// Each character `face`'s Unicode cmaps map to a glyph other than .notdef, with that glyph (a
/// character of several subtables, once for each).
fn drawn(face: &ttf_parser::Face, mut each: impl FnMut(char, ttf_parser::GlyphId)) {
    for sub in (face.tables().cmap.into_iter())
        .flat_map(|cmap| cmap.subtables.into_iter())
        .filter(|s| s.is_unicode())
    {
        sub.codepoints(|cp| {
            if let Some(c) = char::from_u32(cp)
                && let Some(glyph) = sub.glyph_index(cp).filter(|g| g.0 != 0)
            {
                each(c, glyph);
            }
        });
    }
}

/// The regular face, parsed once, for the widths [`advance`] reads.
// Not a cache: constant data of the fonts compiled into the binary, parsed once.
static REGULAR: LazyLock<Option<ttf_parser::Face<'static>>> =
    LazyLock::new(|| ttf_parser::Face::parse(FONT_FILES[0], 0).ok());

/// How far `c` advances the pen in the embedded regular face, in ems; `None` for a character it
/// has no glyph for.
pub fn advance(c: char) -> Option<f32> {
    common_index(c).map_or_else(|| read_advance(c), |i| COMMON_ADVANCES[i])
}

/// The characters whose font facts are read once into tables: ASCII and the Thai block, nearly
/// all of a report's text, which `check` and the columns' widths ask about character by character.
fn common_chars() -> impl Iterator<Item = char> {
    (0..0x80).chain(0x0E00..0x0E80).filter_map(char::from_u32)
}

/// Where `c` stands in [`common_chars`], if it is one of them.
fn common_index(c: char) -> Option<usize> {
    match u32::from(c) {
        u @ 0..=0x7F => Some(u as usize),
        u @ 0x0E00..=0x0E7F => Some((u - 0x0E00 + 0x80) as usize),
        _ => None,
    }
}

/// [`advance`] of ASCII and the Thai block, read once: `check` and the columns' widths ask it of
/// every character of the text, and the lookup in the cmap was a tenth of `check`.
// Not a cache: constant data of the fonts compiled into the binary, read once.
static COMMON_ADVANCES: LazyLock<Vec<Option<f32>>> =
    LazyLock::new(|| common_chars().map(read_advance).collect());

fn read_advance(c: char) -> Option<f32> {
    let face = REGULAR.as_ref()?;
    let glyph = face.glyph_index(c).filter(|g| g.0 != 0)?;
    let units = face.glyph_hor_advance(glyph)?;
    Some(f32::from(units) / f32::from(face.units_per_em()))
}

/// Whether the embedded fonts can draw `c`.
pub fn prints(c: char) -> bool {
    common_index(c).map_or_else(|| COVERED.contains(&c), |i| COMMON_COVERED[i])
}

/// [`COVERED`] for ASCII and the Thai block, as [`COMMON_ADVANCES`]: `check` asks it of every
/// character of the content, and hashing each was half a millisecond of a build.
// Not a cache: constant data of the fonts compiled into the binary, read once.
static COMMON_COVERED: LazyLock<Vec<bool>> =
    LazyLock::new(|| common_chars().map(|c| COVERED.contains(&c)).collect());

/// The embedded fonts.
pub fn fonts() -> Arc<FontSet> {
    FONTS.clone()
}

mod project;
pub use project::{Coverage, ProjectFont, ProjectFonts};

#[cfg(test)]
mod tests {
    use super::*;

    /// The tables of the common characters say what the fonts say, in and out of them.
    #[test]
    fn prints_and_advance_read_as_the_fonts_do() {
        let chars = (0..0x3000).filter_map(char::from_u32);
        for c in chars.chain(['😀', '\u{E000}', '\u{10FFFF}']) {
            assert_eq!(prints(c), COVERED.contains(&c), "{c:?}");
            assert_eq!(advance(c), read_advance(c), "{c:?}");
        }
        assert_eq!(common_chars().count(), 256);
        assert!(
            common_chars()
                .enumerate()
                .all(|(i, c)| common_index(c) == Some(i))
        );
        assert!(prints('ก') && prints('a') && !prints('\u{0E7F}'));
    }
}

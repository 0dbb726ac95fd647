//! The embedded Sarabun fonts: their bytes, parsed once per process for typst, and the characters
//! all four faces can draw; and the fonts a project adds in its `fonts/` folder (another script's,
//! such as Lao). A leaf: `check` asks it what prints, the typeset stage lays text out in it, the
//! text layer reads its cmaps, and the preview and site serve it.

use std::sync::{Arc, LazyLock};

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

/// The Sarabun family, carried in the binary so it runs from any directory without system fonts.
pub const FONT_FILES: [&[u8]; 4] = [
    include_bytes!("../fonts/Sarabun-Regular.ttf"),
    include_bytes!("../fonts/Sarabun-Bold.ttf"),
    include_bytes!("../fonts/Sarabun-Italic.ttf"),
    include_bytes!("../fonts/Sarabun-BoldItalic.ttf"),
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

/// Characters every embedded face has a glyph for, read from their cmaps: text is set in all four
/// (bold headings, italic), so a character one lacks cannot be printed everywhere.
// Not a cache: constant data of the fonts compiled into the binary, read once.
static COVERED: LazyLock<std::collections::HashSet<char>> = LazyLock::new(|| {
    let mut common: Option<std::collections::HashSet<char>> = None;
    for data in FONT_FILES {
        let mut chars = std::collections::HashSet::new();
        if let Some(cmap) = ttf_parser::Face::parse(data, 0)
            .ok()
            .and_then(|f| f.tables().cmap)
        {
            for sub in cmap.subtables.into_iter().filter(|s| s.is_unicode()) {
                sub.codepoints(|cp| {
                    if let Some(c) = char::from_u32(cp)
                        && sub.glyph_index(cp).is_some_and(|g| g.0 != 0)
                    {
                        chars.insert(c);
                    }
                });
            }
        }
        common = Some(match common {
            None => chars,
            Some(common) => common.intersection(&chars).copied().collect(),
        });
    }
    common.unwrap_or_default()
});

/// Whether the embedded fonts can draw `c`.
pub fn prints(c: char) -> bool {
    COVERED.contains(&c)
}

/// The embedded fonts.
pub fn fonts() -> Arc<FontSet> {
    FONTS.clone()
}

/// What a project's text can be printed in: the characters all embedded faces have, and any
/// character a font of the project's `fonts/` folder has.
pub struct Coverage {
    extra: std::collections::HashSet<char>,
}

impl Coverage {
    /// The embedded fonts and the project's own, read from `<root>/fonts/`.
    pub fn of_project(root: &std::path::Path) -> Self {
        let mut extra = std::collections::HashSet::new();
        for data in project_font_files(root) {
            let count = ttf_parser::fonts_in_collection(&data).unwrap_or(1);
            for index in 0..count {
                let Ok(face) = ttf_parser::Face::parse(&data, index) else {
                    continue;
                };
                for sub in (face.tables().cmap.into_iter())
                    .flat_map(|cmap| cmap.subtables.into_iter())
                    .filter(|s| s.is_unicode())
                {
                    sub.codepoints(|cp| {
                        if let Some(c) = char::from_u32(cp)
                            && sub.glyph_index(cp).is_some_and(|g| g.0 != 0)
                        {
                            extra.insert(c);
                        }
                    });
                }
            }
        }
        Self { extra }
    }

    /// Whether `c` can be printed.
    pub fn prints(&self, c: char) -> bool {
        prints(c) || self.extra.contains(&c)
    }
}

/// The embedded fonts and those a project keeps in its `fonts/` folder (TrueType or OpenType, e.g.
/// Noto Sans Lao for a script Sarabun lacks): typst falls back to them for characters Sarabun
/// does not have.
pub fn for_project(root: &std::path::Path) -> Arc<FontSet> {
    let extra = project_font_files(root);
    if extra.is_empty() {
        return fonts();
    }
    // The embedded faces as already parsed (a Font is shared, not copied), then the project's.
    let fonts: Vec<Font> = (FONTS.fonts.iter().cloned())
        .chain(extra.into_iter().map(Bytes::new).flat_map(Font::iter))
        .collect();
    Arc::new(FontSet {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    })
}

/// The bytes of each font file in the project's `fonts/` folder, sorted by name.
pub fn project_font_files(root: &std::path::Path) -> Vec<Vec<u8>> {
    let Ok(dir) = std::fs::read_dir(root.join("fonts")) else {
        return Vec::new();
    };
    let mut paths: Vec<_> = dir
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                matches!(
                    e.to_ascii_lowercase().as_str(),
                    "ttf" | "otf" | "ttc" | "otc"
                )
            })
        })
        .collect();
    paths.sort();
    // Read as any project file is: inside the project (a symlink out of it is skipped), regular
    // files only, at most 64 MB each.
    (paths.into_iter())
        .filter_map(|p| crate::files::read_confined(root, &p, 64 << 20).ok())
        .collect()
}

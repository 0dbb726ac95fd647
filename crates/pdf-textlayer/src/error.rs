//! Why a PDF's text layer was not rewritten: each variant names an assumption about the PDF it
//! is given (typst 0.15.1's output, written by krilla) and what was found instead, so that a
//! typst upgrade that changes the PDF fails here, loudly, instead of leaving text that copies out
//! wrong.

use std::fmt;

/// A rewrite that could not be made. Nothing is written when one is returned. The enum and each
/// variant are `#[non_exhaustive]`: a kind of error or a field can be added without breaking a
/// caller that matches with `..`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The file does not read as a PDF: damaged, cut short, an object that does not parse.
    #[non_exhaustive]
    Malformed {
        /// What did not read, in the PDF reader's words.
        what: String,
    },
    /// The file is laid out in a way typst does not write: a cross-reference stream, an
    /// incremental update, encryption.
    #[non_exhaustive]
    UnexpectedLayout {
        /// The layout found, e.g. `an incremental update (the trailer has /Prev)`.
        what: &'static str,
    },
    /// A font is not the kind typst writes: a Type0 font with Identity-H encoding and one
    /// CIDFontType2 descendant whose CIDToGIDMap is /Identity and whose program is a FontFile2.
    #[non_exhaustive]
    UnexpectedFont {
        /// The font's /BaseFont, e.g. `ABCDEF+Sarabun-Regular`.
        font: String,
        /// The object number and generation of the font dictionary (or of its descendant, for a
        /// key of the descendant).
        id: (u32, u16),
        /// The key whose value differs, e.g. `Subtype`.
        key: &'static str,
        /// The value found, e.g. `/Type1` or `missing`.
        found: String,
        /// The value typst writes there, e.g. `/Type0`.
        expected: &'static str,
    },
    /// A font's program (the embedded TrueType subset) does not read.
    #[non_exhaustive]
    FontProgram {
        /// The font's /BaseFont.
        font: String,
        /// Why the program does not read.
        reason: String,
    },
    /// A glyph of a font's program whose name gives no text (not a character of the fonts the
    /// subsets were cut from, not named with [`crate::Glyphs::name`], not read by the Adobe
    /// Glyph List's rules): a subset without glyph names, or fonts other than those given to
    /// [`crate::Glyphs::new`].
    #[non_exhaustive]
    GlyphWithoutText {
        /// The font's /BaseFont.
        font: String,
        /// The glyph's id in the font's program.
        glyph: u16,
        /// The glyph's name, or `(none)`.
        name: String,
    },
    /// A page's fonts are not named by references in its resources.
    #[non_exhaustive]
    UnexpectedResources {
        /// The page's number, from 1.
        page: usize,
        /// What the page's resources hold instead.
        found: String,
    },
    /// A page selects a font (Tf) its resources do not name.
    #[non_exhaustive]
    UnknownFontResource {
        /// The page's number, from 1.
        page: usize,
        /// The resource name the page selects, without its `/`.
        resource: String,
    },
    /// A page shows text before it selects a font.
    #[non_exhaustive]
    TextWithoutFont {
        /// The page's number, from 1.
        page: usize,
    },
    /// A shown string is not made of two-byte codes (Identity-H), or is not a string.
    #[non_exhaustive]
    UnexpectedString {
        /// The page's number, from 1.
        page: usize,
        /// The font's /BaseFont.
        font: String,
    },
    /// A code (= glyph id, under an /Identity CIDToGIDMap) the font's program has no glyph for.
    #[non_exhaustive]
    CodeOutsideFont {
        /// The page's number, from 1.
        page: usize,
        /// The font's /BaseFont.
        font: String,
        /// The code shown.
        code: u16,
        /// How many glyphs the font's program has.
        glyphs: usize,
    },
    /// An /ActualText that is not a text string this code reads (UTF-16BE after a byte-order mark,
    /// or ASCII).
    #[non_exhaustive]
    UnexpectedActualText {
        /// The page's number, from 1.
        page: usize,
        /// The value found.
        found: String,
    },
    /// An /ActualText span with text but no glyph to carry it: its text would be lost to readers
    /// that read glyphs.
    #[non_exhaustive]
    SpanWithoutGlyphs {
        /// The page's number, from 1.
        page: usize,
        /// The span's text.
        text: String,
    },
    /// A stream could not be compressed.
    #[non_exhaustive]
    Compress {
        /// Why, in the compressor's words.
        reason: String,
    },
}

impl Error {
    pub(crate) fn malformed(what: impl Into<String>) -> Self {
        Self::Malformed { what: what.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed { what } => write!(f, "the PDF does not read ({what})"),
            Self::UnexpectedLayout { what } => {
                write!(
                    f,
                    "the PDF is laid out as typst 0.15.1 does not write it ({what})"
                )
            }
            Self::UnexpectedFont {
                font,
                id,
                key,
                found,
                expected,
            } => write!(
                f,
                "font {font} (object {} {}): /{key} is {found}, expected {expected}",
                id.0, id.1
            ),
            Self::FontProgram { font, reason } => {
                write!(f, "the program of font {font} does not read ({reason})")
            }
            Self::GlyphWithoutText { font, glyph, name } => write!(
                f,
                "font {font}: glyph {glyph} (named {name}) stands for no text the fonts' cmaps give"
            ),
            Self::UnexpectedResources { page, found } => write!(
                f,
                "page {page}: a font resource is {found}, expected a reference to a font"
            ),
            Self::UnknownFontResource { page, resource } => write!(
                f,
                "page {page}: text is set in font /{resource}, which the page's resources do not name"
            ),
            Self::TextWithoutFont { page } => {
                write!(f, "page {page}: text is shown before a font is selected")
            }
            Self::UnexpectedString { page, font } => write!(
                f,
                "page {page}: font {font} shows a string that is not made of two-byte codes (Identity-H)"
            ),
            Self::CodeOutsideFont {
                page,
                font,
                code,
                glyphs,
            } => write!(
                f,
                "page {page}: font {font} shows code {code:04X}, but its program has {glyphs} glyphs"
            ),
            Self::UnexpectedActualText { page, found } => write!(
                f,
                "page {page}: an /ActualText is {found}, expected a UTF-16BE or ASCII text string"
            ),
            Self::SpanWithoutGlyphs { page, text } => write!(
                f,
                "page {page}: the /ActualText span {text:?} shows no glyph to carry its text"
            ),
            Self::Compress { reason } => write!(f, "a stream could not be compressed ({reason})"),
        }
    }
}

impl std::error::Error for Error {}

/// Reads lopdf's errors as [`Error::Malformed`] inside the crate (lopdf stays out of the public
/// API, so it can be upgraded without breaking callers): they arise where an object is not of
/// the type the PDF must have there (a page without /Contents of the right kind, a dictionary that
/// is a number), so the file is malformed.
pub(crate) trait OrMalformed<T> {
    /// The value, or lopdf's error as [`Error::Malformed`].
    fn or_malformed(self) -> Result<T, Error>;
}

impl<T> OrMalformed<T> for Result<T, lopdf::Error> {
    fn or_malformed(self) -> Result<T, Error> {
        self.map_err(|e| Error::malformed(e.to_string()))
    }
}

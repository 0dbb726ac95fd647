//! Stage 5, compile: the typst World, layout and export (typst pinned to 0.15.1, whose World trait
//! differs from 0.14). The World serves the generated source, the embedded Sarabun fonts, files
//! from inside the project only, and a fixed date, so the same content gives the same PDF.
//! The typst API is used here, in [`crate::frames`] (the laid-out text) and in [`crate::words`]
//! (its parser finds the markup text); the PDF text layer after export is the `pdf-textlayer`
//! crate, which does not know typst but checks every assumption it makes about typst's PDF.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock};

use pdf_textlayer::TextLayer;

use typst::diag::{FileError, FileResult, Severity as TypstSeverity, SourceDiagnostic, Warned};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::layout::{Frame, FrameItem};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

use crate::diag::{Diagnostic, Diagnostics, Location, SourceMap};
use crate::msg;

/// The Sarabun family, carried in the binary so it runs from any directory without system fonts.
pub const FONT_FILES: [&[u8]; 4] = [
    include_bytes!("../fonts/Sarabun-Regular.ttf"),
    include_bytes!("../fonts/Sarabun-Bold.ttf"),
    include_bytes!("../fonts/Sarabun-Italic.ttf"),
    include_bytes!("../fonts/Sarabun-BoldItalic.ttf"),
];

/// Parsed fonts and their book, built once per process and shared by every build.
pub struct FontSet {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

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

/// What the text layer reads from the embedded fonts (the text of each glyph name, 2.5 ms), once
/// a process and shared by every [`TextLayer`]: a pure function of the fonts compiled into the
/// binary, as [`FONTS`] is, never cleared and never stale. Read on first use.
static GLYPHS: LazyLock<Arc<pdf_textlayer::Glyphs>> = LazyLock::new(|| {
    let fonts = FONT_FILES.iter().map(|data| Cow::Borrowed(*data)).collect();
    Arc::new(pdf_textlayer::Glyphs::new(fonts))
});

/// A text layer for the PDFs of one build session: it drops U+200B, the word-break mark, from the
/// text, and with `remember_pages` keeps the pages it rewrote for the next rebuild
/// ([`crate::build::Session::watching`]).
pub fn text_layer(remember_pages: bool) -> TextLayer {
    TextLayer::new(pdf_textlayer::Options {
        glyphs: GLYPHS.clone(),
        mark: Some(crate::words::BREAK),
        remember_pages,
    })
}

static LIBRARY: LazyLock<LazyHash<Library>> =
    LazyLock::new(|| LazyHash::new(Library::builder().build()));

/// Characters every embedded face has a glyph for, read from their cmaps: text is set in all four
/// (bold headings, italic), so a character one lacks cannot be printed everywhere.
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

/// A typst World for one generated report.
pub struct ReportWorld {
    root: PathBuf,
    fonts: Arc<FontSet>,
    main: Source,
    today: Option<Datetime>,
}

/// Largest file typst may read from the project (an image a template shows, say).
const MAX_READ_BYTES: u64 = 64 * 1024 * 1024;

/// Virtual path of the generated source; diagnostics in it name the template it came from.
pub const MAIN_PATH: &str = "/report.typ";

impl ReportWorld {
    /// `root` is the project folder: the only place typst may read files from.
    pub fn new(root: &Path, source: String, today: Option<chrono::NaiveDate>) -> Self {
        let id = RootedPath::new(
            VirtualRoot::Project,
            VirtualPath::new(MAIN_PATH).expect("static path is valid"),
        )
        .intern();
        let today = today.and_then(|d| {
            use chrono::Datelike;
            Datetime::from_ymd(d.year(), d.month() as u8, d.day() as u8)
        });
        Self {
            root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            fonts: fonts(),
            main: Source::new(id, source),
            today,
        }
    }

    /// The Typst source being laid out (with the break marks [`layout`] may have added).
    pub fn source_text(&self) -> &str {
        self.main.text()
    }

    /// Replaces the generated source, keeping everything else (and typst's caches) alive; only
    /// the part that changed is parsed again.
    pub fn set_source(&mut self, text: String) {
        replace_source(&mut self.main, &text);
    }

    fn read(&self, id: FileId) -> FileResult<Vec<u8>> {
        if !matches!(id.root(), VirtualRoot::Project) {
            return Err(FileError::Other(Some(
                "packages are not available / ใช้แพ็กเกจไม่ได้".into(),
            )));
        }
        let path = id.vpath().realize(&self.root).map_err(FileError::Realize)?;
        if !path.exists() {
            return Err(FileError::NotFound(path));
        }
        crate::content::read_confined(&self.root, &path, MAX_READ_BYTES)
            .map_err(|m| FileError::Other(Some(m.to_string().into())))
    }
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        let text = String::from_utf8(self.read(id)?).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        self.read(id).map(Bytes::new)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}

/// Makes `source` hold `new`, parsing again only the part that changed.
pub fn replace_source(source: &mut Source, new: &str) {
    if let Some((range, with)) = replacement(source.text(), new) {
        source.edit(range, with);
    }
}

/// The range of `old` to replace, and the text to put there, to make `new`: everything between
/// their common start and common end, both cut at character boundaries; `None` if they are equal.
///
/// typst's own `Source::replace` gets this wrong when a character is replaced by one of another
/// length that ends in the same bytes (ก, E0 B8 81, by 😁, F0 9F 98 81): its common end grows
/// past the common start, and it loops forever or panics (typst-syntax 0.15.1,
/// `Lines::replacement_range`). Under `watch`, one such edit of a YAML value ended the watch.
pub fn replacement<'a>(old: &str, new: &'a str) -> Option<(std::ops::Range<usize>, &'a str)> {
    if old == new {
        return None;
    }
    let mut prefix = zip_count(old.bytes(), new.bytes());
    // The bytes before `prefix` are the same in both, and so are their character boundaries.
    while !old.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let mut suffix = zip_count(old[prefix..].bytes().rev(), new[prefix..].bytes().rev());
    // Shrinking the common end can only move it back towards the strings' ends, never past the
    // common start, and 0 is a boundary of both.
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    Some((prefix..old.len() - suffix, &new[prefix..new.len() - suffix]))
}

/// How many items the two sequences share from their start.
fn zip_count(a: impl Iterator<Item = u8>, b: impl Iterator<Item = u8>) -> usize {
    a.zip(b).take_while(|(x, y)| x == y).count()
}

/// Options of one PDF export.
pub struct ExportOptions {
    /// Stable identifier, so the PDF /ID does not change when content is edited.
    pub ident: String,
}

/// Drops typst's memoized results older than `max_age` compilations: `watch` keeps a few so the
/// next rebuild reuses them without growing forever (as typst's own watch does); 0 empties the
/// cache, and oit025's own (parsed files, segmented words), so a benchmark starts cold. The text
/// layer's pages are the [`TextLayer`]'s, dropped with it.
pub fn evict_caches(max_age: usize) {
    typst::comemo::evict(max_age);
    if max_age == 0 {
        crate::content::clear_caches();
        crate::words::clear_caches();
    }
}

/// A laid-out report, ready for export.
pub struct Document {
    pages: PagedDocument,
    /// The generated source's id in the [`SourceMap`], for export errors.
    generated: usize,
}

impl Document {
    /// How many lines have a Thai letter sticking out of their frame (a cell); 0 after [`layout`].
    pub fn overflows(&self) -> usize {
        crate::frames::overflowing(&self.pages).len()
    }

    /// The text laid out on each page, text item after text item (see [`crate::frames::page_texts`]).
    pub fn page_texts(&self) -> Vec<String> {
        crate::frames::page_texts(&self.pages)
    }
}

/// Compiles the world's source and exports a PDF; typst's warnings are returned as diagnostics.
pub fn compile(
    world: &mut ReportWorld,
    options: &ExportOptions,
    text_layer: &mut TextLayer,
    sources: &mut SourceMap,
) -> Result<(Vec<u8>, Diagnostics), Diagnostics> {
    let (document, warnings) = layout(world, sources)?;
    let bytes = export(world, &document, options, text_layer)?;
    Ok((bytes, warnings))
}

/// Lays the world's source out into pages. A Thai word wider than its cell would stick out of it:
/// the word then gets break marks between its clusters, there only, and is laid out again.
pub fn layout(
    world: &mut ReportWorld,
    sources: &mut SourceMap,
) -> Result<(Document, Diagnostics), Diagnostics> {
    const MAX_PASSES: usize = 3;
    let mut pass = 1;
    loop {
        let (document, diags) = layout_once(world, sources)?;
        let offsets: Vec<usize> = crate::frames::overflowing(&document.pages)
            .into_iter()
            .filter(|(span, _)| span.id() == Some(world.main.id()))
            .filter_map(|(span, offset)| Some(world.range(span)?.start + usize::from(offset)))
            .collect();
        let text = crate::words::break_words_at(world.main.text(), &offsets);
        if offsets.is_empty() || pass == MAX_PASSES || text == world.main.text() {
            return Ok((document, diags));
        }
        world.set_source(text);
        pass += 1;
    }
}

fn layout_once(
    world: &ReportWorld,
    sources: &mut SourceMap,
) -> Result<(Document, Diagnostics), Diagnostics> {
    let Warned { output, warnings } = typst::compile::<PagedDocument>(world);
    let generated = sources.add(
        Path::new("<generated>/report.typ"),
        world.main.text().to_string(),
    );
    let convert = |d: &SourceDiagnostic| to_diagnostic(world, generated, d);
    let mut diags = Diagnostics(warnings.iter().map(convert).collect());
    match output {
        Ok(pages) => {
            let pages = crate::frames::restore_document(&pages);
            Ok((Document { pages, generated }, diags))
        }
        Err(errors) => {
            diags.extend(Diagnostics(errors.iter().map(convert).collect()));
            Err(diags)
        }
    }
}

/// Exports a laid-out report as an archival PDF: PDF/A-3b allows the attached sources, PDF/UA-1
/// asks for a tagged, titled document in a declared language. `text_layer` then gives every
/// glyph its own text.
pub fn export(
    world: &ReportWorld,
    document: &Document,
    options: &ExportOptions,
    text_layer: &mut TextLayer,
) -> Result<Vec<u8>, Diagnostics> {
    // typst's export runs on one core; the other measures the text and reads the fonts' glyph
    // texts meanwhile, for the export and the text layer to find ready. In a batch no core is
    // idle, and the measuring stops as soon as the export is done.
    let exported = AtomicBool::new(false);
    let warm = &*text_layer;
    let (bytes, ()) = crate::par::join(
        || {
            let bytes = export_typst(world, document, &options.ident);
            exported.store(true, Ordering::Relaxed);
            bytes
        },
        || {
            text_bounds(&document.pages, &exported);
            warm.warm_up();
        },
    );
    text_layer.rewrite(bytes?).map_err(|e| {
        Diagnostics::from(
            Diagnostic::error(msg!(
                "เขียนชั้นข้อความของ PDF ไม่ได้ ({e})",
                "cannot rewrite the PDF's text layer ({e})"
            ))
            .hint(msg!(
                "PDF ที่ typst เขียนไม่เป็นอย่างที่ชั้นข้อความคาดไว้ นี่เป็นข้อบกพร่องของ oit025 ไม่ใช่ของข้อมูล โปรดแจ้งผู้ดูแล",
                "typst's PDF is not what the text layer expects: a bug in oit025, not in the content; please report it"
            )),
        )
    })
}

/// Measures the bounds of every text item, which typst's PDF export asks for each one (to tag
/// the text for PDF/UA) and remembers: measured here on another core first, the export finds
/// them remembered.
fn text_bounds(doc: &PagedDocument, exported: &AtomicBool) {
    fn walk(frame: &Frame) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(group) => walk(&group.frame),
                FrameItem::Text(text) => {
                    text.bbox();
                }
                _ => {}
            }
        }
    }
    for page in doc.pages() {
        if exported.load(Ordering::Relaxed) {
            return;
        }
        walk(&page.frame);
    }
}

/// typst's own PDF, before the text layer: its streams uncompressed.
pub fn export_typst(
    world: &ReportWorld,
    document: &Document,
    ident: &str,
) -> Result<Vec<u8>, Diagnostics> {
    let standards =
        typst_pdf::PdfStandards::new(&[typst_pdf::PdfStandard::A_3b, typst_pdf::PdfStandard::Ua_1])
            .map_err(|e| {
                let e = e.message().to_string();
                Diagnostics::from(Diagnostic::error(msg!(
                    "ตั้งค่ามาตรฐาน PDF ไม่ได้",
                    "cannot set the PDF standards: {e}"
                )))
            })?;
    let pdf_options = PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        standards,
        // Streams uncompressed (binary ones hex-encoded): the text layer reads them where they lie
        // and compresses every stream once (see the `pdf-textlayer` crate's `raw` module).
        pretty: true,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(&document.pages, &pdf_options).map_err(|errors| {
        Diagnostics(
            errors
                .iter()
                .map(|d| to_diagnostic(world, document.generated, d))
                .collect(),
        )
    })
}

fn to_diagnostic(world: &ReportWorld, generated: usize, d: &SourceDiagnostic) -> Diagnostic {
    let text = d.message.to_string();
    let mut out = match d.severity {
        TypstSeverity::Error => Diagnostic::error(msg!("Typst แจ้งข้อผิดพลาด", "typst: {text}")),
        TypstSeverity::Warning => Diagnostic::warning(msg!("Typst แจ้งเตือน", "typst: {text}")),
    };
    if d.span.id() == Some(world.main.id())
        && let Some(range) = world.range(d.span)
    {
        out = out.at(Some(Location {
            file: generated,
            range,
        }));
    }
    for hint in &d.hints {
        let h = hint.v.to_string();
        out = out.hint(msg!("{h}", "{h}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use typst::syntax::SyntaxNode;

    /// Kinds and texts of a tree, in order: what a fresh parse and an edited source must share.
    fn shape(node: &SyntaxNode, out: &mut Vec<(typst::syntax::SyntaxKind, String)>) {
        out.push((node.kind(), node.leaf_text().to_string()));
        for child in node.children() {
            shape(child, out);
        }
    }

    fn edited(old: &str, new: &str) -> Source {
        let mut source = Source::detached(old);
        replace_source(&mut source, new);
        source
    }

    #[test]
    fn a_letter_replaced_by_one_of_another_length_with_the_same_last_byte() {
        // ก is E0 B8 81, Á is C3 81, 😁 is F0 9F 98 81: Source::replace panics or never returns.
        for (old, new) in [
            ("ระดับ ก ดี", "ระดับ Á ดี"),
            ("ระดับ ก ดี", "ระดับ 😁 ดี"),
            ("ระดับ 😁 ดี", "ระดับ ก ดี"),
            ("\u{a01}", "\u{16E81}"),
        ] {
            let (range, with) = replacement(old, new).unwrap();
            let mut spliced = old.to_string();
            spliced.replace_range(range, with);
            assert_eq!(spliced, new);
            assert_eq!(edited(old, new).text(), new);
        }
        assert_eq!(replacement("ก", "ก"), None);
    }

    /// Strings of characters whose UTF-8 forms share their last bytes across lengths, and
    /// Typst markup, so that edits meet every way of cutting a common start and end.
    fn text() -> impl Strategy<Value = String> {
        let pieces = prop_oneof![
            Just("ก"),
            Just("Á"),
            Just("😁"),
            Just("\u{a01}"),
            Just("\u{16E81}"),
            Just("\u{200B}"),
            Just("a"),
            Just(" "),
            Just("\n"),
            Just("*"),
            Just("#"),
            Just("["),
            Just("]"),
            Just("\""),
            Just("//"),
            Just("$"),
        ];
        prop::collection::vec(pieces, 0..24).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// An edited source spells the new text and parses as a fresh parse of it does.
        #[test]
        fn an_edited_source_is_a_fresh_parse(old in text(), new in text()) {
            let source = edited(&old, &new);
            prop_assert_eq!(source.text(), new.as_str());
            let (mut got, mut want) = (Vec::new(), Vec::new());
            shape(source.root(), &mut got);
            shape(&typst::syntax::parse(&new), &mut want);
            prop_assert_eq!(got, want);
        }
    }
}

//! Stage 5, typeset: compiles the generated source with typst (pinned to 0.15.1, whose World trait
//! differs from 0.14) and exports the PDF. The World serves the generated source, the embedded
//! Sarabun fonts ([`crate::fonts`]), files from inside the project only, and a fixed date, so the
//! same content gives the same PDF. It is the only module that compiles or exports with typst;
//! the typst API is also used by [`crate::words`] and [`crate::source_edit`] (typst's syntax
//! tree, to mark only markup text) and by [`crate::frames`] (typst's laid-out frames). The PDF text layer after export is the
//! `pdf-textlayer` crate, which does not know typst but checks every assumption it makes about
//! typst's PDF.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock};

use pdf_textlayer::TextLayer;

use typst::diag::{FileError, FileResult, Severity as TypstSeverity, SourceDiagnostic, Warned};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::layout::{Abs, Frame, FrameItem};
use typst::syntax::{FileId, RootedPath, Source, Span, SyntaxNode, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

use crate::diag::{Code, Diagnostic, Diagnostics, Location, SourceMap};
use crate::fonts::FontSet;
pub use crate::fonts::{FONT_FILES, GLYPHS, SARABUN_NAMES};
use crate::msg;
use crate::source_edit::replace_source;

/// A text layer for the PDFs of one build session: it drops the word-break and glue marks
/// (U+200B, U+2060) from the text strings typst copies headings into, and with `remember_pages` keeps the pages it rewrote for the next rebuild
/// ([`crate::pipeline::Session::watching`]).
pub fn text_layer(remember_pages: bool) -> TextLayer {
    TextLayer::new(
        pdf_textlayer::Options::new()
            .glyphs(GLYPHS.clone())
            .marks(crate::marks::ALL)
            .remember_pages(remember_pages),
    )
}

/// typst's standard library. Not a cache: constant, built once per process.
static LIBRARY: LazyLock<LazyHash<Library>> =
    LazyLock::new(|| LazyHash::new(Library::builder().build()));

/// Makes typst's constant data ready before a layout needs it: its standard library built and
/// hashed, and the hash of the fonts' book (both hashed once, when the layout's memoization first
/// asks). Meant for a core that is otherwise idle while the content is read.
pub fn warm_up(fonts: &FontSet) {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    LIBRARY.hash(&mut hasher);
    fonts.book.hash(&mut hasher);
    std::hint::black_box(hasher.finish());
}

/// A typst World for one generated report.
pub struct ReportWorld {
    root: PathBuf,
    fonts: Arc<FontSet>,
    main: Source,
    today: Option<Datetime>,
    /// Kept to lay the report out again after edits (`watch`, the editor): what a layout can
    /// reuse then is remembered.
    rebuilds: bool,
}

/// Largest file typst may read from the project (an image a template shows, say).
const MAX_READ_BYTES: u64 = 64 * 1024 * 1024;

/// Virtual path of the generated source; diagnostics in it name the template it came from.
pub const MAIN_PATH: &str = "/report.typ";

impl ReportWorld {
    /// `root` is the project folder: the only place typst may read files from. Its fonts are
    /// read and vetted here; a build that also checks hands the ones it vetted to
    /// [`ReportWorld::with_fonts`].
    pub fn new(root: &Path, source: String, today: Option<chrono::NaiveDate>) -> Self {
        Self::with_fonts(root, source, today, &crate::fonts::ProjectFonts::load(root))
    }

    /// A World laying text out in the embedded fonts and the project's `fonts`, as vetted.
    pub fn with_fonts(
        root: &Path,
        source: String,
        today: Option<chrono::NaiveDate>,
        fonts: &crate::fonts::ProjectFonts,
    ) -> Self {
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
            fonts: fonts.font_set(),
            main: Source::new(id, source),
            today,
            rebuilds: false,
        }
    }

    /// Marks this World as one kept for rebuilds (see [`crate::frames::restore_document`]).
    pub fn keep_for_rebuilds(&mut self) {
        self.rebuilds = true;
    }

    /// The Typst source being laid out (with the break marks [`layout`] may have added).
    pub fn source_text(&self) -> &str {
        self.main.text()
    }

    /// Where `span` lies in the generated source, as [`WorldExt::range`] finds it. typst's own
    /// search walks the children of each node one by one, a list of thousands at the top of a
    /// report, which made the lookups of a layout's holes 1 ms; the children of a node are in the
    /// order of their span numbers (a node's subtree lies below its next sibling's number), so
    /// this halves them instead.
    pub fn main_range(&self, span: Span) -> Option<std::ops::Range<usize>> {
        if span.id() != Some(self.main.id())
            || !matches!(span.get(), typst::syntax::SpanKind::Number { .. })
        {
            return self.range(span);
        }
        // Within one file the raw bits order spans as their numbers do.
        let target = span.into_raw();
        let (mut node, mut offset) = (self.main.root(), 0);
        while node.span() != span {
            let children = node.children().as_slice();
            let after = children.partition_point(|c| c.span().into_raw() <= target);
            let at = after.checked_sub(1)?;
            offset += children[..at].iter().map(SyntaxNode::len).sum::<usize>();
            node = &children[at];
        }
        Some(offset..offset + node.len())
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
        crate::files::read_confined(&self.root, &path, MAX_READ_BYTES)
            .map_err(|(_, m)| FileError::Other(Some(m.to_string().into())))
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

/// Options of one PDF export.
pub struct ExportOptions {
    /// Stable identifier, so the PDF /ID does not change when content is edited.
    pub ident: String,
}

/// Drops typst's memoized results older than `max_age` compilations: `watch` keeps a few so the
/// next rebuild reuses them without growing forever (as typst's own watch does); 0 empties the
/// cache, so a benchmark starts cold. oit025's own caches (parsed files, segmented words, the text
/// layer's pages) belong to whoever runs the builds (`cmd::build::Session`), and go with it.
pub fn evict_caches(max_age: usize) {
    typst::comemo::evict(max_age);
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
    let bytes = export_before_text_layer(world, &document, options, text_layer)?;
    // The pages are freed on the other core while the text layer is rewritten (0.2 ms).
    let (bytes, ()) = crate::par::join(|| rewrite(text_layer, bytes), move || drop(document));
    Ok((bytes?, warnings))
}

/// Most pages of one report. `check` bounds the text (`model::budget`), which keeps a report well
/// below this (the text it allows at most made 425 pages); this stops a layout that still runs
/// away (a template that repeats text, say) before another pass or the export.
pub const MAX_PAGES: usize = 1500;

/// Lays the world's source out into pages. A Thai word wider than its cell would stick out of it:
/// the word then gets break marks between its clusters, there only, and is laid out again, at
/// most five times. Each text wider than its cell in the first layout that a pass had to cut
/// inside one of its own parts (a word between its letters; not a name between its words nor a
/// code after its dots, as a reader breaks them) is a warning ([`Code::LayoutTooWide`]), and
/// each still wider after the last another
/// ([`Code::LayoutOverflow`]), both at the text in the generated source with the widths
/// (`pipeline` points them at the content's line).
pub fn layout(
    world: &mut ReportWorld,
    sources: &mut SourceMap,
) -> Result<(Document, Diagnostics), Diagnostics> {
    const MAX_PASSES: usize = 5;
    let mut pass = 1;
    // The texts too wide in the first layout, and where any pass cut a word inside one of its
    // own parts, both as offsets in the source without its marks (the passes only add and take
    // out marks, so those offsets stay).
    let mut first: Vec<(std::ops::Range<usize>, usize, crate::frames::Overflow)> = Vec::new();
    let mut inside: Vec<usize> = Vec::new();
    // The first layout's source and its id in `sources`, where those warnings point.
    let mut first_source = (String::new(), 0);
    // The full names around holes, opened after the other passes (see `Openings`).
    let mut openings = Openings::start(world);
    loop {
        let (document, diags) = layout_once(world, sources)?;
        let pages = document.pages.pages().len();
        if pages > MAX_PAGES {
            return Err(Diagnostic::error(
                Code::BudgetPages,
                msg!(
                    "รายงานยาว {pages} หน้า เกิน {MAX_PAGES} หน้า จึงไม่สร้าง PDF",
                    "the report would have {pages} pages, more than {MAX_PAGES}; no PDF is made"
                ),
            )
            .hint(msg!(
                "ตรวจข้อความที่ยาวผิดปกติ หรือเทมเพลตที่พิมพ์ข้อความซ้ำ",
                "look for text far longer than usual, or a template that repeats text"
            ))
            .into());
        }
        let found: Vec<(usize, crate::frames::Overflow)> =
            crate::frames::overflowing(&document.pages)
                .into_iter()
                .filter(|o| o.at.0.id() == Some(world.main.id()))
                .filter_map(|o| Some((world.main_range(o.at.0)?.start + usize::from(o.at.1), o)))
                .collect();
        let offsets: Vec<usize> = found.iter().map(|&(at, _)| at).collect();
        let source = world.main.text();
        let cut = crate::words::cut_words_at(source, &offsets);
        let text = cut.text;
        let last = offsets.is_empty() || pass == MAX_PASSES || text == source;
        if pass == 1 && !last {
            first = (found.iter())
                .map(|&(at, o)| {
                    let range = piece_at(source, at);
                    let plain = plain_offset(source, range.start)..plain_offset(source, range.end);
                    (plain, at, o)
                })
                .collect();
            first_source = (source.to_string(), document.generated);
        }
        if !last {
            inside.extend(cut.inside.iter().map(|&at| plain_offset(source, at)));
        }
        if last && let Some(text) = openings.next(world, &document) {
            world.set_source(text);
            pass += 1;
            continue;
        }
        if last {
            let lost = off_page(world, &document);
            if !lost.0.is_empty() {
                let mut diags = diags;
                diags.extend(lost);
                return Err(diags);
            }
            // A text cut only between its own parts raises nothing: a reader breaks it so.
            let first: Vec<(usize, crate::frames::Overflow)> = (first.iter())
                .filter(|(plain, _, _)| inside.iter().any(|i| plain.contains(i)))
                .map(|&(_, at, o)| (at, o))
                .collect();
            let mut diags = diags;
            let (first_text, first_id) = &first_source;
            diags.extend(too_wide(first_text, *first_id, &first, false));
            diags.extend(too_wide(
                world.main.text(),
                document.generated,
                &found,
                true,
            ));
            return Ok((document, diags));
        }
        world.set_source(text);
        pass += 1;
    }
}

/// Where the full names and compounds stand in the layout passes: a name is glued whole on its
/// line ([`crate::words::Glossary::with_names`]) and a compound is one word, but typst has no
/// penalty that prefers a break between a name's words, or inside a compound, to a hole in a
/// justified line (issue 33). So after the other passes, the names of each source line (a
/// paragraph, a cell) that holds a hole ([`crate::loose::holes`]) are opened between their
/// words, and the compound that starts the line after a hole in Thai text between its own
/// ([`crate::words::compound_breaks_at`]), and the text laid out again; a source line whose
/// holes did not narrow by it (their spaces' stretch in all) gets its names glued back and its
/// compounds closed (the hole was another unit's: a date, a Latin phrase) and the text is laid
/// out a last time. Nothing is laid out again where no hole touches a name or a compound.
enum Openings {
    /// The names glued as rendered; no hole looked for yet. `names`: whether a hole may open
    /// them (not under [`FULL_NAMES`], whose compounds still open as they do otherwise).
    Glued { names: bool },
    /// The names of the source lines of `holes` opened and `breaks` put in; the source before,
    /// and how much each line's holes stretched then.
    Opened {
        glued: String,
        holes: Vec<(std::ops::Range<usize>, Abs)>,
        breaks: Vec<usize>,
    },
    /// Nothing more to try.
    Done,
}

/// The environment variable that overrides [`Openings`] for the tests' line-break judge
/// (tests/extract/units.py), which needs to see what keeping the names whole would print:
/// `whole` keeps every full name glued, never opened; `open` opens every name everywhere, as
/// before names were glued (a layout the judge must fail). Either way a compound after a hole
/// opens as it does otherwise, so that the judge compares names alone. Diagnostics only: a
/// user never needs it, and any other value (or none) is the layout of [`Openings`].
pub const FULL_NAMES: &str = "OIT025_FULL_NAMES";

impl Openings {
    /// Where the layout starts: the names glued, or as [`FULL_NAMES`] says (the world's source
    /// then has every name opened).
    fn start(world: &mut ReportWorld) -> Self {
        match std::env::var(FULL_NAMES).as_deref() {
            Ok("whole") => Openings::Glued { names: false },
            Ok("open") => {
                let source = world.main.text();
                let all = 0..source.len();
                if let Some(text) = crate::words::open_names_at(source, std::slice::from_ref(&all))
                {
                    world.set_source(text);
                }
                Openings::Glued { names: false }
            }
            _ => Openings::Glued { names: true },
        }
    }

    /// The source to lay out next, if any.
    fn next(&mut self, world: &ReportWorld, document: &Document) -> Option<String> {
        let source = world.main.text();
        match std::mem::replace(self, Openings::Done) {
            Openings::Glued { names: open_names } => {
                let mut holes: Vec<(std::ops::Range<usize>, Abs)> = Vec::new();
                let mut names: Vec<std::ops::Range<usize>> = Vec::new();
                let mut breaks: Vec<usize> = Vec::new();
                for hole in hole_lines(world, document) {
                    let named = open_names
                        && crate::words::open_names_at(source, std::slice::from_ref(&hole.line))
                            .is_some();
                    let compounds = crate::words::compound_breaks_at(source, &hole.next);
                    if !named && compounds.is_empty() {
                        continue;
                    }
                    if named {
                        names.push(hole.line.clone());
                    }
                    breaks.extend(compounds);
                    holes.push((hole.line, hole.excess));
                }
                if holes.is_empty() {
                    return None;
                }
                let opened = crate::words::open_names_at(source, &names)
                    .unwrap_or_else(|| source.to_string());
                breaks.sort_unstable();
                breaks.dedup();
                let text = crate::marks::insert(&opened, &breaks, &[], &[]);
                *self = Openings::Opened {
                    glued: source.to_string(),
                    holes,
                    breaks,
                };
                Some(text)
            }
            Openings::Opened {
                glued,
                holes,
                breaks,
            } => {
                // The passes only turned glue into breaks of the same length and put `breaks` in
                // (a cut pass in between, which no opened name needs, would have moved the lines).
                let mark = crate::marks::BREAK.len_utf8();
                if source.len() != glued.len() + breaks.len() * mark {
                    return None;
                }
                // Where an offset of the source before is now.
                let moved = |at: usize| at + mark * breaks.partition_point(|&b| b < at);
                let after = hole_lines(world, document);
                let stretch = |line: &std::ops::Range<usize>| {
                    let line = moved(line.start)..moved(line.end);
                    (after.iter())
                        .find(|h| h.line == line)
                        .map_or(Abs::zero(), |h| h.excess)
                };
                let mut worse: Vec<&std::ops::Range<usize>> = (holes.iter())
                    .filter(|(line, before)| stretch(line) >= *before)
                    .map(|(line, _)| line)
                    .collect();
                if worse.is_empty() {
                    return None;
                }
                // From the end, so that the lines before keep their offsets.
                worse.sort_by_key(|line| std::cmp::Reverse(line.start));
                let mut text = source.to_string();
                for line in worse {
                    text.replace_range(moved(line.start)..moved(line.end), &glued[line.clone()]);
                }
                Some(text)
            }
            Openings::Done => None,
        }
    }
}

/// A source line (a paragraph, a cell: the generated source writes each on its own line) that
/// holds a justified line with a hole or the line after it ([`crate::loose::holes`]).
struct HoleLine {
    line: std::ops::Range<usize>,
    /// How much its holes' spaces stretched in all.
    excess: Abs,
    /// Where the lines after its holes start.
    next: Vec<usize>,
}

/// The source lines that hold a hole.
fn hole_lines(world: &ReportWorld, document: &Document) -> Vec<HoleLine> {
    let id = world.main.id();
    let source = world.main.text();
    let offset = |(span, at): (Span, u16)| {
        (span.id() == Some(id)).then_some(())?;
        Some(world.main_range(span)?.start + usize::from(at))
    };
    let mut lines: Vec<HoleLine> = Vec::new();
    for hole in crate::loose::holes(&document.pages) {
        let own: Vec<usize> = (hole.spans[..hole.own].iter().copied())
            .filter_map(offset)
            .collect();
        // A line that holds a Latin phrase: its words never stretch, and the phrase's spaces take
        // what a Thai line's letters would; a compound broken to fill it costs more than it mends.
        let latin = match (own.iter().min(), own.iter().max()) {
            (Some(&a), Some(&b)) => source[a..b].contains(crate::marks::LATIN_OPEN),
            _ => true,
        };
        let own = own.into_iter().max().filter(|_| !latin);
        let offsets = hole.spans.into_iter().filter_map(offset);
        let (lo, hi) = offsets.fold((usize::MAX, 0), |(lo, hi), o| (lo.min(o), hi.max(o)));
        if lo > hi || hi > source.len() {
            continue;
        }
        let start = source[..lo].rfind('\n').map_or(0, |i| i + 1);
        let end = source[hi..].find('\n').map_or(source.len(), |i| hi + i);
        let next = own.and_then(|at| next_unit(source, at));
        match lines
            .iter_mut()
            .find(|h| h.line.start <= end && start <= h.line.end)
        {
            Some(h) => {
                h.line = h.line.start.min(start)..h.line.end.max(end);
                h.excess += hole.excess;
                h.next.extend(next);
            }
            None => lines.push(HoleLine {
                line: start..end,
                excess: hole.excess,
                next: next.into_iter().collect(),
            }),
        }
    }
    lines
}

/// Where the unit after the one at byte `at` of `source` starts: after the next break mark or
/// space a line may break at, on the same source line.
fn next_unit(source: &str, at: usize) -> Option<usize> {
    let at = at.min(source.len());
    let rest = &source[at..];
    let (i, c) = rest.char_indices().find(|&(i, c)| {
        c == '\n'
            || c == crate::marks::BREAK
            || c == ' ' && !rest[i + 1..].starts_with(crate::marks::GLUE)
    })?;
    if c == '\n' {
        return None;
    }
    let skip = rest[i..]
        .chars()
        .take_while(|&c| c == ' ' || c == crate::marks::BREAK)
        .map(char::len_utf8)
        .sum::<usize>();
    Some(at + i + skip)
}

/// A warning for each text of the generated source wider than its cell or the page: broken
/// inside a word, code or name to fit (`left` false), or still sticking out after the layout
/// passes (`left` true). Nothing is ever drawn outside them, or broken there, without a word.
fn too_wide(
    source: &str,
    generated: usize,
    found: &[(usize, crate::frames::Overflow)],
    left: bool,
) -> Diagnostics {
    let size = |a: typst::layout::Abs| format!("{:.1} pt ({:.2} cm)", a.to_pt(), a.to_cm());
    Diagnostics(
        found
            .iter()
            .map(|&(at, o)| {
                let range = piece_at(source, at);
                let piece = crate::marks::strip(&source[range.clone()]).replace('\\', "");
                let (needed, had) = (size(o.needed), size(o.had));
                let d = if left {
                    Diagnostic::warning(Code::LayoutOverflow, msg!(
                        "ข้อความ \"{piece}\" ต้องการความกว้าง {needed} แต่ช่องตารางหรือหน้ากระดาษกว้าง {had} และตัดให้พอดีไม่ได้",
                        "text \"{piece}\" needs {needed} but its table cell or the page has {had}, and could not be broken to fit"
                    ))
                } else {
                    Diagnostic::warning(Code::LayoutTooWide, msg!(
                        "ข้อความ \"{piece}\" ต้องการความกว้าง {needed} แต่ช่องตารางกว้าง {had} จึงถูกตัดภายในชื่อ รหัส หรือคำ",
                        "text \"{piece}\" needs {needed} but its table cell has {had}, so it is broken inside a name, code or word"
                    ))
                    .hint(msg!(
                        "ย่อข้อความ หรือเว้นวรรคระหว่างส่วนของรหัส เพื่อให้ตัดบรรทัดได้ตามที่ผู้อ่านคาด",
                        "shorten it, or put spaces between the parts of a code so that its lines break where a reader expects"
                    ))
                };
                d.at(Some(Location {
                    file: generated,
                    range,
                }))
            })
            .collect(),
    )
}

/// An error for each place of the generated source laid out beyond its page's edge: a PDF that
/// leaves part of the content unprinted is never written (the text is data, all of it printed).
fn off_page(world: &ReportWorld, document: &Document) -> Diagnostics {
    let mut places: Vec<usize> = crate::frames::off_page(&document.pages)
        .into_iter()
        .filter(|span| span.id() == Some(world.main.id()))
        .filter_map(|span| Some(world.main_range(span)?.start))
        .collect();
    places.sort_unstable();
    places.dedup();
    Diagnostics(
        places
            .into_iter()
            .map(|at| {
                Diagnostic::error(Code::LayoutOffPage, msg!(
                    "ข้อความนี้ยาวเกินกว่าที่หน้ากระดาษเดียวจะพิมพ์ได้ในช่องที่แบ่งข้ามหน้าไม่ได้ ส่วนที่เกินจะหายไปจาก PDF จึงไม่สร้าง PDF",
                    "this text is longer than one page can print in a place that cannot split over pages; what runs off the page would be lost, so no PDF is made"
                ))
                .at(Some(Location {
                    file: document.generated,
                    range: at..at,
                }))
                .hint(msg!("ย่อข้อความให้สั้นลง", "shorten the text"))
            })
            .collect(),
    )
}

/// Where byte `at` of `source` falls in the source without its marks.
fn plain_offset(source: &str, at: usize) -> usize {
    let marks = source[..at.min(source.len())]
        .chars()
        .filter(|&c| crate::marks::is_mark(c))
        .count();
    at - marks * crate::marks::BREAK.len_utf8()
}

/// The piece of markup text around byte `at` that a line cannot break: between the break marks,
/// the spaces a line may break at, and brackets.
fn piece_at(source: &str, at: usize) -> std::ops::Range<usize> {
    let at = at.min(source.len());
    let ends = |s: &str, i: usize, c: char| {
        matches!(c, '[' | ']' | '\n' | crate::marks::BREAK)
            || c == ' ' && !s[i + 1..].starts_with(crate::marks::GLUE)
    };
    let start = source[..at]
        .char_indices()
        .rev()
        .find(|&(i, c)| ends(source, i, c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = source[at..]
        .char_indices()
        .find(|&(i, c)| ends(source, at + i, c))
        .map_or(source.len(), |(i, _)| at + i);
    start..end.max(start)
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
            let pages = crate::frames::restore_document(&pages, world.rebuilds);
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
    let bytes = export_before_text_layer(world, document, options, text_layer)?;
    rewrite(text_layer, bytes)
}

/// typst's export of the PDF, before its text layer is rewritten.
fn export_before_text_layer(
    world: &ReportWorld,
    document: &Document,
    options: &ExportOptions,
    text_layer: &TextLayer,
) -> Result<Vec<u8>, Diagnostics> {
    // typst's export runs on one core; the other measures the text and reads the fonts' glyph
    // texts meanwhile, for the export and the text layer to find ready. In a batch no core is
    // idle, and the measuring stops as soon as the export is done.
    crate::par::meanwhile(
        || export_typst(world, document, &options.ident),
        |exported| {
            text_bounds(&document.pages, exported);
            text_layer.warm_up();
        },
    )
}

/// `bytes`, typst's PDF, with its text layer rewritten.
fn rewrite(text_layer: &mut TextLayer, bytes: Vec<u8>) -> Result<Vec<u8>, Diagnostics> {
    text_layer.rewrite(bytes).map_err(|e| {
        Diagnostics::from(
            Diagnostic::error(Code::InternalTextlayer, msg!(
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
                Diagnostics::from(Diagnostic::error(
                    Code::InternalPdfStandards,
                    msg!("ตั้งค่ามาตรฐาน PDF ไม่ได้", "cannot set the PDF standards: {e}"),
                ))
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
                .map(|d| {
                    font_not_embedded(world, &d.message)
                        .unwrap_or_else(|| to_diagnostic(world, document.generated, d))
                })
                .collect(),
        )
    })
}

/// typst-pdf's "failed to process font `"Family"` (failed to subset font: ...)" as a refusal of
/// the project's font file of that family, which the user can act on; the files are read again
/// for it (this happens once, on the way to an error).
fn font_not_embedded(world: &ReportWorld, message: &str) -> Option<Diagnostic> {
    let rest = message.strip_prefix("failed to process font `")?;
    let (repr, rest) = rest.split_once('`')?;
    let family = repr
        .strip_prefix('"')?
        .strip_suffix('"')?
        .replace("\\\"", "\"");
    let why = rest.trim().trim_start_matches('(').trim_end_matches(')');
    let why = if why.is_empty() {
        "failed to process font"
    } else {
        why
    };
    crate::fonts::ProjectFonts::load(&world.root).not_embedded(&family, why)
}

fn to_diagnostic(world: &ReportWorld, generated: usize, d: &SourceDiagnostic) -> Diagnostic {
    let text = d.message.to_string();
    let mut out = match d.severity {
        TypstSeverity::Error => {
            Diagnostic::error(Code::TypstError, msg!("Typst แจ้งข้อผิดพลาด", "typst: {text}"))
        }
        TypstSeverity::Warning => {
            Diagnostic::warning(Code::TypstWarning, msg!("Typst แจ้งเตือน", "typst: {text}"))
        }
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

    /// Compiles `body` after the bundled style.typ, filled as the report fills it.
    fn compile_with_style(body: &str) -> Result<(), String> {
        let env = crate::template::environment(None, crate::template::Digits::Thai);
        let style = (env.get_template("style.typ").unwrap())
            .render(minijinja::context! { thai_digits => true })
            .unwrap();
        let world = ReportWorld::new(Path::new("."), format!("{style}\n{body}"), None);
        let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
        output.map(|_| ()).map_err(|e| format!("{e:?}"))
    }

    /// typst-pdf names a font it could not embed by its family; the error names the project's
    /// file of that family (a fuzzed Lao font whose glyph data broke the subsetter).
    #[test]
    fn a_font_typst_cannot_embed_is_refused_at_its_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("fonts")).unwrap();
        let lao = std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/fonts/NotoSansLao-Regular.ttf"),
        )
        .unwrap();
        std::fs::write(dir.path().join("fonts/lao.ttf"), lao).unwrap();
        let world = ReportWorld::new(dir.path(), String::new(), None);
        let message = "failed to process font `\"Noto Sans Lao\"` (failed to subset font: subsetting of font failed)";
        let d = font_not_embedded(&world, message).expect("the Lao file is named");
        assert_eq!(d.code, Code::FontRefused);
        let text = format!("{} {}", d.message.th, d.message.en);
        assert!(
            text.contains("lao.ttf") && text.contains("failed to subset font"),
            "{text}"
        );
        // Sarabun is embedded: no file of the project to point at, typst's own words stay.
        let sarabun = "failed to process font `\"Sarabun\"` (failed to subset font: x)";
        assert!(font_not_embedded(&world, sarabun).is_none());
        assert!(font_not_embedded(&world, "failed to process image (x)").is_none());
    }

    /// Every node of a source, after an edit too, is where typst's own search finds it.
    #[test]
    fn spans_are_found_where_typst_finds_them() {
        fn all(node: &typst::syntax::LinkedNode, out: &mut Vec<(Span, std::ops::Range<usize>)>) {
            out.push((node.span(), node.range()));
            for child in node.children() {
                all(&child, out);
            }
        }
        let source = "= ภาค\n#set text(lang: \"th\")\n#table(columns: 2, [ก *ข* _ค_], [#box[e-Office];])\n\n- ง\n  - จ #(1 + 2)\n".repeat(40);
        let mut world = ReportWorld::new(Path::new("."), source.clone(), None);
        for edited in [false, true] {
            if edited {
                world.set_source(source.replace("[ก *ข*", "[ก\u{200B}ข *ข* #text(red)[ฃ]"));
            }
            let mut nodes = Vec::new();
            all(
                &typst::syntax::LinkedNode::new(world.main.root()),
                &mut nodes,
            );
            assert!(nodes.len() > 1000);
            for (span, range) in nodes {
                assert_eq!(world.main_range(span), Some(range.clone()));
                assert_eq!(world.range(span), Some(range));
            }
        }
        assert_eq!(world.main_range(Span::detached()), None);
    }

    #[test]
    fn a_row_with_a_surely_long_cell_is_judged_before_layout() {
        let judged = r#"#context {
  // 1000 pt of text in a 60 pt column: many lines. The row's cells are all judged, and the long
  // one reserves the three lines.
  let cells = judged-row((60pt, 60pt), ((1000pt,), (10pt,)), [long], [short])
  assert(cells.all(c => c.func() == table.cell and c.breakable == true))
  assert(starts-group(cells.at(0).body) and not starts-group(cells.at(1).body))
  // Three forced lines of short text are three lines.
  let cells = judged-row((60pt, 60pt), ((10pt,), (30pt, 30pt, 30pt)), [a], [b])
  assert(starts-group(cells.at(1).body) and not starts-group(cells.at(0).body))
  // A cell marked with group-start() reserves the lines, whatever the widths.
  let cells = judged-row((60pt, 60pt), ((10pt,), (10pt,)), [#group-start()a], [b])
  assert(cells.all(c => c.func() == table.cell and c.breakable == true))
  // Two lines at most in each cell: left to the rule that measures.
  assert.eq(judged-row((60pt, 60pt), ((100pt,), (10pt,)), [a], [b]), ([a], [b]))
}"#;
        compile_with_style(judged).unwrap();
        // The test itself fails where an assertion does.
        assert!(
            compile_with_style("#context assert(judged-row((60pt,), ((10pt,),), [a]) == ())")
                .is_err()
        );
    }
}

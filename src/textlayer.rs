//! Stage 5b, the text layer: what copying, searching and screen readers get out of the PDF.
//!
//! Thai text exported by typst 0.15.1 does not copy out as written, for two reasons:
//! - typst's shaping splits a syllable into separate text items where a tone mark is raised above
//!   an upper vowel, and each item carries the whole syllable's text (ยิ่ง copies as ยิ่ยิ่ง,
//!   typst issue 7610). [`restore_document`] joins such items again before export, with the
//!   raised marks as per-glyph offsets, and gives the text its Thai language back (see
//!   [`crate::words`] for why it is laid out as `zh`);
//! - the PDF writer (krilla) maps each glyph to the text of the first cluster it appeared in, and
//!   relies on /ActualText for the rest, which pdf.js, pypdf and pdfminer ignore (krilla issue 411).
//!   [`rewrite_pdf`] gives every glyph its own text, from the font's own cmap, and where a cluster
//!   still needs another text (ำ is drawn as ํ and า) it shows that glyph under a second code that
//!   maps to the same glyph (an alias in CIDToGIDMap) and to the text needed. Only the spans'
//!   operations are parsed and written again; the rest of each page stays as typst wrote it. The
//!   /ActualText spans stay: poppler and pdfium read them (poppler's layout mode needs them to keep a mark
//!   with its letter), the others read the glyphs. The pages look exactly as before: the same
//!   glyphs are drawn at the same places.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Object, ObjectId, Stream};
use typst::foundations::Smart;
use typst::layout::{Em, Frame, FrameItem, Point};
use typst::model::Document as _;
use typst::text::{Lang, TextItem};
use typst_layout::PagedDocument;

use crate::words::{BREAK, GLUE};

mod raw;

use raw::Raw;

/// The language the style template lays text out in (see [`crate::words`]) and the one the PDF
/// declares.
const LAYOUT_LANG: Lang = Lang::CHINESE;
const TEXT_LANG: Lang = Lang::THAI;

/// Joins split syllables, drops the word-break marks from the text and tags the text as Thai.
/// Pages are restored on all cores: one after another they were 8 ms of a cold build on this
/// machine, with the second core idle.
pub fn restore_document(doc: &PagedDocument) -> PagedDocument {
    let pages = crate::par::par_map(doc.pages().iter().collect(), |page| {
        let mut page = page.clone();
        page.frame = restore_page(&page.frame);
        page
    });
    let mut info = doc.info().clone();
    if let Smart::Custom(locale) = &mut info.locale
        && locale.lang == LAYOUT_LANG
    {
        locale.lang = TEXT_LANG;
    }
    PagedDocument::new(pages.into_iter().collect(), info)
}

/// A page's frame restored, memoized: after an edit under `watch`, typst hands back most pages
/// as they were, and their restored frames are reused (3 ms of a 36 ms rebuild otherwise).
#[comemo::memoize]
fn restore_page(frame: &Frame) -> Frame {
    restore_frame(frame)
}

fn restore_frame(frame: &Frame) -> Frame {
    let mut items: Vec<(Point, FrameItem)> = Vec::with_capacity(frame.items().len());
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Group(group) => {
                let mut group = group.clone();
                group.frame = restore_frame(&group.frame);
                items.push((*pos, FrameItem::Group(group)));
            }
            FrameItem::Text(text) => {
                if let Some((prev_pos, FrameItem::Text(prev))) = items.last_mut()
                    && continues(prev, *prev_pos, text, *pos)
                {
                    join(prev, *prev_pos, text, *pos);
                } else {
                    items.push((*pos, item.clone()));
                }
            }
            _ => items.push((*pos, item.clone())),
        }
    }
    for (_, item) in &mut items {
        if let FrameItem::Text(text) = item {
            finish_text(text);
        }
    }
    let mut out = frame.clone();
    out.clear();
    out.push_multiple(items);
    out
}

/// Whether `next` is the rest of the run `prev` belongs to: same style, starting where `prev`
/// ends. typst splits a run only where a glyph's vertical offset changes.
fn continues(prev: &TextItem, prev_pos: Point, next: &TextItem, pos: Point) -> bool {
    prev.font == next.font
        && prev.size == next.size
        && prev.fill == next.fill
        && prev.stroke == next.stroke
        && prev.lang == next.lang
        && prev.region == next.region
        && !prev.glyphs.is_empty()
        && !next.glyphs.is_empty()
        && (prev_pos.x + prev.width() - pos.x).to_pt().abs() < 1e-3
}

/// Appends `next` to `prev`. Where the split fell inside a cluster, both items hold that
/// cluster's text: it is kept once.
fn join(prev: &mut TextItem, prev_pos: Point, next: &TextItem, pos: Point) {
    let last = prev.glyphs.last().expect("continues() checked");
    let first = &next.glyphs[0];
    let shared = last.span == first.span
        && !last.span.0.is_detached()
        && first.range().start == 0
        && last.range().end == prev.text.len()
        && prev.text[last.range()] == next.text[first.range()];
    let overlap = if shared { first.range().len() } else { 0 };
    let shift = prev.text.len() - overlap;
    let dy = Em::from_abs(prev_pos.y - pos.y, next.size);
    prev.text.push_str(&next.text[overlap..]);
    prev.glyphs.extend(next.glyphs.iter().map(|g| {
        let mut g = g.clone();
        g.range = (g.range.start + shift as u16)..(g.range.end + shift as u16);
        g.y_offset += dy;
        g
    }));
}

/// Drops the word-break marks from an item's text, keeping each glyph on its characters, and
/// declares the text Thai.
fn finish_text(text: &mut TextItem) {
    if text.lang == LAYOUT_LANG {
        text.lang = TEXT_LANG;
    }
    if !text.text.contains([BREAK, GLUE]) {
        return;
    }
    // new_offset[i] = where byte i of the old text lands in the new one.
    let mut new_offset = Vec::with_capacity(text.text.len() + 1);
    let mut kept = String::with_capacity(text.text.len());
    for c in text.text.chars() {
        for _ in 0..c.len_utf8() {
            new_offset.push(kept.len() as u16);
        }
        if c != BREAK && c != GLUE {
            kept.push(c);
        }
    }
    new_offset.push(kept.len() as u16);
    for g in &mut text.glyphs {
        g.range = new_offset[usize::from(g.range.start)]..new_offset[usize::from(g.range.end)];
    }
    text.text = kept.into();
}

/// Letters of any script that stick out of the frame they were laid out in (a word or URL wider
/// than its table cell or the page), as (source span, byte offset in it) of the first glyph that
/// crosses the frame's left or right edge by more than 0.2 em. Less is what typst allows a line anyway (a heading of the FY 2569 report
/// ends 0.44 pt past its frame), and punctuation may hang into the margin on purpose.
pub fn overflowing(doc: &PagedDocument) -> Vec<(typst::syntax::Span, u16)> {
    let mut out = Vec::new();
    for page in doc.pages() {
        overflowing_in(&page.frame, &mut out);
    }
    out
}

fn overflowing_in(frame: &Frame, out: &mut Vec<(typst::syntax::Span, u16)>) {
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Group(group) if group.transform.is_identity() => {
                overflowing_in(&group.frame, out)
            }
            FrameItem::Text(text) => {
                // In em, relative to the item: most items end well inside their frame, and
                // each glyph costs an addition and a comparison.
                let limit = (frame.width() - pos.x) / text.size + 0.2;
                // A centred line wider than its cell starts before the cell's left edge.
                let start = -pos.x / text.size - 0.2;
                let mut x = 0.0;
                for g in &text.glyphs {
                    let end = x + (g.x_offset + g.x_advance).get();
                    if (end > limit || x + g.x_offset.get() < start)
                        && (text.text[g.range()].chars().next())
                            .is_some_and(crate::words::is_breakable_letter)
                    {
                        out.push(g.span);
                        break;
                    }
                    x += g.x_advance.get();
                }
            }
            _ => {}
        }
    }
}

/// Why the text layer could not be rewritten (a PDF typst wrote that this code cannot read).
#[derive(Debug)]
pub struct RewriteError(pub String);

impl<E: std::fmt::Display> From<E> for RewriteError {
    fn from(e: E) -> Self {
        Self(e.to_string())
    }
}

/// Every (character, glyph name) the embedded fonts' cmaps hold.
static CMAP: LazyLock<Vec<(char, String)>> = LazyLock::new(|| {
    let mut out = Vec::new();
    for data in crate::pdf::FONT_FILES {
        let Ok(face) = ttf_parser::Face::parse(data, 0) else {
            continue;
        };
        let Some(cmap) = face.tables().cmap else {
            continue;
        };
        let names = glyph_names(&face);
        for sub in cmap.subtables.into_iter().filter(|s| s.is_unicode()) {
            sub.codepoints(|cp| {
                let name = sub
                    .glyph_index(cp)
                    .and_then(|g| names.get(usize::from(g.0)).copied().flatten());
                if let (Some(c), Some(name)) = (char::from_u32(cp), name) {
                    out.push((c, name.to_string()));
                }
            });
        }
    }
    out
});

/// The name of each glyph of a face, read in one pass. ttf-parser's `glyph_name` walks the list
/// of names from its start for each glyph, which made reading the four Sarabun faces 12 ms of a
/// build; this reads the name index of a version 2 `post` table directly (its layout: a 32-byte
/// header, the number of glyphs, then one big-endian index per glyph; indexes from 258 on
/// point into the list of names that follows).
fn glyph_names<'a>(face: &'a ttf_parser::Face<'a>) -> Vec<Option<&'a str>> {
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

/// Text of each glyph name of the embedded fonts, from their own cmap: `uni0E35.narrow`, a form
/// of ี the font substitutes for a narrow consonant, is ี. Several characters may share a glyph
/// (space and no-break space): the lowest is kept, the one text usually holds.
static GLYPH_TEXT: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    let mut map: HashMap<String, char> = HashMap::new();
    for (c, name) in CMAP.iter() {
        map.entry(name.clone())
            .and_modify(|t| *t = (*t).min(*c))
            .or_insert(*c);
    }
    map.into_iter().map(|(n, c)| (n, c.to_string())).collect()
});

/// Reads the embedded fonts' glyph texts (2.5 ms, once a process) while typst exports the PDF
/// on one core and the other has nothing to do.
pub fn warm_up() {
    LazyLock::force(&SIMPLE);
}

/// Characters that reach the PDF as one glyph of their own whose text is that character again:
/// an /ActualText span made of these alone reads the same from its glyphs, so it needs no other
/// codes and is not parsed. Not ำ: every Thai shaper draws it as ํ + า.
/// Sorted, for a binary search.
static SIMPLE: LazyLock<Vec<char>> = LazyLock::new(|| {
    let mut simple: Vec<char> = CMAP
        .iter()
        .filter(|(c, name)| *c != 'ำ' && GLYPH_TEXT.get(name) == Some(&c.to_string()))
        .map(|(c, _)| *c)
        .collect();
    simple.sort_unstable();
    simple.dedup();
    simple
});

/// The text a glyph stands for, from its name: its entry in the font's cmap, else the name
/// without its suffix (`.narrow`), else its parts (`f_i`), else a `uniXXXX` name.
fn glyph_text(name: &str) -> Option<String> {
    if let Some(t) = GLYPH_TEXT.get(name) {
        return Some(t.clone());
    }
    let base = name.split('.').next().unwrap_or(name);
    if let Some(t) = GLYPH_TEXT.get(base) {
        return Some(t.clone());
    }
    if base.contains('_') {
        return base.split('_').map(glyph_text).collect();
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

/// The first code of glyphs that stand for no text (the nikhahit of ำ). Their ToUnicode entry is
/// empty; pdf.js and pdfium read an empty entry as the code itself, and U+200B is a character
/// every reader tested drops. (The /ActualText around such a cluster stays for poppler and pdfium.)
const EMPTY_CODE: u16 = 0x200B;

/// One embedded CID font and what the rewrite learns about it.
struct Font {
    /// Text of each CID (the subset's glyph id) as the font's cmap gives it.
    text: Vec<Option<String>>,
    /// A hash of `text`, for the keys of remembered pages.
    text_hash: u128,
    /// Extra codes: (glyph id, text) -> alias CID.
    aliases: BTreeMap<(u16, String), u16>,
    /// The alias requests of the page being rewritten, in order: (glyph id, text, code).
    requests: Vec<(u16, String, u16)>,
}

impl Font {
    /// The code that draws glyph `gid` and reads as `text`.
    fn alias(&mut self, gid: u16, text: &str) -> u16 {
        let next = if text.is_empty() {
            EMPTY_CODE + self.aliases.keys().filter(|k| k.1.is_empty()).count() as u16
        } else {
            (self.text.len() + self.aliases.keys().filter(|k| !k.1.is_empty()).count()) as u16
        };
        let code = *self.aliases.entry((gid, text.to_string())).or_insert(next);
        self.requests.push((gid, text.to_string(), code));
        code
    }
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

/// Gives every glyph of the PDF its own text, so that readers that ignore /ActualText read the
/// same text as those that use it. See the module documentation. With `remember_pages`, the
/// pages rewritten are kept for the next call to reuse where typst wrote them unchanged.
///
/// Only the objects the rewrite reads are parsed; the rest are copied (see [`raw`]).
pub fn rewrite_pdf(bytes: Vec<u8>, remember_pages: bool) -> Result<Vec<u8>, RewriteError> {
    REWRITES.fetch_add(1, Ordering::Relaxed);
    let mut pdf = Raw::read(&bytes)?;
    let mut fonts: BTreeMap<ObjectId, Font> = BTreeMap::new();
    let pages = pdf.pages()?;
    let mut names = Vec::with_capacity(pages.len());
    for &page in &pages {
        let page_names = page_fonts(&pdf, page)?;
        for id in page_names.values() {
            if !fonts.contains_key(id) {
                fonts.insert(*id, read_font(&pdf, *id, remember_pages)?);
            }
        }
        names.push(page_names);
    }
    // Only the /ActualText spans can need other codes: they are parsed and written again, the
    // rest of each page stays as typst wrote it (parsing whole pages was 30 ms of a 160 ms build).
    let now = REWRITES.load(Ordering::Relaxed);
    let mut fresh = Vec::new();
    // Each page's content is compressed on another core while the next page is rewritten.
    let deflated: Deflated = Mutex::new(Vec::new());
    rayon::scope(|scope| -> Result<(), RewriteError> {
        let compress = |id, content| spawn_deflate(scope, &deflated, id, content);
        for (&page, page_names) in pages.iter().zip(&names) {
            let contents = pdf.page_contents(page);
            let key = remember_pages
                .then(|| page_key(&pdf, &contents, page_names, &fonts))
                .flatten();
            if let Some(key) = &key
                && let Some(memo) = remembered(key, now)
                && replay(&memo, page_names, &mut fonts)
            {
                if let [id] = contents[..] {
                    put_deflated(&mut pdf, id, memo.compressed.clone())?;
                }
                continue;
            }
            fonts.values_mut().for_each(|f| f.requests.clear());
            // One stream without a filter, as typst writes a page: read where it lies.
            let single = match contents[..] {
                [id] => pdf.typst_data(id).filter(|_| {
                    pdf.get(id)
                        .and_then(|o| Ok(o.as_stream()?))
                        .is_ok_and(|s| !s.dict.has(b"Filter"))
                }),
                _ => None,
            };
            let copied;
            let raw: &[u8] = match single {
                Some(data) => data,
                None => {
                    copied = page_content(&pdf, &contents)?;
                    &copied
                }
            };
            let new = match splice_spans(raw, page_names, &mut fonts)? {
                Some(new) => new,
                None => {
                    let (content, recoded) =
                        rewrite_content(Content::decode(raw)?, page_names, &mut fonts)?;
                    recoded.then(|| content.encode()).transpose()?
                }
            };
            let requests: Vec<(Vec<u8>, u16, String, u16)> = page_names
                .iter()
                .flat_map(|(name, id)| {
                    fonts[id]
                        .requests
                        .iter()
                        .map(|(g, t, c)| (name.clone(), *g, t.clone(), *c))
                })
                .collect();
            match (&contents[..], single, new) {
                ([id], Some(_), Some(new)) => compress(*id, new.into()),
                ([id], Some(data), None) => compress(*id, data.into()),
                (_, _, Some(new)) => {
                    let id = pdf.add(Object::Stream(Stream::new(Dictionary::new(), Vec::new())));
                    pdf.get_mut(page)?
                        .as_dict_mut()?
                        .set("Contents", Object::Reference(id));
                    compress(id, new.into());
                }
                _ => {}
            }
            if let (Some(key), [id]) = (key, &pdf.page_contents(page)[..]) {
                fresh.push((key, *id, requests));
            }
        }
        Ok(())
    })?;
    for (id, bytes) in deflated.into_inner().unwrap_or_else(|e| e.into_inner()) {
        put_deflated(&mut pdf, id, bytes?)?;
    }
    for (key, id, requests) in fresh {
        let compressed = pdf.get(id)?.as_stream()?.content.clone();
        remember(
            key,
            PageMemo {
                compressed,
                requests,
            },
            now,
        );
    }
    for (id, font) in &fonts {
        write_font(&mut pdf, *id, font)?;
    }
    let marks = [BREAK, GLUE].map(|mark| {
        let mut utf16 = [0; 2];
        mark.encode_utf16(&mut utf16);
        utf16[0].to_be_bytes()
    });
    pdf.write(deflate, &marks)
}

/// Compresses a page's content on another core.
fn spawn_deflate<'s>(
    scope: &rayon::Scope<'s>,
    done: &'s Deflated,
    id: ObjectId,
    content: std::borrow::Cow<'s, [u8]>,
) {
    scope.spawn(move |_| {
        let bytes = deflate(&content);
        done.lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((id, bytes));
    });
}

/// Pages' content compressed, by stream.
type Deflated = Mutex<Vec<(ObjectId, Result<Vec<u8>, RewriteError>)>>;

/// The content of a page not written as one unfiltered stream: its streams decoded, one after
/// another.
fn page_content(pdf: &Raw, contents: &[ObjectId]) -> Result<Vec<u8>, RewriteError> {
    let mut out = Vec::new();
    for &id in contents {
        out.extend(decoded(pdf, id)?);
        out.push(b'\n');
    }
    Ok(out)
}

/// Stream `id`'s data with its filters undone.
fn decoded(pdf: &Raw, id: ObjectId) -> Result<Vec<u8>, RewriteError> {
    let mut stream = pdf.get(id)?.as_stream()?.clone();
    stream.content = pdf.stream_data(id)?.to_vec();
    raw::unhex_first(&mut stream)?;
    if !stream.dict.has(b"Filter") {
        return Ok(stream.content);
    }
    Ok(stream.decompressed_content()?)
}

/// What the rewrite of a page made, for the next rewrite that meets the same page: under
/// `watch`, typst writes most pages of a rebuild exactly as before.
struct PageMemo {
    /// The page's content as written, compressed.
    compressed: Vec<u8>,
    /// The page's alias requests in order: (font resource name, glyph id, text, code).
    requests: Vec<(Vec<u8>, u16, String, u16)>,
}

/// A page as typst wrote it (a hash of its one content stream) and the text of each glyph of
/// the fonts it names (a hash of each font's, made once a rewrite): the rewrite of a page depends
/// on nothing else.
type PageKey = (u128, Vec<(Vec<u8>, u128)>);

static PAGES: Mutex<Option<Pages>> = Mutex::new(None);
/// Page -> (the rewrite that last used it, what rewriting it made).
type Pages = HashMap<PageKey, (u64, Arc<PageMemo>)>;

fn page_key(
    pdf: &Raw,
    contents: &[ObjectId],
    names: &BTreeMap<Vec<u8>, ObjectId>,
    fonts: &BTreeMap<ObjectId, Font>,
) -> Option<PageKey> {
    let [id] = contents[..] else {
        return None;
    };
    let content = typst::utils::hash128(pdf.typst_data(id)?);
    let texts = names
        .iter()
        .map(|(name, font)| (name.clone(), fonts[font].text_hash))
        .collect();
    Some((content, texts))
}

fn remembered(key: &PageKey, now: u64) -> Option<Arc<PageMemo>> {
    let mut pages = PAGES.lock().unwrap_or_else(|e| e.into_inner());
    let (used, memo) = pages.as_mut()?.get_mut(key)?;
    *used = now;
    Some(memo.clone())
}

fn remember(key: PageKey, memo: PageMemo, now: u64) {
    let mut pages = PAGES.lock().unwrap_or_else(|e| e.into_inner());
    let pages = pages.get_or_insert_with(HashMap::new);
    pages.retain(|_, (used, _)| *used + PAGES_KEPT > now);
    pages.insert(key, (now, Arc::new(memo)));
}

/// Makes a remembered page's alias requests again; true when each gets the code it got then, so
/// the remembered content is what rewriting the page would write now. The requests are the ones
/// rewriting it would make (they depend only on the page and the fonts' texts, both part of the
/// key), so when a code differs the page is rewritten and the aliases already stand as it needs.
fn replay(
    memo: &PageMemo,
    names: &BTreeMap<Vec<u8>, ObjectId>,
    fonts: &mut BTreeMap<ObjectId, Font>,
) -> bool {
    let mut same = true;
    for (name, gid, text, code) in &memo.requests {
        let Some(font) = names.get(name).and_then(|id| fonts.get_mut(id)) else {
            return false;
        };
        same &= font.alias(*gid, text) == *code;
    }
    same
}

/// Rewrites each /ActualText span of a page's content on its own and splices it back: `Some(new
/// content)` or `Some(None)` when nothing changed; `None` when a span is not the self-contained
/// `/Span <</ActualText ...>> BDC ... Tf ... EMC` typst writes, and the page needs a full parse.
fn splice_spans(
    raw: &[u8],
    names: &BTreeMap<Vec<u8>, ObjectId>,
    fonts: &mut BTreeMap<ObjectId, Font>,
) -> Result<Option<Option<Vec<u8>>>, RewriteError> {
    const KEY: &[u8] = b"/ActualText";
    let actual_text = memchr::memmem::Finder::new(KEY);
    let emc = memchr::memmem::Finder::new(b"EMC");
    let mut out = Vec::with_capacity(raw.len() + 1024);
    let mut last = 0;
    let mut any = false;
    let mut at = 0;
    while let Some(k) = actual_text.find(&raw[at..]) {
        let key = at + k;
        if hex_text_is_simple(&raw[key + KEY.len()..]) {
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
        let Some(e) = emc.find(&raw[key..]) else {
            return Ok(None);
        };
        let end = key + e + 3;
        let Ok(content) = Content::decode(&raw[start..end]) else {
            return Ok(None);
        };
        if !self_contained(&content) {
            return Ok(None);
        }
        let (content, recoded) = rewrite_content(content, names, fonts)?;
        if recoded {
            out.extend_from_slice(&raw[last..start]);
            out.extend_from_slice(&content.encode()?);
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

/// Whether `bytes` starts with a hex string `<FEFF...>` whose characters are all [`SIMPLE`].
/// Decoded without building its text: with a `String` and a hash set, this check was 2 ms of a
/// cold build.
fn hex_text_is_simple(bytes: &[u8]) -> bool {
    let Some(body) = bytes.trim_ascii_start().strip_prefix(b"<") else {
        return false;
    };
    let Some(end) = memchr::memchr(b'>', body) else {
        return false;
    };
    unhex(&body[..end])
        .is_some_and(|text| text_string_chars(&text).all(|c| SIMPLE.binary_search(&c).is_ok()))
}

/// One BDC with /ActualText first, its EMC last, no marked content between, and a font set
/// before any text is shown.
fn self_contained(content: &Content) -> bool {
    let ops = &content.operations;
    let (Some(first), Some(last)) = (ops.first(), ops.last()) else {
        return false;
    };
    let inner = &ops[1..ops.len() - 1];
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

/// The page's font resource names and the font objects they name.
fn page_fonts(pdf: &Raw, page: ObjectId) -> Result<BTreeMap<Vec<u8>, ObjectId>, RewriteError> {
    let mut out = BTreeMap::new();
    for resources in pdf.page_resources(page)? {
        let Ok(fonts) = resources.get(b"Font") else {
            continue;
        };
        let Ok(fonts) = pdf.resolve(fonts)?.as_dict() else {
            continue;
        };
        for (name, font) in fonts.iter() {
            if let Object::Reference(id) = font {
                out.entry(name.clone()).or_insert(*id);
            }
        }
    }
    Ok(out)
}

fn descendant(pdf: &Raw, font: ObjectId) -> Result<Option<ObjectId>, RewriteError> {
    let dict = pdf.dict(font)?;
    if dict.get(b"Subtype")?.as_name()? != b"Type0" {
        return Ok(None);
    }
    let arr = pdf.resolve(dict.get(b"DescendantFonts")?)?.as_array()?;
    Ok(arr.first().and_then(|o| o.as_reference().ok()))
}

/// Reads a Type0 font's embedded TrueType subset: the text of each glyph, by its name.
/// With `remember`, the texts are kept for the next rewrite that meets the same font file (under
/// `watch`, typst embeds the same subsets again after most edits; reading them was 0.8 ms of a
/// 62 ms rebuild).
fn read_font(pdf: &Raw, font: ObjectId, remember: bool) -> Result<Font, RewriteError> {
    let mut out = Font {
        text: Vec::new(),
        text_hash: 0,
        aliases: BTreeMap::new(),
        requests: Vec::new(),
    };
    let Some(cid_font) = descendant(pdf, font)? else {
        return Ok(out);
    };
    let cid_dict = pdf.dict(cid_font)?;
    let identity = matches!(cid_dict.get(b"CIDToGIDMap"), Ok(Object::Name(n)) if n == b"Identity");
    let descriptor = pdf.resolve(cid_dict.get(b"FontDescriptor")?)?.as_dict()?;
    let Ok(file) = descriptor.get(b"FontFile2") else {
        return Ok(out);
    };
    let file = file.as_reference()?;
    if !identity {
        return Ok(out); // not a font this code wrote the codes of; leave it alone
    }
    let key = (remember.then(|| pdf.typst_data(file)))
        .flatten()
        .map(typst::utils::hash128);
    let now = REWRITES.load(Ordering::Relaxed);
    let texts = || FONT_TEXTS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(key) = key
        && let Some((used, text, hash)) = texts().as_mut().and_then(|t| t.get_mut(&key))
    {
        *used = now;
        out.text = text.clone();
        out.text_hash = *hash;
        return Ok(out);
    }
    let data = decoded(pdf, file)?;
    let face = ttf_parser::Face::parse(&data, 0).map_err(|e| RewriteError(e.to_string()))?;
    out.text = glyph_names(&face)
        .into_iter()
        .map(|name| name.and_then(glyph_text))
        .collect();
    out.text_hash = typst::utils::hash128(&out.text);
    if let Some(key) = key {
        let mut texts = texts();
        let texts = texts.get_or_insert_with(HashMap::new);
        texts.retain(|_, (used, _, _)| *used + PAGES_KEPT > now);
        texts.insert(key, (now, out.text.clone(), out.text_hash));
    }
    Ok(out)
}

/// Font file (a hash of its bytes as typst wrote them) -> (the rewrite that last used it, the
/// text of each glyph, a hash of those).
type FontTexts = HashMap<u128, (u64, Vec<Option<String>>, u128)>;
static FONT_TEXTS: Mutex<Option<FontTexts>> = Mutex::new(None);

/// One /ActualText span: its text and the glyphs shown inside it.
struct Span {
    text: String,
    glyphs: Vec<usize>,
}

fn rewrite_content(
    mut content: Content,
    names: &BTreeMap<Vec<u8>, ObjectId>,
    fonts: &mut BTreeMap<ObjectId, Font>,
) -> Result<(Content, bool), RewriteError> {
    let mut recoded = false;
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
                font = op
                    .operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .and_then(|n| names.get(n).copied());
            }
            "BMC" => marked.push(None),
            "BDC" => {
                let text = op
                    .operands
                    .get(1)
                    .and_then(|o| o.as_dict().ok())
                    .and_then(|d| d.get(b"ActualText").ok())
                    .and_then(|t| t.as_str().ok())
                    .map(decode_text_string);
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
                let Some(font) = font.filter(|f| fonts.get(f).is_some_and(|f| !f.text.is_empty()))
                else {
                    continue;
                };
                let span = marked.iter().rev().find_map(|m| *m);
                for (part, string) in strings(op) {
                    for (b, pair) in string.chunks_exact(2).enumerate() {
                        if let Some(span) = span {
                            spans[span].glyphs.push(shown.len());
                        }
                        shown.push(Shown {
                            op: i,
                            part,
                            byte: b * 2,
                            font,
                            cid: u16::from_be_bytes([pair[0], pair[1]]),
                        });
                    }
                }
            }
            _ => {}
        }
    }

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
            .filter(|&c| c != BREAK && c != GLUE)
            .collect();
        let defaults: Vec<String> = span.glyphs.iter().map(|&g| texts[g].clone()).collect();
        let Some(assigned) = align(&defaults, &target) else {
            continue; // keep the span: its text cannot be spread over its glyphs
        };
        for (&g, text) in span.glyphs.iter().zip(assigned) {
            texts[g] = text;
        }
    }
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
    Ok((content, recoded))
}

fn number(o: &Object) -> Option<f32> {
    o.as_float()
        .ok()
        .or_else(|| o.as_i64().ok().map(|i| i as f32))
}

/// The strings a text-showing operation shows, with their place among its operands.
fn strings(op: &Operation) -> Vec<(usize, &[u8])> {
    match op.operator.as_str() {
        "TJ" => op
            .operands
            .first()
            .and_then(|o| o.as_array().ok())
            .map(|a| {
                a.iter()
                    .enumerate()
                    .filter_map(|(k, o)| o.as_str().ok().map(|s| (k, s)))
                    .collect()
            })
            .unwrap_or_default(),
        _ => op
            .operands
            .last()
            .and_then(|o| o.as_str().ok())
            .map(|s| vec![(0, s)])
            .unwrap_or_default(),
    }
}

/// Spreads `target` over glyphs whose own texts are `defaults`, changing as few glyphs' texts
/// as possible (each may get any part of the text, or none). `None` if there are no glyphs.
fn align(defaults: &[String], target: &str) -> Option<Vec<String>> {
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
fn decode_text_string(bytes: &[u8]) -> String {
    text_string_chars(bytes).collect()
}

/// The characters of a PDF text string, as [`decode_text_string`] reads them (an unpaired
/// surrogate as U+FFFD).
fn text_string_chars(bytes: &[u8]) -> impl Iterator<Item = char> + '_ {
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

/// Writes a font's ToUnicode map and, for its aliases, its CIDToGIDMap and widths.
fn write_font(pdf: &mut Raw, font: ObjectId, info: &Font) -> Result<(), RewriteError> {
    if info.text.is_empty() {
        return Ok(());
    }
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
            (pdf.get_mut(font)?.as_dict_mut()?).set("ToUnicode", Object::Reference(id));
        }
    }
    if info.aliases.is_empty() {
        return Ok(());
    }

    let cid_font = descendant(pdf, font)?.ok_or_else(|| RewriteError("no CID font".into()))?;
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
    let widths = widths(pdf, cid_font)?;
    let mut w = match pdf.dict(cid_font)?.get(b"W") {
        Ok(w) => pdf.resolve(w)?.as_array()?.clone(),
        Err(_) => Vec::new(),
    };
    let dict = pdf.get_mut(cid_font)?.as_dict_mut()?;
    dict.set("CIDToGIDMap", Object::Reference(map_id));
    for (cid, gid) in by_cid {
        let width = widths.get(&gid).copied().unwrap_or(0.0);
        w.push(Object::Integer(i64::from(cid)));
        w.push(Object::Array(vec![Object::Real(width)]));
    }
    dict.set("W", Object::Array(w));
    Ok(())
}

/// Drops the word-break marks from a text string: typst copies a heading's text, marks and all,
/// into its bookmark (/Title) and its structure element (/T), where a reader's search for the
/// heading's words would not find them.
fn drop_marks_in(object: &mut Object, marks: &[[u8; 2]]) {
    match object {
        Object::String(bytes, _) => {
            // UTF-16BE text strings; a mark cannot be half of a surrogate pair.
            let is_mark = |u: &[u8]| marks.iter().any(|m| u == m);
            if let [0xFE, 0xFF, rest @ ..] = &bytes[..]
                && rest.chunks_exact(2).any(is_mark)
            {
                let kept = rest.chunks(2).filter(|u| !is_mark(u)).flatten();
                *bytes = [0xFE, 0xFF].iter().chain(kept).copied().collect();
            }
        }
        Object::Array(items) => items.iter_mut().for_each(|o| drop_marks_in(o, marks)),
        Object::Dictionary(dict) => dict.iter_mut().for_each(|(_, o)| drop_marks_in(o, marks)),
        Object::Stream(stream) => {
            (stream.dict.iter_mut()).for_each(|(_, o)| drop_marks_in(o, marks))
        }
        _ => {}
    }
}

/// ASCIIHexDecode: pairs of hex digits, white space ignored, `>` ends the data. Two digits at a
/// time by a table where they come in pairs, as typst writes them (the embedded fonts are about
/// 150 KB of hex).
fn unhex(hex: &[u8]) -> Option<Vec<u8>> {
    const NOT_HEX: u8 = 0xFF;
    static VALUE: [u8; 256] = {
        let mut table = [NOT_HEX; 256];
        let mut b = 0;
        while b < 256 {
            table[b] = match b as u8 {
                d @ b'0'..=b'9' => d - b'0',
                d @ b'a'..=b'f' => d - b'a' + 10,
                d @ b'A'..=b'F' => d - b'A' + 10,
                _ => NOT_HEX,
            };
            b += 1;
        }
        table
    };
    let mut out = Vec::with_capacity(hex.len() / 2);
    let mut high: Option<u8> = None;
    let mut i = 0;
    while i < hex.len() {
        if high.is_none()
            && let Some(&[h, l]) = hex.get(i..i + 2)
            && (VALUE[usize::from(h)] | VALUE[usize::from(l)]) < 16
        {
            out.push(VALUE[usize::from(h)] << 4 | VALUE[usize::from(l)]);
            i += 2;
            continue;
        }
        let b = hex[i];
        i += 1;
        let v = VALUE[usize::from(b)];
        if v == NOT_HEX {
            match b {
                b'>' => break,
                b if b.is_ascii_whitespace() => continue,
                _ => return None,
            }
        }
        match high.take() {
            Some(h) => out.push(h << 4 | v),
            None => high = Some(v),
        }
    }
    out.extend(high.map(|h| h << 4));
    Some(out)
}

/// Makes stream `id` hold `bytes`, compressed by [`deflate`].
fn put_deflated(pdf: &mut Raw, id: ObjectId, bytes: Vec<u8>) -> Result<(), RewriteError> {
    let dict = pdf.get(id)?.as_stream()?.dict.clone();
    pdf.set(id, Object::Stream(raw::deflated(dict, bytes)));
    Ok(())
}

/// Rewrites made in this process: the age of a remembered page.
static REWRITES: AtomicU64 = AtomicU64::new(0);

/// Remembered pages unused for this many rewrites are dropped (the FY 2569 report's pages take
/// about 1.3 MB).
const PAGES_KEPT: u64 = 4;

/// Forgets the remembered pages and font texts.
pub(crate) fn clear_caches() {
    *PAGES.lock().unwrap_or_else(|e| e.into_inner()) = None;
    *FONT_TEXTS.lock().unwrap_or_else(|e| e.into_inner()) = None;
}

thread_local! {
    /// One compressor a thread, reset for each stream: setting one up clears its tables, which
    /// took more time than compressing a page.
    static COMPRESS: std::cell::RefCell<flate2::Compress> =
        std::cell::RefCell::new(flate2::Compress::new(flate2::Compression::new(2), true));
}

/// Flate at level 2: a page's content is 60 KB of text operators, and level 2 compresses the 16
/// pages of the FY 2569 report in 4 ms where the default level took 9 ms, for a file 13% larger.
fn deflate(data: &[u8]) -> Result<Vec<u8>, RewriteError> {
    COMPRESS.with_borrow_mut(|c| {
        c.reset();
        let mut out = Vec::with_capacity(data.len() / 2 + 64);
        loop {
            let read = usize::try_from(c.total_in()).unwrap_or(data.len());
            let status = c
                .compress_vec(&data[read..], &mut out, flate2::FlushCompress::Finish)
                .map_err(|e| RewriteError(e.to_string()))?;
            if status == flate2::Status::StreamEnd {
                return Ok(out);
            }
            out.reserve(out.capacity().max(1024));
        }
    })
}

/// The widths a CID font's /W array gives (`c [w …]` and `c_first c_last w` forms).
fn widths(pdf: &Raw, cid_font: ObjectId) -> Result<HashMap<u16, f32>, RewriteError> {
    let mut out = HashMap::new();
    let dict = pdf.dict(cid_font)?;
    let Ok(w) = dict.get(b"W") else {
        return Ok(out);
    };
    let w = pdf.resolve(w)?.as_array()?;
    let num = number;
    let mut i = 0;
    while i < w.len() {
        let Some(first) = num(&w[i]) else { break };
        match w.get(i + 1) {
            Some(Object::Array(ws)) => {
                for (k, x) in ws.iter().enumerate() {
                    if let Some(x) = num(x) {
                        out.insert(first as u16 + k as u16, x);
                    }
                }
                i += 2;
            }
            Some(last) => {
                let (Some(last), Some(x)) = (num(last), w.get(i + 2).and_then(num)) else {
                    break;
                };
                for c in first as u16..=last as u16 {
                    out.insert(c, x);
                }
                i += 3;
            }
            None => break,
        }
    }
    Ok(out)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hex_text_is_simple_when_it_decodes_to_simple_characters_only() {
        // ก and า each read as themselves; ำ is drawn as two glyphs.
        assert!(hex_text_is_simple(b" <FEFF0E01 0E32> >> BDC"));
        assert!(!hex_text_is_simple(b"<FEFF0E010E33>"));
        // An odd last digit is followed by 0, as readers decode it: ก ะ.
        assert!(hex_text_is_simple(b"<FEFF0E010E3>"));
        assert!(!hex_text_is_simple(b"<FEFF0E010EXX>"), "not hex");
        assert!(!hex_text_is_simple(b"<FEFF0E01"), "not closed");
        assert!(!hex_text_is_simple(b"(plain)"), "not a hex string");
        assert!(!hex_text_is_simple(b"<FEFFD800>"), "a lone surrogate");
    }

    /// typst's own PDF of the bundled FY 2569 report, before the text layer.
    fn typst_pdf() -> Vec<u8> {
        use crate::diag::SourceMap;
        use crate::template::{self, Digits};
        let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let mut sources = SourceMap::default();
        let (report, figures, _) = crate::build::check(&root, 2569, &mut sources).ok().unwrap();
        let env = template::environment(Some(&root.join("templates")), Digits::Thai);
        let source = template::render(&env, &report, &figures, Digits::Thai)
            .ok()
            .unwrap();
        let mut world = crate::pdf::ReportWorld::new(&root, source, None);
        let (doc, _) = crate::pdf::layout(&mut world, &mut sources).ok().unwrap();
        crate::pdf::export_typst(&world, &doc, "test").ok().unwrap()
    }

    /// A stream's data decoded, as a reader gets it.
    fn plain(stream: &Stream) -> Vec<u8> {
        let mut stream = stream.clone();
        if stream.dict.get(b"Filter").is_ok_and(|f| {
            f.as_name().ok() == Some(b"ASCIIHexDecode")
                || (f.as_array().ok()).and_then(|a| a.first()?.as_name().ok())
                    == Some(b"ASCIIHexDecode")
        }) {
            stream.content = unhex(&stream.content).unwrap();
            let rest = match stream.dict.get(b"Filter").unwrap() {
                Object::Array(a) => a[1..].to_vec(),
                _ => Vec::new(),
            };
            stream.dict.set("Filter", Object::Array(rest));
        }
        match stream.dict.get(b"Filter") {
            Ok(Object::Array(a)) if a.is_empty() => stream.content,
            Ok(_) => stream.decompressed_content().unwrap(),
            Err(_) => stream.content,
        }
    }

    /// The rewrite reads only the objects it needs and copies the others: every object of
    /// typst's PDF is still there and reads the same (its streams decoded, white space aside),
    /// but the page content, the fonts' text maps and the CID fonts' codes, which it rewrites,
    /// and the marks it drops. The file loads strictly (its cross-reference table is right),
    /// and every stream but the XMP metadata is compressed.
    #[test]
    fn every_object_the_rewrite_does_not_change_reads_as_typst_wrote_it() {
        let bytes = typst_pdf();
        let strict = lopdf::LoadOptions {
            strict: true,
            ..Default::default()
        };
        let typst = lopdf::Document::load_mem_with_options(&bytes, strict.clone()).unwrap();
        let out = rewrite_pdf(bytes, false).ok().unwrap();
        let ours = lopdf::Document::load_mem_with_options(&out, strict).unwrap();
        assert!(
            ours.xref_recovery.is_none(),
            "the cross-reference table was rebuilt"
        );
        let mut rewritten = std::collections::BTreeSet::new();
        for page in typst.get_pages().into_values() {
            rewritten.extend(typst.get_page_contents(page));
        }
        for (id, object) in &typst.objects {
            if let Ok(font) = object.as_dict()
                && font.get(b"Type").and_then(Object::as_name).ok() == Some(b"Font")
            {
                rewritten.extend(font.get(b"ToUnicode").and_then(Object::as_reference));
                if font.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"CIDFontType2") {
                    rewritten.insert(*id);
                }
            }
        }
        let marks = [BREAK, GLUE].map(|c| (c as u16).to_be_bytes());
        let mut same = 0;
        for (id, object) in &typst.objects {
            let ours = ours.get_object(*id).unwrap();
            if rewritten.contains(id) {
                assert_eq!(std::mem::discriminant(ours), std::mem::discriminant(object));
                continue;
            }
            match (object, ours) {
                (Object::Stream(theirs), Object::Stream(ours)) => {
                    let metadata =
                        ours.dict.get(b"Type").and_then(Object::as_name).ok() == Some(b"Metadata");
                    assert_eq!(ours.dict.has(b"Filter"), !metadata, "object {id:?}");
                    assert_eq!(plain(ours), plain(theirs), "object {id:?}");
                    let rest = |d: &Dictionary| {
                        let mut d = d.clone();
                        for key in [&b"Filter"[..], b"Length", b"DecodeParms"] {
                            d.remove(key);
                        }
                        d
                    };
                    assert!(rest(&ours.dict) == rest(&theirs.dict), "object {id:?}");
                }
                (theirs, ours) => {
                    let mut theirs = theirs.clone();
                    drop_marks_in(&mut theirs, &marks);
                    assert!(theirs == *ours, "object {id:?} differs");
                }
            }
            same += 1;
        }
        assert!(same > 600, "only {same} objects compared");
        assert!(out.len() < 400_000, "{} bytes", out.len());
    }

    static TYPST_PDF: LazyLock<Vec<u8>> = LazyLock::new(typst_pdf);

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// A PDF cut short or with bytes changed is an error or a PDF, never a panic: the reader
        /// trusts no offset, length or number in the file.
        #[test]
        fn a_damaged_pdf_is_an_error_not_a_panic(
            cut in 0.0f64..1.0,
            flips in proptest::collection::vec((0.0f64..1.0, proptest::prelude::any::<u8>()), 0..6),
        ) {
            let mut bytes = TYPST_PDF.clone();
            // Half the changes in the last 16 KB: the cross-reference table and the trailer.
            let len = bytes.len();
            for (at, byte) in flips {
                let at = match at < 0.5 {
                    true => (at * 2.0 * len as f64) as usize,
                    false => len - 1 - ((at - 0.5) * 2.0 * 16384.0) as usize,
                };
                bytes[at] = byte;
            }
            if cut > 0.5 {
                bytes.truncate(((cut - 0.5) * 2.0 * bytes.len() as f64) as usize);
            }
            let _ = rewrite_pdf(bytes, false);
        }
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn marks_leave_text_strings_and_nothing_else() {
        let mut title = Object::String(
            vec![0xFE, 0xFF, 0x0E, 0x01, 0x20, 0x0B, 0x0E, 0x02],
            lopdf::StringFormat::Hexadecimal,
        );
        let mut code = Object::String(vec![0x41, 0x20, 0x0B, 0x42], lopdf::StringFormat::Literal);
        drop_marks_in(&mut title, &[[0x20, 0x0B]]);
        drop_marks_in(&mut code, &[[0x20, 0x0B]]);
        assert_eq!(decode_text_string(title.as_str().unwrap()), "กข");
        assert_eq!(code.as_str().unwrap(), &[0x41, 0x20, 0x0B, 0x42]);
    }

    #[test]
    fn hex_streams_decode_with_spaces_an_odd_digit_and_the_end_mark() {
        assert_eq!(
            unhex(b"00 fF\n1a7>junk"),
            Some(vec![0x00, 0xff, 0x1a, 0x70])
        );
        assert_eq!(unhex(b"0g"), None);
    }

    #[test]
    fn sara_am_goes_to_the_sara_aa_glyph() {
        // ต่ำ is drawn ต, ํ, ่, า: the nikhahit moved before the tone mark.
        let got = align(&strings(&["ต", "ํ", "่", "า"]), "ต่ำ").unwrap();
        assert_eq!(got, strings(&["ต", "", "่", "ำ"]));
        let got = align(&strings(&["ส", "ํ", "า", "น", "ั", "ก"]), "สำนัก").unwrap();
        assert_eq!(got.concat(), "สำนัก");
        assert_eq!(got[3..], strings(&["น", "ั", "ก"]));
    }

    #[test]
    fn matching_glyphs_keep_their_text() {
        let d = strings(&["ท", "ั", "้"]);
        assert_eq!(align(&d, "ทั้").unwrap(), d);
    }

    #[test]
    fn glyph_names_map_to_text() {
        assert_eq!(glyph_text("uni0E35.narrow").as_deref(), Some("ี"));
        assert_eq!(glyph_text("uni0E49").as_deref(), Some("้"));
        assert_eq!(glyph_text("space").as_deref(), Some(" "));
        assert_eq!(glyph_text("f_i").as_deref(), Some("fi"));
    }

    #[test]
    fn only_self_contained_spans_are_spliced() {
        let fonts = &mut BTreeMap::new();
        let names = &BTreeMap::new();
        // A span of characters drawn one glyph each is left alone without being parsed.
        let simple = b"BT /Span<</ActualText<FEFF0E01>>>BDC (ab) Tj EMC ET";
        assert_eq!(splice_spans(simple, names, fonts).unwrap(), Some(None));
        // A span with ำ that sets its font is rewritten on its own (here nothing changes).
        let ok = b"BT /f0 11 Tf /Span<</ActualText<FEFF0E33>>>BDC /f0 11 Tf (ab) Tj EMC ET";
        assert_eq!(splice_spans(ok, names, fonts).unwrap(), Some(None));
        // A span that shows text in a font set before it needs the whole page parsed.
        let outside = b"BT /f0 11 Tf /Span<</ActualText<FEFF0E33>>>BDC (ab) Tj EMC ET";
        assert_eq!(splice_spans(outside, names, fonts).unwrap(), None);
        // A string that happens to hold the bytes EMC cuts the span short: parsed whole too.
        let cut = b"/Span<</ActualText<FEFF0E33>>>BDC /f0 11 Tf (xEMCy) Tj EMC";
        assert_eq!(splice_spans(cut, names, fonts).unwrap(), None);
    }

    #[test]
    fn text_strings_decode() {
        assert_eq!(decode_text_string(&[0xFE, 0xFF, 0x0E, 0x01]), "ก");
        assert_eq!(decode_text_string(b"ok"), "ok");
    }
}

//! Stage 5a, typst's frames before export: what the text layer needs done while the text is still
//! typst's, and what layout checks on the laid-out pages.
//!
//! typst 0.15.1's shaping splits a Thai syllable into separate text items where a tone mark is
//! raised above an upper vowel, and each item carries the whole syllable's text (ยิ่ง copies as
//! ยิ่ยิ่ง, typst issue 7610). [`restore_document`] joins such items again before export, with
//! the raised marks as per-glyph offsets, drops the word-break and glue marks ([`crate::marks`])
//! from the text and gives it its Thai language back (see [`crate::words`] for why it is laid out
//! as `zh`). After export, the PDF's text layer is rewritten by the `pdf-textlayer` crate (see
//! [`crate::pdf::export`]). [`overflowing`] finds letters sticking out of their frame or their
//! table cell's inset (`frames/cells.rs` finds each cell), for [`crate::pdf::layout`] to lay
//! their words out again.

use typst::foundations::Smart;
use typst::layout::{Abs, Em, Frame, FrameItem, Point, Size};
use typst::model::Document as _;
use typst::text::{Lang, TextItem};
use typst_layout::PagedDocument;

mod cells;

/// The language the style template lays text out in (see [`crate::words`]) and the one the PDF
/// declares.
const LAYOUT_LANG: Lang = Lang::CHINESE;
const TEXT_LANG: Lang = Lang::THAI;

/// Joins split syllables, drops the word-break marks from the text and tags the text as Thai.
/// Pages are restored on all cores: one after another they were 8 ms of a cold build on this
/// machine, with the second core idle. With `remember` (a World kept for rebuilds), each page's
/// restored frame is kept for the next layout, where typst hands most pages back as they were;
/// a build's own layout passes change the pages after the first cell they cut, so there the
/// hashing it takes (a quarter of the time) won nothing (measured on the bundled report, laid
/// out once, and on reports laid out two and three times).
pub fn restore_document(doc: &PagedDocument, remember: bool) -> PagedDocument {
    let pages = crate::par::par_map(doc.pages().iter().collect(), |page| {
        let mut page = page.clone();
        page.frame = if remember {
            restore_page(&page.frame)
        } else {
            restore_frame(&page.frame)
        };
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
    if !text.text.contains(crate::marks::ALL) {
        return;
    }
    // new_offset[i] = where byte i of the old text lands in the new one.
    let mut new_offset = Vec::with_capacity(text.text.len() + 1);
    let mut kept = String::with_capacity(text.text.len());
    for c in text.text.chars() {
        for _ in 0..c.len_utf8() {
            new_offset.push(kept.len() as u16);
        }
        if !crate::marks::is_mark(c) {
            kept.push(c);
        }
    }
    new_offset.push(kept.len() as u16);
    for g in &mut text.glyphs {
        g.range = new_offset[usize::from(g.range.start)]..new_offset[usize::from(g.range.end)];
    }
    text.text = kept.into();
}

/// A line with letters outside the frame it was laid out in.
#[derive(Debug, Clone, Copy)]
pub struct Overflow {
    /// The source span of the first glyph outside, and its byte offset in the span.
    pub at: (typst::syntax::Span, u16),
    /// How wide the line's text is, from where the frame's text starts to its last glyph.
    pub needed: Abs,
    /// How wide the frame's text may be: a table cell's width less its inset, or the frame's.
    pub had: Abs,
}

/// Letters of any script that stick out of the frame they were laid out in (a word or URL wider
/// than its table cell or the page): the first glyph of each line that crosses the frame's left or
/// right edge. In a table cell the edges are those of its text, inside the cell's inset (issue 33:
/// a code 0.4 pt wider than its cell touched both rules), and the first glyph past them by more
/// than 0.05 pt counts. Elsewhere a glyph counts past 0.2 em: less is what typst allows a line
/// anyway (a heading of the FY 2569 report ends 0.44 pt past its frame). Which cell a line is in,
/// and that cell's edges, come from typst's tags around each cell (`frames/cells.rs`): a small
/// cell's frame is merged into its row's, where the row's edges are the table's (issue 33: a word
/// in the 3 cm first column of the rating levels ran 1.6 pt past its rule without a warning).
pub fn overflowing(doc: &PagedDocument) -> Vec<Overflow> {
    cells::overflowing(doc)
}

/// The first glyph of each text item laid out beyond its page's bottom or right edge, where no
/// printer prints it: typst lets a table row that may not split (a cell of a score table, the
/// closing block) run off a page taller than it, and says nothing.
pub fn off_page(doc: &PagedDocument) -> Vec<typst::syntax::Span> {
    let mut out = Vec::new();
    for page in doc.pages() {
        let size = page.frame.size();
        off_page_in(&page.frame, Point::zero(), size, &mut out);
    }
    out
}

fn off_page_in(frame: &Frame, origin: Point, page: Size, out: &mut Vec<typst::syntax::Span>) {
    for (pos, item) in frame.items() {
        let at = origin + *pos;
        match item {
            FrameItem::Group(group) if group.transform.is_identity() => {
                off_page_in(&group.frame, at, page, out)
            }
            FrameItem::Text(text) if at.y > page.y || at.x > page.x => {
                if let Some(g) = text.glyphs.first() {
                    out.push(g.span.0);
                }
            }
            _ => {}
        }
    }
}

/// Where the last glyph of a text item that is not a space ends, from the item's start.
fn line_end(item: &TextItem) -> Abs {
    let mut x = Abs::zero();
    let mut end = Abs::zero();
    for g in &item.glyphs {
        x += g.x_advance.at(item.size);
        if !item.text[g.range()].chars().all(char::is_whitespace) {
            end = x;
        }
    }
    end
}

/// The text of each page as laid out, text item after text item in the order the PDF shows
/// them: what a reader should copy out of the page (the tests compare it with the text the PDF's
/// text layer gives).
pub fn page_texts(doc: &PagedDocument) -> Vec<String> {
    fn walk(frame: &Frame, out: &mut String) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(group) => walk(&group.frame, out),
                FrameItem::Text(text) => out.push_str(&text.text),
                _ => {}
            }
        }
    }
    doc.pages()
        .iter()
        .map(|page| {
            let mut out = String::new();
            walk(&page.frame, &mut out);
            out
        })
        .collect()
}

//! Stage 5a, typst's frames before export: what the text layer needs done while the text is still
//! typst's, and what layout checks on the laid-out pages.
//!
//! typst 0.15.1's shaping splits a Thai syllable into separate text items where a tone mark is
//! raised above an upper vowel, and each item carries the whole syllable's text (ยิ่ง copies as
//! ยิ่ยิ่ง, typst issue 7610). [`restore_document`] joins such items again before export, with
//! the raised marks as per-glyph offsets, drops the word-break and glue marks ([`crate::marks`])
//! from the text and gives it its Thai language back (see [`crate::words`] for why it is laid out
//! as `zh`). After export, the PDF's text layer is rewritten by the `pdf-textlayer` crate (see
//! [`crate::pdf::export`]). [`overflowing`] finds letters sticking out of their frame, for
//! [`crate::pdf::layout`] to lay their words out again.

use typst::foundations::Smart;
use typst::layout::{Em, Frame, FrameItem, Point, Size};
use typst::model::Document as _;
use typst::text::{Lang, TextItem};
use typst_layout::PagedDocument;

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

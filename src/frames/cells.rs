//! Which table cell each line of text was laid out in, and where that cell's edges are, read
//! from typst's frames: for [`super::overflowing`] to tell a line that crosses its cell's inset.
//!
//! A cell's frame is not always a group of its own. typst 0.15.1's `Frame::push_frame` copies the
//! items of a small frame (five items or fewer), or of the first frame pushed into an empty one,
//! into the frame it is pushed into: the first cell of every row, every short cell of a score
//! table, and the first row of every table region end up among their row's or table's items,
//! where a group's edges would be the table's. What stays, in the order typst's introspector reads
//! them, are the tags typst-layout's grid puts around each cell (`layout_cell`): a cell's items
//! lie between its start and end tags, and a cell laid out over several frames is a group whose
//! logical parent is the cell, after a start and end tag with nothing between them. A cell's left
//! edge is where its start tag is; its right edge is its own frame's where the cell kept one, else
//! the left edge of the column after it in the same table on the same page (from another cell's
//! start tag, or a cell of known width ending there), else the table's right edge (the narrowest
//! frame holding the table's cells directly: a row's or the table's, both as wide as the table).

use std::collections::HashMap;

use typst::foundations::StyleChain;
use typst::introspection::{Location, Tag};
use typst::layout::{Abs, Em, Frame, FrameItem, Length, Point, Rel, Sides};
use typst::model::{TableCell, TableElem};
use typst::text::TextItem;
use typst_layout::PagedDocument;

use super::Overflow;

/// Past how many points of a cell's text edge a glyph counts: rounding, not a hair more.
const CELL_SLACK_PT: f64 = 0.05;
/// Past how many em of its frame's edge a glyph outside a cell counts: less is what typst allows
/// a line anyway (a heading of the FY 2569 report ends 0.44 pt past its frame).
const FRAME_SLACK_EM: f64 = 0.2;

/// See [`super::overflowing`].
pub(super) fn overflowing(doc: &PagedDocument) -> Vec<Overflow> {
    let mut tags = Tags::default();
    let mut out = Vec::new();
    for page in doc.pages() {
        // A cell is never open across pages (a cell over several frames closes its tags in the
        // first); tables are.
        tags.open.retain(|o| matches!(o, Open::Table(_)));
        let mut walk = Page::default();
        walk.frame(&page.frame, Point::zero(), &mut tags, true);
        walk.check(&tags, &mut out);
    }
    out
}

/// A table cell as its start tag says: its table, column, span and inset.
struct Cell {
    table: Option<Location>,
    column: usize,
    span: usize,
    inset: Sides<Option<Rel<Length>>>,
}

/// What the walk carries from page to page: the tables and cells open where it is, and every
/// cell met so far, for the groups that continue it on later pages.
#[derive(Default)]
struct Tags {
    open: Vec<Open>,
    cells: HashMap<Location, Cell>,
}

enum Open {
    Table(Location),
    /// A cell, and where it is placed on this page ([`Page::placed`]).
    Cell(Location, usize),
}

impl Open {
    fn location(&self) -> Location {
        match self {
            Open::Table(l) | Open::Cell(l, _) => *l,
        }
    }
}

/// A cell placed on a page, in the page's coordinates.
struct Placed {
    cell: Location,
    left: Abs,
    /// Its own frame's width, where it kept one.
    width: Option<Abs>,
    /// The right edge of the frame its start tag lies in, where that is not the cell's own.
    within: Option<Abs>,
}

/// Where a line of text lies: in a placed cell, or elsewhere in a frame with these edges.
enum Owner {
    Cell(usize),
    Frame(Abs, Abs),
}

/// One page's cells and lines, found in one walk and checked after it, once every cell's
/// neighbours are known.
#[derive(Default)]
struct Page<'a> {
    placed: Vec<Placed>,
    lines: Vec<(Point, &'a TextItem, Owner)>,
}

impl<'a> Page<'a> {
    /// Walks `frame`, placed at `origin` on the page; `flat` while no transform (a rotation, a
    /// scale) makes its positions other than they look: tags are followed in any case, lines
    /// and cells found only then.
    fn frame(&mut self, frame: &'a Frame, origin: Point, tags: &mut Tags, flat: bool) {
        let own = own_cell(frame);
        for (pos, item) in frame.items() {
            let at = origin + *pos;
            match item {
                FrameItem::Tag(Tag::Start(content, _)) => {
                    let Some(loc) = content.location() else {
                        continue;
                    };
                    if content.is::<TableElem>() {
                        tags.open.push(Open::Table(loc));
                    } else if let Some(cell) = content.to_packed::<TableCell>() {
                        let styles = StyleChain::default();
                        let table = tags.open.iter().rev().find_map(|o| match o {
                            Open::Table(t) => Some(*t),
                            Open::Cell(..) => None,
                        });
                        let cell = Cell {
                            table,
                            column: cell.x.get(styles).custom().unwrap_or(0),
                            span: cell.colspan.get(styles).get(),
                            inset: cell.inset.get_cloned(styles).unwrap_or_default(),
                        };
                        tags.cells.insert(loc, cell);
                        let mine = own == Some(loc);
                        let i = self.placed.len();
                        self.placed.push(Placed {
                            cell: loc,
                            left: at.x,
                            width: mine.then(|| frame.width()),
                            within: (!mine).then(|| origin.x + frame.width()),
                        });
                        tags.open.push(Open::Cell(loc, i));
                    }
                }
                FrameItem::Tag(Tag::End(loc, ..)) => {
                    if let Some(k) = tags.open.iter().rposition(|o| o.location() == *loc) {
                        tags.open.truncate(k);
                    }
                }
                FrameItem::Group(group) => {
                    let flat = flat && group.transform.is_identity();
                    let parent = (group.parent.as_ref())
                        .map(|p| p.location)
                        .filter(|l| tags.cells.contains_key(l));
                    let Some(cell) = parent else {
                        self.frame(&group.frame, at, tags, flat);
                        continue;
                    };
                    // The content of a cell laid out over several frames, as wide as the cell.
                    let i = match self.placed.iter().rposition(|p| p.cell == cell) {
                        Some(i) => i,
                        None => {
                            self.placed.push(Placed {
                                cell,
                                left: at.x,
                                width: None,
                                within: None,
                            });
                            self.placed.len() - 1
                        }
                    };
                    self.placed[i].width = Some(group.frame.width());
                    let depth = tags.open.len();
                    tags.open.push(Open::Cell(cell, i));
                    self.frame(&group.frame, at, tags, flat);
                    tags.open.truncate(depth);
                }
                FrameItem::Text(text) if flat => {
                    let owner = tags.open.iter().rev().find_map(|o| match o {
                        Open::Cell(_, i) => Some(Owner::Cell(*i)),
                        Open::Table(_) => None,
                    });
                    let owner = owner.unwrap_or(Owner::Frame(origin.x, origin.x + frame.width()));
                    self.lines.push((at, text, owner));
                }
                _ => {}
            }
        }
    }

    /// Checks each line against its cell's text edges or its frame's.
    fn check(&self, tags: &Tags, out: &mut Vec<Overflow>) {
        let edges = self.column_edges(tags);
        for &(at, item, ref owner) in &self.lines {
            let found = match *owner {
                Owner::Cell(i) => {
                    let Some((left, right)) = self.text_edges(i, tags, &edges) else {
                        continue;
                    };
                    let slack = Em::from_abs(Abs::pt(CELL_SLACK_PT), item.size).get();
                    outside(at, item, left, right, slack)
                }
                Owner::Frame(left, right) => outside(at, item, left, right, FRAME_SLACK_EM),
            };
            out.extend(found);
        }
    }

    /// The left edge of each column of each table on this page (the column after the last: the
    /// table's right edge), where a cell starts or a cell of known width ends, and each table's
    /// right edge.
    fn column_edges(&self, tags: &Tags) -> ColumnEdges {
        let mut edges = ColumnEdges::default();
        let mut at = |key: (Option<Location>, usize), x: Abs| {
            let e = edges.columns.entry(key).or_insert(x);
            *e = (*e).min(x);
        };
        for p in &self.placed {
            let Some(cell) = tags.cells.get(&p.cell) else {
                continue;
            };
            at((cell.table, cell.column), p.left);
            if let Some(width) = p.width {
                at((cell.table, cell.column + cell.span), p.left + width);
            }
        }
        for p in &self.placed {
            if let (Some(within), Some(cell)) = (p.within, tags.cells.get(&p.cell)) {
                let e = edges.right.entry(cell.table).or_insert(within);
                *e = (*e).min(within);
            }
        }
        edges
    }

    /// The left and right edges of the text of placed cell `i`: its edges less its inset.
    fn text_edges(&self, i: usize, tags: &Tags, edges: &ColumnEdges) -> Option<(Abs, Abs)> {
        let p = &self.placed[i];
        let cell = tags.cells.get(&p.cell)?;
        let right = match p.width {
            Some(width) => p.left + width,
            None => (edges.columns.get(&(cell.table, cell.column + cell.span)))
                .or_else(|| edges.right.get(&cell.table))
                .copied()
                .or(p.within)?,
        };
        let width = right - p.left;
        let side =
            |s: Option<Rel<Length>>| s.map_or(Abs::zero(), |r| r.abs.abs + r.rel.get() * width);
        Some((
            p.left + side(cell.inset.left),
            right - side(cell.inset.right),
        ))
    }
}

/// The columns' left edges of the tables on a page, by table and column, and the tables' right
/// edges.
#[derive(Default)]
struct ColumnEdges {
    columns: HashMap<(Option<Location>, usize), Abs>,
    right: HashMap<Option<Location>, Abs>,
}

/// The cell whose own frame `frame` is: it opens with the cell's start tag and closes with its end
/// tag. (A row's frame that took in its first cell opens with that cell's start tag too, and holds
/// the other cells after its end tag.)
fn own_cell(frame: &Frame) -> Option<Location> {
    let mut items = frame.items();
    let Some((_, FrameItem::Tag(Tag::Start(content, _)))) = items.next() else {
        return None;
    };
    let loc = content.location()?;
    if !content.is::<TableCell>() {
        return None;
    }
    match items.next_back() {
        Some((_, FrameItem::Tag(Tag::End(end, ..)))) if *end == loc => Some(loc),
        _ => None,
    }
}

/// The first glyph of a line (a text item at `at`) that is a letter and lies past `left` or
/// `right` by more than `slack` em.
fn outside(at: Point, item: &TextItem, left: Abs, right: Abs, slack: f64) -> Option<Overflow> {
    // In em, relative to the item: most items end well inside their frame, and each glyph costs
    // an addition and a comparison.
    let limit = (right - at.x) / item.size + slack;
    // A centred line wider than its cell starts before the cell's left edge.
    let start = (left - at.x) / item.size - slack;
    let mut x = 0.0;
    for g in &item.glyphs {
        let end = x + (g.x_offset + g.x_advance).get();
        if (end > limit || x + g.x_offset.get() < start)
            && (item.text[g.range()].chars().next()).is_some_and(crate::words::is_breakable_letter)
        {
            let ends = at.x + super::line_end(item);
            return Some(Overflow {
                at: g.span,
                needed: ends.max(right) - at.x.min(left),
                had: right - left,
            });
        }
        x += g.x_advance.get();
    }
    None
}

//! Stage 5b, holes in justified lines: where typst could not fill a justified line with its
//! letters' tracking and its spaces took the rest. A full name kept whole on its line
//! ([`crate::words::Glossary::with_names`]) can leave one: typst has no penalty that prefers a
//! break between a name's words to a hole (issue 33), so [`crate::pdf::layout`] opens the names
//! around each such line, and the compound that starts the line after it, and lays out again,
//! only when one is found.

use typst::layout::{Abs, Em, Frame, FrameItem};
use typst::syntax::Span;
use typst_layout::PagedDocument;

/// How much wider than its font's space a space of a justified line may be drawn before the
/// line counts as a hole: the space doubled. Spaces never stretch otherwise (the style's
/// justification limits let them grow to 100%); only what the letters could not take goes
/// into them.
const HOLE: f64 = 1.0;

/// A line that holds a hole, or a lonely line.
pub struct Hole {
    /// The glyphs (their source spans) of the line and of the line after it in the same frame
    /// (the next line of its cell; a paragraph's lines are frames of their own).
    pub spans: Vec<(Span, u16)>,
    /// How many of `spans` are the line's own, first.
    pub own: usize,
    /// How much wider than their font's its spaces are drawn, in all.
    pub excess: Abs,
}

/// Each line that holds a hole, and each lonely line (one short word between two lines of its
/// paragraph, see [`LONELY_STRETCH_PT`]), with the line after it.
pub fn holes(doc: &PagedDocument) -> Vec<Hole> {
    // Page by page on all cores (the only work between a layout and the export or the next one).
    let pages = crate::par::par_map(doc.pages().iter().collect(), |page| {
        let mut found = Vec::new();
        holes_in(&page.frame, &mut found);
        found
    });
    pages.into_iter().flatten().collect()
}

/// A line of a frame: its baseline, whether it holds a hole, how much its spaces stretched in
/// all, its glyphs' spans, how many letters its texts hold and whether one is a space.
struct Line {
    y: Abs,
    hole: bool,
    excess: Abs,
    spans: Vec<(Span, u16)>,
    chars: usize,
    spaced: bool,
    /// Where its leftmost text starts, and whether that text starts an item of a list ("๒)",
    /// "•"): a line before one ends its own item, as a paragraph's last line does.
    lead: Option<(Abs, bool)>,
}

/// A line between two lines of its paragraph that holds one short word and nothing else ("ของ"
/// before a unit's full name too wide to join it) counts as a hole of this much stretch: a
/// reader stumbles on it as on a gap, and opening the name after it mends it.
const LONELY_STRETCH_PT: f64 = 50.0;
/// At most this many characters make a lonely line's word (ของ, และ, ที่, แก่).
const LONELY_CHARS: usize = 4;

fn holes_in(frame: &Frame, out: &mut Vec<Hole>) {
    let mut lines: Vec<Line> = Vec::new();
    for (pos, item) in frame.items() {
        match item {
            FrameItem::Group(group) => holes_in(&group.frame, out),
            FrameItem::Text(text) => {
                let line = match lines
                    .iter_mut()
                    .find(|l| (l.y - pos.y).abs() < Abs::pt(0.5))
                {
                    Some(line) => line,
                    None => {
                        lines.push(Line {
                            y: pos.y,
                            hole: false,
                            excess: Abs::zero(),
                            spans: Vec::new(),
                            chars: 0,
                            spaced: false,
                            lead: None,
                        });
                        lines.last_mut().expect("just pushed")
                    }
                };
                // Only spaces: their font's advance is looked up for them alone.
                for g in text
                    .glyphs
                    .iter()
                    .filter(|g| text.text.get(g.range()) == Some(" "))
                {
                    let natural = text.font.x_advance(g.id).unwrap_or(Em::zero());
                    if natural <= Em::zero() {
                        continue;
                    }
                    let extra = g.x_advance - natural;
                    line.hole |= extra > natural * HOLE;
                    line.excess += extra.max(Em::zero()).at(text.size);
                }
                line.spans.extend(text.glyphs.iter().map(|g| g.span));
                // Letters only: the break and glue marks are no characters of the line.
                line.chars += text
                    .text
                    .chars()
                    .filter(|&c| !crate::marks::is_mark(c))
                    .count();
                line.spaced |= text.text.contains(char::is_whitespace);
                if line.lead.is_none_or(|(x, _)| pos.x < x) {
                    line.lead = Some((pos.x, starts_item(&text.text)));
                }
            }
            _ => {}
        }
    }
    lines.sort_by(|a, b| a.y.to_pt().total_cmp(&b.y.to_pt()));
    for (k, line) in lines.iter().enumerate().filter(|(_, l)| l.hole) {
        let mut spans = line.spans.clone();
        if let Some(next) = lines.get(k + 1) {
            spans.extend(&next.spans);
        }
        out.push(Hole {
            spans,
            own: line.spans.len(),
            excess: line.excess,
        });
    }
    for w in lines.windows(3) {
        let [before, line, after] = w else { continue };
        let lonely = line.chars <= LONELY_CHARS
            && !line.spaced
            && !line.hole
            && !after.lead.is_some_and(|(_, item)| item);
        // The next line of the same paragraph: as far below as this one is below the line before.
        if lonely && ((after.y - line.y) - (line.y - before.y)).abs() < Abs::pt(0.5) {
            let spans = line.spans.iter().chain(&after.spans).copied().collect();
            out.push(Hole {
                spans,
                own: line.spans.len(),
                excess: Abs::pt(LONELY_STRETCH_PT),
            });
        }
    }
}

/// Whether a text starts an item of a list: a number and ")" ("๒)", "10)") or a bullet.
fn starts_item(text: &str) -> bool {
    let rest = text.trim_start_matches(|c: char| c.is_ascii_digit() || ('๐'..='๙').contains(&c));
    (rest.len() < text.len() && rest.starts_with(')')) || text.starts_with('•')
}

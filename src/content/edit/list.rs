//! A list of a file as the text holds it, so that an item can be taken out, put in or moved with
//! its own lines and nothing else: a block list's items as whole lines at their dash's column, a
//! flow list's (`[a, b]`) as the bytes between its commas.
//!
//! Which lines are an item's: the lines from its dash to its last value, the comment lines
//! directly above its dash at the dash's column (a note on that item, as `# มาตรการที่ ๒` above
//! `- id: ...`), and the comment lines directly below it indented deeper than the dash (the end
//! of its body). A comment at another column, or parted from the item by a blank line, belongs
//! to no item and stays where it is. The blank lines between items are the list's separator: an
//! item removed takes the separator on one side with it, an item put in brings one.

use std::ops::Range;

use super::{EditError, written_span};
use crate::content::locate::FieldIndex;

/// One list of the file.
pub(super) struct List {
    pub path: String,
    /// Written in brackets (`[a, b]`), or inside brackets.
    pub flow: bool,
    /// Its `[` to after its `]` (flow), or its first dash to where the parser saw it end.
    pub span: Range<usize>,
    pub items: Vec<Item>,
    /// A block list: the column of its dashes.
    pub dash_col: usize,
    /// The line ending the file uses.
    pub nl: &'static str,
    /// What parts two items: blank lines (block) or `, ` (flow), as between the first two.
    pub sep: String,
}

/// One item of a [`List`].
pub(super) struct Item {
    /// Its own bytes: from its dash (block) or first character (flow) to its last character.
    pub body: Range<usize>,
    /// A block list's item: its whole lines with the comments that belong to it (module docs).
    pub lines: Range<usize>,
}

/// Start of the line holding byte `at`.
pub(super) fn line_start(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1)
}

/// Just after the line ending of the line holding byte `at` (or the end of the text).
pub(super) fn line_end(text: &str, at: usize) -> usize {
    text[at.min(text.len())..]
        .find('\n')
        .map_or(text.len(), |i| at + i + 1)
}

/// The column of the `#` of a comment-only line, or `None` for any other line.
fn comment_col(line: &str) -> Option<usize> {
    let content = line.trim_start_matches(' ');
    content
        .starts_with('#')
        .then_some(line.len() - content.len())
}

fn blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// Which item of the list whose paths start with `prefix` (`measures[`) the node at `path` is
/// in, if any.
pub(super) fn item_of(path: &str, prefix: &str) -> Option<usize> {
    let rest = path.strip_prefix(prefix)?;
    let close = rest.find(']')?;
    let after = &rest[close + 1..];
    (after.is_empty() || after.starts_with(['.', '[']))
        .then(|| rest[..close].parse().ok())
        .flatten()
}

/// The dash of the block list item whose value starts at `value`: on its line before it, or
/// alone (perhaps with a comment) on a line above.
fn dash_before(text: &str, value: usize) -> Option<usize> {
    let mut end = value;
    loop {
        let start = line_start(text, end);
        let before = text[start..end].trim_end_matches([' ', '\t']);
        let content = if end == value {
            before
        } else {
            // A line above: only a dash and a comment may be on it.
            before.split(" #").next().unwrap_or(before).trim_end()
        };
        if let Some(head) = content.strip_suffix('-')
            && (head.is_empty() || head.ends_with(' '))
        {
            return Some(start + head.len());
        }
        let others = end != value && !content.trim().is_empty();
        if others || start == 0 || (end == value && !content.trim().is_empty()) {
            return None;
        }
        end = start - 1;
    }
}

impl List {
    /// The list at `path` (`measures`, `measures[2].steps`).
    pub fn find(text: &str, index: &FieldIndex, path: &str) -> Result<Self, EditError> {
        let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
        let Some(coll) = index.collections().iter().find(|c| c.path == path) else {
            return Err(if index.exact(path).is_some() {
                EditError::NotAList(path.to_string())
            } else {
                EditError::NoSuchValue(path.to_string())
            });
        };
        if !coll.seq {
            return Err(EditError::NotAList(path.to_string()));
        }
        let unsupported = || EditError::Unsupported(path.to_string());
        let brackets = text[coll.start..].starts_with('[') && text[..coll.end].ends_with(']');
        if coll.flow && !brackets {
            return Err(unsupported());
        }
        let prefix = format!("{path}[");
        let mut bounds = vec![(usize::MAX, 0); coll.len];
        let mut widen = |i: usize, span: Range<usize>| {
            if let Some(b) = bounds.get_mut(i) {
                *b = (b.0.min(span.start), b.1.max(span.end));
            }
        };
        for s in index.scalars() {
            if let Some(i) = item_of(&s.path, &prefix) {
                widen(i, written_span(text, s));
            }
        }
        for c in index.collections() {
            if let Some(i) = item_of(&c.path, &prefix) {
                widen(i, c.start..if c.flow { c.end } else { c.start });
            }
        }
        for i in 0..coll.len {
            if let Some(at) = index.exact(&format!("{path}[{i}]")) {
                widen(i, at..at);
            }
        }
        if bounds.iter().any(|b| b.0 == usize::MAX) {
            return Err(unsupported());
        }
        let mut list = List {
            path: path.to_string(),
            flow: coll.flow,
            span: coll.start..coll.end,
            items: Vec::new(),
            dash_col: 0,
            nl,
            sep: String::new(),
        };
        if coll.flow {
            list.items = (bounds.iter())
                .map(|&(start, end)| Item {
                    body: start..end.max(start),
                    lines: start..end.max(start),
                })
                .collect();
            let apart = (list.items.windows(2)).all(|w| w[0].body.end <= w[1].body.start);
            let inside =
                (list.items.iter()).all(|i| i.body.start > coll.start && i.body.end < coll.end);
            if !apart || !inside {
                return Err(unsupported());
            }
            list.sep = list.flow_separator(text);
            return Ok(list);
        }
        // From the last: an empty value is marked where the next item starts.
        let mut dashes = vec![0; coll.len];
        for i in (0..coll.len).rev() {
            let next = dashes.get(i + 1).copied();
            let mut dash = dash_before(text, bounds[i].0).ok_or_else(unsupported)?;
            if let Some(next) = next
                && dash >= next
            {
                dash = dash_before(text, line_start(text, next)).ok_or_else(unsupported)?;
                bounds[i] = (dash + 1, dash + 1);
            }
            dashes[i] = dash;
        }
        let columns: Vec<usize> = (dashes.iter()).map(|&d| d - line_start(text, d)).collect();
        let only_spaces = (dashes.iter()).all(|&d| text[line_start(text, d)..d].trim().is_empty());
        if !only_spaces || columns.iter().any(|&c| c != columns[0]) {
            return Err(unsupported());
        }
        list.dash_col = columns.first().copied().unwrap_or(0);
        // Each item's own bytes, none reaching past the next item's dash line (an empty value's
        // mark is the next node's) nor, for the last, past where the list ends.
        let list_end = if coll.end >= text.len() {
            text.len()
        } else {
            line_start(text, coll.end).max(dashes.last().map_or(0, |&d| d + 1))
        };
        for (i, (&dash, &(value, end))) in dashes.iter().zip(&bounds).enumerate() {
            let cap = dashes
                .get(i + 1)
                .map_or(list_end, |&next| line_start(text, next));
            let end = end.max(value).min(cap).max(dash + 1);
            let body_end = text[..end].trim_end().len().max(dash + 1);
            list.items.push(Item {
                body: dash..body_end,
                lines: line_start(text, dash)..line_end(text, body_end),
            });
        }
        // Items in order, apart: anything else is a layout misread, refused.
        let apart = (list.items.windows(2)).all(|w| w[0].lines.end <= w[1].lines.start);
        if !apart || list.items.iter().any(|i| i.lines.start > i.body.start) {
            return Err(unsupported());
        }
        list.attach_comments(text, index);
        list.sep = list.separator(text);
        Ok(list)
    }

    /// Widens each block item's lines by the comments that belong to it (module docs).
    fn attach_comments(&mut self, text: &str, index: &FieldIndex) {
        let col = self.dash_col;
        let n = self.items.len();
        for i in 0..n {
            let limit = match self.items.get(i + 1) {
                Some(next) => line_start(text, next.body.start),
                None => self.span.end.max(self.items[i].lines.end).min(text.len()),
            };
            let mut end = self.items[i].lines.end;
            while end < limit {
                let next = line_end(text, end);
                match comment_col(&text[end..next]) {
                    Some(c) if c > col => end = next,
                    _ => break,
                }
            }
            self.items[i].lines.end = end;
        }
        for i in 0..n {
            let floor = match i {
                0 => index.key(&self.path).map_or(0, |k| line_end(text, k)),
                _ => self.items[i - 1].lines.end,
            };
            let mut start = self.items[i].lines.start;
            while start > floor {
                let above = line_start(text, start - 1);
                if above < floor || comment_col(&text[above..start]) != Some(col) {
                    break;
                }
                start = above;
            }
            self.items[i].lines.start = start;
        }
    }

    /// The blank lines between items, as this list writes them (those between its first two).
    fn separator(&self, text: &str) -> String {
        match (self.items.first(), self.items.get(1)) {
            (Some(a), Some(b)) => {
                let gap = &text[a.lines.end..b.lines.start];
                let blanks = gap.split_inclusive('\n').take_while(|l| blank(l)).count();
                self.nl.repeat(blanks)
            }
            _ => String::new(),
        }
    }

    /// What stands between two flow items (`, `).
    fn flow_separator(&self, text: &str) -> String {
        match (self.items.first(), self.items.get(1)) {
            (Some(a), Some(b)) => text[a.body.end..b.body.start].to_string(),
            _ => ", ".to_string(),
        }
    }

    /// The text that is item `i`, as [`List::insert_raw`] takes it back.
    pub fn raw(&self, text: &str, i: usize) -> String {
        let item = &self.items[i];
        if self.flow {
            return text[item.body.clone()].to_string();
        }
        let mut raw = text[item.lines.clone()].to_string();
        if !raw.ends_with('\n') {
            raw.push_str(self.nl);
        }
        raw
    }

    /// `text` without item `i`, and with a list left empty written `[]`.
    pub fn remove(&self, text: &str, index: &FieldIndex, i: usize) -> Result<String, EditError> {
        let item = &self.items[i];
        let n = self.items.len();
        if self.flow {
            let cut = match (i.checked_sub(1), self.items.get(i + 1)) {
                (_, Some(next)) => item.body.start..next.body.start,
                (Some(before), None) => self.items[before].body.end..item.body.end,
                (None, None) => self.span.start + 1..self.span.end - 1,
            };
            return Ok(splice(text, cut, ""));
        }
        let blank_run = |lines: &str| -> usize {
            lines
                .split_inclusive('\n')
                .take_while(|l| blank(l))
                .map(str::len)
                .sum()
        };
        if n == 1 {
            // `key:` then the item: `key: []`.
            let colon = self.colon(text, index)?;
            let without = splice(text, item.lines.clone(), "");
            return Ok(splice(&without, colon + 1..colon + 1, " []"));
        }
        let cut = if i + 1 < n {
            let gap = &text[item.lines.end..self.items[i + 1].lines.start];
            item.lines.start..item.lines.end + blank_run(gap)
        } else {
            let before = &self.items[i - 1];
            let gap = &text[before.lines.end..item.lines.start];
            let blanks: usize = (gap.split_inclusive('\n').rev())
                .take_while(|l| blank(l))
                .map(str::len)
                .sum();
            item.lines.start - blanks..item.lines.end
        };
        Ok(splice(text, cut, ""))
    }

    /// `text` with `raw` (lines at this list's dash column, or a flow item) as item `i`.
    pub fn insert_raw(&self, text: &str, i: usize, raw: &str) -> String {
        let n = self.items.len();
        let sep = &self.sep;
        if self.flow {
            return match (self.items.get(i), i.checked_sub(1)) {
                (Some(next), _) => splice(
                    text,
                    next.body.start..next.body.start,
                    &format!("{raw}{sep}"),
                ),
                (None, Some(last)) => {
                    let at = self.items[last].body.end;
                    splice(text, at..at, &format!("{sep}{raw}"))
                }
                (None, None) => splice(text, self.span.start + 1..self.span.end - 1, raw),
            };
        }
        if i < n {
            let at = self.items[i].lines.start;
            return splice(text, at..at, &format!("{raw}{sep}"));
        }
        let at = self.items[n - 1].lines.end;
        let lead = if text[..at].ends_with('\n') {
            ""
        } else {
            self.nl
        };
        splice(text, at..at, &format!("{lead}{sep}{raw}"))
    }

    /// The `:` after this list's key, on the key's line.
    pub fn colon(&self, text: &str, index: &FieldIndex) -> Result<usize, EditError> {
        let unsupported = || EditError::Unsupported(self.path.clone());
        let key = index.key(&self.path).ok_or_else(unsupported)?;
        let line = &text[key..line_end(text, key)];
        let quoted = line.starts_with(['"', '\'']);
        let skip = if quoted {
            let q = line.as_bytes()[0] as char;
            line[1..].find(q).map_or(0, |i| i + 2)
        } else {
            0
        };
        let bytes = line.as_bytes();
        let colon = (skip..bytes.len())
            .find(|&i| {
                bytes[i] == b':'
                    && bytes
                        .get(i + 1)
                        .is_none_or(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
            })
            .map(|i| key + i)
            .ok_or_else(unsupported)?;
        Ok(colon)
    }
}

/// `text` with `range` replaced by `with`.
pub(super) fn splice(text: &str, range: Range<usize>, with: &str) -> String {
    format!("{}{with}{}", &text[..range.start], &text[range.end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_take_their_own_lines_and_the_comments_that_belong_to_them() {
        let text =
            "k:\n  # one\n  - a: 1\n    b: 2\n    # end of one\n\n# other\n  # two\n  - x\nz: 1\n";
        let index = FieldIndex::new(text);
        let list = List::find(text, &index, "k").unwrap();
        assert_eq!(list.dash_col, 2);
        let lines: Vec<&str> = (list.items.iter())
            .map(|i| &text[i.lines.clone()])
            .collect();
        assert_eq!(
            lines,
            [
                "  # one\n  - a: 1\n    b: 2\n    # end of one\n",
                "  # two\n  - x\n"
            ]
        );
        assert_eq!(&text[list.items[1].body.clone()], "- x");
    }

    #[test]
    fn a_dash_alone_on_its_line_is_found() {
        let text = "k:\n  -\n    a: 1\n  -   # note\n    a: 2\n";
        let index = FieldIndex::new(text);
        let list = List::find(text, &index, "k").unwrap();
        let bodies: Vec<&str> = (list.items.iter()).map(|i| &text[i.body.clone()]).collect();
        assert_eq!(bodies, ["-\n    a: 1", "-   # note\n    a: 2"]);
    }
}

//! Where each field of a YAML file starts, so that checks made after parsing (an unknown measure
//! id, a period outside the fiscal year) can still name the file, line and column.
//!
//! serde_yaml gives positions only for its own errors; yaml-rust2's event parser gives a mark
//! for every node, which is all this needs.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diag::{Code, Message};
use crate::msg;

/// Byte offsets of every node of one YAML file, keyed by field path (`measures[3].period.start`).
#[derive(Debug, Default)]
pub struct FieldIndex {
    offsets: HashMap<String, usize>,
    scalars: Vec<Scalar>,
    collections: Vec<Collection>,
    keys: HashMap<String, usize>,
}

/// A list or a map of the file (the browser editor's structural edits need where each is).
#[derive(Debug, Clone)]
pub struct Collection {
    pub path: String,
    /// Its first byte: `[` or `{` of a flow one, the first `-` of a block list, the first key
    /// of a block map.
    pub start: usize,
    /// A flow one's end, after its `]` or `}`; for a block one, where the parser saw it end: the
    /// next node, past blank lines and comments.
    pub end: usize,
    /// Written in brackets, or inside brackets.
    pub flow: bool,
    /// A list (not a map).
    pub seq: bool,
    /// Its number of items (a list; 0 for a map).
    pub len: usize,
}

/// A value (not a key) of the file: its path, its text, and the byte range it may span (from its
/// start to the next node's), where a character written as itself can be found.
#[derive(Debug, Clone)]
pub struct Scalar {
    pub path: String,
    pub value: String,
    pub range: std::ops::Range<usize>,
    /// Inside a flow collection (`{ start: ..., end: ... }`), where `,`, `]` and `}` end a plain
    /// value.
    pub flow: bool,
    /// A block scalar (`|` or `>`): `range` starts at its first line of content, after the
    /// indicator.
    pub block: bool,
}

impl FieldIndex {
    pub fn new(text: &str) -> Self {
        let mut builder = Builder {
            text,
            position: Position::default(),
            stack: Vec::new(),
            offsets: HashMap::new(),
            scalars: Vec::new(),
            collections: Vec::new(),
            open: Vec::new(),
            keys: HashMap::new(),
        };
        // A file that does not parse has already been reported by serde_yaml; an empty index is fine.
        let _ = Parser::new_from_str(text).load(&mut builder, false);
        let mut scalars = builder.scalars;
        if let Some(last) = scalars.last_mut()
            && last.range.end < last.range.start
        {
            last.range.end = text.len();
        }
        Self {
            offsets: builder.offsets,
            scalars,
            collections: builder.collections,
            keys: builder.keys,
        }
    }

    /// Every list and map of the file, in the order they start.
    pub fn collections(&self) -> &[Collection] {
        &self.collections
    }

    /// Offset of the node at exactly `path`.
    pub fn exact(&self, path: &str) -> Option<usize> {
        self.offsets.get(path).copied()
    }

    /// Offset of the key whose value is at `path` (`agency.name` -> `name`).
    pub fn key(&self, path: &str) -> Option<usize> {
        self.keys.get(path).copied()
    }

    /// Every value of the file, in the order it is written.
    pub fn scalars(&self) -> &[Scalar] {
        &self.scalars
    }

    /// The path of the field a problem at byte `offset` belongs to: the value whose text holds
    /// it, else the last node starting at or before it. The browser editor shows the problem
    /// beside that field.
    pub fn path_at(&self, offset: usize) -> Option<&str> {
        if let Some(s) = (self.scalars.iter())
            .rev()
            .find(|s| s.range.start <= offset && offset < s.range.end.max(s.range.start + 1))
        {
            return Some(&s.path);
        }
        (self.offsets.iter())
            .filter(|&(_, &o)| o <= offset)
            .max_by_key(|&(p, &o)| (o, p.len()))
            .map(|(p, _)| p.as_str())
    }

    /// Offset of the node at `path`, or of its nearest ancestor that exists.
    pub fn offset(&self, path: &str) -> Option<usize> {
        let mut p = path;
        loop {
            if let Some(&o) = self.offsets.get(p) {
                return Some(o);
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }
}

enum Frame {
    Map {
        path: String,
        key: Option<String>,
        flow: bool,
    },
    Seq {
        path: String,
        next: usize,
        flow: bool,
    },
}

impl Frame {
    fn flow(&self) -> bool {
        match self {
            Frame::Map { flow, .. } | Frame::Seq { flow, .. } => *flow,
        }
    }
}

struct Builder<'a> {
    text: &'a str,
    position: Position,
    stack: Vec<Frame>,
    offsets: HashMap<String, usize>,
    scalars: Vec<Scalar>,
    collections: Vec<Collection>,
    /// Indexes in `collections` of those open, innermost last.
    open: Vec<usize>,
    keys: HashMap<String, usize>,
}

/// Converts yaml-rust2's line and column into a byte offset, walking forward only. Its marks'
/// character index drifts after a block scalar (`|`, `>`) holding letters of more than one byte;
/// line and column do not.
#[derive(Default)]
struct Position {
    /// The line (from 1) the cursor is on, and the byte its line starts at.
    line: usize,
    start: usize,
}

impl Position {
    fn get(&mut self, text: &str, mark: Marker) -> usize {
        if self.line == 0 || mark.line() < self.line {
            *self = Self { line: 1, start: 0 };
        }
        while self.line < mark.line() {
            match text[self.start..].find('\n') {
                Some(i) => {
                    self.start += i + 1;
                    self.line += 1;
                }
                None => return text.len(),
            }
        }
        let line = &text[self.start..];
        line.char_indices()
            .nth(mark.col())
            .map_or(text.len(), |(i, _)| self.start + i)
    }
}

impl Builder<'_> {
    /// The path of the node that starts now, or `None` when it is a mapping key.
    fn node_path(&mut self, scalar: Option<&str>, offset: usize) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { path, next, .. }) => {
                let p = format!("{path}[{next}]");
                *next += 1;
                Some(p)
            }
            Some(Frame::Map { path, key, .. }) => match key.take() {
                Some(k) => Some(if path.is_empty() {
                    k
                } else {
                    format!("{path}.{k}")
                }),
                None => {
                    // A block map starts at its first key (its mark is that key's `:`).
                    if let Some(c) = self.open.last().and_then(|&i| self.collections.get_mut(i)) {
                        c.start = c.start.min(offset);
                    }
                    let k = scalar.unwrap_or("?");
                    let p = if path.is_empty() {
                        k.to_string()
                    } else {
                        format!("{path}.{k}")
                    };
                    self.keys.insert(p, offset);
                    *key = Some(k.to_string());
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for Builder<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let offset = self.position.get(self.text, mark);
        // The value before ends where this node starts.
        if let Some(last) = self.scalars.last_mut()
            && last.range.end < last.range.start
        {
            last.range.end = offset.max(last.range.start);
        }
        match ev {
            Event::Scalar(value, style, ..) => {
                if let Some(p) = self.node_path(Some(&value), offset) {
                    self.offsets.insert(p.clone(), offset);
                    let flow = self.stack.last().is_some_and(Frame::flow);
                    self.scalars.push(Scalar {
                        path: p,
                        value,
                        // Open until the next event.
                        range: offset..0,
                        flow,
                        block: matches!(
                            style,
                            yaml_rust2::scanner::TScalarStyle::Literal
                                | yaml_rust2::scanner::TScalarStyle::Folded
                        ),
                    });
                }
            }
            Event::Alias(_) => {
                if let Some(p) = self.node_path(None, offset) {
                    self.offsets.insert(p, offset);
                }
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                let path = self.node_path(None, offset).unwrap_or_default();
                self.offsets.entry(path.clone()).or_insert(offset);
                // A flow collection's mark is its bracket; everything inside it is flow too.
                let flow = self.stack.last().is_some_and(Frame::flow)
                    || self.text[offset..].starts_with(['{', '[']);
                self.open.push(self.collections.len());
                self.collections.push(Collection {
                    path: path.clone(),
                    start: offset,
                    end: offset,
                    flow,
                    seq: matches!(ev, Event::SequenceStart(..)),
                    len: 0,
                });
                self.stack.push(if matches!(ev, Event::SequenceStart(..)) {
                    Frame::Seq {
                        path,
                        next: 0,
                        flow,
                    }
                } else {
                    Frame::Map {
                        path,
                        key: None,
                        flow,
                    }
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let len = match self.stack.pop() {
                    Some(Frame::Seq { next, .. }) => next,
                    _ => 0,
                };
                if let Some(c) = self.open.pop().and_then(|i| self.collections.get_mut(i)) {
                    // A flow collection's end mark is its closing bracket.
                    let bracket = c.flow && self.text[offset..].starts_with([']', '}']);
                    c.end = offset + usize::from(bracket);
                    c.len = len;
                }
            }
            _ => {}
        }
    }
}

/// Nesting deeper than this is refused: the real files nest five levels, and libyaml takes
/// time quadratic in the depth of flow collections (`[[[[...`).
pub const MAX_DEPTH: usize = 32;
/// Aliases (`*name`) allowed in one file: the real files use none.
pub const MAX_ALIASES: usize = 1_000;
/// Bytes of scalars a file may stand for once its aliases are expanded: a 1 MB file whose aliases
/// each repeat a large anchor otherwise expands to gigabytes in serde_yaml.
pub const MAX_EXPANDED: u64 = 4 * 1024 * 1024;

/// Where a file breaks a budget (byte offset) and which one.
pub struct OverBudget {
    pub offset: usize,
    /// Which limit it passed.
    pub code: Code,
    pub message: Message,
}

/// Walks the file's YAML events once, before serde_yaml parses it, and stops at the first node
/// that nests deeper than [`MAX_DEPTH`], is alias number [`MAX_ALIASES`] + 1, or takes the
/// expanded size past [`MAX_EXPANDED`]. Work stops there, so a hostile file costs about as
/// much as its first few kilobytes. A file yaml-rust2 cannot read is left to serde_yaml, whose
/// message users know.
pub fn within_budget(text: &str) -> Result<(), OverBudget> {
    let mut parser = Parser::new_from_str(text);
    let mut position = Position::default();
    // Expanded size so far, and where each open collection started in it.
    let mut expanded: u64 = 0;
    let mut open: Vec<(usize, u64)> = Vec::new();
    let mut anchors: HashMap<usize, u64> = HashMap::new();
    let mut aliases = 0;
    let deeper = || {
        msg!(
            "โครงสร้างซ้อนกันลึกเกิน {MAX_DEPTH} ชั้น",
            "nested deeper than {MAX_DEPTH} levels"
        )
    };
    loop {
        let (event, mark) = match parser.next_token() {
            Ok(next) => next,
            // The scanner reads ahead through flow collections (`[[[[...`) and gives up at 255
            // levels, before the parser has reported the 33rd: the same refusal, where it gave up.
            Err(e) if e.info() == "recursion limit exceeded" => {
                return Err(OverBudget {
                    offset: position.get(text, *e.marker()),
                    code: Code::YamlTooDeep,
                    message: deeper(),
                });
            }
            Err(_) => return Ok(()),
        };
        let mut over = |code, message| OverBudget {
            offset: position.get(text, mark),
            code,
            message,
        };
        // Every node counts a byte, so that empty scalars and collections add up too.
        let (anchor, size) = match event {
            Event::StreamEnd => return Ok(()),
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if open.len() >= MAX_DEPTH {
                    return Err(over(Code::YamlTooDeep, deeper()));
                }
                open.push((anchor, expanded));
                expanded += 1;
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match open.pop() {
                Some((anchor, start)) => {
                    if anchor > 0 {
                        anchors.insert(anchor, expanded - start);
                    }
                    continue;
                }
                None => continue,
            },
            Event::Scalar(value, _, anchor, _) => (anchor, value.len() as u64 + 1),
            Event::Alias(id) => {
                aliases += 1;
                if aliases > MAX_ALIASES {
                    return Err(over(
                        Code::YamlTooManyAliases,
                        msg!(
                            "ใช้ alias (*) เกิน {MAX_ALIASES} ครั้ง",
                            "more than {MAX_ALIASES} aliases (*)"
                        ),
                    ));
                }
                (0, anchors.get(&id).copied().unwrap_or(1))
            }
            _ => continue,
        };
        expanded = expanded.saturating_add(size);
        if anchor > 0 {
            anchors.insert(anchor, size);
        }
        if expanded > MAX_EXPANDED {
            let mb = MAX_EXPANDED / (1024 * 1024);
            return Err(over(
                Code::YamlTooLargeExpanded,
                msg!(
                    "ข้อมูลเมื่อแทน alias (*) แล้วใหญ่เกิน {mb} MB",
                    "the data is larger than {mb} MB once its aliases (*) are expanded"
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_fields_by_path() {
        let text = "a: 1\nmeasures:\n  - id: x\n    period:\n      start: 2025-10-01\n  - id: ก\n";
        let idx = FieldIndex::new(text);
        assert_eq!(
            &text[idx.offset("measures[0].period.start").unwrap()..][..10],
            "2025-10-01"
        );
        assert_eq!(&text[idx.offset("measures[1].id").unwrap()..], "ก\n");
        // A missing child falls back to its parent.
        assert_eq!(idx.offset("measures[1].title"), idx.offset("measures[1]"));
    }

    #[test]
    fn budgets_refuse_one_past_each_limit() {
        let nested = |n| format!("a: {}{}\n", "[".repeat(n), "]".repeat(n));
        assert!(within_budget(&nested(MAX_DEPTH - 1)).is_ok());
        let over = within_budget(&nested(MAX_DEPTH)).err().unwrap();
        assert_eq!(over.offset, 3 + MAX_DEPTH - 1);
        // Block nesting is counted the same way.
        let mut block = String::new();
        for k in 0..=MAX_DEPTH {
            block.push_str(&format!("{}k{k}:\n", "  ".repeat(k)));
        }
        let over = within_budget(&block).err().unwrap();
        // yaml-rust2 marks a block mapping after its first key: on the line of that key.
        let line = block[..over.offset].rsplit('\n').next().unwrap();
        assert_eq!(line.trim(), "k32");
        // Past the scanner's own limit of 255 flow levels.
        let over = within_budget(&nested(100_000)).err().unwrap();
        assert_eq!(over.code, Code::YamlTooDeep);
        let aliases = |n| format!("a: &a x\nb: [{}]\n", vec!["*a"; n].join(", "));
        assert!(within_budget(&aliases(MAX_ALIASES)).is_ok());
        let over = within_budget(&aliases(MAX_ALIASES + 1)).err().unwrap();
        assert_eq!(over.code, Code::YamlTooManyAliases);
        // Ten levels of ten aliases each: 10^10 scalars once expanded, from a few lines.
        let mut laughs = String::from("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for k in 1..10 {
            let row = vec![format!("*l{}", k - 1); 10].join(", ");
            laughs.push_str(&format!("l{k}: &l{k} [{row}]\n"));
        }
        let over = within_budget(&laughs).err().unwrap();
        assert_eq!(over.code, Code::YamlTooLargeExpanded);
        // Anchors themselves cost nothing: a file using none is measured by its scalars.
        assert!(within_budget("a: [1, 2, {b: c}]\n").is_ok());
    }

    #[test]
    fn lists_and_maps_are_found_with_their_ends_and_keys() {
        let text = "a:\n  - id: x\n    t: [p, q]\n  - { k: 1 }\nb: 2\n";
        let index = FieldIndex::new(text);
        let at = |path: &str| index.collections().iter().find(|c| c.path == path).unwrap();
        let a = at("a");
        assert!(a.seq && !a.flow && a.len == 2);
        assert_eq!(&text[a.start..a.start + 7], "- id: x");
        // A block map starts at its first key; a flow one spans its braces.
        assert_eq!(&text[at("a[0]").start..][..5], "id: x");
        assert_eq!(&text[at("a[0].t").start..at("a[0].t").end], "[p, q]");
        assert_eq!(&text[at("a[1]").start..at("a[1]").end], "{ k: 1 }");
        assert_eq!(at("a[0].t").len, 2);
        assert_eq!(&text[index.key("a[0].t").unwrap()..][..2], "t:");
        assert_eq!(&text[index.key("b").unwrap()..], "b: 2\n");
        assert_eq!(index.exact("a[0].t[1]"), text.find("q]"));
        assert_eq!(index.exact("a[0].nope"), None);
    }

    /// yaml-rust2's character index drifts after a block scalar holding Thai letters (each three
    /// bytes): an error after one was pointed at the wrong place. Line and column do not drift.
    #[test]
    fn fields_after_a_thai_block_scalar_are_found_where_they_are() {
        let text = "a: >\n  ศูนย์ปฏิบัติการ\n  ต่อต้านการทุจริต\nb: ค่าที่ถูกต้อง\nc: [x, ง]\n";
        let index = FieldIndex::new(text);
        assert_eq!(index.offset("b"), text.find("ค่าที่ถูกต้อง"));
        assert_eq!(index.offset("c[1]"), text.rfind('ง'));
        assert_eq!(index.offset("a"), text.find("ศูนย์"));
    }
}

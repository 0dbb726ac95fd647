//! Where each field of a YAML file starts, so that checks made after parsing (an unknown measure
//! id, a period outside the fiscal year) can still name the file, line and column.
//!
//! serde_yaml gives positions only for its own errors; yaml-rust2's event parser gives a mark
//! for every node, which is all this needs.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// Byte offsets of every node of one YAML file, keyed by field path (`measures[3].period.start`).
#[derive(Debug, Default)]
pub struct FieldIndex {
    offsets: HashMap<String, usize>,
}

impl FieldIndex {
    pub fn new(text: &str) -> Self {
        let mut builder = Builder {
            text,
            char_to_byte: CharToByte::default(),
            stack: Vec::new(),
            offsets: HashMap::new(),
        };
        // A file that does not parse has already been reported by serde_yaml; an empty index is fine.
        let _ = Parser::new_from_str(text).load(&mut builder, false);
        Self {
            offsets: builder.offsets,
        }
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
    Map { path: String, key: Option<String> },
    Seq { path: String, next: usize },
}

struct Builder<'a> {
    text: &'a str,
    char_to_byte: CharToByte,
    stack: Vec<Frame>,
    offsets: HashMap<String, usize>,
}

/// Converts yaml-rust2's character index into a byte offset, walking forward only.
#[derive(Default)]
struct CharToByte {
    chars: usize,
    bytes: usize,
}

impl CharToByte {
    fn get(&mut self, text: &str, index: usize) -> usize {
        if index < self.chars {
            *self = Self::default();
        }
        for c in text[self.bytes..].chars() {
            if self.chars == index {
                break;
            }
            self.chars += 1;
            self.bytes += c.len_utf8();
        }
        self.bytes
    }
}

impl Builder<'_> {
    /// The path of the node that starts now, or `None` when it is a mapping key.
    fn node_path(&mut self, scalar: Option<&str>) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { path, next }) => {
                let p = format!("{path}[{next}]");
                *next += 1;
                Some(p)
            }
            Some(Frame::Map { path, key }) => match key.take() {
                Some(k) => Some(if path.is_empty() {
                    k
                } else {
                    format!("{path}.{k}")
                }),
                None => {
                    *key = Some(scalar.unwrap_or("?").to_string());
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for Builder<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let offset = self.char_to_byte.get(self.text, mark.index());
        match ev {
            Event::Scalar(value, ..) => {
                if let Some(p) = self.node_path(Some(&value)) {
                    self.offsets.insert(p, offset);
                }
            }
            Event::Alias(_) => {
                if let Some(p) = self.node_path(None) {
                    self.offsets.insert(p, offset);
                }
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                let path = self.node_path(None).unwrap_or_default();
                self.offsets.entry(path.clone()).or_insert(offset);
                self.stack.push(if matches!(ev, Event::SequenceStart(..)) {
                    Frame::Seq { path, next: 0 }
                } else {
                    Frame::Map { path, key: None }
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                self.stack.pop();
            }
            _ => {}
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
}

//! A new list item written as YAML in the style of the item beside it: a flow item
//! (`- { a: 1, b: 2 }`) beside flow items, block lines beside block ones, its keys in the order
//! and at the indentation the neighbour has, each of its lists and maps flow or block as the
//! neighbour writes the same key. Every scalar is written so that it reads back exactly
//! (`yaml_string`; JSON's quoting where a flow collection or a line break needs it).

use std::collections::HashMap;

use serde_json::Value as Json;

use super::EditError;
use super::list::{List, item_of, line_start};
use crate::content::locate::{FieldIndex, MAX_DEPTH};

/// A list or map under a key, written in brackets this wide or less when nothing says how.
const WIDE: usize = 60;

/// How the item beside the new one is written.
pub(super) struct Guide {
    /// It is a flow collection (`- { a: 1 }`).
    pub flow_item: bool,
    /// Braces have a space inside (`{ a: 1 }`), as in it or else in the file's first flow map.
    pub padded: bool,
    /// Its first key's column less its dash's.
    pub key_indent: usize,
    /// The keys of each map in it, in order, by the map's place in it (`""` itself, `period`,
    /// `rows[]` any item of its list `rows`).
    pub order: HashMap<String, Vec<String>>,
    /// How it writes each list or map in it, by place: in brackets, or block with the dashes
    /// this many columns right of the key.
    pub nested: HashMap<String, Nested>,
}

/// A list or map written in brackets (`true`), or block with its dashes this many columns right
/// of its key.
pub(super) type Nested = (bool, usize);

/// `measures[2].steps[0]` -> `measures[].steps[]`: a place in any item.
fn place(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut skipping = false;
    for c in path.chars() {
        match c {
            '[' => {
                skipping = true;
                out.push_str("[]");
            }
            ']' => skipping = false,
            _ if skipping => {}
            _ => out.push(c),
        }
    }
    out
}

impl Guide {
    /// The style of `list`'s item `i`, or of a block list with dashes two columns in.
    pub fn of(text: &str, index: &FieldIndex, list: &List, i: usize) -> Self {
        let padded = (index.collections().iter())
            .find(|c| c.flow && !c.seq && !text[c.start..].starts_with("{}"))
            .is_none_or(|c| text[c.start..].starts_with("{ "));
        let mut guide = Guide {
            flow_item: false,
            padded,
            key_indent: 2,
            order: HashMap::new(),
            nested: HashMap::new(),
        };
        let Some(item) = list.items.get(i) else {
            return guide;
        };
        let path = format!("{}[{i}]", list.path);
        let col = |at: usize| text[line_start(text, at)..at].chars().count();
        if let Some(c) = index.collections().iter().find(|c| c.path == path) {
            guide.flow_item = c.flow;
            if c.flow && !c.seq {
                guide.padded = text[c.start..].starts_with("{ ");
            }
            if !c.flow && !c.seq && line_start(text, c.start) == line_start(text, item.body.start) {
                guide.key_indent = (col(c.start).saturating_sub(col(item.body.start))).max(2);
            }
        }
        // What each item says of its keys and lists, the neighbour's first.
        let prefix = format!("{}[", list.path);
        let rank = |n: usize| (n != i, n);
        let mut keys: Vec<((bool, usize), usize, String, String)> = Vec::new();
        let mut nested: Vec<((bool, usize), String, Nested)> = Vec::new();
        let under = |p: &str| -> Option<(usize, String)> {
            let n = item_of(p, &prefix)?;
            let rel = p.strip_prefix(&format!("{prefix}{n}]."))?;
            Some((n, place(rel)))
        };
        for c in index.collections() {
            if let Some((n, rel)) = under(&c.path)
                && let Some(at) = index.key(&c.path)
            {
                let dash = col(c.start).saturating_sub(col(at));
                nested.push((rank(n), rel, (c.flow, dash)));
            }
        }
        let paths = (index.scalars().iter().map(|s| &s.path))
            .chain(index.collections().iter().map(|c| &c.path));
        for p in paths {
            if let Some((n, rel)) = under(p)
                && let Some(at) = index.key(p)
            {
                let (parent, key) = rel.rsplit_once('.').unwrap_or(("", &rel));
                keys.push((rank(n), at, parent.to_string(), key.to_string()));
            }
        }
        nested.sort_by_key(|(r, ..)| *r);
        for (_, rel, how) in nested {
            guide.nested.entry(rel).or_insert(how);
        }
        keys.sort();
        for (_, _, parent, key) in keys {
            let order = guide.order.entry(parent).or_default();
            if !order.contains(&key) {
                order.push(key);
            }
        }
        guide
    }

    /// The keys of the map at `at`, in order.
    fn order(&self, at: &str) -> &[String] {
        self.order.get(at).map_or(&[], Vec::as_slice)
    }
}

/// How to write a new item: as the item beside it (if any) writes the same place.
#[derive(Clone, Copy)]
pub(super) struct Ctx<'a> {
    pub guide: Option<&'a Guide>,
    pub padded: bool,
}

impl Ctx<'_> {
    fn order(&self, at: &str) -> &[String] {
        self.guide.map_or(&[], |g| g.order(at))
    }
}

/// The place of `key` in the map at `at`.
fn child(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_string()
    } else {
        format!("{at}.{key}")
    }
}

fn too_deep() -> EditError {
    EditError::Unsupported(format!("nested deeper than {MAX_DEPTH} levels"))
}

/// A string as a scalar inside brackets: plain where that reads back, else quoted.
fn flow_string(s: &str) -> String {
    let yaml = crate::content::yaml_string(s);
    if yaml.starts_with(['\'', '"']) || !yaml.contains([',', '[', ']', '{', '}']) {
        yaml
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
    }
}

/// A scalar that is not a string.
fn other_scalar(v: &Json) -> Option<String> {
    match v {
        Json::Null => Some("~".into()),
        Json::Bool(b) => Some(b.to_string()),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `v`, at place `at` of the new item, in brackets (or as one scalar).
pub(super) fn flow(v: &Json, cx: Ctx<'_>, at: &str, depth: usize) -> Result<String, EditError> {
    if depth > MAX_DEPTH {
        return Err(too_deep());
    }
    if let Some(s) = other_scalar(v) {
        return Ok(s);
    }
    let pad = if cx.padded { " " } else { "" };
    Ok(match v {
        Json::String(s) => flow_string(s),
        Json::Array(items) if items.is_empty() => "[]".into(),
        Json::Array(items) => {
            let at = format!("{at}[]");
            let parts = (items.iter())
                .map(|v| flow(v, cx, &at, depth + 1))
                .collect::<Result<Vec<_>, _>>()?;
            format!("[{}]", parts.join(", "))
        }
        Json::Object(map) if map.is_empty() => "{}".into(),
        Json::Object(map) => {
            let parts = ordered(map, cx.order(at))
                .into_iter()
                .map(|(k, v)| {
                    let v = flow(v, cx, &child(at, k), depth + 1)?;
                    Ok(format!("{}: {v}", flow_string(k)))
                })
                .collect::<Result<Vec<_>, EditError>>()?;
            format!("{{{pad}{}{pad}}}", parts.join(", "))
        }
        _ => String::new(),
    })
}

/// A scalar on a block line.
fn block_scalar(v: &Json) -> Option<String> {
    match v {
        Json::String(s) => Some(super::encode(super::Value::Text(s), false).0),
        _ => other_scalar(v),
    }
}

/// `map`'s keys: those the neighbour has, in its order, then the others.
fn ordered<'a>(
    map: &'a serde_json::Map<String, Json>,
    order: &[String],
) -> Vec<(&'a String, &'a Json)> {
    let mut out: Vec<(&String, &Json)> = (order.iter())
        .filter_map(|k| map.get_key_value(k))
        .collect();
    out.extend(map.iter().filter(|(k, _)| !order.contains(k)));
    out
}

/// Whether a collection under a key goes in brackets when nothing says how: small ones of
/// scalars do.
fn fits_flow(v: &Json, cx: Ctx<'_>, at: &str) -> bool {
    let scalars = match v {
        Json::Array(items) => items.iter().all(|v| !v.is_array() && !v.is_object()),
        Json::Object(map) => map.values().all(|v| !v.is_array() && !v.is_object()),
        _ => true,
    };
    scalars && flow(v, cx, at, 0).is_ok_and(|s| s.chars().count() <= WIDE)
}

/// Block lines of `map`, at place `at`, with its keys at column `col`.
fn block_map(
    map: &serde_json::Map<String, Json>,
    col: usize,
    cx: Ctx<'_>,
    at: &str,
    (nl, depth): (&str, usize),
    out: &mut String,
) -> Result<(), EditError> {
    if depth > MAX_DEPTH {
        return Err(too_deep());
    }
    let pad = " ".repeat(col);
    for (k, v) in ordered(map, cx.order(at)) {
        let key = crate::content::yaml_string(k);
        if let Some(s) = block_scalar(v) {
            out.push_str(&format!("{pad}{key}: {s}{nl}"));
            continue;
        }
        let here = child(at, k);
        let empty = v.as_array().is_some_and(Vec::is_empty)
            || v.as_object().is_some_and(serde_json::Map::is_empty);
        let like = cx.guide.and_then(|g| g.nested.get(&here).copied());
        let in_brackets = like.map_or_else(|| fits_flow(v, cx, &here), |(flow, _)| flow);
        if empty || in_brackets {
            let written = flow(v, cx, &here, depth + 1)?;
            out.push_str(&format!("{pad}{key}: {written}{nl}"));
            continue;
        }
        out.push_str(&format!("{pad}{key}:{nl}"));
        match v {
            Json::Array(items) => {
                let dash = col + like.map_or(2, |(_, d)| d);
                let at = format!("{here}[]");
                for item in items {
                    block_item(item, (dash, 2), cx, &at, (nl, depth + 1), out)?;
                }
            }
            Json::Object(inner) => block_map(inner, col + 2, cx, &here, (nl, depth + 1), out)?,
            _ => {}
        }
    }
    Ok(())
}

/// Lines of `item`, at place `at`, as a block list item with its dash at column `dash` and a
/// map's keys `key_indent` columns right of it.
pub(super) fn block_item(
    item: &Json,
    (dash, key_indent): (usize, usize),
    cx: Ctx<'_>,
    at: &str,
    (nl, depth): (&str, usize),
    out: &mut String,
) -> Result<(), EditError> {
    let key_indent = key_indent.max(2);
    let lead = format!("{}-{}", " ".repeat(dash), " ".repeat(key_indent - 1));
    let flow_item = at.is_empty() && cx.guide.is_some_and(|g| g.flow_item);
    match item {
        Json::Object(map) if !map.is_empty() && !flow_item => {
            let mut lines = String::new();
            block_map(map, dash + key_indent, cx, at, (nl, depth), &mut lines)?;
            out.push_str(&lead);
            out.push_str(&lines[dash + key_indent..]);
        }
        _ => {
            let text = match block_scalar(item) {
                Some(s) => s,
                None => flow(item, cx, at, depth)?,
            };
            out.push_str(&format!("{lead}{text}{nl}"));
        }
    }
    Ok(())
}

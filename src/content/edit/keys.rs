//! A key a map does not have yet (an optional field left out, such as a question's `text` or a
//! measure's `target`), added as a person would type it: as the map's last entry, in its style
//! (`, key: value` before the `}` of a flow map; a line at the map's indentation after its last
//! value in a block map), every other line as it was. Checked by reading the file back, as every
//! edit of this module is.

use super::list::{line_end, splice};
use super::{EditError, FieldIndex, Json, Value, checked, encode, read, written_span};

/// `text` with `key: value` added to the map at `map` (`""` for the top level).
pub(super) fn add(text: &str, map: &str, key: &str, value: Value<'_>) -> Result<String, EditError> {
    let path = if map.is_empty() {
        key.to_string()
    } else {
        format!("{map}.{key}")
    };
    let missing = || EditError::NoSuchValue(path.clone());
    // Field names are the schema's: letters, digits and `_`, never anything YAML would read otherwise.
    if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(missing());
    }
    let fi = FieldIndex::new(text);
    let found = (fi.collections().iter()).find(|c| c.path == map && !c.seq);
    let Some(collection) = found else {
        return Err(missing());
    };
    let (written, _) = encode(value, collection.flow);
    let mut expected = read(text)?;
    let node = node_mut(&mut expected, map).ok_or_else(missing)?;
    let Some(object) = node.as_object_mut() else {
        return Err(missing());
    };
    if object.contains_key(key) {
        return Err(EditError::Unsupported(path));
    }
    let new: Json = serde_yaml::from_str(&written).map_err(|_| missing())?;
    object.insert(key.to_string(), new);
    let edited = if collection.flow {
        let close = text[..collection.end].rfind('}').ok_or_else(missing)?;
        let inner = text[collection.start + 1..close].trim_end();
        let at = collection.start + 1 + inner.len();
        let sep = if inner.trim().is_empty() { " " } else { ", " };
        splice(text, at..at, &format!("{sep}{key}: {written}"))
    } else {
        let indent = collection.start - super::list::line_start(text, collection.start);
        let inside = |p: &str| {
            map.is_empty()
                || p.strip_prefix(map)
                    .is_some_and(|rest| rest.starts_with(['.', '[']))
        };
        let last = (fi.scalars().iter())
            .rfind(|s| inside(&s.path))
            .ok_or_else(missing)?;
        let end = written_span(text, last).end;
        let at = line_end(text, end);
        let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
        let line = format!("{}{key}: {written}", " ".repeat(indent));
        // The last line of a file may have no line ending.
        let line = if at == text.len() && !text.ends_with('\n') {
            format!("{nl}{line}")
        } else {
            format!("{line}{nl}")
        };
        splice(text, at..at, &line)
    };
    checked(edited, &expected, &path)
}

/// The node at `path` (`""`: the whole file) of `data`.
fn node_mut<'a>(data: &'a mut Json, path: &str) -> Option<&'a mut Json> {
    let mut node = data;
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, indexes) = part.split_once('[').unwrap_or((part, ""));
        if !key.is_empty() {
            node = node.get_mut(key)?;
        }
        for i in indexes.split('[').filter(|s| !s.is_empty()) {
            node = node.get_mut(i.trim_end_matches(']').parse::<usize>().ok()?)?;
        }
    }
    Some(node)
}

#[cfg(test)]
mod tests {
    use super::super::{Op, apply};

    fn set(path: &str, value: &str, plain: bool) -> Op {
        Op::Set {
            path: path.into(),
            value: value.into(),
            plain,
        }
    }

    const FILE: &str = "\
indicators:
  - number: 3
    questions:
      - code: i8
        # text: the question, when section 5 prints it
      - code: i9
questions:
  - { code: i1, score: 90.5 }
  - { code: e1, public: 88 }
measures:
  - id: M1
    title: ชื่อ
    period: ตลอดปี
";

    fn changed(a: &str, b: &str) -> Vec<String> {
        let old: Vec<&str> = a.lines().collect();
        b.lines()
            .filter(|l| !old.contains(l))
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn an_absent_field_is_added_as_the_maps_last_entry_in_its_style() {
        let out = apply(
            FILE,
            &[set("indicators[0].questions[0].text", "ข้อ: ๘ #", false)],
        )
        .unwrap();
        assert_eq!(changed(FILE, &out), ["        text: 'ข้อ: ๘ #'"], "{out}");
        assert!(
            out.contains("      - code: i8\n        text: 'ข้อ: ๘ #'\n        # text:"),
            "{out}"
        );
        let out = apply(FILE, &[set("questions[1].survey", "87.5", true)]).unwrap();
        assert!(
            out.contains("  - { code: e1, public: 88, survey: 87.5 }\n"),
            "{out}"
        );
        let out = apply(FILE, &[set("measures[0].target", "๑๐๐ คน", false)]).unwrap();
        assert!(
            out.ends_with("    period: ตลอดปี\n    target: ๑๐๐ คน\n"),
            "{out}"
        );
        let no_newline = FILE.trim_end();
        let out = apply(no_newline, &[set("measures[0].target", "x", false)]).unwrap();
        assert!(out.ends_with("    period: ตลอดปี\n    target: x"), "{out}");
        let out = apply(FILE, &[set("date", "2026-10-01", true)]).unwrap();
        let v: serde_yaml::Value = serde_yaml::from_str(&out).unwrap();
        assert_eq!(v["date"].as_str(), Some("2026-10-01"));
    }

    #[test]
    fn a_key_is_added_only_to_a_map_that_exists_and_only_as_a_plain_name() {
        for path in [
            "nope.key",
            "questions[7].score",
            "measures[0].a b",
            "measures[0].x:y",
            "questions[0]",
        ] {
            assert!(apply(FILE, &[set(path, "1", true)]).is_err(), "{path}");
        }
    }
}

//! Edits of a content file as a careful person makes them in a text editor: one value replaced
//! where it is written, every other byte kept (comments, order, blank lines, the quoting of the
//! values left alone), so that `git diff` shows the edit and nothing else. The browser editor
//! (issue 31) saves through here; nothing else writes a value into an existing file.
//!
//! A value's place comes from [`FieldIndex`] (yaml-rust2's marks); where it ends is read from the
//! text by the value's style (quoted, block, plain). Every edit is checked after it is made: the
//! file must read back with the new value at its path and every other value as it was, or the
//! edit is refused and the file is left as it is.

use std::ops::Range;

use crate::content::locate::{FieldIndex, Scalar};

/// A value as typed into a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    /// Text: always read back as this string, whatever it holds.
    Text(&'a str),
    /// What YAML reads as a number or a date when it looks like one (`82.25`, `2026-04-01`), and
    /// as text otherwise (`๘๒.๒๕x` stays what was typed, for `check` to point at).
    Plain(&'a str),
}

/// Why an edit was not made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    /// The file has no value at this path (a new key or list item is another edit).
    NoSuchValue(String),
    /// The edited file would not read back as intended; nothing was changed.
    WouldChangeOtherValues(String),
}

/// `text` with the value at `path` (`agency.head`, `measures[2].period.start`) replaced by
/// `value`, and nothing else changed.
pub fn set(text: &str, path: &str, value: Value<'_>) -> Result<String, EditError> {
    let before = FieldIndex::new(text);
    let scalar = before
        .scalars()
        .iter()
        .find(|s| s.path == path)
        .ok_or_else(|| EditError::NoSuchValue(path.to_string()))?;
    let span = written_span(text, scalar);
    let (written, expected) = encode(value, scalar.flow);
    let edited = format!("{}{written}{}", &text[..span.start], &text[span.end..]);
    let after = FieldIndex::new(&edited);
    let same = before.scalars().len() == after.scalars().len()
        && before.scalars().iter().zip(after.scalars()).all(|(b, a)| {
            b.path == a.path
                && (if b.path == path {
                    a.value == expected
                } else {
                    a.value == b.value
                })
        });
    if !same {
        return Err(EditError::WouldChangeOtherValues(path.to_string()));
    }
    Ok(edited)
}

/// The YAML text to write for `value` and the string the file will then read at that place.
fn encode(value: Value<'_>, flow: bool) -> (String, String) {
    let text = match value {
        Value::Plain(s) if looks_plain(s.trim()) => return (s.trim().into(), s.trim().into()),
        Value::Plain(s) | Value::Text(s) => s,
    };
    let written = if flow || text.contains(['\n', '\t']) {
        // JSON's string syntax is YAML's double-quoted one, and nothing ends it early in a flow
        // collection.
        serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
    } else {
        super::yaml_string(text)
    };
    (written, text.to_string())
}

/// A number or an ISO date, written plain: what a score or a date field takes.
fn looks_plain(s: &str) -> bool {
    let number = {
        let digits = s.strip_prefix('-').unwrap_or(s);
        let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
        !int.is_empty()
            && !frac.is_empty()
            && int.bytes().all(|b| b.is_ascii_digit())
            && frac.bytes().all(|b| b.is_ascii_digit())
    };
    let date = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    number || date
}

/// The bytes the value of `scalar` is written in: from its first character to its last, its
/// comments and the white space after it left out.
fn written_span(text: &str, scalar: &Scalar) -> Range<usize> {
    let mut start = scalar.range.start;
    if scalar.block {
        // The mark is at the first line of content: the indicator ends the line before.
        let header_line = text[..start].trim_end_matches([' ', '\n', '\r']);
        start = header_line.rfind(['|', '>']).unwrap_or(start);
    }
    let bound = scalar.range.end.clamp(start, text.len());
    let region = &text[start..bound];
    let len = match region.as_bytes().first() {
        _ if scalar.block => block_len(region),
        Some(b'"') => quoted_len(region, |rest| rest.starts_with('\\'), '"'),
        Some(b'\'') => quoted_len(region, |rest| rest.starts_with("''"), '\''),
        _ => plain_len(region, scalar.flow),
    };
    start..start + len
}

/// Length of a quoted scalar up to and with its closing quote; `escaped` says whether the text
/// from here is an escape that hides the next quote (`\"`, or `''` in single quotes).
fn quoted_len(region: &str, escaped: impl Fn(&str) -> bool, quote: char) -> usize {
    let mut chars = region.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        if escaped(&region[i..]) {
            chars.next();
        } else if c == quote {
            return i + 1;
        }
    }
    region.len()
}

/// Length of a block scalar (`|`, `>`): its header and every line indented as its first line,
/// without the blank and comment lines after.
fn block_len(region: &str) -> usize {
    let Some(header_end) = region.find('\n') else {
        return region.len();
    };
    let mut end = header_end;
    let mut indent = None;
    let mut offset = header_end + 1;
    for line in region[offset..].split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let this = content.len() - content.trim_start_matches(' ').len();
        if !content.trim().is_empty() {
            let at_least = *indent.get_or_insert(this);
            if this < at_least {
                break;
            }
            end = offset + content.len();
        }
        offset += line.len();
    }
    end
}

/// Length of a plain scalar: to the end of its last line of content, a comment (` #`) and, in a
/// flow collection, `,`, `]` or `}` ending it.
fn plain_len(region: &str, flow: bool) -> usize {
    let mut end = 0;
    let mut offset = 0;
    for line in region.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if offset > 0 && (trimmed.is_empty() || trimmed.starts_with('#')) {
            offset += line.len();
            continue;
        }
        let mut stop = line.trim_end_matches(['\n', '\r']).len();
        let bytes = line.as_bytes();
        for (i, &b) in bytes.iter().enumerate().take(stop) {
            let comment = b == b'#' && i > 0 && matches!(bytes[i - 1], b' ' | b'\t');
            if comment || (flow && matches!(b, b',' | b']' | b'}')) {
                stop = i;
                break;
            }
        }
        let content = line[..stop].trim_end();
        if !content.trim().is_empty() {
            end = offset + content.len();
        }
        if stop < line.trim_end_matches(['\n', '\r']).len() && flow {
            break;
        }
        offset += line.len();
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "\
# ข้อมูลหน่วยงาน / the agency
agency:
  name: สำนักงานตัวอย่าง   # ชื่อเต็ม
  head: 'นาย ก. ''ตัวอย่าง'''
  group: \"กลุ่ม \\\"ก\\\"\"
  glossary: [ศปท., สพป.แดนดี เขต ๒]

units:
  - code: ศปท.
    name: >
      ศูนย์ปฏิบัติการ
      ต่อต้านการทุจริต
  # a comment between items
  - code: กบ.
period: { start: 2025-10-01, end: 2026-09-30 }
score: 82.25
";

    fn changed_lines(a: &str, b: &str) -> Vec<(String, String)> {
        a.lines()
            .zip(b.lines())
            .filter(|(x, y)| x != y)
            .map(|(x, y)| (x.to_string(), y.to_string()))
            .collect()
    }

    #[test]
    fn a_value_is_replaced_on_its_own_line_and_nothing_else_moves() {
        let out = set(FILE, "agency.name", Value::Text("กรมใหม่: (ITA)")).unwrap();
        assert_eq!(
            changed_lines(FILE, &out),
            [(
                "  name: สำนักงานตัวอย่าง   # ชื่อเต็ม".into(),
                "  name: 'กรมใหม่: (ITA)'   # ชื่อเต็ม".into()
            )]
        );
        let v: serde_yaml::Value = serde_yaml::from_str(&out).unwrap();
        assert_eq!(v["agency"]["name"].as_str(), Some("กรมใหม่: (ITA)"));
    }

    #[test]
    fn quoted_block_and_flow_values_are_found_whole() {
        for (path, value) in [
            ("agency.head", "นาง ข."),
            ("agency.group", "# not a comment"),
            ("agency.glossary[1]", "สพป.แดนดี, เขต ๓]"),
            ("units[0].name", "ศูนย์ใหม่"),
            ("units[1].code", "- @ * & ! % `"),
            ("period.end", "ก.ย. ๖๙"),
        ] {
            let out =
                set(FILE, path, Value::Text(value)).unwrap_or_else(|e| panic!("{path}: {e:?}"));
            let index = FieldIndex::new(&out);
            let got = index.scalars().iter().find(|s| s.path == path).unwrap();
            assert_eq!(got.value, value, "{path}");
            assert_eq!(
                out.matches('#').count(),
                FILE.matches('#').count() + value.matches('#').count(),
                "{path}: a comment was lost\n{out}"
            );
        }
    }

    #[test]
    fn plain_values_stay_numbers_and_dates_and_anything_else_is_text() {
        let out = set(FILE, "score", Value::Plain("90")).unwrap();
        assert!(out.contains("\nscore: 90\n"), "{out}");
        let out = set(FILE, "period.start", Value::Plain("2025-11-01")).unwrap();
        assert!(out.contains("{ start: 2025-11-01, end"), "{out}");
        let out = set(FILE, "score", Value::Plain("๘๒.๒๕x")).unwrap();
        let v: serde_yaml::Value = serde_yaml::from_str(&out).unwrap();
        assert_eq!(v["score"].as_str(), Some("๘๒.๒๕x"));
    }

    #[test]
    fn any_text_reads_back_exactly() {
        for text in [
            "",
            " lead",
            "trail ",
            "a: b",
            "- x",
            "*x",
            "&x",
            "!x",
            "%x",
            "@x",
            "'x",
            "\"x",
            "x #y",
            "line\nbreak",
            "tab\there",
            "{a}",
            "[b]",
            "null",
            "~",
            "yes",
            "2569",
            "\u{202E}ย้อน",
            "ร้อย\u{200B}ละ",
        ] {
            for path in [
                "agency.name",
                "agency.glossary[0]",
                "period.start",
                "units[0].name",
            ] {
                let out = set(FILE, path, Value::Text(text))
                    .unwrap_or_else(|e| panic!("{path} = {text:?}: {e:?}"));
                let got = FieldIndex::new(&out);
                let got = got.scalars().iter().find(|s| s.path == path).unwrap();
                assert_eq!(got.value, text, "{path}\n{out}");
            }
        }
    }

    #[test]
    fn a_path_without_a_value_is_refused() {
        assert_eq!(
            set(FILE, "agency.nope", Value::Text("x")),
            Err(EditError::NoSuchValue("agency.nope".into()))
        );
    }
}

// SHIM (lead, until editops merges)
#[derive(serde::Deserialize, Debug, Clone)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    Set {
        path: String,
        value: String,
        #[serde(default)]
        plain: bool,
    },
}
pub fn apply(text: &str, ops: &[Op]) -> Result<String, EditError> {
    let mut t = text.to_string();
    for op in ops {
        match op {
            Op::Set { path, value, plain } => {
                t = set(
                    &t,
                    path,
                    if *plain {
                        Value::Plain(value)
                    } else {
                        Value::Text(value)
                    },
                )?
            }
        }
    }
    Ok(t)
}

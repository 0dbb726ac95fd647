//! The fix of a YAML slip, shown as the line rewritten: a person who typed `head: นาย ก: ประธาน`
//! or `-ข้อความ` in Notepad is shown the line as it should read, not a lesson in YAML. A rewrite
//! is offered only when the whole file then reads as YAML and the line's value is the text that
//! was typed, so the hint is never wrong.

use super::yaml_string;

/// The line holding byte `at` of `text`, rewritten so that the file reads, if one of the usual
/// slips explains it: a tab in the indentation, a list item without a space after `-`, a value
/// that YAML reads as something else (`: ` inside it or `:` at its end, a start of `*`, `&`, `!`,
/// `%`, `@`, `` ` ``, `|`, `>`, `{`, `[`, `#`, `,`, `- `, or a quote it does not close), a key
/// without a space after its `:`, a list item or key at the wrong indent. Returns the line's
/// number (from 1) and its rewritten text.
pub fn rewrite(text: &str, at: usize) -> Option<(usize, String)> {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    // YAML often stops a line after the slip (`-ข้อแรก` read as text, stopped at the next item),
    // and a quote left open is read on to the end of the file, looking for its close.
    let before = text[..start.saturating_sub(1)]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let mut lines = vec![start];
    if before < start {
        lines.push(before);
    }
    let near = lines.len();
    lines.extend(open_quotes(&text[..start]));
    // An indent is the last guess: a slip of another kind explains the line better.
    (lines.iter().find_map(|&s| rewrite_line(text, s)))
        .or_else(|| lines[..near].iter().find_map(|&s| reindent_line(text, s)))
}

/// The starts of the lines of `text`, nearest first, whose value opens a quote it does not close
/// on the line.
fn open_quotes(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut end = text.len();
    while end > 0 {
        let start = text[..end - 1].rfind('\n').map_or(0, |i| i + 1);
        let (_, value) = value_of(text[start..end].trim_end_matches(['\n', '\r']));
        let value = value.trim();
        if let Some(q) = value.chars().next().filter(|q| matches!(q, '"' | '\''))
            && (value.len() == 1 || !value.ends_with(q))
        {
            out.push(start);
        }
        end = start;
    }
    out
}

/// The line starting at byte `start` (without its line break), and its number from 1.
fn line_at(text: &str, start: usize) -> (&str, usize) {
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = text[start..end].trim_end_matches('\r');
    (line, text[..start].matches('\n').count() + 1)
}

/// The text with the line starting at `start` (`line`) replaced by `new`.
fn replaced(text: &str, start: usize, line: &str, new: &str) -> String {
    format!("{}{new}{}", &text[..start], &text[start + line.len()..])
}

/// The line starting at byte `start`, rewritten as [`rewrite`] says, but for its indent.
fn rewrite_line(text: &str, start: usize) -> Option<(usize, String)> {
    let (line, number) = line_at(text, start);
    let fixes = |new: String| reads(&replaced(text, start, line, &new)).then_some((number, new));
    let layout = [untabbed(line), spaced_dash(line)];
    (layout.into_iter().flatten().find_map(fixes))
        .or_else(|| {
            // Quoted, the value must read back as the text typed, where it was typed.
            let (at, value, new) = quoted(line)?;
            let fixed = replaced(text, start, line, &new);
            let index = super::locate::FieldIndex::new(&fixed);
            let found =
                (index.scalars().iter()).any(|s| s.range.start == start + at && s.value == value);
            (reads(&fixed) && found).then_some((number, new))
        })
        .or_else(|| spaced_colon(line).and_then(fixes))
}

/// The line starting at byte `start` at the indent it was meant to have, if the file then reads.
fn reindent_line(text: &str, start: usize) -> Option<(usize, String)> {
    let (line, number) = line_at(text, start);
    let new = reindented(&text[..start], line)?;
    reads(&replaced(text, start, line, &new)).then_some((number, new))
}

/// Whether `s` starts with a key of letters, digits and `_` and its `:` (`name:` or `name: x`).
fn key_len(s: &str) -> Option<usize> {
    let (key, after) = s.split_once(':')?;
    let key_ok = !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    (key_ok && (after.is_empty() || after.starts_with(' '))).then_some(key.len())
}

/// `key:value` as `key: value`: YAML needs the space to read a key.
fn spaced_colon(line: &str) -> Option<String> {
    let rest = line.trim_start();
    let mut prefix = line.len() - rest.len();
    let body = match rest.strip_prefix("- ") {
        Some(item) => {
            prefix += 2;
            item
        }
        None => rest,
    };
    let (key, value) = body.split_once(':')?;
    let key_ok = !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    (key_ok && !value.is_empty() && !value.starts_with([' ', ':', '/']))
        .then(|| format!("{}{key}: {value}", &line[..prefix]))
}

/// A list item or a key at the indent of the nearest line above of its kind that is within two
/// spaces of it (its sibling), unless that line has its indent already or the block's parent
/// comes first.
fn reindented(before: &str, line: &str) -> Option<String> {
    let rest = line.trim_start_matches(' ');
    let item = rest.starts_with("- ");
    if !item && key_len(rest).is_none() {
        return None;
    }
    let own = line.len() - rest.len();
    for prev in before.lines().rev().take(200) {
        let p = prev.trim_start_matches(' ');
        let at = prev.len() - p.len();
        // A key above that opens a block (`items:`) is the parent: its children, the siblings,
        // are below it.
        if at < own && p.ends_with(':') && key_len(p).is_some() {
            return None;
        }
        let indent = match p.strip_prefix("- ") {
            _ if p.is_empty() || p.starts_with('#') => None,
            Some(_) if item => Some(at),
            Some(after) => key_len(after).map(|_| at + 2),
            None => (!item && key_len(p).is_some()).then_some(at),
        };
        if let Some(sibling) = indent.filter(|i| i.abs_diff(own) <= 2) {
            return (sibling != own).then(|| format!("{}{rest}", " ".repeat(sibling)));
        }
    }
    None
}

/// Whether `text` reads as YAML at all.
fn reads(text: &str) -> bool {
    serde_yaml::from_str::<serde_yaml::Value>(text).is_ok()
}

/// Tabs in the indentation as two spaces each.
fn untabbed(line: &str) -> Option<String> {
    let rest = line.trim_start_matches([' ', '\t']);
    let indent = &line[..line.len() - rest.len()];
    indent
        .contains('\t')
        .then(|| format!("{}{rest}", indent.replace('\t', "  ")))
}

/// `-text` as `- text`.
fn spaced_dash(line: &str) -> Option<String> {
    let rest = line.trim_start();
    let indent = &line[..line.len() - rest.len()];
    let item = rest.strip_prefix('-')?;
    (!item.is_empty() && !item.starts_with([' ', '-'])).then(|| format!("{indent}- {item}"))
}

/// The value of a line, after its indent, `- ` and a `key: ` of letters, digits and `_`, and
/// where it starts.
fn value_of(line: &str) -> (usize, &str) {
    let rest = line.trim_start();
    let mut prefix_len = line.len() - rest.len();
    let mut value = rest;
    if let Some(item) = value.strip_prefix("- ") {
        prefix_len += 2;
        value = item;
    }
    if let Some((key, after)) = value.split_once(": ")
        && !key.is_empty()
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        prefix_len += key.len() + 2;
        value = after;
    }
    (prefix_len, value)
}

/// The value of the line (after `- ` and a `key: ` of letters, digits and `_`) written quoted:
/// where the value starts, the value, and the line.
fn quoted(line: &str) -> Option<(usize, String, String)> {
    let (prefix_len, value) = value_of(line);
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let quoted = yaml_string(value);
    (quoted != value).then(|| {
        let new = format!("{}{quoted}", &line[..prefix_len]);
        (prefix_len, value.to_string(), new)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Slips people make in a text editor: the file, the line where the check stops (from 1),
    /// and the line as it should be.
    const SLIPS: &[(&str, usize, &str)] = &[
        (
            "agency:\n  head: เลขาธิการ (Integrity and Transparency Assessment: ITA)\n",
            2,
            "  head: 'เลขาธิการ (Integrity and Transparency Assessment: ITA)'",
        ),
        (
            "points:\n  - หมายเหตุ: ดูภาคผนวก\n  - ข้อสอง\n",
            2,
            "  - 'หมายเหตุ: ดูภาคผนวก'",
        ),
        ("a:\n\tb: ข้อความ\n", 2, "  b: ข้อความ"),
        ("items:\n  -ข้อแรก\n  - ข้อสอง\n", 2, "  - ข้อแรก"),
        ("items:\n  - ข้อแรก\n  -ข้อสอง\n", 3, "  - ข้อสอง"),
        ("name: *ดอกจัน\n", 1, "name: '*ดอกจัน'"),
        ("name: &และ\n", 1, "name: '&และ'"),
        ("name: !อัศเจรีย์\n", 1, "name: '!อัศเจรีย์'"),
        ("name: %ร้อยละ\n", 1, "name: '%ร้อยละ'"),
        ("name: @ผู้ใช้\n", 1, "name: '@ผู้ใช้'"),
        ("name: `ข้อความ`\n", 1, "name: '`ข้อความ`'"),
        ("name: \"เปิดไม่ปิด\nnext: x\n", 1, "name: '\"เปิดไม่ปิด'"),
        ("name: 'เปิดไม่ปิด\nnext: x\n", 1, "name: '''เปิดไม่ปิด'"),
        ("name: {ปีกกา\n", 1, "name: '{ปีกกา'"),
        ("name: [วงเล็บ\n", 1, "name: '[วงเล็บ'"),
        ("list:\n  - ก: ข: ค\n", 2, "  - 'ก: ข: ค'"),
        ("x: |ท่อ\n", 1, "x: '|ท่อ'"),
        ("x: >มากกว่า\n", 1, "x: '>มากกว่า'"),
        ("x: #แฮช\n", 1, "x: '#แฮช'"),
        ("x: ,จุลภาค\n", 1, "x: ',จุลภาค'"),
        ("x: ]วงเล็บปิด\n", 1, "x: ']วงเล็บปิด'"),
        ("x: - ขีดหน้า\n", 1, "x: '- ขีดหน้า'"),
        // A line ending in ':' reads as a key.
        ("agency:\n  head: ประกอบด้วย:\n", 2, "  head: 'ประกอบด้วย:'"),
        ("items:\n  - \"เปิดไม่ปิด\n  - ข้อสอง\n", 2, "  - '\"เปิดไม่ปิด'"),
        (
            "measures:\n  - id: a\n    title: ข้อ ๑: การอบรม\n",
            3,
            "    title: 'ข้อ ๑: การอบรม'",
        ),
        ("items:\n\t- ข้อแรก\n", 2, "  - ข้อแรก"),
        // No space after the key's colon.
        ("agency:\n  name:สลน.\n  head: ก\n", 2, "  name: สลน."),
        ("measures:\n  - id:budget\n", 2, "  - id: budget"),
        // A list item or a key at the wrong indent.
        ("items:\n  - ข้อแรก\n - ข้อสอง\n", 3, "  - ข้อสอง"),
        (
            "items:\n    - ข้อแรก\n    - ข้อสอง\n   - ข้อสาม\n",
            4,
            "    - ข้อสาม",
        ),
        ("agency:\n    name: ก\n   head: ข\n", 3, "    head: ข"),
        ("a:\n  b: 1\n c: 2\n", 3, "  c: 2"),
        ("agency:\n  name: ก\n   head: ข\n", 3, "  head: ข"),
        (
            "measures:\n  - id: a\n    title: ก\n     steps: [ข]\n",
            4,
            "    steps: [ข]",
        ),
    ];

    /// Each slip, from where YAML stops (or, where the file reads as YAML and only its fields'
    /// types fail, from its line), is shown as its line rewritten.
    #[test]
    fn each_slip_is_shown_as_the_line_rewritten() {
        assert!(SLIPS.len() >= 30, "{} slips", SLIPS.len());
        let mut wrong = Vec::new();
        for (text, line, want) in SLIPS {
            let at = match serde_yaml::from_str::<serde_yaml::Value>(text) {
                Err(e) => e.location().map_or(0, |l| l.index()),
                Ok(_) => text
                    .split_inclusive('\n')
                    .take(line - 1)
                    .map(str::len)
                    .sum(),
            };
            let got = rewrite(text, at);
            if got != Some((*line, want.to_string())) {
                wrong.push(format!("{text:?}: {got:?}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn no_rewrite_is_offered_for_what_it_cannot_explain() {
        assert_eq!(rewrite("a:\n  b: 1\n  c\n", 12), None);
        // A key more than two spaces from any key above: no sibling to line up with.
        assert_eq!(rewrite("a:\n      b: 1\n   c: 2\n", 15), None);
    }
}

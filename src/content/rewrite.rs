//! The fix of a YAML slip, shown as the line rewritten: a person who typed `head: นาย ก: ประธาน`
//! or `-ข้อความ` in Notepad is shown the line as it should read, not a lesson in YAML. A rewrite
//! is offered only when the whole file then reads as YAML and the line's value is the text that
//! was typed, so the hint is never wrong.

use super::yaml_string;

/// The line holding byte `at` of `text`, rewritten so that the file reads, if one of the usual
/// slips explains it: a tab in the indentation, a list item without a space after `-`, or a
/// value that YAML reads as something else (`: ` inside it, a start of `*`, `&`, `!`, `%`, `@`,
/// `` ` ``, `|`, `>`, `{`, `[`, or a quote it does not close). Returns the line's number (from
/// 1) and its rewritten text.
pub fn rewrite(text: &str, at: usize) -> Option<(usize, String)> {
    let at = at.min(text.len());
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    // YAML often stops a line after the slip (`-ข้อแรก` read as text, stopped at the next item).
    let before = text[..start.saturating_sub(1)]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    rewrite_line(text, start).or_else(|| {
        (before < start)
            .then(|| rewrite_line(text, before))
            .flatten()
    })
}

/// The line starting at byte `start`, rewritten as [`rewrite`] says.
fn rewrite_line(text: &str, start: usize) -> Option<(usize, String)> {
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = text[start..end].trim_end_matches('\r');
    let number = text[..start].matches('\n').count() + 1;
    let fixes = |new: String| {
        let fixed = format!("{}{new}{}", &text[..start], &text[start + line.len()..]);
        reads(&fixed).then_some((number, new))
    };
    let layout = [untabbed(line), spaced_dash(line)];
    layout.into_iter().flatten().find_map(fixes).or_else(|| {
        // Quoted, the value must read back as the text typed, where it was typed.
        let (at, value, new) = quoted(line)?;
        let fixed = format!("{}{new}{}", &text[..start], &text[start + line.len()..]);
        let index = super::locate::FieldIndex::new(&fixed);
        let found =
            (index.scalars().iter()).any(|s| s.range.start == start + at && s.value == value);
        (reads(&fixed) && found).then_some((number, new))
    })
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

/// The value of the line (after `- ` and a `key: ` of letters, digits and `_`) written quoted:
/// where the value starts, the value, and the line.
fn quoted(line: &str) -> Option<(usize, String, String)> {
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
    ];

    #[test]
    fn each_slip_is_shown_as_the_line_rewritten() {
        for (text, line, want) in SLIPS {
            let at = text
                .split_inclusive('\n')
                .take(line - 1)
                .map(str::len)
                .sum();
            assert_eq!(
                rewrite(text, at),
                Some((*line, want.to_string())),
                "{text:?}"
            );
        }
    }

    #[test]
    fn no_rewrite_is_offered_for_what_it_cannot_explain() {
        assert_eq!(rewrite("a:\n  b: 1\n c: 2\n", 12), None);
    }
}

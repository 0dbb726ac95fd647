//! Edits of a parsed Typst source: the part of the text that changed is replaced, so only that
//! part is parsed again. A leaf: the typeset stage keeps its World's source up to date with it,
//! and the word marks their last parsed source.

use typst::syntax::Source;

/// Makes `source` hold `new`, parsing again only the part that changed.
///
/// Where the two differ on several lines and have the same lines between (a layout pass that
/// adds or takes out break marks here and there), each line is edited on its own, the last
/// first: one edit from the first change to the last reparsed everything between and gave it
/// new spans, so typst laid all of it out again (a pass of the education office took 29 ms,
/// a whole layout's time, for marks in two paragraphs pages apart). Each edit moves the text
/// after it and counts its lines again, so past [`MAX_LINE_EDITS`] lines one edit is made.
pub fn replace_source(source: &mut Source, new: &str) {
    let Some((range, with)) = replacement(source.text(), new) else {
        return;
    };
    let lines = changed_lines(&source.text()[range.clone()], with);
    match lines {
        Some(lines) if lines.len() > 1 && lines.len() <= MAX_LINE_EDITS => {
            for (at, with) in lines.into_iter().rev() {
                source.edit(range.start + at.start..range.start + at.end, with);
            }
        }
        _ => {
            source.edit(range, with);
        }
    }
}

/// Most lines edited one by one; a pass that changes more (a report whose every cell had a word
/// too wide) is one edit, as typst would lay most of it out again anyway.
const MAX_LINE_EDITS: usize = 64;

/// The lines of `old` that differ from those of `new` where both have as many lines: each as the
/// range of `old` to replace and the text to put there, first to last. `None` where the line
/// counts differ.
fn changed_lines<'a>(old: &str, new: &'a str) -> Option<Vec<(std::ops::Range<usize>, &'a str)>> {
    if old.bytes().filter(|&b| b == b'\n').count() != new.bytes().filter(|&b| b == b'\n').count() {
        return None;
    }
    let mut at = 0;
    let mut out = Vec::new();
    for (a, b) in old.split('\n').zip(new.split('\n')) {
        if let Some((range, with)) = replacement(a, b) {
            out.push((at + range.start..at + range.end, with));
        }
        at += a.len() + 1;
    }
    Some(out)
}

/// The range of `old` to replace, and the text to put there, to make `new`: everything between
/// their common start and common end, both cut at character boundaries; `None` if they are equal.
///
/// typst's own `Source::replace` gets this wrong when a character is replaced by one of another
/// length that ends in the same bytes (ก, E0 B8 81, by 😁, F0 9F 98 81): its common end grows
/// past the common start, and it loops forever or panics (typst-syntax 0.15.1,
/// `Lines::replacement_range`). Under `watch`, one such edit of a YAML value ended the watch.
pub fn replacement<'a>(old: &str, new: &'a str) -> Option<(std::ops::Range<usize>, &'a str)> {
    if old == new {
        return None;
    }
    let mut prefix = zip_count(old.bytes(), new.bytes());
    // The bytes before `prefix` are the same in both, and so are their character boundaries.
    while !old.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let mut suffix = zip_count(old[prefix..].bytes().rev(), new[prefix..].bytes().rev());
    // Shrinking the common end can only move it back towards the strings' ends, never past the
    // common start, and 0 is a boundary of both.
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    Some((prefix..old.len() - suffix, &new[prefix..new.len() - suffix]))
}

/// How many items the two sequences share from their start.
fn zip_count(a: impl Iterator<Item = u8>, b: impl Iterator<Item = u8>) -> usize {
    a.zip(b).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use typst::syntax::Source;
    use typst::syntax::SyntaxNode;

    /// Kinds and texts of a tree, in order: what a fresh parse and an edited source must share.
    fn shape(node: &SyntaxNode, out: &mut Shape) {
        out.push((node.kind(), node.leaf_text().to_string()));
        for child in node.children() {
            shape(child, out);
        }
    }

    fn edited(old: &str, new: &str) -> Source {
        let mut source = Source::detached(old);
        replace_source(&mut source, new);
        source
    }

    #[test]
    fn a_letter_replaced_by_one_of_another_length_with_the_same_last_byte() {
        // ก is E0 B8 81, Á is C3 81, 😁 is F0 9F 98 81: Source::replace panics or never returns.
        for (old, new) in [
            ("ระดับ ก ดี", "ระดับ Á ดี"),
            ("ระดับ ก ดี", "ระดับ 😁 ดี"),
            ("ระดับ 😁 ดี", "ระดับ ก ดี"),
            ("\u{a01}", "\u{16E81}"),
        ] {
            let (range, with) = replacement(old, new).unwrap();
            let mut spliced = old.to_string();
            spliced.replace_range(range, with);
            assert_eq!(spliced, new);
            assert_eq!(edited(old, new).text(), new);
        }
        assert_eq!(replacement("ก", "ก"), None);
    }

    /// The spans of the leaves of `source` that lie within `line` (a byte range of its text).
    fn spans_within(source: &Source, line: std::ops::Range<usize>) -> Vec<typst::syntax::Span> {
        fn walk(
            node: typst::syntax::LinkedNode,
            line: &std::ops::Range<usize>,
            out: &mut Vec<typst::syntax::Span>,
        ) {
            let range = node.range();
            if range.start >= line.start && range.end <= line.end && node.children().len() == 0 {
                out.push(node.span());
            }
            for child in node.children() {
                walk(child, line, out);
            }
        }
        let mut out = Vec::new();
        walk(
            typst::syntax::LinkedNode::new(source.root()),
            &line,
            &mut out,
        );
        out
    }

    #[test]
    fn marks_put_in_two_lines_leave_the_spans_of_the_lines_between() {
        // A layout pass puts break marks into a paragraph near the start and a cell near the
        // end; typst lays out again what has new spans, so the lines between must keep theirs.
        // One edit from the first change to the last gave them all new spans (a pass of the
        // education office's report then took a whole layout's time).
        let middle = "#table([หน่วยงาน *ตัวอย่าง*], [ข้อความ #strong[กลาง]])";
        let old = format!("= หัวข้อ\n\nย่อหน้าแรก คำ\n\n{middle}\n\nย่อหน้าท้าย คำ\n");
        let new = old
            .replace("แรก คำ", "แรก\u{200B}คำ")
            .replace("ท้าย คำ", "ท้าย\u{200B}คำ");
        let mut source = Source::detached(old.as_str());
        let at = old.find(middle).unwrap();
        let before = spans_within(&source, at..at + middle.len());
        assert!(before.len() > 5, "{before:?}");
        replace_source(&mut source, &new);
        assert_eq!(source.text(), new);
        let at = new.find(middle).unwrap();
        assert_eq!(spans_within(&source, at..at + middle.len()), before);
    }

    /// Strings of characters whose UTF-8 forms share their last bytes across lengths, and
    /// Typst markup, so that edits meet every way of cutting a common start and end.
    fn text() -> impl Strategy<Value = String> {
        let pieces = prop_oneof![
            Just("ก"),
            Just("Á"),
            Just("😁"),
            Just("\u{a01}"),
            Just("\u{16E81}"),
            Just("\u{200B}"),
            Just("a"),
            Just(" "),
            Just("\n"),
            Just("*"),
            Just("#"),
            Just("["),
            Just("]"),
            Just("\""),
            Just("//"),
            Just("$"),
        ];
        prop::collection::vec(pieces, 0..24).prop_map(|v| v.concat())
    }

    type Shape = Vec<(typst::syntax::SyntaxKind, String)>;

    /// `old` edited into `new`: its text and tree, and the tree of a fresh parse of `new`.
    fn edited_and_fresh(old: &str, new: &str) -> (String, Shape, Shape) {
        let source = edited(old, new);
        let (mut got, mut want) = (Vec::new(), Vec::new());
        shape(source.root(), &mut got);
        shape(&typst::syntax::parse(new), &mut want);
        (source.text().to_string(), got, want)
    }

    /// A break or glue mark to put in, or `None` to take a mark out.
    fn mark_or_none() -> impl Strategy<Value = Option<char>> {
        prop_oneof![
            Just(Some(crate::marks::BREAK)),
            Just(Some(crate::marks::GLUE)),
            Just(None)
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// An edited source spells the new text and parses as a fresh parse of it does.
        #[test]
        fn an_edited_source_is_a_fresh_parse(old in text(), new in text()) {
            let (text, got, want) = edited_and_fresh(&old, &new);
            prop_assert_eq!(text, new);
            prop_assert_eq!(got, want);
        }

        /// Marks put in and taken out on several lines, as the layout passes do, each line then
        /// edited on its own: the source still spells the new text and parses as a fresh parse.
        #[test]
        fn marks_edited_line_by_line_parse_fresh(
            old in text(),
            at in prop::collection::vec((0usize..64, mark_or_none()), 1..6),
        ) {
            let mut new: Vec<char> = old.chars().collect();
            for &(i, mark) in at.iter().rev() {
                let i = i % (new.len() + 1);
                match mark {
                    Some(c) => new.insert(i, c),
                    None if i < new.len() && crate::marks::is_mark(new[i]) => {
                        new.remove(i);
                    }
                    None => {}
                }
            }
            let new: String = new.into_iter().collect();
            let (text, got, want) = edited_and_fresh(&old, &new);
            prop_assert_eq!(text, new);
            prop_assert_eq!(got, want);
        }
    }
}

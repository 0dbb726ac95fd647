//! The two invisible marks oit025 adds to the generated Typst source, in one place: where they are
//! inserted ([`crate::words`], and [`crate::words::links`] for URLs as their text is escaped) and
//! every stage that takes them out again (tracing a typst error
//! to its template line, the laid-out text in [`crate::frames`], the PDF's text strings in the
//! text layer) use these definitions, so a third mark or a change of character is one edit.

use std::borrow::Cow;

/// The break mark: U+200B ZERO WIDTH SPACE, invisible, without a glyph, and a break opportunity
/// for typst. Added at every word boundary between two Thai letters.
pub const BREAK: char = '\u{200B}';

/// The glue mark: U+2060 WORD JOINER after a space keeps the line from breaking there, while the
/// space stays a space (it stretches in a justified line, and copies out as a space).
pub const GLUE: char = '\u{2060}';

/// Both marks, as the text layer is told to drop them.
pub const ALL: [char; 2] = [BREAK, GLUE];

/// Whether `c` is one of oit025's marks.
pub fn is_mark(c: char) -> bool {
    c == BREAK || c == GLUE
}

/// `text` with the marks put in: [`GLUE`] at each offset of `glue`, then [`BREAK`] at each
/// offset of `breaks`, and the glue mark that starts at each offset of `unglue` taken out. The
/// offsets are byte offsets into `text`, sorted; [`crate::words`] decides where they go.
pub fn insert(text: &str, breaks: &[usize], glue: &[usize], unglue: &[usize]) -> String {
    let mut out =
        String::with_capacity(text.len() + (breaks.len() + glue.len()) * BREAK.len_utf8());
    let mut cuts: Vec<usize> = breaks.iter().chain(glue).chain(unglue).copied().collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut last = 0;
    for at in cuts.into_iter().filter(|&at| at <= text.len()) {
        out.push_str(&text[last..at]);
        last = at;
        if glue.binary_search(&at).is_ok() {
            out.push(GLUE);
        }
        if breaks.binary_search(&at).is_ok() && at < text.len() {
            out.push(BREAK);
        }
        if unglue.binary_search(&at).is_ok() && text[at..].starts_with(GLUE) {
            last = at + GLUE.len_utf8();
        }
    }
    out.push_str(&text[last..]);
    out
}

/// `text` without the marks, as the user typed it (borrowed when it holds none).
pub fn strip(text: &str) -> Cow<'_, str> {
    if text.contains(ALL) {
        Cow::Owned(text.chars().filter(|&c| !is_mark(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_takes_out_both_marks_and_nothing_else() {
        let marked = format!("ร้อย{BREAK}ละ ๙๐ {GLUE}คะแนน\u{200C}");
        assert_eq!(strip(&marked), "ร้อยละ ๙๐ คะแนน\u{200C}");
        assert!(matches!(strip("ไม่มีเครื่องหมาย"), Cow::Borrowed(_)));
    }

    #[test]
    fn insert_puts_glue_before_a_break_at_the_same_offset_and_drops_unglued_marks() {
        let text = format!("ก ข{GLUE}ค");
        let glued_at = text.find('ข').unwrap();
        let marked = insert(&text, &[glued_at], &[glued_at], &[text.find(GLUE).unwrap()]);
        assert_eq!(marked, format!("ก {GLUE}{BREAK}ขค"));
        assert_eq!(strip(&marked), "ก ขค");
    }
}

//! The two invisible marks oit025 adds to the generated Typst source, and the call that keeps a
//! Latin word's letters at their own spacing, in one place: where they are
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

/// What a Latin word (or number) is wrapped in: a box is laid out at its natural width, so
/// the letter spacing justified lines give Thai letters never spreads its letters. (A `set par`
/// of other limits around the word would end the paragraph there: typst groups a paragraph only
/// over the same paragraph styles.) The semicolon ends the call, so that a `.` or `(` after the
/// word stays text.
pub const LATIN_OPEN: &str = "#box[";
/// The end of [`LATIN_OPEN`].
pub const LATIN_CLOSE: &str = "];";

/// The letters and digits of the Thai block, bit `c - U+0E00`: what [`char::is_alphanumeric`]
/// says of each (a test checks); its letters, what [`char::is_alphabetic`] says.
const THAI_ALPHANUMERIC: u128 = 0x0000_0000_03ff_207f_07ff_ffff_ffff_fffe;
const THAI_ALPHABETIC: u128 = 0x0000_0000_0000_207f_07ff_ffff_ffff_fffe;

/// [`char::is_alphanumeric`] without its search of Unicode's tables for ASCII and Thai, the
/// characters of nearly all a report's text: every value's characters are tested as its text is
/// escaped, and the search was a third of the time of filling the templates.
pub fn is_alphanumeric(c: char) -> bool {
    match u32::from(c) {
        0..=0x7F => c.is_ascii_alphanumeric(),
        t @ 0x0E00..=0x0E7F => THAI_ALPHANUMERIC >> (t - 0x0E00) & 1 == 1,
        _ => c.is_alphanumeric(),
    }
}

/// [`char::is_alphabetic`], as quick as [`is_alphanumeric`].
pub fn is_alphabetic(c: char) -> bool {
    match u32::from(c) {
        0..=0x7F => c.is_ascii_alphabetic(),
        t @ 0x0E00..=0x0E7F => THAI_ALPHABETIC >> (t - 0x0E00) & 1 == 1,
        _ => c.is_alphabetic(),
    }
}

/// A letter or digit of another script than Thai: what [`wrap_latin`] boxes.
pub fn is_latin(c: char) -> bool {
    !('\u{0E00}'..='\u{0E7F}').contains(&c) && is_alphanumeric(c)
}

/// Whether `c` is one of oit025's marks.
pub fn is_mark(c: char) -> bool {
    c == BREAK || c == GLUE
}

/// `text` with the marks put in: [`GLUE`] at each offset of `glue`, then [`BREAK`] at each
/// offset of `breaks`, and the glue mark, [`LATIN_OPEN`] or [`LATIN_CLOSE`] that starts at each
/// offset of `unglue` taken out (a word cut to fit its cell leaves its box). The offsets are byte
/// offsets into `text`, sorted; [`crate::words`] decides where they go.
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
        if unglue.binary_search(&at).is_ok() {
            let rest = &text[at..];
            if rest.starts_with(GLUE) {
                last = at + GLUE.len_utf8();
            } else if let Some(m) = [LATIN_OPEN, LATIN_CLOSE]
                .into_iter()
                .find(|m| rest.starts_with(m))
            {
                last = at + m.len();
            }
        }
    }
    out.push_str(&text[last..]);
    out
}

/// Wraps each word of letters and digits of other scripts than Thai in `text` (a markup text
/// node, already marked) in [`LATIN_OPEN`] and [`LATIN_CLOSE`], with the punctuation between its
/// letters (e-Office, 8,317, 90.5): those are laid out without the letter spacing that spreads a
/// justified Thai line. A piece of a URL or an e-mail address is boxed up to the break mark
/// after it ([`crate::words::links`]), its punctuation with it, so the address still breaks only
/// there; a word of any length is boxed, and one wider than its table cell is taken out of its
/// box again to be cut (`words::break_words_at`). Thai text, spaces and other punctuation stay
/// as they are; a text without such a letter is borrowed. A box allows a line break on each
/// side, so a [`GLUE`] keeps it to the text it touches ("(", "ITA.") where no space or break
/// mark is.
pub fn wrap_latin(text: &str) -> Cow<'_, str> {
    let latin = is_latin;
    if !text.chars().any(latin) {
        return Cow::Borrowed(text);
    }
    // Inside a word: what may sit between its letters and digits.
    let joins = |c: char| matches!(c, '.' | '-' | ':' | ',' | GLUE);
    // Where a line may break anyway, no glue is needed.
    let open = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || c == BREAK || c == GLUE);
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(start) = rest.find(latin) {
        out.push_str(&rest[..start]);
        let word = &rest[start..];
        // The word ends after its last letter or digit before anything else.
        let mut end = 0;
        for (i, c) in word.char_indices() {
            if latin(c) || is_combining(c) {
                end = i + c.len_utf8();
            } else if !joins(c) {
                break;
            }
        }
        let (body, after) = word.split_at(end);
        // A URL or an e-mail address: the text between spaces holds its punctuation or marks.
        let chunk_start = (out.char_indices().rev())
            .find(|&(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let chunk_end = after.find(char::is_whitespace).unwrap_or(after.len());
        let url = |t: &str| t.contains(['/', '@', BREAK]);
        let (body, after) = if url(&out[chunk_start..]) || url(&after[..chunk_end]) {
            // A URL's piece runs on to its break mark (or the end of this text: an escaped
            // character follows), its punctuation and glue but no other script with it; a glue
            // mark at its end stays outside, holding the box to the escaped character.
            let piece = after
                .find(|c: char| c.is_whitespace() || c == BREAK || !(c.is_ascii() || c == GLUE))
                .unwrap_or(after.len());
            let piece = after[..piece].trim_end_matches(GLUE).len();
            word.split_at(end + piece)
        } else {
            (body, after)
        };
        if !open(out.chars().next_back()) && !out.is_empty() {
            out.push(GLUE);
        }
        out.push_str(LATIN_OPEN);
        out.push_str(body);
        out.push_str(LATIN_CLOSE);
        // At the end of the text, what follows is markup or an escaped character ("e\\-Office"),
        // which the box must not be parted from either.
        if after.is_empty() || !open(after.chars().next()) {
            out.push(GLUE);
        }
        rest = after;
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// A mark that combines with the letter before it (accents, joiners, variation selectors).
fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{200C}' | '\u{200D}' | '\u{FE00}'..='\u{FE0F}')
}

/// `text` without the marks and the Latin wrappers, as the user typed it (borrowed when it holds
/// none).
pub fn strip(text: &str) -> Cow<'_, str> {
    let unwrapped: Cow<'_, str> = if text.contains(LATIN_OPEN) {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find(LATIN_OPEN) {
            out.push_str(&rest[..start]);
            let inner = &rest[start + LATIN_OPEN.len()..];
            let Some(end) = inner.find(LATIN_CLOSE) else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            out.push_str(&inner[..end]);
            rest = &inner[end + LATIN_CLOSE.len()..];
        }
        out.push_str(rest);
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    };
    if unwrapped.contains(ALL) {
        Cow::Owned(unwrapped.chars().filter(|&c| !is_mark(c)).collect())
    } else {
        unwrapped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quick_letter_tests_agree_with_unicode() {
        let differ: Vec<char> = (0..=0x1_0000)
            .filter_map(char::from_u32)
            .filter(|&c| {
                is_alphanumeric(c) != c.is_alphanumeric() || is_alphabetic(c) != c.is_alphabetic()
            })
            .collect();
        assert_eq!(differ, Vec::<char>::new());
    }

    #[test]
    fn strip_takes_out_both_marks_and_nothing_else() {
        let marked = format!("ร้อย{BREAK}ละ ๙๐ {GLUE}คะแนน\u{200C}");
        assert_eq!(strip(&marked), "ร้อยละ ๙๐ คะแนน\u{200C}");
        assert!(matches!(strip("ไม่มีเครื่องหมาย"), Cow::Borrowed(_)));
    }

    #[test]
    fn latin_words_are_wrapped_and_unwrapped_to_the_text_typed() {
        let text = format!("ผล ITA (e-{GLUE}Office) ที่ www.{BREAK}ab3.go.th/ita. ๒๕๖๙ ร้อยละ 90.5");
        let wrapped = wrap_latin(&text);
        assert_eq!(
            wrapped,
            format!(
                "ผล #box[ITA]; ({GLUE}#box[e-{GLUE}Office];{GLUE}) ที่ #box[www.];{BREAK}\
                 #box[ab3.go.th/ita.]; ๒๕๖๙ ร้อยละ #box[90.5];{GLUE}"
            )
        );
        assert_eq!(strip(&wrapped), strip(&text));
        assert!(matches!(wrap_latin("ไม่มี ๑๒"), Cow::Borrowed(_)));
        // A white space of more than one byte before a word (proptest found it).
        assert_eq!(wrap_latin("\u{A0}a"), format!("\u{A0}#box[a];{GLUE}"));
    }

    #[test]
    fn urls_are_boxed_piece_by_piece_and_long_words_whole() {
        // The pieces between a URL's break marks, punctuation and all; the glue before an
        // escaped "@" stays outside, to hold it to the box.
        let text = format!("ทาง anticorruption.{BREAK}center{GLUE}");
        assert_eq!(
            wrap_latin(&text),
            format!("ทาง #box[anticorruption.];{BREAK}#box[center];{GLUE}")
        );
        let text = format!("{BREAK}w{GLUE}ww.{BREAK}ab3.{BREAK}go.{GLUE}th");
        assert_eq!(
            wrap_latin(&text),
            format!("{BREAK}#box[w{GLUE}ww.];{BREAK}#box[ab3.];{BREAK}#box[go.{GLUE}th];{GLUE}")
        );
        assert_eq!(
            wrap_latin("คำ Internationalization ยาว"),
            "คำ #box[Internationalization]; ยาว"
        );
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

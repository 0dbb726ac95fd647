//! What one report may ask of the layout: text the page can hold. A word with no place to break
//! (10,000 Latin letters) is laid out letter by letter over thousands of lines in a narrow cell;
//! in each of the 87 text fields it took typst past 15 GB. Here such a run is refused at its
//! field before any layout, and so is text far beyond what a report holds.

use super::Checker;
use crate::diag::{Code, Diagnostic, Location};
use crate::msg;

/// The width of the page's text in ems of the tables' 10 pt type: A4's 21 cm less the 3 cm and
/// 2 cm margins is 16 cm, 453.5 pt. No cell is wider, so no cell holds a wider unbroken run.
const TEXT_WIDTH_EM: f32 = 45.35;

/// Most characters of text in one report's files: about ten times the bundled report's
/// (about 20,000), which lays out in about 30 pages.
pub const MAX_TEXT_CHARS: usize = 250_000;

/// Each value's runs without a place to break, refused where one is wider than the page's text;
/// and the year's text in all, refused beyond [`MAX_TEXT_CHARS`] at its longest values.
pub(super) fn check_runs(c: &mut Checker) {
    let mut lengths: Vec<(usize, usize, String, usize)> = Vec::new();
    for file in c.files.all() {
        let sources = c.sources;
        let index = super::index_of(&mut c.indexes, sources, file);
        let text = sources.text(file);
        for scalar in index.scalars() {
            lengths.push((
                scalar.value.chars().count(),
                file,
                scalar.path.clone(),
                scalar.range.start,
            ));
            let Some((run, chars, width)) = widest_run(&scalar.value) else {
                continue;
            };
            let span = &text[scalar.range.clone()];
            let at = span
                .find(run)
                .map_or(scalar.range.start, |o| scalar.range.start + o);
            let cm = width * 10.0 * 2.54 / 72.0;
            let cm = format!("{cm:.0}");
            let diag = Diagnostic::error(Code::BudgetUnbreakable, msg!(
                "มีข้อความ {chars} ตัวอักษรที่ไม่มีช่องว่างหรือจุดตัดบรรทัด กว้างอย่างน้อย {cm} ซม. เกินความกว้างของหน้า (16 ซม.) จึงไม่มีช่องใดในรายงานรับได้",
                "a run of {chars} characters with no space or other place to break is at least {cm} cm wide, wider than the page's text (16 cm), so no cell of the report can hold it"
            ))
            .at(Some(Location { file, range: at..at }))
            .field(scalar.path.clone())
            .hint(msg!(
                "เว้นวรรคระหว่างคำ หรือตัดข้อความให้สั้นลง",
                "put spaces between its words, or shorten it"
            ));
            c.diags.push(diag);
        }
    }
    let total: usize = lengths.iter().map(|l| l.0).sum();
    if total > MAX_TEXT_CHARS {
        lengths.sort_by_key(|l| std::cmp::Reverse(l.0));
        for (chars, file, path, at) in lengths.into_iter().take(3) {
            let diag = Diagnostic::error(Code::BudgetText, msg!(
                "ข้อความของรายงานยาวเกินกำหนด ({total} ตัวอักษร เกิน {MAX_TEXT_CHARS}) ช่องนี้เป็นช่องที่ยาวที่สุดช่องหนึ่ง ({chars} ตัวอักษร)",
                "the report's text is too long ({total} characters, more than {MAX_TEXT_CHARS}); this is one of its longest values ({chars} characters)"
            ))
            .at(Some(Location { file, range: at..at }))
            .field(path)
            .hint(msg!(
                "รายงานฉบับนี้ยาวกว่ารายงานตัวอย่างราวสิบเท่า ตรวจว่าไม่ได้วางข้อความซ้ำหรือข้อความอื่นลงไป",
                "that is about ten times the example report: check that no text was pasted twice or by mistake"
            ));
            c.diags.push(diag);
        }
    }
}

/// The widest run of `value` without a place to break, if it is wider than the page's text: the
/// run, its length in characters and its width in ems (at least: the embedded regular face's
/// widths, half an em for a character it lacks).
fn widest_run(value: &str) -> Option<(&str, usize, f32)> {
    let mut widest: Option<(&str, usize, f32)> = None;
    let (mut start, mut chars, mut width) = (0, 0, 0.0f32);
    let mut chars_of = value.char_indices().peekable();
    while let Some((i, c)) = chars_of.next() {
        let (breaks_before, mut breaks_after) = breaks(c);
        // A Latin word is boxed and glued to the Thai letters it touches (`marks::wrap_latin`):
        // no line breaks between them.
        let latin = crate::marks::is_latin;
        let thai = ('\u{0E00}'..='\u{0E7F}').contains(&c);
        if thai && chars_of.peek().is_some_and(|&(_, n)| latin(n)) {
            breaks_after = false;
        }
        if breaks_before {
            start = i + c.len_utf8();
            (chars, width) = (0, 0.0);
            continue;
        }
        chars += 1;
        width += crate::fonts::advance(c).unwrap_or(0.5);
        if width > TEXT_WIDTH_EM && widest.is_none_or(|w| width > w.2) {
            widest = Some((&value[start..i + c.len_utf8()], chars, width));
        }
        if breaks_after {
            start = i + c.len_utf8();
            (chars, width) = (0, 0.0);
        }
    }
    widest
}

/// Whether a line may break at `c` (it is not drawn at the end of a line: a space) or after it
/// (a hyphen, a slash); Thai, Lao, Khmer, Burmese and CJK text breaks between its words or
/// letters wherever it has no spaces. A no-break space joins.
fn breaks(c: char) -> (bool, bool) {
    match c {
        '\u{00A0}' | '\u{2007}' | '\u{202F}' | '\u{2060}' | '\u{FEFF}' => (false, false),
        '\u{200B}' => (true, false),
        c if c.is_whitespace() => (true, false),
        '-' | '/' | '\u{2010}'..='\u{2014}' | '\u{00AD}' => (false, true),
        '\u{0E00}'..='\u{0EFF}'
        | '\u{1000}'..='\u{109F}'
        | '\u{1780}'..='\u{17FF}'
        | '\u{2E80}'..='\u{9FFF}'
        | '\u{AC00}'..='\u{D7AF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF00}'..='\u{FFEF}'
        | '\u{20000}'..='\u{3FFFF}' => (false, true),
        _ => (false, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_wider_than_the_page_is_found_and_words_are_not() {
        assert!(widest_run(&"word ".repeat(1000)).is_none());
        assert!(widest_run(&"ก".repeat(5000)).is_none());
        assert!(widest_run(&"segment-of-a-long-path/".repeat(50)).is_none());
        let long = format!("see {} here", "a".repeat(200));
        let (run, chars, width) = widest_run(&long).unwrap();
        assert_eq!((run, chars), ("a".repeat(200).as_str(), 200));
        assert!(width > TEXT_WIDTH_EM);
        // About 80 letters fit: a run of 60 is left to wrap in its cell.
        assert!(widest_run(&"a".repeat(60)).is_none());
        // A no-break space joins.
        assert!(widest_run(&"abcd\u{00A0}".repeat(60)).is_some());
        // Latin letters and the Thai letters they touch are one run (proptest: "aฒ7L" 957 times
        // ran off the page in a cell of section 5); Thai words beside Latin ones still break.
        assert!(widest_run(&"aฒ7L".repeat(957)).is_some());
        assert!(widest_run(&"ITA การประเมิน ".repeat(200)).is_none());
    }
}

//! Characters a user may write: each one either prints as written or `check` names it at its YAML
//! value. The embedded fonts decide what prints (their cmaps, not a list kept by hand), since a
//! character they lack stops typst with an error at the template, far from the field.

use crate::content::locate::FieldIndex;
use crate::diag::{Code, Diagnostic, Location};
use crate::msg;

/// What is wrong with a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// A control character (written as a YAML escape such as "\u0007"): it has no glyph.
    Control,
    /// A visible character the embedded fonts have no glyph for (emoji, Chinese, Lao, ✓).
    NoGlyph,
    /// A character that is drawn as nothing and does not copy out of the PDF.
    Invisible,
}

/// The Unicode names of the characters this module reports by kind; others are named by code.
fn name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{00AD}' => "SOFT HYPHEN",
        '\u{200C}' => "ZERO WIDTH NON-JOINER",
        '\u{200D}' => "ZERO WIDTH JOINER",
        '\u{2060}' => "WORD JOINER",
        '\u{FEFF}' => "ZERO WIDTH NO-BREAK SPACE (byte order mark)",
        '\u{0000}' => "NULL",
        '\u{0007}' => "BELL",
        '\u{0008}' => "BACKSPACE",
        '\u{000B}' => "LINE TABULATION",
        '\u{000C}' => "FORM FEED",
        '\u{001B}' => "ESCAPE",
        '\u{007F}' => "DELETE",
        '\u{FFFD}' => "REPLACEMENT CHARACTER",
        _ => return None,
    })
}

/// What, if anything, keeps `c` from printing as written.
pub fn problem(c: char, fonts: &crate::fonts::Coverage) -> Option<Problem> {
    match c {
        // Escaped into Typst line breaks and spaces.
        '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' => None,
        // Bidi controls and marks steer the order of the field's own text (they are closed at its
        // end); the zero-width space is the word-break mark oit025 itself writes.
        '\u{200B}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}' => None,
        '\u{00AD}' | '\u{200C}' | '\u{200D}' | '\u{2060}' => Some(Problem::Invisible),
        c if c.is_control() => Some(Problem::Control),
        // Format characters that steer nothing the report needs (a byte order mark, invisible
        // operators, interlinear annotation, tags): never printed, whatever a project font maps.
        '\u{FEFF}'
        | '\u{061C}'
        | '\u{180E}'
        | '\u{2061}'..='\u{2064}'
        | '\u{206A}'..='\u{206F}'
        | '\u{FFF9}'..='\u{FFFB}'
        | '\u{E0000}'..='\u{E007F}' => Some(Problem::Control),
        c if fonts.prints(c) => None,
        _ => Some(Problem::NoGlyph),
    }
}

/// One diagnostic for each distinct character of each value of a file that does not print as
/// written: an error where typst would stop, a warning for an invisible one.
pub fn check(
    text: &str,
    file: usize,
    index: &FieldIndex,
    fonts: &crate::fonts::Coverage,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for scalar in index.scalars() {
        let mut seen = Vec::new();
        for c in scalar.value.chars() {
            let Some(problem) = problem(c, fonts) else {
                continue;
            };
            if seen.contains(&c) {
                continue;
            }
            seen.push(c);
            // Written as itself it is found in the value's text; written as an escape ("\u0007"),
            // the value's start is named.
            let span = &text[scalar.range.clone()];
            let at = span
                .find(c)
                .map_or(scalar.range.start..scalar.range.start, |o| {
                    let o = scalar.range.start + o;
                    o..o + c.len_utf8()
                });
            let code = format!("U+{:04X}", c as u32);
            let called = match name(c) {
                Some(n) => format!("{code} {n}"),
                None if problem == Problem::NoGlyph => format!("{code} \"{c}\""),
                None => code,
            };
            let (diag, hint) = match problem {
                Problem::Control => (
                    Diagnostic::error(
                        Code::CharacterControl,
                        msg!(
                            "อักขระควบคุม {called} พิมพ์ไม่ได้",
                            "the control character {called} cannot be printed"
                        ),
                    ),
                    msg!("ลบอักขระนี้ออก", "remove it"),
                ),
                Problem::NoGlyph => (
                    Diagnostic::error(
                        Code::CharacterNoGlyph,
                        msg!(
                            "อักขระ {called} พิมพ์ไม่ได้: ฟอนต์ของรายงานไม่มีอักขระนี้",
                            "the character {called} cannot be printed: the report's fonts have no glyph for it"
                        ),
                    ),
                    if fonts.has_unusable_fonts() {
                        msg!(
                            "ลบออก เขียนเป็นคำแทน หรือแก้ไฟล์ฟอนต์ในโฟลเดอร์ fonts/ ที่ถูกข้ามหรือใช้ไม่ได้ (ดูคำเตือนของไฟล์นั้น)",
                            "remove it, write it in words, or fix the font in fonts/ that was skipped or refused (see its message)"
                        )
                    } else {
                        msg!(
                            "ลบออก เขียนเป็นคำแทน หรือวางไฟล์ฟอนต์ TrueType ที่มีอักขระนี้ (.ttf) ในโฟลเดอร์ fonts/ ของโครงการ (ฟอนต์ที่ฝังมาพิมพ์อักษรไทยและละตินได้)",
                            "remove it, write it in words, or put a TrueType font that has it (.ttf) in the project's fonts/ folder (the built-in fonts print Thai and Latin letters)"
                        )
                    },
                ),
                Problem::Invisible => (
                    Diagnostic::warning(
                        Code::CharacterInvisible,
                        msg!(
                            "อักขระที่มองไม่เห็น {called} ไม่ปรากฏใน PDF และไม่ติดไปเมื่อคัดลอกข้อความ",
                            "the invisible character {called} is not printed and does not copy out of the PDF"
                        ),
                    ),
                    msg!(
                        "ลบออก เว้นแต่ตั้งใจใส่ไว้",
                        "remove it unless you put it there on purpose"
                    ),
                ),
            };
            out.push(
                diag.at(Some(Location { file, range: at }))
                    .field(scalar.path.clone())
                    .hint(hint),
            );
        }
    }
    out
}

/// A Thai combining mark: a vowel above or below, a tone mark or another sign over a letter.
fn combining(c: char) -> bool {
    matches!(c, '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}')
}

/// Slips of Thai typing that look right and are other text (they do not search, sort or copy
/// as the word): `เเ` for `แ`, `ํา` for `ำ`, a mark typed twice, a space before a mark. Each is
/// the byte range in `text` and the text it should be.
pub fn thai_typing_slips(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut k = 0;
    while k + 1 < chars.len() {
        let ((at, a), (_, b)) = (chars[k], chars[k + 1]);
        let end = at + a.len_utf8() + b.len_utf8();
        let fix = match (a, b) {
            ('\u{0E40}', '\u{0E40}') => Some("\u{0E41}".to_string()),
            ('\u{0E4D}', '\u{0E32}') => Some("\u{0E33}".to_string()),
            (x, y) if x == y && combining(x) => Some(x.to_string()),
            (' ', y) if combining(y) => Some(y.to_string()),
            _ => None,
        };
        match fix {
            Some(fix) => {
                out.push((at..end, fix));
                k += 2;
            }
            None => k += 1,
        }
    }
    out
}

/// One located warning for each slip of Thai typing in a file's values ([`thai_typing_slips`]).
pub fn check_thai_typing(text: &str, file: usize, index: &FieldIndex) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for scalar in index.scalars() {
        let start = scalar.range.start;
        for (range, fix) in thai_typing_slips(&text[scalar.range.clone()]) {
            let typed = &text[start + range.start..start + range.end];
            let codes: Vec<String> = typed
                .chars()
                .map(|c| format!("U+{:04X}", c as u32))
                .collect();
            let codes = codes.join(" + ");
            out.push(
                Diagnostic::warning(
                    Code::TextThaiTyping,
                    msg!(
                        "พิมพ์ \"{typed}\" ({codes}) ซึ่งดูเหมือนแต่ไม่ใช่ตัวอักษรเดียวกัน: ค้นหาและคัดลอกไม่ตรงคำ",
                        "\"{typed}\" ({codes}) is typed, which looks the same but is other text: it does not search or copy as the word"
                    ),
                )
                .at(Some(Location {
                    file,
                    range: start + range.start..start + range.end,
                }))
                .field(scalar.path.clone())
                .hint(msg!("แก้เป็น \"{fix}\"", "write \"{fix}\"")),
            );
        }
    }
    out
}

#[cfg(test)]
mod typing_tests {
    use super::thai_typing_slips;

    #[test]
    fn slips_of_thai_typing_are_found_with_their_fix() {
        let fixes =
            |t: &str| -> Vec<String> { thai_typing_slips(t).into_iter().map(|(_, f)| f).collect() };
        assert_eq!(fixes("เเดนดี"), ["แ"]);
        assert_eq!(fixes("ลํา"), ["ำ"]);
        assert_eq!(fixes("ดีี"), ["ี"]);
        assert_eq!(fixes("ก ่"), ["่"]);
        assert!(fixes("แดนดี ลำ ที่ สพป.แดนดี เขต ๒").is_empty());
        let (range, _) = &thai_typing_slips("ab เเ")[0];
        assert_eq!(range.clone(), 3..9);
    }
}

//! Characters a user may write: each one either prints as written or `check` names it at its YAML
//! value. The embedded fonts decide what prints (their cmaps, not a list kept by hand), since a
//! character they lack stops typst with an error at the template, far from the field.

use crate::content::locate::FieldIndex;
use crate::content::typing::{SlipKind, slips};
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
    /// A character a project font draws with a glyph whose name the PDF's text layer reads as no
    /// character: it could not copy out, and the build would fail.
    NoText,
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
        c if fonts.glyph_without_text(c).is_some() => Some(Problem::NoText),
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
                None if matches!(problem, Problem::NoGlyph | Problem::NoText) => {
                    format!("{code} \"{c}\"")
                }
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
                Problem::NoText => {
                    let (file, glyph) = fonts.glyph_without_text(c).unwrap_or_default();
                    (
                        Diagnostic::error(
                            Code::CharacterNoText,
                            msg!(
                                "อักขระ {called} พิมพ์ด้วยฟอนต์ {file} ในโฟลเดอร์ fonts/ ได้ แต่ glyph ของอักขระนี้ชื่อ \"{glyph}\" ซึ่งชั้นข้อความของ PDF อ่านเป็นอักษรไม่ได้ จึงคัดลอกออกจาก PDF ไม่ได้",
                                "the character {called} is drawn by the font {file} in fonts/ with a glyph named \"{glyph}\", which the PDF's text layer reads as no character: it could not be copied out of the PDF"
                            ),
                        ),
                        msg!(
                            "ใช้ฟอนต์อื่นที่มีอักขระนี้ หรือฟอนต์ที่ตั้งชื่อ glyph ตาม Adobe Glyph List (เช่น uni0E84) เช่น ฟอนต์ Noto จาก Google Fonts",
                            "use another font that has it, one whose glyph names follow the Adobe Glyph List (such as uni0E84), like a Noto font from Google Fonts"
                        ),
                    )
                }
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

/// What a slip of typing is, in words, for its warning.
fn slip_words(kind: SlipKind, typed: &str, codes: &str) -> crate::diag::Message {
    match kind {
        SlipKind::Script => msg!(
            "\"{typed}\" ({codes}) เป็นอักษรของภาษาอื่นที่อยู่ในคำ: ดูเหมือนแต่ไม่ใช่ตัวอักษรเดียวกัน ค้นหาและคัดลอกไม่ตรงคำ",
            "\"{typed}\" ({codes}) is a letter of another script inside a word: it looks alike and is other text, which does not search or copy as the word"
        ),
        SlipKind::Order => msg!(
            "พิมพ์สระและวรรณยุกต์ \"{typed}\" ({codes}) สลับลำดับ: ดูเหมือนแต่ไม่ใช่ข้อความเดียวกัน ค้นหาและคัดลอกไม่ตรงคำ",
            "the marks \"{typed}\" ({codes}) are typed in another order than Thai is stored in: it looks the same and is other text, which does not search or copy as the word"
        ),
        _ => msg!(
            "พิมพ์ \"{typed}\" ({codes}) ซึ่งดูเหมือนแต่ไม่ใช่ตัวอักษรเดียวกัน: ค้นหาและคัดลอกไม่ตรงคำ",
            "\"{typed}\" ({codes}) is typed, which looks the same but is other text: it does not search or copy as the word"
        ),
    }
}

/// One located warning for each slip of Thai typing in a file's values
/// ([`crate::content::typing::slips`]). A letter of another script the fonts cannot print is already an error ([`check`]), not also
/// a slip.
pub fn check_thai_typing(
    text: &str,
    file: usize,
    index: &FieldIndex,
    fonts: &crate::fonts::Coverage,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for scalar in index.scalars() {
        let start = scalar.range.start;
        for slip in slips(&text[scalar.range.clone()]) {
            let range = start + slip.range.start..start + slip.range.end;
            let typed = &text[range.clone()];
            if typed.chars().any(|c| problem(c, fonts).is_some()) {
                continue;
            }
            let codes: Vec<String> = typed
                .chars()
                .map(|c| format!("U+{:04X}", c as u32))
                .collect();
            let codes = codes.join(" + ");
            let hint = match &slip.fix {
                Some(fix) => msg!("แก้เป็น \"{fix}\"", "write \"{fix}\""),
                None => msg!(
                    "ลบแล้วพิมพ์ตัวอักษรนี้ใหม่ด้วยแป้นพิมพ์ของภาษานั้น",
                    "delete it and type the letter again on the keyboard of the word's language"
                ),
            };
            out.push(
                Diagnostic::warning(Code::TextThaiTyping, slip_words(slip.kind, typed, &codes))
                    .at(Some(Location { file, range }))
                    .field(scalar.path.clone())
                    .hint(hint),
            );
        }
    }
    out
}

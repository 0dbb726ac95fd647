//! Checks of spelling: every character of every value prints and is typed as Thai is stored,
//! and the agency's name and abbreviation are given (how its names are spelled in the texts is
//! [`super::names`]'s).

use super::{Checker, Year};
use crate::diag::{Code, Diagnostics};
use crate::msg;

/// Every character of every value prints as written, or is named here at its field.
pub(super) fn check_characters(c: &mut Checker) {
    for file in c.files.all() {
        let sources = c.sources;
        let index = super::index_of(&mut c.indexes, sources, file);
        let found = super::chars::check(sources.text(file), file, index, c.fonts);
        c.diags.extend(Diagnostics(found));
        let slips = super::chars::check_thai_typing(sources.text(file), file, index, c.fonts);
        c.diags.extend(Diagnostics(slips));
    }
}

/// The longest name the PDF prints as one (the cover's title, the document's metadata): the
/// longest Thai agency names are under 100 characters.
const MAX_NAME_CHARS: usize = 250;

/// Whether a text holds nothing that prints: spaces and invisible characters only (a name made of
/// U+200B is as empty as a blank one).
pub(super) fn blank(text: &str) -> bool {
    text.chars().all(|c| {
        c.is_whitespace()
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    })
}

/// The agency's name, abbreviation, head and group are written, with something that prints, and
/// not longer than the PDF prints as a name.
pub(super) fn check_names_given(c: &mut Checker, y: &Year) {
    let a = &y.agency.agency;
    for (field, value) in [
        ("agency.name", &a.name),
        ("agency.abbreviation", &a.abbreviation),
        ("agency.head", &a.head),
        ("agency.group", &a.group),
    ] {
        let length = value.chars().count();
        if blank(value) {
            c.error(
                Code::TextEmpty,
                c.files.agency,
                field,
                msg!(
                    "ช่องนี้ว่างอยู่ (หรือมีแต่อักขระที่มองไม่เห็น)",
                    "this is empty (or holds only invisible characters)"
                ),
            );
        } else if length > MAX_NAME_CHARS {
            c.error(
                Code::TextTooLong,
                c.files.agency,
                field,
                msg!(
                    "ยาวเกินไป: {length} ตัวอักษร (ชื่อยาวได้ไม่เกิน {MAX_NAME_CHARS} ตัวอักษร)",
                    "too long: {length} characters (a name has at most {MAX_NAME_CHARS})"
                ),
            );
        }
    }
}

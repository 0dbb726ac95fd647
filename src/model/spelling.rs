//! Checks of spelling: every character of every value prints and is typed as Thai is stored,
//! and the agency's name and abbreviation are given (how its names are spelled in the texts is
//! [`super::names`]'s).

use super::{Checker, Year};
use crate::diag::{Code, Diagnostics};
use crate::msg;

/// Every character of every value prints as written, or is named here at its field.
pub(super) fn check_characters(
    texts: &[super::FileText],
    fonts: &crate::fonts::Coverage,
) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for t in texts {
        diags.extend(Diagnostics(super::chars::check(
            &t.text, t.file, &t.index, fonts,
        )));
        let slips = super::chars::check_thai_typing(&t.text, t.file, &t.index, fonts);
        diags.extend(Diagnostics(slips));
    }
    diags
}

/// The longest name the PDF prints as one (the cover's title, the document's metadata, the
/// closing block and the rows of the score table, none of which splits over a page): the longest
/// Thai agency names are under 100 characters.
const MAX_NAME_CHARS: usize = 250;

/// The longest rating-level name: its 3 cm column of a table whose rows never split holds about
/// 750 characters on one page; NACC's names are one or two letters (AA, A, B, ...).
const MAX_LEVEL_CHARS: usize = 100;

/// Whether a text holds nothing that prints: spaces and invisible characters only (a name made of
/// U+200B is as empty as a blank one).
pub(super) fn blank(text: &str) -> bool {
    text.chars().all(|c| {
        c.is_whitespace()
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    })
}

/// The agency's name, abbreviation, head and group are written, with something that prints; they
/// and every other name the PDF prints where the text cannot split over a page (units, glossary
/// terms, indicator and rating-level names) are no longer than such a place holds. Longer prose
/// splits over pages and is bounded by the year's whole text (`budget`); whatever still runs off a
/// page is refused after layout (`pdf::layout`), so no PDF ever loses text.
pub(super) fn check_names_given(c: &mut Checker, y: &Year) {
    let a = &y.agency.agency;
    for (field, value) in [
        ("agency.name", &a.name),
        ("agency.abbreviation", &a.abbreviation),
        ("agency.head", &a.head),
        ("agency.group", &a.group),
    ] {
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
        }
    }
    let mut names: Vec<(usize, String, &str, usize)> = Vec::new();
    let f = c.files.agency;
    names.push((f, "agency.name".into(), &a.name, MAX_NAME_CHARS));
    names.push((
        f,
        "agency.abbreviation".into(),
        &a.abbreviation,
        MAX_NAME_CHARS,
    ));
    names.push((f, "agency.head".into(), &a.head, MAX_NAME_CHARS));
    names.push((f, "agency.group".into(), &a.group, MAX_NAME_CHARS));
    for (k, term) in a.glossary.iter().enumerate() {
        names.push((f, format!("agency.glossary[{k}]"), term, MAX_NAME_CHARS));
    }
    for (k, term) in a.other_abbreviations.iter().enumerate() {
        let path = format!("agency.other_abbreviations[{k}]");
        names.push((f, path, term, MAX_NAME_CHARS));
    }
    for (k, u) in y.agency.units.iter().enumerate() {
        names.push((f, format!("units[{k}].code"), &u.code, MAX_NAME_CHARS));
        if let Some(name) = &u.name {
            names.push((f, format!("units[{k}].name"), name, MAX_NAME_CHARS));
        }
    }
    let f = c.files.assessment;
    for (k, l) in y.assessment.rating_levels.iter().enumerate() {
        let path = format!("rating_levels[{k}].name");
        names.push((f, path, &l.name, MAX_LEVEL_CHARS));
    }
    for (k, i) in y.assessment.indicators.iter().enumerate() {
        names.push((f, format!("indicators[{k}].name"), &i.name, MAX_NAME_CHARS));
    }
    for (file, path, value, max) in names {
        let length = value.chars().count();
        if length > max {
            c.error(
                Code::TextTooLong,
                file,
                path,
                msg!(
                    "ยาวเกินไป: {length} ตัวอักษร (ชื่อนี้ยาวได้ไม่เกิน {max} ตัวอักษร เพราะพิมพ์ในที่ที่แบ่งข้ามหน้าไม่ได้)",
                    "too long: {length} characters (this name has at most {max}: it is printed where text cannot split over a page)"
                ),
            );
        }
    }
}

/// Every text the report prints as an item of its own is written: a blank paragraph, item,
/// finding, unit code or glossary term prints as an empty line or an empty cell.
pub(super) fn check_texts_given(c: &mut Checker, y: &Year) {
    let a = &y.agency;
    let mut lists: Vec<(usize, String, Vec<&str>)> = vec![
        (
            c.files.agency,
            "rationale.paragraphs".into(),
            strs(&a.rationale.paragraphs),
        ),
        (
            c.files.agency,
            "rationale.items".into(),
            strs(&a.rationale.items),
        ),
        (
            c.files.agency,
            "monitoring.items".into(),
            strs(&a.monitoring.items),
        ),
        (
            c.files.agency,
            "agency.glossary".into(),
            strs(&a.agency.glossary),
        ),
        (
            c.files.agency,
            "agency.other_abbreviations".into(),
            strs(&a.agency.other_abbreviations),
        ),
    ];
    for (k, u) in a.units.iter().enumerate() {
        let names = [Some(u.code.as_str()), u.name.as_deref()];
        let fields = ["code", "name"];
        for (field, value) in fields.iter().zip(names) {
            if value.is_some_and(blank) {
                lists.push((c.files.agency, format!("units[{k}].{field}"), vec![""]));
            }
        }
    }
    for (k, r) in y.recommendations.recommendations.iter().enumerate() {
        let path = format!("recommendations[{k}].paragraphs");
        lists.push((c.files.recommendations, path, strs(&r.paragraphs)));
    }
    for (k, row) in y.analysis.analysis.iter().enumerate() {
        let f = c.files.analysis;
        lists.push((f, format!("analysis[{k}].summary"), strs(&row.summary)));
        lists.push((f, format!("analysis[{k}].findings"), strs(&row.findings)));
    }
    for (file, path, values) in lists {
        for (j, value) in values.into_iter().enumerate() {
            if blank(value) {
                // A unit's field is its own path; a list's item is the list's path and its index.
                let at = if path.starts_with("units[") {
                    path.clone()
                } else {
                    format!("{path}[{j}]")
                };
                c.error(
                    Code::TextEmpty,
                    file,
                    at,
                    msg!(
                        "ช่องนี้ว่างอยู่ (หรือมีแต่อักขระที่มองไม่เห็น): เขียนข้อความ หรือลบรายการนี้ออก",
                        "this is empty (or holds only invisible characters): write it, or remove the item"
                    ),
                );
            }
        }
    }
}

fn strs(list: &[String]) -> Vec<&str> {
    list.iter().map(String::as_str).collect()
}

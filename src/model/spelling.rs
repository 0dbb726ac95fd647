//! Checks of spelling: every character of every value prints, the agency's name and
//! abbreviation are given, and the abbreviation is spelled one way in every text (`สสน.` for
//! `สลน.` is a slip).

use std::collections::BTreeSet;

use super::measures::Units;
use super::{Checker, Year};
use crate::content::{AgencyFile, AnalysisFile, AssessmentFile, MeasuresFile, RecommendationsFile};
use crate::diag::{Code, Diagnostic, Diagnostics, Location};
use crate::msg;

/// Every character of every value prints as written, or is named here at its field.
pub(super) fn check_characters(c: &mut Checker) {
    for file in c.files.all() {
        let sources = c.sources;
        let index = super::index_of(&mut c.indexes, sources, file);
        let found = super::chars::check(sources.text(file), file, index, c.fonts);
        c.diags.extend(Diagnostics(found));
        let slips = super::chars::check_thai_typing(sources.text(file), file, index);
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

/// The agency's abbreviation is spelled one way in every text: a word one letter from it is an
/// error, unless it is a unit's code or another organisation's abbreviation the agency lists.
pub(super) fn check_abbreviations(c: &mut Checker, y: &Year, units: &Units) {
    let abbr = y.agency.agency.abbreviation.clone();
    let mut allowed: BTreeSet<String> = units.codes.iter().map(|u| u.to_string()).collect();
    allowed.extend(y.agency.agency.other_abbreviations.iter().cloned());
    let texts = user_texts(
        &y.agency,
        &y.assessment,
        &y.recommendations,
        &y.analysis,
        &y.measures,
    );
    for (file, path, text) in texts {
        let f = c.files;
        let file = match file {
            TextFile::Agency => f.agency,
            TextFile::Assessment => f.assessment,
            TextFile::Recommendations => f.recommendations,
            TextFile::Analysis => f.analysis,
            TextFile::Measures => f.measures,
        };
        for word in words(text).filter_map(|w| slip(w, &abbr)) {
            if !allowed.contains(word) {
                let at = c.locate(file, &path).map(|l| {
                    let from = l.range.start;
                    let o = c.sources.text(file)[from..]
                        .find(word)
                        .map_or(from, |o| from + o);
                    Location {
                        file,
                        range: o..o + word.len(),
                    }
                });
                c.diags.push(
                    Diagnostic::error(
                        Code::AbbreviationMisspelt,
                        msg!(
                            "อักษรย่อ \"{word}\" ต่างจากอักษรย่อของหน่วยงาน \"{abbr}\"",
                            "abbreviation \"{word}\" differs from the agency's \"{abbr}\""
                        ),
                    )
                    .at(at)
                    .field(path.clone())
                    .hint(msg!(
                        "ถ้าเป็นหน่วยงานอื่น ให้เพิ่มไว้ใน agency.other_abbreviations",
                        "if it names another organisation, list it in agency.other_abbreviations"
                    )),
                );
            }
        }
    }
}

enum TextFile {
    Agency,
    Assessment,
    Recommendations,
    Analysis,
    Measures,
}

/// Every free text a user wrote, with the file and field it is in.
fn user_texts<'a>(
    agency: &'a AgencyFile,
    assessment: &'a AssessmentFile,
    recommendations: &'a RecommendationsFile,
    analysis: &'a AnalysisFile,
    measures: &'a MeasuresFile,
) -> Vec<(TextFile, String, &'a str)> {
    let mut out = Vec::new();
    let list = |out: &mut Vec<_>, file: fn() -> TextFile, base: String, items: &'a [String]| {
        for (k, t) in items.iter().enumerate() {
            out.push((file(), format!("{base}[{k}]"), t.as_str()));
        }
    };
    list(
        &mut out,
        || TextFile::Agency,
        "rationale.paragraphs".into(),
        &agency.rationale.paragraphs,
    );
    list(
        &mut out,
        || TextFile::Agency,
        "rationale.items".into(),
        &agency.rationale.items,
    );
    list(
        &mut out,
        || TextFile::Agency,
        "monitoring.items".into(),
        &agency.monitoring.items,
    );
    for (k, ind) in assessment.indicators.iter().enumerate() {
        for (j, q) in ind.questions.iter().enumerate() {
            if let Some(t) = &q.text {
                out.push((
                    TextFile::Assessment,
                    format!("indicators[{k}].questions[{j}].text"),
                    t.as_str(),
                ));
            }
        }
    }
    for (k, r) in recommendations.recommendations.iter().enumerate() {
        list(
            &mut out,
            || TextFile::Recommendations,
            format!("recommendations[{k}].paragraphs"),
            &r.paragraphs,
        );
    }
    for (k, a) in analysis.analysis.iter().enumerate() {
        list(
            &mut out,
            || TextFile::Analysis,
            format!("analysis[{k}].summary"),
            &a.summary,
        );
        list(
            &mut out,
            || TextFile::Analysis,
            format!("analysis[{k}].findings"),
            &a.findings,
        );
    }
    for (k, m) in measures.measures.iter().enumerate() {
        out.push((
            TextFile::Measures,
            format!("measures[{k}].title"),
            m.title.as_str(),
        ));
        list(
            &mut out,
            || TextFile::Measures,
            format!("measures[{k}].steps"),
            &m.steps,
        );
    }
    out
}

/// The words of a text as an abbreviation may stand in it: between spaces, slashes, brackets,
/// commas and quotes, with a sentence's full stop dropped unless the word is an abbreviation's.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || "/()[],;:\"'“”‘’".contains(c))
        .filter(|w| !w.is_empty())
}

/// A slip of the abbreviation in a word: the word itself, or, for an abbreviation of six letters or
/// more, a stretch of a longer word (Thai runs words together: ของทต.หัวยทรายทองได้) that overlaps
/// no correct spelling.
fn slip<'a>(word: &'a str, abbr: &str) -> Option<&'a str> {
    if near_miss(word, abbr) {
        return Some(word);
    }
    let len = abbr.chars().count();
    let starts: Vec<usize> = word
        .char_indices()
        .map(|(i, _)| i)
        .chain([word.len()])
        .collect();
    if len < 6 || starts.len() <= len + 2 {
        return None;
    }
    // Character ranges of the correct spellings in the word.
    let exact: Vec<(usize, usize)> = word
        .match_indices(abbr)
        .map(|(at, _)| {
            let from = starts.iter().position(|&s| s == at).unwrap_or(0);
            (from, from + len)
        })
        .collect();
    let chars = starts.len() - 1;
    for from in 0..chars {
        for n in [len, len - 1, len + 1] {
            let to = from + n;
            if to > chars || exact.iter().any(|&(a, b)| from < b && a < to) {
                continue;
            }
            let stretch = &word[starts[from]..starts[to]];
            if near_miss(stretch, abbr) {
                return Some(stretch);
            }
        }
    }
    None
}

/// One letter added, dropped or changed: the shape of a typing slip. Abbreviations of fewer than
/// three letters are not checked (too many words are one letter from them).
fn near_miss(word: &str, abbr: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (word.chars().collect(), abbr.chars().collect());
    if b.len() < 3 || a == b || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    // A word that ends a sentence: "DEPA." is "DEPA".
    if a.last() == Some(&'.') && b.last() != Some(&'.') && a[..a.len() - 1] == b[..] {
        return false;
    }
    edit_distance(&a, &b) == 1
}

/// Levenshtein distance between two words.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, x) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, y) in b.iter().enumerate() {
            let next = (row[j + 1] + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(x != y));
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviation_slips_are_found() {
        let found: Vec<_> = words("ของ สสน. และ สทน./ทุกหน่วยงาน เสนอ ลธน. ป.ป.ช. (สลน.)").collect();
        assert_eq!(
            found,
            [
                "ของ",
                "สสน.",
                "และ",
                "สทน.",
                "ทุกหน่วยงาน",
                "เสนอ",
                "ลธน.",
                "ป.ป.ช.",
                "สลน."
            ]
        );
        assert!(near_miss("สสน.", "สลน."));
        assert!(near_miss("สทน.", "สลน."));
        assert!(!near_miss("ลธน.", "สลน."));
        assert!(!near_miss("สลน.", "สลน."));
        assert!(near_miss("ทต.หัวยทรายทอง", "ทต.ห้วยทรายทอง"));
        assert!(near_miss("ทต.ห้วยทรายทอ", "ทต.ห้วยทรายทอง"));
        assert!(near_miss("รพ.สต.บ้านนาา", "รพ.สต.บ้านนา"));
        assert!(near_miss("DEPAA", "DEPA"));
        assert!(!near_miss("DEPA.", "DEPA"));
        assert!(!near_miss("ab", "ac"));
        assert_eq!(
            slip("ของทต.หัวยทรายทองได้", "ทต.ห้วยทรายทอง"),
            Some("ทต.หัวยทรายทอง")
        );
        assert_eq!(slip("ของทต.ห้วยทรายทองได้", "ทต.ห้วยทรายทอง"), None);
        assert_eq!(slip("ของสสน.ได้", "สลน."), None);
    }
}

//! What the columns of the tables of prose (sections 5 and 6) need, for the template to size
//! them by their content (issue 33): the widest piece of each column's text that a line cannot
//! break, such as a unit's code ("ศต.สพป.แดนดี เขต ๒"), a date or a glued number and its
//! classifier. A designer gives a column of long codes the width its longest code needs, taken
//! from the columns of prose beside it; with fixed shares the code was broken inside itself in a
//! 65 pt column that the code needed 84 pt of.
//!
//! The pieces are the ones the layout will see: each text is escaped as the template escapes it
//! (URLs get their break marks there) and marked by [`crate::words`] with the report's glossary,
//! and a piece runs between two break marks or spaces a line may break at. Each is measured from
//! the embedded regular face's advances ([`crate::fonts::advance`]), once, in Rust: measuring
//! cells with typst's `measure` made a build 2.5 times as long. `fit-columns` in style.typ turns
//! the needs into column widths with the page's width.
//!
//! [`Lines`] gives the natural width of each line of a measure's cells, for the template to
//! decide the keep-lines rule of a row before layout (`judged-row` in style.typ): a row with a
//! cell surely three lines long needs no cell of it laid out twice (the rule's `measure` of
//! each cell was a quarter of a report's CPU time, BENCHMARKS.md).

use serde::Serialize;

use super::escape::escape_typst;
use super::thai::{Digits, budget, date_range};
use crate::derive::Figures;
use crate::marks::{BREAK, GLUE};
use crate::model::{Measure, Period, Report};
use crate::words::{Glossary, WordMemo};

/// The size of a table's text, style.typ's `show table: set text(size: 10pt)`.
const TABLE_TEXT_PT: f32 = 10.0;

/// Ems a list marker and its gap take before an item's text: the bullet of a list of findings
/// (body-indent 0.4 em) and the 0.9 em box of a list of units (report.typ's `units`).
const LIST_INDENT_EM: f32 = 0.9;

/// The width in points of the widest unbreakable piece of each column's text, without the
/// cells' inset: what the template's `need` reads. Zero for a column with no text.
#[derive(Debug, Default, Serialize, PartialEq)]
pub struct Needs {
    /// Section 5: the questions, the note on them and the indicator's summary.
    pub questions: f32,
    /// Section 5: the findings.
    pub findings: f32,
    /// Sections 5 and 6: the measures' titles.
    pub title: f32,
    /// Sections 5 and 6: the measures' steps.
    pub steps: f32,
    /// Sections 5 and 6: the measures' periods, as printed.
    pub period: f32,
    /// Section 5: the coordinating unit.
    pub coordinator: f32,
    /// Section 6: the budgets, as printed.
    pub budget: f32,
    /// Section 6: the targets.
    pub target: f32,
    /// Section 6: the responsible units.
    pub units: f32,
}

/// What each column of sections 5 and 6 needs, for `report` with `glossary`; `words` keeps the
/// segmented pieces for the marking of the whole source after.
pub fn needs(
    report: &Report,
    figures: &Figures,
    digits: Digits,
    glossary: &Glossary,
    words: &WordMemo,
) -> Needs {
    let widest = |texts: &mut dyn Iterator<Item = &str>| {
        texts
            .map(|t| widest_piece(t, glossary, words))
            .fold(0.0f32, f32::max)
    };
    let listed = |n: usize| if n > 1 { LIST_INDENT_EM } else { 0.0 };
    let ms = &report.measures;
    let mut questions = report
        .indicators
        .iter()
        .zip(&figures.indicators)
        .flat_map(|(ind, fig)| {
            let asked = (fig.selected.iter()).flat_map(|&q| {
                let q = &ind.questions[q];
                [q.code.as_str(), q.text.as_deref().unwrap_or("")]
            });
            let noted = fig.lowest_taken.then_some(report.preparer.code.as_str());
            asked
                .chain(noted)
                .chain(ind.summary.iter().map(String::as_str))
        });
    let findings = (report.indicators.iter())
        .flat_map(|ind| {
            let indent = listed(ind.findings.len());
            (ind.findings.iter()).map(move |f| indent + widest_piece(f, glossary, words))
        })
        .fold(0.0f32, f32::max);
    let units = ms
        .iter()
        .flat_map(|m| {
            let indent = listed(m.units.len());
            (m.units.iter()).map(move |u| indent + widest_piece(u, glossary, words))
        })
        .fold(0.0f32, f32::max);
    let budgets: Vec<String> = (ms.iter())
        .filter_map(|m| m.budget.as_ref().map(|b| budget(b, digits)))
        .collect();
    let periods: Vec<String> = ms.iter().map(|m| period(&m.period, digits)).collect();
    let pt = |em: f32| (em * TABLE_TEXT_PT * 100.0).ceil() / 100.0;
    Needs {
        questions: pt(widest(&mut questions)),
        findings: pt(findings),
        title: pt(widest(&mut ms.iter().map(|m| m.title.as_str()))),
        steps: pt(widest(&mut ms.iter().flat_map(steps))),
        period: pt(widest(&mut periods.iter().map(String::as_str))),
        coordinator: pt(widest(&mut ms.iter().map(|m| m.coordinator.as_str()))),
        budget: pt(widest(&mut budgets.iter().map(String::as_str))),
        target: pt(widest(&mut ms.iter().filter_map(|m| m.target.as_deref()))),
        units: pt(units),
    }
}

/// The natural width in points of each line of a measure's cells, as set in one line each
/// (the text's advances, no break): what the template's `judged-row` divides by a column's width
/// for a lower bound of the lines a cell takes, to decide the keep-lines rule of a row before
/// layout (style.typ). Each forced line of a cell (a step, a unit) is its own entry.
#[derive(Debug, Default, Serialize, Clone, PartialEq)]
pub struct Lines {
    pub title: Vec<f32>,
    pub steps: Vec<f32>,
    pub period: Vec<f32>,
    pub coordinator: Vec<f32>,
    pub budget: Vec<f32>,
    pub target: Vec<f32>,
    pub units: Vec<f32>,
}

impl Lines {
    /// The lines of measure number `number`'s cells as the template prints them.
    pub fn of(number: &str, m: &Measure, digits: Digits) -> Self {
        let widths = |texts: &mut dyn Iterator<Item = &str>| texts.map(natural_width).collect();
        Lines {
            title: vec![natural_width(&format!("มาตรการที่ {number} {}", m.title))],
            steps: widths(&mut steps(m)),
            period: vec![natural_width(&period(&m.period, digits))],
            coordinator: vec![natural_width(&m.coordinator)],
            budget: (m.budget.iter())
                .map(|b| natural_width(&budget(b, digits)))
                .collect(),
            target: widths(&mut m.target.iter().map(String::as_str)),
            units: widths(&mut m.units.iter().map(String::as_str)),
        }
    }
}

/// The width in points of `text` set in one line at the tables' size, in the embedded face.
fn natural_width(text: &str) -> f32 {
    text.chars().map(advance).sum::<f32>() * TABLE_TEXT_PT
}

fn steps(m: &Measure) -> impl Iterator<Item = &str> {
    m.steps.iter().map(String::as_str)
}

/// A period as the template's `period` filter prints it.
fn period(p: &Period, digits: Digits) -> String {
    match p.written() {
        Some(written) => written.to_string(),
        None => date_range(p.start(), p.end(), digits),
    }
}

/// The width in ems of the widest piece of `text` that a line cannot break, as the template
/// prints it in a table.
pub fn widest_piece(text: &str, glossary: &Glossary, words: &WordMemo) -> f32 {
    let marked = words.mark_text(&escape_typst(text), glossary);
    let mut chars = marked.chars().peekable();
    let (mut widest, mut width) = (0.0f32, 0.0f32);
    while let Some(c) = chars.next() {
        match c {
            // Typst's line break (a new line in the YAML) ends a piece; a backslash that
            // escapes a character prints that character.
            '\\' if chars.next_if_eq(&' ').is_some() => width = 0.0,
            BREAK => width = 0.0,
            ' ' if chars.peek() != Some(&GLUE) => width = 0.0,
            c => {
                let shown = if c == '\\' { chars.next() } else { Some(c) };
                width += shown.map_or(0.0, advance);
                widest = widest.max(width);
                // typst breaks after a slash or a dash (Unicode's line breaking rules) where
                // no glue mark follows it ("ข้อคิดเห็น/ข้อเสนอแนะ", but not "e-Service").
                if shown.is_some_and(|c| matches!(c, '/' | '-' | '–' | '—'))
                    && chars.peek() != Some(&GLUE)
                {
                    width = 0.0;
                }
            }
        }
    }
    widest
}

/// How far `c` advances the pen, in ems: the embedded regular face's advance, half an em for a
/// letter it lacks (another script's, drawn by a project font), nothing for a mark or a control.
fn advance(c: char) -> f32 {
    crate::fonts::advance(c).unwrap_or_else(|| {
        if crate::marks::is_alphanumeric(c) {
            0.5
        } else {
            0.0
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_in_the_glossary_is_one_piece_and_words_are_several() {
        let glossary = Glossary::new(["ศต.สพป.แดนดี เขต ๒"]);
        let words = WordMemo::default();
        let code = widest_piece("ศต.สพป.แดนดี เขต ๒", &glossary, &words);
        let alone = widest_piece("ศต.สพป.แดนดี", &Glossary::default(), &words);
        // The whole code, its two spaces included, is wider than its first part.
        assert!(code > alone + 1.0, "{code} {alone}");
        // A sentence of short words needs no more than its longest word.
        let sentence = widest_piece("ทบทวนคู่มือการให้บริการและขั้นตอน", &glossary, &words);
        assert!(sentence < code * 0.7, "{sentence} {code}");
    }

    #[test]
    fn a_url_breaks_after_its_punctuation_and_a_line_break_ends_a_piece() {
        let none = Glossary::default();
        let words = WordMemo::default();
        let url = widest_piece("https://www.example.go.th/ita/oit/2570", &none, &words);
        let host = widest_piece("example.", &none, &words);
        assert!(url <= host + 0.01, "{url} {host}");
        let two = widest_piece("abcdefgh\nabcdefgh", &none, &words);
        let one = widest_piece("abcdefgh", &none, &words);
        assert!((two - one).abs() < 1e-4, "{two} {one}");
    }

    #[test]
    fn a_measure_s_lines_are_measured_one_by_one() {
        let date = |m| chrono::NaiveDate::from_ymd_opt(2026, m, 1).unwrap();
        let m = Measure {
            id: "m1".into(),
            title: "ทบทวนคู่มือ".into(),
            steps: vec!["ก".into(), "กก".into(), "กกก".into()],
            period: Period::new(date(1), date(3)).unwrap(),
            units: vec!["ศต.".into()],
            coordinator: "ศต.".into(),
            budget: None,
            target: None,
        };
        let lines = Lines::of("๑", &m, Digits::Thai);
        let one = natural_width("ก");
        assert!(one > 1.0, "{one}");
        assert_eq!(lines.steps.len(), 3);
        for (k, w) in lines.steps.iter().enumerate() {
            assert!((w - one * (k + 1) as f32).abs() < 1e-3, "{w} {one}");
        }
        // A tone mark takes no width; the title carries its prefix.
        assert!((natural_width("ก่") - one).abs() < 1e-4);
        assert!(lines.title[0] > natural_width("ทบทวนคู่มือ") + 3.0 * one);
        assert_eq!(lines.units, lines.coordinator);
        assert!(lines.budget.is_empty() && lines.target.is_empty());
        assert_eq!(lines.period.len(), 1);
    }
}

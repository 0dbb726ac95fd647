//! The views: the checked report and its derived figures as the data the templates read, and the
//! rendering of a template with them.

use chrono::Datelike;
use minijinja::Environment;
use serde::Serialize;

use super::MAIN_TEMPLATE;
use super::env::template_error;
use super::thai::{Digits, budget, to_digits};
use crate::content::{Agency, RatingLevel, Rationale, Unit};
use crate::derive::{Extreme, Figures, Trend};
use crate::diag::Diagnostics;
use crate::model::{Measure, Period, QuestionScores, Report};
use crate::words::WordMemo;

#[derive(Serialize)]
struct View<'a> {
    thai_digits: bool,
    /// Fonts of the project's own that the web pages load after Sarabun (`fonts/project-N.ttf`),
    /// named by the site, never by the user.
    site_fonts: Vec<String>,
    date: DateView,
    /// The year's source files, attached to the PDF.
    attachments: Vec<Attachment>,
    fiscal_year: i32,
    assessed_year: i32,
    previous_year: i32,
    agency: &'a Agency,
    preparer: &'a Unit,
    rationale: &'a Rationale,
    monitoring: &'a crate::content::Monitoring,
    threshold: f64,
    levels: &'a [RatingLevel],
    criteria_reference: &'a Option<String>,
    participants: u32,
    group_participants: u32,
    rank: u32,
    instruments: Vec<InstrumentView>,
    indicators: Vec<IndicatorView<'a>>,
    ita: ItaView,
    rating: &'a str,
    recommendations: Vec<RecommendationView<'a>>,
    measures: Vec<MeasureView<'a>>,
    /// Whether section 6 has a budget column, a target column.
    has_budget: bool,
    has_target: bool,
    /// What each column of the tables of sections 5 and 6 needs ([`super::columns`]).
    need: super::columns::Needs,
}

#[derive(Serialize)]
struct DateView {
    year: i32,
    month: u32,
    day: u32,
}

#[derive(Serialize)]
struct Attachment {
    path: String,
    description: String,
}

#[derive(Serialize)]
struct InstrumentView {
    code: &'static str,
    indicators: Vec<u8>,
    previous: f64,
    current: f64,
    trend: Trend,
}

#[derive(Serialize)]
struct ItaView {
    previous: f64,
    current: f64,
    trend: Trend,
}

#[derive(Serialize)]
struct IndicatorView<'a> {
    number: u8,
    instrument: &'static str,
    name: &'a str,
    sub_indicators: &'a [String],
    previous: f64,
    current: f64,
    trend: Trend,
    extreme: Option<Extreme>,
    questions: Vec<QuestionView<'a>>,
    lowest_taken: bool,
    lowest_at_threshold: bool,
    summary: &'a [String],
    findings: &'a [String],
    measures: Vec<MeasureView<'a>>,
}

#[derive(Serialize)]
struct QuestionView<'a> {
    code: &'a str,
    text: &'a str,
    scores: QuestionScores,
}

#[derive(Serialize)]
struct RecommendationView<'a> {
    instrument: &'static str,
    indicator_names: Vec<&'a str>,
    paragraphs: &'a [String],
}

#[derive(Serialize, Clone)]
struct MeasureView<'a> {
    number: usize,
    title: &'a str,
    steps: &'a [String],
    period: &'a Period,
    units: &'a [String],
    coordinator: &'a str,
    budget: Option<String>,
    target: Option<&'a str>,
    /// Printed in full under an earlier indicator (the number of which this is): section 5 refers
    /// to it by its number.
    shown_under: Option<u8>,
    /// The natural width of each line of its cells, for the keep-lines rule decided before layout.
    lines: super::columns::Lines,
}

fn measure_view(measures: &[Measure], k: usize, digits: Digits) -> MeasureView<'_> {
    let m = &measures[k];
    MeasureView {
        number: k + 1,
        title: &m.title,
        steps: &m.steps,
        period: &m.period,
        units: &m.units,
        coordinator: &m.coordinator,
        budget: m.budget.as_ref().map(|b| budget(b, digits)),
        target: m.target.as_deref(),
        shown_under: None,
        lines: super::columns::Lines::of(&to_digits(&(k + 1).to_string(), digits), m, digits),
    }
}

/// Each indicator's measures; with `shared: once`, a measure already printed under an earlier
/// indicator is marked to be referred to by its number.
fn indicator_measures(report: &Report, digits: Digits) -> Vec<Vec<MeasureView<'_>>> {
    let mut first: Vec<Option<u8>> = vec![None; report.measures.len()];
    report
        .indicators
        .iter()
        .map(|ind| {
            ind.measures
                .iter()
                .map(|&k| {
                    let mut v = measure_view(&report.measures, k, digits);
                    match first[k] {
                        Some(n) if report.shared == crate::content::Shared::Once => {
                            v.shown_under = Some(n)
                        }
                        Some(_) => {}
                        None => first[k] = Some(ind.number),
                    }
                    v
                })
                .collect()
        })
        .collect()
}

/// Renders the report's Typst source, its words marked afresh (a one-off build).
pub fn render(
    env: &Environment<'_>,
    report: &Report,
    figures: &Figures,
    digits: Digits,
) -> Result<String, Diagnostics> {
    render_with(env, report, figures, digits, &WordMemo::default(), &[])
}

/// Renders the report's Typst source, marking its words with what `words` kept from the builds
/// before (a rebuild under `watch`, the next report of a batch). The pieces of `content` (the
/// year's files as written) are segmented on the other core while the tables are measured and
/// the templates filled, for the marks to find them ready ([`WordMemo::warm`]).
pub fn render_with(
    env: &Environment<'_>,
    report: &Report,
    figures: &Figures,
    digits: Digits,
    words: &WordMemo,
    content: &[&str],
) -> Result<String, Diagnostics> {
    let rendered = crate::par::meanwhile(
        || {
            let glossary = glossary(report);
            let need = super::columns::needs(report, figures, digits, &glossary, words);
            let source = render_view(
                env,
                MAIN_TEMPLATE,
                report,
                figures,
                digits,
                Vec::new(),
                need,
            );
            source.map(|source| (source, glossary))
        },
        |filled| words.warm(content, filled),
    );
    let (source, glossary) = rendered?;
    Ok(words.mark_source(&source, &glossary))
}

/// The words this report's lines never break inside: the agency's abbreviations, its units'
/// codes, and its own glossary; and the full names of the agency and its units, which break
/// between their own words only where keeping one whole leaves a hole in a justified line.
pub fn glossary(report: &Report) -> crate::words::Glossary {
    let agency = &report.agency;
    crate::words::Glossary::with_names(
        std::iter::once(agency.abbreviation.as_str())
            .chain(agency.other_abbreviations.iter().map(String::as_str))
            .chain(agency.glossary.iter().map(String::as_str))
            // A code wider than its column breaks between its own words (words::break_words_at).
            .chain(
                report
                    .units
                    .iter()
                    .map(|u| u.code.as_str())
                    .filter(|c| !reads_as_name(c)),
            )
            .chain(numbered_tails(
                std::iter::once(agency.name.as_str())
                    .chain(report.units.iter().filter_map(|u| u.name.as_deref())),
            )),
        // Full names, kept whole on a line where that leaves no hole (pdf::layout opens them).
        std::iter::once(agency.name.as_str())
            .chain(report.units.iter().filter_map(|u| u.name.as_deref()))
            .chain(
                report
                    .units
                    .iter()
                    .map(|u| u.code.as_str())
                    .filter(|c| reads_as_name(c)),
            ),
    )
}

/// Whether a unit's code is its full name ("กลุ่มงานคุ้มครองผู้บริโภคและเภสัชสาธารณสุข", as a
/// project that names its units only by code writes them): Thai words, no dot, longer than an
/// abbreviation. Such a code is a name, opened between its words where keeping it whole leaves a
/// hole or a word alone on a line, not a code kept whole.
fn reads_as_name(code: &str) -> bool {
    const SHORTEST_NAME: usize = 12;
    code.chars().count() >= SHORTEST_NAME
        && !code.contains('.')
        && code
            .chars()
            .all(|c| crate::words::is_thai_letter(c) || c == ' ')
}

/// The end of each name that ends in a number, with the word before it ("การประปาส่วนภูมิภาคเขต
/// ๖", "เขต ๒"): a line never starts with the number of a name whose words end the line before
/// ("…ภูมิภาคเขต / ๖ และเผยแพร่").
fn numbered_tails<'a>(names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let number = |w: &str| {
        w.chars()
            .all(|c| c.is_ascii_digit() || ('๐'..='๙').contains(&c))
    };
    names
        .filter_map(|name| {
            let name = name.trim();
            let (head, last) = name.rsplit_once(char::is_whitespace)?;
            let before = head.trim_end().rsplit(char::is_whitespace).next()?;
            (number(last) && !before.is_empty())
                .then(|| &name[head.trim_end().len() - before.len()..])
        })
        .collect()
}

/// Renders any template (the Typst report, the HTML page) with the report's data.
pub fn render_named(
    env: &Environment<'_>,
    name: &str,
    report: &Report,
    figures: &Figures,
    digits: Digits,
) -> Result<String, Diagnostics> {
    render_page(env, name, report, figures, digits, Vec::new())
}

/// [`render_named`] for a web page that also loads `site_fonts` (file names under the site's
/// `fonts/`).
pub fn render_page(
    env: &Environment<'_>,
    name: &str,
    report: &Report,
    figures: &Figures,
    digits: Digits,
    site_fonts: Vec<String>,
) -> Result<String, Diagnostics> {
    let need = super::columns::Needs::default();
    render_view(env, name, report, figures, digits, site_fonts, need)
}

/// Renders template `name` with the report's data; `need` is what the columns of a table need
/// (only the Typst report reads it).
fn render_view(
    env: &Environment<'_>,
    name: &str,
    report: &Report,
    figures: &Figures,
    digits: Digits,
    site_fonts: Vec<String>,
    need: super::columns::Needs,
) -> Result<String, Diagnostics> {
    let view = View {
        thai_digits: digits == Digits::Thai,
        site_fonts,
        date: DateView {
            year: report.date.year(),
            month: report.date.month(),
            day: report.date.day(),
        },
        attachments: crate::content::FILES
            .iter()
            .map(|name| Attachment {
                path: format!("/content/{}/{name}", report.fiscal_year),
                description: format!(
                    "ข้อมูลต้นฉบับของรายงาน ปีงบประมาณ {} / source data of the report, fiscal year {}",
                    report.fiscal_year, report.fiscal_year
                ),
            })
            .collect(),
        fiscal_year: report.fiscal_year,
        assessed_year: report.assessed_year,
        previous_year: report.previous_year,
        agency: &report.agency,
        preparer: &report.preparer,
        rationale: &report.rationale,
        monitoring: &report.monitoring,
        threshold: report.threshold,
        levels: &report.levels,
        criteria_reference: &report.criteria_reference,
        participants: report.participants,
        group_participants: report.group_participants,
        rank: report.rank,
        instruments: figures
            .totals
            .iter()
            .map(|t| InstrumentView {
                code: t.instrument.code(),
                indicators: report
                    .indicators
                    .iter()
                    .filter(|i| i.instrument == t.instrument)
                    .map(|i| i.number)
                    .collect(),
                previous: t.previous,
                current: t.current,
                trend: t.trend,
            })
            .collect(),
        indicators: report
            .indicators
            .iter()
            .zip(&figures.indicators)
            .zip(indicator_measures(report, digits))
            .map(|((ind, fig), measures)| IndicatorView {
                number: ind.number,
                instrument: ind.instrument.code(),
                name: &ind.name,
                sub_indicators: &ind.sub_indicators,
                previous: ind.previous.get(),
                current: ind.current.get(),
                trend: fig.trend,
                extreme: fig.extreme,
                questions: fig
                    .selected
                    .iter()
                    .map(|&q| {
                        let q = &ind.questions[q];
                        QuestionView {
                            code: &q.code,
                            text: q.text.as_deref().unwrap_or(""),
                            scores: q.scores,
                        }
                    })
                    .collect(),
                lowest_taken: fig.lowest_taken,
                lowest_at_threshold: fig.lowest_at_threshold,
                summary: &ind.summary,
                findings: &ind.findings,
                measures,
            })
            .collect(),
        ita: ItaView {
            previous: figures.ita_previous,
            current: figures.ita_current,
            trend: figures.ita_trend,
        },
        rating: &figures.rating,
        recommendations: report
            .recommendations
            .iter()
            .map(|r| RecommendationView {
                instrument: r.instrument.code(),
                indicator_names: r
                    .indicators
                    .iter()
                    .filter_map(|n| {
                        report
                            .indicators
                            .iter()
                            .find(|i| i.number == *n)
                            .map(|i| i.name.as_str())
                    })
                    .collect(),
                paragraphs: &r.paragraphs,
            })
            .collect(),
        measures: (0..report.measures.len())
            .map(|k| measure_view(&report.measures, k, digits))
            .collect(),
        has_budget: report.measures.iter().any(|m| m.budget.is_some()),
        has_target: report.measures.iter().any(|m| m.target.is_some()),
        need,
    };
    env.get_template(name)
        .and_then(|t| t.render(&view))
        .map_err(|e| template_error(&e).into())
}

#[cfg(test)]
mod tests {
    use super::{numbered_tails, reads_as_name};
    use crate::marks::BREAK;
    use crate::words::{Glossary, mark_text};

    #[test]
    fn a_unit_code_that_is_its_full_name_reads_as_a_name() {
        assert!(reads_as_name("กลุ่มงานคุ้มครองผู้บริโภคและเภสัชสาธารณสุข"));
        assert!(reads_as_name("งานประชาสัมพันธ์และเทคโนโลยีสารสนเทศ"));
        for code in [
            "ศปท.",
            "กองคลัง",
            "ศต.สพป.แดนดี เขต ๒",
            "ฝบง.",
            "กปภ.ข.๖",
            "IT-Center",
        ] {
            assert!(!reads_as_name(code), "{code}");
        }
    }

    #[test]
    fn a_names_number_stays_with_the_word_before_it() {
        let names = [
            "การประปาส่วนภูมิภาคเขต ๖",
            "สำนักงานเขตพื้นที่การศึกษาแดนดี เขต 2",
            "กองคลัง",
            "ปี ๒๕๖๙ ",
        ];
        assert_eq!(
            numbered_tails(names.into_iter()),
            ["การประปาส่วนภูมิภาคเขต ๖", "เขต 2", "ปี ๒๕๖๙"]
        );
        let glossary = Glossary::new(numbered_tails(names.into_iter()));
        let text = "เสนอผู้อำนวยการการประปาส่วนภูมิภาคเขต ๖ และเผยแพร่";
        let marked = mark_text(text, &glossary);
        let at = marked.find('๖').unwrap();
        let before: Vec<char> = marked[..at].chars().rev().take(2).collect();
        assert!(!before.contains(&BREAK) && before[0] != ' ', "{marked:?}");
        assert!(
            !marked.contains(&format!("การประปาส่วน{BREAK}")),
            "{marked:?}"
        );
    }
}

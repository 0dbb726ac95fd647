//! Stage 4, render: fills the minijinja templates with the checked and derived data and produces
//! one Typst source. Every value from YAML is escaped for Typst markup, so user text prints
//! literally and can never run Typst code; undefined variables are errors.

use std::ops::Range;
use std::path::{Component, Path};

use chrono::{Datelike, NaiveDate};
use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, Output, State, UndefinedBehavior};
use serde::Serialize;

use crate::content::{Agency, RatingLevel, Rationale, Unit};
use crate::derive::{Extreme, Figures, Trend};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Measure, Period, QuestionScores, Report};
use crate::msg;

/// Default templates, carried in the binary; a file of the same name in a project's `templates/`
/// replaces one.
const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("report.typ", include_str!("../templates/report.typ")),
    ("style.typ", include_str!("../templates/style.typ")),
    ("report.html", include_str!("../templates/report.html")),
    ("index.html", include_str!("../templates/index.html")),
];

/// The template a report starts from.
pub const MAIN_TEMPLATE: &str = "report.typ";

/// Which digits generated numbers are written in.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    clap::ValueEnum,
    serde::Serialize,
    serde::Deserialize,
)]
pub enum Digits {
    /// ๐๑๒๓๔๕๖๗๘๙
    #[default]
    Thai,
    /// 0123456789
    Arabic,
}

/// Replaces ASCII digits with Thai ones when asked to.
pub fn to_digits(s: &str, digits: Digits) -> String {
    match digits {
        Digits::Arabic => s.to_string(),
        Digits::Thai => s
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(d) if c.is_ascii_digit() => char::from_u32('๐' as u32 + d).unwrap_or(c),
                _ => c,
            })
            .collect(),
    }
}

/// Escapes text for Typst markup: every character Typst could read as syntax gets a backslash,
/// and line breaks become Typst line breaks, so the text can start no list, heading or comment.
/// Bidi embeddings, overrides and isolates the text leaves open are closed at its end: an
/// unterminated U+202E would otherwise draw the template's text after the field backwards.
pub fn escape_typst(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let mut prev = '\0';
    let mut chars = s.chars().peekable();
    // The closer of each bidi control still open, innermost last.
    let mut open: Vec<char> = Vec::new();
    while let Some(c) = chars.next() {
        match c {
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
                bidi(&mut open, c);
                out.push(c);
            }
            '\\' | '#' | '$' | '*' | '_' | '`' | '<' | '>' | '@' | '[' | ']' | '~' | '\'' | '"'
            | '=' | '-' | '+' | '/' => {
                out.push('\\');
                out.push(c);
            }
            // "1." could start a numbered list and "..." becomes an ellipsis.
            '.' if prev.is_ascii_digit() || prev == '.' || chars.peek() == Some(&'.') => {
                out.push_str("\\.")
            }
            // Typst reads these as new lines too: all become an explicit line break.
            '\n' | '\u{2028}' | '\u{2029}' => out.push_str("\\ "),
            '\r' => {}
            '\t' => out.push(' '),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
        prev = c;
    }
    out.extend(open.iter().rev());
    out
}

/// Keeps the stack of open bidi controls: LRE, RLE, LRO and RLO are closed by PDF, LRI, RLI and
/// FSI by PDI, which also closes the embeddings opened inside its isolate (Unicode's UAX #9).
fn bidi(open: &mut Vec<char>, c: char) {
    const PDF: char = '\u{202C}';
    const PDI: char = '\u{2069}';
    match c {
        PDF => {
            if open.last() == Some(&PDF) {
                open.pop();
            }
        }
        PDI => {
            if let Some(i) = open.iter().rposition(|&o| o == PDI) {
                open.truncate(i);
            }
        }
        '\u{2066}'..='\u{2068}' => open.push(PDI),
        _ => open.push(PDF),
    }
}

/// A Typst string literal holding `s` exactly, for places that take a string (document metadata).
pub fn typst_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

const MONTHS_SHORT: [&str; 12] = [
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
];
const MONTHS_LONG: [&str; 12] = [
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
];

/// Buddhist-Era year of a date.
pub fn be_year(date: NaiveDate) -> i32 {
    date.year() + 543
}

/// `๑ เม.ย. ๖๙`: day, abbreviated month, two-digit Buddhist-Era year.
pub fn date_short(date: NaiveDate, digits: Digits) -> String {
    let s = format!(
        "{} {} {:02}",
        date.day(),
        MONTHS_SHORT[date.month0() as usize],
        be_year(date) % 100
    );
    to_digits(&s, digits)
}

/// `๑๒ ตุลาคม ๒๕๖๙`: day, full month, full Buddhist-Era year.
pub fn date_long(date: NaiveDate, digits: Digits) -> String {
    let s = format!(
        "{} {} {}",
        date.day(),
        MONTHS_LONG[date.month0() as usize],
        be_year(date)
    );
    to_digits(&s, digits)
}

/// `๑ เม.ย. – ๓๐ มิ.ย. ๖๙`; the start's year is written only when it differs from the end's.
pub fn date_range(start: NaiveDate, end: NaiveDate, digits: Digits) -> String {
    let start_text = if be_year(start) == be_year(end) {
        to_digits(
            &format!("{} {}", start.day(), MONTHS_SHORT[start.month0() as usize]),
            digits,
        )
    } else {
        date_short(start, digits)
    };
    format!("{start_text} – {}", date_short(end, digits))
}

/// A score with two decimals: `๙๒.๖๑`; never `-๐.๐๐`.
pub fn score(x: f64, digits: Digits) -> String {
    let x = (x * 100.0).round() / 100.0 + 0.0;
    to_digits(&format!("{x:.2}"), digits)
}

/// A budget: an amount in baht with thousands separators (`๑๕๐,๐๐๐`, `๑,๕๐๐.๕๐`), or its words.
pub fn budget(b: &crate::content::Budget, digits: Digits) -> String {
    match b {
        crate::content::Budget::Text(t) => t.clone(),
        crate::content::Budget::Amount(x) => {
            // Rounded to the satang first, so 1.999 is ๒ and not ๑.๙๙.
            let satang = (x * 100.0).round() as u64;
            let whole = count(satang / 100, digits);
            match satang % 100 {
                0 => whole,
                s => format!("{whole}.{}", to_digits(&format!("{s:02}"), digits)),
            }
        }
    }
}

/// A count with thousands separators: `๘,๓๑๗`.
pub fn count(n: u64, digits: Digits) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    to_digits(&out, digits)
}

fn parse_date(v: &Value) -> Result<NaiveDate, Error> {
    let s = v
        .as_str()
        .ok_or_else(|| Error::new(ErrorKind::InvalidOperation, "expected a date string"))?;
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("not a date: {s} ({e})"),
        )
    })
}

fn as_f64(v: &Value) -> Result<f64, Error> {
    f64::try_from(v.clone()).map_err(|_| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("expected a number, found {v}"),
        )
    })
}

/// Builds the environment: strict undefined, Typst escaping, the Thai filters, and templates from
/// the project's `templates/` before the defaults.
pub fn environment(project_templates: Option<&Path>, digits: Digits) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".typ") {
            AutoEscape::Custom("typst")
        } else if name.ends_with(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env.set_formatter(|out: &mut Output, state: &State, value: &Value| {
        if value.is_undefined() || value.is_none() {
            return Err(Error::new(
                ErrorKind::UndefinedError,
                "a missing value cannot be printed",
            ));
        }
        if state.auto_escape() != AutoEscape::Custom("typst") || value.is_safe() {
            // HTML templates get minijinja's own HTML escaping.
            return minijinja::escape_formatter(out, state, value);
        }
        let text = match value.as_str() {
            Some(s) => escape_typst(s),
            None => escape_typst(&value.to_string()),
        };
        out.write_str(&text).map_err(Error::from)
    });
    let dir = project_templates.map(Path::to_path_buf);
    env.set_loader(move |name| load_template(dir.as_deref(), name));

    env.add_filter("digits", move |v: Value| to_digits(&v.to_string(), digits));
    env.add_filter("score", move |v: Value| {
        as_f64(&v).map(|x| score(x, digits))
    });
    env.add_filter("count", move |v: Value| {
        as_f64(&v).map(|x| count(x as u64, digits))
    });
    env.add_filter("date_short", move |v: Value| {
        parse_date(&v).map(|d| date_short(d, digits))
    });
    env.add_filter("date_long", move |v: Value| {
        parse_date(&v).map(|d| date_long(d, digits))
    });
    env.add_filter("period", move |v: Value| {
        if let Ok(written) = v.get_attr("written")
            && let Some(text) = written.as_str()
        {
            return Ok(text.to_string());
        }
        let start = parse_date(&v.get_attr("start")?)?;
        let end = parse_date(&v.get_attr("end")?)?;
        Ok::<_, Error>(date_range(start, end, digits))
    });
    env.add_filter("typst_str", |v: Value| {
        Value::from_safe_string(typst_string(&v.to_string()))
    });
    env.add_filter("trend", |v: Value| match v.as_str() {
        Some("up") => "เพิ่ม",
        Some("down") => "ลด",
        _ => "เท่าเดิม",
    });
    env.add_filter("extreme", |v: Value| match v.as_str() {
        Some("highest") => "สูงสุด",
        Some("lowest") => "ต่ำสุด",
        _ => "",
    });
    env
}

/// Largest template read: the bundled ones are a few kilobytes.
const MAX_TEMPLATE_BYTES: u64 = 1024 * 1024;

/// Looks a template up in the project's folder, then among the defaults. Names never leave the folder.
fn load_template(dir: Option<&Path>, name: &str) -> Result<Option<String>, Error> {
    let safe = Path::new(name)
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    if !safe {
        return Err(Error::new(
            ErrorKind::TemplateNotFound,
            format!("template name outside templates/: {name}"),
        ));
    }
    if let Some(dir) = dir {
        let path = dir.join(name);
        // Anything by that name is the project's template, and is read only if it is a regular
        // file inside the project (`dir` is the project's `templates/`): a symlink out of the
        // project, or a `templates/` that is one, would print another file into the report.
        if path.symlink_metadata().is_ok() {
            let root = dir.parent().unwrap_or(dir);
            let fail = |m: crate::diag::Message| {
                Error::new(
                    ErrorKind::InvalidOperation,
                    format!("cannot read templates/{name}: {m}"),
                )
            };
            let bytes =
                crate::content::read_confined(root, &path, MAX_TEMPLATE_BYTES).map_err(fail)?;
            return String::from_utf8(bytes)
                .map(Some)
                .map_err(|_| fail(msg!("ไฟล์ไม่ได้เข้ารหัสเป็น UTF-8", "file is not UTF-8")));
        }
    }
    Ok(DEFAULT_TEMPLATES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| (*t).to_string()))
}

#[derive(Serialize)]
struct View<'a> {
    thai_digits: bool,
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

/// Renders the report's Typst source.
pub fn render(
    env: &Environment<'_>,
    report: &Report,
    figures: &Figures,
    digits: Digits,
) -> Result<String, Diagnostics> {
    let source = render_named(env, MAIN_TEMPLATE, report, figures, digits)?;
    Ok(crate::words::mark_source(&source, &glossary(report)))
}

/// The words this report's lines never break inside: the agency's abbreviations, its units'
/// codes, and its own glossary.
pub fn glossary(report: &Report) -> crate::words::Glossary {
    let agency = &report.agency;
    crate::words::Glossary::new(
        std::iter::once(agency.abbreviation.as_str())
            .chain(agency.other_abbreviations.iter().map(String::as_str))
            .chain(agency.glossary.iter().map(String::as_str))
            // A code wider than its column breaks between its own words (words::break_words_at).
            .chain(report.units.iter().map(|u| u.code.as_str())),
    )
}

/// Renders any template (the Typst report, the HTML page) with the report's data.
pub fn render_named(
    env: &Environment<'_>,
    name: &str,
    report: &Report,
    figures: &Figures,
    digits: Digits,
) -> Result<String, Diagnostics> {
    let view = View {
        thai_digits: digits == Digits::Thai,
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
    };
    env.get_template(name)
        .and_then(|t| t.render(&view))
        .map_err(|e| template_error(&e).into())
}

/// A minijinja error as a diagnostic naming the template file and line.
pub fn template_error(e: &Error) -> Diagnostic {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(&format!(" ({s})"));
        source = s.source();
    }
    let place = match (e.name(), e.line()) {
        (Some(name), Some(line)) => format!("templates/{name}:{line}"),
        (Some(name), None) => format!("templates/{name}"),
        _ => "templates".to_string(),
    };
    Diagnostic::error(msg!("เทมเพลตผิดพลาด: {text}", "template error: {text}")).field(place)
}

/// The text of every template a build may use, project overrides first.
pub fn template_sources(project_templates: Option<&Path>) -> Vec<(&'static str, String)> {
    DEFAULT_TEMPLATES
        .iter()
        .filter_map(|(name, _)| Some((*name, load_template(project_templates, name).ok()??)))
        .collect()
}

/// Finds the template line a line of generated Typst came from: the line whose literal text (what is
/// left after removing `{{ }}`, `{% %}` and `{# #}`) appears, in order, in the generated line.
/// Returns the template's name and the byte range of that line in it.
pub fn origin_of<'a>(
    generated_line: &str,
    templates: &'a [(&'static str, String)],
) -> Option<(&'a str, Range<usize>)> {
    // The word-break marks and no-break spaces were added after the template was filled.
    let generated = generated_line
        .replace(crate::words::BREAK, "")
        .replace('\u{A0}', " ");
    let generated_line = generated.as_str();
    let mut best: Option<(usize, &str, Range<usize>)> = None;
    for (name, text) in templates {
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let range = offset..offset + line.trim_end().len();
            offset += line.len();
            let literals = literal_parts(line);
            let weight: usize = literals.iter().map(|l| l.len()).sum();
            if weight < 4 || best.as_ref().is_some_and(|b| b.0 >= weight) {
                continue;
            }
            let mut rest = generated_line;
            let all_in_order = literals.iter().all(|l| match rest.find(l) {
                Some(i) => {
                    rest = &rest[i + l.len()..];
                    true
                }
                None => false,
            });
            if all_in_order {
                best = Some((weight, name, range));
            }
        }
    }
    best.map(|(_, name, range)| (name, range))
}

/// The pieces of a template line that are printed as written.
fn literal_parts(line: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = line.trim();
    while let Some(start) = rest
        .find('{')
        .filter(|&i| matches!(rest[i + 1..].chars().next(), Some('{' | '%' | '#')))
    {
        let close = match &rest[start + 1..start + 2] {
            "{" => "}}",
            "%" => "%}",
            _ => "#}",
        };
        parts.push(rest[..start].trim());
        rest = rest[start + 2..]
            .find(close)
            .map_or("", |e| &rest[start + 2 + e + 2..]);
    }
    parts.push(rest.trim());
    parts.retain(|p| !p.is_empty());
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn typst_lines_are_traced_to_their_template_line() {
        let templates = vec![(
            "report.typ",
            "= {{ 1 | digits }}. หลักการ\n#table(columns: {{ n }}, [x])\n".to_string(),
        )];
        let (name, range) = origin_of("#table(columns: 3, [x])", &templates).unwrap();
        assert_eq!(
            (name, &templates[0].1[range]),
            ("report.typ", "#table(columns: {{ n }}, [x])")
        );
        assert!(origin_of("something else entirely", &templates).is_none());
    }

    #[test]
    fn thai_digits() {
        assert_eq!(to_digits("92.61", Digits::Thai), "๙๒.๖๑");
        assert_eq!(to_digits("92.61", Digits::Arabic), "92.61");
        assert_eq!(to_digits("ข้อ i10 ๑", Digits::Thai), "ข้อ i๑๐ ๑");
        assert_eq!(score(100.0, Digits::Thai), "๑๐๐.๐๐");
        assert_eq!(score(86.104, Digits::Thai), "๘๖.๑๐");
        assert_eq!(count(8317, Digits::Thai), "๘,๓๑๗");
        assert_eq!(count(160, Digits::Arabic), "160");
        assert_eq!(count(1_234_567, Digits::Arabic), "1,234,567");
    }

    #[test]
    fn buddhist_era_dates() {
        assert_eq!(date_short(d(2026, 4, 1), Digits::Thai), "๑ เม.ย. ๖๙");
        assert_eq!(date_long(d(2026, 10, 12), Digits::Thai), "๑๒ ตุลาคม ๒๕๖๙");
        assert_eq!(
            date_range(d(2026, 4, 1), d(2026, 6, 30), Digits::Thai),
            "๑ เม.ย. – ๓๐ มิ.ย. ๖๙"
        );
        assert_eq!(
            date_range(d(2025, 10, 1), d(2026, 9, 30), Digits::Thai),
            "๑ ต.ค. ๖๘ – ๓๐ ก.ย. ๖๙"
        );
        assert_eq!(
            date_range(d(2025, 12, 1), d(2026, 3, 31), Digits::Arabic),
            "1 ธ.ค. 68 – 31 มี.ค. 69"
        );
        // Year 2600 BE prints as ๐๐, not as a one-digit year.
        assert_eq!(date_short(d(2057, 1, 5), Digits::Arabic), "5 ม.ค. 00");
    }

    #[test]
    fn escaping_neutralises_markup() {
        let hostile = r#"#read("/etc/passwd") $x$ *b* _i_ @ref <l> [x] \"#;
        let e = escape_typst(hostile);
        assert_eq!(
            e,
            r#"\#read(\"\/etc\/passwd\") \$x\$ \*b\* \_i\_ \@ref \<l\> \[x\] \\"#
        );
        assert_eq!(escape_typst("1. a\n- b"), r"1\. a\ \- b");
        assert_eq!(escape_typst("a...b // c"), r"a\.\.\.b \/\/ c");
        // Found by the property test: Unicode line and paragraph separators are new lines to Typst.
        assert_eq!(escape_typst("a\u{2028}b\u{2029}c"), r"a\ b\ c");
    }

    #[test]
    fn budgets_round_to_the_satang() {
        use crate::content::Budget::Amount;
        assert_eq!(budget(&Amount(150000.0), Digits::Arabic), "150,000");
        assert_eq!(budget(&Amount(1500.5), Digits::Arabic), "1,500.50");
        assert_eq!(budget(&Amount(1.999), Digits::Arabic), "2");
        assert_eq!(budget(&Amount(999.996), Digits::Thai), "๑,๐๐๐");
    }

    #[test]
    fn bidi_controls_left_open_are_closed_at_the_end_of_the_value() {
        assert_eq!(escape_typst("a\u{202E}b"), "a\u{202E}b\u{202C}");
        assert_eq!(
            escape_typst("\u{2067}a\u{202B}b"),
            "\u{2067}a\u{202B}b\u{202C}\u{2069}"
        );
        // Balanced text is left as it is, and a PDI closes the embeddings inside its isolate.
        assert_eq!(escape_typst("\u{202E}a\u{202C}"), "\u{202E}a\u{202C}");
        assert_eq!(
            escape_typst("\u{2068}\u{202E}a\u{2069}"),
            "\u{2068}\u{202E}a\u{2069}"
        );
        assert_eq!(escape_typst("a\u{202C}\u{2069}"), "a\u{202C}\u{2069}");
    }

    #[test]
    fn undefined_variables_are_errors() {
        let mut env = environment(None, Digits::Thai);
        env.add_template("t.typ", "{{ missing }}").unwrap();
        assert!(
            env.get_template("t.typ")
                .unwrap()
                .render(minijinja::context! {})
                .is_err()
        );
        env.add_template("u.typ", "{{ a.b }}").unwrap();
        assert!(
            env.get_template("u.typ")
                .unwrap()
                .render(minijinja::context! { a => minijinja::context!{} })
                .is_err()
        );
    }

    #[test]
    fn values_are_escaped_and_filters_applied() {
        let mut env = environment(None, Digits::Thai);
        env.add_template("t.typ", "{{ s }}|{{ x | score }}|{{ p | period }}")
            .unwrap();
        let out = env
            .get_template("t.typ")
            .unwrap()
            .render(minijinja::context! { s => "#x *y*", x => 92.6074, p => minijinja::context!{ start => "2025-10-01", end => "2026-09-30" } })
            .unwrap();
        assert_eq!(out, r"\#x \*y\*|๙๒.๖๑|๑ ต.ค. ๖๘ – ๓๐ ก.ย. ๖๙");
    }
}

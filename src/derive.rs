//! Stage 3, derive: every figure that can be computed is computed here, never typed into YAML:
//! instrument totals, the weighted ITA score, up/down, highest/lowest, the rating level and the
//! questions that go into section 5. Typed values that disagree with computed ones are warnings.
//! Totals and the ITA are computed exactly ([`Exact`]) and rounded once, half up, to the
//! printed hundredth; ties (highest, lowest, the lowest questions) are ties at that hundredth,
//! decided by one rule, [`ties`].

use serde::Serialize;

use crate::content::{Exact, Instrument, Weights, cents};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::Report;
use crate::msg;

/// Change between the compared year and the assessed year, at the printed precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trend {
    Up,
    Down,
    Same,
}

impl Trend {
    pub fn between(previous: f64, current: f64) -> Self {
        match cents(current).cmp(&cents(previous)) {
            std::cmp::Ordering::Greater => Trend::Up,
            std::cmp::Ordering::Less => Trend::Down,
            std::cmp::Ordering::Equal => Trend::Same,
        }
    }
}

/// Highest or lowest indicator within its instrument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Extreme {
    Highest,
    Lowest,
}

#[derive(Debug, Clone, Serialize)]
pub struct InstrumentTotal {
    pub instrument: Instrument,
    /// The mean of the instrument's indicators, rounded to the printed hundredth.
    pub previous: f64,
    pub current: f64,
    pub trend: Trend,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorFigures {
    pub trend: Trend,
    pub extreme: Option<Extreme>,
    /// Indices into the indicator's questions that section 5 analyses.
    pub selected: Vec<usize>,
    /// True when no question fell below the threshold and the lowest one was taken instead.
    pub lowest_taken: bool,
    /// True when the lowest question taken scored exactly the threshold (not above it).
    pub lowest_at_threshold: bool,
}

/// Everything computed from a [`Report`].
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    pub totals: Vec<InstrumentTotal>,
    pub indicators: Vec<IndicatorFigures>,
    /// The ITA scores as printed: computed (rounded to the hundredth) or as stated.
    pub ita_previous: f64,
    pub ita_current: f64,
    pub ita_trend: Trend,
    pub rating: String,
}

/// A score rounded half up to the printed hundredth.
pub fn round2(x: f64) -> f64 {
    Exact::of(x).rounded()
}

/// The weighted ITA score from the exact instrument totals; an instrument without indicators
/// has none.
fn ita(weights: &Weights, iit: Option<Exact>, eit: Option<Exact>, oit: Option<Exact>) -> Exact {
    let part = |w: f64, t: Option<Exact>| t.map_or(Exact::ZERO, |t| Exact::of(w).times(t));
    part(weights.iit, iit)
        .plus(part(weights.eit, eit))
        .plus(part(weights.oit, oit))
        .over(100)
}

/// The indices of the values tied for the highest and of those tied for the lowest, compared at
/// the printed hundredth. The one rule of ties: indicators marked highest or lowest within their
/// instrument, and the lowest questions taken into section 5.
pub fn ties(values: &[f64]) -> (Vec<usize>, Vec<usize>) {
    let c: Vec<i64> = values.iter().map(|&v| cents(v)).collect();
    let at = |target: Option<i64>| -> Vec<usize> {
        (0..c.len()).filter(|&k| Some(c[k]) == target).collect()
    };
    (at(c.iter().copied().max()), at(c.iter().copied().min()))
}

/// Computes every derived figure; warnings about typed values go into `warnings`.
pub fn derive(report: &Report, warnings: &mut Diagnostics) -> Figures {
    // Each instrument's exact totals of the compared and the assessed year.
    let exact: Vec<(Instrument, Exact, Exact)> = Instrument::ALL
        .iter()
        .filter(|&&inst| report.indicators.iter().any(|i| i.instrument == inst))
        .map(|&instrument| {
            let of = || {
                report
                    .indicators
                    .iter()
                    .filter(move |i| i.instrument == instrument)
            };
            let previous = Exact::mean(of().map(|i| i.previous.get()));
            let current = Exact::mean(of().map(|i| i.current.get()));
            (instrument, previous, current)
        })
        .collect();
    let totals: Vec<InstrumentTotal> = exact
        .iter()
        .map(|&(instrument, previous, current)| {
            let (previous, current) = (previous.rounded(), current.rounded());
            InstrumentTotal {
                instrument,
                previous,
                current,
                trend: Trend::between(previous, current),
            }
        })
        .collect();
    let total = |inst: Instrument, current: bool| {
        let &(_, p, c) = exact.iter().find(|t| t.0 == inst)?;
        Some(if current { c } else { p })
    };
    let rounded_total = |inst: Instrument| total(inst, true).map(Exact::rounded);
    let computed = |w: &Weights, current| {
        ita(
            w,
            total(Instrument::Iit, current),
            total(Instrument::Eit, current),
            total(Instrument::Oit, current),
        )
    };

    let ita_current_computed = computed(&report.weights_current, true);
    let ita_previous_computed = report.weights_previous.as_ref().map(|w| computed(w, false));
    let mut settle = |stated: Option<f64>,
                      computed: Option<Exact>,
                      year: i32,
                      which: usize|
     -> f64 {
        match (stated, computed.map(Exact::rounded)) {
            (Some(s), Some(c)) => {
                if round2(s) != c {
                    let (s, c) = (format!("{:.2}", round2(s)), format!("{c:.2}"));
                    warnings.push(
                        Diagnostic::warning(Code::ItaStatedDiffers, msg!(
                            "คะแนน ITA ปี {year} ที่ระบุ ({s}) ไม่ตรงกับค่าที่คำนวณจากคะแนนรายตัวชี้วัด ({c}) จึงใช้ค่าที่ระบุ",
                            "the stated ITA of {year} ({s}) differs from the one computed from the indicator scores ({c}); the stated value is printed"
                        ))
                        .at(report.stated_ita_at[which].clone())
                        .field(if which == 0 { "stated_ita.previous" } else { "stated_ita.current" }),
                    );
                }
                round2(s)
            }
            (Some(s), None) => round2(s),
            (None, Some(c)) => c,
            (None, None) => {
                warnings.push(Diagnostic::error(
                    Code::ItaUncomputable,
                    msg!(
                        "ไม่มีน้ำหนักคะแนนของปี {year} และไม่ได้ระบุคะแนน ITA ของปีนั้น",
                        "no weights for {year} and no stated ITA for that year"
                    ),
                ));
                0.0
            }
        }
    };
    let ita_current = settle(
        report.stated_ita_current.map(|s| s.get()),
        Some(ita_current_computed),
        report.assessed_year,
        1,
    );
    let ita_previous = settle(
        report.stated_ita_previous.map(|s| s.get()),
        ita_previous_computed,
        report.previous_year,
        0,
    );

    let indicators: Vec<IndicatorFigures> = report
        .indicators
        .iter()
        .map(|ind| {
            let (selected, lowest_taken) = select_questions(ind, report.threshold);
            let lowest_at_threshold = lowest_taken
                && selected.iter().any(|&q| {
                    ind.questions[q]
                        .scores
                        .lowest()
                        .is_some_and(|s| cents(s) <= cents(report.threshold))
                });
            IndicatorFigures {
                trend: Trend::between(ind.previous.get(), ind.current.get()),
                extreme: extreme(report, ind.number),
                selected,
                lowest_taken,
                lowest_at_threshold,
            }
        })
        .collect();

    check_question_texts(report, &indicators, warnings);
    let rating = settle_rating(
        report,
        rate(
            report,
            ita_current,
            rounded_total(Instrument::Iit),
            rounded_total(Instrument::Eit),
            rounded_total(Instrument::Oit),
        ),
        warnings,
    );
    Figures {
        ita_trend: Trend::between(ita_previous, ita_current),
        totals,
        indicators,
        ita_previous,
        ita_current,
        rating,
    }
}

/// A question section 5 prints needs its text: without it the PDF printed "i6 (๙๐.๐๐ คะแนน)" and
/// nothing else. The error is at the question in assessment.yaml, with the line to add.
fn check_question_texts(report: &Report, figures: &[IndicatorFigures], errors: &mut Diagnostics) {
    for (ind, fig) in report.indicators.iter().zip(figures) {
        for &k in &fig.selected {
            let q = &ind.questions[k];
            if q.text.as_deref().is_some_and(|t| !t.trim().is_empty()) {
                continue;
            }
            let (code, n) = (&q.code, ind.number);
            errors.push(
                Diagnostic::error(Code::QuestionNoText, msg!(
                    "ข้อคำถาม {code} ของตัวชี้วัดที่ {n} ต้องพิมพ์ในส่วนที่ ๕ แต่ยังไม่มีข้อความ",
                    "question {code} of indicator {n} is printed in section 5 but has no text"
                ))
                .at(q.defined_at.clone())
                // The field to fill in: where the browser editor shows the problem.
                .field(format!("{}.text", q.field))
                .hint(msg!(
                    "เพิ่มบรรทัด `text: <ข้อความข้อคำถาม>` ใต้ `- code: {code}` ใน assessment.yaml โดยคัดข้อความจากคู่มือการประเมิน ITA ของสำนักงาน ป.ป.ช.",
                    "add a line `text: <the question>` under `- code: {code}` in assessment.yaml, as the NACC's ITA manual words it"
                )),
            );
        }
    }
}

/// Highest and lowest within an instrument: every indicator tied for the highest (lowest) score
/// is marked ([`ties`]). When all are equal only the first is marked "highest", as the seed
/// document does for OIT.
fn extreme(report: &Report, number: u8) -> Option<Extreme> {
    let inst = report
        .indicators
        .iter()
        .find(|i| i.number == number)?
        .instrument;
    let group: Vec<_> = report
        .indicators
        .iter()
        .filter(|i| i.instrument == inst)
        .collect();
    let me = group.iter().position(|i| i.number == number)?;
    let (highest, lowest) = ties(&group.iter().map(|i| i.current.get()).collect::<Vec<_>>());
    if highest.len() == group.len() {
        return (me == 0).then_some(Extreme::Highest);
    }
    if highest.contains(&me) {
        Some(Extreme::Highest)
    } else if lowest.contains(&me) {
        Some(Extreme::Lowest)
    } else {
        None
    }
}

/// Questions below the threshold; if none, every question tied for the lowest score ([`ties`]).
fn select_questions(ind: &crate::model::Indicator, threshold: f64) -> (Vec<usize>, bool) {
    let scored: Vec<(usize, f64)> = ind
        .questions
        .iter()
        .enumerate()
        .filter_map(|(k, q)| Some((k, q.scores.lowest()?)))
        .collect();
    let below: Vec<usize> = scored
        .iter()
        .filter(|(_, s)| cents(*s) < cents(threshold))
        .map(|(k, _)| *k)
        .collect();
    if !below.is_empty() || scored.is_empty() {
        return (below, false);
    }
    let (_, lowest) = ties(&scored.iter().map(|&(_, s)| s).collect::<Vec<_>>());
    (lowest.into_iter().map(|k| scored[k].0).collect(), true)
}

/// What the criteria table says of a report's scores.
#[derive(Debug, Clone, PartialEq)]
enum Rated {
    /// The level, decided.
    Level(String),
    /// The best of these levels whose conditions hold; which one depends on values not given
    /// (the EIT parts).
    Open(Vec<String>),
    /// No level's conditions hold.
    None,
}

/// The first rating level, best first, whose every condition holds: the ITA in its range and, for a
/// level with part conditions, IIT, EIT ส่วนที่ ๑, EIT ส่วนที่ ๒ and OIT each in theirs. Without the
/// published EIT parts, an EIT total outside the range still fails the level (the total is the
/// parts' mean, so one part is outside too); inside it, the level stays open.
fn rate(report: &Report, ita: f64, iit: Option<f64>, eit: Option<f64>, oit: Option<f64>) -> Rated {
    let mut open = Vec::new();
    for level in &report.levels {
        if !level.ita.contains(ita) {
            continue;
        }
        let Some(parts) = &level.parts else {
            open.push(level.name.clone());
            return decided(open);
        };
        let mut known: Vec<bool> = [iit, oit]
            .into_iter()
            .flatten()
            .map(|s| parts.contains(s))
            .collect();
        let certain = match (&report.eit_parts, eit) {
            (_, None) => true,
            (Some(p), Some(_)) => {
                known.push(parts.contains(p.part1.get()));
                known.push(parts.contains(p.part2.get()));
                true
            }
            (None, Some(total)) => {
                known.push(parts.contains(total));
                false
            }
        };
        if known.contains(&false) {
            continue;
        }
        open.push(level.name.clone());
        if certain {
            return decided(open);
        }
    }
    if open.is_empty() {
        Rated::None
    } else {
        // The last open level may not hold either, and no level after it does.
        Rated::Open(open)
    }
}

/// The levels found up to the first that certainly holds.
fn decided(mut open: Vec<String>) -> Rated {
    if open.len() == 1 {
        Rated::Level(open.remove(0))
    } else {
        Rated::Open(open)
    }
}

/// The rating printed: the computed level, or the published one where it is given (a warning if
/// they differ), or an error naming the field that decides it.
fn settle_rating(report: &Report, rated: Rated, warnings: &mut Diagnostics) -> String {
    let stated = report.stated_rating.clone();
    let at = || report.stated_rating_at.clone();
    match (rated, stated) {
        (Rated::Level(level), Some(s)) => {
            if level != s {
                warnings.push(
                    Diagnostic::warning(Code::RatingStatedDiffers, msg!(
                        "ระดับผลการประเมินที่ระบุ ({s}) ไม่ตรงกับระดับตามเกณฑ์ ({level}) จึงใช้ระดับที่ระบุ",
                        "the stated rating ({s}) differs from the one the criteria give ({level}); the stated rating is printed"
                    ))
                    .at(at())
                    .field("stated_ita.rating"),
                );
            }
            s
        }
        (Rated::Level(level), None) => level,
        (Rated::Open(levels), Some(s)) => {
            if !levels.contains(&s) {
                let names = levels.join(", ");
                warnings.push(
                    Diagnostic::warning(Code::RatingStatedNotAllowed, msg!(
                        "ระดับผลการประเมินที่ระบุ ({s}) ไม่ใช่ระดับที่เกณฑ์ให้ได้ ({names}) จึงใช้ระดับที่ระบุ",
                        "the stated rating ({s}) is none of the levels the criteria allow ({names}); the stated rating is printed"
                    ))
                    .at(at())
                    .field("stated_ita.rating"),
                );
            }
            s
        }
        (Rated::Open(levels), None) => {
            let names = levels.join(", ");
            warnings.push(
                Diagnostic::error(Code::RatingUndecided, msg!(
                    "ระดับผลการประเมินเป็นได้ทั้ง {names} ขึ้นกับคะแนน EIT ส่วนที่ ๑ และ ๒: กรอก eit_parts: {{ part1: .., part2: .. }} ใน scores.yaml (หรือระดับที่ประกาศใน stated_ita.rating)",
                    "the rating may be any of {names}, depending on EIT parts 1 and 2: fill in eit_parts: {{ part1: .., part2: .. }} in scores.yaml (or the published level in stated_ita.rating)"
                ))
                .at(Some(report.scores_at.clone()))
                .field("eit_parts")
                .hint(msg!(
                    "เพิ่มบรรทัดนี้ใน scores.yaml (ที่บรรทัดนี้ ไม่ย่อหน้า) โดยใช้คะแนน EIT ส่วนที่ ๑ และส่วนที่ ๒ จากผลการประเมินของหน่วยงานในระบบ ITAS ของสำนักงาน ป.ป.ช. เช่น\neit_parts: {{ part1: 91.02, part2: 90.48 }}",
                    "add this line to scores.yaml (here, not indented), with EIT part 1 and part 2 from the agency's results in the NACC's ITAS, e.g.\neit_parts: {{ part1: 91.02, part2: 90.48 }}"
                )),
            );
            levels.into_iter().next().unwrap_or_default()
        }
        (Rated::None, Some(s)) => s,
        (Rated::None, None) => String::new(),
    }
}

//! Stage 3, derive: every figure that can be computed is computed here, never typed into YAML:
//! instrument totals, the weighted ITA score, up/down, highest/lowest, the rating level and the
//! questions that go into section 5. Typed values that disagree with computed ones are warnings.

use serde::Serialize;

use crate::content::{Instrument, Weights};
use crate::diag::{Diagnostic, Diagnostics};
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
        match round2(current).total_cmp(&round2(previous)) {
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
}

/// Everything computed from a [`Report`].
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    pub totals: Vec<InstrumentTotal>,
    pub indicators: Vec<IndicatorFigures>,
    pub ita_previous: f64,
    pub ita_current: f64,
    pub ita_trend: Trend,
    pub rating: String,
    /// Conditions of the rating that the data cannot decide, in Thai / English.
    pub rating_unchecked: Vec<String>,
}

pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = xs.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    if n == 0 { 0.0 } else { sum / n as f64 }
}

/// The weighted ITA score from the three instrument totals.
pub fn ita(weights: &Weights, iit: f64, eit: f64, oit: f64) -> f64 {
    (weights.iit * iit + weights.eit * eit + weights.oit * oit) / 100.0
}

/// Computes every derived figure; warnings about typed values go into `warnings`.
pub fn derive(report: &Report, warnings: &mut Diagnostics) -> Figures {
    let totals: Vec<InstrumentTotal> = Instrument::ALL
        .iter()
        .map(|&instrument| {
            let of = || {
                report
                    .indicators
                    .iter()
                    .filter(move |i| i.instrument == instrument)
            };
            let previous = mean(of().map(|i| i.previous.get()));
            let current = mean(of().map(|i| i.current.get()));
            InstrumentTotal {
                instrument,
                previous,
                current,
                trend: Trend::between(previous, current),
            }
        })
        .collect();
    let total = |inst: Instrument, current: bool| {
        let t = &totals[Instrument::ALL.iter().position(|&i| i == inst).unwrap_or(0)];
        if current { t.current } else { t.previous }
    };
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
    let mut settle = |stated: Option<f64>, computed: Option<f64>, year: i32, which: usize| -> f64 {
        match (stated, computed) {
            (Some(s), Some(c)) => {
                if round2(s) != round2(c) {
                    let (s, c) = (format!("{s:.2}"), format!("{c:.2}"));
                    warnings.push(
                        Diagnostic::warning(msg!(
                            "คะแนน ITA ปี {year} ที่ระบุ ({s}) ไม่ตรงกับค่าที่คำนวณจากคะแนนรายตัวชี้วัด ({c}) จึงใช้ค่าที่ระบุ",
                            "the stated ITA of {year} ({s}) differs from the one computed from the indicator scores ({c}); the stated value is printed"
                        ))
                        .at(report.stated_ita_at[which].clone())
                        .field(if which == 0 { "stated_ita.previous" } else { "stated_ita.current" }),
                    );
                }
                s
            }
            (Some(s), None) => s,
            (None, Some(c)) => c,
            (None, None) => {
                warnings.push(Diagnostic::error(msg!(
                    "ไม่มีน้ำหนักคะแนนของปี {year} และไม่ได้ระบุคะแนน ITA ของปีนั้น",
                    "no weights for {year} and no stated ITA for that year"
                )));
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

    let indicators = report
        .indicators
        .iter()
        .map(|ind| {
            let (selected, lowest_taken) = select_questions(ind, report.threshold);
            IndicatorFigures {
                trend: Trend::between(ind.previous.get(), ind.current.get()),
                extreme: extreme(report, ind.number),
                selected,
                lowest_taken,
            }
        })
        .collect();

    let (rating, rating_unchecked) = rate(
        report,
        ita_current,
        total(Instrument::Iit, true),
        total(Instrument::Eit, true),
        total(Instrument::Oit, true),
    );
    for note in &rating_unchecked {
        let (th, en) = note.split_once(" / ").unwrap_or((note, note));
        warnings.push(
            Diagnostic::warning(crate::diag::Message {
                th: th.into(),
                en: en.into(),
            })
            .field("rating"),
        );
    }
    Figures {
        ita_trend: Trend::between(ita_previous, ita_current),
        totals,
        indicators,
        ita_previous,
        ita_current,
        rating,
        rating_unchecked,
    }
}

/// Highest and lowest within an instrument; among equal scores the first is marked, and when all
/// are equal only "highest" is shown, as the seed document does for OIT.
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
    let key = |i: &&crate::model::Indicator| round2(i.current.get());
    let max = group
        .iter()
        .copied()
        .reduce(|a, b| if key(&b) > key(&a) { b } else { a })?;
    let min = group
        .iter()
        .copied()
        .reduce(|a, b| if key(&b) < key(&a) { b } else { a })?;
    if max.number == number {
        Some(Extreme::Highest)
    } else if min.number == number && key(&min) < key(&max) {
        Some(Extreme::Lowest)
    } else {
        None
    }
}

/// Questions below the threshold; if none, the lowest-scoring one.
fn select_questions(ind: &crate::model::Indicator, threshold: f64) -> (Vec<usize>, bool) {
    let scored: Vec<(usize, f64)> = ind
        .questions
        .iter()
        .enumerate()
        .filter_map(|(k, q)| Some((k, q.scores.lowest()?)))
        .collect();
    let below: Vec<usize> = scored
        .iter()
        .filter(|(_, s)| round2(*s) < threshold)
        .map(|(k, _)| *k)
        .collect();
    if !below.is_empty() {
        return (below, false);
    }
    match scored.iter().min_by(|a, b| a.1.total_cmp(&b.1)) {
        Some(&(k, _)) => (vec![k], true),
        None => (Vec::new(), false),
    }
}

/// The first rating level, best first, whose conditions hold. Part scores the data lacks (EIT parts 1
/// and 2) are bounded by the EIT total: the total is their mean, so a total below a minimum fails it.
fn rate(report: &Report, ita: f64, iit: f64, eit: f64, oit: f64) -> (String, Vec<String>) {
    let mut unchecked = Vec::new();
    for level in &report.levels {
        if !level.ita.contains(ita) {
            continue;
        }
        let Some(parts) = level.parts else {
            return (level.name.clone(), unchecked);
        };
        if !(parts.contains(iit) && parts.contains(oit) && parts.contains(eit)) {
            continue;
        }
        // IIT, OIT and the EIT total pass; EIT parts 1 and 2 are not in the data.
        unchecked.push(format!(
            "คะแนน EIT ส่วนที่ ๑ และ ๒ ไม่มีในข้อมูล จึงตรวจเงื่อนไขระดับ \"{}\" ได้เพียงจากคะแนน EIT รวม / EIT parts 1 and 2 are not in the data; the \"{}\" condition was checked on the EIT total only",
            level.name, level.name
        ));
        return (level.name.clone(), unchecked);
    }
    (String::new(), unchecked)
}

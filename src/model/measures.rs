//! Checks of measures and references: the units the preparer and the measures name, the
//! analysis's references to measures, each measure defined once, referenced and complete, and
//! the recommendations' indicators within their instrument.

use std::collections::BTreeSet;

use super::{Checker, Indicator, Measure, Period, Recommendation, Year};
use crate::content::nearest::{did_you_mean, nearest};
use crate::content::{AgencyFile, MeasureRaw, MeasuresFile, RecommendationsFile, Unit};
use crate::diag::{Code, Message};
use crate::msg;

/// The units of agency.yaml, which the preparer, a measure's units and its coordinator name.
pub(super) struct Units<'a> {
    pub(super) codes: BTreeSet<&'a str>,
    /// Each unit's name with its code: a measure naming a unit by its name gets the code.
    names: Vec<(&'a str, &'a str)>,
    known: String,
}

impl<'a> Units<'a> {
    pub(super) fn of(agency: &'a AgencyFile) -> Self {
        let codes: BTreeSet<&str> = agency.units.iter().map(|u| u.code.as_str()).collect();
        let known = codes.iter().copied().collect::<Vec<_>>().join(", ");
        let names = (agency.units.iter())
            .filter_map(|u| Some((u.name.as_deref()?, u.code.as_str())))
            .collect();
        Self {
            codes,
            names,
            known,
        }
    }

    fn has(&self, unit: &str) -> bool {
        self.codes.contains(unit)
    }

    /// The error for a unit not listed: the nearest unit if it looks like a slip, and the list
    /// of units, written once (not once per language).
    fn unknown(&self, unit: &str) -> (Message, Vec<Message>) {
        let list = format!("มี / known: {}", self.known);
        let typed = crate::content::typing::normal(unit);
        let by_name = (self.names.iter())
            .find(|(name, _)| crate::content::typing::normal(name) == typed)
            .map(|(name, code)| {
                msg!(
                    "\"{name}\" เป็นชื่อเต็มของหน่วยงาน {code}: ใส่รหัส \"{code}\" แทน",
                    "\"{name}\" is the full name of unit {code}: write its code \"{code}\""
                )
            });
        let nearest = by_name.or_else(|| did_you_mean(unit, self.codes.iter().copied()));
        let hints = nearest
            .into_iter()
            .chain([Message {
                th: list.clone(),
                en: list,
            }])
            .collect();
        (
            msg!(
                "ไม่พบหน่วยงาน \"{unit}\" ในรายการ units ของ agency.yaml",
                "unit \"{unit}\" is not in the units of agency.yaml"
            ),
            hints,
        )
    }
}

/// The unit preparing the report, which must be one of the agency's.
pub(super) fn check_preparer(c: &mut Checker, y: &Year, units: &Units) -> Option<Unit> {
    let agency = &y.agency;
    let preparer = agency
        .units
        .iter()
        .find(|u| u.code == agency.preparer)
        .cloned();
    if preparer.is_none() {
        c.error_hinted(
            Code::UnitUnknown,
            c.files.agency,
            "preparer",
            units.unknown(&agency.preparer),
        );
    }
    preparer
}

/// The analysis row `row_i` of indicator `n` has findings and leads to measures, each defined in
/// measures.yaml; returns their indices there.
pub(super) fn analysis_measures(c: &mut Checker, y: &Year, n: u8, row_i: usize) -> Vec<usize> {
    let nf = c.files.analysis;
    let row = &y.analysis.analysis[row_i];
    if row.findings.is_empty() {
        c.error(
            Code::AnalysisNoFindings,
            nf,
            format!("analysis[{row_i}].findings"),
            msg!(
                "ตัวชี้วัดที่ {n} ไม่มีผลการวิเคราะห์",
                "indicator {n} has no findings"
            ),
        );
    }
    if row.measures.is_empty() {
        c.error(
            Code::AnalysisNoMeasures,
            nf,
            format!("analysis[{row_i}].measures"),
            msg!(
                "ตัวชี้วัดที่ {n} ไม่ได้นำไปสู่มาตรการใด",
                "indicator {n} leads to no measure"
            ),
        );
    }
    let mut found = Vec::new();
    for (k, id) in row.measures.iter().enumerate() {
        match y.measures.measures.iter().position(|m| &m.id == id) {
            Some(i) => found.push(i),
            None => {
                let ids = || y.measures.measures.iter().map(|m| m.id.as_str());
                c.meant
                    .extend(nearest(id, ids()).into_iter().map(String::from));
                c.error_hinted(
                    Code::MeasureUndefined,
                    nf,
                    format!("analysis[{row_i}].measures[{k}]"),
                    (
                        msg!(
                            "ไม่พบมาตรการ \"{id}\" ใน measures.yaml",
                            "measure \"{id}\" is not defined in measures.yaml"
                        ),
                        did_you_mean(id, ids()).into_iter().collect(),
                    ),
                )
            }
        }
    }
    found
}

/// The default coordinator, checked once here, not again for each measure it stands for.
pub(super) fn check_coordinator(c: &mut Checker, measures: &MeasuresFile, units: &Units) {
    if !units.has(&measures.coordinator) {
        c.error_hinted(
            Code::UnitUnknown,
            c.files.measures,
            "coordinator",
            units.unknown(&measures.coordinator),
        );
    }
}

/// The measures as printed: each checked, and kept where its period is right.
pub(super) fn resolve_measures(
    c: &mut Checker,
    measures: &MeasuresFile,
    indicators: &[Indicator],
    periods: &[Option<Period>],
    units: &Units,
) -> Vec<Measure> {
    let mut out = Vec::new();
    for (k, m) in measures.measures.iter().enumerate() {
        check_measure(c, measures, k, indicators);
        check_measure_units(c, k, m, units);
        let Some(period) = periods[k].clone() else {
            continue;
        };
        out.push(Measure {
            id: m.id.clone(),
            title: m.title.clone(),
            steps: m.steps.clone(),
            period,
            units: m.units.clone(),
            coordinator: (m.coordinator.clone()).unwrap_or_else(|| measures.coordinator.clone()),
            // A wrong budget stops the loading of measures.yaml: none reaches here.
            budget: m.budget.as_ref().and_then(|b| b.check().ok()),
            target: m.target.clone(),
        });
    }
    out
}

/// Measure `k` is defined once, referenced from the analysis, titled, and has steps.
fn check_measure(c: &mut Checker, measures: &MeasuresFile, k: usize, indicators: &[Indicator]) {
    let mf = c.files.measures;
    let m = &measures.measures[k];
    let id = &m.id;
    if measures.measures[..k].iter().any(|o| &o.id == id) {
        c.error(
            Code::MeasureDuplicate,
            mf,
            format!("measures[{k}].id"),
            msg!(
                "รหัสมาตรการ \"{id}\" ซ้ำ",
                "measure id \"{id}\" is defined twice"
            ),
        );
    }
    if !indicators.iter().any(|i| i.measures.contains(&k)) && !c.meant.contains(id) {
        c.error(
            Code::MeasureUnreferenced,
            mf,
            format!("measures[{k}].id"),
            msg!(
                "มาตรการ \"{id}\" ไม่ได้ถูกอ้างถึงใน analysis.yaml",
                "measure \"{id}\" is never referenced from analysis.yaml"
            ),
        );
    }
    if m.title.trim().is_empty() {
        c.error(
            Code::MeasureNoTitle,
            mf,
            format!("measures[{k}].title"),
            msg!("มาตรการไม่มีชื่อ", "the measure has no title"),
        );
    }
    if m.steps.is_empty() || m.steps.iter().any(|s| s.trim().is_empty()) {
        c.error(
            Code::MeasureNoSteps,
            mf,
            format!("measures[{k}].steps"),
            msg!(
                "มาตรการต้องมีขั้นตอนอย่างน้อยหนึ่งข้อ และไม่มีข้อว่าง",
                "the measure needs at least one step and no empty step"
            ),
        );
    }
}

/// Measure `k` has responsible units, and its units and coordinator are the agency's.
fn check_measure_units(c: &mut Checker, k: usize, m: &MeasureRaw, units: &Units) {
    let mf = c.files.measures;
    if m.units.is_empty() {
        c.error(
            Code::MeasureNoUnits,
            mf,
            format!("measures[{k}].units"),
            msg!(
                "มาตรการต้องมีผู้รับผิดชอบอย่างน้อยหนึ่งหน่วยงาน",
                "the measure needs at least one responsible unit"
            ),
        );
    }
    for (u, unit) in m.units.iter().enumerate() {
        if !units.has(unit) {
            c.error_hinted(
                Code::UnitUnknown,
                mf,
                format!("measures[{k}].units[{u}]"),
                units.unknown(unit),
            );
        }
    }
    if let Some(unit) = &m.coordinator
        && !units.has(unit)
    {
        c.error_hinted(
            Code::UnitUnknown,
            mf,
            format!("measures[{k}].coordinator"),
            units.unknown(unit),
        );
    }
}

/// The recommendations, each naming indicators of its own instrument.
pub(super) fn resolve_recommendations(
    c: &mut Checker,
    recommendations: &RecommendationsFile,
    indicators: &[Indicator],
) -> Vec<Recommendation> {
    let recs = (recommendations.recommendations.iter())
        .map(|r| Recommendation {
            instrument: r.instrument,
            indicators: r.indicators.clone(),
            paragraphs: r.paragraphs.clone(),
        })
        .collect::<Vec<_>>();
    for (k, r) in recs.iter().enumerate() {
        for (j, n) in r.indicators.iter().enumerate() {
            if !indicators
                .iter()
                .any(|i| i.number == *n && i.instrument == r.instrument)
            {
                let inst = r.instrument.code();
                c.error(
                    Code::RecommendationWrongInstrument,
                    c.files.recommendations,
                    format!("recommendations[{k}].indicators[{j}]"),
                    msg!(
                        "ตัวชี้วัดที่ {n} ไม่อยู่ในแบบวัด {inst}",
                        "indicator {n} is not part of {inst}"
                    ),
                );
            }
        }
    }
    recs
}

/// The assessors' recommendations and the measures are not still to be written.
pub(super) fn check_lists_given(
    c: &mut Checker,
    recs: &[Recommendation],
    measures: &MeasuresFile,
    resolved: &[Measure],
) {
    if recs.is_empty() {
        c.error(
            Code::RecommendationNone,
            c.files.recommendations,
            "recommendations",
            msg!(
                "ยังไม่มีข้อเสนอแนะของผู้ประเมิน",
                "no recommendations of the assessors yet"
            ),
        );
    }
    if resolved.is_empty() && measures.measures.is_empty() {
        c.error(
            Code::MeasureNone,
            c.files.measures,
            "measures",
            msg!("ยังไม่มีมาตรการ", "no measures yet"),
        );
    }
}

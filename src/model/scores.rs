//! Checks of indicators and scores: the weights and rating levels of the framework, indicator
//! numbers in every file, question scores in the shape their instrument needs, question codes
//! under their instrument, and the figures still to fill in.

use std::collections::BTreeSet;

use super::{Checker, Indicator, Question, QuestionScores, Year};
use crate::content::{AssessmentFile, Instrument, RatingLevel, ScoresFile, Weights};
use crate::diag::Code;
use crate::msg;

/// Weights that are numbers not below 0 adding up to 100, none for an instrument without
/// indicators; returns the weights of the assessed year.
pub(super) fn check_weights(c: &mut Checker, y: &Year) -> Option<Weights> {
    let asf = c.files.assessment;
    for (k, w) in y.assessment.weights.iter().enumerate() {
        let sum = w.iit + w.eit + w.oit;
        let year = w.year;
        if [w.iit, w.eit, w.oit]
            .iter()
            .any(|x| !x.is_finite() || *x < 0.0)
        {
            let (iit, eit, oit) = (w.iit, w.eit, w.oit);
            c.error(
                Code::WeightsNegative,
                asf,
                format!("weights[{k}]"),
                msg!(
                    "น้ำหนักของปี {year} ต้องเป็นตัวเลขไม่ติดลบ (ได้ iit {iit}, eit {eit}, oit {oit})",
                    "the weights of {year} must be numbers not below 0 (found iit {iit}, eit {eit}, oit {oit})"
                ),
            );
        } else if (sum - 100.0).abs() > 1e-9 {
            c.error(
                Code::WeightsSum,
                asf,
                format!("weights[{k}]"),
                msg!(
                    "น้ำหนักของปี {year} รวมได้ {sum} ไม่ใช่ 100",
                    "the weights of {year} add up to {sum}, not 100"
                ),
            );
        }
    }
    check_weights_of_absent_instruments(c, &y.assessment);
    let current = y.weight(y.scores.assessed_year);
    if current.is_none() {
        let year = y.scores.assessed_year;
        c.error(
            Code::WeightsMissing,
            asf,
            "weights",
            msg!("ไม่มีน้ำหนักคะแนนของปี {year}", "no weights for year {year}"),
        );
    }
    current
}

/// An instrument the framework has no indicators for weighs nothing in the ITA.
fn check_weights_of_absent_instruments(c: &mut Checker, assessment: &AssessmentFile) {
    for (k, w) in assessment.weights.iter().enumerate() {
        for (inst, value) in [
            (Instrument::Iit, w.iit),
            (Instrument::Eit, w.eit),
            (Instrument::Oit, w.oit),
        ] {
            if value != 0.0 && !assessment.indicators.iter().any(|i| i.instrument == inst) {
                let (code, year) = (inst.code(), w.year);
                c.error(Code::WeightsUnusedInstrument, c.files.assessment, format!("weights[{k}]"), msg!(
                    "{code} ไม่มีตัวชี้วัดใน assessment.yaml แต่มีน้ำหนัก {value} ในปี {year}: ต้องเป็น 0",
                    "{code} has no indicators in assessment.yaml but a weight of {value} in {year}: it must be 0"
                ));
            }
        }
    }
}

/// Rating levels: present, best first, each named and each range the right way round; then
/// [`check_rating_coverage`].
pub(super) fn check_rating_levels(c: &mut Checker, levels: &[RatingLevel]) {
    let asf = c.files.assessment;
    if levels.is_empty() {
        c.error(
            Code::RatingNoLevels,
            asf,
            "rating_levels",
            msg!("ไม่มีระดับผลการประเมิน", "there are no rating levels"),
        );
    }
    for (k, l) in levels.iter().enumerate() {
        if l.name.trim().is_empty() {
            c.error(
                Code::RatingUnnamedLevel,
                asf,
                format!("rating_levels[{k}].name"),
                msg!("ระดับนี้ไม่มีชื่อ", "the level has no name"),
            );
        }
        for (which, range) in [("ita", Some(&l.ita)), ("parts", l.parts.as_ref())] {
            let Some(r) = range else { continue };
            if r.min.get() > r.max.get() {
                let (min, max) = (r.min.get(), r.max.get());
                c.error(
                    Code::RatingRangeReversed,
                    asf,
                    format!("rating_levels[{k}].{which}"),
                    msg!(
                        "คะแนนต่ำสุด {min} สูงกว่าคะแนนสูงสุด {max}",
                        "min {min} is above max {max}"
                    ),
                );
            }
        }
        if k > 0 && cents(l.ita.min.get()) > cents(levels[k - 1].ita.min.get()) {
            c.error(
                Code::RatingOrder,
                asf,
                format!("rating_levels[{k}]"),
                msg!(
                    "ระดับผลการประเมินต้องเรียงจากดีที่สุดลงไป",
                    "rating levels must be listed best first"
                ),
            );
        }
    }
    check_rating_coverage(c, levels);
}

/// A score in hundredths, the precision levels are compared at.
fn cents(x: f64) -> i64 {
    crate::content::cents(x)
}

/// The levels without part conditions cover ITA 0-100 to the hundredth, without gaps or overlaps.
fn check_rating_coverage(c: &mut Checker, levels: &[RatingLevel]) {
    let asf = c.files.assessment;
    let mut plain: Vec<(usize, i64, i64)> = levels
        .iter()
        .enumerate()
        .filter(|(_, l)| l.parts.is_none())
        .map(|(k, l)| (k, cents(l.ita.min.get()), cents(l.ita.max.get())))
        .collect();
    plain.sort_by_key(|&(_, _, max)| std::cmp::Reverse(max));
    if !levels.is_empty() && plain.is_empty() {
        c.error(
            Code::RatingAllConditional,
            asf,
            "rating_levels",
            msg!(
                "ทุกระดับมีเงื่อนไข parts: ต้องมีระดับที่ไม่มีเงื่อนไข parts ครอบคลุมคะแนน ITA ๐-๑๐๐",
                "every level has part conditions: levels without them must cover ITA 0-100"
            ),
        );
    }
    let mut above = 10001;
    for &(k, min, max) in &plain {
        let (from, to) = ((max + 1) as f64 / 100.0, (above - 1) as f64 / 100.0);
        if max + 1 < above {
            c.error(
                Code::RatingGap,
                asf,
                format!("rating_levels[{k}]"),
                msg!(
                    "ไม่มีระดับผลการประเมินสำหรับคะแนน ITA {from:.2} ถึง {to:.2}",
                    "no rating level covers an ITA of {from:.2} to {to:.2}"
                ),
            );
        } else if max + 1 > above {
            c.error(
                Code::RatingOverlap,
                asf,
                format!("rating_levels[{k}]"),
                msg!(
                    "ช่วงคะแนน ITA ของระดับนี้ซ้อนกับระดับก่อนหน้า",
                    "the ITA range of this level overlaps the level before"
                ),
            );
        }
        above = above.min(min);
    }
    if let Some(&(k, _, _)) = plain.last()
        && above > 0
    {
        let to = (above - 1) as f64 / 100.0;
        c.error(
            Code::RatingGap,
            asf,
            format!("rating_levels[{k}]"),
            msg!(
                "ไม่มีระดับผลการประเมินสำหรับคะแนน ITA 0.00 ถึง {to:.2}",
                "no rating level covers an ITA of 0.00 to {to:.2}"
            ),
        );
    }
}

/// The framework's indicator numbers: each listed once in assessment.yaml, and scores.yaml and
/// analysis.yaml name only those, each once.
pub(super) fn check_indicator_numbers(c: &mut Checker, y: &Year) {
    let (asf, sf, nf) = (c.files.assessment, c.files.scores, c.files.analysis);
    let framework = y.framework();
    let known = framework
        .iter()
        .map(u8::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let numbered: [(usize, &str, Vec<u8>); 3] = [
        (
            asf,
            "indicators",
            y.assessment.indicators.iter().map(|i| i.number).collect(),
        ),
        (
            sf,
            "indicators",
            y.scores.indicators.iter().map(|i| i.indicator).collect(),
        ),
        (
            nf,
            "analysis",
            y.analysis.analysis.iter().map(|i| i.indicator).collect(),
        ),
    ];
    for (file, list, numbers) in &numbered {
        let field = if *list == "analysis" || *file == sf {
            "indicator"
        } else {
            "number"
        };
        for (k, &n) in numbers.iter().enumerate() {
            let path = format!("{list}[{k}].{field}");
            if n == 0 || (*file != asf && !framework.contains(&n)) {
                c.error(
                    Code::IndicatorUnknown,
                    *file,
                    path,
                    msg!(
                        "ไม่มีตัวชี้วัดที่ {n}: ตัวชี้วัดใน assessment.yaml มีหมายเลข {known}",
                        "there is no indicator {n}: the indicators of assessment.yaml are numbered {known}"
                    ),
                );
            } else if numbers[..k].contains(&n) {
                c.error(
                    Code::IndicatorDuplicate,
                    *file,
                    path,
                    msg!("ตัวชี้วัดที่ {n} ซ้ำ", "indicator {n} is listed twice"),
                );
            }
        }
    }
}

/// Every indicator's score of the assessed year is filled in, and every indicator that has
/// questions (OIT's may have none) has scores for some.
pub(super) fn check_scores_given(c: &mut Checker, y: &Year) {
    let sf = c.files.scores;
    for (k, sc) in y.scores.indicators.iter().enumerate() {
        if sc.current.is_none() {
            let (n, year) = (sc.indicator, y.scores.assessed_year);
            c.error(
                Code::ScoreNotFilled,
                sf,
                format!("indicators[{k}].current"),
                msg!(
                    "ยังไม่ได้กรอกคะแนนตัวชี้วัดที่ {n} ของปี {year}",
                    "the score of indicator {n} for {year} is not filled in yet"
                ),
            );
        }
    }
    for def in y
        .assessment
        .indicators
        .iter()
        .filter(|d| d.instrument != Instrument::Oit || !d.questions.is_empty())
    {
        let n = def.number;
        if !def
            .questions
            .iter()
            .any(|q| y.scores.questions.iter().any(|s| s.code == q.code))
        {
            c.error(
                Code::QuestionNoScores,
                sf,
                "questions",
                msg!(
                    "ยังไม่มีคะแนนรายข้อคำถามของตัวชี้วัดที่ {n}",
                    "no question scores for indicator {n} yet"
                ),
            );
        }
    }
}

/// The framework's indicators, in the order of their numbers, each with its scores, its
/// analysis and the measures it leads to; one that lacks any of them is reported and left out.
pub(super) fn resolve_indicators(c: &mut Checker, y: &Year) -> Vec<Indicator> {
    let (asf, sf, nf) = (c.files.assessment, c.files.scores, c.files.analysis);
    let mut indicators = Vec::new();
    for n in y.framework() {
        let Some(k) = y.assessment.indicators.iter().position(|i| i.number == n) else {
            c.error(
                Code::IndicatorMissing,
                asf,
                "indicators",
                msg!("ไม่มีตัวชี้วัดที่ {n}", "indicator {n} is missing"),
            );
            continue;
        };
        let Some(sc) = y.scores.indicators.iter().find(|s| s.indicator == n) else {
            c.error(
                Code::IndicatorNoScores,
                sf,
                "indicators",
                msg!("ไม่มีคะแนนของตัวชี้วัดที่ {n}", "no scores for indicator {n}"),
            );
            continue;
        };
        let Some(row_i) = y.analysis.analysis.iter().position(|a| a.indicator == n) else {
            c.error(
                Code::AnalysisMissing,
                nf,
                "analysis",
                msg!(
                    "ไม่มีผลการวิเคราะห์ของตัวชี้วัดที่ {n}",
                    "no analysis for indicator {n}"
                ),
            );
            continue;
        };
        let measures = super::measures::analysis_measures(c, y, n, row_i);
        let row = &y.analysis.analysis[row_i];
        let def = &y.assessment.indicators[k];
        let questions = (def.questions.iter().enumerate())
            .map(|(j, q)| {
                let field = format!("indicators[{k}].questions[{j}]");
                Question {
                    code: q.code.clone(),
                    text: q.text.clone(),
                    scores: QuestionScores::Unknown,
                    defined_at: c.locate(asf, &field),
                    field,
                }
            })
            .collect();
        indicators.push(Indicator {
            number: n,
            instrument: def.instrument,
            name: def.name.clone(),
            sub_indicators: def.sub_indicators.clone(),
            previous: sc.previous.checked(),
            // A missing score was reported above; the placeholder never reaches a PDF.
            current: sc.current.as_ref().unwrap_or(&sc.previous).checked(),
            questions,
            summary: row.summary.clone(),
            findings: row.findings.clone(),
            measures,
        });
    }
    indicators
}

/// Each question score: a known code, in the shape its instrument needs (IIT and OIT one score,
/// EIT public and survey), given to its question.
pub(super) fn resolve_question_scores(c: &mut Checker, y: &Year, indicators: &mut [Indicator]) {
    let sf = c.files.scores;
    for (k, qs) in y.scores.questions.iter().enumerate() {
        let code = &qs.code;
        let found = indicators.iter_mut().find_map(|ind| {
            let inst = ind.instrument;
            ind.questions
                .iter_mut()
                .find(|q| &q.code == code)
                .map(|q| (inst, q))
        });
        let Some((inst, q)) = found else {
            c.error(
                Code::QuestionUnknown,
                sf,
                format!("questions[{k}].code"),
                msg!(
                    "ไม่รู้จักข้อคำถาม \"{code}\" (ไม่มีใน assessment.yaml)",
                    "unknown question code \"{code}\" (not in assessment.yaml)"
                ),
            );
            continue;
        };
        q.scores = match (inst, &qs.score, &qs.public, &qs.survey) {
            (Instrument::Iit | Instrument::Oit, Some(score), None, None) => {
                QuestionScores::Single {
                    score: score.checked(),
                }
            }
            (Instrument::Eit, None, Some(public), Some(survey)) => QuestionScores::Eit {
                public: public.checked(),
                survey: survey.checked(),
            },
            (Instrument::Iit | Instrument::Oit, ..) => {
                let inst = inst.code();
                c.error(
                    Code::QuestionScoreFields,
                    sf,
                    format!("questions[{k}]"),
                    msg!(
                        "ข้อคำถาม {inst} \"{code}\" ต้องมีเฉพาะ score",
                        "{inst} question \"{code}\" takes score only"
                    ),
                );
                continue;
            }
            _ => {
                c.error(
                    Code::QuestionScoreFields,
                    sf,
                    format!("questions[{k}]"),
                    msg!(
                        "ข้อคำถาม EIT \"{code}\" ต้องมี public และ survey",
                        "EIT question \"{code}\" takes public and survey"
                    ),
                );
                continue;
            }
        };
    }
}

/// A question written with its text is meant to be printed: without a score it would vanish.
pub(super) fn warn_unscored_questions(c: &mut Checker, y: &Year, indicators: &[Indicator]) {
    for (k, def) in y.assessment.indicators.iter().enumerate() {
        for (j, q) in def.questions.iter().enumerate() {
            let scored = indicators
                .iter()
                .flat_map(|i| &i.questions)
                .any(|s| s.code == q.code && s.scores != QuestionScores::Unknown);
            if q.text.is_some() && !scored && !c.diags.has_errors() {
                let code = &q.code;
                c.warning(Code::QuestionUnscored, c.files.assessment, format!("indicators[{k}].questions[{j}]"), msg!(
                    "ข้อคำถาม {code} มีข้อความแต่ไม่มีคะแนนใน scores.yaml จึงไม่ปรากฏในรายงาน",
                    "question {code} is defined with its text but has no score in scores.yaml, so the report leaves it out"
                ));
            }
        }
    }
}

/// Question codes follow their instrument: i.. for IIT, e.. for EIT, o.. for OIT.
pub(super) fn check_question_codes(c: &mut Checker, assessment: &AssessmentFile) {
    for (k, def) in assessment.indicators.iter().enumerate() {
        let prefix = def
            .instrument
            .code()
            .to_lowercase()
            .chars()
            .next()
            .unwrap_or('?');
        for (j, q) in def.questions.iter().enumerate() {
            if !q.code.starts_with(prefix) {
                let (code, n, inst) = (&q.code, def.number, def.instrument.code());
                c.error(Code::QuestionWrongIndicator, c.files.assessment, format!("indicators[{k}].questions[{j}].code"), msg!(
                    "ข้อคำถาม {code} อยู่ผิดตัวชี้วัด: ตัวชี้วัดที่ {n} เป็นของ {inst} ซึ่งใช้รหัสขึ้นต้นด้วย {prefix}",
                    "question {code} is under the wrong indicator: indicator {n} belongs to {inst}, whose codes start with {prefix}"
                ));
            }
        }
    }
}

/// Participants, participants of the group and rank, each filled in (0 where not, reported).
pub(super) fn filled_in_counts(c: &mut Checker, scores: &ScoresFile) -> (u32, u32, u32) {
    let sf = c.files.scores;
    let mut filled = |value: Option<u32>, field: &str| {
        if value.is_none() {
            c.error(
                Code::ScoreNotFilled,
                sf,
                field,
                msg!("ยังไม่ได้กรอกข้อมูลนี้", "not filled in yet"),
            );
        }
        value.unwrap_or(0)
    };
    let counts = (
        filled(scores.participants, "participants"),
        filled(scores.group_participants, "group_participants"),
        filled(scores.rank, "rank"),
    );
    check_counts_in_order(c, counts);
    counts
}

/// The rank is a place within the agency's group, and the group is part of all participants:
/// the report prints "ลำดับ ๖๑" of a group of 52 as readily as a right one.
fn check_counts_in_order(c: &mut Checker, (all, group, rank): (u32, u32, u32)) {
    let sf = c.files.scores;
    if group > 0 && all > 0 && group > all {
        c.error(
            Code::CountsOutOfOrder,
            sf,
            "group_participants",
            msg!(
                "หน่วยงานในกลุ่ม ({group}) มากกว่าหน่วยงานที่เข้าร่วมทั้งหมด ({all}) ไม่ได้",
                "the group's agencies ({group}) cannot outnumber all participants ({all})"
            ),
        );
    }
    if rank > 0 && group > 0 && rank > group {
        c.error(
            Code::CountsOutOfOrder,
            sf,
            "rank",
            msg!(
                "ลำดับที่ {rank} เกินจำนวนหน่วยงานในกลุ่ม ({group}): ลำดับนับภายในกลุ่ม {group} หน่วยงานนั้น",
                "rank {rank} is beyond the group's {group} agencies: the rank is a place within that group"
            ),
        );
    }
}

/// A rating stated as published names a level of the framework.
pub(super) fn check_stated_rating(c: &mut Checker, y: &Year) {
    if let Some(rating) = &y.scores.stated_ita.rating
        && !y.assessment.rating_levels.iter().any(|l| &l.name == rating)
    {
        let names = (y.assessment.rating_levels.iter())
            .map(|l| l.name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        c.error(
            Code::RatingUnknownLevel,
            c.files.scores,
            "stated_ita.rating",
            msg!(
                "ไม่มีระดับผลการประเมิน \"{rating}\" ใน assessment.yaml (มี: {names})",
                "there is no rating level \"{rating}\" in assessment.yaml (known: {names})"
            ),
        );
    }
}

impl Year {
    /// The framework's indicator numbers, in order.
    pub(super) fn framework(&self) -> BTreeSet<u8> {
        self.assessment
            .indicators
            .iter()
            .map(|i| i.number)
            .collect()
    }

    /// The weights of `year`, if the framework has them.
    pub(super) fn weight(&self, year: i32) -> Option<Weights> {
        self.assessment
            .weights
            .iter()
            .find(|w| w.year == year)
            .cloned()
    }
}

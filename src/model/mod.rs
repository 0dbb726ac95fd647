//! Stage 2, check: turns the raw files into a [`Report`] whose references are resolved, so that a
//! measure referenced but not defined, a score for an unknown question or a period that ends before
//! it starts cannot reach the templates. Every problem is collected, not only the first.

pub mod chars;

use std::collections::{BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::content::locate::FieldIndex;
use crate::content::period::fiscal_year_bounds;
use crate::content::{
    Agency, Budget, EitParts, Instrument, Monitoring, PeriodRaw, RatingLevel, Rationale, RawYear,
    Score, Shared, Unit, Weights,
};
use crate::diag::{Diagnostic, Diagnostics, Location, Message, SourceMap};
use crate::msg;

/// A fiscal year's report data, checked and resolved.
#[derive(Debug, Clone)]
pub struct Report {
    pub fiscal_year: i32,
    /// Date of the document (from agency.yaml, or the first day of the fiscal year).
    pub date: NaiveDate,
    pub assessed_year: i32,
    pub previous_year: i32,
    pub agency: Agency,
    pub preparer: Unit,
    pub units: Vec<Unit>,
    pub rationale: Rationale,
    pub monitoring: Monitoring,
    pub threshold: f64,
    pub weights_previous: Option<Weights>,
    pub weights_current: Weights,
    pub levels: Vec<RatingLevel>,
    pub criteria_reference: Option<String>,
    /// The framework's indicators, in the order of their numbers.
    pub indicators: Vec<Indicator>,
    pub participants: u32,
    pub group_participants: u32,
    pub rank: u32,
    pub stated_ita_previous: Option<Score>,
    pub stated_ita_current: Option<Score>,
    /// Where the stated ITA scores are written, for warnings about them.
    pub stated_ita_at: [Option<Location>; 2],
    /// The rating as published, and where it is written.
    pub stated_rating: Option<String>,
    pub stated_rating_at: Option<Location>,
    /// EIT parts 1 and 2 of the assessed year, as published.
    pub eit_parts: Option<EitParts>,
    /// Where the rating's missing values would go: scores.yaml.
    pub scores_at: Location,
    /// How a measure several indicators share is printed in section 5.
    pub shared: Shared,
    /// Warnings found while checking.
    pub warnings: Diagnostics,
    pub recommendations: Vec<Recommendation>,
    /// Measures in their printed order: `measures[k]` is measure number `k + 1`.
    pub measures: Vec<Measure>,
}

#[derive(Debug, Clone)]
pub struct Indicator {
    pub number: u8,
    pub instrument: Instrument,
    pub name: String,
    pub sub_indicators: Vec<String>,
    pub previous: Score,
    pub current: Score,
    pub questions: Vec<Question>,
    pub summary: Vec<String>,
    pub findings: Vec<String>,
    /// Indices into [`Report::measures`].
    pub measures: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Question {
    pub code: String,
    pub text: Option<String>,
    pub scores: QuestionScores,
}

/// What a question scored: IIT questions have one score, EIT questions two.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum QuestionScores {
    /// Not in the data.
    Unknown,
    Single {
        score: Score,
    },
    Eit {
        public: Score,
        survey: Score,
    },
}

impl QuestionScores {
    /// The lowest of the question's scores, used to pick questions for section 5.
    pub fn lowest(self) -> Option<f64> {
        match self {
            QuestionScores::Unknown => None,
            QuestionScores::Single { score } => Some(score.get()),
            QuestionScores::Eit { public, survey } => Some(public.get().min(survey.get())),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Recommendation {
    pub instrument: Instrument,
    /// Indicator numbers named in the row.
    pub indicators: Vec<u8>,
    pub paragraphs: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Measure {
    pub id: String,
    pub title: String,
    pub steps: Vec<String>,
    pub period: Period,
    /// Implementing units (section 6).
    pub units: Vec<String>,
    /// Coordinating unit (section 5).
    pub coordinator: String,
    pub budget: Option<Budget>,
    pub target: Option<String>,
}

/// A period whose start is never after its end, and the words it was written in, if any.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Period {
    start: NaiveDate,
    end: NaiveDate,
    written: Option<String>,
}

impl Period {
    pub fn new(start: NaiveDate, end: NaiveDate) -> Option<Self> {
        (start <= end).then_some(Self {
            start,
            end,
            written: None,
        })
    }

    /// The period as the agency wrote it (`ไตรมาส ๑ – ๒`), printed so; `None` for exact dates.
    pub fn written(&self) -> Option<&str> {
        self.written.as_deref()
    }

    pub fn start(&self) -> NaiveDate {
        self.start
    }

    pub fn end(&self) -> NaiveDate {
        self.end
    }
}

/// Points diagnostics at fields of the year's files.
struct Checker<'a> {
    sources: &'a SourceMap,
    indexes: HashMap<usize, FieldIndex>,
    diags: Diagnostics,
}

impl Checker<'_> {
    fn locate(&mut self, file: usize, path: &str) -> Option<Location> {
        let sources = self.sources;
        let index = self
            .indexes
            .entry(file)
            .or_insert_with(|| FieldIndex::new(sources.text(file)));
        let offset = index.offset(path)?;
        Some(Location {
            file,
            range: offset..offset,
        })
    }

    fn error(&mut self, file: usize, path: impl Into<String>, message: Message) {
        let path = path.into();
        let at = self.locate(file, &path);
        self.diags
            .push(Diagnostic::error(message).at(at).field(path));
    }

    fn warning(&mut self, file: usize, path: impl Into<String>, message: Message) {
        let path = path.into();
        let at = self.locate(file, &path);
        self.diags
            .push(Diagnostic::warning(message).at(at).field(path));
    }

    /// A date typed with a Buddhist-Era year (2569-01-15) is an error with the CE date as a hint.
    fn ce_date(&mut self, file: usize, path: &str, date: NaiveDate) -> bool {
        if date.year() < 2400 {
            return true;
        }
        let ce = date.with_year(date.year() - 543).map_or_else(
            || {
                format!(
                    "{}-{:02}-{:02}",
                    date.year() - 543,
                    date.month(),
                    date.day()
                )
            },
            |d| d.to_string(),
        );
        let at = self.locate(file, path);
        self.diags.push(
            Diagnostic::error(msg!(
                "วันที่ {date} ใช้ปี พ.ศ.: วันที่ในไฟล์ต้องเป็นปี ค.ศ.",
                "the date {date} has a Buddhist-Era year: dates in the files are in the CE calendar"
            ))
            .at(at)
            .field(path)
            .hint(msg!("เช่น {ce}", "e.g. {ce}")),
        );
        false
    }
}

/// Checks a loaded year and resolves every reference in it.
pub fn check(raw: RawYear, sources: &SourceMap) -> Result<Report, Diagnostics> {
    let mut c = Checker {
        sources,
        indexes: HashMap::new(),
        diags: Diagnostics::default(),
    };
    let RawYear {
        fiscal_year,
        agency,
        assessment,
        scores,
        recommendations,
        analysis,
        measures,
        ..
    } = raw;
    let (af, asf, sf, mf) = (agency.file, assessment.file, scores.file, measures.file);
    let (nf, rf) = (analysis.file, recommendations.file);
    let (agency, assessment, scores) = (agency.data, assessment.data, scores.data);

    // Every character of every value prints as written, or is named here at its field.
    for file in [af, asf, sf, mf, nf, rf] {
        let index = c
            .indexes
            .entry(file)
            .or_insert_with(|| FieldIndex::new(sources.text(file)));
        let found = crate::model::chars::check(sources.text(file), file, index);
        c.diags.extend(crate::diag::Diagnostics(found));
    }

    // Years: the report for fiscal year N analyses the assessment of N - 1 against N - 2.
    if scores.assessed_year != fiscal_year - 1 {
        let (got, want) = (scores.assessed_year, fiscal_year - 1);
        c.error(
            sf,
            "assessed_year",
            msg!(
                "รายงานปีงบประมาณ {fiscal_year} ต้องวิเคราะห์ผลปี {want} แต่ระบุ {got}",
                "the report for fiscal year {fiscal_year} analyses year {want}, found {got}"
            ),
        );
    }
    if scores.previous_year != scores.assessed_year - 1 {
        let (got, want) = (scores.previous_year, scores.assessed_year - 1);
        c.error(
            sf,
            "previous_year",
            msg!(
                "ปีที่เปรียบเทียบต้องเป็น {want} แต่ระบุ {got}",
                "the compared year must be {want}, found {got}"
            ),
        );
    }

    // Units.
    let unit_codes: BTreeSet<&str> = agency.units.iter().map(|u| u.code.as_str()).collect();
    let known_units = unit_codes.iter().copied().collect::<Vec<_>>().join(", ");
    // The preparer, a measure's units and its coordinator all name units of agency.yaml.
    let unknown_unit = |unit: &str| {
        msg!(
            "ไม่พบหน่วยงาน \"{unit}\" ในรายการ units ของ agency.yaml (มี: {known_units})",
            "unit \"{unit}\" is not in the units of agency.yaml (known: {known_units})"
        )
    };
    let preparer = agency
        .units
        .iter()
        .find(|u| u.code == agency.preparer)
        .cloned();
    if preparer.is_none() {
        c.error(af, "preparer", unknown_unit(&agency.preparer));
    }
    for (field, value) in [
        ("agency.name", &agency.agency.name),
        ("agency.abbreviation", &agency.agency.abbreviation),
    ] {
        if value.trim().is_empty() {
            c.error(af, field, msg!("ช่องนี้ว่างอยู่", "this is empty"));
        }
    }
    if let Some(date) = agency.date {
        c.ce_date(af, "date", date);
    }
    let deadline_ce = c.ce_date(
        af,
        "monitoring.report_deadline",
        agency.monitoring.report_deadline,
    );

    // Weights for both years compared.
    let weight = |year: i32| assessment.weights.iter().find(|w| w.year == year).cloned();
    for (k, w) in assessment.weights.iter().enumerate() {
        let sum = w.iit + w.eit + w.oit;
        let year = w.year;
        if [w.iit, w.eit, w.oit]
            .iter()
            .any(|x| !x.is_finite() || *x < 0.0)
        {
            let (iit, eit, oit) = (w.iit, w.eit, w.oit);
            c.error(
                asf,
                format!("weights[{k}]"),
                msg!(
                    "น้ำหนักของปี {year} ต้องเป็นตัวเลขไม่ติดลบ (ได้ iit {iit}, eit {eit}, oit {oit})",
                    "the weights of {year} must be numbers not below 0 (found iit {iit}, eit {eit}, oit {oit})"
                ),
            );
        } else if (sum - 100.0).abs() > 1e-9 {
            let year = w.year;
            c.error(
                asf,
                format!("weights[{k}]"),
                msg!(
                    "น้ำหนักของปี {year} รวมได้ {sum} ไม่ใช่ 100",
                    "the weights of {year} add up to {sum}, not 100"
                ),
            );
        }
    }
    // An instrument the framework has no indicators for weighs nothing in the ITA.
    for (k, w) in assessment.weights.iter().enumerate() {
        for (inst, value) in [
            (Instrument::Iit, w.iit),
            (Instrument::Eit, w.eit),
            (Instrument::Oit, w.oit),
        ] {
            if value != 0.0 && !assessment.indicators.iter().any(|i| i.instrument == inst) {
                let (code, year) = (inst.code(), w.year);
                c.error(asf, format!("weights[{k}]"), msg!(
                    "{code} ไม่มีตัวชี้วัดใน assessment.yaml แต่มีน้ำหนัก {value} ในปี {year}: ต้องเป็น 0",
                    "{code} has no indicators in assessment.yaml but a weight of {value} in {year}: it must be 0"
                ));
            }
        }
    }
    let weights_current = weight(scores.assessed_year);
    if weights_current.is_none() {
        let year = scores.assessed_year;
        c.error(
            asf,
            "weights",
            msg!("ไม่มีน้ำหนักคะแนนของปี {year}", "no weights for year {year}"),
        );
    }

    // Rating levels: present, best first, each range the right way round, and the levels without
    // part conditions covering 0-100 to the hundredth, without gaps or overlaps.
    let levels = &assessment.rating_levels;
    if levels.is_empty() {
        c.error(
            asf,
            "rating_levels",
            msg!("ไม่มีระดับผลการประเมิน", "there are no rating levels"),
        );
    }
    let cents = |x: f64| (x * 100.0).round() as i64;
    for (k, l) in levels.iter().enumerate() {
        if l.name.trim().is_empty() {
            c.error(
                asf,
                format!("rating_levels[{k}].name"),
                msg!("ระดับนี้ไม่มีชื่อ", "the level has no name"),
            );
        }
        for (which, range) in [("ita", Some(l.ita)), ("parts", l.parts)] {
            let Some(r) = range else { continue };
            if r.min.get() > r.max.get() {
                let (min, max) = (r.min.get(), r.max.get());
                c.error(
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
                asf,
                format!("rating_levels[{k}]"),
                msg!(
                    "ระดับผลการประเมินต้องเรียงจากดีที่สุดลงไป",
                    "rating levels must be listed best first"
                ),
            );
        }
    }
    let mut plain: Vec<(usize, i64, i64)> = levels
        .iter()
        .enumerate()
        .filter(|(_, l)| l.parts.is_none())
        .map(|(k, l)| (k, cents(l.ita.min.get()), cents(l.ita.max.get())))
        .collect();
    plain.sort_by_key(|&(_, _, max)| std::cmp::Reverse(max));
    if !levels.is_empty() && plain.is_empty() {
        c.error(
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
                asf,
                format!("rating_levels[{k}]"),
                msg!(
                    "ไม่มีระดับผลการประเมินสำหรับคะแนน ITA {from:.2} ถึง {to:.2}",
                    "no rating level covers an ITA of {from:.2} to {to:.2}"
                ),
            );
        } else if max + 1 > above {
            c.error(
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
            asf,
            format!("rating_levels[{k}]"),
            msg!(
                "ไม่มีระดับผลการประเมินสำหรับคะแนน ITA 0.00 ถึง {to:.2}",
                "no rating level covers an ITA of 0.00 to {to:.2}"
            ),
        );
    }

    // Indicators: the framework's, each once, with scores and an analysis row.
    let framework: BTreeSet<u8> = assessment.indicators.iter().map(|i| i.number).collect();
    let known = framework
        .iter()
        .map(u8::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let numbered: [(usize, &str, Vec<u8>); 3] = [
        (
            asf,
            "indicators",
            assessment.indicators.iter().map(|i| i.number).collect(),
        ),
        (
            sf,
            "indicators",
            scores.indicators.iter().map(|i| i.indicator).collect(),
        ),
        (
            nf,
            "analysis",
            analysis.data.analysis.iter().map(|i| i.indicator).collect(),
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
                    *file,
                    path,
                    msg!(
                        "ไม่มีตัวชี้วัดที่ {n}: ตัวชี้วัดใน assessment.yaml มีหมายเลข {known}",
                        "there is no indicator {n}: the indicators of assessment.yaml are numbered {known}"
                    ),
                );
            } else if numbers[..k].contains(&n) {
                c.error(
                    *file,
                    path,
                    msg!("ตัวชี้วัดที่ {n} ซ้ำ", "indicator {n} is listed twice"),
                );
            }
        }
    }
    for (k, sc) in scores.indicators.iter().enumerate() {
        if sc.current.is_none() {
            let (n, year) = (sc.indicator, scores.assessed_year);
            c.error(
                sf,
                format!("indicators[{k}].current"),
                msg!(
                    "ยังไม่ได้กรอกคะแนนตัวชี้วัดที่ {n} ของปี {year}",
                    "the score of indicator {n} for {year} is not filled in yet"
                ),
            );
        }
    }
    for def in assessment
        .indicators
        .iter()
        .filter(|d| d.instrument != Instrument::Oit || !d.questions.is_empty())
    {
        let n = def.number;
        if !def
            .questions
            .iter()
            .any(|q| scores.questions.iter().any(|s| s.code == q.code))
        {
            c.error(
                sf,
                "questions",
                msg!(
                    "ยังไม่มีคะแนนรายข้อคำถามของตัวชี้วัดที่ {n}",
                    "no question scores for indicator {n} yet"
                ),
            );
        }
    }
    let mut indicators: Vec<Indicator> = Vec::new();
    for &n in &framework {
        let defs: Vec<_> = assessment
            .indicators
            .iter()
            .filter(|i| i.number == n)
            .collect();
        let Some(def) = defs.first() else {
            c.error(
                asf,
                "indicators",
                msg!("ไม่มีตัวชี้วัดที่ {n}", "indicator {n} is missing"),
            );
            continue;
        };
        let Some(sc) = scores.indicators.iter().find(|s| s.indicator == n) else {
            c.error(
                sf,
                "indicators",
                msg!("ไม่มีคะแนนของตัวชี้วัดที่ {n}", "no scores for indicator {n}"),
            );
            continue;
        };
        let row = analysis.data.analysis.iter().position(|a| a.indicator == n);
        let Some(row_i) = row else {
            c.error(
                nf,
                "analysis",
                msg!(
                    "ไม่มีผลการวิเคราะห์ของตัวชี้วัดที่ {n}",
                    "no analysis for indicator {n}"
                ),
            );
            continue;
        };
        let row = &analysis.data.analysis[row_i];
        if row.findings.is_empty() {
            c.error(
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
                nf,
                format!("analysis[{row_i}].measures"),
                msg!(
                    "ตัวชี้วัดที่ {n} ไม่ได้นำไปสู่มาตรการใด",
                    "indicator {n} leads to no measure"
                ),
            );
        }
        let mut ms = Vec::new();
        for (k, id) in row.measures.iter().enumerate() {
            match measures.data.measures.iter().position(|m| &m.id == id) {
                Some(i) => ms.push(i),
                None => c.error(
                    nf,
                    format!("analysis[{row_i}].measures[{k}]"),
                    msg!(
                        "ไม่พบมาตรการ \"{id}\" ใน measures.yaml",
                        "measure \"{id}\" is not defined in measures.yaml"
                    ),
                ),
            }
        }
        let questions = def
            .questions
            .iter()
            .map(|q| Question {
                code: q.code.clone(),
                text: q.text.clone(),
                scores: QuestionScores::Unknown,
            })
            .collect();
        indicators.push(Indicator {
            number: n,
            instrument: def.instrument,
            name: def.name.clone(),
            sub_indicators: def.sub_indicators.clone(),
            previous: sc.previous,
            // A missing score was reported above; the placeholder never reaches a PDF.
            current: sc.current.unwrap_or(sc.previous),
            questions,
            summary: row.summary.clone(),
            findings: row.findings.clone(),
            measures: ms,
        });
    }

    // Question scores: a known code, in the shape its instrument needs.
    for (k, qs) in scores.questions.iter().enumerate() {
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
                sf,
                format!("questions[{k}].code"),
                msg!(
                    "ไม่รู้จักข้อคำถาม \"{code}\" (ไม่มีใน assessment.yaml)",
                    "unknown question code \"{code}\" (not in assessment.yaml)"
                ),
            );
            continue;
        };
        q.scores = match (inst, qs.score, qs.public, qs.survey) {
            (Instrument::Iit | Instrument::Oit, Some(score), None, None) => {
                QuestionScores::Single { score }
            }
            (Instrument::Eit, None, Some(public), Some(survey)) => {
                QuestionScores::Eit { public, survey }
            }
            (Instrument::Iit | Instrument::Oit, ..) => {
                let inst = inst.code();
                c.error(
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

    // A question written with its text is meant to be printed: without a score it would vanish.
    for (k, def) in assessment.indicators.iter().enumerate() {
        for (j, q) in def.questions.iter().enumerate() {
            let scored = indicators
                .iter()
                .flat_map(|i| &i.questions)
                .any(|s| s.code == q.code && s.scores != QuestionScores::Unknown);
            if q.text.is_some() && !scored && !c.diags.has_errors() {
                let code = &q.code;
                c.warning(asf, format!("indicators[{k}].questions[{j}]"), msg!(
                    "ข้อคำถาม {code} มีข้อความแต่ไม่มีคะแนนใน scores.yaml จึงไม่ปรากฏในรายงาน",
                    "question {code} is defined with its text but has no score in scores.yaml, so the report leaves it out"
                ));
            }
        }
    }

    // Measures: unique ids, a valid period, known units, each referenced from the analysis.
    let coordinator_default = measures.data.coordinator.clone();
    // Checked once here, not again for each measure it stands for.
    if !unit_codes.contains(coordinator_default.as_str()) {
        c.error(mf, "coordinator", unknown_unit(&coordinator_default));
    }
    // Periods: exact dates, or words resolved to their first and last day.
    let mut periods: Vec<Option<Period>> = Vec::new();
    for (k, m) in measures.data.measures.iter().enumerate() {
        let path = format!("measures[{k}].period");
        let period = match &m.period {
            PeriodRaw::Dates(d) => {
                let ok = c.ce_date(mf, &format!("{path}.start"), d.start)
                    & c.ce_date(mf, &format!("{path}.end"), d.end);
                let p = Period::new(d.start, d.end);
                if p.is_none() && ok {
                    let (s, e) = (d.start, d.end);
                    c.error(
                        mf,
                        &path,
                        msg!("วันเริ่ม {s} อยู่หลังวันสิ้นสุด {e}", "start {s} is after end {e}"),
                    );
                }
                p.filter(|_| ok)
            }
            PeriodRaw::Written(text) => match crate::content::period::parse(text, fiscal_year) {
                Some((start, end)) => Some(Period {
                    start,
                    end,
                    written: Some(text.clone()),
                }),
                None => {
                    c.error(
                        mf,
                        &path,
                        crate::content::period::forms(&format!("\"{text}\"")),
                    );
                    None
                }
            },
        };
        periods.push(period);
    }
    let mut out_measures = Vec::new();
    for (k, m) in measures.data.measures.iter().enumerate() {
        let id = &m.id;
        if measures.data.measures[..k].iter().any(|o| &o.id == id) {
            c.error(
                mf,
                format!("measures[{k}].id"),
                msg!(
                    "รหัสมาตรการ \"{id}\" ซ้ำ",
                    "measure id \"{id}\" is defined twice"
                ),
            );
        }
        if !indicators.iter().any(|i| i.measures.contains(&k)) {
            c.error(
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
                mf,
                format!("measures[{k}].title"),
                msg!("มาตรการไม่มีชื่อ", "the measure has no title"),
            );
        }
        if m.steps.is_empty() || m.steps.iter().any(|s| s.trim().is_empty()) {
            c.error(
                mf,
                format!("measures[{k}].steps"),
                msg!(
                    "มาตรการต้องมีขั้นตอนอย่างน้อยหนึ่งข้อ และไม่มีข้อว่าง",
                    "the measure needs at least one step and no empty step"
                ),
            );
        }
        if m.units.is_empty() {
            c.error(
                mf,
                format!("measures[{k}].units"),
                msg!(
                    "มาตรการต้องมีผู้รับผิดชอบอย่างน้อยหนึ่งหน่วยงาน",
                    "the measure needs at least one responsible unit"
                ),
            );
        }
        for (u, unit) in m.units.iter().enumerate() {
            if !unit_codes.contains(unit.as_str()) {
                c.error(mf, format!("measures[{k}].units[{u}]"), unknown_unit(unit));
            }
        }
        if let Some(unit) = &m.coordinator
            && !unit_codes.contains(unit.as_str())
        {
            c.error(mf, format!("measures[{k}].coordinator"), unknown_unit(unit));
        }
        let coordinator = m
            .coordinator
            .clone()
            .unwrap_or_else(|| coordinator_default.clone());
        let Some(period) = periods[k].clone() else {
            continue;
        };
        out_measures.push(Measure {
            id: m.id.clone(),
            title: m.title.clone(),
            steps: m.steps.clone(),
            period,
            units: m.units.clone(),
            coordinator,
            budget: m.budget.clone(),
            target: m.target.clone(),
        });
    }

    let recs = recommendations
        .data
        .recommendations
        .iter()
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
                    rf,
                    format!("recommendations[{k}].indicators[{j}]"),
                    msg!(
                        "ตัวชี้วัดที่ {n} ไม่อยู่ในแบบวัด {inst}",
                        "indicator {n} is not part of {inst}"
                    ),
                );
            }
        }
    }

    // Periods inside the fiscal year (1 October to 30 September), the report deadline just after it.
    let (fy_start, fy_end) = fiscal_year_bounds(fiscal_year);
    for (k, p) in periods.iter().enumerate() {
        let Some(p) = p else { continue };
        let written = p.written().is_some();
        for (which, date) in [("start", p.start), ("end", p.end)] {
            if date < fy_start || date > fy_end {
                let which = if written {
                    String::new()
                } else {
                    format!(".{which}")
                };
                let (d, s, e) = (date, fy_start, fy_end);
                c.error(
                    mf,
                    format!("measures[{k}].period{which}"),
                    msg!(
                        "วันที่ {d} อยู่นอกปีงบประมาณ {fiscal_year} ({s} ถึง {e})",
                        "date {d} is outside fiscal year {fiscal_year} ({s} to {e})"
                    ),
                );
            }
        }
    }
    let deadline = agency.monitoring.report_deadline;
    let latest = fy_end + chrono::Days::new(92);
    if deadline_ce && (deadline < fy_start || deadline > latest) {
        c.error(af, "monitoring.report_deadline", msg!(
            "กำหนดส่งรายงาน {deadline} ต้องอยู่ในปีงบประมาณ {fiscal_year} หรือไม่เกิน {latest}",
            "the report deadline {deadline} must fall in fiscal year {fiscal_year} or by {latest}"
        ));
    }

    // Question codes follow their instrument: i.. for IIT, e.. for EIT, o.. for OIT.
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
                c.error(asf, format!("indicators[{k}].questions[{j}].code"), msg!(
                    "ข้อคำถาม {code} อยู่ผิดตัวชี้วัด: ตัวชี้วัดที่ {n} เป็นของ {inst} ซึ่งใช้รหัสขึ้นต้นด้วย {prefix}",
                    "question {code} is under the wrong indicator: indicator {n} belongs to {inst}, whose codes start with {prefix}"
                ));
            }
        }
    }

    // The agency's abbreviation is spelled one way in every text.
    let abbr = agency.agency.abbreviation.clone();
    let mut allowed: BTreeSet<String> = unit_codes.iter().map(|u| u.to_string()).collect();
    allowed.extend(agency.agency.other_abbreviations.iter().cloned());
    let texts = user_texts(
        &agency,
        &assessment,
        &recommendations.data,
        &analysis.data,
        &measures.data,
    );
    for (file, path, text) in texts {
        let file = match file {
            TextFile::Agency => af,
            TextFile::Assessment => asf,
            TextFile::Recommendations => rf,
            TextFile::Analysis => nf,
            TextFile::Measures => mf,
        };
        for word in words(text).filter_map(|w| slip(w, &abbr)) {
            if !allowed.contains(word) {
                let at = c.locate(file, &path).map(|l| {
                    let from = l.range.start;
                    let o = sources.text(file)[from..]
                        .find(word)
                        .map_or(from, |o| from + o);
                    Location {
                        file,
                        range: o..o + word.len(),
                    }
                });
                c.diags.push(
                    Diagnostic::error(msg!(
                        "อักษรย่อ \"{word}\" ต่างจากอักษรย่อของหน่วยงาน \"{abbr}\"",
                        "abbreviation \"{word}\" differs from the agency's \"{abbr}\""
                    ))
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

    let mut filled = |value: Option<u32>, field: &str| {
        if value.is_none() {
            c.error(sf, field, msg!("ยังไม่ได้กรอกข้อมูลนี้", "not filled in yet"));
        }
        value.unwrap_or(0)
    };
    let participants = filled(scores.participants, "participants");
    let group_participants = filled(scores.group_participants, "group_participants");
    let rank = filled(scores.rank, "rank");
    if recs.is_empty() {
        c.error(
            rf,
            "recommendations",
            msg!(
                "ยังไม่มีข้อเสนอแนะของผู้ประเมิน",
                "no recommendations of the assessors yet"
            ),
        );
    }
    if out_measures.is_empty() && measures.data.measures.is_empty() {
        c.error(mf, "measures", msg!("ยังไม่มีมาตรการ", "no measures yet"));
    }
    if let Some(rating) = &scores.stated_ita.rating
        && !assessment.rating_levels.iter().any(|l| &l.name == rating)
    {
        let names = assessment
            .rating_levels
            .iter()
            .map(|l| l.name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        c.error(
            sf,
            "stated_ita.rating",
            msg!(
                "ไม่มีระดับผลการประเมิน \"{rating}\" ใน assessment.yaml (มี: {names})",
                "there is no rating level \"{rating}\" in assessment.yaml (known: {names})"
            ),
        );
    }
    if c.diags.has_errors() || indicators.is_empty() {
        return Err(c.diags);
    }
    let stated_ita_at = [
        c.locate(sf, "stated_ita.previous"),
        c.locate(sf, "stated_ita.current"),
    ];
    let stated_rating_at = c.locate(sf, "stated_ita.rating");
    let scores_at = c.locate(sf, "eit_parts").unwrap_or(Location {
        file: sf,
        range: 0..0,
    });
    let (Some(preparer), Some(weights_current)) = (preparer, weights_current) else {
        return Err(c.diags);
    };
    Ok(Report {
        date: agency.date.unwrap_or(fy_start),
        fiscal_year,
        assessed_year: scores.assessed_year,
        previous_year: scores.previous_year,
        agency: agency.agency,
        preparer,
        units: agency.units,
        rationale: agency.rationale,
        monitoring: agency.monitoring,
        threshold: assessment.threshold.get(),
        weights_previous: weight(scores.previous_year),
        weights_current,
        levels: assessment.rating_levels,
        criteria_reference: assessment.criteria_reference,
        indicators,
        participants,
        group_participants,
        rank,
        stated_ita_previous: scores.stated_ita.previous,
        stated_ita_current: scores.stated_ita.current,
        stated_ita_at,
        stated_rating: scores.stated_ita.rating,
        stated_rating_at,
        eit_parts: scores.eit_parts,
        scores_at,
        shared: measures.data.shared,
        warnings: c.diags,
        recommendations: recs,
        measures: out_measures,
    })
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
    agency: &'a crate::content::AgencyFile,
    assessment: &'a crate::content::AssessmentFile,
    recommendations: &'a crate::content::RecommendationsFile,
    analysis: &'a crate::content::AnalysisFile,
    measures: &'a crate::content::MeasuresFile,
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

    #[test]
    fn fiscal_year_runs_october_to_september() {
        let (s, e) = fiscal_year_bounds(2569);
        assert_eq!(
            (s.to_string(), e.to_string()),
            ("2025-10-01".into(), "2026-09-30".into())
        );
    }
}

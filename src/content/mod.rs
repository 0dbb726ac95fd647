//! Stage 1, load: the only place that reads YAML. Raw serde structs mirror the files one to one;
//! nothing computed lives here, and a YAML error keeps its file, line, column and field path.

pub mod edit;
mod exact;
pub mod locate;
pub mod nearest;
pub mod period;
pub mod rewrite;
mod scalars;
pub mod schema;
pub mod typing;
mod yaml;

use std::any::{Any, TypeId};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use walkdir::WalkDir;

use crate::diag::{Code, Diagnostic, Diagnostics, Location, SourceMap};
use crate::files::read_confined;

use crate::msg;
pub use exact::{Exact, cents};

pub use scalars::{Budget, BudgetRaw, Score, ScoreProblem, ScoreValue};

/// Largest YAML file accepted: the real files are a few kilobytes.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The three instruments of the ITA.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
pub enum Instrument {
    /// Internal survey, indicators 1-5.
    #[serde(rename = "IIT")]
    Iit,
    /// External survey, indicators 6-8.
    #[serde(rename = "EIT")]
    Eit,
    /// Open data, indicators 9-10.
    #[serde(rename = "OIT")]
    Oit,
}

impl Instrument {
    pub const ALL: [Instrument; 3] = [Instrument::Iit, Instrument::Eit, Instrument::Oit];

    pub fn code(self) -> &'static str {
        match self {
            Instrument::Iit => "IIT",
            Instrument::Eit => "EIT",
            Instrument::Oit => "OIT",
        }
    }
}

/// `agency.yaml`: who the report is about and the agency's own prose.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgencyFile {
    pub agency: Agency,
    /// Code of the unit that prepares the document; must be one of `units`.
    pub preparer: String,
    pub units: Vec<Unit>,
    /// Section 1.
    pub rationale: Rationale,
    /// Section 7.
    pub monitoring: Monitoring,
    /// Date of the document, written into the PDF; default: the first day of the fiscal year.
    /// Coming from content, never from the clock, it keeps rebuilds byte-identical.
    #[serde(default)]
    pub date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Agency {
    pub name: String,
    pub abbreviation: String,
    /// Title of the head of the agency, who receives the section 7 reports.
    pub head: String,
    /// The group of agencies it is ranked in.
    pub group: String,
    /// Abbreviations of other organisations that look like this agency's own, so the spelling
    /// check does not take them for typing slips.
    #[serde(default)]
    pub other_abbreviations: Vec<String>,
    /// Words a line must never break inside (names, terms the Thai dictionary does not know),
    /// besides the abbreviation, the unit codes and the NACC's terms, which are always kept whole.
    #[serde(default)]
    pub glossary: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    pub code: String,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rationale {
    pub paragraphs: Vec<String>,
    /// Bullet items printed after the last paragraph.
    #[serde(default)]
    pub items: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Monitoring {
    pub items: Vec<String>,
    /// Deadline for the units' reports, printed as the last item of section 7.
    pub report_deadline: NaiveDate,
}

/// `assessment.yaml`: the NACC framework of the assessed years.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessmentFile {
    /// Questions scoring below this go into section 5.
    pub threshold: ScoreValue,
    pub weights: Vec<Weights>,
    pub rating_levels: Vec<RatingLevel>,
    #[serde(default)]
    pub criteria_reference: Option<String>,
    pub indicators: Vec<IndicatorDef>,
}

/// Weights of the instruments in the ITA score for one assessment year, in percent.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    pub year: i32,
    pub iit: f64,
    pub eit: f64,
    pub oit: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingLevel {
    pub name: String,
    pub ita: ScoreRange,
    /// Range every part score (IIT, EIT part 1, EIT part 2, OIT) must also fall in.
    #[serde(default)]
    pub parts: Option<ScoreRange>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreRange {
    pub min: ScoreValue,
    pub max: ScoreValue,
}

impl ScoreRange {
    /// Whether a score, rounded to two decimals as printed, lies in the range.
    pub fn contains(&self, score: f64) -> bool {
        let s = cents(score);
        s >= cents(self.min.get()) && s <= cents(self.max.get())
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorDef {
    pub number: u8,
    pub instrument: Instrument,
    pub name: String,
    #[serde(default)]
    pub questions: Vec<QuestionDef>,
    #[serde(default)]
    pub sub_indicators: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionDef {
    pub code: String,
    #[serde(default)]
    pub text: Option<String>,
}

/// `scores.yaml`: what the agency scored.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoresFile {
    pub assessed_year: i32,
    pub previous_year: i32,
    /// Empty (`~`) in a year started by `oit025 new` until the NACC's results are in.
    pub participants: Option<u32>,
    pub group_participants: Option<u32>,
    pub rank: Option<u32>,
    pub indicators: Vec<IndicatorScore>,
    #[serde(default)]
    pub stated_ita: StatedIta,
    /// The EIT part scores of the assessed year as published: the rating levels read them.
    #[serde(default)]
    pub eit_parts: Option<EitParts>,
    #[serde(default)]
    pub questions: Vec<QuestionScore>,
}

/// EIT ส่วนที่ ๑ (EIT Public) and ส่วนที่ ๒ (EIT Survey) totals of the assessed year.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EitParts {
    pub part1: ScoreValue,
    pub part2: ScoreValue,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorScore {
    pub indicator: u8,
    pub previous: ScoreValue,
    /// Empty (`~`) until the assessed year's score is known.
    pub current: Option<ScoreValue>,
}

/// ITA scores as published by the NACC, printed instead of the computed ones.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatedIta {
    #[serde(default)]
    pub previous: Option<ScoreValue>,
    #[serde(default)]
    pub current: Option<ScoreValue>,
    /// The rating level as published, printed instead of the computed one.
    #[serde(default)]
    pub rating: Option<String>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionScore {
    pub code: String,
    /// IIT and OIT questions: the one score.
    #[serde(default)]
    pub score: Option<ScoreValue>,
    /// EIT questions: EIT Public.
    #[serde(default)]
    pub public: Option<ScoreValue>,
    /// EIT questions: EIT Survey.
    #[serde(default)]
    pub survey: Option<ScoreValue>,
}

/// `recommendations.yaml`: the assessors' recommendations, one row per instrument.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecommendationsFile {
    pub recommendations: Vec<Recommendation>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Recommendation {
    pub instrument: Instrument,
    pub indicators: Vec<u8>,
    pub paragraphs: Vec<String>,
}

/// `analysis.yaml`: section 5, one row per indicator.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnalysisFile {
    pub analysis: Vec<AnalysisRow>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnalysisRow {
    pub indicator: u8,
    /// Text shown instead of questions, for indicators without questions (OIT).
    #[serde(default)]
    pub summary: Vec<String>,
    pub findings: Vec<String>,
    /// Ids of the measures this indicator leads to.
    pub measures: Vec<String>,
}

/// `measures.yaml`: the measures, each written once.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasuresFile {
    /// Unit that coordinates every measure (section 5's responsible column).
    pub coordinator: String,
    /// How a measure that several indicators lead to is printed in section 5.
    #[serde(default)]
    pub shared: Shared,
    pub measures: Vec<MeasureRaw>,
}

/// A measure shared by several indicators: in full under each, or in full under the first and
/// referred to by its number under the others.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Shared {
    #[default]
    Everywhere,
    Once,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureRaw {
    pub id: String,
    pub title: String,
    pub steps: Vec<String>,
    pub period: PeriodRaw,
    /// Implementing units (section 6's responsible column).
    pub units: Vec<String>,
    #[serde(default)]
    pub coordinator: Option<String>,
    /// Budget: an amount in baht, or a text such as ไม่ใช้งบประมาณ.
    #[serde(default)]
    pub budget: Option<BudgetRaw>,
    /// Target or indicator of success.
    #[serde(default)]
    pub target: Option<String>,
}

/// A measure's period: exact dates, or words as agencies write them (see [`period`]).
#[derive(Debug, Clone, PartialEq)]
pub enum PeriodRaw {
    Dates(PeriodDates),
    Written(String),
    /// Neither dates nor words (a number, a list, ...): what was found, as the check stage's
    /// message about the forms of a period quotes it.
    Invalid(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodDates {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl JsonSchema for PeriodRaw {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PeriodRaw".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let dates = generator.subschema_for::<PeriodDates>();
        schemars::json_schema!({
            "oneOf": [dates, { "type": "string", "minLength": 1 }]
        })
    }
}

impl<'de> Deserialize<'de> for PeriodRaw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PeriodRaw;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a period: exact dates, or words")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PeriodRaw, E> {
                Ok(PeriodRaw::Written(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<PeriodRaw, E> {
                Ok(PeriodRaw::Invalid(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<PeriodRaw, E> {
                Ok(PeriodRaw::Invalid(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<PeriodRaw, E> {
                Ok(PeriodRaw::Invalid(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<PeriodRaw, E> {
                Ok(PeriodRaw::Invalid(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<PeriodRaw, E> {
                Ok(PeriodRaw::Invalid("~".into()))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<PeriodRaw, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(PeriodRaw::Invalid("[…]".into()))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<PeriodRaw, A::Error> {
                PeriodDates::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(PeriodRaw::Dates)
            }
        }
        d.deserialize_any(V)
    }
}

/// One fiscal year's files as read, with where each came from.
pub struct RawYear {
    pub fiscal_year: i32,
    /// Warnings found while loading (such as an unknown file in the folder).
    pub warnings: Diagnostics,
    pub dir: PathBuf,
    pub agency: Loaded<AgencyFile>,
    pub assessment: Loaded<AssessmentFile>,
    pub scores: Loaded<ScoresFile>,
    pub recommendations: Loaded<RecommendationsFile>,
    pub analysis: Loaded<AnalysisFile>,
    pub measures: Loaded<MeasuresFile>,
}

/// A parsed file and its id in the [`SourceMap`], so later stages can point into it.
pub struct Loaded<T> {
    pub file: usize,
    pub data: T,
}

/// The files a year consists of, in the order they are read.
pub const FILES: [&str; 6] = [
    "agency.yaml",
    "assessment.yaml",
    "scores.yaml",
    "recommendations.yaml",
    "analysis.yaml",
    "measures.yaml",
];

/// Name of the seal file in a year's folder.
pub const SEAL_FILE: &str = "sealed.yaml";

/// Fiscal years found under `content/`, oldest first.
pub fn years(root: &Path) -> Result<Vec<i32>, Diagnostics> {
    let content = root.join("content");
    let mut years: Vec<i32> = WalkDir::new(&content)
        .min_depth(1)
        .max_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir())
        // Named exactly as a year: `02569` or `+2569` is not 2569's folder.
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            name.parse::<i32>().ok().filter(|y| y.to_string() == name)
        })
        .collect();
    years.sort_unstable();
    if years.is_empty() {
        return Err(Diagnostic::error(
            Code::ContentNoYears,
            msg!(
                "ไม่พบโฟลเดอร์ปีงบประมาณใน content/ (เช่น content/2569)",
                "no fiscal year folder under content/ (such as content/2569)"
            ),
        )
        .in_file(content)
        .into());
    }
    Ok(years)
}

/// Texts that stand in for files of a year not saved yet, by file name (`measures.yaml`): what
/// the browser editor checks as a person types.
pub type Drafts = std::collections::BTreeMap<String, String>;

/// Reads and parses every file of one fiscal year, collecting all errors rather than the first.
/// A file `parsed` holds with the same text is not parsed again; a file in `drafts` is read from
/// there instead of the disk.
pub fn load_year(
    root: &Path,
    fiscal_year: i32,
    sources: &mut SourceMap,
    parsed: &ParsedFiles,
    drafts: &Drafts,
) -> Result<RawYear, Diagnostics> {
    let dir = root.join("content").join(fiscal_year.to_string());
    let mut diags = Diagnostics::default();
    check_year(fiscal_year).map_err(|d| Diagnostics::from(d.in_file(rel(root, &dir))))?;
    if !dir.is_dir() {
        return Err(Diagnostic::error(
            Code::ContentYearMissing,
            msg!(
                "ไม่พบโฟลเดอร์ของปีงบประมาณ {fiscal_year}",
                "no folder for fiscal year {fiscal_year}"
            ),
        )
        .in_file(rel(root, &dir))
        .into());
    }
    let found = discover(root, &dir, &mut diags);
    let mut read = |name: &str| -> Option<(usize, String)> {
        let Some(path) = found
            .iter()
            .find(|p| p.file_name().is_some_and(|n| n == name))
        else {
            diags.push(
                Diagnostic::error(
                    Code::FileMissing,
                    msg!("ไม่พบไฟล์ที่จำเป็น", "a required file is missing"),
                )
                .in_file(rel(root, &dir.join(name))),
            );
            return None;
        };
        let name = rel(root, path);
        if let Some(text) = drafts.get(name.file_name()?.to_str()?) {
            let text = without_bom(text.clone());
            return Some((sources.add(&name, text.clone()), text));
        }
        match read_confined(root, path, MAX_FILE_BYTES).map(String::from_utf8) {
            Ok(Ok(text)) => {
                let text = without_bom(text);
                Some((sources.add(&name, text.clone()), text))
            }
            Ok(Err(e)) => {
                // Shown with the bad byte replaced, so the error has a line and a column.
                let at = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                let file = sources.add(&name, text);
                diags.push(
                    Diagnostic::error(
                        Code::FileNotUtf8,
                        msg!(
                            "ไฟล์ไม่ได้เข้ารหัสเป็น UTF-8 (ไบต์ที่ {at})",
                            "file is not UTF-8 (at byte {at})"
                        ),
                    )
                    .at(Some(Location {
                        file,
                        range: at..at + '\u{FFFD}'.len_utf8(),
                    }))
                    .hint(msg!("บันทึกไฟล์ใหม่เป็น UTF-8", "save the file as UTF-8")),
                );
                None
            }
            Err((code, m)) => {
                diags.push(Diagnostic::error(code, m).in_file(name));
                None
            }
        }
    };
    let mut texts: Vec<Option<(usize, String)>> = FILES.iter().map(|n| read(n)).collect();
    set_aside_unfilled(&mut texts, &mut diags);
    // Parsed on two cores, about the same number of bytes each; the diagnostics keep the
    // files' order.
    let file = |k: usize| texts[k].as_ref();
    let ((agency, assessment, recommendations), (scores, analysis, measures)) = crate::par::join(
        || {
            (
                parse::<AgencyFile>(fiscal_year, file(0), parsed),
                parse::<AssessmentFile>(fiscal_year, file(1), parsed),
                parse::<RecommendationsFile>(fiscal_year, file(3), parsed),
            )
        },
        || {
            (
                parse::<ScoresFile>(fiscal_year, file(2), parsed),
                parse::<AnalysisFile>(fiscal_year, file(4), parsed),
                parse::<MeasuresFile>(fiscal_year, file(5), parsed),
            )
        },
    );
    fn take<T>(diags: &mut Diagnostics, (loaded, found): (Option<T>, Diagnostics)) -> Option<T> {
        diags.extend(found);
        loaded
    }
    let agency = take(&mut diags, agency);
    let assessment = take(&mut diags, assessment);
    let scores = take(&mut diags, scores);
    let recommendations = take(&mut diags, recommendations);
    let analysis = take(&mut diags, analysis);
    let measures = take(&mut diags, measures);
    match (
        agency,
        assessment,
        scores,
        recommendations,
        analysis,
        measures,
    ) {
        (
            Some(agency),
            Some(assessment),
            Some(scores),
            Some(recommendations),
            Some(analysis),
            Some(measures),
        ) if !diags.has_errors() => Ok(RawYear {
            fiscal_year,
            warnings: diags,
            dir,
            agency,
            assessment,
            scores,
            recommendations,
            analysis,
            measures,
        }),
        _ => Err(diags),
    }
}

/// What `init` left for the agency to fill in is listed, and a file holding any is set aside,
/// not parsed (a mark where a number goes would only repeat the same news as a type error).
fn set_aside_unfilled(texts: &mut [Option<(usize, String)>], diags: &mut Diagnostics) {
    let mut left = 0;
    for slot in texts.iter_mut() {
        let Some((file, text)) = slot else { continue };
        let marks = fill_in_marks(text);
        left += marks.len();
        for at in &marks {
            diags.push(
                Diagnostic::error(
                    Code::ContentFillIn,
                    msg!(
                        "ยังไม่ได้กรอกข้อมูลของหน่วยงานในช่องนี้",
                        "the agency's own data is still to be filled in here"
                    ),
                )
                .at(Some(Location {
                    file: *file,
                    range: *at..*at + FILL_IN.len(),
                })),
            );
        }
        if !marks.is_empty() {
            *slot = None;
        }
    }
    if left > 0 {
        diags.push(Diagnostic::error(
            Code::ContentFillInCount,
            msg!(
                "ยังต้องกรอกอีก {left} ช่อง: แทนที่ {FILL_IN} ทุกแห่งด้วยข้อมูลของหน่วยงาน",
                "{left} places still to fill in: replace every {FILL_IN} with the agency's own data"
            ),
        ));
    }
}

/// What `init` writes where the agency's own data goes.
pub const FILL_IN: &str = "(กรอก)";

/// Offsets of the [`FILL_IN`] marks outside comments.
fn fill_in_marks(text: &str) -> Vec<usize> {
    text.match_indices(FILL_IN)
        .map(|(at, _)| at)
        .filter(|&at| {
            let line = text[..at].rfind('\n').map_or(0, |i| i + 1);
            !text[line..at].contains('#')
        })
        .collect()
}

/// Lists the YAML files of a year folder; anything else there is reported, not silently ignored.
fn discover(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name()
    {
        let Ok(entry) = entry else { continue };
        let path = entry.path();
        let name = entry.file_name().to_string_lossy();
        let is_yaml = name.ends_with(".yaml") || name.ends_with(".yml");
        if is_yaml && name == SEAL_FILE {
            // The seal is not content; `archive` and `verify` read it.
        } else if is_yaml && !FILES.contains(&name.as_ref()) {
            diags.push(
                Diagnostic::warning(
                    Code::ContentUnknownFile,
                    msg!("ไม่รู้จักไฟล์นี้ จึงไม่ได้อ่าน", "unknown file, not read"),
                )
                .in_file(rel(root, path))
                .hint({
                    let known = FILES.join(", ");
                    msg!("ชื่อไฟล์ที่ใช้ได้: {known}", "known files: {known}")
                }),
            );
        } else if is_yaml {
            found.push(path.to_path_buf());
        }
    }
    found
}

/// The fiscal years the tool accepts, in Buddhist Era: the date arithmetic of a year far outside
/// them would overflow, and no report is about them.
pub const YEARS: std::ops::RangeInclusive<i32> = 2400..=2999;

/// An error unless `year` is in [`YEARS`].
pub fn check_year(year: i32) -> Result<(), Box<Diagnostic>> {
    if YEARS.contains(&year) {
        return Ok(());
    }
    let (lo, hi) = (YEARS.start(), YEARS.end());
    Err(Box::new(
        Diagnostic::error(
            Code::YearInvalid,
            msg!(
                "ปีงบประมาณ {year} ใช้ไม่ได้: ต้องเป็นปี พ.ศ. {lo} ถึง {hi}",
                "fiscal year {year} is not valid: expected a Buddhist-Era year from {lo} to {hi}"
            ),
        )
        .hint(msg!(
            "ชื่อโฟลเดอร์ใน content/ คือปีงบประมาณ พ.ศ. เช่น 2569",
            "the folders under content/ are named after the fiscal year in Buddhist Era, e.g. 2569"
        )),
    ))
}

/// The text without a leading byte-order mark, which Windows Notepad may save: the YAML readers
/// took it for part of the first key (`\u{FEFF}agency`), so the whole file failed to read. It is
/// invisible, so lines and columns counted without it are the ones an editor shows. Edits keep
/// the file's mark (`edit::apply`).
fn without_bom(text: String) -> String {
    match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

/// Parses one file read by [`load_year`] (none if it could not be read), with what is wrong in it:
/// what serde cannot read, then the values it reads as written and the loader checks
/// ([`scalars::WrittenValues`]), each where it is written.
fn parse<T: DeserializeOwned + Clone + Send + 'static + scalars::WrittenValues>(
    fiscal_year: i32,
    read: Option<&(usize, String)>,
    parsed: &ParsedFiles,
) -> (Option<Loaded<T>>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let Some((file, text)) = read else {
        return (None, diags);
    };
    let data = parsed.parse::<T>(*file, text, &mut diags);
    let problems = (data.as_ref())
        .map(|d| d.problems(fiscal_year))
        .unwrap_or_default();
    if !problems.is_empty() {
        let index = locate::FieldIndex::new(text);
        for (path, code, message) in problems {
            let at = index.offset(&path).map(|at| Location {
                file: *file,
                range: at..at,
            });
            diags.push(Diagnostic::error(code, message).at(at).field(path));
        }
        return (None, diags);
    }
    (data.map(|data| Loaded { file: *file, data }), diags)
}

/// The files parsed by one owner's builds (a `watch`, a worker of a batch), newest last, by type
/// and text: a rebuild under `watch` after an edit parses again only the file that changed (the
/// others were 1.5 ms of it), and the agencies of a batch often share a file (the NACC's
/// assessment structure). Whoever holds it keeps the files; dropping it forgets them. It is
/// shared by the two threads a year's files are parsed on.
#[derive(Default)]
pub struct ParsedFiles(Mutex<Vec<Parsed>>);

/// A parsed file: the type it was parsed as, its text, and the value.
type Parsed = (TypeId, String, Box<dyn Any + Send>);

/// Parsed files kept at most: two builds' worth.
const PARSED_KEPT: usize = 2 * FILES.len();

impl ParsedFiles {
    /// `text` as a `T`: a copy of the value kept for the same text and type, or parsed anew.
    fn parse<T: DeserializeOwned + Clone + Send + 'static>(
        &self,
        file: usize,
        text: &str,
        diags: &mut Diagnostics,
    ) -> Option<T> {
        let lock = || self.0.lock().unwrap_or_else(|e| e.into_inner());
        let kept = lock()
            .iter()
            .rev()
            .find(|(ty, t, _)| *ty == TypeId::of::<T>() && t == text)
            .and_then(|(_, _, data)| data.downcast_ref::<T>().cloned());
        if kept.is_some() {
            return kept;
        }
        let data = yaml::parse_new::<T>(file, text, diags)?;
        let mut parsed = lock();
        if parsed.len() >= PARSED_KEPT {
            parsed.remove(0);
        }
        parsed.push((TypeId::of::<T>(), text.to_string(), Box::new(data.clone())));
        Some(data)
    }
}

/// A path relative to the project root, as users see it in messages.
pub fn rel(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// A string as one YAML scalar on one line, whatever it holds (`#`, `: `, `[`, `{{`, `*`, quotes,
/// new lines): serde_yaml's own quoting, or, where it would write a block over several lines, a
/// double-quoted scalar (JSON's string syntax is YAML's double-quoted one).
pub fn yaml_string(s: &str) -> String {
    let yaml = serde_yaml::to_string(s).unwrap_or_default();
    let yaml = yaml.trim_end_matches('\n');
    if !yaml.is_empty() && !yaml.contains('\n') {
        yaml.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
    }
}

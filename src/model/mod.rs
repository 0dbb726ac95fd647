//! Stage 2, check: turns the raw files into a [`Report`] whose references are resolved, so that a
//! measure referenced but not defined, a score for an unknown question or a period that ends before
//! it starts cannot reach the templates. Every problem is collected, not only the first.

mod budget;
pub mod chars;
mod measures;
mod names;
mod scores;
mod spelling;
mod years;

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;

use crate::content::locate::FieldIndex;
use crate::content::period::fiscal_year_bounds;
use crate::content::{
    Agency, AgencyFile, AnalysisFile, AssessmentFile, Budget, EitParts, Instrument, MeasuresFile,
    Monitoring, RatingLevel, Rationale, RawYear, RecommendationsFile, Score, ScoreValue,
    ScoresFile, Shared, Unit, Weights,
};
use crate::diag::{Code, Diagnostic, Diagnostics, Location, Message, SourceMap};

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
    /// Where assessment.yaml defines it (`indicators[k].questions[j]`), for a text it lacks.
    pub field: String,
    pub defined_at: Option<Location>,
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

/// The ids in the [`SourceMap`] of a year's six files, by what they hold.
#[derive(Clone, Copy)]
struct Files {
    agency: usize,
    assessment: usize,
    scores: usize,
    recommendations: usize,
    analysis: usize,
    measures: usize,
}

impl Files {
    /// Every file of the year, in the order their values are checked.
    fn all(self) -> [usize; 6] {
        [
            self.agency,
            self.assessment,
            self.scores,
            self.measures,
            self.analysis,
            self.recommendations,
        ]
    }
}

/// The positions of `file`'s fields, found once a check and kept in `indexes`. A function of the
/// two fields rather than a method, so a caller may push to the checker's diagnostics while it
/// reads the index.
fn index_of<'i>(
    indexes: &'i mut HashMap<usize, FieldIndex>,
    sources: &SourceMap,
    file: usize,
) -> &'i FieldIndex {
    indexes
        .entry(file)
        .or_insert_with(|| FieldIndex::new(sources.text(file)))
}

/// A year's files as parsed, by what they hold.
struct Year {
    fiscal_year: i32,
    agency: AgencyFile,
    assessment: AssessmentFile,
    scores: ScoresFile,
    recommendations: RecommendationsFile,
    analysis: AnalysisFile,
    measures: MeasuresFile,
}

/// Codes of the checks that find a whole value wrong (a unit or a measure not found): a typing
/// slip in such a value is not reported again.
const WHOLE_VALUE: [Code; 2] = [Code::UnitUnknown, Code::MeasureUndefined];

/// A slip reported as a name typed another way is not reported again for the way it was typed:
/// เเ for แ in a unit's name is one slip, and the first report already shows the name as it
/// should be. A unit or measure not found (`wrong_values`, by file and field) is the whole value;
/// a name misspelt or typed otherwise is its own stretch of the text, and a typing slip elsewhere
/// in the value is still reported.
fn one_slip_one_report(diags: &mut Diagnostics, wrong_values: &HashSet<(usize, String)>) {
    const STRETCH: [Code; 3] = [
        Code::AbbreviationMisspelt,
        Code::NameMisspelt,
        Code::NameTypedDifferently,
    ];
    let stretches: Vec<Location> = (diags.0.iter())
        .filter(|d| STRETCH.contains(&d.code))
        .filter_map(|d| d.location.clone())
        .collect();
    diags.0.retain(|d| {
        let Some(at) = d
            .location
            .as_ref()
            .filter(|_| d.code == Code::TextThaiTyping)
        else {
            return true;
        };
        let in_value = (d.field.clone()).is_some_and(|f| wrong_values.contains(&(at.file, f)));
        let in_stretch = stretches.iter().any(|s| {
            s.file == at.file && s.range.start <= at.range.start && at.range.end <= s.range.end
        });
        !(in_value || in_stretch)
    });
}

/// The checks that read every value's text and only report: each character prints and is typed
/// as Thai is stored ([`spelling::check_characters`]), and the agency's own names are written as
/// given ([`names::check_names`]). They change nothing the report prints and take most of a
/// check's time (about 2 of a bundled year's 3 ms), so a build runs them on the core typst's
/// layout leaves idle (`pipeline::Session::produce`); `check` and the editor run them at once.
/// An error found so fails the build as any other check's.
pub struct TextChecks {
    texts: Vec<FileText>,
    names: names::Names,
    /// The values the other checks found wrong as a whole ([`WHOLE_VALUE`]), by file and field.
    wrong_values: HashSet<(usize, String)>,
}

/// One of the year's files as the text checks read it, owned, so that they run while the
/// [`SourceMap`] takes the generated source.
struct FileText {
    file: usize,
    text: String,
    index: FieldIndex,
}

impl TextChecks {
    /// The year's files in the order their values are checked, with the indexes the other checks
    /// built (taken from `c`).
    fn new(c: &mut Checker, y: &Year) -> Self {
        let texts = (c.files.all().into_iter())
            .map(|file| {
                index_of(&mut c.indexes, c.sources, file);
                FileText {
                    file,
                    text: c.sources.text(file).to_string(),
                    index: c.indexes.remove(&file).unwrap_or_default(),
                }
            })
            .collect();
        let wrong_values = (c.diags.0.iter())
            .filter(|d| WHOLE_VALUE.contains(&d.code))
            .filter_map(|d| Some((d.location.as_ref()?.file, d.field.clone()?)))
            .collect();
        Self {
            texts,
            names: names::Names::of(&y.agency.agency, &y.agency.units),
            wrong_values,
        }
    }

    /// The year's files as written.
    pub fn content(&self) -> Vec<&str> {
        self.texts.iter().map(|t| t.text.as_str()).collect()
    }

    /// What the checks find, the characters' first, in the files' order.
    pub fn run(&self, fonts: &crate::fonts::Coverage) -> Diagnostics {
        let mut diags = spelling::check_characters(&self.texts, fonts);
        diags.extend(names::check_names(&self.texts, &self.names));
        one_slip_one_report(&mut diags, &self.wrong_values);
        diags
    }
}

/// Points diagnostics at fields of the year's files.
struct Checker<'a> {
    sources: &'a SourceMap,
    files: Files,
    indexes: HashMap<usize, FieldIndex>,
    diags: Diagnostics,
    /// Measure ids a reference with a slip was near: one slip is one error, not a second one
    /// saying the measure meant is never referenced.
    meant: std::collections::BTreeSet<String>,
}

impl Checker<'_> {
    fn locate(&mut self, file: usize, path: &str) -> Option<Location> {
        let offset = index_of(&mut self.indexes, self.sources, file).offset(path)?;
        Some(Location {
            file,
            range: offset..offset,
        })
    }

    fn error(&mut self, code: Code, file: usize, path: impl Into<String>, message: Message) {
        let path = path.into();
        let at = self.locate(file, &path);
        self.diags
            .push(Diagnostic::error(code, message).at(at).field(path));
    }

    /// An error with hints ("did you mean", the values allowed).
    fn error_hinted(
        &mut self,
        code: Code,
        file: usize,
        path: impl Into<String>,
        (message, hints): (Message, Vec<Message>),
    ) {
        let path = path.into();
        let at = self.locate(file, &path);
        let mut d = Diagnostic::error(code, message).at(at).field(path);
        for h in hints {
            d = d.hint(h);
        }
        self.diags.push(d);
    }

    fn warning(&mut self, code: Code, file: usize, path: impl Into<String>, message: Message) {
        let path = path.into();
        let at = self.locate(file, &path);
        self.diags
            .push(Diagnostic::warning(code, message).at(at).field(path));
    }
}

/// Checks a loaded year and resolves every reference in it, returning the report and its
/// [`TextChecks`] still to run; where the other checks find an error, the text checks have run
/// too and their problems follow. `fonts` are what the project's text may be printed in (the
/// embedded fonts and the project's own, vetted once for the whole build). The checks run in
/// this order, which is the order their problems are reported in, the text checks' last.
pub fn check(
    raw: RawYear,
    sources: &SourceMap,
    fonts: &crate::fonts::Coverage,
) -> Result<(Report, TextChecks), Diagnostics> {
    let files = Files {
        agency: raw.agency.file,
        assessment: raw.assessment.file,
        scores: raw.scores.file,
        recommendations: raw.recommendations.file,
        analysis: raw.analysis.file,
        measures: raw.measures.file,
    };
    let y = Year {
        fiscal_year: raw.fiscal_year,
        agency: raw.agency.data,
        assessment: raw.assessment.data,
        scores: raw.scores.data,
        recommendations: raw.recommendations.data,
        analysis: raw.analysis.data,
        measures: raw.measures.data,
    };
    let mut c = Checker {
        sources,
        files,
        indexes: HashMap::new(),
        diags: Diagnostics::default(),
        meant: Default::default(),
    };
    budget::check_runs(&mut c);
    years::check_years(&mut c, &y);
    let units = measures::Units::of(&y.agency);
    let preparer = measures::check_preparer(&mut c, &y, &units);
    spelling::check_names_given(&mut c, &y);
    spelling::check_texts_given(&mut c, &y);
    let deadline_ce = years::check_agency_dates(&mut c, &y);
    let weights_current = scores::check_weights(&mut c, &y);
    scores::check_rating_levels(&mut c, &y.assessment.rating_levels);
    scores::check_indicator_numbers(&mut c, &y);
    scores::check_scores_given(&mut c, &y);
    let mut indicators = scores::resolve_indicators(&mut c, &y);
    scores::resolve_question_scores(&mut c, &y, &mut indicators);
    scores::warn_unscored_questions(&mut c, &y, &indicators);
    measures::check_coordinator(&mut c, &y.measures, &units);
    let periods = years::resolve_periods(&mut c, &y);
    let measures = measures::resolve_measures(&mut c, &y.measures, &indicators, &periods, &units);
    let recommendations =
        measures::resolve_recommendations(&mut c, &y.recommendations, &indicators);
    years::check_periods_in_year(&mut c, y.fiscal_year, &periods);
    years::check_deadline(&mut c, &y, deadline_ce);
    scores::check_question_codes(&mut c, &y.assessment);
    let (participants, group_participants, rank) = scores::filled_in_counts(&mut c, &y.scores);
    measures::check_lists_given(&mut c, &recommendations, &y.measures, &measures);
    scores::check_stated_rating(&mut c, &y);
    let texts = TextChecks::new(&mut c, &y);
    let ready = !c.diags.has_errors() && !indicators.is_empty();
    let (true, Some(preparer), Some(weights_current)) = (ready, preparer, weights_current) else {
        c.diags.extend(texts.run(fonts));
        return Err(c.diags);
    };
    let resolved = Resolved {
        preparer,
        weights_current,
        indicators,
        participants,
        group_participants,
        rank,
        recommendations,
        measures,
    };
    Ok((report(c, y, resolved), texts))
}

/// What the checks resolved, for [`report`].
struct Resolved {
    preparer: Unit,
    weights_current: Weights,
    indicators: Vec<Indicator>,
    participants: u32,
    group_participants: u32,
    rank: u32,
    recommendations: Vec<Recommendation>,
    measures: Vec<Measure>,
}

/// The checked year as a report, its warnings those the checks found.
fn report(mut c: Checker, y: Year, r: Resolved) -> Report {
    let sf = c.files.scores;
    let stated_ita_at = [
        c.locate(sf, "stated_ita.previous"),
        c.locate(sf, "stated_ita.current"),
    ];
    let stated_rating_at = c.locate(sf, "stated_ita.rating");
    // Where eit_parts is, or where it goes: before the question scores (content that passed
    // before the rule read the parts has none).
    let scores_at = ["eit_parts", "stated_ita", "questions"]
        .iter()
        .find_map(|f| c.locate(sf, f))
        .unwrap_or(Location {
            file: sf,
            range: 0..0,
        });
    let (fy_start, _) = fiscal_year_bounds(y.fiscal_year);
    let weights_previous = y.weight(y.scores.previous_year);
    Report {
        date: y.agency.date.unwrap_or(fy_start),
        fiscal_year: y.fiscal_year,
        assessed_year: y.scores.assessed_year,
        previous_year: y.scores.previous_year,
        agency: y.agency.agency,
        preparer: r.preparer,
        units: y.agency.units,
        rationale: y.agency.rationale,
        monitoring: y.agency.monitoring,
        threshold: y.assessment.threshold.get(),
        weights_previous,
        weights_current: r.weights_current,
        levels: y.assessment.rating_levels,
        criteria_reference: y.assessment.criteria_reference,
        indicators: r.indicators,
        participants: r.participants,
        group_participants: r.group_participants,
        rank: r.rank,
        stated_ita_previous: y
            .scores
            .stated_ita
            .previous
            .as_ref()
            .map(ScoreValue::checked),
        stated_ita_current: y
            .scores
            .stated_ita
            .current
            .as_ref()
            .map(ScoreValue::checked),
        stated_ita_at,
        stated_rating: y.scores.stated_ita.rating,
        stated_rating_at,
        eit_parts: y.scores.eit_parts,
        scores_at,
        shared: y.measures.shared,
        warnings: c.diags,
        recommendations: r.recommendations,
        measures: r.measures,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fiscal_year_runs_october_to_september() {
        let (s, e) = fiscal_year_bounds(2569);
        assert_eq!(
            (s.to_string(), e.to_string()),
            ("2025-10-01".into(), "2026-09-30".into())
        );
    }
}

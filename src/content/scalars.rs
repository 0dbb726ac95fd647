//! The scalars of the files that need more than serde's types: scores and budgets. Each is read
//! from whatever the agency wrote ([`ScoreValue`], [`BudgetRaw`]), and the check stage turns it
//! into the checked value ([`Score`], [`Budget`]) or reports what is wrong, with its code, where
//! it is written. A wrong value is data, never an error text serde carries and the loader takes
//! apart again.

use schemars::JsonSchema;
use serde::de::{self, Deserializer, IgnoredAny, Visitor};
use serde::{Deserialize, Serialize};

use crate::diag::{Code, Message};
use crate::msg;

/// A score in percent, 0 to 100, as the NACC reports it.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
pub struct Score(f64);

impl Score {
    pub fn new(value: f64) -> Option<Self> {
        // `+ 0.0` turns a -0.0 into 0.0, which would print as "-๐.๐๐".
        (value.is_finite() && (0.0..=100.0).contains(&value)).then_some(Self(value + 0.0))
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

/// A score as written: a number, or text where a number belongs. [`ScoreValue::check`] makes it
/// a [`Score`]; the check stage does so for every one before anything reads them.
#[derive(Debug, Clone, PartialEq)]
pub enum ScoreValue {
    Number(f64),
    Text(String),
}

/// What is wrong with a [`ScoreValue`].
#[derive(Debug, Clone, PartialEq)]
pub enum ScoreProblem {
    /// A number outside 0-100 (or not finite).
    Range(f64),
    /// Text where a number belongs.
    Text(String),
}

impl ScoreValue {
    /// The score, or what is wrong with it.
    pub fn check(&self) -> Result<Score, ScoreProblem> {
        match self {
            ScoreValue::Number(v) => Score::new(*v).ok_or(ScoreProblem::Range(*v)),
            ScoreValue::Text(t) => Err(ScoreProblem::Text(t.clone())),
        }
    }

    /// The checked score; 0 for a wrong one, which the check stage has reported (a year with
    /// one never gets past it).
    pub fn checked(&self) -> Score {
        self.check().unwrap_or(Score(0.0))
    }

    /// The checked score's value (see [`ScoreValue::checked`]).
    pub fn get(&self) -> f64 {
        self.checked().get()
    }
}

impl ScoreProblem {
    pub fn code(&self) -> Code {
        match self {
            ScoreProblem::Range(_) => Code::ScoreRange,
            ScoreProblem::Text(t) if has_thai_digits(t) => Code::ScoreThaiDigits,
            ScoreProblem::Text(_) => Code::ScoreNotANumber,
        }
    }

    pub fn message(&self) -> Message {
        match self {
            ScoreProblem::Range(v) => msg!(
                "คะแนนต้องอยู่ระหว่าง 0-100",
                "expected a number 0-100, found {v}"
            ),
            ScoreProblem::Text(v) => {
                let hint = if has_thai_digits(v) {
                    " (ใช้เลขอารบิก เช่น 98.05 / write Arabic digits, e.g. 98.05)"
                } else {
                    ""
                };
                msg!(
                    "ต้องเป็นตัวเลข 0-100",
                    "expected a number 0-100, found \"{v}\"{hint}"
                )
            }
        }
    }
}

fn has_thai_digits(text: &str) -> bool {
    text.chars().any(|c| ('๐'..='๙').contains(&c))
}

/// Printed as the number it is (only checked scores reach a template).
impl Serialize for ScoreValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.checked().serialize(s)
    }
}

/// In the schemas a score is what the YAML holds: a number from 0 to 100.
impl JsonSchema for ScoreValue {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Score".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "number", "minimum": 0, "maximum": 100 })
    }
}

impl<'de> Deserialize<'de> for ScoreValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ScoreValue;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number 0-100")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ScoreValue, E> {
                Ok(ScoreValue::Number(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ScoreValue, E> {
                self.visit_f64(v as f64)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ScoreValue, E> {
                self.visit_f64(v as f64)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ScoreValue, E> {
                Ok(ScoreValue::Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A measure's budget: an amount in baht, or words (ไม่ใช้งบประมาณ).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Budget {
    Amount(f64),
    Text(String),
}

/// A budget as written: [`BudgetRaw::check`] makes it a [`Budget`] or reports that it is
/// neither an amount nor words. (Serialize gives the schema its `"default": null`.)
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum BudgetRaw {
    Amount(f64),
    Text(String),
    /// Anything else: a negative amount, empty text, true or false, a list or a mapping.
    Invalid,
}

impl BudgetRaw {
    /// The budget, or the diagnostic's code and message for what was written instead.
    pub fn check(&self) -> Result<Budget, (Code, Message)> {
        match self {
            BudgetRaw::Amount(v) => Ok(Budget::Amount(*v)),
            BudgetRaw::Text(t) => Ok(Budget::Text(t.clone())),
            BudgetRaw::Invalid => Err((
                Code::BudgetForm,
                msg!(
                    "งบประมาณเป็นจำนวนเงิน (บาท) เช่น 150000 หรือข้อความ เช่น ไม่ใช้งบประมาณ",
                    "a budget is an amount in baht, e.g. 150000, or words, e.g. ไม่ใช้งบประมาณ"
                ),
            )),
        }
    }
}

impl JsonSchema for BudgetRaw {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Budget".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "oneOf": [{ "type": "number", "minimum": 0 }, { "type": "string", "minLength": 1 }]
        })
    }
}

impl<'de> Deserialize<'de> for BudgetRaw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = BudgetRaw;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a budget: an amount in baht, or words")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<BudgetRaw, E> {
                Ok(if v.is_finite() && v >= 0.0 {
                    BudgetRaw::Amount(v + 0.0)
                } else {
                    BudgetRaw::Invalid
                })
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<BudgetRaw, E> {
                self.visit_f64(v as f64)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<BudgetRaw, E> {
                self.visit_f64(v as f64)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<BudgetRaw, E> {
                Ok(if v.trim().is_empty() {
                    BudgetRaw::Invalid
                } else {
                    BudgetRaw::Text(v.to_string())
                })
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<BudgetRaw, E> {
                Ok(BudgetRaw::Invalid)
            }
            fn visit_unit<E: de::Error>(self) -> Result<BudgetRaw, E> {
                Ok(BudgetRaw::Invalid)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<BudgetRaw, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(BudgetRaw::Invalid)
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<BudgetRaw, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(BudgetRaw::Invalid)
            }
        }
        d.deserialize_any(V)
    }
}

/// A file's values the loader checks after serde has read them: each wrong one with its field
/// path, code and message. A file with one does not load, as a file serde cannot read does not.
pub(super) trait WrittenValues {
    /// What is wrong in the values as written, in a file of `fiscal_year` (its examples are of
    /// that year).
    fn problems(&self, _fiscal_year: i32) -> Vec<(String, Code, Message)> {
        Vec::new()
    }
}

impl WrittenValues for super::AgencyFile {}
impl WrittenValues for super::RecommendationsFile {}
impl WrittenValues for super::AnalysisFile {}

/// The problems of scores written at the given paths.
fn score_problems<'a>(
    written: impl IntoIterator<Item = (String, &'a ScoreValue)>,
) -> Vec<(String, Code, Message)> {
    written
        .into_iter()
        .filter_map(|(path, v)| {
            let problem = v.check().err()?;
            Some((path, problem.code(), problem.message()))
        })
        .collect()
}

impl WrittenValues for super::AssessmentFile {
    fn problems(&self, _fiscal_year: i32) -> Vec<(String, Code, Message)> {
        let mut written = vec![("threshold".to_string(), &self.threshold)];
        for (k, l) in self.rating_levels.iter().enumerate() {
            for (name, range) in [("ita", Some(&l.ita)), ("parts", l.parts.as_ref())] {
                for (end, v) in range
                    .iter()
                    .flat_map(|r| [("min", &r.min), ("max", &r.max)])
                {
                    written.push((format!("rating_levels[{k}].{name}.{end}"), v));
                }
            }
        }
        score_problems(written)
    }
}

impl WrittenValues for super::ScoresFile {
    fn problems(&self, _fiscal_year: i32) -> Vec<(String, Code, Message)> {
        let mut written = Vec::new();
        for (k, i) in self.indicators.iter().enumerate() {
            written.push((format!("indicators[{k}].previous"), &i.previous));
            written.extend(
                i.current
                    .iter()
                    .map(|v| (format!("indicators[{k}].current"), v)),
            );
        }
        let stated = &self.stated_ita;
        for (name, v) in [("previous", &stated.previous), ("current", &stated.current)] {
            written.extend(v.iter().map(|v| (format!("stated_ita.{name}"), v)));
        }
        if let Some(p) = &self.eit_parts {
            written.push(("eit_parts.part1".into(), &p.part1));
            written.push(("eit_parts.part2".into(), &p.part2));
        }
        for (k, q) in self.questions.iter().enumerate() {
            for (name, v) in [
                ("score", &q.score),
                ("public", &q.public),
                ("survey", &q.survey),
            ] {
                written.extend(v.iter().map(|v| (format!("questions[{k}].{name}"), v)));
            }
        }
        score_problems(written)
    }
}

impl WrittenValues for super::MeasuresFile {
    fn problems(&self, fiscal_year: i32) -> Vec<(String, Code, Message)> {
        let mut out = Vec::new();
        for (k, m) in self.measures.iter().enumerate() {
            if let super::PeriodRaw::Invalid(found) = &m.period {
                let path = format!("measures[{k}].period");
                out.push((
                    path,
                    Code::PeriodForm,
                    super::period::forms(found, fiscal_year),
                ));
            }
            if let Some(Err((code, message))) = m.budget.as_ref().map(BudgetRaw::check) {
                out.push((format!("measures[{k}].budget"), code, message));
            }
        }
        out
    }
}

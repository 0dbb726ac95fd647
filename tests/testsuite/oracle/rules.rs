//! The NACC rules as this oracle reads them, written apart from `src/derive.rs` and sharing
//! nothing with it: exact decimal arithmetic on the values as typed (thousandths of a point),
//! rounding half up to the hundredth that is printed, and the criteria table read row by row.
//! What it computes is what the report must print, as text with Arabic digits.

use super::generate::{Agency, Inst, Scores};

/// A fraction, kept exact: the instrument totals and the ITA are means of typed decimals.
#[derive(Clone, Copy, Debug)]
struct Frac {
    num: i128,
    den: i128,
}

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 { a.abs() } else { gcd(b, a % b) }
}

impl Frac {
    fn milli(m: i64) -> Frac {
        Frac {
            num: m as i128,
            den: 1000,
        }
    }

    fn add(self, o: Frac) -> Frac {
        let (num, den) = (self.num * o.den + o.num * self.den, self.den * o.den);
        let g = gcd(num, den).max(1);
        Frac {
            num: num / g,
            den: den / g,
        }
    }

    fn times_milli_over(self, m: i64, over: i128) -> Frac {
        Frac {
            num: self.num * m as i128,
            den: self.den * 1000 * over,
        }
    }

    /// Hundredths, rounded half up (the values are never negative).
    fn cents(self) -> i64 {
        ((200 * self.num + self.den).div_euclid(2 * self.den)) as i64
    }
}

/// A value in hundredths as the report prints it with Arabic digits: `90.01`.
pub fn print_cents(c: i64) -> String {
    format!("{}.{:02}", c / 100, c % 100)
}

fn mean(values: &[i64]) -> Frac {
    Frac {
        num: values.iter().map(|&v| v as i128).sum(),
        den: 1000 * values.len() as i128,
    }
}

fn trend(previous: i64, current: i64) -> &'static str {
    match current.cmp(&previous) {
        std::cmp::Ordering::Greater => "เพิ่ม",
        std::cmp::Ordering::Less => "ลด",
        std::cmp::Ordering::Equal => "เท่าเดิม",
    }
}

/// One row of the table of section 4: number, previous, current, trend, highest/lowest.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Row {
    pub number: u8,
    pub previous: String,
    pub current: String,
    pub trend: String,
    pub extreme: String,
}

/// A total row (an instrument's or the ITA's): code, previous, current, trend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Total {
    pub code: String,
    pub previous: String,
    pub current: String,
    pub trend: String,
}

/// What section 5 prints under an indicator: its question paragraphs and the note's wording
/// ("ไม่ต่ำกว่า" or "มากกว่า") when the lowest questions were taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section5 {
    pub number: u8,
    pub questions: Vec<String>,
    pub note: Option<String>,
}

/// Every derived figure the report prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    pub rows: Vec<Row>,
    pub totals: Vec<Total>,
    pub ita: Total,
    pub rating: String,
    pub section5: Vec<Section5>,
}

/// What the oracle says of an agency: the figures, or that the rating cannot be decided without
/// the EIT parts (an error on `eit_parts`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Prints(Box<Expected>),
    RatingNeedsEitParts,
}

fn indicators_of(a: &Agency, inst: Inst) -> impl Iterator<Item = &super::generate::Indicator> {
    a.indicators.iter().filter(move |i| i.inst == inst)
}

fn total(a: &Agency, inst: Inst, current: bool) -> Option<Frac> {
    let values: Vec<i64> = indicators_of(a, inst)
        .map(|i| if current { i.current } else { i.previous })
        .collect();
    (!values.is_empty()).then(|| mean(&values))
}

fn ita(a: &Agency, weights: [i64; 3], current: bool) -> Frac {
    let mut sum = Frac { num: 0, den: 1 };
    for (k, inst) in Inst::ALL.into_iter().enumerate() {
        if let Some(t) = total(a, inst, current) {
            sum = sum.add(t.times_milli_over(weights[k], 100));
        }
    }
    sum
}

/// Highest and lowest within each instrument, every tie marked; when all are equal, only the
/// first indicator is "highest".
fn extreme(a: &Agency, number: u8) -> &'static str {
    let me = a.indicators.iter().find(|i| i.number == number).unwrap();
    let group: Vec<i64> = indicators_of(a, me.inst)
        .map(|i| Frac::milli(i.current).cents())
        .collect();
    let (max, min) = (*group.iter().max().unwrap(), *group.iter().min().unwrap());
    let mine = Frac::milli(me.current).cents();
    if max == min {
        let first = indicators_of(a, me.inst).map(|i| i.number).min().unwrap();
        return if first == number {
            "สูงสุด"
        } else {
            ""
        };
    }
    if mine == max {
        "สูงสุด"
    } else if mine == min {
        "ต่ำสุด"
    } else {
        ""
    }
}

fn question_paragraph(code: &str, text: &str, s: Scores) -> String {
    let p = |m: i64| print_cents(Frac::milli(m).cents());
    match s {
        Scores::One(x) => format!("{code} {text} ({} คะแนน)", p(x)),
        Scores::Two(public, survey) => format!(
            "{code} {text} (EIT Public {} คะแนน) (EIT Survey {} คะแนน)",
            p(public),
            p(survey)
        ),
    }
}

/// Section 5: questions below the threshold; where none is, every question that ties for the
/// lowest, with the note.
fn section5(a: &Agency, ind: &super::generate::Indicator) -> Section5 {
    let lowest = |s: Scores| match s {
        Scores::One(x) => Frac::milli(x).cents(),
        Scores::Two(p, q) => Frac::milli(p.min(q)).cents(),
    };
    let threshold = a.threshold * 100;
    let scored: Vec<_> = ind.questions.iter().collect();
    let paragraph = |q: &&super::generate::Question| question_paragraph(&q.code, &q.text, q.scores);
    let below: Vec<String> = scored
        .iter()
        .filter(|q| lowest(q.scores) < threshold)
        .map(paragraph)
        .collect();
    if !below.is_empty() || scored.is_empty() {
        return Section5 {
            number: ind.number,
            questions: below,
            note: None,
        };
    }
    let min = scored.iter().map(|q| lowest(q.scores)).min().unwrap();
    Section5 {
        number: ind.number,
        questions: scored
            .iter()
            .filter(|q| lowest(q.scores) == min)
            .map(paragraph)
            .collect(),
        note: Some(
            if min <= threshold {
                "ไม่ต่ำกว่า"
            } else {
                "มากกว่า"
            }
            .into(),
        ),
    }
}

/// The criteria table, best level first: the first level whose every condition holds. A level
/// whose EIT parts are not given and whose EIT total lies in its range may or may not hold: the
/// rating is then open unless it is stated.
fn rating(a: &Agency, ita_cents: i64) -> Result<String, ()> {
    let inside = |c: i64, r: (i64, i64)| c >= r.0 / 10 && c <= r.1 / 10;
    let mut unsure = false;
    let mut decided = None;
    for level in &a.levels {
        if !inside(ita_cents, level.ita) {
            continue;
        }
        let Some(parts) = level.parts else {
            decided = Some(level.name.clone());
            break;
        };
        let mut holds = true;
        let mut maybe = false;
        for inst in [Inst::Iit, Inst::Oit] {
            if let Some(t) = total(a, inst, true) {
                holds &= inside(t.cents(), parts);
            }
        }
        if let Some(t) = total(a, Inst::Eit, true) {
            match a.eit_parts {
                Some((p1, p2)) => {
                    holds &= inside(Frac::milli(p1).cents(), parts);
                    holds &= inside(Frac::milli(p2).cents(), parts);
                }
                None => {
                    holds &= inside(t.cents(), parts);
                    maybe = true;
                }
            }
        }
        if holds && maybe {
            unsure = true;
        } else if holds {
            decided = Some(level.name.clone());
            break;
        }
    }
    match (&a.stated_rating, unsure, decided) {
        (Some(s), _, _) => Ok(s.clone()),
        (None, true, _) => Err(()),
        (None, false, d) => Ok(d.unwrap_or_default()),
    }
}

/// The verdict on an agency.
pub fn judge(a: &Agency) -> Verdict {
    let cents = |m: i64| Frac::milli(m).cents();
    let mut indicators: Vec<_> = a.indicators.iter().collect();
    indicators.sort_by_key(|i| i.number);
    let rows = indicators
        .iter()
        .map(|i| Row {
            number: i.number,
            previous: print_cents(cents(i.previous)),
            current: print_cents(cents(i.current)),
            trend: trend(cents(i.previous), cents(i.current)).into(),
            extreme: extreme(a, i.number).into(),
        })
        .collect();
    let totals = Inst::ALL
        .into_iter()
        .filter_map(|inst| {
            let (p, c) = (
                total(a, inst, false)?.cents(),
                total(a, inst, true)?.cents(),
            );
            Some(Total {
                code: inst.code().into(),
                previous: print_cents(p),
                current: print_cents(c),
                trend: trend(p, c).into(),
            })
        })
        .collect();
    let ita_current = match a.stated_current {
        Some(s) => cents(s),
        None => ita(a, a.weights_current, true).cents(),
    };
    let ita_previous = match (a.stated_previous, a.weights_previous) {
        (Some(s), _) => cents(s),
        (None, Some(w)) => ita(a, w, false).cents(),
        (None, None) => unreachable!("the generator gives one or the other"),
    };
    let Ok(rating) = rating(a, ita_current) else {
        return Verdict::RatingNeedsEitParts;
    };
    Verdict::Prints(Box::new(Expected {
        rows,
        totals,
        ita: Total {
            code: "ITA".into(),
            previous: print_cents(ita_previous),
            current: print_cents(ita_current),
            trend: trend(ita_previous, ita_current).into(),
        },
        rating,
        section5: indicators.iter().map(|i| section5(a, i)).collect(),
    }))
}

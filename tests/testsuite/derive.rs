//! Derived figures against the seed document and against hand-checked cases: a tie, a decrease,
//! an unchanged score and every rating level.

use std::path::Path;

use oit025::derive::{Extreme, Figures, Trend};
use oit025::diag::{Diagnostics, SourceMap};
use oit025::model::Report;

use crate::common;

/// A copy of the bundled content with some replacements made in scores.yaml.
fn checked(edits: &[(&str, &str)]) -> Result<(Report, Figures, Diagnostics), Diagnostics> {
    let dir = common::project();
    let year = dir.path().join("content/2569");
    let scores = year.join("scores.yaml");
    let mut text = std::fs::read_to_string(&scores).unwrap();
    for (from, to) in edits {
        assert!(text.contains(from), "{from} not in scores.yaml");
        text = text.replacen(from, to, 1);
    }
    std::fs::write(&scores, text).unwrap();
    oit025::pipeline::check(dir.path(), 2569, &mut SourceMap::default())
        .map(|c| (c.report, c.figures, c.warnings))
}

fn figures(edits: &[(&str, &str)]) -> Figures {
    match checked(edits) {
        Ok((_, f, _)) => f,
        Err(d) => panic!("content does not check: {d:?}"),
    }
}

fn r2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[test]
fn seed_figures() {
    let (report, f, warnings) = checked(&[]).unwrap();
    let totals: Vec<(f64, f64)> = f
        .totals
        .iter()
        .map(|t| (r2(t.previous), r2(t.current)))
        .collect();
    assert_eq!(totals, [(82.03, 91.07), (77.93, 84.29), (100.0, 100.0)]);
    assert_eq!(r2(f.ita_current), 92.61);
    // FY 2567's ITA is printed as published, with a warning that it does not follow from its indicators.
    assert_eq!(r2(f.ita_previous), 86.05);
    assert_eq!(warnings.0.len(), 1);
    assert!(
        warnings.0[0].message.en.contains("87.99"),
        "{:?}",
        warnings.0[0]
    );
    assert_eq!(f.rating, "ผ่าน");
    assert_eq!(f.ita_trend, Trend::Up);
    let trends: Vec<Trend> = f.indicators.iter().map(|i| i.trend).collect();
    assert_eq!(&trends[..8], &[Trend::Up; 8]);
    assert_eq!(&trends[8..], &[Trend::Same; 2]);
    let extremes: Vec<Option<Extreme>> = f.indicators.iter().map(|i| i.extreme).collect();
    use Extreme::*;
    assert_eq!(
        extremes,
        [
            None,
            None,
            Some(Highest),
            Some(Lowest),
            None,
            Some(Highest),
            None,
            Some(Lowest),
            Some(Highest),
            None
        ]
    );
    // Section 5: questions below 90, or the lowest one with the note (indicator 3, i7 at 95.92).
    let codes = |n: usize| -> Vec<String> {
        f.indicators[n - 1]
            .selected
            .iter()
            .map(|&q| report.indicators[n - 1].questions[q].code.clone())
            .collect()
    };
    assert_eq!(codes(1), ["i1"]);
    assert_eq!(codes(3), ["i7"]);
    assert!(f.indicators[2].lowest_taken && !f.indicators[0].lowest_taken);
    assert_eq!(codes(4), ["i10", "i12"]);
    assert_eq!(codes(7), ["e4", "e5", "e6"]);
    assert_eq!(codes(8), ["e7", "e8", "e9"]);
    assert!(codes(9).is_empty() && codes(10).is_empty());
    assert_eq!(report.measures.len(), 11);
}

#[test]
fn tie_marks_every_highest() {
    // Indicators 1 and 3 both at 98.05: both are the highest.
    let f = figures(&[(
        "previous: 82.25, current: 91.62",
        "previous: 82.25, current: 98.05",
    )]);
    assert_eq!(f.indicators[0].extreme, Some(Extreme::Highest));
    assert_eq!(f.indicators[2].extreme, Some(Extreme::Highest));
    assert_eq!(f.indicators[3].extreme, Some(Extreme::Lowest));
}

#[test]
fn decrease_and_unchanged() {
    let f = figures(&[
        (
            "previous: 82.25, current: 91.62",
            "previous: 82.25, current: 80.00",
        ),
        (
            "previous: 85.60, current: 92.08",
            "previous: 92.08, current: 92.08",
        ),
    ]);
    assert_eq!(f.indicators[0].trend, Trend::Down);
    assert_eq!(f.indicators[1].trend, Trend::Same);
    // IIT total = (80 + 92.08 + 98.05 + 86.10 + 87.49) / 5
    assert_eq!(r2(f.totals[0].current), 88.74);
}

/// Sets every current indicator score to `score`.
fn all_current(score: &str) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("content/2569/scores.yaml"),
    )
    .unwrap();
    text.lines()
        .filter(|l| l.contains("indicator:") && l.contains("current:"))
        .map(|l| {
            let start = l.find("current:").unwrap();
            let end = l[start..].find('}').unwrap() + start;
            (
                l.to_string(),
                format!("{}current: {} {}", &l[..start], score, &l[end..]),
            )
        })
        .collect()
}

/// The rating with every indicator at `score`, and EIT parts 1 and 2 at `score` too.
fn rating_with(score: &str) -> String {
    let mut edits = all_current(score);
    edits.push((
        "stated_ita:".into(),
        format!("eit_parts: {{ part1: {score}, part2: {score} }}\nstated_ita:"),
    ));
    let edits: Vec<(&str, &str)> = edits
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    figures(&edits).rating
}

#[test]
fn every_rating_level() {
    assert_eq!(rating_with("96"), "ผ่านดีเยี่ยม");
    // Without EIT parts 1 and 2, a rating they decide is not given but asked for.
    let edits = all_current("96");
    let edits: Vec<(&str, &str)> = edits
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let asked = checked(&edits).unwrap_err();
    assert!(
        asked
            .0
            .iter()
            .any(|d| d.field.as_deref() == Some("eit_parts")),
        "{asked:?}"
    );
    assert_eq!(rating_with("90"), "ผ่านดี");
    assert_eq!(rating_with("75"), "ต้องปรับปรุง");
    assert_eq!(rating_with("50"), "ต้องปรับปรุงโดยด่วน");
    // The seed: ITA 92.61 but EIT 84.29 < 85, so not "ผ่านดี" but "ผ่าน".
    assert_eq!(figures(&[]).rating, "ผ่าน");
}

/// Two questions tie for the lowest at 94.98 where none is below 90: both go into section 5,
/// as every tied indicator is marked (issue 32; only the first was taken).
#[test]
fn questions_tied_for_the_lowest_are_all_taken() {
    let dir = common::project();
    let year = dir.path().join("content/2569");
    common::replace_in(
        &year.join("scores.yaml"),
        "{ code: i7, score: 95.92 }",
        "{ code: i7, score: 94.98 }\n  - { code: i8, score: 94.98 }\n  - { code: i9, score: 94.981 }",
    );
    common::replace_in(
        &year.join("assessment.yaml"),
        "      - code: i8\n",
        "      - code: i8\n        text: การมอบหมายงานเป็นธรรม\n",
    );
    common::replace_in(
        &year.join("assessment.yaml"),
        "      - code: i9\n",
        "      - code: i9\n        text: การคัดเลือกบุคลากรเป็นธรรม\n",
    );
    let (report, f, _) = oit025::pipeline::check(dir.path(), 2569, &mut SourceMap::default())
        .map(|c| (c.report, c.figures, c.warnings))
        .unwrap();
    let codes: Vec<&str> = f.indicators[2]
        .selected
        .iter()
        .map(|&q| report.indicators[2].questions[q].code.as_str())
        .collect();
    // 94.981 prints as 94.98: a tie too.
    assert_eq!(codes, ["i7", "i8", "i9"]);
    assert!(f.indicators[2].lowest_taken);
}

/// Rounding is half up on the value typed: 90.005 prints 90.01, and so does the mean of 90.00
/// and 90.01 (a double holds both as 90.00499..., which rounded down).
#[test]
fn half_cents_round_up() {
    // The OIT indicators at 90.00 and 90.01: the OIT total is 90.005.
    let f = figures(&[
        (
            "{ indicator: 9, previous: 100, current: 100 }",
            "{ indicator: 9, previous: 100, current: 90.00 }",
        ),
        (
            "{ indicator: 10, previous: 100, current: 100 }",
            "{ indicator: 10, previous: 100, current: 90.01 }",
        ),
    ]);
    let oit = f
        .totals
        .iter()
        .find(|t| t.instrument == oit025::content::Instrument::Oit)
        .unwrap();
    assert_eq!(format!("{:.2}", oit.current), "90.01");
    assert_eq!(
        oit025::template::score(90.005, oit025::template::Digits::Arabic),
        "90.01"
    );
}

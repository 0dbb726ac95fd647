//! An oracle of the NACC rules (issue 32), written apart from `src/derive.rs`: `generate` makes
//! agencies whose figures sit where rules go wrong (ties, edges, half-cents, missing parts),
//! `rules` says what their reports must print, computed exactly from the values as typed, and
//! `printed` reads the figures back from the PDF's Typst source, the web page and the open data.
//! The test runs at least a thousand agencies through the library's check and render, in process;
//! no PDF is built. A failure names the seed that rebuilds the agency
//! (`OIT025_ORACLE_SEED=<seed> ./test oracle::`) and prints its YAML.

mod generate;
mod printed;
mod rules;

use std::path::Path;

use oit025::diag::{Diagnostics, SourceMap};
use oit025::template::{self, Digits};

use rules::{Expected, Verdict};

/// How many agencies each run judges.
const AGENCIES: u64 = 1200;

fn seed() -> u64 {
    match std::env::var("OIT025_ORACLE_SEED") {
        Ok(s) => s.parse().expect("OIT025_ORACLE_SEED is a number"),
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0),
    }
}

/// The YAML of the generated year, for a failure message.
fn dump(root: &Path) -> String {
    ["assessment.yaml", "scores.yaml"]
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(root.join("content/2569").join(f)).unwrap();
            format!("--- {f}\n{text}")
        })
        .collect()
}

fn first_difference(what: &str, got: &str, want: &str) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("{what}:\n  printed: {got}\n  oracle:  {want}"))
    }
}

/// Compares everything the tool hands out with the oracle's figures.
fn compare(root: &Path, e: &Expected, indicator_insts: &[(u8, &str)]) -> Result<(), String> {
    let (report, figures, _) = oit025::pipeline::check(root, 2569, &mut SourceMap::default())
        .map(|c| (c.report, c.figures, c.warnings))
        .map_err(|d| {
            format!(
                "check failed where the oracle prints figures: {}",
                messages(&d)
            )
        })?;
    let env = template::environment(None, Digits::Arabic);
    let typst = template::render_named(&env, "report.typ", &report, &figures, Digits::Arabic)
        .map_err(|d| messages(&d))?;
    let pdf = printed::from_typst(&typst);
    for (k, want) in e.section5.iter().enumerate() {
        let got = pdf.section5.get(k);
        first_difference(
            &format!("PDF section 5, indicator {}", want.number),
            &format!("{got:?}"),
            &format!("{:?}", Some(want)),
        )?;
    }
    first_difference(
        "PDF section 4 rows",
        &format!("{:?}", pdf.rows),
        &format!("{:?}", e.rows),
    )?;
    first_difference(
        "PDF totals",
        &format!("{:?}", pdf.totals),
        &format!("{:?}", e.totals),
    )?;
    first_difference(
        "PDF ITA",
        &format!("{:?}", pdf.ita),
        &format!("{:?}", e.ita),
    )?;
    first_difference("PDF rating", &pdf.rating, &e.rating)?;

    let html = template::render_named(&env, "report.html", &report, &figures, Digits::Arabic)
        .map_err(|d| messages(&d))?;
    first_difference(
        "web page section 5",
        &format!("{:?}", printed::section5_from_html(&html)),
        &format!("{:?}", e.section5),
    )?;

    let data = oit025::site::data_json(&report, &figures);
    let (rows, totals, ita) = printed::from_data_json(&data);
    first_difference(
        "data.json indicators",
        &format!("{rows:?}"),
        &format!("{:?}", e.rows),
    )?;
    let want_totals: Vec<_> = (e.totals.iter())
        .map(|t| (t.code.clone(), t.previous.clone(), t.current.clone()))
        .collect();
    first_difference(
        "data.json instruments",
        &format!("{totals:?}"),
        &format!("{want_totals:?}"),
    )?;
    let want_ita = (
        e.ita.previous.clone(),
        e.ita.current.clone(),
        e.rating.clone(),
    );
    first_difference(
        "data.json ita",
        &format!("{ita:?}"),
        &format!("{want_ita:?}"),
    )?;

    let csv = oit025::site::scores_csv(&report, &figures).map_err(|d| messages(&d))?;
    let mut want: Vec<[String; 6]> = e
        .rows
        .iter()
        .map(|r| {
            let inst = indicator_insts
                .iter()
                .find(|(n, _)| *n == r.number)
                .unwrap()
                .1;
            [
                inst.into(),
                r.number.to_string(),
                r.previous.clone(),
                r.current.clone(),
                r.trend.clone(),
                r.extreme.clone(),
            ]
        })
        .collect();
    for t in e.totals.iter().chain([&e.ita]) {
        want.push([
            t.code.clone(),
            String::new(),
            t.previous.clone(),
            t.current.clone(),
            t.trend.clone(),
            String::new(),
        ]);
    }
    first_difference(
        "scores.csv",
        &format!("{:?}", printed::csv_rows(&csv)),
        &format!("{want:?}"),
    )
}

fn messages(d: &Diagnostics) -> String {
    d.0.iter()
        .map(|m| format!("{} {}", m.field.clone().unwrap_or_default(), m.message.en))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Judges one agency: Ok, or what differs.
fn judge_one(root: &Path, agency: &generate::Agency) -> Result<(), String> {
    generate::write(agency, root);
    let insts: Vec<(u8, &str)> = (agency.indicators.iter())
        .map(|i| (i.number, i.inst.code()))
        .collect();
    match rules::judge(agency) {
        Verdict::Prints(e) => compare(root, &e, &insts),
        Verdict::RatingNeedsEitParts => {
            match oit025::pipeline::check(root, 2569, &mut SourceMap::default()) {
                Err(d) if d.0.iter().any(|m| m.field.as_deref() == Some("eit_parts")) => Ok(()),
                Err(d) => Err(format!(
                    "expected an error on eit_parts, got: {}",
                    messages(&d)
                )),
                Ok(c) => Err(format!(
                    "the rating depends on the EIT parts, not given, but {:?} was printed",
                    c.figures.rating
                )),
            }
        }
    }
}

#[test]
fn every_figure_matches_the_oracle() {
    let seed = seed();
    // The agencies are judged on every core, each thread in a folder of its own.
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()) as u64;
    let mut failures: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    let dir = tempfile::tempdir().unwrap();
                    let mut failures = Vec::new();
                    for k in (t..AGENCIES).step_by(threads as usize) {
                        let agency =
                            generate::agency(&mut generate::Rng::new(seed.wrapping_add(k)));
                        if let Err(why) = judge_one(dir.path(), &agency) {
                            failures.push(format!(
                                "agency {k} (OIT025_ORACLE_SEED={}): {why}\n{}",
                                seed.wrapping_add(k),
                                dump(dir.path())
                            ));
                        }
                    }
                    failures
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    failures.sort();
    assert!(
        failures.is_empty(),
        "{} of {AGENCIES} agencies differ from the oracle; the first:\n{}",
        failures.len(),
        failures[0]
    );
}

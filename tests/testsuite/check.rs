//! Malformed content: each case breaks a copy of the bundled FY 2569 content in one way, and
//! `oit025 build` must fail with the expected problem (its code, and its message in Thai and
//! English with the file), write nothing, and not panic. `oit025 check` must report the same.

use std::path::{Path, PathBuf};
use std::process::Command;

use common::project;
use serde_yaml::Value;

use crate::common;

fn file(dir: &Path, name: &str) -> PathBuf {
    dir.join("content/2569").join(name)
}

/// Replaces the first occurrence of `from` in a content file.
fn replace(dir: &Path, name: &str, from: &str, to: &str) {
    let path = file(dir, name);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from:?} not in {name}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// Edits a content file as YAML data (comments are lost, which these cases do not mind).
fn edit(dir: &Path, name: &str, f: impl FnOnce(&mut Value)) {
    let path = file(dir, name);
    let mut v: Value = serde_yaml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    f(&mut v);
    std::fs::write(&path, serde_yaml::to_string(&v).unwrap()).unwrap();
}

fn measure(v: &mut Value, k: usize) -> &mut Value {
    &mut v["measures"][k]
}

type Break = Box<dyn Fn(&Path)>;

/// What a case must report: the codes of its problems (docs/diagnostics.md), and what the
/// rendered report must show besides the message, such as the file, the field, the value.
type Expected = (&'static [&'static str], &'static [&'static str]);

fn cases() -> Vec<(&'static str, Break, Expected)> {
    vec![
        (
            "a measure id with a slip",
            Box::new(|d| {
                replace(
                    d,
                    "analysis.yaml",
                    "measures: [staff-performance]",
                    "measures: [staff-performence]",
                )
            }),
            (
                &["measure.undefined"],
                &[
                    "analysis.yaml:",
                    "staff-performence",
                    "did you mean \"staff-performance\"?",
                    // One slip, one error: not a second that staff-performance is unused.
                    "1 error(s)",
                ],
            ),
        ),
        (
            "a unit name with a slip, the units listed once",
            Box::new(|d| replace(d, "agency.yaml", "preparer: ศปท.", "preparer: ศปท")),
            (
                &["unit.unknown"],
                &["agency.yaml:", "did you mean \"ศปท.\"?", "มี / known: "],
            ),
        ),
        (
            "a field name with a slip",
            Box::new(|d| replace(d, "scores.yaml", "rank: 126", "rnak: 126")),
            (
                &["yaml.unknown-field"],
                &["scores.yaml:", "unknown field", "did you mean \"rank\"?"],
            ),
        ),
        (
            "a document date far from its fiscal year",
            Box::new(|d| {
                replace(
                    d,
                    "agency.yaml",
                    "  report_deadline: 2026-10-12",
                    "  report_deadline: 2026-10-12\ndate: -0001-01-01",
                )
            }),
            (
                &["date.range"],
                &[
                    "agency.yaml:",
                    "date",
                    "far from fiscal year 2569",
                    "2024-10-01",
                ],
            ),
        ),
        (
            "a document date of another century",
            Box::new(|d| {
                replace(
                    d,
                    "agency.yaml",
                    "  report_deadline: 2026-10-12",
                    "  report_deadline: 2026-10-12\ndate: 1066-10-14",
                )
            }),
            (
                &["date.range"],
                &["agency.yaml:", "date", "far from fiscal year 2569"],
            ),
        ),
        (
            "a name of invisible characters only",
            Box::new(|d| {
                replace(
                    d,
                    "agency.yaml",
                    "name: สำนักเลขาธิการนายกรัฐมนตรี",
                    "name: \"\\u200B\\u200B\"",
                )
            }),
            (
                &["text.empty"],
                &["agency.yaml:", "agency.name", "invisible characters"],
            ),
        ),
        (
            "a blank head",
            Box::new(|d| replace(d, "agency.yaml", "head: เลขาธิการนายกรัฐมนตรี", "head: \"  \"")),
            (&["text.empty"], &["agency.yaml:", "agency.head", "empty"]),
        ),
        (
            "a blank group",
            Box::new(|d| replace(d, "agency.yaml", "group: ส่วนราชการระดับกรม", "group: \"\"")),
            (&["text.empty"], &["agency.yaml:", "agency.group", "empty"]),
        ),
        (
            "a blank monitoring item",
            Box::new(|d| {
                replace(
                    d,
                    "agency.yaml",
                    "    - ให้นำผลการดำเนินการตามมาตรการ",
                    "    - \"\"\n    - ให้นำผลการดำเนินการตามมาตรการ",
                )
            }),
            (
                &["text.empty"],
                &["agency.yaml:51:", "monitoring.items[1]", "remove the item"],
            ),
        ),
        (
            "a finding of invisible characters",
            Box::new(|d| {
                replace(
                    d,
                    "analysis.yaml",
                    "      - ควรมีการทบทวนคู่มือการให้บริการ",
                    "      - \"\\u200B\"\n      - ควรมีการทบทวนคู่มือการให้บริการ",
                )
            }),
            (
                &["text.empty"],
                &["analysis.yaml:", "findings[0]", "invisible"],
            ),
        ),
        (
            "a unit code of spaces",
            Box::new(|d| replace(d, "agency.yaml", "  - code: สสจ.", "  - code: \"  \"")),
            (&["text.empty"], &["agency.yaml:", "units[2].code"]),
        ),
        (
            "a name longer than the PDF prints",
            Box::new(|d| {
                replace(
                    d,
                    "agency.yaml",
                    "name: สำนักเลขาธิการนายกรัฐมนตรี",
                    &format!("name: {}", "ก".repeat(10_000)),
                )
            }),
            (
                &["text.too-long"],
                &["agency.yaml:", "agency.name", "too long: 10000 characters"],
            ),
        ),
        (
            "a rating level longer than its cell holds on a page",
            Box::new(|d| {
                replace(
                    d,
                    "assessment.yaml",
                    "  - name: ผ่านดี\n",
                    &format!("  - name: {}\n", "ผ่านดี ".repeat(40).trim_end()),
                )
            }),
            (
                &["text.too-long"],
                &[
                    "assessment.yaml:26:",
                    "rating_levels[1].name",
                    "too long: 279 characters (this name has at most 100",
                ],
            ),
        ),
        (
            "an indicator name longer than a row of the score table holds",
            Box::new(|d| {
                replace(
                    d,
                    "assessment.yaml",
                    "    name: การปฏิบัติหน้าที่\n",
                    &format!("    name: {}\n", "การปฏิบัติหน้าที่ ".repeat(20).trim_end()),
                )
            }),
            (
                &["text.too-long"],
                &[
                    "assessment.yaml:",
                    "indicators[0].name",
                    "too long: 359 characters",
                ],
            ),
        ),
        (
            "a unit name longer than the closing block holds",
            Box::new(|d| {
                replace(
                    d,
                    "agency.yaml",
                    "    name: ศูนย์ปฏิบัติการต่อต้านการทุจริต\n",
                    &format!(
                        "    name: {}\n",
                        "ศูนย์ปฏิบัติการต่อต้านการทุจริต ".repeat(10).trim_end()
                    ),
                )
            }),
            (
                &["text.too-long"],
                &[
                    "agency.yaml:26:",
                    "units[0].name",
                    "too long: 319 characters",
                ],
            ),
        ),
        (
            "a glossary term longer than a name",
            Box::new(|d| {
                replace(
                    d,
                    "agency.yaml",
                    "  glossary: []",
                    &format!("  glossary: [{}]", "ศูนย์ปฏิบัติการ ".repeat(20).trim_end()),
                )
            }),
            (
                &["text.too-long"],
                &[
                    "agency.yaml:18:",
                    "agency.glossary[0]",
                    "too long: 319 characters",
                ],
            ),
        ),
        (
            "a file Notepad saved with a byte-order mark, a key on its first line",
            Box::new(|d| {
                let path = file(d, "agency.yaml");
                let text = std::fs::read_to_string(&path).unwrap();
                let from = text.find("agency:").unwrap();
                let text =
                    text[from..].replacen("  name: สำนักเลขาธิการนายกรัฐมนตรี", "  name: \"\"", 1);
                std::fs::write(&path, format!("\u{feff}{text}")).unwrap();
            }),
            (&["text.empty"], &["agency.yaml:3:9", "agency.name"]),
        ),
        (
            "a rank beyond the agency's group",
            Box::new(|d| replace(d, "scores.yaml", "rank: 126", "rank: 161")),
            (
                &["counts.out-of-order"],
                &[
                    "scores.yaml:13:",
                    "rank 161 is beyond the group's 160 agencies",
                ],
            ),
        ),
        (
            "a unit named in full where its code goes",
            Box::new(|d| {
                replace(
                    d,
                    "measures.yaml",
                    "    units: [ศปท.]",
                    "    units: [ศูนย์ปฏิบัติการต่อต้านการทุจริต]",
                )
            }),
            (
                &["unit.unknown"],
                &[
                    "measures.yaml:",
                    "is the full name of unit ศปท.: write its code \"ศปท.\"",
                ],
            ),
        ),
        (
            "a printed question without its text",
            Box::new(|d| {
                replace(
                    d,
                    "assessment.yaml",
                    "        text: ท่านเคยถูกผู้บังคับบัญชาของท่านสั่งให้ทำธุระส่วนตัวของผู้บังคับบัญชาหรือพวกพ้องบ่อยครั้งมากน้อยเพียงใด\n",
                    "",
                )
            }),
            (
                &["question.no-text"],
                &[
                    "assessment.yaml:",
                    "indicators[2].questions[0]",
                    "question i7",
                    "has no text",
                    "text:",
                ],
            ),
        ),
        (
            "broken yaml",
            Box::new(|d| replace(d, "agency.yaml", "units:", "units: [")),
            (&["yaml.syntax"], &["agency.yaml:"]),
        ),
        (
            "colon in plain text",
            Box::new(|d| {
                replace(
                    d,
                    "agency.yaml",
                    "head: เลขาธิการนายกรัฐมนตรี",
                    "head: เลขาธิการ: นายก",
                )
            }),
            (&["yaml.unquoted-colon"], &["agency.yaml:"]),
        ),
        (
            "a list item at the wrong indent, shown as its line rewritten",
            Box::new(|d| {
                replace(
                    d,
                    "agency.yaml",
                    "    - ให้นำผลการดำเนินการตามมาตรการ",
                    "   - ให้นำผลการดำเนินการตามมาตรการ",
                )
            }),
            (
                &["yaml.syntax"],
                &[
                    "agency.yaml:51:",
                    "write line 51 as:     - ให้นำผลการดำเนินการตามมาตรการ",
                ],
            ),
        ),
        (
            // YAML reads on to the end of the file for the quote's close and stops far below.
            "a quote left open, shown as its line rewritten",
            Box::new(|d| {
                replace(
                    d,
                    "agency.yaml",
                    "head: เลขาธิการนายกรัฐมนตรี",
                    "head: \"เลขาธิการนายกรัฐมนตรี",
                )
            }),
            (
                &["yaml.syntax"],
                &["write line 11 as:   head: '\"เลขาธิการนายกรัฐมนตรี'"],
            ),
        ),
        (
            "wrong type",
            Box::new(|d| replace(d, "scores.yaml", "rank: 126", "rank: หนึ่ง")),
            (&["yaml.wrong-type"], &["scores.yaml:", "rank"]),
        ),
        (
            "missing field",
            Box::new(|d| replace(d, "scores.yaml", "assessed_year: 2568", "")),
            (
                &["yaml.missing-field"],
                &["scores.yaml:", "`assessed_year`"],
            ),
        ),
        (
            "score left blank",
            Box::new(|d| replace(d, "scores.yaml", "current: 91.62", "current: ~")),
            (
                &["score.not-filled"],
                &["scores.yaml:", "indicators[0].current"],
            ),
        ),
        (
            "unknown field",
            Box::new(|d| replace(d, "scores.yaml", "rank: 126", "rank: 126\ncolour: red")),
            (&["yaml.unknown-field"], &["`colour`"]),
        ),
        (
            "thai digits for a number",
            Box::new(|d| replace(d, "scores.yaml", "previous: 82.25", "previous: \"๘๒.๒๕\"")),
            (
                &["score.thai-digits"],
                &["scores.yaml:", "indicators[0].previous"],
            ),
        ),
        (
            "score above 100",
            Box::new(|d| replace(d, "scores.yaml", "current: 91.62", "current: 101")),
            (&["score.range"], &["indicators[0].current"]),
        ),
        (
            "negative score",
            Box::new(|d| replace(d, "scores.yaml", "current: 91.62", "current: -5")),
            (&["score.range"], &["indicators[0].current"]),
        ),
        (
            "score as words",
            Box::new(|d| replace(d, "scores.yaml", "previous: 82.25", "previous: abc")),
            (
                &["score.not-a-number"],
                &["scores.yaml:17:31", "indicators[0].previous"],
            ),
        ),
        (
            "required score left blank",
            Box::new(|d| replace(d, "scores.yaml", "previous: 82.25", "previous: ~")),
            (
                &["yaml.wrong-type"],
                &["scores.yaml:17:31", "indicators[0].previous"],
            ),
        ),
        (
            "negative budget",
            Box::new(|d| {
                edit(d, "measures.yaml", |v| {
                    measure(v, 0)["budget"] = Value::from(-5)
                })
            }),
            (&["budget.form"], &["measures.yaml:", "measures[0].budget"]),
        ),
        (
            "period as a number",
            Box::new(|d| {
                edit(d, "measures.yaml", |v| {
                    measure(v, 0)["period"] = Value::from(5)
                })
            }),
            (
                &["period.form"],
                &["measures.yaml:", "measures[0].period", "(found 5)"],
            ),
        ),
        (
            "a fifth quarter",
            Box::new(|d| {
                edit(d, "measures.yaml", |v| {
                    measure(v, 0)["period"] = Value::from("ไตรมาส ๒ – ๕")
                })
            }),
            (
                &["period.form"],
                &[
                    "measures.yaml:",
                    "measures[0].period",
                    "ไตรมาส ๔ (ก.ค. – ก.ย.)",
                    "four quarters",
                ],
            ),
        ),
        (
            "unknown indicator",
            Box::new(|d| replace(d, "scores.yaml", "{ indicator: 10,", "{ indicator: 11,")),
            (
                &["indicator.unknown", "indicator.no-scores"],
                &["scores.yaml:", "indicators[9].indicator"],
            ),
        ),
        (
            "indicator twice",
            Box::new(|d| replace(d, "scores.yaml", "{ indicator: 2,", "{ indicator: 1,")),
            (&["indicator.duplicate"], &["indicators[1].indicator"]),
        ),
        (
            "unknown question",
            Box::new(|d| replace(d, "scores.yaml", "{ code: i1,", "{ code: i99,")),
            (&["question.unknown"], &["scores.yaml:", "\"i99\""]),
        ),
        (
            "iit question with eit scores",
            Box::new(|d| {
                replace(
                    d,
                    "scores.yaml",
                    "{ code: i1, score: 85.54 }",
                    "{ code: i1, public: 85.54, survey: 80 }",
                )
            }),
            (&["question.score-fields"], &["IIT", "\"i1\""]),
        ),
        (
            "eit question with one score",
            Box::new(|d| {
                replace(
                    d,
                    "scores.yaml",
                    "{ code: e1, public: 86.92, survey: 84.76 }",
                    "{ code: e1, score: 86.92 }",
                )
            }),
            (&["question.score-fields"], &["EIT", "\"e1\""]),
        ),
        (
            "question under the wrong indicator",
            Box::new(|d| replace(d, "assessment.yaml", "- code: i2", "- code: e2x")),
            (&["question.wrong-indicator"], &["assessment.yaml:"]),
        ),
        (
            "unknown instrument",
            Box::new(|d| replace(d, "assessment.yaml", "instrument: IIT", "instrument: XIT")),
            (&["yaml.unknown-variant"], &["`XIT`"]),
        ),
        (
            "weights not 100",
            Box::new(|d| replace(d, "assessment.yaml", "oit: 40", "oit: 45")),
            (&["weights.sum"], &["assessment.yaml:", "105"]),
        ),
        (
            "wrong assessed year",
            Box::new(|d| {
                replace(
                    d,
                    "scores.yaml",
                    "assessed_year: 2568",
                    "assessed_year: 2567",
                )
            }),
            (&["year.assessed"], &["assessed_year", "2568", "2567"]),
        ),
        (
            "measure defined twice",
            Box::new(|d| {
                edit(d, "measures.yaml", |v| {
                    let id = measure(v, 0)["id"].clone();
                    measure(v, 1)["id"] = id;
                })
            }),
            (&["measure.duplicate"], &["measures.yaml:"]),
        ),
        (
            "measure referenced but not defined",
            Box::new(|d| {
                edit(d, "analysis.yaml", |v| {
                    v["analysis"][0]["measures"][0] = Value::from("no-such-measure")
                })
            }),
            (
                &["measure.undefined"],
                &["analysis.yaml:", "\"no-such-measure\""],
            ),
        ),
        (
            "measure never referenced",
            Box::new(|d| {
                edit(d, "measures.yaml", |v| {
                    let mut extra = measure(v, 0).clone();
                    extra["id"] = Value::from("orphan");
                    v["measures"].as_sequence_mut().unwrap().push(extra);
                })
            }),
            (&["measure.unreferenced"], &["measures.yaml:", "\"orphan\""]),
        ),
        (
            "measure without steps",
            Box::new(|d| {
                edit(d, "measures.yaml", |v| {
                    measure(v, 0)["steps"] = Value::Sequence(vec![])
                })
            }),
            (&["measure.no-steps"], &["measures[0].steps"]),
        ),
        (
            "measure without units",
            Box::new(|d| {
                edit(d, "measures.yaml", |v| {
                    measure(v, 0)["units"] = Value::Sequence(vec![])
                })
            }),
            (&["measure.no-units"], &["measures[0].units"]),
        ),
        (
            "measure without title",
            Box::new(|d| {
                edit(d, "measures.yaml", |v| {
                    measure(v, 0)["title"] = Value::from(" ")
                })
            }),
            (&["measure.no-title"], &["measures[0].title"]),
        ),
        (
            "impossible date",
            Box::new(|d| {
                edit(d, "measures.yaml", |v| {
                    measure(v, 0)["period"]["start"] = Value::from("2026-02-30")
                })
            }),
            (
                &["yaml.invalid"],
                &["measures.yaml:", "measures[0].period.start"],
            ),
        ),
        (
            "start after end",
            Box::new(|d| {
                edit(d, "measures.yaml", |v| {
                    measure(v, 0)["period"]["start"] = Value::from("2026-09-01");
                    measure(v, 0)["period"]["end"] = Value::from("2026-04-01");
                })
            }),
            (&["period.reversed"], &["measures[0].period"]),
        ),
        (
            "period before the fiscal year (the seed's measure 1 slip)",
            Box::new(|d| {
                edit(d, "measures.yaml", |v| {
                    measure(v, 0)["period"]["start"] = Value::from("2025-04-01");
                    measure(v, 0)["period"]["end"] = Value::from("2025-06-30");
                })
            }),
            (
                &["period.outside-year"],
                &["measures.yaml:", "measures[0].period.start"],
            ),
        ),
        (
            "report deadline a year late",
            Box::new(|d| {
                replace(
                    d,
                    "agency.yaml",
                    "report_deadline: 2026-10-12",
                    "report_deadline: 2027-10-12",
                )
            }),
            (
                &["date.deadline"],
                &["agency.yaml:", "monitoring.report_deadline"],
            ),
        ),
        (
            "unknown responsible unit",
            Box::new(|d| {
                edit(d, "measures.yaml", |v| {
                    measure(v, 0)["units"][0] = Value::from("กขค.")
                })
            }),
            (&["unit.unknown"], &["measures.yaml:", "\"กขค.\""]),
        ),
        (
            "unknown preparer",
            Box::new(|d| replace(d, "agency.yaml", "preparer: ศปท.", "preparer: ศปท")),
            (&["unit.unknown"], &["agency.yaml:", "preparer"]),
        ),
        (
            "abbreviation misspelt (the seed's สสน.)",
            Box::new(|d| {
                edit(d, "measures.yaml", |v| {
                    measure(v, 0)["title"] = Value::from("พัฒนาประสิทธิภาพของ สสน.")
                })
            }),
            (
                &["abbreviation.misspelt"],
                &["measures.yaml:", "\"สสน.\"", "\"สลน.\""],
            ),
        ),
        (
            "indicator without analysis",
            Box::new(|d| {
                edit(d, "analysis.yaml", |v| {
                    v["analysis"].as_sequence_mut().unwrap().remove(4);
                })
            }),
            (&["analysis.missing"], &["analysis.yaml"]),
        ),
        (
            "empty file",
            Box::new(|d| std::fs::write(file(d, "scores.yaml"), "# nothing yet\n").unwrap()),
            (&["yaml.empty"], &["scores.yaml"]),
        ),
        (
            "missing file",
            Box::new(|d| std::fs::remove_file(file(d, "measures.yaml")).unwrap()),
            (&["file.missing"], &["measures.yaml"]),
        ),
        (
            "ten megabyte string",
            Box::new(|d| {
                let big = "ก".repeat(10 * 1024 * 1024 / 3);
                replace(
                    d,
                    "agency.yaml",
                    "head: เลขาธิการนายกรัฐมนตรี",
                    &format!("head: {big}"),
                );
            }),
            (&["file.too-large"], &["agency.yaml"]),
        ),
        (
            "deeply nested yaml",
            Box::new(|d| {
                replace(
                    d,
                    "scores.yaml",
                    "rank: 126",
                    &format!("rank: {}1{}", "[".repeat(5000), "]".repeat(5000)),
                )
            }),
            (&["yaml.too-deep"], &["scores.yaml"]),
        ),
        (
            // A character pasted from Word or a PDF: libyaml names only its byte offset.
            "control character",
            Box::new(|d| {
                replace(
                    d,
                    "agency.yaml",
                    "head: เลขาธิการนายกรัฐมนตรี",
                    "head: เลขาธิการ\u{2}นายกรัฐมนตรี",
                )
            }),
            (
                &["yaml.control-character"],
                &["agency.yaml:11:17", "U+0002", "^^"],
            ),
        ),
        (
            "unknown coordinator of one measure",
            Box::new(|d| {
                edit(d, "measures.yaml", |v| {
                    measure(v, 1)["coordinator"] = Value::from("กขค.")
                })
            }),
            (&["unit.unknown"], &["measures[1].coordinator", "\"กขค.\""]),
        ),
        (
            "not utf-8",
            Box::new(|d| {
                let mut bytes = std::fs::read(file(d, "agency.yaml")).unwrap();
                bytes.extend_from_slice(&[0xff, 0xfe, 0xa1]);
                std::fs::write(file(d, "agency.yaml"), bytes).unwrap();
            }),
            (&["file.not-utf8"], &["agency.yaml"]),
        ),
        (
            "symlink outside the project",
            Box::new(|d| {
                let outside = d.parent().unwrap().join(format!(
                    "{}-outside.yaml",
                    d.file_name().unwrap().to_string_lossy()
                ));
                std::fs::copy(file(d, "scores.yaml"), &outside).unwrap();
                std::fs::remove_file(file(d, "scores.yaml")).unwrap();
                std::os::unix::fs::symlink(&outside, file(d, "scores.yaml")).unwrap();
            }),
            (&["file.outside-project"], &["scores.yaml"]),
        ),
    ]
}

#[test]
fn malformed_inputs_give_their_message_and_write_nothing() {
    let cases = cases();
    assert!(cases.len() >= 30, "{} cases", cases.len());
    let mut failures = Vec::new();
    for (name, breaker, (codes, expected)) in cases {
        let dir = project();
        breaker(dir.path());
        let found = common::check_json(dir.path());
        let found_codes: Vec<&str> = found.iter().filter_map(|d| d["code"].as_str()).collect();
        let missing: Vec<&&str> = codes.iter().filter(|c| !found_codes.contains(c)).collect();
        if !missing.is_empty() {
            failures.push(format!(
                "{name}: codes {missing:?} not among {found_codes:?}"
            ));
        }
        // The message of each expected problem, which `check` and `build` both print.
        let messages: Vec<&str> = found
            .iter()
            .filter(|d| d["code"].as_str().is_some_and(|c| codes.contains(&c)))
            .filter_map(|d| d["en"].as_str())
            .collect();
        for args in [&["check"][..], &["build"][..]] {
            let out = Command::new(env!("CARGO_BIN_EXE_oit025"))
                .current_dir(dir.path())
                .args(args)
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            let problems: Vec<String> = [
                (out.status.code() != Some(1))
                    .then(|| format!("exit code {:?}", out.status.code())),
                err.contains("panicked").then(|| "panicked".to_string()),
                dir.path()
                    .join("output")
                    .exists()
                    .then(|| "output written".to_string()),
                (!err.contains(" / ")).then(|| "no bilingual message".to_string()),
            ]
            .into_iter()
            .flatten()
            .chain(
                expected
                    .iter()
                    .chain(&messages)
                    .filter(|e| !err.contains(*e))
                    .map(|e| format!("missing {e:?}")),
            )
            .collect();
            if !problems.is_empty() {
                failures.push(format!(
                    "{name} ({}): {}\n{err}",
                    args[0],
                    problems.join(", ")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_bundled_content_checks_clean_but_for_the_stated_ita() {
    let dir = project();
    let out = Command::new(env!("CARGO_BIN_EXE_oit025"))
        .current_dir(dir.path())
        .arg("check")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert_eq!(err.matches("warning").count(), 1, "{err}");
    assert!(
        err.contains("scores.yaml:31:13") || err.contains("scores.yaml:"),
        "{err}"
    );
    assert!(err.contains("87.99"), "{err}");
}

#[test]
fn the_seeds_three_mistakes_are_caught_with_file_and_line() {
    let dir = project();
    // 1. Section 5 names measure 2 under indicator 6, where section 6 has measure 6.
    edit(dir.path(), "analysis.yaml", |v| {
        let second = v["analysis"][1]["measures"][0].clone();
        v["analysis"][5]["measures"][0] = second;
    });
    // 2. Measure 1's period 1 Apr - 30 Jun 68, before fiscal year 2569 starts.
    edit(dir.path(), "measures.yaml", |v| {
        measure(v, 0)["period"]["start"] = Value::from("2025-04-01");
        measure(v, 0)["period"]["end"] = Value::from("2025-06-30");
    });
    // 3. The agency's abbreviation spelt สสน. in a step.
    edit(dir.path(), "measures.yaml", |v| {
        measure(v, 1)["steps"][0] = Value::from("จัดทำรายงานในภาพรวมของ สสน.")
    });
    // And a typed measure number is refused: numbers come from the list.
    edit(dir.path(), "measures.yaml", |v| {
        measure(v, 2)["number"] = Value::from(3)
    });
    let out = Command::new(env!("CARGO_BIN_EXE_oit025"))
        .current_dir(dir.path())
        .arg("check")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    // The typed number stops parsing of measures.yaml; fix it and the three mistakes show.
    assert_eq!(common::codes(dir.path()), ["yaml.unknown-field"], "{err}");
    assert!(
        err.contains("`number`") && err.contains("follow the order"),
        "{err}"
    );
    edit(dir.path(), "measures.yaml", |v| {
        measure(v, 2).as_mapping_mut().unwrap().remove("number");
    });
    let found = common::check_json(dir.path());
    let located = |code: &str, file: &str| {
        found.iter().any(|d| {
            d["code"] == code && d["file"] == format!("content/2569/{file}") && d["line"].is_u64()
        })
    };
    let found = serde_json::to_string_pretty(&found).unwrap();
    assert!(located("measure.unreferenced", "measures.yaml"), "{found}");
    assert!(located("period.outside-year", "measures.yaml"), "{found}");
    assert!(located("abbreviation.misspelt", "measures.yaml"), "{found}");
    assert!(found.contains("สสน."), "{found}");
}

/// A coordinator that is not a unit is one mistake, reported once, not once for each measure
/// it coordinates.
#[test]
fn an_unknown_coordinator_is_reported_once() {
    let dir = project();
    replace(
        dir.path(),
        "measures.yaml",
        "coordinator: ศปท.",
        "coordinator: กขค.",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_oit025"))
        .current_dir(dir.path())
        .arg("check")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.matches("error:").count(), 1, "{err}");
    assert!(err.contains("measures.yaml:7:14"), "{err}");
}

/// A folder under content/ is a year only when named exactly as one: `02570` beside `2569` is
/// not FY 2570 (it was, and `check` then looked for content/2570).
#[test]
fn year_folders_are_named_exactly() {
    let dir = project();
    common::copy_dir(&file(dir.path(), ""), &dir.path().join("content/02570"));
    let out = common::oit025(dir.path(), &["check"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert_eq!(oit025::content::years(dir.path()).unwrap(), [2569]);
}

/// Every wrong score of a file is reported in one run, each where it is written, and a wrong
/// score stops the year as a file that does not parse does.
#[test]
fn every_wrong_score_is_reported_at_once() {
    let dir = project();
    replace(
        dir.path(),
        "scores.yaml",
        "previous: 82.25",
        "previous: 182.25",
    );
    replace(
        dir.path(),
        "scores.yaml",
        "{ code: i1, score: 85.54 }",
        "{ code: i1, score: \"๘๕.๕๔\" }",
    );
    replace(
        dir.path(),
        "scores.yaml",
        "assessed_year: 2568",
        "assessed_year: 2567",
    );
    let found = common::check_json(dir.path());
    let at: Vec<(&str, &str, u64)> = found
        .iter()
        .map(|d| {
            let field = d["field"].as_str().unwrap_or_default();
            (
                d["code"].as_str().unwrap(),
                field,
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        at,
        [
            ("score.range", "indicators[0].previous", 17),
            ("score.thai-digits", "questions[0].score", 36),
        ],
        "{found:?}"
    );
}

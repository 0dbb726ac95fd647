//! Right for every agency (issue 21): the whole rating rule, content as agencies write it, and a
//! safe start. Each test breaks or extends a copy of the bundled content, or uses the second
//! agency's content in tests/fixtures/municipality (a เทศบาลตำบล), and looks at what a reader sees.

use std::path::{Path, PathBuf};
use std::process::Command;

use oit025::derive::{Extreme, Figures};
use oit025::diag::{Code, Diagnostics, SourceMap};
use oit025::model::Report;
use oit025::template::{self, Digits};
use serde_yaml::Value;

use crate::common::{self, copy_dir, manifest_dir, project, replace_in};
use crate::common::{oit025, stderr};

fn year(dir: &Path, name: &str) -> PathBuf {
    dir.join("content/2569").join(name)
}

/// Edits a content file as YAML data.
fn edit(dir: &Path, name: &str, f: impl FnOnce(&mut Value)) {
    let path = year(dir, name);
    let mut v: Value = serde_yaml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    f(&mut v);
    std::fs::write(&path, serde_yaml::to_string(&v).unwrap()).unwrap();
}

fn checked(dir: &Path) -> Result<(Report, Figures, Diagnostics), String> {
    let mut sources = SourceMap::default();
    oit025::pipeline::check(dir, 2569, &mut sources)
        .map(|c| (c.report, c.figures, c.warnings))
        .map_err(|d| sources.render(&d.0))
}

/// The report's Typst source as rendered, without the word-break marks.
fn typst(dir: &Path) -> String {
    let (report, figures, _) = checked(dir).unwrap_or_else(|e| panic!("does not check:\n{e}"));
    let env = template::environment(Some(&dir.join("templates")), Digits::Thai);
    let source = template::render(&env, &report, &figures, Digits::Thai).unwrap();
    // Without the marks and the boxes of Latin words: the text as printed.
    oit025::marks::strip(&source).replace('\u{A0}', " ")
}

/// The check's messages (stderr of `oit025 check`) and whether it passed.
fn check(dir: &Path) -> (bool, String) {
    let out = oit025(dir, &["check"]);
    (out.status.success(), stderr(&out))
}

/// The municipality's project: tests/fixtures/municipality in a fresh folder.
fn municipality() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &manifest_dir().join("tests/fixtures/municipality"),
        dir.path(),
    );
    dir
}

fn pdftotext(pdf: &Path) -> String {
    let out = common::output(Command::new("pdftotext").args([pdf.to_str().unwrap(), "-"]));
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Ties and the threshold note.

#[test]
fn the_note_is_true_when_the_lowest_question_is_exactly_the_threshold() {
    let dir = project();
    // Indicator 3 has one scored question; at exactly 90 none is below the threshold.
    replace_in(
        &year(dir.path(), "scores.yaml"),
        "{ code: i7, score: 95.92 }",
        "{ code: i7, score: 90.00 }",
    );
    let t = typst(dir.path());
    assert!(t.contains("ทุกข้อมีผลคะแนนไม่ต่ำกว่า ๙๐ คะแนน"), "{t}");
    assert!(!t.contains("มากกว่า ๙๐"));
    // Above it, the seed's sentence stays.
    let t = typst(project().path());
    assert!(t.contains("ทุกข้อมีผลคะแนนมากกว่า ๙๐ คะแนน"));
}

#[test]
fn every_indicator_sharing_the_lowest_or_highest_is_marked() {
    let dir = project();
    let scores = year(dir.path(), "scores.yaml");
    // EIT 7 and 8 both 86.74 (the community hospital's case); IIT 1 and 3 both the highest.
    replace_in(&scores, "current: 82.72", "current: 86.74");
    replace_in(&scores, "current: 79.43", "current: 86.74");
    replace_in(&scores, "current: 91.62", "current: 98.05");
    // EIT now 88.07: the rating needs its parts.
    replace_in(
        &scores,
        "stated_ita:",
        "eit_parts: { part1: 90.00, part2: 86.14 }\nstated_ita:",
    );
    let (_, f, _) = checked(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let e: Vec<_> = f.indicators.iter().map(|i| i.extreme).collect();
    assert_eq!(e[6], Some(Extreme::Lowest));
    assert_eq!(e[7], Some(Extreme::Lowest));
    assert_eq!(e[0], Some(Extreme::Highest));
    assert_eq!(e[2], Some(Extreme::Highest));
    // All equal (OIT 100 and 100): only the first is marked, as the seed prints it.
    assert_eq!(e[8], Some(Extreme::Highest));
    assert_eq!(e[9], None);
}

// ---------------------------------------------------------------------------------------------
// The rating from every condition of the criteria table.

/// Every indicator's current score set; IIT 96, EIT 96/90/90 (total 92), OIT 96: ITA 94.80.
fn high_scores(dir: &Path) {
    edit(dir, "scores.yaml", |v| {
        for (k, s) in [96, 96, 96, 96, 96, 96, 90, 90, 96, 96].iter().enumerate() {
            v["indicators"][k]["current"] = Value::from(*s);
        }
    });
}

#[test]
fn rating_reads_the_eit_parts() {
    // ผ่านดี needs EIT ส่วนที่ ๒ of 85 or more: at 84.00 the agency is ผ่าน, whatever its EIT total.
    let dir = project();
    high_scores(dir.path());
    edit(dir.path(), "scores.yaml", |v| {
        v["eit_parts"] = serde_yaml::from_str("{ part1: 95.00, part2: 84.00 }").unwrap();
    });
    let (_, f, _) = checked(dir.path()).unwrap();
    assert_eq!(f.rating, "ผ่าน");
    edit(dir.path(), "scores.yaml", |v| {
        v["eit_parts"]["part2"] = Value::from(89.0);
    });
    let (_, f, _) = checked(dir.path()).unwrap();
    assert_eq!(f.rating, "ผ่านดี");
}

#[test]
fn a_rating_that_depends_on_a_missing_value_names_the_field() {
    let dir = project();
    high_scores(dir.path());
    let (ok, text) = check(dir.path());
    assert!(!ok, "{text}");
    assert!(text.contains("eit_parts"), "{text}");
    // Content that passed before the rule read the parts: pointed at where the line goes (not at
    // line 1 of scores.yaml), with the line to add and where its values come from (issue 32).
    assert!(!text.contains("scores.yaml:1:1"), "{text}");
    assert!(
        text.contains("eit_parts: { part1: 91.02, part2: 90.48 }") && text.contains("ITAS"),
        "{text}"
    );
    // The bundled report's rating is decided without the parts (EIT 84.29 < 85): it still checks.
    assert!(check(project().path()).0);
}

#[test]
fn a_stated_rating_is_cross_checked() {
    let dir = project();
    edit(dir.path(), "scores.yaml", |v| {
        v["stated_ita"]["rating"] = Value::from("ผ่านดี");
    });
    let (_, f, warnings) = checked(dir.path()).unwrap();
    assert_eq!(f.rating, "ผ่านดี", "the published rating is printed");
    let w: Vec<_> = warnings
        .0
        .iter()
        .filter(|d| d.field.as_deref() == Some("stated_ita.rating"))
        .collect();
    assert_eq!(w.len(), 1, "{:?}", warnings.0);
    assert!(w[0].message.en.contains("ผ่าน"));
    // A rating that is not one of the levels is an error.
    edit(dir.path(), "scores.yaml", |v| {
        v["stated_ita"]["rating"] = Value::from("ดีมาก");
    });
    let (ok, text) = check(dir.path());
    assert!(!ok && text.contains("ดีมาก"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// OIT items as questions.

fn with_oit_items(dir: &Path) {
    edit(dir, "assessment.yaml", |v| {
        v["indicators"][9]["questions"] = serde_yaml::from_str(
            "[{ code: o29, text: มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน }, { code: o30, text: การดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน }]",
        )
        .unwrap();
    });
}

#[test]
fn oit_items_are_scored_and_selected_like_questions() {
    let dir = project();
    with_oit_items(dir.path());
    edit(dir.path(), "scores.yaml", |v| {
        let q = v["questions"].as_sequence_mut().unwrap();
        q.push(serde_yaml::from_str("{ code: o29, score: 100 }").unwrap());
        q.push(serde_yaml::from_str("{ code: o30, score: 0 }").unwrap());
    });
    let t = typst(dir.path());
    assert!(
        t.contains("o30 การดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน (๐.๐๐ คะแนน)"),
        "{t}"
    );
    assert!(!t.contains("o29 มาตรการ"));

    // Written as EIT questions are, the message names OIT.
    edit(dir.path(), "scores.yaml", |v| {
        let q = v["questions"].as_sequence_mut().unwrap();
        let n = q.len();
        q[n - 1] = serde_yaml::from_str("{ code: o30, public: 0, survey: 0 }").unwrap();
    });
    let (ok, text) = check(dir.path());
    assert!(!ok, "{text}");
    assert!(
        text.contains("OIT question \"o30\" takes score only"),
        "{text}"
    );
    assert!(!text.contains("EIT question"), "{text}");
}

#[test]
fn a_question_defined_and_not_scored_is_reported() {
    let dir = project();
    with_oit_items(dir.path());
    edit(dir.path(), "scores.yaml", |v| {
        let q = v["questions"].as_sequence_mut().unwrap();
        q.push(serde_yaml::from_str("{ code: o29, score: 100 }").unwrap());
    });
    let (_, _, warnings) = checked(dir.path()).unwrap();
    assert!(
        warnings
            .0
            .iter()
            .any(|d| d.code == Code::QuestionUnscored && d.message.en.contains("o30")),
        "{:?}",
        warnings.0
    );
}

// ---------------------------------------------------------------------------------------------
// The abbreviation in any shape.

#[test]
fn abbreviation_near_misses_in_any_shape() {
    for (abbr, slip) in [
        ("ทต.ห้วยทรายทอง", "ทต.หัวยทรายทอง"),
        ("ทต.ห้วยทรายทอง", "ทต.ห้วยทรายทอ"),
        ("อบต.บ้านใหม่", "อบต.บ้านใหม"),
        ("รพ.สต.บ้านนา", "รพ.สต.บ้านนาา"),
        ("สภ.เมืองชลบุรี", "สภ.เมืองชลบรี"),
        ("DEPA", "DEPAA"),
        ("สลน.", "สสน."),
    ] {
        let dir = project();
        let agency = year(dir.path(), "agency.yaml");
        replace_in(
            &agency,
            "abbreviation: สลน.",
            &format!("abbreviation: {abbr}"),
        );
        let analysis = year(dir.path(), "analysis.yaml");
        replace_in(
            &analysis,
            "ควรมีการทบทวนคู่มือการให้บริการ",
            &format!("ควรมีการทบทวนคู่มือการให้บริการของ {abbr} และของ {slip} ทุกแห่ง"),
        );
        let (ok, text) = check(dir.path());
        assert!(!ok, "{abbr} / {slip} passes:\n{text}");
        assert!(
            text.contains(&format!("\"{slip}\"")) && text.contains("analysis.yaml:"),
            "{abbr} / {slip}:\n{text}"
        );
        assert!(!text.contains(&format!("\"{abbr}\" differs")), "{text}");
    }
}

#[test]
fn an_abbreviation_slip_inside_a_thai_run_is_found() {
    // Thai runs words together: the slip has no space before or after it.
    let dir = project();
    replace_in(
        &year(dir.path(), "agency.yaml"),
        "abbreviation: สลน.",
        "abbreviation: ทต.ห้วยทรายทอง",
    );
    let analysis = year(dir.path(), "analysis.yaml");
    replace_in(
        &analysis,
        "ควรมีการทบทวนคู่มือการให้บริการ",
        "ควรมีการทบทวนคู่มือการให้บริการของทต.ห้วยทรายทองและคู่มือของทต.หัวยทรายทองได้ทุกแห่ง",
    );
    let (ok, text) = check(dir.path());
    assert!(!ok, "{text}");
    assert!(
        text.contains("\"ทต.หัวยทรายทอง\"") && text.contains("analysis.yaml:"),
        "{text}"
    );
    // The right spelling run together with its neighbours is no slip.
    let dir = project();
    replace_in(
        &year(dir.path(), "agency.yaml"),
        "abbreviation: สลน.",
        "abbreviation: ทต.ห้วยทรายทอง",
    );
    replace_in(
        &year(dir.path(), "analysis.yaml"),
        "ควรมีการทบทวนคู่มือการให้บริการ",
        "ควรมีการทบทวนคู่มือการให้บริการของทต.ห้วยทรายทองได้ทุกแห่ง",
    );
    let (ok, text) = check(dir.path());
    assert!(ok, "{text}");
}

// ---------------------------------------------------------------------------------------------
// Periods as agencies write them.

#[test]
fn periods_as_agencies_write_them() {
    let dir = project();
    edit(dir.path(), "measures.yaml", |v| {
        v["measures"][0]["period"] = Value::from("ต.ค. ๖๘ – ก.ย. ๖๙");
        v["measures"][1]["period"] = Value::from("ตลอดปีงบประมาณ พ.ศ. ๒๕๖๙");
        v["measures"][2]["period"] = Value::from("ไตรมาส ๑ – ๒");
        v["measures"][3]["period"] = Value::from("เม.ย. – มิ.ย. 69");
    });
    let t = typst(dir.path());
    for written in [
        "ต.ค. ๖๘ – ก.ย. ๖๙",
        "ตลอดปีงบประมาณ พ.ศ. ๒๕๖๙",
        "ไตรมาส ๑ – ๒",
        "เม.ย. – มิ.ย. 69",
    ] {
        assert!(t.contains(written), "{written} not printed as written");
    }
    // Exact dates print as before.
    assert!(t.contains("๑ เม.ย. – ๓๐ มิ.ย. ๖๙"));
}

#[test]
fn a_period_in_a_wrong_form_lists_the_forms() {
    for wrong in [
        "เร็ว ๆ นี้",
        "ตลอดปีงบประมาณ พ.ศ. ๒๕๗๐",
        "ไตรมาส ๕",
        "[1, 2]",
        "ต.ค. ๖๙ – ธ.ค. ๖๙",
    ] {
        let dir = project();
        replace_in(
            &year(dir.path(), "measures.yaml"),
            "period: { start: 2025-12-01, end: 2026-06-30 }",
            &format!("period: {wrong}"),
        );
        let (ok, text) = check(dir.path());
        assert!(!ok, "{wrong}: {text}");
        assert!(text.contains("measures.yaml:"), "{wrong}: {text}");
        assert!(
            !text.contains("PeriodRaw") && !text.contains("\\u{"),
            "{text}"
        );
        if wrong.starts_with("ไตรมาส") {
            // A quarter no fiscal year has: the four quarters and their months.
            assert!(text.contains("ไตรมาส ๔ (ก.ค. – ก.ย.)"), "{wrong}: {text}");
            assert!(text.contains("four quarters"), "{text}");
        } else if !wrong.contains("๒๕๗๐") && !wrong.contains("๖๙ – ธ") {
            // The forms, in Thai and English, with examples.
            for form in [
                "ตลอดปีงบประมาณ พ.ศ. ๒๕๖๙",
                "ไตรมาส ๑ – ๒",
                "ต.ค. ๖๘ – ก.ย. ๖๙",
                "start:",
            ] {
                assert!(text.contains(form), "{wrong}: {form} not in {text}");
            }
            assert!(text.contains("whole fiscal year"), "{text}");
        } else {
            assert!(text.contains("outside fiscal year 2569"), "{wrong}: {text}");
        }
    }
}

#[test]
fn a_wrong_value_is_quoted_in_thai_as_typed() {
    let dir = project();
    replace_in(
        &year(dir.path(), "scores.yaml"),
        "rank: 126",
        "rank: หนึ่งร้อยยี่สิบหก",
    );
    let (ok, text) = check(dir.path());
    assert!(!ok);
    assert!(text.contains("\"หนึ่งร้อยยี่สิบหก\""), "{text}");
    assert!(!text.contains("\\u{"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// Budget, target, shared measures, units.

#[test]
fn budget_and_target_print_only_when_given() {
    let bundled = typst(project().path());
    assert!(!bundled.contains("งบประมาณ (บาท)") && !bundled.contains("ตัวชี้วัดความสำเร็จ"));
    let dir = project();
    edit(dir.path(), "measures.yaml", |v| {
        v["measures"][0]["budget"] = Value::from(150000);
        v["measures"][0]["target"] = Value::from("ผู้รับบริการพึงพอใจไม่น้อยกว่าร้อยละ ๘๕");
        v["measures"][1]["budget"] = Value::from("ไม่ใช้งบประมาณ");
    });
    let t = typst(dir.path());
    assert!(
        t.contains("งบประมาณ (บาท)") && t.contains("ตัวชี้วัดความสำเร็จ"),
        "{t}"
    );
    assert!(t.contains("๑๕๐,๐๐๐"));
    assert!(t.contains("ไม่ใช้งบประมาณ"));
    assert!(t.contains("ผู้รับบริการพึงพอใจไม่น้อยกว่าร้อยละ ๘๕"));
}

#[test]
fn units_in_a_cell_are_separated() {
    // Measure 4 has three units: each a bulleted line of one paragraph, not a bare line.
    let t = typst(project().path());
    let bullet = "#box(width: 0.9em)[•]";
    let next = format!(" \\ #h(-0.9em){bullet}");
    let units = format!("{bullet}ศปท.{next}สสธ.{next}ทุกหน่วยงาน]");
    assert!(t.contains(&units), "{units} not in {t}");
}

#[test]
fn a_shared_measure_is_printed_once_when_asked() {
    let dir = project();
    // Indicators 1 and 6 both lead to measure 1.
    edit(dir.path(), "analysis.yaml", |v| {
        v["analysis"][5]["measures"] =
            serde_yaml::from_str("[staff-performance, service-efficiency]").unwrap();
    });
    let everywhere = typst(dir.path());
    assert!(!everywhere.contains("ดำเนินการตามมาตรการที่ ๑"));
    edit(dir.path(), "measures.yaml", |v| {
        v["shared"] = Value::from("once");
    });
    let once = typst(dir.path());
    assert!(once.contains("ดำเนินการตามมาตรการที่ ๑"), "{once}");
    let title = "พัฒนาประสิทธิภาพการปฏิบัติงานของเจ้าหน้าที่";
    assert_eq!(
        once.matches(title).count() + 1,
        everywhere.matches(title).count()
    );
}

// ---------------------------------------------------------------------------------------------
// init and new.

#[test]
fn init_leaves_the_agency_specific_to_fill_in() {
    let parent = tempfile::tempdir().unwrap();
    let out = oit025(
        parent.path(),
        &[
            "init",
            "p",
            "--agency",
            "เทศบาลตำบลห้วยทรายทอง",
            "--abbreviation",
            "ทต.ห้วยทรายทอง",
            "--year",
            "2569",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let p = parent.path().join("p");
    let mut all = String::new();
    for name in oit025::content::FILES {
        let text = std::fs::read_to_string(year(&p, name)).unwrap();
        assert!(
            text.starts_with(&format!(
                "# yaml-language-server: $schema=../schemas/{}",
                oit025::content::schema::file_name(name)
            )),
            "{name}"
        );
        all.push_str(&text);
    }
    assert!(all.contains("name: เทศบาลตำบลห้วยทรายทอง"));
    assert!(all.contains("abbreviation: ทต.ห้วยทรายทอง"));
    for other in [
        "สำนักเลขาธิการนายกรัฐมนตรี",
        "สลน.",
        "ศปท.",
        "staff-performance",
    ] {
        assert!(!all.contains(other), "{other} in the skeleton");
    }
    let (ok, text) = check(&p);
    assert!(!ok, "the skeleton passes check");
    let left = all.matches("(กรอก)").count();
    assert!(left > 5);
    assert!(
        text.contains(&format!("{left} places still to fill in")),
        "{text}"
    );
}

#[test]
fn init_example_states_its_origin_and_builds() {
    let parent = tempfile::tempdir().unwrap();
    let out = oit025(parent.path(), &["init", "p", "--example"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let p = parent.path().join("p");
    let agency = std::fs::read_to_string(year(&p, "agency.yaml")).unwrap();
    assert!(agency.contains("ตัวอย่าง") && agency.contains("Example"));
    assert!(agency.contains("สำนักเลขาธิการนายกรัฐมนตรี"));
    assert!(check(&p).0);
}

const HOSTILE: [&str; 7] = [
    "กรม #ทดสอบ",
    "กรม: ทดสอบ",
    "[กรม",
    "{{ กรม }}",
    "*กรม",
    "กรม\nสอง",
    "'กรม\" ~ null",
];

#[test]
fn init_writes_any_name_as_valid_yaml() {
    for name in HOSTILE {
        let parent = tempfile::tempdir().unwrap();
        let out = oit025(
            parent.path(),
            &[
                "init",
                "p",
                "--agency",
                name,
                "--abbreviation",
                name,
                "--year",
                "2569",
            ],
        );
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        let text = std::fs::read_to_string(year(&parent.path().join("p"), "agency.yaml")).unwrap();
        let v: Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(v["agency"]["name"].as_str(), Some(name), "{text}");
        assert_eq!(v["agency"]["abbreviation"].as_str(), Some(name));
        // The example too.
        let parent = tempfile::tempdir().unwrap();
        let out = oit025(parent.path(), &["init", "p", "--example", "--agency", name]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        let text = std::fs::read_to_string(year(&parent.path().join("p"), "agency.yaml")).unwrap();
        let v: Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(v["agency"]["name"].as_str(), Some(name), "{text}");
    }
}

#[test]
fn new_writes_the_coordinator_as_valid_yaml() {
    for name in HOSTILE {
        let dir = project();
        edit(dir.path(), "agency.yaml", |v| {
            v["units"].as_sequence_mut().unwrap().push(
                serde_yaml::from_str(&format!(
                    "{{ code: {} }}",
                    serde_json::to_string(name).unwrap()
                ))
                .unwrap(),
            );
        });
        edit(dir.path(), "measures.yaml", |v| {
            v["coordinator"] = Value::from(name);
        });
        let out = oit025(dir.path(), &["new", "2570"]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        let text = std::fs::read_to_string(dir.path().join("content/2570/measures.yaml")).unwrap();
        let v: Value =
            serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}\n{text}"));
        assert_eq!(v["coordinator"].as_str(), Some(name), "{text}");
    }
}

// ---------------------------------------------------------------------------------------------
// Framework values.

#[test]
fn framework_values_are_validated() {
    type Case = (&'static str, &'static str, &'static str, &'static str);
    let cases: [Case; 8] = [
        (
            "assessment.yaml",
            "oit: 40\n  - year: 2568",
            "oit: .nan\n  - year: 2568",
            "weights[0]",
        ),
        (
            "assessment.yaml",
            "oit: 40\n  - year: 2568",
            "oit: .inf\n  - year: 2568",
            "weights[0]",
        ),
        (
            "assessment.yaml",
            "iit: 30\n    eit: 30\n    oit: 40\n  - year: 2568",
            "iit: 300\n    eit: -200\n    oit: 0\n  - year: 2568",
            "weights[0]",
        ),
        (
            "assessment.yaml",
            "    ita: { min: 70.00, max: 84.99 }",
            "    ita: { min: 84.99, max: 70.00 }",
            "rating_levels[3]",
        ),
        (
            "assessment.yaml",
            "    ita: { min: 70.00, max: 84.99 }",
            "    ita: { min: 70.00, max: 80.00 }",
            "rating_levels",
        ),
        (
            "assessment.yaml",
            "    ita: { min: 0.00, max: 69.99 }",
            "    ita: { min: 0.00, max: 75.00 }",
            "rating_levels",
        ),
        (
            "agency.yaml",
            "name: สำนักเลขาธิการนายกรัฐมนตรี",
            "name: \"  \"",
            "agency.name",
        ),
        ("agency.yaml", "units:", "date: 2569-01-15\nunits:", "date"),
    ];
    for (file, from, to, field) in cases {
        let dir = project();
        replace_in(&year(dir.path(), file), from, to);
        let (ok, text) = check(dir.path());
        assert!(!ok, "{to}: passes");
        assert!(text.contains(field), "{to}: {field} not named:\n{text}");
        if to.contains("2569-01-15") {
            assert!(text.contains("2026-01-15"), "no CE hint: {text}");
        }
    }
    // No levels at all.
    let dir = project();
    edit(dir.path(), "assessment.yaml", |v| {
        v["rating_levels"] = Value::Sequence(vec![]);
    });
    let (ok, text) = check(dir.path());
    assert!(!ok && text.contains("rating_levels"), "{text}");
}

#[test]
fn no_negative_zero_is_printed() {
    let dir = project();
    replace_in(
        &year(dir.path(), "scores.yaml"),
        "{ code: i10, score: 77.46 }",
        "{ code: i10, score: -0.0 }",
    );
    let t = typst(dir.path());
    assert!(t.contains("i10"), "{t}");
    assert!(!t.contains("-๐.๐๐") && !t.contains("\\-๐.๐๐"), "{t}");
    assert!(t.contains("(๐.๐๐ คะแนน)"));
}

/// Removes indicators from a copy of the bundled framework and content, renumbering the rest
/// 1, 2, ... in order; drops their question scores and the measures only they led to.
fn drop_indicators(dir: &Path, gone: &[u64], questions: &[&str]) {
    let renumber = |n: u64| -> Option<u64> {
        (!gone.contains(&n)).then(|| n - gone.iter().filter(|g| **g < n).count() as u64)
    };
    let keep = |list: &mut Value, key: &str| {
        let seq = list.as_sequence_mut().unwrap();
        seq.retain(|i| renumber(i[key].as_u64().unwrap()).is_some());
        for i in seq.iter_mut() {
            i[key] = Value::from(renumber(i[key].as_u64().unwrap()).unwrap());
        }
    };
    edit(dir, "assessment.yaml", |v| {
        keep(&mut v["indicators"], "number")
    });
    edit(dir, "scores.yaml", |v| {
        keep(&mut v["indicators"], "indicator");
        v["stated_ita"] = Value::Mapping(Default::default());
        v["questions"]
            .as_sequence_mut()
            .unwrap()
            .retain(|q| !questions.contains(&q["code"].as_str().unwrap()));
    });
    let mut dropped = Vec::new();
    edit(dir, "analysis.yaml", |v| {
        for a in v["analysis"].as_sequence().unwrap() {
            if gone.contains(&a["indicator"].as_u64().unwrap()) {
                dropped.extend(a["measures"].as_sequence().unwrap().iter().cloned());
            }
        }
        keep(&mut v["analysis"], "indicator");
        let kept: Vec<Value> = v["analysis"]
            .as_sequence()
            .unwrap()
            .iter()
            .flat_map(|a| a["measures"].as_sequence().unwrap().clone())
            .collect();
        dropped.retain(|m| !kept.contains(m));
    });
    edit(dir, "measures.yaml", |v| {
        v["measures"]
            .as_sequence_mut()
            .unwrap()
            .retain(|m| !dropped.contains(&m["id"]));
    });
    edit(dir, "recommendations.yaml", |v| {
        for r in v["recommendations"].as_sequence_mut().unwrap() {
            let ns: Vec<Value> = r["indicators"]
                .as_sequence()
                .unwrap()
                .iter()
                .filter_map(|n| renumber(n.as_u64().unwrap()).map(Value::from))
                .collect();
            r["indicators"] = Value::Sequence(ns);
        }
        v["recommendations"]
            .as_sequence_mut()
            .unwrap()
            .retain(|r| !r["indicators"].as_sequence().unwrap().is_empty());
    });
}

#[test]
fn a_framework_of_eight_indicators_builds() {
    // Indicators 4 and 8 removed, the rest renumbered 1-8; weights 25/35/40.
    let dir = project();
    drop_indicators(dir.path(), &[4, 8], &["i10", "i12", "e7", "e8", "e9"]);
    edit(dir.path(), "assessment.yaml", |v| {
        for w in v["weights"].as_sequence_mut().unwrap() {
            w["iit"] = Value::from(25);
            w["eit"] = Value::from(35);
        }
    });
    // ITA 93.43 with EIT 86.72: ผ่านดี or ผ่าน by EIT parts 1 and 2.
    edit(dir.path(), "scores.yaml", |v| {
        v["eit_parts"] = serde_yaml::from_str("{ part1: 88.00, part2: 85.44 }").unwrap();
    });
    let (report, f, _) = checked(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.indicators.len(), 8);
    // IIT (91.62 + 92.08 + 98.05 + 87.49) / 4, EIT (90.72 + 82.72) / 2, OIT 100.
    let iit: f64 = (91.62 + 92.08 + 98.05 + 87.49) / 4.0;
    let eit = (90.72 + 82.72) / 2.0;
    let ita = 0.25 * iit + 0.35 * eit + 0.40 * 100.0;
    assert!((ita - 93.4295).abs() < 1e-9);
    // 93.4295 exactly, printed 93.43: half up on the exact value (a double holds 93.42949...).
    assert_eq!(format!("{:.2}", f.ita_current), "93.43");
    assert_eq!(f.rating, "ผ่านดี");
    let out = oit025(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = pdftotext(&dir.path().join("output/2569/oit025-2569.pdf"));
    assert!(
        text.contains("(๘)การปรับปรุงการทำงาน") || text.contains("(๘)การป้องกันการทุจริต"),
        "{text}"
    );
}

#[test]
fn a_framework_without_an_instrument_builds_and_weighs_it_zero() {
    // No OIT indicators: the ITA is IIT and EIT at 50/50, and a weight for OIT is an error.
    let dir = project();
    drop_indicators(dir.path(), &[9, 10], &[]);
    edit(dir.path(), "assessment.yaml", |v| {
        for w in v["weights"].as_sequence_mut().unwrap() {
            w["iit"] = Value::from(50);
            w["eit"] = Value::from(50);
            w["oit"] = Value::from(0);
        }
    });
    let (report, f, _) = checked(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.indicators.len(), 8);
    assert_eq!(f.totals.len(), 2);
    let iit: f64 = (91.62 + 92.08 + 98.05 + 86.10 + 87.49) / 5.0;
    let eit = (90.72 + 82.72 + 79.43) / 3.0;
    assert!(((iit + eit) / 2.0 - 87.679).abs() < 1e-9);
    assert_eq!(format!("{:.2}", f.ita_current), "87.68");
    let t = typst(dir.path());
    assert!(t.contains("มีการจัดเก็บข้อมูล ๒ ส่วน"), "{t}");
    edit(dir.path(), "assessment.yaml", |v| {
        v["weights"][1]["iit"] = Value::from(30);
        v["weights"][1]["eit"] = Value::from(30);
        v["weights"][1]["oit"] = Value::from(40);
    });
    let (ok, text) = check(dir.path());
    assert!(
        !ok && text.contains("weights[1]") && text.contains("OIT"),
        "{text}"
    );
}

// ---------------------------------------------------------------------------------------------
// The second agency: a municipality.

#[test]
fn the_municipality_checks_builds_and_publishes() {
    let dir = municipality();
    let (ok, text) = check(dir.path());
    assert!(ok, "{text}");
    let (report, f, _) = checked(dir.path()).unwrap();
    assert_eq!(report.agency.abbreviation, "ทต.ห้วยทรายทอง");
    assert!(!f.rating.is_empty());
    let out = oit025(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = pdftotext(&dir.path().join("output/2569/oit025-2569.pdf"));
    for expected in [
        "ทต.ห้วยทรายทองมีผลการประเมินITAอยู่ที่ลำดับ๓๑๒มีผลการประเมิน๘๘.๓๖คะแนน",
        "ดำเนินการตามมาตรการที่๑(ดูตัวชี้วัดที่๑)",
        "ตัวชี้วัดความสำเร็จ",
        "๓๕,๐๐๐",
    ] {
        assert!(text.contains(expected), "{expected} not in the PDF");
    }
    // Cells too narrow for one line: the source holds them as written.
    let t = typst(dir.path());
    for written in [
        "ตลอดปีงบประมาณ พ.ศ. ๒๕๖๙",
        "ไตรมาส ๑ – ๒",
        "ไม่ใช้งบประมาณ",
        "ธ.ค. ๖๘ – มิ.ย. ๖๙",
    ] {
        assert!(t.contains(written), "{written} not in the source");
    }
    // Indicators 7 and 8 tie for the lowest EIT score: both are marked.
    let marks: Vec<_> = f.indicators.iter().map(|i| i.extreme).collect();
    assert_eq!(marks[6], Some(Extreme::Lowest));
    assert_eq!(marks[7], Some(Extreme::Lowest));
    assert_eq!(f.rating, "ผ่าน");
    assert!(!text.contains("สลน.") && !text.contains("สำนักเลขาธิการ"));
    let out = oit025(dir.path(), &["publish"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let site = dir.path().join("output/site/2569");
    let csv = std::fs::read_to_string(site.join("measures.csv")).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(
        header.contains("budget") && header.contains("target"),
        "{header}"
    );
    assert!(csv.contains("; "), "units not separated by \"; \": {csv}");
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("data.json")).unwrap()).unwrap();
    assert!(data["measures"][0].get("budget").is_some(), "{data}");
}

// ---------------------------------------------------------------------------------------------
// The third agency: a provincial public health office, FY 2570 (issue 32).

/// The health office's project: tests/fixtures/health-office in a fresh folder.
fn health_office() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &manifest_dir().join("tests/fixtures/health-office"),
        dir.path(),
    );
    dir
}

/// The closing block names the preparer, then the agency, unless the preparer's name holds the
/// agency's already: the health office's closing line printed "ศูนย์ปฏิบัติการต่อต้านการทุจริต
/// สำนักงานสาธารณสุขจังหวัดภูผาทอง สำนักงานสาธารณสุขจังหวัดภูผาทอง".
#[test]
fn the_closing_block_names_the_agency_once() {
    for (dir, agency, preparer) in [
        (
            health_office(),
            "สำนักงานสาธารณสุขจังหวัดภูผาทอง",
            "ศูนย์ปฏิบัติการต่อต้านการทุจริต",
        ),
        (
            common::project(),
            "สำนักเลขาธิการนายกรัฐมนตรี",
            "ศูนย์ปฏิบัติการต่อต้านการทุจริต",
        ),
    ] {
        let out = oit025(dir.path(), &["build", "--emit-typst", "r.typ"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let source = std::fs::read_to_string(dir.path().join("r.typ")).unwrap();
        let source = source
            .replace(['\u{200B}', '\u{2060}'], "")
            .replace('\u{A0}', " ");
        let closing = source[source.rfind("จัดทำโดย").unwrap()..]
            .lines()
            .next()
            .unwrap();
        assert_eq!(closing.matches(agency).count(), 1, "{closing}");
        assert_eq!(closing.matches(preparer).count(), 1, "{closing}");
    }
}

#[test]
fn the_health_office_checks_builds_and_publishes() {
    let dir = health_office();
    let (ok, text) = check(dir.path());
    assert!(ok, "{text}");
    assert!(!text.contains("warning"), "{text}");
    let mut sources = SourceMap::default();
    let (report, f, _) = oit025::pipeline::check(dir.path(), 2570, &mut sources)
        .map(|c| (c.report, c.figures, c.warnings))
        .unwrap_or_else(|d| panic!("{}", sources.render(&d.0)));
    // 0.3 × 93.20 + 0.3 × 90.75 + 0.4 × 75.00 = 85.185 exactly: half up, 85.19.
    assert_eq!(format!("{:.2}", f.ita_current), "85.19");
    assert_eq!(f.rating, "ผ่าน");
    let codes = |n: usize| -> Vec<&str> {
        f.indicators[n - 1]
            .selected
            .iter()
            .map(|&q| report.indicators[n - 1].questions[q].code.as_str())
            .collect()
    };
    // Indicator 1: i1 and i2 tie for the lowest at 94.98, both above 90: both are analysed.
    assert_eq!(codes(1), ["i1", "i2"]);
    assert!(f.indicators[0].lowest_taken && !f.indicators[0].lowest_at_threshold);
    // Indicator 5: i13 is exactly 90.00; i14 (90.005) prints 90.01 and is not a tie.
    assert_eq!(codes(5), ["i13"]);
    assert!(f.indicators[4].lowest_at_threshold);
    assert_eq!(codes(4), ["i10"]);
    // OIT: both indicators at 75.00, so only the first is "highest".
    assert_eq!(f.indicators[8].extreme, Some(Extreme::Highest));
    assert_eq!(f.indicators[9].extreme, None);

    let out = oit025(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = dir.path().join("output/2570/oit025-2570.pdf");
    // In content order (-raw): the layout analysis interleaves the cells of section 5.
    let out = common::output(Command::new("pdftotext").args(["-raw", pdf.to_str().unwrap(), "-"]));
    let text: String = String::from_utf8(out.stdout)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for expected in [
        "สสจ.ภูผาทองมีผลการประเมินITAอยู่ที่ลำดับ๔๑มีผลการประเมิน๘๕.๑๙คะแนนระดับผลการประเมินผ่าน",
        "i1การปฏิบัติงานหรือให้บริการของเจ้าหน้าที่ในหน่วยงานของท่านเป็นไปตามขั้นตอนและระยะเวลามากน้อยเพียงใด(๙๔.๙๘คะแนน)",
        "i2บุคลากรในหน่วยงานของท่านปฏิบัติงานหรือให้บริการแก่ผู้มาติดต่ออย่างเท่าเทียมกันมากน้อยเพียงใด(๙๔.๙๘คะแนน)",
        "ทุกข้อมีผลคะแนนไม่ต่ำกว่า๙๐คะแนน",
        "ประจำปีงบประมาณพ.ศ.๒๕๗๐",
        "ตลอดปีงบประมาณพ.ศ.๒๕๗๐",
        "๔๕,๐๐๐",
    ] {
        assert!(text.contains(expected), "{expected} not in the PDF");
    }
    assert!(!text.contains("สลน.") && !text.contains("ห้วยทรายทอง"));
    let out = oit025(dir.path(), &["publish"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let data: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("output/site/2570/data.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(data["ita"]["current"].as_f64(), Some(85.19), "{data}");
}

// ---------------------------------------------------------------------------------------------
// init --year, init into a folder, new from a year still to fill in (issue 32).

/// The fiscal year of today in Thailand, counted here apart from the tool: it starts on
/// 1 October, Buddhist Era = CE + 543.
fn fiscal_year_today() -> i32 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        + 7 * 3600;
    let date = chrono::DateTime::from_timestamp(secs, 0)
        .unwrap()
        .date_naive();
    use chrono::Datelike;
    date.year() + 543 + if date.month() >= 10 { 1 } else { 0 }
}

fn init_skeleton(parent: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "init",
        "p",
        "--agency",
        "โรงพยาบาลดอนแก้ว",
        "--abbreviation",
        "รพ.ดอนแก้ว",
    ];
    args.extend(extra);
    oit025(parent, &args)
}

#[test]
fn init_starts_the_fiscal_year_asked_or_today() {
    let parent = tempfile::tempdir().unwrap();
    let out = init_skeleton(parent.path(), &["--year", "2571"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let dir = parent.path().join("p/content/2571");
    let scores = std::fs::read_to_string(dir.join("scores.yaml")).unwrap();
    assert!(
        scores.contains("assessed_year: 2570\nprevious_year: 2569"),
        "{scores}"
    );
    let assessment = std::fs::read_to_string(dir.join("assessment.yaml")).unwrap();
    let v: Value = serde_yaml::from_str(&assessment).unwrap();
    let years: Vec<i64> = v["weights"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|w| w["year"].as_i64().unwrap())
        .collect();
    assert_eq!(years, [2569, 2570]);
    assert!(assessment.contains("carried from 2568"), "{assessment}");
    // Every question has its text, or a comment saying where it goes.
    let lines: Vec<&str> = assessment.lines().collect();
    for (k, line) in lines.iter().enumerate() {
        if line.trim_start().starts_with("- code: ") {
            let next = lines[k + 1].trim_start();
            assert!(
                next.starts_with("text:") || next.starts_with("# text:"),
                "{line} / {next}"
            );
        }
    }
    let measures = std::fs::read_to_string(dir.join("measures.yaml")).unwrap();
    assert!(
        measures.contains("๒๕๗๑") && measures.contains("2028-04-01"),
        "{measures}"
    );
    let (ok, text) = check(&parent.path().join("p"));
    assert!(!ok && text.contains("places still to fill in"), "{text}");

    let parent = tempfile::tempdir().unwrap();
    let out = init_skeleton(parent.path(), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let year = fiscal_year_today();
    assert!(
        parent.path().join(format!("p/content/{year}")).is_dir(),
        "no content/{year}"
    );
}

#[test]
fn init_fills_a_folder_that_has_no_content_yet() {
    let parent = tempfile::tempdir().unwrap();
    let p = parent.path().join("p");
    std::fs::create_dir_all(p.join(".git")).unwrap();
    std::fs::write(p.join("README.md"), "ของหน่วยงาน").unwrap();
    let out = init_skeleton(parent.path(), &["--year", "2570"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(p.join("content/2570/agency.yaml").is_file());
    assert_eq!(
        std::fs::read_to_string(p.join("README.md")).unwrap(),
        "ของหน่วยงาน"
    );
    // A folder with content/ already is left alone.
    let out = init_skeleton(parent.path(), &["--year", "2571"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("content/"), "{}", stderr(&out));
    assert!(!p.join("content/2571").exists());
}

#[test]
fn new_starts_from_a_year_still_to_fill_in() {
    let parent = tempfile::tempdir().unwrap();
    let out = init_skeleton(parent.path(), &["--year", "2569"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let p = parent.path().join("p");
    let out = oit025(&p, &["new", "2570"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let scores = std::fs::read_to_string(p.join("content/2570/scores.yaml")).unwrap();
    assert!(
        scores.contains("assessed_year: 2569\nprevious_year: 2568"),
        "{scores}"
    );
    assert!(
        scores.contains("{ indicator: 10, previous: ~, current: ~ }"),
        "{scores}"
    );
    let out = oit025(&p, &["check", "--year", "2570"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("places still to fill in"),
        "{}",
        stderr(&out)
    );
}

/// Thai typed so that it looks right and is other text: เเ for แ and ํ + า for ำ, each one
/// located warning with the fix (issue 32); the report still builds.
#[test]
fn slips_of_thai_typing_are_warned_where_they_are() {
    let dir = health_office();
    let agency = dir.path().join("content/2570/agency.yaml");
    replace_in(
        &agency,
        "ติดตามผลการดำเนินงานตามมาตรการ และเสนอแนวทาง",
        "ติดตามผลการด\u{0E4D}\u{0E32}เนินงานตามมาตรการ และเสนอ\u{0E40}\u{0E40}นวทาง",
    );
    let found = common::check_json(dir.path());
    let slips: Vec<(u64, u64)> = found
        .iter()
        .filter(|d| d["code"] == "text.thai-typing")
        .map(|d| (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()))
        .collect();
    assert_eq!(slips.len(), 2, "{found:?}");
    assert!(slips.iter().all(|&(line, _)| line == 36), "{found:?}");
    assert!(slips[0].1 < slips[1].1);
    let text = format!("{found:?}");
    assert!(text.contains("แ") && text.contains("ำ"), "{text}");
    assert!(check(dir.path()).0);
}

/// A period outside the fiscal year is one error, not one for its start and one for its end; it
/// quotes the period as typed (`ต.ค. ๖๗ – ก.ย. ๖๘`, not 2024-10-01) and gives the year's bounds
/// in Thai dates (issue 32).
#[test]
fn a_period_outside_the_year_is_one_error_quoted_as_typed() {
    for (period, typed, field) in [
        (
            "ต.ค. ๖๗ – ก.ย. ๖๘",
            "\"ต.ค. ๖๗ – ก.ย. ๖๘\"",
            "measures[2].period",
        ),
        (
            "{ start: 2025-04-01, end: 2025-06-30 }",
            "\"2025-04-01 – 2025-06-30\"",
            "measures[2].period.start",
        ),
    ] {
        let dir = project();
        replace_in(
            &year(dir.path(), "measures.yaml"),
            "period: { start: 2025-12-01, end: 2026-06-30 }",
            &format!("period: {period}"),
        );
        let found = common::check_json(dir.path());
        let outside: Vec<_> = (found.iter())
            .filter(|d| d["code"] == "period.outside-year")
            .collect();
        assert_eq!(outside.len(), 1, "{period}: {found:#?}");
        let en = outside[0]["en"].as_str().unwrap();
        assert_eq!(outside[0]["field"], field, "{found:#?}");
        assert!(en.contains(typed), "{en}");
        assert!(en.contains("(๑ ต.ค. ๒๕๖๘ – ๓๐ ก.ย. ๒๕๖๙)"), "{en}");
        assert!(
            !en.contains("2024-10-01") && !en.contains("2025-10-01"),
            "{en}"
        );
    }
}

/// The examples of the forms of a period are of the project's own year: FY 2570 for the health
/// office, where the FY 2569 examples would themselves be wrong.
#[test]
fn period_forms_give_examples_of_the_projects_year() {
    let dir = health_office();
    replace_in(
        &dir.path().join("content/2570/measures.yaml"),
        "period: ไตรมาส ๑ – ๔",
        "period: เร็ว ๆ นี้",
    );
    let (ok, text) = check(dir.path());
    assert!(!ok);
    for example in [
        "{ start: 2027-04-01, end: 2027-09-30 }",
        "ต.ค. ๖๙ – ก.ย. ๗๐",
        "ตลอดปีงบประมาณ พ.ศ. ๒๕๗๐",
    ] {
        assert!(text.contains(example), "{example} not in {text}");
    }
    assert!(
        !text.contains("๒๕๖๙;") && !text.contains("2026-04-01"),
        "{text}"
    );
}

/// A unit that is not the agency's lists the units once (both languages share the line), with
/// the one meant.
#[test]
fn an_unknown_unit_lists_the_units_once() {
    let dir = project();
    replace_in(
        &year(dir.path(), "agency.yaml"),
        "preparer: ศปท.",
        "preparer: ศปท",
    );
    let (ok, text) = check(dir.path());
    assert!(!ok);
    assert_eq!(text.matches("known:").count(), 1, "{text}");
    assert_eq!(text.matches("กปม.").count(), 1, "{text}");
    assert!(text.contains("did you mean \"ศปท.\"?"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// The fourth agency: a state enterprise's regional office, FY 2570 (issue 32), written by a
// person of its ศปท. from `init` with the tool's messages only (tests/fixtures/state-enterprise).

/// Its figures are those of a hand calculation (Python `Decimal`, weights 30/30/40, each
/// instrument the mean of its indicators, the ITA from the unrounded totals, half up), its own
/// names raise no warning, and it builds and publishes.
#[test]
fn the_state_enterprise_checks_builds_and_publishes() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &manifest_dir().join("tests/fixtures/state-enterprise"),
        dir.path(),
    );
    let (ok, text) = check(dir.path());
    assert!(ok, "{text}");
    assert!(!text.contains("warning"), "{text}");
    let mut sources = SourceMap::default();
    let (report, f) = oit025::pipeline::check(dir.path(), 2570, &mut sources)
        .map(|c| (c.report, c.figures))
        .unwrap_or_else(|d| panic!("{}", sources.render(&d.0)));
    let two = |x: f64| format!("{x:.2}");
    let totals: Vec<(String, String)> = (f.totals.iter())
        .map(|t| (two(t.previous), two(t.current)))
        .collect();
    let hand = [("86.96", "90.76"), ("85.94", "88.95"), ("97.50", "98.75")];
    let hand: Vec<(String, String)> = hand
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(totals, hand);
    assert_eq!(
        (two(f.ita_previous), two(f.ita_current)),
        ("90.87".into(), "93.41".into())
    );
    assert_eq!(f.rating, "ผ่านดี");
    // Indicator 3: nothing below 90, and i8 and i9 tie for the lowest (92.61): both printed.
    let selected: Vec<&str> = (f.indicators[2].selected.iter())
        .map(|&q| report.indicators[2].questions[q].code.as_str())
        .collect();
    assert_eq!(selected, ["i8", "i9"]);

    let out = oit025(dir.path(), &["publish"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = dir.path().join("output/2570/oit025-2570.pdf");
    let text = pdftotext(&pdf);
    for expected in [
        "กปภ.ข.๖มีผลการประเมินITAอยู่ที่ลำดับ๒๑มีผลการประเมิน๙๓.๔๑คะแนนระดับผลการประเมินผ่านดี",
        "จัดทำโดยศูนย์ปฏิบัติการต่อต้านการทุจริตการประปาส่วนภูมิภาคเขต๖",
    ] {
        assert!(text.contains(expected), "{expected} not in the PDF");
    }
}

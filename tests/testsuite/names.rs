//! The agency's own names as people type them (issue 32): an educational service area office
//! (สพป.แดนดี เขต ๒, its units groups with long names) written here, on the bundled year's
//! figures and measures. Each slip is typed into one line of its agency.yaml, and `check` must
//! report it once, at that line and column, with the name meant; the office with its names typed
//! right checks with nothing to say about agency.yaml. A community hospital (รพ.แม่แตง) is typed
//! the same way.

use std::path::Path;

use serde_yaml::Value;

use crate::common::{self, project};

/// Where the slip goes: the line of agency.yaml that holds it.
const MARK: &str = "{SLIP}";

/// The agency.yaml of an agency named `name`, abbreviated `abbreviation`, whose first monitoring
/// item holds `{SLIP}`.
fn agency_yaml(name: &str, abbreviation: &str) -> String {
    format!(
        "agency:
  name: {name}
  abbreviation: {abbreviation}
  head: ผู้อำนวยการ{name}
  group: สำนักงานเขตพื้นที่การศึกษา
  other_abbreviations: [สพฐ., สพป.แดนดี เขต ๑]
  glossary: [ศูนย์ดำรงธรรม]

preparer: ศปท.

units:
  - code: ศปท.
    name: ศูนย์ปฏิบัติการต่อต้านการทุจริต
  - code: กลุ่มอำนวยการ
  - code: กลุ่มนโยบายและแผน
  - code: กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา
  - code: หน่วยตรวจสอบภายใน

rationale:
  paragraphs:
    - {abbreviation} ได้นำผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ มาวิเคราะห์ร่วมกับ สพฐ. และ สพป.แดนดี เขต ๑ เพื่อกำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใส
  items:
    - แสดงการวิเคราะห์ผลการประเมิน ITA ให้ครอบคลุมทุกตัวชี้วัด

monitoring:
  items:
    - ให้ {MARK} รายงานผลต่อ ศปท. ทุกไตรมาส
    - ให้ กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา และ ศูนย์ดำรงธรรม ของ {abbreviation} ติดตามผลการดำเนินงาน
  report_deadline: 2026-10-12
"
    )
}

const AREA: &str = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาแดนดี เขต ๒";
const AREA_ABBR: &str = "สพป.แดนดี เขต ๒";

/// A copy of the bundled year as the agency `name` (`abbreviation`), with `slip` typed where
/// the first monitoring item names who reports; the measures' units are the agency's.
fn agency(name: &str, abbreviation: &str, slip: &str) -> (tempfile::TempDir, usize, usize) {
    let dir = project();
    let year = dir.path().join("content/2569");
    let text = agency_yaml(name, abbreviation);
    let (line, column) = text
        .lines()
        .enumerate()
        .find_map(|(k, l)| l.find(MARK).map(|at| (k + 1, l[..at].chars().count() + 1)))
        .unwrap();
    std::fs::write(year.join("agency.yaml"), text.replace(MARK, slip)).unwrap();
    units_of_the_agency(&year);
    (dir, line, column)
}

/// The bundled measures, each the work of the area office's groups.
fn units_of_the_agency(year: &Path) {
    let path = year.join("measures.yaml");
    let mut v: Value = serde_yaml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    for m in v["measures"].as_sequence_mut().unwrap() {
        m["units"] = Value::from(vec!["กลุ่มอำนวยการ", "กลุ่มนโยบายและแผน"]);
        if let Some(m) = m.as_mapping_mut() {
            m.remove("coordinator");
        }
    }
    v["coordinator"] = Value::from("ศปท.");
    std::fs::write(&path, serde_yaml::to_string(&v).unwrap()).unwrap();
}

/// What `check` says about agency.yaml: (code, line, column, the message and its hints).
fn said(dir: &Path) -> Vec<(String, u64, u64, String)> {
    common::check_json(dir)
        .into_iter()
        .filter(|d| d["file"] == "content/2569/agency.yaml")
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
                d.to_string(),
            )
        })
        .collect()
}

#[test]
fn the_area_office_with_its_names_typed_right_checks_clean() {
    let (dir, _, _) = agency(AREA, AREA_ABBR, AREA_ABBR);
    assert_eq!(said(dir.path()), [], "");
    let out = common::oit025(dir.path(), &["check"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
}

/// A slip typed into the agency: its name, its abbreviation, what is typed, the code it gives,
/// words of its message, and where in what is typed it points (in characters).
type Case<'a> = (&'a str, &'a str, &'a str, &'a str, Vec<String>, usize);

/// Every slip of the issue, typed as the reporting unit of the first monitoring item: the one
/// diagnostic it gives (its code, and the words it must hold), at the slip's line and column.
#[test]
fn every_slip_of_the_agencys_names_is_found_once_where_it_is() {
    let mean = |name: &str| format!("did you mean \\\"{name}\\\"?");
    let write = |fix: &str| format!("write \\\"{fix}\\\"");
    let area = mean(AREA_ABBR);
    // (agency name, abbreviation, what is typed, the code, words of the message, where in what
    // is typed it points, in characters: a slip of typing is pointed at itself).
    #[rustfmt::skip]
    let cases: Vec<Case> = vec![
        // The abbreviation typed another way.
        (AREA, AREA_ABBR, "สพป.แดนดี เขต 2", "name.typed-differently", vec![area.clone(), "Arabic digits".into()], 0),
        (AREA, AREA_ABBR, "สพป.แดนดีเขต ๒", "name.typed-differently", vec![area.clone(), "other spaces".into()], 0),
        (AREA, AREA_ABBR, "สพป. แดนดี เขต ๒", "name.typed-differently", vec![area.clone(), "other spaces".into()], 0),
        // A letter dropped, added, two swapped, one changed.
        (AREA, AREA_ABBR, "สพป.แดนด เขต ๒", "abbreviation.misspelt", vec![area.clone()], 0),
        (AREA, AREA_ABBR, "สพป.แดนดีย เขต ๒", "abbreviation.misspelt", vec![area.clone()], 0),
        (AREA, AREA_ABBR, "สปพ.แดนดี เขต ๒", "abbreviation.misspelt", vec![area.clone()], 0),
        (AREA, AREA_ABBR, "สพบ.แดนดี เขต ๒", "abbreviation.misspelt", vec![area.clone()], 0),
        // Slips of Thai typing inside the name: the typing's own warning, with its fix.
        (AREA, AREA_ABBR, "สพป.เเดนดี เขต ๒", "text.thai-typing", vec![write("แ")], 4),
        (AREA, AREA_ABBR, "สพป.แดนด ี เขต ๒", "text.thai-typing", vec![write("ี")], 8),
        (AREA, AREA_ABBR, "สพป.แดนดีี เขต ๒", "text.thai-typing", vec![write("ี")], 8),
        (AREA, AREA_ABBR, "สพป.แoนดี เขต ๒", "text.thai-typing", vec!["another script".into()], 5),
        // The agency's name, a unit's code and a unit's name, the glossary.
        (AREA, AREA_ABBR, "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาแดนดี เขต 2", "name.typed-differently", vec!["the agency's name".into(), mean(AREA)], 0),
        (AREA, AREA_ABBR, "กลุ่มอำนวกยาร", "name.misspelt", vec!["the unit code".into(), mean("กลุ่มอำนวยการ")], 0),
        (AREA, AREA_ABBR, "ศูนย์ปฏิบัติการต่อต้านการทุจิต", "name.misspelt", vec!["the unit name".into(), mean("ศูนย์ปฏิบัติการต่อต้านการทุจริต")], 0),
        (AREA, AREA_ABBR, "ศูนย์ดำรงธรม", "name.misspelt", vec!["the glossary term".into(), mean("ศูนย์ดำรงธรรม")], 0),
        // A community hospital: เเ for แ, ลำ as ล + ํ + า, a mark twice, marks in the other
        // order, a letter more.
        ("โรงพยาบาลแม่แตง", "รพ.แม่แตง", "รพ.เเม่แตง", "text.thai-typing", vec![write("แ")], 3),
        ("โรงพยาบาลลำปาง", "รพ.ลำปาง", "รพ.ล\u{0E4D}\u{0E32}ปาง", "text.thai-typing", vec![write("ำ")], 4),
        ("โรงพยาบาลแม่แตง", "รพ.แม่แตง", "รพ.แม\u{0E48}\u{0E48}แตง", "text.thai-typing", vec![write("\u{0E48}")], 5),
        ("โรงพยาบาลบ้านที่", "รพ.บ้านที่", "รพ.บ้านท\u{0E48}\u{0E35}", "text.thai-typing", vec!["another order".into()], 8),
        ("โรงพยาบาลแม่แตง", "รพ.แม่แตง", "รพ.แม่แตงง", "abbreviation.misspelt", vec![mean("รพ.แม่แตง")], 0),
        // A look-alike letter of another script: Cyrillic Е in a Latin abbreviation, which the
        // built-in fonts do not print (an error, not also a slip).
        ("Digital Economy Promotion Agency", "DEPA", "D\u{0415}PA", "character.no-glyph", vec!["U+0415".into()], 1),
    ];
    let mut failures = Vec::new();
    for (name, abbreviation, slip, code, words, at) in cases {
        let (dir, line, column) = agency(name, abbreviation, slip);
        let column = column + at;
        let found = said(dir.path());
        let one = found.len() == 1
            && found[0].0 == code
            && (found[0].1, found[0].2) == (line as u64, column as u64)
            && words.iter().all(|w| found[0].3.contains(w.as_str()));
        if !one {
            failures.push(format!(
                "{slip} (want {code} at {line}:{column}, {words:?}): {found:#?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A slip of a unit in a field that names one is an error with the unit meant, once: typed with
/// เเ for แ each time (four letters from the unit as typed, one slip as meant), or with a space
/// more.
#[test]
fn a_unit_typed_another_way_is_meant_as_the_unit() {
    for (typed, meant) in [
        ("กลุ่มนโยบายเเละเเผน", "กลุ่มนโยบายและแผน"),
        ("กลุ่มนโยบาย และแผน", "กลุ่มนโยบายและแผน"),
    ] {
        let (dir, _, _) = agency(AREA, AREA_ABBR, AREA_ABBR);
        let path = dir.path().join("content/2569/measures.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            text.replacen("- กลุ่มนโยบายและแผน", &format!("- {typed}"), 1),
        )
        .unwrap();
        let found = common::check_json(dir.path());
        let units: Vec<_> = found
            .iter()
            .filter(|d| d["code"] == "unit.unknown")
            .collect();
        assert_eq!(units.len(), 1, "{typed}: {found:#?}");
        // One slip, one report: not also a warning for how it was typed.
        assert_eq!(found.len(), 1, "{typed}: {found:#?}");
        assert!(
            units[0]
                .to_string()
                .contains(&format!("did you mean \\\"{meant}\\\"?")),
            "{typed}: {found:#?}"
        );
    }
}

/// Two slips in one value are two reports: the name typed with an Arabic digit, and ํ + า typed
/// for ำ elsewhere in the same text (the name's report hid the other).
#[test]
fn two_slips_in_one_value_are_both_reported() {
    let (dir, line, _) = agency(AREA, AREA_ABBR, "ผู้อํานวยการ สพป.แดนดี เขต 2");
    let codes: Vec<(String, u64)> = said(dir.path())
        .into_iter()
        .map(|(code, l, _, _)| (code, l))
        .collect();
    let line = line as u64;
    assert!(
        codes.contains(&("text.thai-typing".into(), line)),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("name.typed-differently".into(), line)),
        "{codes:?}"
    );
}

/// A build runs the checks of the values' characters and names beside typst's layout
/// (`pipeline::Session::produce`), not before it: what they find still fails the build as any
/// check does, with nothing written and the earlier PDF kept, and their warnings are printed with
/// the PDF written.
#[test]
fn a_build_fails_on_what_the_text_checks_find_and_keeps_the_pdf_before() {
    let dir = project();
    let pdf = dir.path().join("output/2569/oit025-2569.pdf");
    let built = common::oit025(dir.path(), &["build"]);
    assert!(built.status.success(), "{}", common::stderr(&built));
    let before = std::fs::read(&pdf).unwrap();
    let measures = dir.path().join("content/2569/measures.yaml");
    let step = "มีการทบทวนและเผยแพร่";
    // A Cyrillic Е no built-in font prints (an error) and เเ typed for แ (a warning).
    common::replace_in(&measures, step, &format!("{step} D\u{0415}PA เเนะนำ"));
    let failed = common::oit025(dir.path(), &["build"]);
    let said = common::stderr(&failed);
    assert!(!failed.status.success(), "{said}");
    assert!(said.contains("U+0415") && said.contains("\"เเ\""), "{said}");
    assert!(said.contains("nothing written"), "{said}");
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        before,
        "the PDF before was changed"
    );
    // The warning alone: the PDF is written, the warning printed.
    common::replace_in(&measures, "D\u{0415}PA ", "");
    let warned = common::oit025(dir.path(), &["build"]);
    let said = common::stderr(&warned);
    assert!(warned.status.success(), "{said}");
    assert!(
        said.contains("\"เเ\"") && said.contains("measures.yaml"),
        "{said}"
    );
    assert_ne!(
        std::fs::read(&pdf).unwrap(),
        before,
        "the PDF was not written again"
    );
}

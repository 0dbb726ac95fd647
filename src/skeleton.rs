//! What a new project's and a new year's files hold: the skeleton `init` writes for an agency
//! (the framework as bundled, `(กรอก)` wherever the agency's own data goes), the bundled report as
//! an example, and what `new` carries from one year into the next. Text only: the commands
//! (`crate::cmd::init`, `crate::cmd::new`) write it.

use std::path::Path;

use crate::content::{self, FILL_IN};
use crate::diag::{Diagnostic, Diagnostics, SourceMap};
use crate::msg;

/// The example year, carried in the binary so `init` works anywhere.
pub const EXAMPLE_YEAR: i32 = 2569;
pub const EXAMPLE: [(&str, &str); 6] = [
    ("agency.yaml", include_str!("../content/2569/agency.yaml")),
    (
        "assessment.yaml",
        include_str!("../content/2569/assessment.yaml"),
    ),
    ("scores.yaml", include_str!("../content/2569/scores.yaml")),
    (
        "recommendations.yaml",
        include_str!("../content/2569/recommendations.yaml"),
    ),
    (
        "analysis.yaml",
        include_str!("../content/2569/analysis.yaml"),
    ),
    (
        "measures.yaml",
        include_str!("../content/2569/measures.yaml"),
    ),
];
pub const EXAMPLE_AGENCY: &str = "สำนักเลขาธิการนายกรัฐมนตรี";

pub const TEMPLATES_README: &str = "# templates/\n\n\
A file here replaces the built-in template of the same name (`report.typ`, `style.typ`).\n\
Copy one from the oit025 repository to restyle the report; leave this folder empty to use the defaults.\n\
ไฟล์ในโฟลเดอร์นี้ใช้แทนเทมเพลตในตัวโปรแกรมที่ชื่อเดียวกัน ปล่อยว่างไว้เพื่อใช้ค่าเริ่มต้น\n";

/// A line of the example with the example agency's name replaced in its one scalar, written
/// back as valid YAML; a line that is not a single scalar is left as it is.
pub fn replace_in_line(line: &str, from: &str, to: &str) -> String {
    let indent = line.len() - line.trim_start().len();
    let mut prefix = line[..indent].to_string();
    let mut rest = &line[indent..];
    if let Some(r) = rest.strip_prefix("- ") {
        prefix.push_str("- ");
        rest = r;
    }
    if let Some((key, r)) = rest.split_once(": ")
        && !key.is_empty()
        && key.chars().all(|c| c.is_ascii_lowercase() || c == '_')
    {
        prefix.push_str(key);
        prefix.push_str(": ");
        rest = r;
    }
    match serde_yaml::from_str::<String>(rest) {
        Ok(value) if value.contains(from) => {
            format!(
                "{prefix}{}",
                crate::content::yaml_string(&value.replace(from, to))
            )
        }
        _ => line.to_string(),
    }
}

/// The fiscal year (Buddhist Era) a date falls in: it starts on 1 October, so 6 December 2026
/// is in FY 2570.
pub fn fiscal_year_of(date: chrono::NaiveDate) -> i32 {
    use chrono::Datelike;
    date.year() + 543 + i32::from(date.month() >= 10)
}

/// Today's date in Thailand (UTC+7), where the fiscal year is counted.
pub fn today_in_thailand() -> chrono::NaiveDate {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    chrono::DateTime::from_timestamp(secs + 7 * 3600, 0)
        .map(|t| t.date_naive())
        .unwrap_or_default()
}

/// The bundled report, its origin stated at the top of each file.
pub fn example_files(agency: Option<&str>) -> Vec<(&'static str, String)> {
    let header = format!(
        "# ตัวอย่าง: รายงานปีงบประมาณ {EXAMPLE_YEAR} ของ {EXAMPLE_AGENCY} (ข้อมูลจริงของหน่วยงานนั้น ไม่ใช่ของหน่วยงานท่าน)\n\
         # ใช้ดูรูปแบบการเขียน หรือเริ่มโปรเจกต์ของหน่วยงานท่านด้วย oit025 init --agency .. --abbreviation ..\n\
         # Example: the FY {EXAMPLE_YEAR} report of {EXAMPLE_AGENCY} (that agency's real data, not yours).\n\
         # Read it for the shape of each file; start your own project with oit025 init --agency .. --abbreviation ..\n\n"
    );
    EXAMPLE
        .iter()
        .map(|(name, text)| {
            // The example's own first line names its schema; it stays the first line.
            let body = text.split_once('\n').map_or(*text, |(_, rest)| rest);
            let body = match agency {
                Some(a) => {
                    body.lines()
                        .map(|l| replace_in_line(l, EXAMPLE_AGENCY, a))
                        .collect::<Vec<_>>()
                        .join("\n")
                        + "\n"
                }
                None => body.to_string(),
            };
            (*name, format!("{header}{body}"))
        })
        .collect()
}

/// A year to fill in: the identity given, the NACC framework, and [`FILL_IN`] marks elsewhere.
pub fn skeleton(
    agency: &str,
    abbreviation: &str,
    year: i32,
) -> Result<Vec<(&'static str, String)>, Diagnostics> {
    let f = FILL_IN;
    let ce = year - 543;
    let thai_year = crate::template::to_digits(&year.to_string(), crate::template::Digits::Thai);
    let framework_text = EXAMPLE[1].1;
    let framework: crate::content::AssessmentFile =
        serde_yaml::from_str(framework_text).map_err(|e| {
            let e = e.to_string();
            Diagnostics::from(Diagnostic::error(
                crate::diag::Code::InternalFramework,
                msg!(
                    "กรอบการประเมินในตัวโปรแกรมอ่านไม่ได้ ({e})",
                    "the built-in framework does not load ({e})"
                ),
            ))
        })?;
    let header = "# ช่องที่ยังต้องกรอกเขียนว่า กรอก ในวงเล็บ: แทนที่ทุกช่องด้วยข้อมูลของหน่วยงาน แล้วรัน `oit025 check`\n\
                  # จนไม่มีข้อผิดพลาด (check แสดงช่องที่เหลือและจำนวน) ดูตัวอย่างที่กรอกแล้วด้วย `oit025 init --example`\n\
                  # Every place marked with the word กรอก in brackets is yours to fill in; `oit025 check` lists\n\
                  # those left, with a count. `oit025 init --example` shows a filled-in report.\n\n";
    let (name, abbr) = (
        crate::content::yaml_string(agency),
        crate::content::yaml_string(abbreviation),
    );
    let agency_yaml = format!(
        "{header}agency:\n  name: {name}\n  abbreviation: {abbr}\n  \
         # ตำแหน่งหัวหน้าหน่วยงาน / title of the head of the agency\n  head: {f}\n  \
         # กลุ่มหน่วยงานที่ใช้จัดลำดับ / the group the agency is ranked in\n  group: {f}\n  \
         other_abbreviations: []\n  glossary: []\n\n\
         # หน่วยงานที่จัดทำเอกสาร (รหัสหนึ่งใน units) / the unit that prepares this document (one of units)\n\
         preparer: {f}\n\n\
         # หน่วยงานภายในที่เป็นผู้รับผิดชอบมาตรการได้ / internal units that may be responsible for a measure\n\
         units:\n  - code: {f}\n    name: {f}\n\n\
         # ๑. หลักการและเหตุผล / section 1\nrationale:\n  paragraphs:\n    - {f}\n  items: []\n\n\
         # ๗. แนวทางการกำกับติดตามและประเมินผล / section 7\nmonitoring:\n  items:\n    - {f}\n  \
         # กำหนดส่งรายงาน (ปี ค.ศ. เช่น {ce}-10-15) / reporting deadline (CE year)\n  report_deadline: {f}\n"
    );
    let mut scores = format!(
        "{header}assessed_year: {}\nprevious_year: {}\n\n\
         participants: {f}\ngroup_participants: {f}\nrank: {f}\n\n\
         # คะแนนรายตัวชี้วัด: previous = ปี {}, current = ปี {} / indicator scores\nindicators:\n",
        year - 1,
        year - 2,
        year - 2,
        year - 1
    );
    for ind in &framework.indicators {
        scores.push_str(&format!(
            "  - {{ indicator: {}, previous: {f}, current: {f} }}\n",
            ind.number
        ));
    }
    scores.push_str(&format!(
        "\n# คะแนน EIT ส่วนที่ ๑ และ ๒ ที่ประกาศ / EIT parts 1 and 2 as published\neit_parts: {{ part1: {f}, part2: {f} }}\n\n\
         # คะแนนรายข้อคำถาม (ข้อที่ไม่ได้รับแจ้งลบออกได้) / question scores (remove those not reported)\nquestions:\n"
    ));
    for ind in &framework.indicators {
        for q in &ind.questions {
            let code = &q.code;
            if ind.instrument == crate::content::Instrument::Eit {
                scores.push_str(&format!(
                    "  - {{ code: {code}, public: {f}, survey: {f} }}\n"
                ));
            } else {
                scores.push_str(&format!("  - {{ code: {code}, score: {f} }}\n"));
            }
        }
    }
    let mut recommendations = format!("{header}recommendations:\n");
    for inst in crate::content::Instrument::ALL {
        if framework.indicators.iter().any(|i| i.instrument == inst) {
            recommendations.push_str(&format!(
                "  - instrument: {}\n    indicators: [{f}]\n    paragraphs:\n      - {f}\n",
                inst.code()
            ));
        }
    }
    let mut analysis = format!("{header}analysis:\n");
    for ind in &framework.indicators {
        analysis.push_str(&format!(
            "  - indicator: {}\n    findings:\n      - {f}\n    measures: [{f}]\n",
            ind.number
        ));
    }
    let measures = format!(
        "{header}coordinator: {f}\n\n\
         # มาตรการที่ใช้กับหลายตัวชี้วัด: everywhere (พิมพ์เต็มทุกที่) หรือ once (พิมพ์เต็มครั้งเดียว)\n\
         # a measure shared by several indicators: printed in full everywhere, or once\nshared: everywhere\n\n\
         measures:\n  - id: {f}\n    title: {f}\n    steps:\n      - {f}\n    \
         # ช่วงเวลา เช่น ไตรมาส ๑ – ๒ / ตลอดปีงบประมาณ พ.ศ. {thai_year} / {{ start: {ce}-04-01, end: {ce}-09-30 }}\n    \
         period: {f}\n    units: [{f}]\n"
    );
    let framework_body = framework_text
        .split_once('\n')
        .map_or(framework_text, |(_, rest)| rest);
    let framework_body = framework_for(framework_body, &framework, year);
    Ok(vec![
        ("agency.yaml", agency_yaml),
        ("assessment.yaml", framework_body),
        ("scores.yaml", scores),
        ("recommendations.yaml", recommendations),
        ("analysis.yaml", analysis),
        ("measures.yaml", measures),
    ])
}

/// The bundled framework made the one of fiscal year `year`: weights for the two years it
/// assesses and compares (those the framework has, else the latest it has, said so in a comment),
/// and, under each question without its text, a comment saying to copy it when it is printed.
pub fn framework_for(body: &str, framework: &crate::content::AssessmentFile, year: i32) -> String {
    let latest = framework.weights.iter().max_by_key(|w| w.year);
    let mut weights = String::from("weights:\n");
    for y in [year - 2, year - 1] {
        let Some(w) = framework.weights.iter().find(|w| w.year == y).or(latest) else {
            continue;
        };
        if w.year != y {
            let from = w.year;
            weights.push_str(&format!(
                "  # ยกมาจากปี {from}: ตรวจกับคู่มือการประเมิน ITA ปี {y} ของสำนักงาน ป.ป.ช. / carried from {from}: check against the NACC's ITA manual of {y}\n"
            ));
        }
        weights.push_str(&format!(
            "  - year: {y}\n    iit: {}\n    eit: {}\n    oit: {}\n",
            w.iit, w.eit, w.oit
        ));
    }
    // The bundled weights block runs from `weights:` to the next blank line.
    let body = match body.find("weights:\n") {
        Some(start) => {
            let end = body[start..]
                .find("\n\n")
                .map_or(body.len(), |e| start + e + 1);
            format!("{}{weights}{}", &body[..start], &body[end..])
        }
        None => body.to_string(),
    };
    let lines: Vec<&str> = body.lines().collect();
    let mut out = String::with_capacity(body.len() + 4096);
    for (k, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        let question = line.trim_start().strip_prefix("- code: ").is_some();
        let has_text = lines
            .get(k + 1)
            .is_some_and(|next| next.trim_start().starts_with("text:"));
        if question && !has_text {
            let indent = " ".repeat(line.len() - line.trim_start().len() + 2);
            out.push_str(&format!(
                "{indent}# text: ข้อความข้อคำถามจากคู่มือ ITA (กรอกเมื่อข้อนี้ต้องพิมพ์ในส่วนที่ ๕) / the question as the ITA manual words it, needed when section 5 prints it\n"
            ));
        }
    }
    out
}

/// What the next year takes from the year before: its assessed year, each indicator's score of
/// it, the coordinator. Read from the checked year where it loads; else (a year with places
/// still to fill in, `(กรอก)` or `~`) from its YAML as it stands, a value not filled in carried
/// as not filled in: the new year does not wait for the old one to be finished.
pub struct Carried {
    pub assessed_year: i32,
    pub indicators: Vec<(u8, Option<f64>)>,
    pub coordinator: String,
}

impl Carried {
    pub fn of(root: &Path, prev: i32, read: &dyn Fn(&str) -> String) -> Carried {
        let mut sources = SourceMap::default();
        if let Ok(raw) = content::load_year(
            root,
            prev,
            &mut sources,
            &Default::default(),
            &Default::default(),
        ) {
            return Carried {
                assessed_year: raw.scores.data.assessed_year,
                indicators: (raw.scores.data.indicators.iter())
                    .map(|i| (i.indicator, i.current.as_ref().map(|s| s.get())))
                    .collect(),
                coordinator: raw.measures.data.coordinator,
            };
        }
        let yaml = |name: &str| -> serde_yaml::Value {
            serde_yaml::from_str(&read(name)).unwrap_or(serde_yaml::Value::Null)
        };
        let (scores, measures) = (yaml("scores.yaml"), yaml("measures.yaml"));
        let assessed_year = scores["assessed_year"]
            .as_i64()
            .and_then(|y| i32::try_from(y).ok())
            .unwrap_or(prev - 1);
        let mut indicators: Vec<(u8, Option<f64>)> = scores["indicators"]
            .as_sequence()
            .map(|s| {
                s.iter()
                    .filter_map(|i| {
                        let n = u8::try_from(i["indicator"].as_u64()?).ok()?;
                        Some((
                            n,
                            i["current"].as_f64().filter(|x| (0.0..=100.0).contains(x)),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        if indicators.is_empty() {
            // Not even the scores' list reads: the framework's indicators, none filled in.
            let assessment = yaml("assessment.yaml");
            indicators = (assessment["indicators"].as_sequence().into_iter().flatten())
                .filter_map(|i| Some((u8::try_from(i["number"].as_u64()?).ok()?, None)))
                .collect();
        }
        Carried {
            assessed_year,
            indicators,
            coordinator: measures["coordinator"]
                .as_str()
                .unwrap_or(crate::content::FILL_IN)
                .to_string(),
        }
    }
}

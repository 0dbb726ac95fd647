//! A new agency's project from scratch: the layout and a year to fill in, which `check` refuses
//! until it is the agency's own; or, on request, the bundled FY 2569 report as an example.

use std::path::Path;

use crate::content::FILL_IN;
use crate::diag::{Diagnostic, Diagnostics};
use crate::msg;

/// The example year, carried in the binary so `init` works anywhere.
const EXAMPLE_YEAR: i32 = 2569;
const EXAMPLE: [(&str, &str); 6] = [
    (
        "agency.yaml",
        include_str!("../../content/2569/agency.yaml"),
    ),
    (
        "assessment.yaml",
        include_str!("../../content/2569/assessment.yaml"),
    ),
    (
        "scores.yaml",
        include_str!("../../content/2569/scores.yaml"),
    ),
    (
        "recommendations.yaml",
        include_str!("../../content/2569/recommendations.yaml"),
    ),
    (
        "analysis.yaml",
        include_str!("../../content/2569/analysis.yaml"),
    ),
    (
        "measures.yaml",
        include_str!("../../content/2569/measures.yaml"),
    ),
];
const EXAMPLE_AGENCY: &str = "สำนักเลขาธิการนายกรัฐมนตรี";

const TEMPLATES_README: &str = "# templates/\n\n\
A file here replaces the built-in template of the same name (`report.typ`, `style.typ`).\n\
Copy one from the oit025 repository to restyle the report; leave this folder empty to use the defaults.\n\
ไฟล์ในโฟลเดอร์นี้ใช้แทนเทมเพลตในตัวโปรแกรมที่ชื่อเดียวกัน ปล่อยว่างไว้เพื่อใช้ค่าเริ่มต้น\n";

/// A line of the example with the example agency's name replaced in its one scalar, written
/// back as valid YAML; a line that is not a single scalar is left as it is.
fn replace_in_line(line: &str, from: &str, to: &str) -> String {
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

/// Creates `dir` with `content/<year>/`, `templates/` and `output/`. Refuses a non-empty folder.
///
/// Without `example`, the year is a skeleton: the agency's name and abbreviation filled in, the
/// NACC's framework (the same for every agency) as bundled, and everything else the agency's own
/// marked [`FILL_IN`] for `check` to list. With `example`, it is the bundled FY 2569 report of
/// another agency, saying so in each file, with `agency` (if given) as the name.
pub fn init(
    dir: &Path,
    agency: Option<&str>,
    abbreviation: Option<&str>,
    example: bool,
) -> Result<Vec<String>, Diagnostics> {
    let shown = dir.display().to_string();
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(Diagnostic::error(
            crate::diag::Code::InitNotEmpty,
            msg!("โฟลเดอร์นี้มีไฟล์อยู่แล้ว", "the folder is not empty"),
        )
        .in_file(shown)
        .into());
    }
    let files: Vec<(&str, String)> =
        if example {
            example_files(agency)
        } else {
            let (Some(agency), Some(abbreviation)) = (agency, abbreviation) else {
                return Err(Diagnostic::error(crate::diag::Code::InitArguments, msg!(
                "ต้องระบุ --agency และ --abbreviation (หรือ --example เพื่อดูรายงานตัวอย่าง)",
                "--agency and --abbreviation are needed (or --example for the example report)"
            ))
            .into());
            };
            skeleton(agency, abbreviation)?
        };
    // The project appears whole or not at all (written beside it, then renamed into place): a
    // failed run leaves nothing that stops the next.
    let year = Path::new("content").join(EXAMPLE_YEAR.to_string());
    let mut tree: Vec<(std::path::PathBuf, Vec<u8>)> = Vec::new();
    for (name, text) in files {
        let text = crate::content::schema::with_modeline(name, &text);
        tree.push((year.join(name), text.into_bytes()));
    }
    for (name, text) in crate::content::schema::files() {
        tree.push((Path::new(crate::content::schema::DIR).join(name), text));
    }
    let readme = Path::new("templates").join("README.md");
    tree.push((readme, TEMPLATES_README.as_bytes().to_vec()));
    tree.push((Path::new("output").join(".gitkeep"), Vec::new()));
    crate::files::write_folder(dir, &tree)?;
    Ok(tree
        .iter()
        .map(|(rel, _)| dir.join(rel).display().to_string())
        .collect())
}

/// The bundled report, its origin stated at the top of each file.
fn example_files(agency: Option<&str>) -> Vec<(&'static str, String)> {
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
fn skeleton(agency: &str, abbreviation: &str) -> Result<Vec<(&'static str, String)>, Diagnostics> {
    let f = FILL_IN;
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
         # กำหนดส่งรายงาน (ปี ค.ศ. เช่น 2026-10-15) / reporting deadline (CE year)\n  report_deadline: {f}\n"
    );
    let mut scores = format!(
        "{header}assessed_year: {}\nprevious_year: {}\n\n\
         participants: {f}\ngroup_participants: {f}\nrank: {f}\n\n\
         # คะแนนรายตัวชี้วัด: previous = ปี {}, current = ปี {} / indicator scores\nindicators:\n",
        EXAMPLE_YEAR - 1,
        EXAMPLE_YEAR - 2,
        EXAMPLE_YEAR - 2,
        EXAMPLE_YEAR - 1
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
         # ช่วงเวลา เช่น ไตรมาส ๑ – ๒ / ต.ค. ๖๘ – ก.ย. ๖๙ / ตลอดปีงบประมาณ พ.ศ. ๒๕๖๙ / {{ start: 2026-04-01, end: 2026-09-30 }}\n    \
         period: {f}\n    units: [{f}]\n"
    );
    let framework_body = framework_text
        .split_once('\n')
        .map_or(framework_text, |(_, rest)| rest);
    Ok(vec![
        ("agency.yaml", agency_yaml),
        ("assessment.yaml", framework_body.to_string()),
        ("scores.yaml", scores),
        ("recommendations.yaml", recommendations),
        ("analysis.yaml", analysis),
        ("measures.yaml", measures),
    ])
}

/// `init` as the command line runs it: makes the project, then says what was written and what
/// to do next.
pub fn run(
    dir: &Path,
    agency: Option<&str>,
    abbreviation: Option<&str>,
    example: bool,
) -> Result<Diagnostics, Diagnostics> {
    for f in init(dir, agency, abbreviation, example)? {
        eprintln!("สร้าง / wrote {f}");
    }
    let d = dir.display();
    if example {
        eprintln!("ต่อไป / next: oit025 build -C {d}   (หรือ / or: cd {d} && oit025 build)");
    } else {
        eprintln!(
            "ต่อไป: กรอกข้อมูลในช่องที่เขียนว่า (กรอก) แล้วรัน oit025 check -C {d} / next: fill in every (กรอก), then run oit025 check -C {d}"
        );
    }
    Ok(Diagnostics::default())
}

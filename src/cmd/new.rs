//! Starting the next fiscal year from the previous one: the agency, its units, prose and framework
//! are carried over, the years shift (last year's assessed scores become the compared ones), and the
//! places for new scores, analysis and measures are left empty for `check` to list.

use std::path::Path;

use crate::content::{self, FILES};
use crate::diag::{Diagnostic, Diagnostics};
use crate::msg;
use crate::skeleton::Carried;

/// Writes `content/<year>/` from `content/<year - 1>/`. Refuses to touch an existing folder.
pub fn new_year(root: &Path, year: i32) -> Result<Vec<String>, Diagnostics> {
    content::check_year(year).map_err(|d| Diagnostics::from(*d))?;
    let (from, to) = (
        root.join("content").join((year - 1).to_string()),
        root.join("content").join(year.to_string()),
    );
    let prev = year - 1;
    if to.exists() {
        return Err(Diagnostic::error(
            crate::diag::Code::NewYearExists,
            msg!(
                "มีโฟลเดอร์ของปี {year} อยู่แล้ว",
                "a folder for {year} already exists"
            ),
        )
        .in_file(content::rel(root, &to))
        .into());
    }
    if !from.is_dir() {
        return Err(Diagnostic::error(
            crate::diag::Code::ContentYearMissing,
            msg!(
                "ไม่มีโฟลเดอร์ของปี {prev} ที่จะเริ่มปี {year} ต่อจาก",
                "there is no folder for {prev} to start {year} from"
            ),
        )
        .in_file(content::rel(root, &from))
        .into());
    }
    let read = |name: &str| std::fs::read_to_string(from.join(name)).unwrap_or_default();
    let carried = Carried::of(root, prev, &read);
    let shift = |text: String| {
        text.replace(
            &format!("{:04}-", prev - 543),
            &format!("{:04}-", year - 543),
        )
    };

    let mut files: Vec<(&str, String)> = Vec::new();
    // The agency and its prose carry over; the deadline (and date, if any) move one year on.
    let agency = read("agency.yaml");
    let agency = agency
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("report_deadline:") || l.trim_start().starts_with("date:")
            {
                shift(l.to_string())
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    files.push(("agency.yaml", agency));
    files.push(("assessment.yaml", read("assessment.yaml")));

    let mut s = String::new();
    s.push_str("# ผลคะแนนที่หน่วยงานได้รับ / the scores the agency received.\n");
    s.push_str("# ช่องที่เป็น ~ ยังไม่ได้กรอก: `oit025 check` จะแสดงรายการที่ต้องกรอก / `~` marks what is still to fill in.\n\n");
    s.push_str(&format!(
        "assessed_year: {}\nprevious_year: {}\n\n",
        carried.assessed_year + 1,
        carried.assessed_year
    ));
    s.push_str(
        "# จำนวนหน่วยงานที่เข้าร่วมประเมิน และลำดับของหน่วยงาน / participants and the agency's rank\n",
    );
    s.push_str("participants: ~\ngroup_participants: ~\nrank: ~\n\n");
    s.push_str(&format!(
        "# คะแนนรายตัวชี้วัด: previous = ปี {} (ยกมาจากปีก่อน), current = ปี {} / indicator scores\nindicators:\n",
        carried.assessed_year,
        carried.assessed_year + 1
    ));
    for (indicator, current) in &carried.indicators {
        let previous = current.map_or("~".to_string(), |s| format!("{s:.2}"));
        s.push_str(&format!(
            "  - {{ indicator: {indicator}, previous: {previous}, current: ~ }}\n"
        ));
    }
    s.push_str("\n# คะแนน EIT ส่วนที่ ๑ และ ๒ ที่ประกาศ (ระดับผ่านดีเยี่ยมและผ่านดีใช้ตัดสิน) / EIT parts 1 and 2 as published\neit_parts: ~\n");
    s.push_str("\n# คะแนนรายข้อคำถามของปีที่ประเมิน / question scores: { code: i1, score: .. } or { code: e1, public: .., survey: .. }\nquestions: []\n");
    files.push(("scores.yaml", s));
    files.push((
        "recommendations.yaml",
        "# ข้อเสนอแนะของผู้ประเมิน / the assessors' recommendations (see the previous year for the shape)\nrecommendations: []\n".into(),
    ));
    files.push((
        "analysis.yaml",
        "# ส่วนที่ ๕ หนึ่งรายการต่อตัวชี้วัด ๑-๑๐ / section 5, one entry per indicator 1-10\nanalysis: []\n"
            .into(),
    ));
    files.push((
        "measures.yaml",
        format!(
            "# มาตรการของปีงบประมาณ {year} / the measures of fiscal year {year}\ncoordinator: {}\nmeasures: []\n",
            crate::content::yaml_string(&carried.coordinator)
        ),
    ));
    debug_assert_eq!(files.len(), FILES.len());
    // The schemas the files name, as this binary reads the files (a project made by an older
    // version gets them now); first, since writing them again is harmless.
    let schemas = crate::content::schema::write(&root.join(crate::content::schema::DIR))?;
    // The year's folder appears whole or not at all: a failed run leaves none to stop the next.
    let mut written = Vec::new();
    let mut year_files: Vec<(std::path::PathBuf, Vec<u8>)> = Vec::new();
    for (name, text) in files {
        let text = crate::content::schema::with_modeline(name, &text);
        year_files.push((name.into(), text.into_bytes()));
        written.push(format!("content/{year}/{name}"));
    }
    crate::files::write_folder(&to, &year_files)?;
    written.extend(schemas);
    Ok(written)
}

/// `new` as the command line runs it: starts the year, then says what was written and what to
/// do next.
pub fn run(root: &Path, year: i32) -> Result<Diagnostics, Diagnostics> {
    for f in new_year(root, year)? {
        eprintln!("สร้าง / wrote {f}");
    }
    eprintln!(
        "ต่อไป: oit025 check --year {year} แสดงสิ่งที่ต้องกรอก / next: `oit025 check --year {year}` lists what is left to fill in"
    );
    Ok(Diagnostics::default())
}

//! Stage 8, publish: the website bundle of a project as files in memory: for each year its PDF,
//! an HTML page made from the same data, open data (CSV for Excel, JSON, and a Frictionless
//! `datapackage.json` that catalogues such as CKAN read); Sarabun for the pages and an index of
//! all years, newest first. No external assets. `publish` writes it as one folder, swapped in
//! whole ([`crate::files::replace_dir`]).

use std::path::PathBuf;

use serde::Serialize;
use serde_json::json;

use crate::derive::{Extreme, Figures, Trend, round2};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::fonts::ProjectFont;
use crate::model::Report;
use crate::template::{self, Digits};
use crate::{fonts, msg, seal};

/// A file of the site: its path inside the site's folder and its bytes.
pub type SiteFile = (PathBuf, Vec<u8>);

/// A year as the index lists it.
#[derive(Serialize)]
pub struct IndexYear {
    year: i32,
    pdf: String,
    kilobytes: usize,
    date: String,
    sha256: String,
}

/// The files of one year's part of the site (`<year>/...`), made from the PDF as it was
/// produced and the report and figures it was produced from; and the year's line in the index.
pub fn year_files(
    env: &minijinja::Environment<'_>,
    report: &Report,
    figures: &Figures,
    pdf: &[u8],
    digits: Digits,
    fonts: &[ProjectFont],
) -> Result<(Vec<SiteFile>, IndexYear), Diagnostics> {
    let year = report.fiscal_year;
    let dir = PathBuf::from(year.to_string());
    let pdf_name = format!("oit025-{year}.pdf");
    let page = template::render_page(
        env,
        "report.html",
        report,
        figures,
        digits,
        font_names(fonts),
    )?;
    let data = serde_json::to_vec_pretty(&data_json(report, figures)).unwrap_or_default();
    let package = serde_json::to_vec_pretty(&datapackage(report)).unwrap_or_default();
    let files = vec![
        (dir.join(&pdf_name), pdf.to_vec()),
        (dir.join("index.html"), page.into_bytes()),
        (dir.join("scores.csv"), scores_csv(report, figures)?),
        (dir.join("measures.csv"), measures_csv(report)?),
        (dir.join("data.json"), data),
        (dir.join("datapackage.json"), package),
    ];
    let line = IndexYear {
        year,
        pdf: pdf_name,
        kilobytes: pdf.len().div_ceil(1024),
        date: report.date.to_string(),
        sha256: seal::sha256_hex(pdf),
    };
    Ok((files, line))
}

/// The site's own files: the index of `years` (newest first) and the fonts of the pages.
pub fn index_files(
    env: &minijinja::Environment<'_>,
    agency: &str,
    mut years: Vec<IndexYear>,
    fonts: &[ProjectFont],
) -> Result<Vec<SiteFile>, Diagnostics> {
    years.sort_by_key(|y| std::cmp::Reverse(y.year));
    let page = env
        .get_template("index.html")
        .and_then(|t| {
            let site_fonts = font_names(fonts);
            t.render(
                minijinja::context! { agency => agency, years => years, site_fonts => site_fonts },
            )
        })
        .map_err(|e| Diagnostics::from(template::template_error(&e)))?;
    let project_fonts = font_names(fonts)
        .into_iter()
        .zip(fonts)
        .map(|(name, f)| (PathBuf::from("fonts").join(name), f.bytes.to_vec()));
    Ok(std::iter::once(("index.html".into(), page.into_bytes()))
        .chain(project_fonts)
        .chain([
            (
                "fonts/Sarabun-Regular.ttf".into(),
                fonts::FONT_FILES[0].to_vec(),
            ),
            (
                "fonts/Sarabun-Bold.ttf".into(),
                fonts::FONT_FILES[1].to_vec(),
            ),
            (
                "fonts/OFL.txt".into(),
                include_bytes!("../fonts/OFL.txt").to_vec(),
            ),
        ])
        .collect())
}

/// The names the project's own fonts go by in the site: made here, so that no file name a user
/// chose reaches the pages' CSS.
fn font_names(fonts: &[ProjectFont]) -> Vec<String> {
    (1..=fonts.len())
        .map(|k| format!("project-{k}.ttf"))
        .collect()
}

fn trend(t: Trend) -> &'static str {
    match t {
        Trend::Up => "เพิ่ม",
        Trend::Down => "ลด",
        Trend::Same => "เท่าเดิม",
    }
}

fn extreme(e: Option<Extreme>) -> &'static str {
    match e {
        Some(Extreme::Highest) => "สูงสุด",
        Some(Extreme::Lowest) => "ต่ำสุด",
        None => "",
    }
}

/// A cell as a spreadsheet may show it without running it: one that starts with `=`, `+`, `-`,
/// `@`, a tab or a carriage return would be taken for a formula (`=HYPERLINK(...)` sends data
/// away, `=cmd|...` runs a program), so it gets a leading `'`, as OWASP recommends. The JSON
/// keeps the text exactly.
fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// CSV with a byte-order mark, so Excel opens the Thai text as UTF-8.
fn csv_bytes(header: &[&str], rows: Vec<Vec<String>>) -> Result<Vec<u8>, Diagnostics> {
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let err = |e: csv::Error| {
        let e = e.to_string();
        Diagnostics::from(Diagnostic::error(
            Code::FileUnwritable,
            msg!("เขียน CSV ไม่ได้ ({e})", "cannot write CSV ({e})"),
        ))
    };
    w.write_record(header).map_err(err)?;
    for row in rows {
        w.write_record(row.iter().map(|cell| neutralise(cell)))
            .map_err(err)?;
    }
    w.into_inner().map_err(|e| err(e.into_error().into()))
}

const SCORE_FIELDS: [&str; 8] = [
    "assessed_year",
    "instrument",
    "indicator",
    "name",
    "previous_score",
    "current_score",
    "trend",
    "extreme",
];
const MEASURE_FIELDS: [&str; 12] = [
    "fiscal_year",
    "number",
    "id",
    "title",
    "steps",
    "start",
    "end",
    "period",
    "budget",
    "target",
    "coordinator",
    "units",
];

/// A budget as the open data gives it: the amount in baht, or the agency's words.
fn budget_value(b: &Option<crate::content::Budget>) -> serde_json::Value {
    match b {
        Some(crate::content::Budget::Amount(x)) => json!(x),
        Some(crate::content::Budget::Text(t)) => json!(t),
        None => serde_json::Value::Null,
    }
}

/// scores.csv: every indicator, instrument total and the ITA as the report prints them.
pub fn scores_csv(report: &Report, figures: &Figures) -> Result<Vec<u8>, Diagnostics> {
    let f2 = |x: f64| format!("{:.2}", round2(x));
    let year = report.assessed_year.to_string();
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (ind, fig) in report.indicators.iter().zip(&figures.indicators) {
        rows.push(vec![
            year.clone(),
            ind.instrument.code().into(),
            ind.number.to_string(),
            ind.name.clone(),
            f2(ind.previous.get()),
            f2(ind.current.get()),
            trend(fig.trend).into(),
            extreme(fig.extreme).into(),
        ]);
    }
    for t in &figures.totals {
        let code = t.instrument.code();
        let name = format!("ผลคะแนนรวม {code}");
        rows.push(vec![
            year.clone(),
            code.into(),
            String::new(),
            name,
            f2(t.previous),
            f2(t.current),
            trend(t.trend).into(),
            String::new(),
        ]);
    }
    rows.push(vec![
        year,
        "ITA".into(),
        String::new(),
        "ผลการประเมิน ITA ภาพรวม".into(),
        f2(figures.ita_previous),
        f2(figures.ita_current),
        trend(figures.ita_trend).into(),
        String::new(),
    ]);
    csv_bytes(&SCORE_FIELDS, rows)
}

fn measures_csv(report: &Report) -> Result<Vec<u8>, Diagnostics> {
    let rows = report
        .measures
        .iter()
        .enumerate()
        .map(|(k, m)| {
            vec![
                report.fiscal_year.to_string(),
                (k + 1).to_string(),
                m.id.clone(),
                m.title.clone(),
                m.steps.join("\n"),
                m.period.start().to_string(),
                m.period.end().to_string(),
                m.period.written().unwrap_or_default().to_string(),
                match &m.budget {
                    Some(crate::content::Budget::Amount(x)) => format!("{x}"),
                    Some(crate::content::Budget::Text(t)) => t.clone(),
                    None => String::new(),
                },
                m.target.clone().unwrap_or_default(),
                m.coordinator.clone(),
                m.units.join("; "),
            ]
        })
        .collect();
    csv_bytes(&MEASURE_FIELDS, rows)
}

/// data.json: the year's figures and measures (public for the oracle of the tests).
pub fn data_json(report: &Report, figures: &Figures) -> serde_json::Value {
    json!({
        "fiscal_year": report.fiscal_year,
        "assessed_year": report.assessed_year,
        "previous_year": report.previous_year,
        "agency": report.agency,
        "participants": report.participants,
        "group_participants": report.group_participants,
        "rank": report.rank,
        "ita": { "previous": round2(figures.ita_previous), "current": round2(figures.ita_current), "rating": figures.rating },
        "instruments": figures.totals.iter().map(|t| json!({
            "instrument": t.instrument.code(), "previous": round2(t.previous), "current": round2(t.current)
        })).collect::<Vec<_>>(),
        "indicators": report.indicators.iter().zip(&figures.indicators).map(|(i, f)| json!({
            "indicator": i.number, "instrument": i.instrument.code(), "name": i.name,
            "previous": round2(i.previous.get()), "current": round2(i.current.get()),
            "trend": trend(f.trend), "extreme": extreme(f.extreme),
            "measures": i.measures.iter().map(|k| k + 1).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "measures": report.measures.iter().enumerate().map(|(k, m)| json!({
            "number": k + 1, "id": m.id, "title": m.title, "steps": m.steps,
            "start": m.period.start(), "end": m.period.end(), "period": m.period.written(),
            "budget": budget_value(&m.budget), "target": m.target,
            "coordinator": m.coordinator, "units": m.units,
        })).collect::<Vec<_>>(),
    })
}

/// A Frictionless Data package describing the two CSV files, with their table schemas.
fn datapackage(report: &Report) -> serde_json::Value {
    let field =
        |name: &str, kind: &str, title: &str| json!({ "name": name, "type": kind, "title": title });
    let fy = report.fiscal_year;
    json!({
        "profile": "tabular-data-package",
        "name": format!("oit025-{fy}"),
        "title": format!("การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร {} ประจำปีงบประมาณ พ.ศ. {fy}", report.agency.name),
        "licenses": [{ "name": "OGL-Thailand", "title": "Open Government License - Thailand", "path": "https://data.go.th/pages/open-government-license" }],
        "resources": [
            {
                "name": "scores", "path": "scores.csv", "profile": "tabular-data-resource", "format": "csv",
                "mediatype": "text/csv", "encoding": "utf-8-sig",
                "title": "คะแนนรายตัวชี้วัด คะแนนรวมรายแบบวัด และคะแนน ITA",
                "schema": { "fields": [
                    field("assessed_year", "integer", "ปีที่ประเมิน (พ.ศ.)"),
                    field("instrument", "string", "แบบวัด"),
                    field("indicator", "integer", "ตัวชี้วัด"),
                    field("name", "string", "ชื่อ"),
                    field("previous_score", "number", "คะแนนปีก่อน"),
                    field("current_score", "number", "คะแนนปีที่ประเมิน"),
                    field("trend", "string", "เพิ่ม/ลด"),
                    field("extreme", "string", "ต่ำสุด/สูงสุด"),
                ]},
            },
            {
                "name": "measures", "path": "measures.csv", "profile": "tabular-data-resource", "format": "csv",
                "mediatype": "text/csv", "encoding": "utf-8-sig",
                "title": "มาตรการส่งเสริมคุณธรรมและความโปร่งใส",
                "schema": { "fields": [
                    field("fiscal_year", "integer", "ปีงบประมาณ (พ.ศ.)"),
                    field("number", "integer", "มาตรการที่"),
                    field("id", "string", "รหัส"),
                    field("title", "string", "มาตรการ"),
                    field("steps", "string", "ขั้นตอน"),
                    field("start", "date", "วันเริ่ม"),
                    field("end", "date", "วันสิ้นสุด"),
                    field("period", "string", "ช่วงเวลาตามที่เขียน"),
                    field("budget", "string", "งบประมาณ (บาท หรือข้อความ)"),
                    field("target", "string", "ตัวชี้วัดความสำเร็จ"),
                    field("coordinator", "string", "หน่วยงานประสาน"),
                    field("units", "string", "ผู้รับผิดชอบ"),
                ], "primaryKey": ["number"] },
            },
        ],
    })
}

//! Reads the derived figures back from what the tool hands out: the Typst source of the PDF, the
//! web page and the open data (data.json and scores.csv), each into the oracle's own shape.

use super::rules::{Expected, Row, Section5, Total};

/// Typst markup without its escapes: `90\.01` is `90.01`.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn between<'a>(s: &'a str, from: &str, to: &str) -> Option<&'a str> {
    let start = s.find(from)? + from.len();
    let end = s[start..].find(to)? + start;
    Some(&s[start..end])
}

/// The paragraphs `#par[...]` of a piece of Typst markup, unescaped.
fn paragraphs(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(k) = rest.find("#par[") {
        rest = &rest[k + 5..];
        let mut end = rest.len();
        let mut escaped = false;
        for (i, c) in rest.char_indices() {
            match c {
                '\\' if !escaped => escaped = true,
                ']' if !escaped => {
                    end = i;
                    break;
                }
                _ => escaped = false,
            }
        }
        out.push(unescape(&rest[..end]));
        rest = &rest[end..];
    }
    out
}

/// The wording of the note under an indicator whose lowest questions were taken.
fn note(paragraph: &str) -> Option<String> {
    ["ไม่ต่ำกว่า", "มากกว่า"]
        .into_iter()
        .find(|w| paragraph.contains(&format!("ทุกข้อมีผลคะแนน{w} ")))
        .map(String::from)
}

fn is_question(p: &str) -> bool {
    let mut c = p.chars();
    matches!(c.next(), Some('i' | 'e' | 'o')) && c.next().is_some_and(|d| d.is_ascii_digit())
}

/// The figures of the PDF's Typst source (Arabic digits).
pub fn from_typst(source: &str) -> Expected {
    let mut rows = Vec::new();
    let mut totals = Vec::new();
    let mut ita = None;
    for line in source.lines().map(str::trim) {
        if line.starts_with("[(") && line.ends_with("],") {
            let cells: Vec<String> = line[1..line.len() - 2]
                .split("], [")
                .map(unescape)
                .collect();
            let number = between(&cells[0], "(", ")").unwrap().parse().unwrap();
            rows.push(Row {
                number,
                previous: cells[1].clone(),
                current: cells[2].clone(),
                trend: cells[3].clone(),
                extreme: cells[4].clone(),
            });
        }
        for (fill, label) in [("235", "*ผลคะแนนรวม "), ("220", "*ผลการประเมิน ITA ภาพรวม*")]
        {
            if !line.contains(label) || !line.contains(&format!("luma({fill})")) {
                continue;
            }
            let cells: Vec<String> = line
                .split(&format!("table.cell(fill: luma({fill}))["))
                .map(|c| unescape(c.trim_end_matches([']', ',', ' ']).trim_matches('*')))
                .collect();
            // The label's cell, then previous, current and trend.
            let at = cells
                .iter()
                .position(|c| c.contains(label.trim_matches('*')))
                .unwrap();
            let cells = &cells[at..];
            let code = if fill == "220" {
                "ITA".to_string()
            } else {
                between(line, label, "*").unwrap().to_string()
            };
            let total = Total {
                code,
                previous: cells[1].clone(),
                current: cells[2].clone(),
                trend: cells[3].clone(),
            };
            if fill == "220" {
                ita = Some(total);
            } else {
                totals.push(total);
            }
        }
    }
    let rating = unescape(between(source, "คะแนน ระดับผลการประเมิน ", " ซึ่ง").unwrap());
    let five = &source[source.find("= 5. ").unwrap()..source.find("= 6. ").unwrap()];
    let section5 = five
        .split("table.header(level: 2, table.cell(colspan: 6, fill: luma(235))[*")
        .skip(1)
        .map(|part| {
            let pars = paragraphs(part);
            Section5 {
                number: part[..part.find('.').unwrap()].parse().unwrap(),
                questions: pars.iter().filter(|p| is_question(p)).cloned().collect(),
                note: pars.iter().find_map(|p| note(p)),
            }
        })
        .collect();
    rows.sort();
    Expected {
        rows,
        totals,
        ita: ita.unwrap(),
        rating,
        section5,
    }
}

/// Section 5 of the web page: each indicator's question paragraphs and note.
pub fn section5_from_html(page: &str) -> Vec<Section5> {
    let five = &page[page.find("<h2>5. ").unwrap()..page.find("<h2>6. ").unwrap()];
    five.split("<h3>")
        .skip(1)
        .map(|part| {
            let pars: Vec<String> = part
                .split("<p>")
                .skip(1)
                .map(|p| p[..p.find("</p>").unwrap()].to_string())
                .collect();
            Section5 {
                number: part[..part.find('.').unwrap()].parse().unwrap(),
                questions: pars.iter().filter(|p| is_question(p)).cloned().collect(),
                note: pars.iter().find_map(|p| note(p)),
            }
        })
        .collect()
}

fn f2(v: &serde_json::Value) -> String {
    format!("{:.2}", v.as_f64().unwrap())
}

/// An instrument's code, previous and current total; the ITA's previous, current and rating.
type Triple = (String, String, String);

/// data.json: indicator rows, instrument totals (without trends, which it does not give), the
/// ITA and the rating.
pub fn from_data_json(data: &serde_json::Value) -> (Vec<Row>, Vec<Triple>, Triple) {
    let mut rows: Vec<Row> = data["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| Row {
            number: i["indicator"].as_u64().unwrap() as u8,
            previous: f2(&i["previous"]),
            current: f2(&i["current"]),
            trend: i["trend"].as_str().unwrap().into(),
            extreme: i["extreme"].as_str().unwrap().into(),
        })
        .collect();
    rows.sort();
    let totals = data["instruments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["instrument"].as_str().unwrap().to_string(),
                f2(&t["previous"]),
                f2(&t["current"]),
            )
        })
        .collect();
    let ita = &data["ita"];
    (
        rows,
        totals,
        (
            f2(&ita["previous"]),
            f2(&ita["current"]),
            ita["rating"].as_str().unwrap().to_string(),
        ),
    )
}

/// scores.csv: every row, as (instrument, indicator, previous, current, trend, extreme).
pub fn csv_rows(bytes: &[u8]) -> Vec<[String; 6]> {
    let text = std::str::from_utf8(bytes)
        .unwrap()
        .trim_start_matches('\u{FEFF}');
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            [1, 2, 4, 5, 6, 7].map(|k| r[k].to_string())
        })
        .collect()
}

//! End-to-end tests: the real binary on a copy of the project, the PDF read back as a reader
//! would (text with poppler's pdftotext, fonts with pdffonts, pages with pdfinfo).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common;
use crate::common::{oit025, stderr};

use common::{manifest_dir, project, replace_in};

fn tool(name: &str, args: &[&str]) -> String {
    let out = common::output(Command::new(name).args(args));
    assert!(
        out.status.success(),
        "{name} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Text of the PDF with all white space removed, so line breaks do not matter.
fn pdf_text(pdf: &Path) -> String {
    squash(&tool("pdftotext", &[pdf.to_str().unwrap(), "-"]))
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The PDF's text read column by column: lines that start at the same x on a page, top to bottom,
/// joined, so that a table cell's wrapped lines come together as a reader sees them.
fn column_text(pdf: &Path) -> String {
    let xml = tool("pdftotext", &["-bbox-layout", pdf.to_str().unwrap(), "-"]);
    let attr = |tag: &str, name: &str| -> f64 {
        let key = format!("{name}=\"");
        let start = tag.find(&key).unwrap() + key.len();
        tag[start..start + tag[start..].find('"').unwrap()]
            .parse()
            .unwrap()
    };
    let unescape = |s: &str| {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    };
    let mut out = String::new();
    for page in xml.split("<page ").skip(1) {
        let mut lines: Vec<(i64, f64, String)> = Vec::new();
        for line in page.split("<line ").skip(1) {
            let body = &line[..line.find("</line>").unwrap()];
            // Words further apart than a word space belong to different cells.
            let mut segment: Option<(f64, f64, f64, String)> = None;
            for w in body.split("<word ").skip(1) {
                let tag = &w[..w.find('>').unwrap()];
                let text = unescape(&w[w.find('>').unwrap() + 1..w.find("</word>").unwrap()]);
                let (x0, x1, y) = (attr(tag, "xMin"), attr(tag, "xMax"), attr(tag, "yMin"));
                match &mut segment {
                    Some((_, end, _, words)) if x0 - *end < 7.0 => {
                        words.push_str(&text);
                        *end = x1;
                    }
                    _ => {
                        if let Some((start, _, y, words)) = segment.take() {
                            lines.push((start.round() as i64, y, words));
                        }
                        segment = Some((x0, x1, y, text));
                    }
                }
            }
            if let Some((start, _, y, words)) = segment {
                lines.push((start.round() as i64, y, words));
            }
        }
        lines.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        for (_, _, text) in lines {
            out.push_str(&text);
        }
    }
    squash(&out)
}

fn build_default(dir: &Path) -> PathBuf {
    let out = oit025(dir, &["build"]);
    assert!(out.status.success(), "build failed:\n{}", stderr(&out));
    let pdf = dir.join("output/2569/oit025-2569.pdf");
    assert!(pdf.is_file());
    pdf
}

#[test]
fn builds_the_bundled_report_with_every_figure() {
    let dir = project();
    let pdf = build_default(dir.path());
    let text = pdf_text(&pdf);

    // Overall figures, in Thai digits, as the seed document has them.
    for figure in [
        "๘,๓๑๗",
        "๑๖๐",
        "๑๒๖",
        "๙๒.๖๑",
        "๘๖.๐๕",
        "๙๑.๐๗",
        "๘๒.๐๓",
        "๘๔.๒๙",
        "๗๗.๙๓",
        "๑๐๐.๐๐",
        // Indicator scores of both years.
        "๘๒.๒๕",
        "๙๑.๖๒",
        "๘๕.๖๐",
        "๙๒.๐๘",
        "๙๓.๖๖",
        "๙๘.๐๕",
        "๗๑.๕๗",
        "๘๖.๑๐",
        "๗๗.๐๕",
        "๘๗.๔๙",
        "๘๙.๖๗",
        "๙๐.๗๒",
        "๗๙.๒๗",
        "๘๒.๗๒",
        "๖๔.๘๔",
        "๗๙.๔๓",
        // Report deadline and periods.
        "๑๒ตุลาคม๒๕๖๙",
        "๑ต.ค.๖๘–",
        "๓๐ก.ย.๖๙",
    ] {
        assert!(
            text.contains(figure),
            "figure {figure} missing from the PDF"
        );
    }
    // Every question code with its score(s).
    for (code, scores) in [
        ("i1", vec!["๘๕.๕๔"]),
        ("i4", vec!["๘๙.๖๒"]),
        ("i7", vec!["๙๕.๙๒"]),
        ("i10", vec!["๗๗.๔๖"]),
        ("i12", vec!["๘๖.๗๗"]),
        ("i14", vec!["๘๗.๐๐"]),
        ("i15", vec!["๘๔.๓๘"]),
        ("e1", vec!["๘๖.๙๒", "๘๔.๗๖"]),
        ("e2", vec!["๘๘.๐๐", "๘๕.๗๑"]),
        ("e4", vec!["๘๐.๓๒", "๗๙.๐๕"]),
        ("e5", vec!["๘๑.๖๒", "๗๘.๑๐"]),
        ("e6", vec!["๘๗.๖๘", "๘๙.๕๒"]),
        ("e7", vec!["๗๗.๓๐", "๗๑.๔๓"]),
        ("e8", vec!["๘๒.๕๙", "๗๘.๑๐"]),
        ("e9", vec!["๘๓.๓๕", "๘๓.๘๑"]),
    ] {
        assert!(text.contains(code), "question {code} missing");
        for s in scores {
            assert!(text.contains(s), "score {s} of {code} missing");
        }
    }
    // Measures are numbered from the one list: 1 to 11, each title printed.
    for n in ["๑", "๒", "๓", "๔", "๕", "๖", "๗", "๘", "๙", "๑๐", "๑๑"] {
        assert!(
            text.contains(&format!("มาตรการที่{n}")),
            "measure {n} missing"
        );
    }
    assert!(text.contains("จำนวน๑๑มาตรการ"));
    let measures: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(dir.path().join("content/2569/measures.yaml")).unwrap(),
    )
    .unwrap();
    let titles: Vec<&str> = measures["measures"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|m| m["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles.len(), 11);
    let columns = column_text(&pdf);
    for title in titles {
        assert!(
            columns.contains(&squash(title)),
            "measure title {title} missing"
        );
    }
    assert!(text.contains("จัดทำโดย"));
    // Copy errors of the seed are gone: the abbreviation has one spelling.
    assert!(!text.contains("สสน.") && !text.contains("สทน."));

    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("page count");
    assert!((10..=30).contains(&pages), "{pages} pages");
    assert!(
        info.contains("สำนักเลขาธิการนายกรัฐมนตรี"),
        "author/title metadata missing:\n{info}"
    );

    let fonts = tool("pdffonts", &[pdf.to_str().unwrap()]);
    let sarabun: Vec<&str> = fonts.lines().filter(|l| l.contains("Sarabun")).collect();
    assert!(!sarabun.is_empty(), "{fonts}");
    assert!(
        sarabun.iter().all(|l| l.contains(" yes ")),
        "fonts not embedded:\n{fonts}"
    );
    assert!(
        fonts.lines().skip(2).all(|l| l.contains("Sarabun")),
        "a font other than Sarabun:\n{fonts}"
    );
}

#[test]
fn page_numbers_are_thai_and_start_on_page_two() {
    let dir = project();
    let pdf = build_default(dir.path());
    let page = |n: &str| tool("pdftotext", &["-f", n, "-l", n, pdf.to_str().unwrap(), "-"]);
    assert!(!squash(&page("1")).contains("-๑-"));
    assert!(squash(&page("2")).starts_with("-๒-"), "{}", page("2"));
    assert!(squash(&page("3")).starts_with("-๓-"));
}

#[test]
fn arabic_digits_on_request() {
    let dir = project();
    let out = oit025(
        dir.path(),
        &["build", "--digits", "arabic", "--out", "a.pdf"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = pdf_text(&dir.path().join("a.pdf"));
    assert!(text.contains("92.61") && text.contains("8,317"));
    assert!(!text.contains("๙๒.๖๑"));
}

#[test]
fn hostile_text_prints_literally() {
    let hostile = r#"#read("/etc/passwd") $x$ *b* _i_ @ref <l> [x] \"#;
    let dir = project();
    // Into two full-width prose fields (a table cell would interleave with its neighbours in
    // pdftotext's reading order) and into a measure title, as YAML single-quoted strings.
    let yaml = format!("'{hostile}'");
    replace_in(
        &dir.path().join("content/2569/agency.yaml"),
        "    - \"ในปีงบประมาณ",
        &format!("    - {yaml}\n    - \"ในปีงบประมาณ"),
    );
    replace_in(
        &dir.path().join("content/2569/agency.yaml"),
        "    - ให้นำผลการดำเนินการ",
        &format!("    - {yaml}\n    - ให้นำผลการดำเนินการ"),
    );
    replace_in(
        &dir.path().join("content/2569/measures.yaml"),
        "title: พัฒนาประสิทธิภาพการปฏิบัติงานของเจ้าหน้าที่ สลน.",
        &format!("title: {yaml}"),
    );
    let out = oit025(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = pdf_text(&dir.path().join("output/2569/oit025-2569.pdf"));
    assert_eq!(
        text.matches(&squash(hostile)).count(),
        2,
        "hostile text not printed literally"
    );
    // In the narrow title cells (sections 5 and 6) it wraps, but every piece is there, as written.
    for token in hostile.split_whitespace().skip(1) {
        assert!(text.matches(token).count() >= 4, "{token}");
    }
    assert!(!text.contains("root:"), "a file was read");
}

#[test]
fn failed_build_keeps_the_earlier_pdf_and_writes_nothing() {
    let dir = project();
    let pdf = build_default(dir.path());
    let before = std::fs::read(&pdf).unwrap();
    replace_in(
        &dir.path().join("content/2569/scores.yaml"),
        "previous: 82.25",
        "previous: \"๘๒.๒๕x\"",
    );
    let out = oit025(dir.path(), &["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("content/2569/scores.yaml:"), "{err}");
    assert!(err.contains("indicators[0].previous"), "{err}");
    assert_eq!(common::codes(dir.path()), ["score.thai-digits"]);
    assert!(err.contains("ต้องเป็นตัวเลข"), "{err}");
    assert_eq!(std::fs::read(&pdf).unwrap(), before, "earlier PDF changed");
    let leftovers: Vec<_> = std::fs::read_dir(pdf.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != "oit025-2569.pdf")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn written_files_are_readable_by_a_web_server() {
    use std::os::unix::fs::PermissionsExt;
    let dir = project();
    let pdf = build_default(dir.path());
    let mode = std::fs::metadata(&pdf).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644, "{mode:o}");
}

#[test]
fn same_content_gives_the_same_pdf() {
    let dir = project();
    let pdf = build_default(dir.path());
    let first = std::fs::read(&pdf).unwrap();
    let pdf = build_default(dir.path());
    assert_eq!(first, std::fs::read(&pdf).unwrap());
}

#[test]
fn generated_typst_snapshot() {
    let dir = project();
    let out = oit025(
        dir.path(),
        &["build", "--emit-typst", "report.typ", "--out", "r.pdf"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let typst = std::fs::read_to_string(dir.path().join("report.typ")).unwrap();
    // The word-break marks are invisible: shown as "·" so the snapshot says where Thai lines may
    // break.
    insta::assert_snapshot!("report_2569", typst.replace('\u{200B}', "·"));
}

/// Words of the PDF's text with how often each occurs.
fn word_counts(pdf: &Path) -> std::collections::BTreeMap<String, i64> {
    let mut counts = std::collections::BTreeMap::new();
    for w in tool("pdftotext", &[pdf.to_str().unwrap(), "-"]).split_whitespace() {
        *counts.entry(w.to_string()).or_insert(0) += 1;
    }
    counts
}

#[test]
fn one_score_changes_every_figure_that_depends_on_it_and_nothing_else() {
    let dir = project();
    let pdf = build_default(dir.path());
    let before = word_counts(&pdf);
    // Indicator 4, FY 2568: 86.10 -> 88.10.
    replace_in(
        &dir.path().join("content/2569/scores.yaml"),
        "current: 86.10",
        "current: 88.10",
    );
    let pdf = build_default(dir.path());
    let after = word_counts(&pdf);
    let mut changed: Vec<(String, i64)> = before
        .keys()
        .chain(after.keys())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|w| {
            (
                w.clone(),
                after.get(w).unwrap_or(&0) - before.get(w).unwrap_or(&0),
            )
        })
        .filter(|(_, d)| *d != 0)
        .collect();
    changed.sort();
    // The score itself, the IIT total (91.07 -> 91.47) and the ITA (92.61 -> 92.73, in the table and
    // in section 4's sentence). The lowest IIT indicator moves from (4) to (5): same words, other row.
    let mut expected: Vec<(String, i64)> = [
        ("๘๖.๑๐", -1),
        ("๘๘.๑๐", 1),
        ("๙๑.๐๗", -1),
        ("๙๑.๔๗", 1),
        ("๙๒.๖๑", -2),
        ("๙๒.๗๓", 2),
    ]
    .iter()
    .map(|(w, d)| (w.to_string(), *d))
    .collect();
    expected.sort();
    assert_eq!(changed, expected);
}

/// Breaks the template line starting with `from` by making it start with `to`, builds, and
/// returns the error output and the line's number.
fn template_error(from: &str, to: &str) -> (String, usize, tempfile::TempDir) {
    let dir = project();
    let template = dir.path().join("templates/report.typ");
    let text = std::fs::read_to_string(&template).unwrap();
    let line = text.lines().position(|l| l.starts_with(from)).unwrap() + 1;
    std::fs::write(&template, text.replace(from, to)).unwrap();
    let out = oit025(dir.path(), &["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    (err, line, dir)
}

#[test]
fn typst_errors_point_at_the_template_line() {
    let (err, line, dir) = template_error("#set page(flipped: false)", "#set page(flipped: nope)");
    assert!(
        err.contains(&format!("templates/report.typ:{line}:")),
        "{err}"
    );
    assert!(err.contains("unknown variable: nope"), "{err}");
    assert!(!dir.path().join("output/2569/oit025-2569.pdf").exists());
}

#[test]
fn typst_errors_in_thai_template_lines_point_at_the_template_line() {
    // The generated line holds word-break marks the template line does not.
    let (err, line, _dir) = template_error(
        "#lead-in[สำนักงาน ป.ป.ช. ได้กำหนดระดับผลการประเมิน",
        "#lead-in[สำนักงาน ป.ป.ช. #nope ได้กำหนดระดับผลการประเมิน",
    );
    assert!(
        err.contains(&format!("templates/report.typ:{line}:")),
        "{err}"
    );
    assert!(
        !err.contains('\u{200B}'),
        "break marks shown to the user: {err}"
    );
}

#[test]
fn build_all_builds_every_year_and_reports_each() {
    let dir = project();
    // A second year: FY 2568, its dates a year earlier.
    let (y69, y68) = (
        dir.path().join("content/2569"),
        dir.path().join("content/2568"),
    );
    std::fs::create_dir_all(&y68).unwrap();
    for entry in std::fs::read_dir(&y69).unwrap() {
        let entry = entry.unwrap();
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let text = match entry.file_name().to_str().unwrap() {
            "scores.yaml" => text
                .replace("assessed_year: 2568", "assessed_year: 2567")
                .replace("previous_year: 2567", "previous_year: 2566"),
            "measures.yaml" | "agency.yaml" => {
                text.replace("2025-", "2024-").replace("2026-", "2025-")
            }
            _ => text,
        };
        std::fs::write(y68.join(entry.file_name()), text).unwrap();
    }
    let out = oit025(dir.path(), &["build", "--all", "--jobs", "2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("built 2 of 2 reports"));
    for y in ["2568", "2569"] {
        assert!(
            dir.path()
                .join(format!("output/{y}/oit025-{y}.pdf"))
                .is_file()
        );
    }
    // A broken year fails on its own; the other is still built; the exit code says so.
    std::fs::remove_dir_all(dir.path().join("output")).unwrap();
    replace_in(&y68.join("scores.yaml"), "rank: 126", "rank: x");
    let out = oit025(dir.path(), &["build", "--all", "--jobs", "2"]);
    assert_eq!(out.status.code(), Some(1));
    // The worker's diagnostics reach the terminal: the file, its line and the field.
    assert!(
        stderr(&out).contains("content/2568/scores.yaml:"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("built 1 of 2 reports"),
        "{}",
        stderr(&out)
    );
    assert!(dir.path().join("output/2569/oit025-2569.pdf").is_file());
    assert!(!dir.path().join("output/2568").exists());
}

#[test]
fn archival_pdf_carries_its_sources() {
    let dir = project();
    let pdf = build_default(dir.path());
    let p = pdf.to_str().unwrap();
    let meta = tool("pdfinfo", &["-meta", p]);
    assert!(
        meta.contains("<pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>"),
        "not PDF/A-3b"
    );
    assert!(
        meta.contains("<pdfuaid:part>1</pdfuaid:part>"),
        "not PDF/UA-1"
    );
    assert!(meta.contains("<rdf:li>th</rdf:li>"), "language not Thai");
    let info = tool("pdfinfo", &[p]);
    assert!(
        info.contains("Encrypted:       no") && info.contains("Tagged:          yes"),
        "{info}"
    );
    // The document date comes from content (default: the first day of the fiscal year), not the clock.
    assert!(
        info.contains("CreationDate:    Wed Oct  1 00:00:00 2025 UTC"),
        "{info}"
    );
    let list = tool("pdfdetach", &["-list", p]);
    let names = [
        "agency",
        "analysis",
        "assessment",
        "measures",
        "recommendations",
        "scores",
    ];
    assert!(list.starts_with("6 embedded files"), "{list}");
    for (k, name) in names.iter().enumerate() {
        let path = format!("content/2569/{name}.yaml");
        assert!(list.contains(&format!("{}: {path}", k + 1)), "{list}");
        let out = dir.path().join(format!("{name}.out"));
        tool(
            "pdfdetach",
            &[
                "-save",
                &(k + 1).to_string(),
                "-o",
                out.to_str().unwrap(),
                p,
            ],
        );
        assert_eq!(
            std::fs::read(&out).unwrap(),
            std::fs::read(dir.path().join(&path)).unwrap(),
            "{path} not intact"
        );
    }
}

#[test]
fn a_sealed_year_stays_byte_identical_until_forced() {
    let dir = project();
    let out = oit025(dir.path(), &["archive", "--year", "2569"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = dir.path().join("output/2569/oit025-2569.pdf");
    let sealed = std::fs::read(&pdf).unwrap();
    let seal = std::fs::read_to_string(dir.path().join("content/2569/sealed.yaml")).unwrap();
    for name in [
        "agency",
        "analysis",
        "assessment",
        "measures",
        "recommendations",
        "scores",
    ] {
        assert!(
            seal.contains(&format!("content/2569/{name}.yaml")),
            "{seal}"
        );
    }
    assert!(seal.contains(&sha256_of(&sealed)));
    // The seal file is not content: check stays clean, and verify agrees.
    assert!(oit025(dir.path(), &["check"]).status.success());
    let out = oit025(dir.path(), &["verify", "--all"]);
    assert!(
        out.status.success() && stderr(&out).contains("2569 matches its seal"),
        "{}",
        stderr(&out)
    );
    // Rebuilding unchanged content is allowed: the same bytes.
    assert!(oit025(dir.path(), &["build"]).status.success());
    assert_eq!(std::fs::read(&pdf).unwrap(), sealed);
    // An edit would change the PDF: refused, file untouched, and the reason names the edited file.
    replace_in(
        &dir.path().join("content/2569/scores.yaml"),
        "current: 86.10",
        "current: 88.10",
    );
    let out = oit025(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("is sealed")
            && err.contains("content/2569/scores.yaml changed")
            && err.contains("--force"),
        "{err}"
    );
    assert_eq!(std::fs::read(&pdf).unwrap(), sealed);
    let out = oit025(dir.path(), &["verify", "--year", "2569"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("the rebuilt PDF differs"),
        "{}",
        stderr(&out)
    );
    // --force replaces it, with a warning.
    let out = oit025(dir.path(), &["build", "--force"]);
    assert!(
        out.status.success() && stderr(&out).contains("the seal no longer matches"),
        "{}",
        stderr(&out)
    );
    assert_ne!(std::fs::read(&pdf).unwrap(), sealed);
}

fn sha256_of(bytes: &[u8]) -> String {
    oit025::seal::sha256_hex(bytes)
}

#[test]
fn next_year_starts_from_the_last_and_check_lists_what_is_left() {
    let dir = project();
    assert!(
        oit025(dir.path(), &["archive", "--year", "2569"])
            .status
            .success()
    );
    let pdf = dir.path().join("output/2569/oit025-2569.pdf");
    let sealed = std::fs::read(&pdf).unwrap();
    let out = oit025(dir.path(), &["new", "2570"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let scores = std::fs::read_to_string(dir.path().join("content/2570/scores.yaml")).unwrap();
    assert!(
        scores.contains("assessed_year: 2569") && scores.contains("previous_year: 2568"),
        "{scores}"
    );
    // Last year's assessed scores become the compared ones.
    assert!(
        scores.contains("{ indicator: 1, previous: 91.62, current: ~ }"),
        "{scores}"
    );
    let agency = std::fs::read_to_string(dir.path().join("content/2570/agency.yaml")).unwrap();
    assert!(
        agency.contains("report_deadline: 2027-10-12") && agency.contains("abbreviation: สลน.")
    );
    // `new` refuses to overwrite.
    assert_eq!(oit025(dir.path(), &["new", "2570"]).status.code(), Some(1));

    let out = oit025(dir.path(), &["check", "--year", "2570"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error: ")).collect();
    let count = |needle: &str| errors.iter().filter(|l| l.contains(needle)).count();
    assert_eq!(count("no weights for year 2569"), 1, "{err}");
    // Ten indicator scores, participants, group participants and rank.
    assert_eq!(count("not filled in yet"), 13, "{err}");
    assert_eq!(count("no question scores for indicator"), 8, "{err}");
    assert_eq!(count("no analysis for indicator"), 10, "{err}");
    assert_eq!(count("no recommendations"), 1);
    assert_eq!(count("no measures yet"), 1);
    assert_eq!(errors.len(), 34, "{err}");
    // The sealed year is untouched by all of it.
    assert!(
        oit025(dir.path(), &["verify", "--year", "2569"])
            .status
            .success()
    );
    assert_eq!(std::fs::read(&pdf).unwrap(), sealed);
}

#[test]
fn init_makes_a_project_that_builds_and_templates_override_by_name() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("กรมตัวอย่าง");
    let out = oit025(
        parent.path(),
        &[
            "init",
            dir.to_str().unwrap(),
            "--example",
            "--agency",
            "กรมตัวอย่าง",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // Built from anywhere with -C, with the embedded fonts and default templates.
    let out = oit025(parent.path(), &["build", "-C", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = dir.join("output/2569/oit025-2569.pdf");
    let text = pdf_text(&pdf);
    assert!(
        text.contains("ในการดำเนินงานของกรมตัวอย่าง"),
        "agency name not in the PDF"
    );
    assert!(!text.contains("สำนักเลขาธิการนายกรัฐมนตรีประจำ"));
    // init refuses a folder that is not empty.
    assert_eq!(
        oit025(
            parent.path(),
            &["init", dir.to_str().unwrap(), "--example", "--agency", "x"]
        )
        .status
        .code(),
        Some(1)
    );

    // A project's templates/style.typ replaces the default one: here the page numbers change style.
    let style = std::fs::read_to_string(manifest_dir().join("templates/style.typ")).unwrap();
    let style = style.replace("[\\- #th(n) \\-]", "[หน้า #th(n)]");
    assert!(style.contains("[หน้า #th(n)]"));
    std::fs::write(dir.join("templates/style.typ"), style).unwrap();
    let out = oit025(&dir, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page2 = tool(
        "pdftotext",
        &["-f", "2", "-l", "2", pdf.to_str().unwrap(), "-"],
    );
    assert!(squash(&page2).starts_with("หน้า๒"), "{page2}");
}

#[test]
fn watch_rebuilds_survives_broken_saves_and_recovers() {
    use std::io::BufRead;
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    let dir = project();
    let mut child = Command::new(env!("CARGO_BIN_EXE_oit025"))
        .current_dir(dir.path())
        .arg("watch")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel::<String>();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            let _ = tx.send(line);
        }
    });
    // Waits for a line holding `needle`; returns everything seen on the way.
    let wait_for = |needle: &str| -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut seen = String::new();
        while Instant::now() < deadline {
            if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
                seen.push_str(&line);
                seen.push('\n');
                if line.contains(needle) {
                    return seen;
                }
            }
        }
        panic!("no line with {needle:?} within 30 s; saw:\n{seen}");
    };
    // Saves as editors do: the new text is written elsewhere and renamed over the file, so the
    // watcher never sees a half-written file.
    let scratch = dir.path().join("scratch");
    let save = |path: &Path, from: &str, to: &str| {
        let text = std::fs::read_to_string(path).unwrap();
        assert!(text.contains(from), "{from:?} not in {}", path.display());
        std::fs::write(&scratch, text.replacen(from, to, 1)).unwrap();
        std::fs::rename(&scratch, path).unwrap();
    };
    let pdf = dir.path().join("output/2569/oit025-2569.pdf");
    let scores = dir.path().join("content/2569/scores.yaml");
    let template = dir.path().join("templates/report.typ");
    wait_for("watching for changes");
    let first = std::fs::read(&pdf).unwrap();

    save(&scores, "current: 86.10", "current: 88.10");
    wait_for("/ rebuilt ");
    let second = std::fs::read(&pdf).unwrap();
    assert_ne!(first, second, "the edit did not reach the PDF");

    save(&scores, "current: 88.10", "current: 8x");
    assert!(wait_for("not rebuilt").contains("expected a number 0-100"));
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        second,
        "a broken save changed the PDF"
    );
    save(&scores, "current: 8x", "current: 86.10");
    wait_for("/ rebuilt ");
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        first,
        "back to the first content, back to the first PDF"
    );

    replace_in(
        &template,
        "#set page(flipped: false)",
        "#set page(flipped: nope)",
    );
    assert!(wait_for("not rebuilt").contains("unknown variable: nope"));
    replace_in(
        &template,
        "#set page(flipped: nope)",
        "#set page(flipped: false)",
    );
    wait_for("/ rebuilt ");
    assert!(child.try_wait().unwrap().is_none(), "watch exited");
    child.kill().unwrap();
    let _ = child.wait();
}

#[test]
fn projects_list_builds_many_agencies_in_parallel() {
    let parent = tempfile::tempdir().unwrap();
    let mut list = String::from("# one project folder per line\n");
    for name in ["กรมหนึ่ง", "กรมสอง", "กรมสาม"] {
        let out = oit025(
            parent.path(),
            &["init", name, "--example", "--agency", name],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        list.push_str(&format!("{name}\n"));
    }
    std::fs::write(parent.path().join("agencies.txt"), list).unwrap();
    let out = oit025(
        parent.path(),
        &["build", "--projects", "agencies.txt", "--jobs", "2"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("built 3 of 3 reports"),
        "{}",
        stderr(&out)
    );
    for name in ["กรมหนึ่ง", "กรมสอง", "กรมสาม"] {
        let pdf = parent.path().join(name).join("output/2569/oit025-2569.pdf");
        let text = pdf_text(&pdf);
        assert!(text.contains(&format!("ในการดำเนินงานของ{name}")), "{name}");
        let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
        assert!(
            info.contains(&format!("Author:          {name}\n")),
            "{info}"
        );
        // A job reuses typst's layout of the report it built before: the PDF must be the one
        // the project gives when built on its own.
        let alone = parent.path().join(format!("{name}-alone.pdf"));
        let out = oit025(
            &parent.path().join(name),
            &["build", "--out", alone.to_str().unwrap()],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(
            std::fs::read(&pdf).unwrap() == std::fs::read(&alone).unwrap(),
            "{name}: the batch's PDF differs from the one built alone"
        );
    }
}

/// `build --jobs N` builds in worker processes. A worker that stops fails the report it was
/// building, with why, and its share of the rest is built in the process itself; so is all of
/// it when no worker can be started.
#[test]
fn a_worker_that_stops_fails_only_the_report_it_was_building() {
    use oit025::pipeline::{BuildArgs, BuildConfig, Project};
    let parent = tempfile::tempdir().unwrap();
    let configs: Vec<_> = ["ก", "ข", "ค"]
        .iter()
        .map(|name| {
            let out = oit025(
                parent.path(),
                &["init", name, "--example", "--agency", &format!("กรม{name}")],
            );
            assert!(out.status.success(), "{}", stderr(&out));
            let project = Project::open(&parent.path().join(name)).unwrap();
            BuildConfig::new(&project, BuildArgs::default()).unwrap()
        })
        .collect();
    let pdfs = || configs.iter().filter(|c| c.out.is_file()).count();

    // /bin/false starts and exits at once, as a worker that crashed would.
    let outcomes =
        oit025::pipeline::workers::build_many(Path::new("/bin/false"), configs.clone(), 2, |_| {});
    assert_eq!(outcomes.len(), 3);
    let failed: Vec<_> = outcomes
        .iter()
        .filter_map(|o| o.result.as_ref().err())
        .collect();
    assert!((1..=2).contains(&failed.len()), "{failed:?}");
    assert!(
        failed
            .iter()
            .all(|e| e.contains("the worker process stopped")),
        "{failed:?}"
    );
    assert_eq!(pdfs(), 3 - failed.len());

    for c in &configs {
        let _ = std::fs::remove_file(&c.out);
    }
    let outcomes = oit025::pipeline::workers::build_many(
        Path::new("/nonexistent/oit025"),
        configs.clone(),
        2,
        |_| {},
    );
    assert!(outcomes.iter().all(|o| o.result.is_ok()));
    assert_eq!(pdfs(), 3);
}

/// typst reuses the layout of a paragraph only under the same styles, and a set or show rule
/// styles everything after it. A rule holding the agency's name or abbreviation ahead of the
/// report's body would make every paragraph of one agency's report new to typst after
/// another's: a batch of agencies then costs 2.5 times as much (bench/batch.sh).
#[test]
fn no_rule_ahead_of_the_body_holds_the_agencys_own_text() {
    use typst::syntax::SyntaxKind;
    let parent = tempfile::tempdir().unwrap();
    let out = oit025(
        parent.path(),
        &["init", "p", "--example", "--agency", "กรมตัวอย่างพิเศษ"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let dir = parent.path().join("p");
    let out = oit025(
        &dir,
        &["build", "--emit-typst", "report.typ", "--out", "r.pdf"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let source = std::fs::read_to_string(dir.join("report.typ"))
        .unwrap()
        .replace('\u{200B}', "");
    let agency = std::fs::read_to_string(dir.join("content/2569/agency.yaml")).unwrap();
    let agency: serde_yaml::Value = serde_yaml::from_str(&agency).unwrap();
    let own = ["name", "abbreviation"].map(|k| agency["agency"][k].as_str().unwrap().to_string());
    assert_eq!(own[0], "กรมตัวอย่างพิเศษ");

    let root = typst::syntax::parse(&source);
    let children: Vec<_> = root.children().collect();
    let is_rule = |k: SyntaxKind| matches!(k, SyntaxKind::SetRule | SyntaxKind::ShowRule);
    let quiet = |k: SyntaxKind| {
        is_rule(k)
            || matches!(
                k,
                SyntaxKind::Hash
                    | SyntaxKind::Space
                    | SyntaxKind::Parbreak
                    | SyntaxKind::LineComment
                    | SyntaxKind::BlockComment
                    | SyntaxKind::LetBinding
            )
    };
    let body_end = children.iter().rposition(|c| !quiet(c.kind())).unwrap();
    let ahead: Vec<String> = children[..body_end]
        .iter()
        .filter(|c| is_rule(c.kind()))
        .map(|c| c.full_text().to_string())
        .collect();
    assert!(ahead.iter().any(|r| r.starts_with("set text")), "{ahead:?}");
    for rule in &ahead {
        for text in &own {
            assert!(!rule.contains(text.as_str()), "{rule:?} holds {text:?}");
        }
    }
    // The metadata still names the agency.
    let info = tool("pdfinfo", &[dir.join("r.pdf").to_str().unwrap()]);
    assert!(info.contains("Author:          กรมตัวอย่างพิเศษ\n"), "{info}");
}

/// GET over plain HTTP/1.0: the status code and the body.
fn http_get(port: u16, path: &str) -> (u16, Vec<u8>) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..end]);
    let code = head.split(' ').nth(1).unwrap().parse().unwrap();
    (code, raw[end + 4..].to_vec())
}

#[test]
fn watch_serve_shows_the_pdf_and_the_errors_of_a_broken_save() {
    use std::io::BufRead;
    use std::time::{Duration, Instant};

    let dir = project();
    let mut child = Command::new(env!("CARGO_BIN_EXE_oit025"))
        .current_dir(dir.path())
        .args(["watch", "--serve", "--port", "0"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let port: u16 = loop {
        let line = lines.next().expect("watch ended").unwrap();
        if let Some(at) = line.find("http://127.0.0.1:") {
            let rest = &line[at + "http://127.0.0.1:".len()..];
            break rest.trim_end_matches('/').parse().unwrap();
        }
    };
    std::thread::spawn(move || lines.for_each(drop)); // keeps the pipe open and drained
    let pdf = dir.path().join("output/2569/oit025-2569.pdf");
    let status = || String::from_utf8(http_get(port, "/status").1).unwrap();
    let wait_for_build = |before: &str| -> String {
        let builds = before.lines().next().unwrap().to_string();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let now = status();
            if now.lines().next() != Some(builds.as_str()) {
                return now;
            }
            assert!(Instant::now() < deadline, "no build within 30 s");
            std::thread::sleep(Duration::from_millis(100));
        }
    };

    let (code, page) = http_get(port, "/");
    assert_eq!(code, 200);
    assert!(String::from_utf8(page).unwrap().contains("report.pdf"));
    let first = status();
    assert_eq!(first, "1\n", "one good build, no errors");
    let (code, served) = http_get(port, "/report.pdf");
    assert_eq!(code, 200);
    assert_eq!(served, std::fs::read(&pdf).unwrap());
    assert_eq!(http_get(port, "/../content/2569/scores.yaml").0, 404);

    let scores = dir.path().join("content/2569/scores.yaml");
    replace_in(&scores, "current: 86.10", "current: 8x");
    let broken = wait_for_build(&first);
    assert!(broken.contains("expected a number 0-100"), "{broken}");
    assert!(broken.contains("scores.yaml:"), "{broken}");
    assert_eq!(http_get(port, "/report.pdf").1, served, "the last good PDF");

    replace_in(&scores, "current: 8x", "current: 88.10");
    let fixed = wait_for_build(&broken);
    assert!(
        fixed.ends_with('\n') && fixed.lines().nth(1).is_none(),
        "{fixed}"
    );
    let rebuilt = http_get(port, "/report.pdf").1;
    assert_ne!(rebuilt, served, "the edit did not reach the served PDF");
    assert_eq!(rebuilt, std::fs::read(&pdf).unwrap());
    child.kill().unwrap();
    let _ = child.wait();
}

/// Text that is PDF syntax (parentheses, a backslash, a comment sign, `endobj`) in a field typst
/// writes as a literal string of the document information: the text layer reads typst's file
/// where it lies and copies that object, and the file must keep the text and stay sound.
#[test]
fn pdf_syntax_in_document_information_stays_text() {
    let dir = project();
    let abbr = r"AB(C)\D %x endobj";
    replace_in(
        &dir.path().join("content/2569/agency.yaml"),
        "abbreviation: สลน.",
        &format!("abbreviation: '{abbr}'"),
    );
    let out = oit025(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = dir.path().join("output/2569/oit025-2569.pdf");
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(
        info.contains(&format!("Keywords:        ITA, OIT, o25, {abbr}, 2569")),
        "{info}"
    );
    let check = common::output(Command::new("qpdf").args(["--check", pdf.to_str().unwrap()]));
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

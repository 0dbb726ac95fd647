//! `init`: a new agency's project from scratch, the layout and a year to fill in, which `check`
//! refuses until it is the agency's own; or, on request, the bundled FY 2569 report as an example.
//! What the files hold is [`crate::skeleton`]; this writes them as one step.

use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics};
use crate::msg;
use crate::skeleton::{
    EXAMPLE_YEAR, TEMPLATES_README, example_files, fiscal_year_of, skeleton, today_in_thailand,
};

/// Creates `dir` with `content/<year>/`, templates/ and output/. The folder may exist and hold
/// other things (a git repository, say), but not a `content/` folder already.
///
/// Without `example`, the year is a skeleton of fiscal year `year` (default: the fiscal year of
/// today): the agency's name and abbreviation filled in, the NACC's framework (the same for every
/// agency) with the weights of the years that year assesses and compares, and everything else the
/// agency's own marked [`crate::content::FILL_IN`] for `check` to list. With `example`, it is the bundled FY 2569
/// report of another agency, saying so in each file, with `agency` (if given) as the name.
pub fn init(
    dir: &Path,
    agency: Option<&str>,
    abbreviation: Option<&str>,
    example: bool,
    year: Option<i32>,
) -> Result<Vec<String>, Diagnostics> {
    let content = dir.join("content");
    if content.exists() {
        return Err(Diagnostic::error(crate::diag::Code::InitContentExists, msg!(
            "มีโฟลเดอร์ content/ อยู่แล้ว: ไม่ได้เขียนทับ (เริ่มปีใหม่ด้วย oit025 new <ปี>)",
            "there is a content/ folder already: nothing written over it (start a new year with oit025 new <year>)"
        ))
        .in_file(content.display().to_string())
        .into());
    }
    let year = match (example, year) {
        (true, _) => EXAMPLE_YEAR,
        (false, Some(y)) => y,
        (false, None) => fiscal_year_of(today_in_thailand()),
    };
    crate::content::check_year(year).map_err(|d| Diagnostics::from(*d))?;
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
            skeleton(agency, abbreviation, year)?
        };
    // The project appears whole or not at all (written beside it, or inside a folder that holds
    // other things, then renamed into place): a failed run leaves nothing that stops the next.
    // What the folder already holds stays as it is.
    let year_dir = Path::new("content").join(year.to_string());
    let mut tree: Vec<(std::path::PathBuf, Vec<u8>)> = Vec::new();
    for (name, text) in files {
        let text = crate::content::schema::with_modeline(name, &text);
        tree.push((year_dir.join(name), text.into_bytes()));
    }
    for (name, text) in crate::content::schema::files() {
        tree.push((Path::new(crate::content::schema::DIR).join(name), text));
    }
    if !dir.join("templates").exists() {
        let readme = Path::new("templates").join("README.md");
        tree.push((readme, TEMPLATES_README.as_bytes().to_vec()));
    }
    if !dir.join("output").exists() {
        tree.push((Path::new("output").join(".gitkeep"), Vec::new()));
    }
    crate::files::write_folder(dir, &tree)?;
    Ok(tree
        .iter()
        .map(|(rel, _)| dir.join(rel).display().to_string())
        .collect())
}

/// `init` as the command line runs it: makes the project, then says what was written and what
/// to do next.
pub fn run(
    dir: &Path,
    agency: Option<&str>,
    abbreviation: Option<&str>,
    example: bool,
    year: Option<i32>,
) -> Result<Diagnostics, Diagnostics> {
    for f in init(dir, agency, abbreviation, example, year)? {
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

//! A new agency's project from scratch: the layout, and an example year that builds. The example is
//! the bundled FY 2569 report with the new agency's name put in, to be replaced piece by piece.

use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics};
use crate::msg;

/// The example year, carried in the binary so `init` works anywhere.
const EXAMPLE_YEAR: i32 = 2569;
const EXAMPLE: [(&str, &str); 6] = [
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
const EXAMPLE_AGENCY: &str = "สำนักเลขาธิการนายกรัฐมนตรี";

const TEMPLATES_README: &str = "# templates/\n\n\
A file here replaces the built-in template of the same name (`report.typ`, `style.typ`).\n\
Copy one from the oit025 repository to restyle the report; leave this folder empty to use the defaults.\n\
ไฟล์ในโฟลเดอร์นี้ใช้แทนเทมเพลตในตัวโปรแกรมที่ชื่อเดียวกัน ปล่อยว่างไว้เพื่อใช้ค่าเริ่มต้น\n";

/// Creates `dir` with content/<year>/ (the example), templates/ and output/. Refuses a non-empty folder.
pub fn init(dir: &Path, agency: &str) -> Result<Vec<String>, Diagnostics> {
    let shown = dir.display().to_string();
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(
            Diagnostic::error(msg!("โฟลเดอร์นี้มีไฟล์อยู่แล้ว", "the folder is not empty"))
                .in_file(shown)
                .into(),
        );
    }
    let header = format!(
        "# ตัวอย่าง: รายงานปีงบประมาณ {EXAMPLE_YEAR} ของ {EXAMPLE_AGENCY} ใส่ชื่อ {agency} แทนไว้แล้ว\n\
         # แก้ทุกส่วนให้เป็นข้อมูลของหน่วยงานท่าน แล้วรัน `oit025 check` จนไม่มีข้อผิดพลาด\n\
         # Example: the FY {EXAMPLE_YEAR} report of {EXAMPLE_AGENCY} with your agency's name put in.\n\
         # Replace every part with your agency's own data, then run `oit025 check` until it reports no errors.\n\n"
    );
    let mut written = Vec::new();
    for (name, text) in EXAMPLE {
        let path = dir
            .join("content")
            .join(EXAMPLE_YEAR.to_string())
            .join(name);
        // The example's own first line names its schema; it stays the first line.
        let body = text.split_once('\n').map_or(text, |(_, rest)| rest);
        let text = crate::schema::with_modeline(
            name,
            &format!("{header}{}", body.replace(EXAMPLE_AGENCY, agency)),
        );
        crate::build::write_atomic(&path, text.as_bytes())?;
        written.push(path.display().to_string());
    }
    written.extend(crate::schema::write(&dir.join(crate::schema::DIR))?);
    let readme = dir.join("templates").join("README.md");
    crate::build::write_atomic(&readme, TEMPLATES_README.as_bytes())?;
    written.push(readme.display().to_string());
    let keep = dir.join("output").join(".gitkeep");
    crate::build::write_atomic(&keep, b"")?;
    written.push(keep.display().to_string());
    Ok(written)
}

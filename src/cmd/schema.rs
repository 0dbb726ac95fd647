//! `schema`: writes the JSON Schemas of the content files ([`crate::content::schema`]) for
//! editors.

use std::path::{Path, PathBuf};

use crate::content::schema;
use crate::diag::Diagnostics;

/// Writes the schemas to `out` (default `content/schemas/` of the project at `root`).
pub fn run(root: &Path, out: Option<PathBuf>) -> Result<Diagnostics, Diagnostics> {
    let out = out.unwrap_or_else(|| root.join(schema::DIR));
    for f in schema::write(&out)? {
        eprintln!("สร้าง / wrote {f}");
    }
    Ok(Diagnostics::default())
}

//! What a user asked a build to do, checked once before any work starts (as typst-cli's
//! `CompileConfig::new`): defaults resolved, outputs that would overwrite a source or a sealed
//! file refused.

use std::path::PathBuf;

use crate::diag::Diagnostics;
use crate::pipeline::Project;
use crate::template::Digits;

/// What a build was asked to do, as given: every field optional but the digits.
#[derive(Debug, Clone, Default)]
pub struct BuildArgs {
    /// The fiscal year (Buddhist Era); default: the newest under `content/`.
    pub year: Option<i32>,
    /// Where to write the PDF; default: `output/<year>/oit025-<year>.pdf`.
    pub out: Option<PathBuf>,
    /// Where to also write the generated Typst source, if anywhere.
    pub emit_typst: Option<PathBuf>,
    /// Digits of generated numbers, dates and page numbers.
    pub digits: Digits,
    /// Replace a sealed year's PDF even when the new one differs.
    pub force: bool,
}

/// A build of one year, resolved and checked. It crosses to a worker process of `--jobs N` as
/// a line of JSON.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct BuildConfig {
    /// The project folder (holds `content/`, `templates/`, `output/`).
    pub root: PathBuf,
    /// The fiscal year, Buddhist Era.
    pub year: i32,
    /// Where the PDF is written.
    pub out: PathBuf,
    /// Where the generated Typst source is also written, if anywhere.
    pub emit_typst: Option<PathBuf>,
    /// Digits of generated numbers, dates and page numbers.
    pub digits: Digits,
    /// Replace a sealed year's PDF even when the new one differs.
    pub force: bool,
    /// In a batch of many projects (`--projects`), the project folder, named in the batch's
    /// progress lines and before the file names of its diagnostics.
    pub label: Option<PathBuf>,
}

impl BuildConfig {
    /// Resolves the defaults of `args` in `project` and refuses outputs that would replace a
    /// source or a sealed file other than the year's own PDF.
    pub fn new(project: &Project, args: BuildArgs) -> Result<Self, Diagnostics> {
        let year = args.year.unwrap_or_else(|| project.latest());
        let out = args.out.unwrap_or_else(|| project.default_pdf(year));
        let own_seal = project
            .seal(year)
            .ok()
            .flatten()
            .map(|seal| project.root().join(&seal.pdf.path));
        project.protected().check_file(&out, own_seal.as_deref())?;
        if let Some(path) = &args.emit_typst {
            project.protected().check_file(path, None)?;
        }
        Ok(Self {
            root: project.root().to_path_buf(),
            year,
            out,
            emit_typst: args.emit_typst,
            digits: args.digits,
            force: args.force,
            label: None,
        })
    }

    /// The same build, named in a batch of many projects by `label`.
    pub fn labelled(self, label: PathBuf) -> Self {
        Self {
            label: Some(label),
            ..self
        }
    }
}

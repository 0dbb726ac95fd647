//! A project as every command sees it: its folder, its fiscal years and their seals, read once
//! when the command starts, and the outputs no command may overwrite.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::seal::{self, Seal};
use crate::{content, msg};

/// A project folder (holding `content/`, `templates/`, `output/`), opened once per command.
pub struct Project {
    root: PathBuf,
    years: Vec<i32>,
    /// The seal of each sealed year, or why it could not be read.
    seals: BTreeMap<i32, Result<Seal, Diagnostics>>,
    protected: Protected,
}

impl Project {
    /// Reads the years under `content/` and the seal of each, once.
    pub fn open(root: &Path) -> Result<Self, Diagnostics> {
        let years = content::years(root)?;
        let seals: BTreeMap<_, _> = years
            .iter()
            .filter_map(|&y| match seal::read_seal(root, y) {
                Ok(None) => None,
                Ok(Some(s)) => Some((y, Ok(s))),
                Err(d) => Some((y, Err(d))),
            })
            .collect();
        let sealed = seals
            .values()
            .filter_map(|s| s.as_ref().ok())
            .map(|s| resolve(&root.join(&s.pdf.path)))
            .collect();
        let protected = Protected {
            content: resolve(&root.join("content")),
            sealed,
        };
        Ok(Self {
            root: root.to_path_buf(),
            years,
            seals,
            protected,
        })
    }

    /// The project folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The fiscal years under `content/`, oldest first (never empty).
    pub fn years(&self) -> &[i32] {
        &self.years
    }

    /// The newest fiscal year.
    pub fn latest(&self) -> i32 {
        self.years.last().copied().unwrap_or_default()
    }

    /// The seal of `year`, if it is sealed; an error if its seal file is damaged.
    pub fn seal(&self, year: i32) -> Result<Option<&Seal>, Diagnostics> {
        match self.seals.get(&year) {
            None => Ok(None),
            Some(Ok(s)) => Ok(Some(s)),
            Some(Err(d)) => Err(d.clone()),
        }
    }

    /// What no output of this project may overwrite.
    pub fn protected(&self) -> &Protected {
        &self.protected
    }

    /// The default PDF of a year: `output/<year>/oit025-<year>.pdf`.
    pub fn default_pdf(&self, year: i32) -> PathBuf {
        self.root
            .join("output")
            .join(year.to_string())
            .join(format!("oit025-{year}.pdf"))
    }
}

/// Which years a command works on.
#[derive(Debug, Clone, Copy)]
pub enum Years {
    /// The newest under `content/`.
    Latest,
    /// One fiscal year.
    One(i32),
    /// Every year under `content/`.
    All,
}

impl Years {
    /// The years of `project` this stands for.
    pub fn of(self, project: &Project) -> Vec<i32> {
        match self {
            Years::Latest => vec![project.latest()],
            Years::One(y) => vec![y],
            Years::All => project.years().to_vec(),
        }
    }
}

/// What no output may overwrite: the content sources (anything under `content/`) and the files
/// a seal vouches for. Every output path is checked against it before anything is written, so a
/// mistyped `--out` or `--emit-typst` is refused instead of destroying sealed data.
pub struct Protected {
    content: PathBuf,
    sealed: Vec<PathBuf>,
}

impl Protected {
    /// An error if writing the file `path` would replace a source or a sealed file. `own_seal`
    /// is the one sealed file this write may replace (a year's PDF, which a build replaces only
    /// when it is identical or forced).
    pub fn check_file(&self, path: &Path, own_seal: Option<&Path>) -> Result<(), Diagnostics> {
        let real = resolve(path);
        let own = own_seal.map(resolve);
        if real.starts_with(&self.content)
            || self
                .sealed
                .iter()
                .any(|s| *s == real && own.as_ref() != Some(s))
        {
            return Err(refusal(path));
        }
        Ok(())
    }

    /// An error if a folder the site is written to lies in `content/` or holds a sealed file.
    pub fn check_dir(&self, dir: &Path) -> Result<(), Diagnostics> {
        let real = resolve(dir);
        if real.starts_with(&self.content) || self.sealed.iter().any(|s| s.starts_with(&real)) {
            return Err(refusal(dir));
        }
        Ok(())
    }
}

fn refusal(path: &Path) -> Diagnostics {
    Diagnostic::error(
        Code::OutputProtected,
        msg!(
            "จะไม่เขียนไฟล์ที่นี่: เป็นไฟล์ต้นฉบับใน content/ หรือไฟล์ที่ปิดผนึกแล้ว ไม่ได้เขียนไฟล์ใด ๆ",
            "will not write here: it is a source under content/ or a sealed file; nothing written"
        ),
    )
    .in_file(path)
    .hint(msg!(
        "เลือกที่เขียนผลลัพธ์อื่น เช่น output/",
        "choose another place for the output, such as output/"
    ))
    .into()
}

/// `path` as the file system will see it: absolute, with the part that exists resolved (symlinks
/// included) and the rest, which does not exist yet, normalised lexically.
fn resolve(path: &Path) -> PathBuf {
    use std::path::Component;
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    let mut real = loop {
        if let Ok(real) = existing.canonicalize() {
            break real;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => break PathBuf::new(),
        }
    };
    for c in rest.into_iter().rev() {
        match c {
            Component::ParentDir => {
                real.pop();
            }
            Component::Normal(name) => real.push(name),
            _ => {}
        }
    }
    real
}

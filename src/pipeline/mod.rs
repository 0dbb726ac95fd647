//! The pipeline: the one way from a year's YAML to its PDF, below every command. A [`Session`]
//! owns what its builds keep for the next (parsed files, word marks, the typst World, the text
//! layer); [`Session::check`] loads, checks and derives a year, [`Session::render`] fills the
//! templates, [`Session::typeset`] compiles and exports, and [`Session::produce`] does all of it,
//! returning everything a command needs ([`Produced`]), with the checks of the values' texts
//! run beside typst's layout ([`crate::model::TextChecks`]). [`write`](mod@write) is the last stage: the PDF
//! written atomically, unless a seal forbids it. [`config`] turns what a user asked for into a
//! checked [`BuildConfig`]; [`batch`] and [`workers`] run many builds on the cores.
//!
//! Commands (`crate::cmd`) coordinate these and never each other; they read each file and seal
//! once ([`Project`]) and never read their own output back.

pub mod batch;
pub mod config;
pub mod project;
pub mod workers;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use config::{BuildArgs, BuildConfig};
pub use project::{Project, Protected, Years};

use std::sync::Arc;

use crate::content::Drafts;
use crate::derive::Figures;
use crate::diag::{Code, Diagnostic, Diagnostics, SourceMap};
use crate::fonts::ProjectFonts;
use crate::model::Report;
use crate::msg;
use crate::seal::{self, Entry};
use crate::template::Digits;
use crate::{content, derive, model, pdf, template, words};

/// Loads, checks and derives `year` of the project at `root` in a session of its own: a
/// one-off, for tools and tests that need the figures without a command.
pub fn check(root: &Path, year: i32, sources: &mut SourceMap) -> Result<Checked, Diagnostics> {
    let project = Project::open(root)?;
    Session::default().check(&project, year, sources)
}

/// How long each stage took, printed as progress.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    pub load: Duration,
    pub check: Duration,
    pub render: Duration,
    pub compile: Duration,
}

impl Timings {
    /// From the content loaded to the PDF made.
    pub fn total(&self) -> Duration {
        self.load + self.check + self.render + self.compile
    }
}

/// A year loaded, checked and derived: what `check` needs, and what the site prints besides
/// the PDF.
pub struct Checked {
    pub year: i32,
    pub report: Report,
    pub figures: Figures,
    /// Warnings so far (errors stop the pipeline).
    pub warnings: Diagnostics,
    /// The year's source files as they were read, with their SHA-256: what a seal records and is
    /// compared with, so no command reads them a second time.
    pub files: Vec<Entry>,
}

/// The text checks of a year whose other checks passed ([`model::TextChecks`]), with the fonts
/// they check its characters against.
struct TextsToCheck {
    texts: model::TextChecks,
    fonts: Arc<ProjectFonts>,
}

impl TextsToCheck {
    fn run(&self) -> Diagnostics {
        self.texts.run(self.fonts.coverage())
    }

    /// The year's files as written, for the render to segment their words ahead.
    fn content(&self) -> Vec<&str> {
        self.texts.content()
    }
}

/// A year carried as far as its generated Typst source.
pub struct Rendered {
    pub checked: Checked,
    /// The generated Typst source, with the word-break marks.
    pub typst: String,
}

/// A year carried all the way: the PDF in memory, not yet written.
pub struct Produced {
    pub checked: Checked,
    pub typst: String,
    pub pdf: Vec<u8>,
    pub timings: Timings,
}

/// What the builds of one owner keep for the next build: the parsed YAML files and what marking
/// the words found. Whoever runs the builds holds it (a `watch`, each thread of a batch, each
/// worker process, a benchmark) and drops it when done, as typst-cli's `SystemWorld` owns its
/// slots; nothing is kept in statics. A fresh one builds as a cold build does.
#[derive(Default)]
pub struct Caches {
    /// Files parsed, by type and text.
    pub parsed: content::ParsedFiles,
    /// Pieces segmented, texts marked, the source marked last.
    pub words: words::WordMemo,
}

/// Builds by one owner, which keeps their [`Caches`]; under `watch` also one typst World, so
/// typst's incremental compilation reuses the work of the previous build. A one-off build uses a
/// fresh session, a batch one session a thread.
#[derive(Default)]
pub struct Session {
    /// The World of the previous build under `watch`; other sessions start each report with a
    /// new one, since the next report may be another project's.
    world: Option<pdf::ReportWorld>,
    caches: Caches,
    /// The PDF text layer, made at the first export: under `watch` it remembers the pages it
    /// rewrote, and dropping the session drops them.
    text_layer: Option<pdf_textlayer::TextLayer>,
    /// Rebuilds of one report under `watch`: see [`Session::watching`].
    watching: bool,
    /// Under `watch`, the template environment, with the state of the template files it was made
    /// for: minijinja keeps the templates it has parsed (a third of rendering a rebuild's source).
    templates: Option<(Vec<FileState>, Digits, minijinja::Environment<'static>)>,
    /// Time spent so far on the year in hand, by stage.
    timings: Timings,
    /// The project's fonts as vetted for the last build: for its check and its World, and under
    /// `watch` for every rebuild (a change in fonts/ starts a new session).
    fonts: Option<Arc<ProjectFonts>>,
}

/// A file's path, size and modification time: what `watch` compares to see a change.
pub type FileState = (PathBuf, u64, Option<std::time::SystemTime>);

/// The state of every file under `dir`, sorted.
pub fn files_state(dir: &Path) -> Vec<FileState> {
    let mut files: Vec<FileState> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            Some((e.path().to_path_buf(), meta.len(), meta.modified().ok()))
        })
        .collect();
    files.sort();
    files
}

impl Session {
    /// A session for rebuilds of the same report (`watch`):
    /// - the text layer remembers its pages, since typst writes most of them unchanged after an
    ///   edit. One-off builds and batches do not, since no page repeats there (each carries the
    ///   agency's name and scores) and hashing 1 MB of page content a report is wasted;
    /// - the template environment is kept while the template files are unchanged;
    /// - the PDF is not synced to disk before it replaces the previous one (1.5 ms of a 66 ms
    ///   rebuild): it is a preview, replaced at the next save. The rename still never leaves a
    ///   partial file, and `build`, which publishing and archiving use, syncs.
    pub fn watching() -> Self {
        Self {
            watching: true,
            ..Self::default()
        }
    }

    /// The project fonts vetted for the last year checked, if any was.
    pub fn fonts(&self) -> Option<&ProjectFonts> {
        self.fonts.as_deref()
    }

    /// Whether this session rebuilds one report (`watch`): its PDFs are previews.
    pub fn is_watching(&self) -> bool {
        self.watching
    }

    /// Loads, checks and derives `year` of `project`; nothing is written.
    pub fn check(
        &mut self,
        project: &Project,
        year: i32,
        sources: &mut SourceMap,
    ) -> Result<Checked, Diagnostics> {
        self.guarded(|s| s.check_unguarded(project.root(), year, &Drafts::new(), sources))
    }

    /// [`Session::check`] with some files' texts not saved yet in `drafts`: the browser editor's
    /// check as a person types.
    pub fn check_draft(
        &mut self,
        project: &Project,
        year: i32,
        drafts: &Drafts,
        sources: &mut SourceMap,
    ) -> Result<Checked, Diagnostics> {
        self.guarded(|s| s.check_unguarded(project.root(), year, drafts, sources))
    }

    fn check_unguarded(
        &mut self,
        root: &Path,
        year: i32,
        drafts: &Drafts,
        sources: &mut SourceMap,
    ) -> Result<Checked, Diagnostics> {
        let (mut checked, texts) = self.check_but_texts(root, year, drafts, sources)?;
        checked.warnings.extend(texts.run());
        match checked.warnings.has_errors() {
            true => Err(checked.warnings),
            false => Ok(checked),
        }
    }

    /// The checks but the text checks, which are returned to be run: a build runs them beside
    /// typst's layout ([`Session::produce`]). Errors of the others come with theirs.
    fn check_but_texts(
        &mut self,
        root: &Path,
        year: i32,
        drafts: &Drafts,
        sources: &mut SourceMap,
    ) -> Result<(Checked, TextsToCheck), Diagnostics> {
        self.timings = Timings::default();
        let t = Instant::now();
        // Vetted once for the check and the World (a font refused is an error of the check, a
        // file skipped a warning), on the other core while the year's files are read and parsed,
        // with typst's own constant data (its library, the font book's hash) made ready for the
        // layout.
        let kept = match &self.fonts {
            Some(fonts) if self.watching => Some(Arc::clone(fonts)),
            _ => None,
        };
        let parsed = &self.caches.parsed;
        let (fonts, raw) = crate::par::join(
            || {
                let fonts = kept.unwrap_or_else(|| Arc::new(ProjectFonts::load(root)));
                pdf::warm_up(&fonts.font_set());
                fonts
            },
            || content::load_year(root, year, sources, parsed, drafts),
        );
        self.fonts = Some(Arc::clone(&fonts));
        let mut warnings = fonts.problems().clone();
        let mut raw = match raw {
            Ok(raw) => raw,
            Err(d) => {
                warnings.extend(d);
                return Err(warnings);
            }
        };
        self.timings.load = t.elapsed();
        let t = Instant::now();
        let ids = [
            raw.agency.file,
            raw.assessment.file,
            raw.scores.file,
            raw.recommendations.file,
            raw.analysis.file,
            raw.measures.file,
        ];
        let files = content::FILES
            .iter()
            .zip(ids)
            .map(|(name, file)| Entry {
                path: format!("content/{year}/{name}"),
                sha256: seal::sha256_hex(sources.text(file).as_bytes()),
            })
            .collect();
        let loaded = std::mem::take(&mut raw.warnings);
        // The content's words segmented on the other core while the content is checked, and no
        // longer (in a batch no core is idle: the check then runs first and the warming not).
        let sources = &*sources;
        let texts: Vec<&str> = ids.iter().map(|&f| sources.text(f)).collect();
        let words = &self.caches.words;
        let checked = crate::par::meanwhile(
            || model::check(raw, sources, fonts.coverage()),
            |checked_all| words.warm(&texts, checked_all),
        );
        let (mut report, texts) = match checked {
            Ok(checked) => checked,
            Err(d) => {
                warnings.extend(d);
                return Err(warnings);
            }
        };
        warnings.extend(loaded);
        warnings.extend(std::mem::take(&mut report.warnings));
        let figures = derive::derive(&report, &mut warnings);
        self.timings.check = t.elapsed();
        if warnings.has_errors() {
            warnings.extend(texts.run(fonts.coverage()));
            return Err(warnings);
        }
        let checked = Checked {
            year,
            report,
            figures,
            warnings,
            files,
        };
        Ok((checked, TextsToCheck { texts, fonts }))
    }

    /// [`Session::check`], then the templates filled into the report's Typst source.
    pub fn render(
        &mut self,
        project: &Project,
        year: i32,
        digits: Digits,
        sources: &mut SourceMap,
    ) -> Result<Rendered, Diagnostics> {
        self.guarded(|s| {
            let checked = s.check_unguarded(project.root(), year, &Drafts::new(), sources)?;
            s.render_checked(project.root(), checked, digits, &[])
        })
    }

    fn render_checked(
        &mut self,
        root: &Path,
        checked: Checked,
        digits: Digits,
        content: &[&str],
    ) -> Result<Rendered, Diagnostics> {
        let t = Instant::now();
        let dir = root.join("templates");
        let state = if self.watching {
            files_state(&dir)
        } else {
            Vec::new()
        };
        let env = match self.templates.take() {
            Some((s, d, env)) if s == state && d == digits => env,
            _ => template::environment(Some(&dir), digits),
        };
        let rendered = template::render_with(
            &env,
            &checked.report,
            &checked.figures,
            digits,
            &self.caches.words,
            content,
        );
        if self.watching {
            self.templates = Some((state, digits, env));
        }
        let typst = rendered?;
        self.timings.render = t.elapsed();
        Ok(Rendered { checked, typst })
    }

    /// Compiles a rendered year with typst and exports its PDF, in memory.
    pub fn typeset(
        &mut self,
        project: &Project,
        rendered: Rendered,
        sources: &mut SourceMap,
    ) -> Result<Produced, Diagnostics> {
        self.guarded(|s| s.typeset_unguarded(project.root(), rendered, sources))
    }

    fn typeset_unguarded(
        &mut self,
        root: &Path,
        rendered: Rendered,
        sources: &mut SourceMap,
    ) -> Result<Produced, Diagnostics> {
        let Rendered { mut checked, typst } = rendered;
        let t = Instant::now();
        if !self.watching {
            self.world = None;
        }
        let world = match &mut self.world {
            Some(world) => {
                world.set_source(typst.clone());
                world
            }
            None => {
                let fonts = match &self.fonts {
                    Some(fonts) => Arc::clone(fonts),
                    None => Arc::new(ProjectFonts::load(root)),
                };
                let mut world = pdf::ReportWorld::with_fonts(root, typst.clone(), None, &fonts);
                if self.watching {
                    world.keep_for_rebuilds();
                }
                self.world.insert(world)
            }
        };
        let report = &checked.report;
        let ident = format!("oit025/{}/{}", report.agency.name, report.fiscal_year);
        let templates = root.join("templates");
        let watching = self.watching;
        let text_layer = (self.text_layer).get_or_insert_with(|| pdf::text_layer(watching));
        let (pdf, typst_warnings) =
            pdf::compile(world, &pdf::ExportOptions { ident }, text_layer, sources)
                .map_err(|d| trace_to_templates(d, &templates, sources))?;
        let typst_warnings = trace_to_content(typst_warnings, sources);
        checked
            .warnings
            .extend(trace_to_templates(typst_warnings, &templates, sources));
        self.timings.compile = t.elapsed();
        Ok(Produced {
            checked,
            typst,
            pdf,
            timings: std::mem::take(&mut self.timings),
        })
    }

    /// Loads, checks, derives, renders and typesets `year` of `project`: the PDF in memory, with
    /// everything that went into it.
    pub fn produce(
        &mut self,
        project: &Project,
        year: i32,
        digits: Digits,
        sources: &mut SourceMap,
    ) -> Result<Produced, Diagnostics> {
        self.guarded(|s| {
            let (checked, texts) =
                s.check_but_texts(project.root(), year, &Drafts::new(), sources)?;
            let rendered = s.render_checked(project.root(), checked, digits, &texts.content())?;
            // The text checks on the core typst's layout leaves idle; an error of theirs fails
            // the build as it would have before the layout.
            let before = rendered.checked.warnings.clone();
            let root = project.root();
            let (produced, found) = crate::par::join(
                || s.typeset_unguarded(root, rendered, sources),
                || texts.run(),
            );
            match (produced, found.has_errors()) {
                (Ok(mut p), false) => {
                    let at = before.0.len();
                    p.checked.warnings.0.splice(at..at, found.0);
                    Ok(p)
                }
                (_, true) => {
                    let mut warnings = before;
                    warnings.extend(found);
                    Err(warnings)
                }
                (Err(d), false) => Err(d),
            }
        })
    }

    /// Runs `f`, turning a panic in it (a bug in typst or oit025, never a fault of the content)
    /// into an error, so that `watch` goes on and a batch builds its other reports. The World
    /// and the caches may hold half-done work after a panic: they are dropped, and the next
    /// build starts cold.
    pub fn guarded<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, Diagnostics>,
    ) -> Result<T, Diagnostics> {
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(self)));
        caught.unwrap_or_else(|payload| {
            self.world = None;
            self.caches = Caches::default();
            self.text_layer = None;
            pdf::evict_caches(0);
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(Diagnostic::error(Code::InternalPanic, msg!(
                "เกิดข้อผิดพลาดภายในโปรแกรมระหว่างสร้างรายงาน ({what}) ไม่ได้เขียนไฟล์ใด ๆ",
                "internal error while building the report ({what}); nothing written"
            ))
            .hint(msg!(
                "นี่เป็นข้อบกพร่องของ oit025 หรือ typst ไม่ใช่ของข้อมูล โปรดแจ้งผู้ดูแลพร้อมไฟล์ใน content/",
                "this is a bug in oit025 or typst, not in the content: please report it with the files in content/"
            ))
            .into())
        })
    }
}

/// At most [`EXCERPT`] characters of a generated line around character `at`: a line of a
/// template loop can hold thousands, which a note need not repeat.
fn excerpt(line: &str, at: usize) -> String {
    const EXCERPT: usize = 160;
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= EXCERPT {
        return line.to_string();
    }
    let from = at.saturating_sub(EXCERPT / 4).min(chars.len() - EXCERPT);
    let to = from + EXCERPT;
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    out.extend(&chars[from..to]);
    if to < chars.len() {
        out.push('…');
    }
    out
}

/// Points a warning about text too wide for its cell at the text in the content's YAML, where
/// the user can change it: the text's first occurrence in the year's files, the later files first
/// (the tables print measures.yaml and analysis.yaml; agency.yaml defines the codes they repeat).
/// Text the templates wrote, found in no file, stays for [`trace_to_templates`].
fn trace_to_content(diags: Diagnostics, sources: &SourceMap) -> Diagnostics {
    let content: Vec<usize> = (sources.ids().rev())
        .filter(|&id| {
            let name = sources.name(id);
            name.extension().is_some_and(|e| e == "yaml")
                && name
                    .parent()
                    .and_then(Path::parent)
                    .and_then(Path::file_name)
                    == Some("content".as_ref())
        })
        .collect();
    let traced = diags.0.into_iter().map(|mut d| {
        let Some(loc) = d.location.clone() else {
            return d;
        };
        if !matches!(d.code, Code::LayoutTooWide | Code::LayoutOverflow) {
            return d;
        }
        let text = sources.text(loc.file);
        let Some(piece) = text.get(loc.range.clone()) else {
            return d;
        };
        let piece = crate::marks::strip(piece).replace('\\', "");
        let piece = piece.trim();
        if piece.is_empty() {
            return d;
        }
        let found = content.iter().find_map(|&id| {
            let at = sources.text(id).find(piece)?;
            Some(crate::diag::Location {
                file: id,
                range: at..at + piece.len(),
            })
        });
        if found.is_some() {
            d.location = found;
        }
        d
    });
    // A code printed in several cells is one place to change, and one warning (the first).
    let mut seen = Vec::new();
    Diagnostics(
        traced
            .filter(|d| {
                let layout = matches!(d.code, Code::LayoutTooWide | Code::LayoutOverflow);
                if !layout || d.location.is_none() {
                    return true;
                }
                let key = (d.code, d.location.clone());
                let new = !seen.contains(&key);
                if new {
                    seen.push(key);
                }
                new
            })
            .collect(),
    )
}

/// Points typst diagnostics at the template line that produced the generated line, keeping the
/// generated line as a note: a typst error is a template error, since user text is always escaped.
/// The templates are read from `dir` (the project's, or the bundled ones where it has none).
fn trace_to_templates(diags: Diagnostics, dir: &Path, sources: &mut SourceMap) -> Diagnostics {
    // Read only for a problem to trace: most builds have none.
    if diags.0.iter().all(|d| d.location.is_none()) {
        return diags;
    }
    let templates = &template::template_sources(Some(dir));
    let mut ids = std::collections::HashMap::new();
    let traced = diags.0.into_iter().map(|mut d| {
        let Some(loc) = d.location.clone() else {
            return d;
        };
        let text = sources.text(loc.file);
        let start = text[..loc.range.start.min(text.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let line = crate::marks::strip(&text[start..end]).into_owned();
        let at = crate::marks::strip(&text[start..loc.range.start.clamp(start, end)])
            .chars()
            .count();
        if let Some((name, range)) = template::origin_of(&line, templates) {
            let file = *ids.entry(name).or_insert_with(|| {
                let text = templates
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, t)| t.clone())
                    .unwrap_or_default();
                sources.add(&Path::new("templates").join(name), text)
            });
            let (l, _) = sources.line_col(loc.file, loc.range.start);
            let line = excerpt(&line, at);
            d.location = Some(crate::diag::Location { file, range });
            d = d.hint(msg!(
                "ในไฟล์ Typst ที่สร้างขึ้น บรรทัด {l}: {line}",
                "generated Typst, line {l}: {line}"
            ));
        }
        d
    });
    Diagnostics(traced.collect())
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn a_long_generated_line_is_shown_around_its_place() {
        let line = format!("{}X{}", "ก".repeat(1000), "ข".repeat(1000));
        let shown = excerpt(&line, 1000);
        assert_eq!(shown.chars().count(), 162);
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert!(shown.contains('X'));
        assert_eq!(excerpt("สั้น", 2), "สั้น");
        assert!(excerpt(&"a".repeat(500), 0).starts_with("aaa"));
    }
}

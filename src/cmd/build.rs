//! `build`, and stage 7, write: drives the stages for one fiscal year and writes the results. The
//! PDF goes to a temporary file beside the target and is renamed into place
//! ([`crate::files::write_file`]), so a failed build never leaves a partial file or replaces an
//! earlier good PDF. A [`Session`] owns what its builds keep for the next ([`Caches`]).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::cmd::archive;
use crate::diag::{Diagnostic, Diagnostics, SourceMap};
use crate::model::Report;
use crate::msg;
use crate::template::Digits;
use crate::{content, derive, model, pdf, template, words};

/// What to build, checked before any work starts.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct BuildConfig {
    /// The project folder (holds `content/`, `templates/`, `output/`).
    pub root: PathBuf,
    pub year: i32,
    pub out: PathBuf,
    pub emit_typst: Option<PathBuf>,
    pub digits: Digits,
    /// Replace a sealed year's PDF even when the new one differs.
    pub force: bool,
    /// In a batch of many projects (`--projects`), the project folder, named in the batch's
    /// progress lines and before the file names of its diagnostics.
    #[serde(default)]
    pub project: Option<PathBuf>,
}

impl BuildConfig {
    /// Resolves the defaults: the latest year under `content/`, `output/<year>/oit025-<year>.pdf`.
    pub fn new(
        root: PathBuf,
        year: Option<i32>,
        out: Option<PathBuf>,
        emit_typst: Option<PathBuf>,
        digits: Digits,
    ) -> Result<Self, Diagnostics> {
        let year = match year {
            Some(y) => y,
            None => *content::years(&root)?.last().unwrap_or(&0),
        };
        let out = out.unwrap_or_else(|| {
            root.join("output")
                .join(year.to_string())
                .join(format!("oit025-{year}.pdf"))
        });
        Ok(Self {
            force: false,
            project: None,
            root,
            year,
            out,
            emit_typst,
            digits,
        })
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
    /// The project's content folder and the published PDF of every sealed year.
    pub fn of(root: &Path) -> Self {
        let years = content::years(root).unwrap_or_default();
        let sealed = years
            .into_iter()
            .filter_map(|y| archive::read_seal(root, y).ok().flatten())
            .map(|seal| resolve(&root.join(&seal.pdf.path)))
            .collect();
        Self {
            content: resolve(&root.join("content")),
            sealed,
        }
    }

    /// An error if writing the file `path` would replace a source or a sealed file. `own_seal`
    /// is the one sealed file this write may replace (a year's PDF, which [`Session::build`]
    /// replaces only when it is identical or forced).
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
        crate::diag::Code::OutputProtected,
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

/// Timings of the stages, printed as progress.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    pub load: Duration,
    pub check: Duration,
    pub render: Duration,
    pub compile: Duration,
}

/// A successful build.
pub struct Built {
    pub pdf: PathBuf,
    pub bytes: usize,
    pub warnings: Diagnostics,
    pub timings: Timings,
}

/// Loads, checks and derives a year without writing anything (a one-off: nothing is kept).
pub fn check(
    root: &Path,
    year: i32,
    sources: &mut SourceMap,
) -> Result<(Report, derive::Figures, Diagnostics), Diagnostics> {
    check_with(root, year, sources, &Caches::default())
}

/// [`check`], reusing the files `caches` holds parsed.
pub fn check_with(
    root: &Path,
    year: i32,
    sources: &mut SourceMap,
    caches: &Caches,
) -> Result<(Report, derive::Figures, Diagnostics), Diagnostics> {
    let mut raw = content::load_year(root, year, sources, &caches.parsed)?;
    let mut diags = std::mem::take(&mut raw.warnings);
    let mut report = model::check(raw, sources)?;
    diags.extend(std::mem::take(&mut report.warnings));
    let figures = derive::derive(&report, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    Ok((report, figures, diags))
}

/// Builds one year's PDF and writes it, unless the year is sealed and the PDF would change.
pub fn build(cfg: &BuildConfig, sources: &mut SourceMap) -> Result<Built, Diagnostics> {
    Session::default().build(cfg, sources)
}

/// Checks, renders and compiles one year; returns the PDF without writing it.
pub fn produce(
    cfg: &BuildConfig,
    sources: &mut SourceMap,
) -> Result<(Vec<u8>, Built), Diagnostics> {
    Session::default().guarded(|s| s.produce(cfg, sources))
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
    templates: Option<(
        Vec<FileState>,
        template::Digits,
        minijinja::Environment<'static>,
    )>,
}

/// A file's path, size and modification time: what `watch` compares to see a change.
pub(crate) type FileState = (PathBuf, u64, Option<std::time::SystemTime>);

/// The state of every file under `dir`, sorted.
pub(crate) fn files_state(dir: &Path) -> Vec<FileState> {
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

    /// Builds one year's PDF and writes it, unless the year is sealed and the PDF would change.
    pub fn build(
        &mut self,
        cfg: &BuildConfig,
        sources: &mut SourceMap,
    ) -> Result<Built, Diagnostics> {
        let (bytes, mut built) = self.guarded(|s| s.produce(cfg, sources))?;
        if let Some(seal) = archive::read_seal(&cfg.root, cfg.year)?
            && archive::sha256_hex(&bytes) != seal.pdf.sha256
        {
            let year = cfg.year;
            if !cfg.force {
                let now = archive::source_entries(&cfg.root, year)?;
                let mut d = Diagnostic::error(crate::diag::Code::SealYearSealed, msg!(
                "ปีงบประมาณ {year} ปิดผนึกแล้ว และ PDF ที่สร้างใหม่ต่างจากฉบับที่เผยแพร่ จึงไม่ได้เขียนไฟล์",
                "fiscal year {year} is sealed and the new PDF differs from the published one; nothing written"
            ))
            .in_file(archive::seal_path(&cfg.root, year));
                // The sources edited since the seal: the PDFs differ by the premise.
                for difference in archive::compare(&seal, &now, &bytes, Some(&bytes)) {
                    if let archive::Difference::SourceChanged { .. } = difference {
                        d = d.hint(difference.message());
                    }
                }
                return Err(d
                .hint(msg!(
                    "ถ้าตั้งใจแก้ฉบับที่เผยแพร่แล้ว ใช้ --force แล้วรัน oit025 archive อีกครั้ง",
                    "to change a published year on purpose, use --force, then run oit025 archive again"
                ))
                .into());
            }
            built.warnings.push(Diagnostic::warning(
                crate::diag::Code::SealReplaced,
                msg!(
                    "เขียนทับ PDF ของปี {year} ที่ปิดผนึกแล้ว (--force): ผนึกเดิมไม่ตรงอีกต่อไป",
                    "replaced the sealed PDF of {year} (--force): the seal no longer matches"
                ),
            ));
        }
        crate::files::write_file(&cfg.out, &bytes, !self.watching)?;
        Ok(built)
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
            Err(Diagnostic::error(crate::diag::Code::InternalPanic, msg!(
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

    /// Checks, renders and compiles one year; returns the PDF without writing it.
    pub fn produce(
        &mut self,
        cfg: &BuildConfig,
        sources: &mut SourceMap,
    ) -> Result<(Vec<u8>, Built), Diagnostics> {
        let protected = Protected::of(&cfg.root);
        let own_seal = archive::read_seal(&cfg.root, cfg.year)
            .ok()
            .flatten()
            .map(|seal| cfg.root.join(seal.pdf.path));
        protected.check_file(&cfg.out, own_seal.as_deref())?;
        if let Some(path) = &cfg.emit_typst {
            protected.check_file(path, None)?;
        }
        if !self.watching {
            self.world = None;
        }
        let mut timings = Timings::default();
        let t = Instant::now();
        let (report, figures, mut warnings) =
            check_with(&cfg.root, cfg.year, sources, &self.caches)?;
        timings.check = t.elapsed();

        let t = Instant::now();
        let dir = cfg.root.join("templates");
        let state = if self.watching {
            files_state(&dir)
        } else {
            Vec::new()
        };
        let env = match self.templates.take() {
            Some((s, digits, env)) if s == state && digits == cfg.digits => env,
            _ => template::environment(Some(&dir), cfg.digits),
        };
        let rendered =
            template::render_with(&env, &report, &figures, cfg.digits, &self.caches.words);
        if self.watching {
            self.templates = Some((state, cfg.digits, env));
        }
        let typst_source = rendered?;
        timings.render = t.elapsed();
        if let Some(path) = &cfg.emit_typst {
            crate::files::write_atomic(path, typst_source.as_bytes())?;
        }

        let t = Instant::now();
        let world = match &mut self.world {
            Some(world) => {
                world.set_source(typst_source);
                world
            }
            None => self
                .world
                .insert(pdf::ReportWorld::new(&cfg.root, typst_source, None)),
        };
        let ident = format!("oit025/{}/{}", report.agency.name, report.fiscal_year);
        let templates = template::template_sources(Some(&cfg.root.join("templates")));
        let watching = self.watching;
        let text_layer = (self.text_layer).get_or_insert_with(|| pdf::text_layer(watching));
        let (bytes, typst_warnings) =
            pdf::compile(world, &pdf::ExportOptions { ident }, text_layer, sources)
                .map_err(|d| trace_to_templates(d, &templates, sources))?;
        let typst_warnings = trace_to_templates(typst_warnings, &templates, sources);
        warnings.extend(typst_warnings);
        timings.compile = t.elapsed();

        let built = Built {
            pdf: cfg.out.clone(),
            bytes: bytes.len(),
            warnings,
            timings,
        };
        Ok((bytes, built))
    }
}

/// Points typst diagnostics at the template line that produced the generated line, keeping the
/// generated line as a note: a typst error is a template error, since user text is always escaped.
fn trace_to_templates(
    diags: Diagnostics,
    templates: &[(&'static str, String)],
    sources: &mut SourceMap,
) -> Diagnostics {
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
        let line = text[start..end].replace(crate::words::BREAK, "");
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

/// The outcome of one build among many: the year, and either the PDF written or why not. It
/// crosses from a worker process to the one that started it as a line of JSON
/// ([`crate::cmd::workers`]).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Outcome {
    pub year: i32,
    /// The project folder, in a batch of many projects.
    #[serde(default)]
    pub project: Option<PathBuf>,
    pub result: Result<Written, String>,
    /// Warnings and errors, rendered, ready to print.
    pub report: String,
}

/// A PDF a build among many wrote.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Written {
    pub pdf: PathBuf,
    pub bytes: usize,
    /// From the content loaded to the PDF written.
    pub took: Duration,
}

/// Builds one report of many in `session` (which keeps what the next report may reuse), its
/// diagnostics rendered for printing.
pub fn build_one(session: &mut Session, cfg: &BuildConfig) -> Outcome {
    let mut sources = cfg
        .project
        .as_deref()
        .map_or_else(SourceMap::default, SourceMap::within);
    match session.build(cfg, &mut sources) {
        Ok(built) => Outcome {
            year: cfg.year,
            project: cfg.project.clone(),
            report: sources.render(&built.warnings.0),
            result: Ok(Written {
                pdf: built.pdf,
                bytes: built.bytes,
                took: built.timings.check + built.timings.render + built.timings.compile,
            }),
        },
        Err(diags) => Outcome {
            year: cfg.year,
            project: cfg.project.clone(),
            report: sources.render(&diags.0),
            result: Err(format!(
                "{} error(s)",
                diags.0.iter().filter(|d| d.is_error()).count()
            )),
        },
    }
}

/// Builds many years (or agencies) with `jobs` threads of this process; fonts and the typst
/// library are parsed once and shared. The threads form one rayon pool, which typst's own parallel
/// layout and [`crate::par`] then run in too: `--jobs 1` builds on one core, and two jobs do not
/// each start work for all cores (measured on 40 agencies: 1.24x from a second job when every
/// report used its own threads). The binary builds on more than one core with
/// [`crate::cmd::workers`] instead, one process a core. `progress` sees each outcome as it finishes.
pub fn build_many(
    configs: Vec<BuildConfig>,
    jobs: usize,
    progress: impl Fn(&Outcome) + Sync,
) -> Vec<Outcome> {
    let jobs = jobs.clamp(1, configs.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let outcomes = std::sync::Mutex::new(Vec::with_capacity(configs.len()));
    let work = || {
        // Each thread's builds keep their caches for its next report, and drop them at the end.
        let mut session = Session::default();
        loop {
            let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(cfg) = configs.get(k) else { break };
            let outcome = build_one(&mut session, cfg);
            // typst's memoized results would otherwise pile up for every report of the run;
            // those of the last few builds stay for the next to reuse.
            crate::pdf::evict_caches(2 * jobs);
            progress(&outcome);
            outcomes
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(outcome);
        }
    };
    match rayon::ThreadPoolBuilder::new().num_threads(jobs).build() {
        Ok(pool) => pool.scope(|scope| {
            for _ in 0..jobs {
                scope.spawn(|_| work());
            }
        }),
        // No pool (the system refused threads): one by one on this thread.
        Err(_) => work(),
    }
    let mut outcomes = outcomes.into_inner().unwrap_or_else(|e| e.into_inner());
    outcomes.sort_by_key(|o| o.year);
    outcomes
}

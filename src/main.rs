//! The `oit025` command: parses arguments, runs one subcommand, prints diagnostics once.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use oit025::build::{self, BuildConfig};
use oit025::diag::{Diagnostics, SourceMap};
use oit025::template::Digits;

/// Builds the OIT o25 report (การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร) as a PDF from YAML.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args)]
struct Project {
    /// Project folder holding content/, templates/ and output/ (โฟลเดอร์โปรเจกต์)
    #[arg(long, short = 'C', default_value = ".")]
    root: PathBuf,
    /// Fiscal year in Buddhist Era, e.g. 2569 (ปีงบประมาณ); default: the latest under content/
    #[arg(long)]
    year: Option<i32>,
}

impl Project {
    /// The years a command works on: all of them, the one asked for, or the latest.
    fn years(&self, all: bool) -> Result<Vec<i32>, Diagnostics> {
        let years = oit025::content::years(&self.root)?;
        Ok(match (all, self.year) {
            (true, _) => years,
            (false, Some(y)) => vec![y],
            (false, None) => years.last().copied().into_iter().collect(),
        })
    }
}

/// How `check` prints the problems it finds.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new agency's project: a year to fill in, which `check` lists until it is done
    /// (สร้างโปรเจกต์ใหม่)
    Init {
        /// Folder to create
        dir: PathBuf,
        /// Full name of the agency, e.g. เทศบาลตำบลห้วยทรายทอง (ชื่อเต็มของหน่วยงาน)
        #[arg(long, required_unless_present = "example")]
        agency: Option<String>,
        /// The agency's abbreviation, e.g. ทต.ห้วยทรายทอง (อักษรย่อ)
        #[arg(long, required_unless_present = "example")]
        abbreviation: Option<String>,
        /// Write the bundled FY 2569 report of another agency instead, as an example (รายงานตัวอย่าง)
        #[arg(long)]
        example: bool,
    },
    /// Check the content and write the PDF (ตรวจข้อมูลแล้วสร้าง PDF)
    Build {
        #[command(flatten)]
        project: Project,
        /// Build every fiscal year under content/, each to output/<year>/ (ทุกปีงบประมาณ)
        #[arg(long, conflicts_with_all = ["year", "out", "emit_typst"])]
        all: bool,
        /// A file listing project folders, one per line: build the latest year of each (many agencies)
        #[arg(long, conflicts_with_all = ["all", "year", "out", "emit_typst"])]
        projects: Option<PathBuf>,
        /// Reports built at the same time with --all or --projects, one core each; default: the number of CPUs
        #[arg(long)]
        jobs: Option<usize>,
        /// Where to write the PDF; default output/<year>/oit025-<year>.pdf
        #[arg(long)]
        out: Option<PathBuf>,
        /// Also write the generated Typst source here
        #[arg(long)]
        emit_typst: Option<PathBuf>,
        /// Digits for generated numbers, dates and page numbers
        #[arg(long, value_enum, default_value_t = Digits::Thai)]
        digits: Digits,
        /// Replace a sealed year's PDF even though it changes (แก้ไขปีที่ปิดผนึกแล้ว)
        #[arg(long)]
        force: bool,
    },
    /// Load, check and derive without writing anything (ตรวจข้อมูลอย่างเดียว)
    Check {
        #[command(flatten)]
        project: Project,
        /// Check every fiscal year under content/
        #[arg(long, conflicts_with = "year")]
        all: bool,
        /// How problems are printed: `human` (stderr) or `json` (one object a line on stdout, for
        /// editors and CI)
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Write the JSON Schemas of the content files, for editors (เขียน JSON Schema สำหรับโปรแกรมแก้ไข)
    Schema {
        /// Project folder
        #[arg(long, short = 'C', default_value = ".")]
        root: PathBuf,
        /// Folder to write; default content/schemas/ of the project
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Build, then rebuild on every change to content/, templates/ or fonts/ (สร้างใหม่ทุกครั้งที่แก้ไฟล์)
    Watch {
        #[command(flatten)]
        project: Project,
        /// Also show the PDF in a browser at http://127.0.0.1:PORT/, reloaded after each rebuild
        /// (แสดง PDF ในเบราว์เซอร์ และโหลดใหม่ทุกครั้งที่สร้างใหม่)
        #[arg(long)]
        serve: bool,
        /// Port for --serve (พอร์ต)
        #[arg(long, default_value_t = 8025)]
        port: u16,
    },
    /// Write the website bundle: PDFs, HTML pages, open data, index (สร้างชุดไฟล์สำหรับเว็บไซต์)
    Publish {
        #[command(flatten)]
        project: Project,
        /// Publish every year under content/ (the default unless --year is given)
        #[arg(long, conflicts_with = "year")]
        all: bool,
        /// Folder to write; default output/site/
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Build a year and seal it: record the SHA-256 of its sources and PDF (ปิดผนึกปีงบประมาณ)
    Archive {
        #[command(flatten)]
        project: Project,
        /// Seal again even if the year's PDF changes
        #[arg(long)]
        force: bool,
    },
    /// Rebuild sealed years and compare them with their seals (ตรวจสอบปีที่ปิดผนึก)
    Verify {
        #[command(flatten)]
        project: Project,
        /// Verify every sealed year under content/
        #[arg(long, conflicts_with = "year")]
        all: bool,
    },
    /// Start the next fiscal year from the previous one (เริ่มปีงบประมาณใหม่)
    New {
        /// The new fiscal year, e.g. 2570
        year: i32,
        /// Project folder
        #[arg(long, short = 'C', default_value = ".")]
        root: PathBuf,
    },
    /// One of the processes of `build --jobs N` (oit025::workers)
    #[command(name = oit025::workers::WORKER_COMMAND, hide = true)]
    Worker,
}

fn main() -> ExitCode {
    // From here to the PDF written: the time `bench/compare.sh` sets against the typst wheel's
    // compile call, both without loading their code or exiting.
    let started = std::time::Instant::now();
    let cli = Cli::parse();
    let mut sources = SourceMap::default();
    let result = match cli.command {
        Command::Build {
            project,
            all: true,
            jobs,
            digits,
            ..
        } => return build_many(year_configs(&project, digits), jobs),
        Command::Build {
            projects: Some(list),
            jobs,
            digits,
            ..
        } => return build_many(project_configs(&list, digits), jobs),
        Command::Init { dir, agency, abbreviation, example } => oit025::init::init(&dir, agency.as_deref(), abbreviation.as_deref(), example).map(|files| {
            for f in files {
                eprintln!("สร้าง / wrote {f}");
            }
            let d = dir.display();
            if example {
                eprintln!("ต่อไป / next: oit025 build -C {d}   (หรือ / or: cd {d} && oit025 build)");
            } else {
                eprintln!("ต่อไป: กรอกข้อมูลในช่องที่เขียนว่า (กรอก) แล้วรัน oit025 check -C {d} / next: fill in every (กรอก), then run oit025 check -C {d}");
            }
            Diagnostics::default()
        }),
        Command::Publish { project, all: _, out } => oit025::content::years(&project.root).and_then(|years| {
            let years = project.year.map_or(years, |y| vec![y]);
            let out = out.unwrap_or_else(|| project.root.join("output").join("site"));
            oit025::publish::publish(&project.root, &years, &out, Digits::Thai).map(|files| {
                eprintln!("เว็บไซต์พร้อมแล้ว / site written: {} ({} files)", out.join("index.html").display(), files.len());
                Diagnostics::default()
            })
        }),
        Command::New { year, root } => oit025::new::new_year(&root, year).map(|files| {
            for f in files {
                eprintln!("สร้าง / wrote {f}");
            }
            eprintln!("ต่อไป: oit025 check --year {year} แสดงสิ่งที่ต้องกรอก / next: `oit025 check --year {year}` lists what is left to fill in");
            Diagnostics::default()
        }),
        Command::Watch { project, serve, port } => BuildConfig::new(project.root, project.year, None, None, Digits::Thai)
            .and_then(|cfg| oit025::watch::watch(&cfg, serve.then_some(port)))
            .map(|()| Diagnostics::default()),
        Command::Archive { project, force } => archive(&project, force, &mut sources),
        Command::Verify { project, all } => verify(&project, all, &mut sources),
        Command::Build {
            project,
            out,
            emit_typst,
            digits,
            force,
            ..
        } => BuildConfig::new(project.root, project.year, out, emit_typst, digits)
            .map(|cfg| BuildConfig { force, ..cfg })
            .and_then(|cfg| {
                eprintln!("กำลังสร้าง / building {} ...", cfg.out.display());
                build::build(&cfg, &mut sources)
            })
            .map(|built| {
                let t = &built.timings;
                eprintln!(
                    "เสร็จ / done: {} ({} KB) in {} ms: check {:.0?}, render {:.0?}, compile+export {:.0?}",
                    built.pdf.display(),
                    built.bytes / 1024,
                    started.elapsed().as_millis(),
                    t.check,
                    t.render,
                    t.compile
                );
                built.warnings
            }),
        Command::Check {
            project,
            all,
            format: Format::Json,
        } => {
            let found = match check(&project, all, &mut sources) {
                Ok(d) | Err(d) => d,
            };
            for d in &found.0 {
                println!("{}", sources.to_json(d));
            }
            return if found.has_errors() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            };
        }
        Command::Check { project, all, .. } => check(&project, all, &mut sources),
        Command::Schema { root, out } => {
            let out = out.unwrap_or_else(|| root.join(oit025::schema::DIR));
            oit025::schema::write(&out).map(|files| {
                for f in files {
                    eprintln!("สร้าง / wrote {f}");
                }
                Diagnostics::default()
            })
        }
        Command::Worker => {
            return match oit025::workers::serve(std::io::stdin().lock(), std::io::stdout().lock()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("worker: {e}");
                    ExitCode::FAILURE
                }
            };
        }
    };
    match result {
        Ok(warnings) => {
            sources.emit(&warnings.0);
            ExitCode::SUCCESS
        }
        Err(diags) => {
            sources.emit(&diags.0);
            let n = diags.0.iter().filter(|d| d.is_error()).count();
            eprintln!("พบข้อผิดพลาด {n} รายการ ไม่ได้เขียนไฟล์ใด ๆ / {n} error(s), nothing written");
            ExitCode::FAILURE
        }
    }
}

/// Builds every year, a progress line per year as it finishes.
/// One build per fiscal year of a project.
fn year_configs(project: &Project, digits: Digits) -> Result<Vec<BuildConfig>, Diagnostics> {
    oit025::content::years(&project.root)?
        .into_iter()
        .map(|y| BuildConfig::new(project.root.clone(), Some(y), None, None, digits))
        .collect()
}

/// One build per project folder listed in a file (the latest year of each).
fn project_configs(
    list: &std::path::Path,
    digits: Digits,
) -> Result<Vec<BuildConfig>, Diagnostics> {
    let text = std::fs::read_to_string(list).map_err(|e| {
        Diagnostics::from(
            oit025::diag::Diagnostic::error(oit025::msg!(
                "อ่านไฟล์ไม่ได้ ({e})",
                "cannot read file ({e})"
            ))
            .in_file(list),
        )
    })?;
    let base = list.parent().unwrap_or(std::path::Path::new("."));
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| BuildConfig::new(base.join(l), None, None, None, digits))
        .collect()
}

/// Builds many reports at once, a progress line each; fonts and the typst library are shared.
fn build_many(configs: Result<Vec<BuildConfig>, Diagnostics>, jobs: Option<usize>) -> ExitCode {
    let configs = match configs {
        Ok(c) => c,
        Err(d) => {
            SourceMap::default().emit(&d.0);
            return ExitCode::FAILURE;
        }
    };
    let jobs = jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let total = configs.len();
    let started = std::time::Instant::now();
    let progress = |o: &build::Outcome| {
        eprint!("{}", o.report);
        match &o.result {
            Ok(b) => eprintln!(
                "ปี {} เสร็จ / {} done: {} ({} KB, {:.0?})",
                o.year,
                o.year,
                b.pdf.display(),
                b.bytes / 1024,
                b.took
            ),
            Err(e) => eprintln!(
                "ปี {} ไม่สำเร็จ / {} failed: {e}, nothing written",
                o.year, o.year
            ),
        }
    };
    // More than one job: worker processes, one a core (see oit025::workers for why not threads).
    let exe = std::env::current_exe();
    let outcomes = match exe {
        Ok(exe) if jobs > 1 && total > 1 => {
            oit025::workers::build_many(&exe, configs, jobs, progress)
        }
        _ => build::build_many(configs, jobs, progress),
    };
    let failed = outcomes.iter().filter(|o| o.result.is_err()).count();
    eprintln!(
        "สร้าง {} จาก {total} รายงาน / built {} of {total} reports in {:.1?}",
        total - failed,
        total - failed,
        started.elapsed()
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Builds a year (the latest by default) and writes its seal.
fn archive(
    project: &Project,
    force: bool,
    sources: &mut SourceMap,
) -> Result<Diagnostics, Diagnostics> {
    let cfg = BuildConfig::new(project.root.clone(), project.year, None, None, Digits::Thai)?;
    let cfg = BuildConfig { force, ..cfg };
    let built = build::build(&cfg, sources)?;
    let bytes = std::fs::read(&built.pdf).map_err(|e| {
        Diagnostics::from(
            oit025::diag::Diagnostic::error(oit025::msg!(
                "อ่านไฟล์ไม่ได้ ({e})",
                "cannot read file ({e})"
            ))
            .in_file(&built.pdf),
        )
    })?;
    let seal = oit025::archive::write_seal(&cfg.root, cfg.year, &built.pdf, &bytes)?;
    eprintln!(
        "ปิดผนึกปี {y} แล้ว / sealed {y}: {} source files, PDF sha256 {}",
        seal.sources.len(),
        seal.pdf.sha256,
        y = cfg.year
    );
    Ok(built.warnings)
}

/// Rebuilds each sealed year in memory and compares sources, rebuilt PDF and published PDF with the seal.
fn verify(
    project: &Project,
    all: bool,
    sources: &mut SourceMap,
) -> Result<Diagnostics, Diagnostics> {
    let chosen = project.years(all)?;
    let mut problems = Diagnostics::default();
    for year in chosen {
        let Some(seal) = oit025::archive::read_seal(&project.root, year)? else {
            eprintln!("ปี {year} ยังไม่ได้ปิดผนึก / {year} is not sealed");
            continue;
        };
        let cfg = BuildConfig::new(project.root.clone(), Some(year), None, None, Digits::Thai)?;
        let (bytes, _) = build::produce(&cfg, sources)?;
        let now = oit025::archive::source_entries(&project.root, year)?;
        let on_disk = std::fs::read(project.root.join(&seal.pdf.path)).ok();
        let found = oit025::archive::compare(&seal, &now, &bytes, on_disk.as_deref());
        if found.is_empty() {
            eprintln!("ปี {year} ตรงกับผนึก / {year} matches its seal");
        }
        for m in found {
            problems.push(
                oit025::diag::Diagnostic::error(m)
                    .in_file(oit025::archive::seal_path(&project.root, year)),
            );
        }
    }
    if problems.has_errors() {
        Err(problems)
    } else {
        Ok(problems)
    }
}

/// Checks one year (the latest by default) or every year; collects the problems of all of them.
fn check(
    project: &Project,
    all: bool,
    sources: &mut SourceMap,
) -> Result<Diagnostics, Diagnostics> {
    let chosen = project.years(all)?;
    let (mut warnings, mut errors) = (Diagnostics::default(), Diagnostics::default());
    for year in chosen {
        match build::check(&project.root, year, sources) {
            Ok((_, _, w)) => {
                eprintln!("ข้อมูลปี {year} ผ่านการตรวจ / content of {year} passes the checks");
                warnings.extend(w);
            }
            Err(d) => {
                eprintln!("ข้อมูลปี {year} มีข้อผิดพลาด / content of {year} has errors");
                errors.extend(d);
            }
        }
    }
    if errors.has_errors() {
        warnings.extend(errors);
        Err(warnings)
    } else {
        Ok(warnings)
    }
}

/// mimalloc instead of the system allocator: typst allocates on its layout threads, and glibc's
/// per-thread arenas grew there with a system call every few pages (1,300 `mprotect` calls in
/// one build); a build took 0.90x the time with mimalloc, measured by alternating the two.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

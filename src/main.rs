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

#[derive(Subcommand)]
enum Command {
    /// Check the content and write the PDF (ตรวจข้อมูลแล้วสร้าง PDF)
    Build {
        #[command(flatten)]
        project: Project,
        /// Build every fiscal year under content/, each to output/<year>/ (ทุกปีงบประมาณ)
        #[arg(long, conflicts_with_all = ["year", "out", "emit_typst"])]
        all: bool,
        /// Years built at the same time with --all; default: the number of CPUs
        #[arg(long, requires = "all")]
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
    },
    /// Load, check and derive without writing anything (ตรวจข้อมูลอย่างเดียว)
    Check {
        #[command(flatten)]
        project: Project,
        /// Check every fiscal year under content/
        #[arg(long, conflicts_with = "year")]
        all: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut sources = SourceMap::default();
    let result = match cli.command {
        Command::Build {
            project,
            all: true,
            jobs,
            digits,
            ..
        } => return build_all(&project, jobs, digits),
        Command::Build {
            project,
            out,
            emit_typst,
            digits,
            ..
        } => BuildConfig::new(project.root, project.year, out, emit_typst, digits)
            .and_then(|cfg| {
                eprintln!("กำลังสร้าง / building {} ...", cfg.out.display());
                build::build(&cfg, &mut sources)
            })
            .map(|built| {
                let t = &built.timings;
                eprintln!(
                    "เสร็จ / done: {} ({} KB) check {:.0?}, render {:.0?}, compile+export {:.0?}",
                    built.pdf.display(),
                    built.bytes / 1024,
                    t.check,
                    t.render,
                    t.compile
                );
                built.warnings
            }),
        Command::Check { project, all } => check(&project, all, &mut sources),
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
fn build_all(project: &Project, jobs: Option<usize>, digits: Digits) -> ExitCode {
    let configs = oit025::content::years(&project.root).and_then(|years| {
        years
            .into_iter()
            .map(|y| BuildConfig::new(project.root.clone(), Some(y), None, None, digits))
            .collect::<Result<Vec<_>, _>>()
    });
    let configs = match configs {
        Ok(c) => c,
        Err(d) => {
            SourceMap::default().emit(&d.0);
            return ExitCode::FAILURE;
        }
    };
    let jobs = jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let total = configs.len();
    let outcomes = build::build_many(configs, jobs, |o| {
        eprint!("{}", o.report);
        match &o.result {
            Ok(b) => eprintln!(
                "ปี {} เสร็จ / {} done: {} ({} KB, {:.0?})",
                o.year,
                o.year,
                b.pdf.display(),
                b.bytes / 1024,
                b.timings.check + b.timings.render + b.timings.compile
            ),
            Err(e) => eprintln!(
                "ปี {} ไม่สำเร็จ / {} failed: {e}, nothing written",
                o.year, o.year
            ),
        }
    });
    let failed = outcomes.iter().filter(|o| o.result.is_err()).count();
    eprintln!(
        "สร้าง {} จาก {total} ปี / built {} of {total} years",
        total - failed,
        total - failed
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Checks one year (the latest by default) or every year; collects the problems of all of them.
fn check(
    project: &Project,
    all: bool,
    sources: &mut SourceMap,
) -> Result<Diagnostics, Diagnostics> {
    let years = oit025::content::years(&project.root)?;
    let chosen: Vec<i32> = match (all, project.year) {
        (true, _) => years,
        (false, Some(y)) => vec![y],
        (false, None) => years.last().copied().into_iter().collect(),
    };
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

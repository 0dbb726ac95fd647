//! The `oit025` command: parses arguments, hands each command its own, prints diagnostics once.

// Writing to a closed pipe (`oit025 build 2>&1 | head -c 5`) ends quietly with the command's
// usual exit code: std's `eprintln!` panics when its write fails, so this one ignores the failure
// (whoever closed the pipe wants no more of it), as the library's own do (see lib.rs).
macro_rules! eprintln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}

use std::process::ExitCode;

use clap::Parser;
use oit025::cli::{Cli, Command, Format};
use oit025::cmd;
use oit025::diag::SourceMap;
use oit025::pipeline::BuildArgs;

fn main() -> ExitCode {
    // From here to the PDF written: the time `bench/compare.sh` sets against the typst wheel's
    // compile call, both without loading their code or exiting.
    let started = std::time::Instant::now();
    if cfg!(windows) && std::env::args_os().len() <= 1 {
        return edit_here();
    }
    let mut sources = SourceMap::default();
    let result = match Cli::parse().command {
        Command::Build {
            project,
            all: true,
            jobs,
            digits,
            ..
        } => {
            return cmd::build::many(cmd::build::every_year(&project.root, digits), jobs);
        }
        Command::Build {
            projects: Some(list),
            jobs,
            digits,
            ..
        } => {
            return cmd::build::many(cmd::build::every_project(&list, digits), jobs);
        }
        Command::Build {
            project,
            out,
            emit_typst,
            digits,
            force,
            ..
        } => {
            let args = BuildArgs {
                year: project.year,
                out,
                emit_typst,
                digits,
                force,
            };
            cmd::build::one(&project.root, args, started, &mut sources)
        }
        Command::Check {
            project,
            all,
            format: Format::Json,
        } => {
            return cmd::check::json(&project.root, project.years(all));
        }
        Command::Check { project, all, .. } => {
            cmd::check::check(&project.root, project.years(all), &mut sources)
        }
        Command::Init {
            dir,
            agency,
            abbreviation,
            example,
            year,
        } => cmd::init::run(
            &dir,
            agency.as_deref(),
            abbreviation.as_deref(),
            example,
            year,
        ),
        Command::New { year, root } => cmd::new::run(&root, year),
        Command::Schema { root, out } => cmd::schema::run(&root, out),
        Command::Watch {
            project,
            serve,
            port,
        } => cmd::watch::watch(&project.root, project.year, serve.then_some(port)),
        Command::Edit {
            project,
            port,
            no_browser,
        } => cmd::edit::edit(&project.root, project.year, port, !no_browser),
        Command::Publish { project, all, out } => {
            // Every year unless one is asked for.
            let years = project.years(all || project.year.is_none());
            cmd::publish::publish(&project.root, years, out, &mut sources)
        }
        Command::Archive { project, force } => {
            cmd::archive::archive(&project.root, project.year, force, &mut sources)
        }
        Command::Verify { project, all } => {
            cmd::verify::verify(&project.root, project.years(all), &mut sources)
        }
        Command::Worker => {
            return match oit025::pipeline::workers::serve(
                std::io::stdin().lock(),
                std::io::stdout().lock(),
            ) {
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

/// Double-clicked in Windows Explorer, the program gets no arguments: it opens the editor on the
/// folder it was started in (which offers to make a project there, or the example, when the folder
/// holds none), and keeps its window open while the editor runs.
fn edit_here() -> ExitCode {
    eprintln!(
        "oit025: เปิดเครื่องมือแก้ไขรายงานในเบราว์เซอร์ ปิดหน้าต่างนี้เมื่อใช้งานเสร็จ\n\
         oit025: opening the report editor in your browser; close this window when you are done.\n\
         (README-Windows.txt บอกรายละเอียด / README-Windows.txt tells more)"
    );
    let sources = SourceMap::default();
    let result = cmd::edit::edit(std::path::Path::new("."), None, None, true);
    if let Err(diags) = result {
        sources.emit(&diags.0);
        eprintln!("กด Enter เพื่อปิดหน้าต่างนี้ / press Enter to close this window");
        let _ = std::io::stdin().read_line(&mut String::new());
    }
    ExitCode::FAILURE
}

/// mimalloc instead of the system allocator: typst allocates on its layout threads, and glibc's
/// per-thread arenas grew there with a system call every few pages (1,300 `mprotect` calls in
/// one build); a build took 0.90x the time with mimalloc, measured by alternating the two.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

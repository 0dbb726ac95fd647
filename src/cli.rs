//! The command line: every argument of every command, documented once (clap's derive API reads
//! the help from these comments). `main.rs` parses it and hands each command its arguments;
//! a build's arguments become a checked [`crate::pipeline::BuildConfig`] before any work.
// The comments below are clap's help, printed in a terminal as written, not HTML.
#![allow(rustdoc::invalid_html_tags)]

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::pipeline::Years;
use crate::template::Digits;

/// Builds the OIT o25 report (การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร) as a PDF from YAML.
#[derive(Parser)]
#[command(version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args)]
pub struct Project {
    /// Project folder holding content/, templates/ and output/ (โฟลเดอร์โปรเจกต์)
    #[arg(long, short = 'C', default_value = ".")]
    pub root: PathBuf,
    /// Fiscal year in Buddhist Era, e.g. 2569 (ปีงบประมาณ); default: the latest under content/
    #[arg(long)]
    pub year: Option<i32>,
}

impl Project {
    /// The years a command works on: every one with `all`, the one asked for, or the latest.
    pub fn years(&self, all: bool) -> Years {
        match (all, self.year) {
            (true, _) => Years::All,
            (false, Some(y)) => Years::One(y),
            (false, None) => Years::Latest,
        }
    }
}

/// How `check` prints the problems it finds.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

#[derive(Subcommand)]
pub enum Command {
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
        /// Fiscal year (Buddhist Era) to start; default: the fiscal year of today, which starts on 1 October (ปีงบประมาณ)
        #[arg(long, conflicts_with = "example")]
        year: Option<i32>,
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
    /// Edit the report in a browser: forms, checks as you type, the PDF beside them
    /// (แก้ไขรายงานในเบราว์เซอร์)
    Edit {
        #[command(flatten)]
        project: Project,
        /// Port on 127.0.0.1 (พอร์ต); default: any free port
        #[arg(long)]
        port: Option<u16>,
        /// Print the address only; do not open a browser (ไม่ต้องเปิดเบราว์เซอร์)
        #[arg(long)]
        no_browser: bool,
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
    #[command(name = crate::pipeline::workers::WORKER_COMMAND, hide = true)]
    Worker,
}

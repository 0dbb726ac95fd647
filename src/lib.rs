//! oit025 turns a folder of YAML files into the Thai OIT o25 report as a PDF.
//!
//! The stages, each depending only on those before it (`scripts/deps` checks it):
//! 1. load: [`content`] reads `content/<year>/*.yaml` into raw structs (errors keep file, line,
//!    column; [`content::locate`] finds where a field is for checks made after parsing);
//! 2. check: [`model`] checks them and resolves every reference into a [`model::Report`];
//! 3. derive: [`derive`](mod@derive) computes totals, the ITA score, trends, extremes, the rating and
//!    section 5's questions;
//! 4. render: [`template`] fills the minijinja templates into one Typst source with every value
//!    escaped, and [`words`] marks where Thai lines may break ([`marks`]: the marks themselves);
//! 5. typeset: [`pdf`] compiles it in-process with typst ([`frames`] restores the laid-out text
//!    typst split) and exports the PDF;
//! 6. text layer: the `pdf-textlayer` crate makes its Thai text copy out exactly;
//! 7. write: [`pipeline::write`] writes it atomically, unless a [`seal`] forbids it;
//! 8. publish: [`site`] makes the website bundle from the same data.
//!
//! [`pipeline`] is the one way through the stages: a [`pipeline::Project`] read once per
//! command and a [`pipeline::Session`] whose `produce` returns everything a command needs. The
//! commands in [`cmd`] coordinate it and never each other; [`cli`] declares their arguments.
//! Below every stage are the leaves: [`diag`] (the one diagnostic type), [`files`] (confined
//! reads, atomic writes), [`fonts`] (the embedded fonts), [`source_edit`] (edits of a parsed
//! Typst source) and `par` (work on the cores).

// Writing to a closed pipe (`oit025 check --format json | head -c 10`, `oit025 build 2>&1 | head
// -c 5`, `watch 2>&1 | head`) ends quietly with the command's usual exit code: std's printing
// macros panic when a write fails, so every module of the library (declared below, in these
// macros' scope) prints through these, whose failure is ignored.
macro_rules! eprintln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}
macro_rules! eprint {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($t)*);
    }};
}

pub mod cli;
pub mod cmd;
pub mod content;
pub mod derive;
pub mod diag;
pub mod editor;
pub mod files;
pub mod fonts;
pub mod frames;
pub mod http;
pub mod loose;
pub mod marks;
pub mod model;
mod par;
pub mod pdf;
pub mod pipeline;
pub mod preview;
pub mod seal;
pub mod site;
pub mod skeleton;
pub mod source_edit;
pub mod template;
pub mod words;

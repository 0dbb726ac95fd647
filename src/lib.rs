//! oit025 turns a folder of YAML files into the Thai OIT o25 report as a PDF.
//!
//! The data's journey, one module per stage:
//! [`content`] reads `content/<year>/*.yaml` into raw structs (errors keep file, line, column),
//! [`model`] checks them and resolves every reference into a [`model::Report`],
//! [`derive`] computes totals, the ITA score, trends, extremes, the rating and section 5's questions,
//! [`template`] fills the minijinja templates into one Typst source with every value escaped,
//! [`words`] marks where Thai lines may break (between words, never inside one),
//! [`pdf`] compiles it in-process with typst ([`frames`] restores the laid-out text typst split)
//! and exports the PDF, whose Thai text the `pdf-textlayer` crate makes copy out exactly, and
//! [`build`] writes it atomically.
//!
//! After the PDF: [`publish`] makes the website bundle (HTML pages, open data), [`archive`] seals a
//! published year, [`new`] starts the next year, [`init`] starts a new agency's project, and
//! [`watch`] rebuilds on every save. [`diag`] is the one diagnostic type; [`locate`] finds where a
//! YAML field is for checks made after parsing.

pub mod archive;
pub mod build;
pub mod chars;
pub mod content;
pub mod derive;
pub mod diag;
pub mod frames;
pub mod init;
pub mod locate;
pub mod model;
pub mod new;
mod par;
pub mod pdf;
pub mod period;
pub mod publish;
pub mod schema;
pub mod serve;
pub mod template;
pub mod watch;
pub mod words;
pub mod workers;

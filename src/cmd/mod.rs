//! The commands, above the stages: each coordinates the stages for one thing a user asks for.
//! [`build`] drives them for one report and writes the PDF (and [`workers`] for many, one process
//! a core), [`watch`] rebuilds on every save and [`serve`] shows the result (through the small server
//! [`http`]), [`publish`] makes the
//! website bundle, [`archive`] seals a published year, [`init`] and [`new`] start a project and a
//! year, and [`schema`] writes the JSON Schemas editors use.

pub mod archive;
pub mod build;
pub mod http;
pub mod init;
pub mod new;
pub mod publish;
pub mod schema;
pub mod serve;
pub mod watch;
pub mod workers;

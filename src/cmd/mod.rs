//! The commands, above the pipeline: each coordinates [`crate::pipeline`] for one thing a user
//! asks for, and none calls another. [`build`] makes one report or many, [`check`] only checks,
//! [`watch`] rebuilds on every save (its preview is [`crate::preview`]), [`publish`] writes the
//! website bundle, [`archive`] seals a year and [`verify`] compares it with its seal, [`init`]
//! and [`new`] start a project and a year, and [`schema`] writes the JSON Schemas editors use.

pub mod archive;
pub mod build;
pub mod check;
pub mod edit;
pub mod init;
pub mod new;
pub mod publish;
pub mod schema;
pub mod verify;
pub mod watch;

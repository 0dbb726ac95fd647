//! The integration tests, in one binary so that they link once (the layout of mdBook's
//! tests/testsuite): each module tests one side of the tool, `common` holds what they share.
//! Unit tests live beside the code they test, in `src/`.

mod agencies;
mod browser;
mod check;
mod cli;
mod common;
mod derive;
mod editor;
mod hardening;
mod names;
mod oracle;
mod props;
mod rebuild;
mod site;
mod textlayer;
mod thai;
mod typesetting;
mod typography;

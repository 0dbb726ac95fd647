//! A rebuild under `watch` reuses typst's work and oit025's own caches (segmented words,
//! rewritten and compressed pages); what it writes must still be, byte for byte, what a cold
//! build of the same content writes.

mod common;

use common::replace_in;
use oit025::build::{BuildConfig, Session};
use oit025::diag::SourceMap;
use oit025::template::Digits;

#[test]
fn rebuilds_write_what_cold_builds_write() {
    let dir = common::project();
    let cfg = BuildConfig::new(dir.path().to_path_buf(), None, None, None, Digits::Thai).unwrap();
    let scores = dir.path().join("content/2569/scores.yaml");
    let produce = |session: &mut Session| {
        session
            .produce(&cfg, &mut SourceMap::default())
            .ok()
            .unwrap()
            .0
    };
    let cold = |session: &mut Session| {
        oit025::pdf::evict_caches(0);
        *session = Session::default();
        produce(session)
    };

    let mut session = Session::watching();
    let first = produce(&mut session);
    // A one-value edit (the rank, printed in Thai digits in section 4), then a second one.
    let rank = std::fs::read_to_string(&scores)
        .unwrap()
        .lines()
        .find(|l| l.trim_start().starts_with("rank:"))
        .unwrap()
        .to_string();
    replace_in(&scores, &rank, "rank: 3");
    let edited = produce(&mut session);
    assert_ne!(edited, first, "the edit changed nothing");
    replace_in(&scores, "rank: 3", &rank);
    let back = produce(&mut session);

    assert_eq!(back, first, "rebuilding the first content gave another PDF");
    let mut fresh = Session::default();
    assert_eq!(cold(&mut fresh), first, "a cold build gave another PDF");
    replace_in(&scores, &rank, "rank: 3");
    assert_eq!(
        cold(&mut fresh),
        edited,
        "the rebuild after the edit differs from a cold build of the edited content"
    );
}

//! A rebuild under `watch` reuses typst's work and oit025's own caches (parsed files, segmented
//! words, rewritten and compressed pages); what it writes must still be, byte for byte, what a
//! cold build of the same content writes.

use crate::common;

use common::replace_in;
use oit025::diag::SourceMap;
use oit025::pipeline::{Project, Session};
use oit025::template::Digits;

#[test]
fn rebuilds_write_what_cold_builds_write() {
    let dir = common::project();
    let project = Project::open(dir.path()).unwrap();
    let scores = dir.path().join("content/2569/scores.yaml");
    let produce = |session: &mut Session| {
        session
            .produce(&project, 2569, Digits::Thai, &mut SourceMap::default())
            .ok()
            .unwrap()
            .pdf
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

/// A rebuild after a letter is replaced by one of another length that ends in the same bytes
/// (ก, E0 B8 81, by Á, C3 81): typst's own `Source::replace` panicked or never returned on
/// such an edit. The rebuild runs on a thread, so that a hang fails the test instead.
#[test]
fn a_rebuild_after_a_letter_becomes_another_of_another_length_finishes_as_a_cold_build() {
    let dir = common::project();
    let root = dir.path().to_path_buf();
    let analysis = root.join("content/2569/analysis.yaml");
    let point = "      - ควรมีการเปิดโอกาสให้บุคลากร";
    // Spaces around the letter keep the word marks where they were, so the generated sources
    // differ in that one letter only.
    replace_in(&analysis, point, &format!("{point} ก "));
    let (done, wait) = std::sync::mpsc::channel();
    let thread_root = root.clone();
    let thread_analysis = analysis.clone();
    std::thread::spawn(move || {
        let project = Project::open(&thread_root).unwrap();
        let mut session = Session::watching();
        let mut produce = || {
            session
                .produce(&project, 2569, Digits::Thai, &mut SourceMap::default())
                .ok()
                .map(|p| p.pdf)
        };
        let before = produce();
        replace_in(&thread_analysis, " ก ", " Á ");
        let _ = done.send((before, produce()));
    });
    let (before, rebuilt) = wait
        .recv_timeout(std::time::Duration::from_secs(120))
        .expect("the rebuild after the edit did not finish");
    let (before, rebuilt) = (before.unwrap(), rebuilt.unwrap());
    assert_ne!(before, rebuilt, "the edit changed nothing");
    oit025::pdf::evict_caches(0);
    let project = Project::open(&root).unwrap();
    let cold = Session::default()
        .produce(&project, 2569, Digits::Thai, &mut SourceMap::default())
        .ok()
        .unwrap()
        .pdf;
    assert_eq!(
        rebuilt, cold,
        "the rebuild differs from a cold build of the edited content"
    );
}

/// A panic during a build (a bug in typst or oit025, here one raised on a worker thread of the
/// pool typst lays pages out on) becomes a bilingual error, and the session's next build, which
/// starts from a fresh World, writes what a cold build writes: `watch` goes on after it.
#[test]
fn a_panic_in_a_build_is_an_error_and_the_next_build_recovers() {
    let dir = common::project();
    let project = Project::open(dir.path()).unwrap();
    let mut session = Session::watching();
    let first = session
        .produce(&project, 2569, Digits::Thai, &mut SourceMap::default())
        .ok()
        .unwrap()
        .pdf;

    let caught = session.guarded(|s| {
        s.produce(&project, 2569, Digits::Thai, &mut SourceMap::default())?;
        rayon::join(|| panic!("a bug, raised on purpose"), || ());
        Ok(())
    });
    let diags = caught.expect_err("the panic was not turned into an error");
    let shown = SourceMap::default().render(&diags.0);
    assert!(shown.contains("a bug, raised on purpose"), "{shown}");
    assert!(
        shown.contains("internal error") && shown.contains("ข้อผิดพลาดภายใน"),
        "{shown}"
    );

    let again =
        session.guarded(|s| s.produce(&project, 2569, Digits::Thai, &mut SourceMap::default()));
    assert_eq!(
        again.ok().unwrap().pdf,
        first,
        "the build after the panic differs"
    );
}

//! The browser editor (`oit025 edit`) driven in a real browser, as a person at an agency uses it:
//! tests/editor/browser.py runs each scenario with Playwright and the system's Chromium, by the
//! fields' labels and the buttons' names, on a project folder of the test's own.

use std::path::Path;

use crate::common;

/// Runs one scenario of tests/editor/browser.py on `dir`; its assertions are the test's.
fn scenario(name: &str, dir: &Path) {
    let script = common::manifest_dir().join("tests/editor/browser.py");
    let shot = std::env::var("OIT025_EDITOR_SCREENSHOT").unwrap_or_default();
    let out = common::output(
        std::process::Command::new("python3")
            .arg(&script)
            .args([name, env!("CARGO_BIN_EXE_oit025")])
            .arg(dir)
            .args((!shot.is_empty() && name == "new_agency").then_some(&shot)),
    );
    assert!(
        out.status.success(),
        "browser scenario {name} failed (Playwright for Python and axe-core: ./test installs them)\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A project made by `init`, as a new agency starts.
fn new_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = common::oit025(
        dir.path(),
        &[
            "init",
            "p",
            "--agency",
            "องค์การบริหารส่วนตำบลหนองบัว",
            "--abbreviation",
            "อบต.หนองบัว",
            "--year",
            "2570",
        ],
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    dir
}

#[test]
fn a_new_agency_fills_in_its_report_in_the_browser_until_it_checks_and_builds() {
    let dir = new_project();
    scenario("new_agency", &dir.path().join("p"));
}

#[test]
fn a_save_changes_only_the_lines_of_the_values_edited() {
    let dir = common::project();
    scenario("diff_only", dir.path());
}

#[test]
fn a_file_changed_on_disk_meanwhile_is_not_overwritten() {
    let dir = common::project();
    scenario("conflict", dir.path());
}

#[test]
fn a_sealed_year_is_read_only() {
    let dir = common::project();
    scenario("sealed", dir.path());
}

#[test]
fn writes_need_the_secret_and_this_server_as_origin_and_host() {
    let dir = common::project();
    scenario("security", dir.path());
}

#[test]
fn the_page_is_accessible_and_works_from_the_keyboard() {
    let dir = common::project();
    scenario("accessible", dir.path());
}

#[test]
fn a_folder_without_a_project_offers_to_make_one() {
    let dir = tempfile::tempdir().unwrap();
    scenario("start_here", dir.path());
}

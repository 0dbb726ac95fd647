//! Properties: any text survives Typst escaping to print literally, and any generated valid
//! content builds to a PDF.

use std::path::Path;

use oit025::diag::SourceMap;
use oit025::pipeline::{BuildArgs, BuildConfig, Project, Session, write};
use oit025::template::{Digits, escape_typst};
use oit025::words::{BREAK, GLUE, Glossary, mark_source};
use proptest::prelude::*;

use crate::common;
use typst::syntax::{SyntaxKind, SyntaxNode, parse};

/// What Typst will print for a piece of markup, if it holds nothing but text; `None` when the
/// markup holds any other syntax (code, math, strong, a list, a heading, a comment, ...).
fn printed(markup: &str) -> Option<String> {
    fn walk(node: &SyntaxNode, out: &mut String) -> bool {
        match node.kind() {
            SyntaxKind::Markup => node.children().all(|c| walk(c, out)),
            SyntaxKind::Text => {
                out.push_str(node.leaf_text());
                true
            }
            SyntaxKind::Space => {
                out.push(' ');
                true
            }
            SyntaxKind::Linebreak => {
                out.push('\n');
                true
            }
            SyntaxKind::Escape => {
                out.push_str(&node.leaf_text()[1..]);
                true
            }
            // The box a Latin word is laid out in (oit025::marks::wrap_latin), `#box[word];`,
            // prints its content and nothing else.
            SyntaxKind::Hash | SyntaxKind::Semicolon => true,
            SyntaxKind::FuncCall => {
                let children: Vec<&SyntaxNode> = node.children().collect();
                let [callee, args] = children[..] else {
                    return false;
                };
                let content: Vec<&SyntaxNode> = args.children().collect();
                callee.kind() == SyntaxKind::Ident
                    && callee.leaf_text() == "box"
                    && matches!(content[..], [block] if block.kind() == SyntaxKind::ContentBlock)
                    && content[0].children().all(|c| {
                        matches!(c.kind(), SyntaxKind::LeftBracket | SyntaxKind::RightBracket)
                            || walk(c, out)
                    })
            }
            _ => false,
        }
    }
    let root = parse(markup);
    let mut out = String::new();
    (root.errors_and_warnings().0.is_empty() && walk(&root, &mut out)).then_some(out)
}

/// Typst collapses runs of white space and prints a line break for a newline.
fn as_printed(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().filter(|&c| c != '\r') {
        let c = if c == '\u{2028}' || c == '\u{2029}' {
            '\n'
        } else {
            c
        };
        let c = if c == '\t' || c == '\u{A0}' {
            ' '
        } else if c.is_control() && c != '\n' {
            '\u{FFFD}'
        } else {
            c
        };
        if c == ' ' && (out.ends_with(' ') || out.ends_with('\n')) {
            continue;
        }
        if c == '\n' && out.ends_with(' ') {
            out.pop();
        }
        out.push(c);
    }
    out
}

fn collapse(s: &str) -> String {
    as_printed(s).trim_matches(' ').to_string()
}

proptest! {
    #[test]
    fn any_text_prints_literally(s in "\\PC*|[#$*_@<>\\[\\]\\\\`~'\"=+/. \\-\n0-9a-zก-๙]{0,40}") {
        let escaped = escape_typst(&s);
        let printed = printed(&escaped);
        prop_assert!(printed.is_some(), "escaped text parsed as syntax: {escaped:?}");
        // Where a URL may break and where "e-" holds on (words::links) is marked as it is
        // escaped; the marks never print.
        prop_assert_eq!(collapse(&printed.unwrap().replace([BREAK, GLUE], "")), collapse(&s));
    }

    #[test]
    fn word_breaks_change_nothing_but_where_lines_may_end(
        s in "\\PC*|[ก-ฮะ-ู็-๋ๆฯ \\-#*\\[\\]0-9a-z]{0,60}"
    ) {
        // Marked markup still prints the same text, once the invisible marks (breaks and the
        // glue that keeps a space from ending a line) are taken out.
        let escaped = escape_typst(&s);
        let marked = mark_source(&escaped, &Glossary::new(["สลน."]));
        let printed = printed(&marked);
        prop_assert!(printed.is_some(), "marked text parsed as syntax: {marked:?}");
        prop_assert_eq!(
            collapse(&printed.unwrap().replace([BREAK, GLUE], "")),
            collapse(&s)
        );
        // A mark the word breaks add stands only between two Thai letters (the marks escaping
        // put after a URL's `/` or `.`, words::links, are already in `escaped`).
        let chars: Vec<char> = marked.chars().collect();
        let mut before = escaped.chars().peekable();
        for (i, c) in chars.iter().enumerate() {
            if before.peek() == Some(c) {
                before.next();
                continue;
            }
            if *c == BREAK {
                let thai = |c: Option<&char>| c.is_some_and(|c| ('\u{0E01}'..='\u{0E4E}').contains(c));
                prop_assert!(thai(i.checked_sub(1).and_then(|j| chars.get(j))) && thai(chars.get(i + 1)));
                prop_assert!(!matches!(chars.get(i + 1), Some('ๆ' | 'ฯ')));
            }
        }
    }
}

/// The bundled content with generated scores and a generated measure title.
fn write_content(dir: &Path, scores: &[(f64, f64)], title: &str, start_day: u32) {
    common::copy_dir(
        &common::manifest_dir().join("content"),
        &dir.join("content"),
    );
    let year = dir.join("content/2569");
    let mut s: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(year.join("scores.yaml")).unwrap()).unwrap();
    for (k, (p, c)) in scores.iter().enumerate() {
        s["indicators"][k]["previous"] = serde_yaml::Value::from(*p);
        s["indicators"][k]["current"] = serde_yaml::Value::from(*c);
    }
    std::fs::write(year.join("scores.yaml"), serde_yaml::to_string(&s).unwrap()).unwrap();
    let mut m: serde_yaml::Value =
        serde_yaml::from_str(&std::fs::read_to_string(year.join("measures.yaml")).unwrap())
            .unwrap();
    m["measures"][0]["title"] = serde_yaml::Value::from(title);
    m["measures"][0]["period"]["start"] =
        serde_yaml::Value::from(format!("2025-10-{start_day:02}"));
    std::fs::write(
        year.join("measures.yaml"),
        serde_yaml::to_string(&m).unwrap(),
    )
    .unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]
    #[test]
    fn any_valid_content_builds(
        scores in proptest::collection::vec((0.0f64..=100.0, 0.0f64..=100.0), 10),
        title in "[ก-ฮะ-ู็-๋a-z0-9#$*_@<>\\[\\]/.\\- ]{1,30}",
        start_day in 1u32..=28,
    ) {
        prop_assume!(!title.trim().is_empty());
        let dir = tempfile::tempdir().unwrap();
        write_content(dir.path(), &scores, &title, start_day);
        let project = Project::open(dir.path()).unwrap();
        let cfg = BuildConfig::new(&project, BuildArgs { year: Some(2569), ..BuildArgs::default() }).unwrap();
        let mut sources = SourceMap::default();
        let built = Session::default()
            .produce(&project, 2569, Digits::Thai, &mut sources)
            .and_then(|mut p| write::write(&project, &cfg, &mut p, write::ToDisk::Yes));
        prop_assert!(built.is_ok(), "{}", sources.render(&built.err().unwrap().0));
        let pdf = std::fs::read(dir.path().join("output/2569/oit025-2569.pdf")).unwrap();
        prop_assert!(pdf.starts_with(b"%PDF-"));
    }
}

#[test]
fn the_literal_check_rejects_unescaped_markup() {
    for markup in [
        "*b*",
        "_i_",
        "#read(\"x\")",
        "$x$",
        "@ref",
        "<l>",
        "- item",
        "= heading",
        "a // c",
        "`raw`",
    ] {
        assert!(printed(markup).is_none(), "{markup} passed as plain text");
    }
    assert_eq!(printed("ก ข").as_deref(), Some("ก ข"));
}

#[test]
fn unicode_spaces_and_separators_print_literally() {
    for s in [
        "a\u{2003}\u{2003}b",
        "a\u{3000}b",
        "a\u{A0}b",
        "a\u{2028}b",
        "x\u{85}y",
        "ต่าง ๆ",
        "a\u{200B}b",
        "\u{FEFF}x",
    ] {
        let printed = printed(&escape_typst(s)).unwrap_or_else(|| panic!("{s:?} parsed as syntax"));
        assert_eq!(collapse(&printed), collapse(s), "{s:?}");
    }
}

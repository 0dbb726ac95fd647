//! Escaping for Typst: user text as markup that prints literally, and as a Typst string literal.

/// Escapes text for Typst markup: every character Typst could read as syntax gets a backslash,
/// and line breaks become Typst line breaks, so the text can start no list, heading or comment.
/// Bidi embeddings, overrides and isolates the text leaves open are closed at its end: an
/// unterminated U+202E would otherwise draw the template's text after the field backwards.
/// URLs and short prefixes get the marks of [`crate::words::links`].
pub fn escape_typst(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let mut prev = '\0';
    let mut chars = s.chars().peekable();
    // The closer of each bidi control still open, innermost last.
    let mut open: Vec<char> = Vec::new();
    // Where a URL may break, and the hyphens no line ends at (words::links).
    let marks = crate::words::links::marks(s);
    let mut marks = marks.iter().peekable();
    let mut at = 0;
    while let Some(c) = chars.next() {
        while let Some(&(_, mark)) = marks.next_if(|(m, _)| *m <= at) {
            out.push(mark);
        }
        at += c.len_utf8();
        match c {
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
                bidi(&mut open, c);
                out.push(c);
            }
            // Every markup character is ASCII: Thai letters skip the list.
            c if c.is_ascii() && crate::words::MARKUP_CHARS.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            // "1." could start a numbered list and "..." becomes an ellipsis.
            '.' if prev.is_ascii_digit() || prev == '.' || chars.peek() == Some(&'.') => {
                out.push_str("\\.")
            }
            // Typst reads these as new lines too: all become an explicit line break.
            '\n' | '\u{2028}' | '\u{2029}' => out.push_str("\\ "),
            '\r' => {}
            '\t' => out.push(' '),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
        prev = c;
    }
    out.extend(open.iter().rev());
    out
}

/// Keeps the stack of open bidi controls: LRE, RLE, LRO and RLO are closed by PDF, LRI, RLI and
/// FSI by PDI, which also closes the embeddings opened inside its isolate (Unicode's UAX #9).
fn bidi(open: &mut Vec<char>, c: char) {
    const PDF: char = '\u{202C}';
    const PDI: char = '\u{2069}';
    match c {
        PDF => {
            if open.last() == Some(&PDF) {
                open.pop();
            }
        }
        PDI => {
            if let Some(i) = open.iter().rposition(|&o| o == PDI) {
                open.truncate(i);
            }
        }
        '\u{2066}'..='\u{2068}' => open.push(PDI),
        _ => open.push(PDF),
    }
}

/// `s` isolated from the text around it, for a web page: where it holds bidi controls or
/// right-to-left letters, it is wrapped in FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE
/// (what `<bdi>` does, and valid in a `<title>` or an attribute, where an element is not) and
/// the controls it leaves open are closed first, as [`escape_typst`] closes them in the PDF: a
/// unit name starting with U+202E then reverses only itself, not the page's own text after it.
/// Other text is returned as it is (`None`), so a Thai page does not change.
pub fn isolate_bidi(s: &str) -> Option<String> {
    let steers = |c: char| {
        matches!(c, '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
            | '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFE}'
            | '\u{10800}'..='\u{10FFF}' | '\u{1E800}'..='\u{1EFFF}')
    };
    if !s.chars().any(steers) {
        return None;
    }
    let mut open: Vec<char> = Vec::new();
    for c in s.chars() {
        if matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') {
            bidi(&mut open, c);
        }
    }
    let mut out = String::with_capacity(s.len() + 12);
    out.push('\u{2068}');
    out.push_str(s);
    out.extend(open.iter().rev());
    out.push('\u{2069}');
    Some(out)
}

/// A Typst string literal holding `s` exactly, for places that take a string (document metadata).
pub fn typst_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `escape_typst` looks a character up in the markup characters only when it is ASCII.
    #[test]
    fn every_markup_character_is_ascii() {
        assert!(crate::words::MARKUP_CHARS.iter().all(char::is_ascii));
    }

    #[test]
    fn escaping_neutralises_markup() {
        let hostile = r#"#read("/etc/passwd") $x$ *b* _i_ @ref <l> [x] \"#;
        let e = escape_typst(hostile);
        assert_eq!(
            e,
            r#"\#read(\"\/etc\/passwd\") \$x\$ \*b\* \_i\_ \@ref \<l\> \[x\] \\"#
        );
        assert_eq!(escape_typst("1. a\n- b"), r"1\. a\ \- b");
        assert_eq!(escape_typst("a...b // c"), r"a\.\.\.b \/\/ c");
        // Found by the property test: Unicode line and paragraph separators are new lines to Typst.
        assert_eq!(escape_typst("a\u{2028}b\u{2029}c"), r"a\ b\ c");
    }

    #[test]
    fn values_on_a_web_page_are_isolated_when_they_steer_direction() {
        assert_eq!(isolate_bidi("สำนักงาน"), None);
        assert_eq!(
            isolate_bidi("\u{202E}abc").as_deref(),
            Some("\u{2068}\u{202E}abc\u{202C}\u{2069}")
        );
        assert_eq!(
            isolate_bidi("\u{2067}a\u{202B}b").as_deref(),
            Some("\u{2068}\u{2067}a\u{202B}b\u{202C}\u{2069}\u{2069}")
        );
        assert_eq!(
            isolate_bidi("שלום").as_deref(),
            Some("\u{2068}שלום\u{2069}")
        );
    }

    #[test]
    fn bidi_controls_left_open_are_closed_at_the_end_of_the_value() {
        assert_eq!(escape_typst("a\u{202E}b"), "a\u{202E}b\u{202C}");
        assert_eq!(
            escape_typst("\u{2067}a\u{202B}b"),
            "\u{2067}a\u{202B}b\u{202C}\u{2069}"
        );
        // Balanced text is left as it is, and a PDI closes the embeddings inside its isolate.
        assert_eq!(escape_typst("\u{202E}a\u{202C}"), "\u{202E}a\u{202C}");
        assert_eq!(
            escape_typst("\u{2068}\u{202E}a\u{2069}"),
            "\u{2068}\u{202E}a\u{2069}"
        );
        assert_eq!(escape_typst("a\u{202C}\u{2069}"), "a\u{202C}\u{2069}");
    }
}

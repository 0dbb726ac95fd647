//! Edits of a parsed Typst source: the part of the text that changed is replaced, so only that
//! part is parsed again. A leaf: the typeset stage keeps its World's source up to date with it,
//! and the word marks their last parsed source.

use typst::syntax::Source;

/// Makes `source` hold `new`, parsing again only the part that changed.
pub fn replace_source(source: &mut Source, new: &str) {
    if let Some((range, with)) = replacement(source.text(), new) {
        source.edit(range, with);
    }
}

/// The range of `old` to replace, and the text to put there, to make `new`: everything between
/// their common start and common end, both cut at character boundaries; `None` if they are equal.
///
/// typst's own `Source::replace` gets this wrong when a character is replaced by one of another
/// length that ends in the same bytes (ก, E0 B8 81, by 😁, F0 9F 98 81): its common end grows
/// past the common start, and it loops forever or panics (typst-syntax 0.15.1,
/// `Lines::replacement_range`). Under `watch`, one such edit of a YAML value ended the watch.
pub fn replacement<'a>(old: &str, new: &'a str) -> Option<(std::ops::Range<usize>, &'a str)> {
    if old == new {
        return None;
    }
    let mut prefix = zip_count(old.bytes(), new.bytes());
    // The bytes before `prefix` are the same in both, and so are their character boundaries.
    while !old.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let mut suffix = zip_count(old[prefix..].bytes().rev(), new[prefix..].bytes().rev());
    // Shrinking the common end can only move it back towards the strings' ends, never past the
    // common start, and 0 is a boundary of both.
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    Some((prefix..old.len() - suffix, &new[prefix..new.len() - suffix]))
}

/// How many items the two sequences share from their start.
fn zip_count(a: impl Iterator<Item = u8>, b: impl Iterator<Item = u8>) -> usize {
    a.zip(b).take_while(|(x, y)| x == y).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use typst::syntax::Source;
    use typst::syntax::SyntaxNode;

    /// Kinds and texts of a tree, in order: what a fresh parse and an edited source must share.
    fn shape(node: &SyntaxNode, out: &mut Vec<(typst::syntax::SyntaxKind, String)>) {
        out.push((node.kind(), node.leaf_text().to_string()));
        for child in node.children() {
            shape(child, out);
        }
    }

    fn edited(old: &str, new: &str) -> Source {
        let mut source = Source::detached(old);
        replace_source(&mut source, new);
        source
    }

    #[test]
    fn a_letter_replaced_by_one_of_another_length_with_the_same_last_byte() {
        // ก is E0 B8 81, Á is C3 81, 😁 is F0 9F 98 81: Source::replace panics or never returns.
        for (old, new) in [
            ("ระดับ ก ดี", "ระดับ Á ดี"),
            ("ระดับ ก ดี", "ระดับ 😁 ดี"),
            ("ระดับ 😁 ดี", "ระดับ ก ดี"),
            ("\u{a01}", "\u{16E81}"),
        ] {
            let (range, with) = replacement(old, new).unwrap();
            let mut spliced = old.to_string();
            spliced.replace_range(range, with);
            assert_eq!(spliced, new);
            assert_eq!(edited(old, new).text(), new);
        }
        assert_eq!(replacement("ก", "ก"), None);
    }

    /// Strings of characters whose UTF-8 forms share their last bytes across lengths, and
    /// Typst markup, so that edits meet every way of cutting a common start and end.
    fn text() -> impl Strategy<Value = String> {
        let pieces = prop_oneof![
            Just("ก"),
            Just("Á"),
            Just("😁"),
            Just("\u{a01}"),
            Just("\u{16E81}"),
            Just("\u{200B}"),
            Just("a"),
            Just(" "),
            Just("\n"),
            Just("*"),
            Just("#"),
            Just("["),
            Just("]"),
            Just("\""),
            Just("//"),
            Just("$"),
        ];
        prop::collection::vec(pieces, 0..24).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// An edited source spells the new text and parses as a fresh parse of it does.
        #[test]
        fn an_edited_source_is_a_fresh_parse(old in text(), new in text()) {
            let source = edited(&old, &new);
            prop_assert_eq!(source.text(), new.as_str());
            let (mut got, mut want) = (Vec::new(), Vec::new());
            shape(source.root(), &mut got);
            shape(&typst::syntax::parse(&new), &mut want);
            prop_assert_eq!(got, want);
        }
    }
}

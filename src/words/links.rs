//! Where a URL, an e-mail address or a short prefix with a hyphen may end a line (issue 33).
//!
//! typst breaks a URL it recognises (after `://`, or starting `www.`) wherever letters meet
//! digits and wherever two punctuation marks meet, and a piece of 16 characters or more between
//! any two characters: "www.ab / 3.go.th", "…hospita / l.go.th". A reader expects a URL broken only
//! after `/ . ? & = - _`, never inside a host label, with at least three of its characters on
//! each line, as a typesetter breaks it. So oit025 decides those breaks itself, as it does for
//! Thai words: a break mark at each place allowed, a glue mark after any other punctuation mark
//! (where Unicode's rules would allow a break), and a glue mark inside "www." so that typst does
//! not take the address for a link and add its own breaks. A label wider than its cell is still
//! cut between its characters by the layout's last resort (`words::break_words_at`).
//!
//! A hyphen after fewer than three letters ("e-Service", "(e-Office)") never ends a line either.

use crate::marks::{BREAK, GLUE, is_alphabetic, is_alphanumeric};

/// Where a URL may break: after these.
pub(super) const BREAK_AFTER: &[char] = &['/', '.', '?', '&', '=', '-', '_'];

/// Fewest characters of a URL on a line.
const MIN_PART: usize = 3;

/// The marks to put into `text`: each (byte offset, mark), the mark going just before the
/// character at that offset, in order.
pub fn marks(text: &str) -> Vec<(usize, char)> {
    let mut out = Vec::new();
    if !text.contains(['/', '@', '-', '.']) {
        return out;
    }
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        let Some(c) = rest.chars().next() else { break };
        let starts_word = text[..at]
            .chars()
            .next_back()
            .is_none_or(|p| !is_alphanumeric(p) && !matches!(p, '.' | '-' | '_' | '@' | '/'));
        if starts_word && let Some(len) = link_len(rest) {
            link_marks(&text[at..at + len], at, &mut out);
            at += len;
            continue;
        }
        if starts_word && let Some(len) = short_prefix(rest) {
            out.push((at + len, GLUE));
            at += len;
            continue;
        }
        at += c.len_utf8();
    }
    out
}

/// The length of the URL or e-mail address `text` starts with, if it starts with one.
fn link_len(text: &str) -> Option<usize> {
    let end = text
        .find(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    '\u{0E00}'
                        ..='\u{0E7F}'
                            | '"'
                            | '\''
                            | '<'
                            | '>'
                            | '('
                            | ')'
                            | '['
                            | ']'
                            | '{'
                            | '}'
                            | ','
                )
        })
        .unwrap_or(text.len());
    // A full stop or a closing mark ends the sentence, not the address.
    let word = text[..end].trim_end_matches(['.', ':', ';', '!', '?']);
    let scheme = ["http://", "https://", "ftp://", "www."].iter().any(|s| {
        word.len() > s.len()
            && word
                .get(..s.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(s))
    });
    let email = word.split_once('@').is_some_and(|(user, host)| {
        !user.is_empty() && host.contains('.') && !host.starts_with('.') && !host.contains('@')
    });
    (scheme || email).then_some(word.len())
}

/// The marks of one URL starting at byte `base` of the text.
fn link_marks(link: &str, base: usize, out: &mut Vec<(usize, char)>) {
    let chars: Vec<(usize, char)> = link.char_indices().collect();
    let n = chars.len();
    for k in 1..n {
        let (at, c) = chars[k];
        let prev = chars[k - 1].1;
        if is_alphanumeric(prev) {
            // Each piece is boxed (`marks::wrap_latin`), and a box allows a break after it: a
            // glue mark before a character escaped apart from the piece that Unicode's rules
            // would let start a line ("support / @some-hospital").
            if matches!(c, '@' | '_' | '=' | '+' | '~') {
                out.push((base + at, GLUE));
            }
            continue;
        }
        let allowed = BREAK_AFTER.contains(&prev) && c != '/' && k >= MIN_PART && n - k >= MIN_PART;
        out.push((base + at, if allowed { BREAK } else { GLUE }));
    }
    // typst reads an address starting "www." as a link and breaks it its own way: a glue mark
    // inside "www" (which joins and never shows) keeps it from seeing one.
    let lower = link.to_ascii_lowercase();
    for (i, _) in lower.match_indices("www.") {
        if i == 0 || !lower[..i].ends_with(|p: char| p.is_ascii_alphanumeric()) {
            out.push((base + i + 1, GLUE));
        }
    }
    out.sort_unstable();
    out.dedup();
}

/// The length up to and including the hyphen of a word starting with one or two letters and a
/// hyphen before another letter ("e-Service"): no line ends after that hyphen.
fn short_prefix(text: &str) -> Option<usize> {
    // Counted up to three only: a run of Thai letters can be long.
    let letters = (text.chars().take_while(|&c| is_alphabetic(c)))
        .take(MIN_PART)
        .count();
    if !(1..MIN_PART).contains(&letters) {
        return None;
    }
    let len: usize = text.chars().take(letters).map(char::len_utf8).sum();
    let rest = &text[len..];
    (rest.starts_with('-') && rest[1..].starts_with(is_alphanumeric)).then_some(len + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> String {
        let mut out = String::new();
        let mut last = 0;
        for (at, mark) in marks(text) {
            out.push_str(&text[last..at]);
            out.push(if mark == BREAK { '|' } else { '+' });
            last = at;
        }
        out.push_str(&text[last..]);
        out
    }

    #[test]
    fn urls_break_after_their_punctuation_with_three_characters_each_side() {
        assert_eq!(
            shown("ที่ https://www.ab3.go.th/ita และ"),
            "ที่ https:+/+/|w+ww.|ab3.|go.|th/|ita และ"
        );
        assert_eq!(
            shown("www.somehospital.go.th."),
            "w+ww.|somehospital.|go.+th."
        );
        assert_eq!(shown("a.b/c"), "a.b/c");
        assert_eq!(
            shown("x https://ab.cd/e?q=1&r=xyz_abc"),
            "x https:+/+/|ab.|cd/|e?|q+=|1&|r+=|xyz+_|abc"
        );
    }

    #[test]
    fn e_mail_addresses_break_after_dots_hyphens_and_underscores() {
        assert_eq!(
            shown("ที่ itas.support@some-hospital.go.th"),
            "ที่ itas.|support+@+some-|hospital.|go.+th"
        );
    }

    #[test]
    fn text_of_any_script_is_read_without_a_panic() {
        // Found by props::any_text_prints_literally: a four-byte character where "www." would end.
        assert!(marks("*ཌ`🚜𑇩Y.`ସ¥").is_empty());
        assert!(marks("ww🚜.x").is_empty());
    }

    #[test]
    fn a_hyphen_after_one_or_two_letters_never_ends_a_line() {
        assert_eq!(
            shown("ระบบ e-Service (e-Office) ad-hoc co-op"),
            "ระบบ e-+Service (e-+Office) ad-+hoc co-+op"
        );
        assert_eq!(shown("COVID-19 self-check"), "COVID-19 self-check");
    }
}

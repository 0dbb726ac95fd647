//! How Thai is typed, in one place: the slips that look right and are other text (`เเ` for `แ`,
//! `ํ` + `า` for `ำ`, a mark typed twice or out of order, a space before a mark, a Latin or
//! Cyrillic letter inside a word of another script), and the normal form names are compared in,
//! which also sets aside what people type either way (Thai or Arabic digits, spaces, look-alike
//! letters of other scripts, capitals). `check` warns of each slip where it is
//! ([`crate::model::chars`]), and the agency's own names are found in any text through the normal
//! form, so a name typed with a slip is still the name.

use std::ops::Range;

/// A Thai combining mark: a vowel above or below, a tone mark or another sign over a letter.
pub fn combining(c: char) -> bool {
    matches!(c, '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}')
}

/// Where a mark goes among the marks of one letter, as Thai is typed and stored: the vowel above
/// or below first, then the tone mark, then the signs over both (`์`, `ํ`, `๎`).
fn rank(c: char) -> u8 {
    match c {
        '\u{0E48}'..='\u{0E4B}' => 2,
        '\u{0E4C}'..='\u{0E4E}' => 3,
        _ => 1,
    }
}

/// A Thai letter, vowel or mark (not a digit: `๑a` is a numbered item).
fn thai(c: char) -> bool {
    ('\u{0E01}'..='\u{0E4E}').contains(&c)
}

/// A letter of the Latin script.
fn latin(c: char) -> bool {
    c.is_ascii_alphabetic() || (('\u{00C0}'..='\u{024F}').contains(&c) && c.is_alphabetic())
}

/// A letter of the Cyrillic or Greek script, where a font may draw one like a Latin letter.
fn cyrillic(c: char) -> bool {
    ('\u{0370}'..='\u{052F}').contains(&c) && c.is_alphabetic()
}

/// The Latin letter a Cyrillic or Greek one is drawn as, where fonts draw them alike.
fn latin_look_alike(c: char) -> Option<char> {
    const PAIRS: &[(char, char)] = &[
        ('А', 'A'),
        ('В', 'B'),
        ('Е', 'E'),
        ('К', 'K'),
        ('М', 'M'),
        ('Н', 'H'),
        ('О', 'O'),
        ('Р', 'P'),
        ('С', 'C'),
        ('Т', 'T'),
        ('Х', 'X'),
        ('У', 'Y'),
        ('І', 'I'),
        ('Ј', 'J'),
        ('Ѕ', 'S'),
        ('а', 'a'),
        ('е', 'e'),
        ('о', 'o'),
        ('р', 'p'),
        ('с', 'c'),
        ('у', 'y'),
        ('х', 'x'),
        ('і', 'i'),
        ('ј', 'j'),
        ('ѕ', 's'),
        ('Α', 'A'),
        ('Β', 'B'),
        ('Ε', 'E'),
        ('Ζ', 'Z'),
        ('Η', 'H'),
        ('Ι', 'I'),
        ('Κ', 'K'),
        ('Μ', 'M'),
        ('Ν', 'N'),
        ('Ο', 'O'),
        ('Ρ', 'P'),
        ('Τ', 'T'),
        ('Υ', 'Y'),
        ('Χ', 'X'),
        ('ο', 'o'),
    ];
    PAIRS.iter().find(|(k, _)| *k == c).map(|&(_, v)| v)
}

/// What kind of slip of typing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlipKind {
    /// `เ` typed twice for `แ`, `ํ` + `า` for `ำ`: two characters for one.
    TwoForOne,
    /// The same mark twice over one letter.
    Doubled,
    /// The marks over one letter in another order than Thai is stored in.
    Order,
    /// A space between a letter and its mark.
    SpaceBeforeMark,
    /// A Latin letter inside a Thai word, or a Cyrillic or Greek one inside a Thai or Latin word.
    Script,
}

/// A slip of typing: where it is in the text (bytes), what it is, and the text it should be
/// when that is known (a letter of another script has no one fix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slip {
    pub range: Range<usize>,
    pub kind: SlipKind,
    pub fix: Option<String>,
}

/// Every slip of typing in `text`, in order, none overlapping.
pub fn slips(text: &str) -> Vec<Slip> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let end_of = |k: usize| chars.get(k).map_or(text.len(), |&(at, _)| at);
    let mut out = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        let (at, c) = chars[k];
        let next = chars.get(k + 1).map(|&(_, n)| n);
        if c == '\u{0E40}' && next == Some('\u{0E40}') {
            out.push(slip(at..end_of(k + 2), SlipKind::TwoForOne, "\u{0E41}"));
            k += 2;
        } else if c == ' ' && next.is_some_and(combining) {
            let mark = chars[k + 1].1.to_string();
            out.push(slip(at..end_of(k + 2), SlipKind::SpaceBeforeMark, &mark));
            k += 2;
        } else if combining(c) {
            let run = (k..chars.len())
                .take_while(|&j| combining(chars[j].1))
                .count();
            // One mark alone is a slip only as ํ before า (most marks of Thai text are alone,
            // and this runs over every text of the content).
            if run > 1 || c == '\u{0E4D}' {
                let marks: Vec<char> = chars[k..k + run].iter().map(|&(_, m)| m).collect();
                let after = chars.get(k + run).map(|p| p.1);
                if let Some((kind, fix, used)) = mark_run(&marks, after) {
                    out.push(slip(at..end_of(k + used), kind, &fix));
                }
            }
            k += run;
        } else if let Some(s) = script_slip(&chars, k, text.len()) {
            out.push(s);
            k += 1;
        } else {
            k += 1;
        }
    }
    out
}

fn slip(range: Range<usize>, kind: SlipKind, fix: &str) -> Slip {
    Slip {
        range,
        kind,
        fix: Some(fix.to_string()),
    }
}

/// The slip in a run of marks over one letter, if any: its kind, the marks as they should be
/// typed and how many characters it spans (a run followed by `า` after `ํ` takes the `า` in).
fn mark_run(marks: &[char], after: Option<char>) -> Option<(SlipKind, String, usize)> {
    let mut fixed: Vec<char> = marks.to_vec();
    fixed.dedup();
    let doubled = fixed.len() < marks.len();
    let sara_am = after == Some('\u{0E32}') && fixed.contains(&'\u{0E4D}');
    if sara_am {
        fixed.retain(|&m| m != '\u{0E4D}');
    }
    let ordered = fixed.is_sorted_by_key(|&m| rank(m));
    fixed.sort_by_key(|&m| rank(m));
    let mut fix: String = fixed.into_iter().collect();
    let (kind, used) = if sara_am {
        fix.push('\u{0E33}');
        (SlipKind::TwoForOne, marks.len() + 1)
    } else if doubled {
        (SlipKind::Doubled, marks.len())
    } else if !ordered {
        (SlipKind::Order, marks.len())
    } else {
        return None;
    };
    Some((kind, fix, used))
}

/// A letter of another script inside a word at `chars[k]`: a Cyrillic or Greek letter beside a
/// Thai or Latin one, or a lone Latin letter inside a Thai word or at its end or start (`e-GP`
/// and `ITAของ` are Latin words, not slips).
fn script_slip(chars: &[(usize, char)], k: usize, len: usize) -> Option<Slip> {
    let (at, c) = chars[k];
    let before = k.checked_sub(1).map(|j| chars[j].1);
    let after = chars.get(k + 1).map(|p| p.1);
    let range = at..chars.get(k + 1).map_or(len, |p| p.0);
    if cyrillic(c) {
        let beside = |n: Option<char>| n.is_some_and(|n| thai(n) || latin(n));
        let in_thai = before.is_some_and(thai) || after.is_some_and(thai);
        return (beside(before) || beside(after)).then(|| Slip {
            range,
            kind: SlipKind::Script,
            fix: latin_look_alike(c).filter(|_| !in_thai).map(String::from),
        });
    }
    if !latin(c) {
        return None;
    }
    let edge = |n: Option<char>| n.is_none_or(|n| n.is_whitespace());
    let thai_before = before.is_some_and(thai);
    let thai_after = after.is_some_and(thai);
    let lone = (thai_before && (thai_after || edge(after))) || (thai_after && edge(before));
    lone.then_some(Slip {
        range,
        kind: SlipKind::Script,
        fix: None,
    })
}

/// Stands for a character typed with a slip that has no one fix, in [`fixed`]: it equals any
/// character in [`same_but_slips`].
const ANY: char = '\u{E000}';

/// `text` with every slip of typing fixed, and [`ANY`] for a letter of another script.
pub fn fixed(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for s in slips(text) {
        out.push_str(&text[from..s.range.start]);
        match &s.fix {
            Some(f) => out.push_str(f),
            None => out.push(ANY),
        }
        from = s.range.end;
    }
    out.push_str(&text[from..]);
    out
}

/// Whether two texts are the same once their slips of typing are fixed: whatever tells them
/// apart is a slip the warnings of typing already name.
pub fn same_but_slips(a: &str, b: &str) -> bool {
    let squeeze = |t: &str| -> Vec<char> {
        fixed(t)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .collect()
    };
    let (a, b) = (squeeze(a), squeeze(b));
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(x, y)| x == y || *x == ANY || *y == ANY)
}

/// Characters that type nothing a reader sees: spaces, line breaks and the invisible ones.
fn unseen(c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

/// One character of the normal form: Arabic digits for Thai ones, Latin letters for their
/// Cyrillic and Greek look-alikes, small letters for capitals; `None` for what is not seen.
fn normal_char(c: char) -> Option<char> {
    if unseen(c) {
        return None;
    }
    let c = match c {
        '\u{0E50}'..='\u{0E59}' => char::from(b'0' + (c as u32 - 0x0E50) as u8),
        c => latin_look_alike(c).unwrap_or(c),
    };
    Some(c.to_ascii_lowercase())
}

/// A text in normal form, each character with the bytes of the text it stands for.
pub struct Normal {
    pub chars: Vec<char>,
    pub ranges: Vec<Range<usize>>,
}

impl Normal {
    /// `text` in the form names are compared in: its slips of typing fixed, then without spaces
    /// or invisible characters, with Arabic digits, Latin letters for look-alikes and no
    /// capitals. `สพป.แดนดี เขต 2`, `สพป.เเดนดีเขต ๒` and `สพป.แดนดี เขต ๒` have one normal form.
    pub fn of(text: &str) -> Self {
        let mut n = Normal {
            chars: Vec::new(),
            ranges: Vec::new(),
        };
        let mut push = |s: &str, range: Range<usize>| {
            for c in s.chars().filter_map(normal_char) {
                n.chars.push(c);
                n.ranges.push(range.clone());
            }
        };
        let mut from = 0;
        for s in slips(text) {
            for (i, c) in text[from..s.range.start].char_indices() {
                let at = from + i;
                push(c.encode_utf8(&mut [0; 4]), at..at + c.len_utf8());
            }
            match &s.fix {
                Some(f) => push(f, s.range.clone()),
                None => push(&text[s.range.clone()], s.range.clone()),
            }
            from = s.range.end;
        }
        for (i, c) in text[from..].char_indices() {
            let at = from + i;
            push(c.encode_utf8(&mut [0; 4]), at..at + c.len_utf8());
        }
        n
    }

    /// The bytes of the text that characters `from..to` of the normal form stand for.
    pub fn bytes(&self, from: usize, to: usize) -> Range<usize> {
        self.ranges[from].start..self.ranges[to - 1].end
    }
}

/// `text` in normal form ([`Normal::of`]).
pub fn normal(text: &str) -> String {
    Normal::of(text).chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(t: &str) -> Vec<(SlipKind, Option<String>)> {
        slips(t).into_iter().map(|s| (s.kind, s.fix)).collect()
    }

    #[test]
    fn slips_of_thai_typing_are_found_with_their_fix() {
        let fix = |k, f: &str| (k, Some(f.to_string()));
        assert_eq!(kinds("เเดนดี"), [fix(SlipKind::TwoForOne, "แ")]);
        assert_eq!(kinds("ลํา"), [fix(SlipKind::TwoForOne, "ำ")]);
        // น + ํ + ้ + า for น้ำ.
        assert_eq!(
            kinds("น\u{0E4D}\u{0E49}\u{0E32}"),
            [fix(SlipKind::TwoForOne, "\u{0E49}\u{0E33}")]
        );
        assert_eq!(kinds("ดีี"), [fix(SlipKind::Doubled, "ี")]);
        assert_eq!(kinds("ก ่"), [fix(SlipKind::SpaceBeforeMark, "่")]);
        // ท + ่ + ี for ที่, and ุ after the tone mark.
        assert_eq!(
            kinds("ท\u{0E48}\u{0E35}"),
            [fix(SlipKind::Order, "\u{0E35}\u{0E48}")]
        );
        assert_eq!(
            kinds("ก\u{0E48}\u{0E38}"),
            [fix(SlipKind::Order, "\u{0E38}\u{0E48}")]
        );
        assert!(kinds("แดนดี ลำ ที่ น้ำ สิทธิ์ สพป.แดนดี เขต ๒").is_empty());
        let (range, _) = (slips("ab เเ")[0].range.clone(), ());
        assert_eq!(range, 3..9);
    }

    /// `slips` looks at a lone mark only when it is ํ: every other lone mark, before anything,
    /// is no slip.
    #[test]
    fn a_lone_mark_other_than_nikhahit_is_never_a_slip() {
        let marks = ('\u{0E31}'..='\u{0E4E}').filter(|&c| combining(c));
        let after = [
            None,
            Some('\u{0E32}'),
            Some('\u{0E01}'),
            Some(' '),
            Some('a'),
        ];
        for m in marks {
            for a in after {
                let found = mark_run(&[m], a);
                assert_eq!(
                    found.is_some(),
                    m == '\u{0E4D}' && a == Some('\u{0E32}'),
                    "{m:?} {a:?}"
                );
            }
        }
    }

    #[test]
    fn letters_of_another_script_inside_a_word_are_slips() {
        // Latin o for Thai อ, Cyrillic а in a Thai word and in a Latin one.
        assert_eq!(kinds("ขoง"), [(SlipKind::Script, None)]);
        assert_eq!(kinds("ของa "), [(SlipKind::Script, None)]);
        assert_eq!(kinds("ขаง"), [(SlipKind::Script, None)]);
        assert_eq!(kinds("DЕPA"), [(SlipKind::Script, Some("E".to_string()))]);
        // Latin words beside Thai are no slips.
        for fine in [
            "ระบบ e-GP",
            "ระบบe-GP",
            "การประเมินITAของ",
            "ITA ของ",
            "(ก) a) b)",
        ] {
            assert!(kinds(fine).is_empty(), "{fine}");
        }
    }

    #[test]
    fn one_normal_form_for_what_thai_typing_varies() {
        let abbr = normal("สพป.แดนดี เขต ๒");
        assert_eq!(abbr, "สพป.แดนดีเขต2");
        for typed in [
            "สพป.แดนดี เขต 2",
            "สพป.แดนดีเขต ๒",
            "สพป. แดนดี  เขต ๒",
            "สพป.เเดนดี เขต ๒",
            "สพป.แดนดี\n    เขต ๒",
        ] {
            assert_eq!(normal(typed), abbr, "{typed}");
        }
        assert_eq!(normal("ล\u{0E4D}\u{0E32}"), normal("ลำ"));
        assert_eq!(normal("ท\u{0E48}\u{0E35}"), normal("ที่"));
        assert_eq!(normal("DЕPA"), normal("depa"));
        let n = Normal::of("ของ สพป.เเดนดี");
        let at = n.chars.iter().position(|&c| c == 'แ').unwrap();
        assert_eq!(&"ของ สพป.เเดนดี"[n.bytes(at, at + 1)], "เเ");
    }

    #[test]
    fn texts_differing_by_slips_only() {
        assert!(same_but_slips("สพป.เเดนดี เขต ๒", "สพป.แดนดี เขต ๒"));
        assert!(same_but_slips("ขoง", "ของ"));
        assert!(same_but_slips("สพป.แดนดี\n   เขต ๒", "สพป.แดนดี เขต ๒"));
        assert!(!same_but_slips("สพป.แดนดี เขต 2", "สพป.แดนดี เขต ๒"));
        assert!(!same_but_slips("สพป.แดนดีเขต ๒", "สพป.แดนดี เขต ๒"));
    }
}

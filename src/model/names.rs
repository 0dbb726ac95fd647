//! The agency's own names, one notion of them: its name, its abbreviation, its units' codes and
//! names and its glossary. Wherever a text writes one of them with a slip (a letter dropped,
//! added, changed or two swapped) or typed another way (Arabic for Thai digits, a space dropped
//! or added, a look-alike letter of another script), `check` says where and which name was
//! meant. Names are compared in the normal form of [`crate::content::typing`], so a name typed
//! with a slip of Thai typing is still found, and that slip is left to its own warning.

use std::ops::Range;

use strsim::generic_damerau_levenshtein as distance;

use crate::content::typing::{Normal, normal, same_but_slips};
use crate::content::{Agency, Unit};
use crate::diag::{Code, Diagnostic, Location, Message};
use crate::msg;

/// What an own name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Abbreviation,
    Name,
    UnitCode,
    UnitName,
    Glossary,
}

impl Kind {
    fn words(self) -> Message {
        match self {
            Kind::Abbreviation => msg!("อักษรย่อของหน่วยงาน", "the agency's abbreviation"),
            Kind::Name => msg!("ชื่อหน่วยงาน", "the agency's name"),
            Kind::UnitCode => msg!("รหัสหน่วยงานภายใน", "the unit code"),
            Kind::UnitName => msg!("ชื่อหน่วยงานภายใน", "the unit name"),
            Kind::Glossary => msg!("คำใน glossary", "the glossary term"),
        }
    }
}

/// One of the agency's own names, as defined and in normal form.
struct Own {
    name: String,
    normal: Vec<char>,
    kind: Kind,
}

/// The agency's own names, and every spelling that is right as written: the names and the
/// abbreviations of other organisations the agency lists.
pub(super) struct Names {
    own: Vec<Own>,
    exact: Vec<Vec<char>>,
}

impl Names {
    pub(super) fn of(agency: &Agency, units: &[Unit]) -> Self {
        let mut own: Vec<Own> = Vec::new();
        let mut add = |name: &str, kind| {
            let n: Vec<char> = normal(name).chars().collect();
            if !n.is_empty() && !own.iter().any(|o| o.normal == n) {
                own.push(Own {
                    name: name.trim().to_string(),
                    normal: n,
                    kind,
                });
            }
        };
        add(&agency.abbreviation, Kind::Abbreviation);
        add(&agency.name, Kind::Name);
        for u in units {
            add(&u.code, Kind::UnitCode);
        }
        for u in units {
            if let Some(name) = &u.name {
                add(name, Kind::UnitName);
            }
        }
        for term in &agency.glossary {
            add(term, Kind::Glossary);
        }
        let mut exact: Vec<Vec<char>> = own.iter().map(|o| o.normal.clone()).collect();
        exact.extend(
            (agency.other_abbreviations.iter())
                .map(|a| normal(a).chars().collect::<Vec<_>>())
                .filter(|n| !n.is_empty()),
        );
        Self { own, exact }
    }
}

/// How many slips a name of `n` characters (in normal form) may hold and still be taken for a
/// slip of it: none in a name of three or fewer (a code such as `กค.` is one letter from too
/// many words), one up to 19, two in longer names.
fn allowed(n: usize) -> usize {
    match n {
        0..=3 => 0,
        4..=19 => 1,
        _ => 2,
    }
}

/// Names shorter than this are compared with whole words only: inside a run of Thai, any few
/// letters are one letter from a short code. Longer names are looked for inside runs too.
const SHORT: usize = 6;

/// A place in a text where one of the names is written other than as defined.
#[derive(Debug, PartialEq, Eq)]
struct Found {
    /// Bytes of the text.
    range: Range<usize>,
    /// Index of the name in [`Names::own`].
    name: usize,
    /// A slip of a letter (else the same name typed another way).
    near: bool,
}

/// Every place in `text` where an own name is written with a slip or typed another way.
fn find(names: &Names, text: &str) -> Vec<Found> {
    let n = Normal::of(text);
    let mut covered: Vec<(usize, usize)> = Vec::new();
    let mut found = Vec::new();
    for form in &names.exact {
        for at in occurrences(&n.chars, form) {
            covered.push((at, at + form.len()));
            let Some(i) = names.own.iter().position(|o| &o.normal == form) else {
                continue;
            };
            let range = n.bytes(at, at + form.len());
            let typed = &text[range.clone()];
            if !same_but_slips(typed, &names.own[i].name) {
                found.push(Found {
                    range,
                    name: i,
                    near: false,
                });
            }
        }
    }
    // Text written exactly as a name is never a slip of another: "การประปาส่วนภูมิภาคเขต ๖" holds
    // the word "การประปาส่วนภูมิภาคเขต", a number away from the name itself; nor is a name
    // that ends in a number written without it, or with another (`number_base`).
    let exact: Vec<Range<usize>> = covered.iter().map(|&(a, b)| n.bytes(a, b)).collect();
    let mut bases: Vec<Range<usize>> = Vec::new();
    for base in names.own.iter().filter_map(|o| number_base(&o.normal)) {
        let at = occurrences(&n.chars, base).into_iter();
        bases.extend(at.map(|at| n.bytes(at, at + base.len())));
    }
    let words = words_of(names, text);
    let mut near: Vec<((usize, usize, usize), Found)> = Vec::new();
    for (i, own) in names.own.iter().enumerate() {
        let k = allowed(own.normal.len());
        if k == 0 {
            continue;
        }
        // A whole word is a better guess than a stretch of a run (the stretch may reach into
        // the next word): rank 0 before 1.
        let words = whole_words(&words, &own.normal, k).into_iter();
        let words = words.map(|(r, d, off)| (r, d, 0, off));
        let stretches = if own.normal.len() >= SHORT {
            windows(&n, &own.normal, k, &covered)
        } else {
            Vec::new()
        };
        let stretches = stretches.into_iter().map(|(r, d, off)| (r, d, 1, off));
        for (range, d, rank, off) in words.chain(stretches) {
            let inside = |r: &Range<usize>| r.start <= range.start && range.end <= r.end;
            let overlaps = |r: &Range<usize>| r.start < range.end && range.start < r.end;
            if exact.iter().any(inside) || bases.iter().any(overlaps) {
                continue;
            }
            if !same_but_slips(&text[range.clone()], &own.name) {
                let f = Found {
                    range,
                    name: i,
                    near: true,
                };
                near.push(((d, rank, off), f));
            }
        }
    }
    // Of slips that overlap, the nearest is the one meant.
    near.sort_by_key(|(key, f)| (*key, f.range.start));
    for (_, f) in near {
        let overlaps = |g: &Found| g.range.start < f.range.end && f.range.start < g.range.end;
        if !found.iter().any(overlaps) {
            found.push(f);
        }
    }
    found.sort_by_key(|f| f.range.start);
    found
}

/// A name that ends in a number without it: an area or region office names its neighbours
/// (กปภ.ข.๗ beside กปภ.ข.๖) and its kind without the number ("การประปาส่วนภูมิภาคเขตทั้ง ๑๐
/// เขต"); text holding the name so is no slip of a letter.
fn number_base(name: &[char]) -> Option<&[char]> {
    let base = name.len() - name.iter().rev().take_while(|c| c.is_ascii_digit()).count();
    (base < name.len() && base >= SHORT).then(|| &name[..base])
}

/// Where `form` occurs in `chars`, not overlapping.
fn occurrences(chars: &[char], form: &[char]) -> Vec<usize> {
    let mut out = Vec::new();
    if form.is_empty() {
        return out;
    }
    let mut at = 0;
    while at + form.len() <= chars.len() {
        if chars[at] == form[0] && chars[at..at + form.len()] == *form {
            out.push(at);
            at += form.len();
        } else {
            at += 1;
        }
    }
    out
}

/// Stretches of the normal form within `k` slips of `name` (at least one) that overlap no right
/// spelling: by the pigeonhole, one of `k + 1` pieces of the name is in the stretch as written,
/// so only the places of the pieces are tried. Each with its distance and how far its length
/// is from the name's.
fn windows(
    n: &Normal,
    name: &[char],
    k: usize,
    covered: &[(usize, usize)],
) -> Vec<(Range<usize>, usize, usize)> {
    let len = name.len();
    let mut starts = std::collections::BTreeSet::new();
    for p in 0..=k {
        let (a, b) = (p * len / (k + 1), (p + 1) * len / (k + 1));
        for q in occurrences(&n.chars, &name[a..b]) {
            let guess = q as isize - a as isize;
            for s in guess - k as isize..=guess + k as isize {
                if s >= 0 {
                    starts.insert(s as usize);
                }
            }
        }
    }
    let mut out = Vec::new();
    for start in starts {
        let best = (len - k..=len + k)
            .filter(|l| start + l <= n.chars.len())
            .filter(|l| !covered.iter().any(|&(a, b)| start < b && a < start + l))
            .filter(|l| bag_distance(&n.chars[start..start + l], name) <= k)
            .map(|l| {
                (
                    distance(&n.chars[start..start + l], name),
                    l.abs_diff(len),
                    l,
                )
            })
            .filter(|&(d, _, _)| (1..=k).contains(&d))
            .min();
        if let Some((d, off, l)) = best {
            out.push((n.bytes(start, start + l), d, off));
        }
    }
    out
}

/// The words of `text` (between spaces, slashes, brackets, commas and quotes), each in normal
/// form, without the right spellings (`DEPA.` ends a sentence, and is right).
fn words_of(names: &Names, text: &str) -> Vec<(Range<usize>, Vec<char>)> {
    let split = |c: char| c.is_whitespace() || "/()[],;:\"'“”‘’".contains(c);
    let mut out = Vec::new();
    let mut from = 0;
    for (at, c) in text.char_indices().chain([(text.len(), ' ')]) {
        if !split(c) {
            continue;
        }
        let word = &text[from..at];
        from = at + c.len_utf8();
        if word.is_empty() {
            continue;
        }
        let w: Vec<char> = normal(word).chars().collect();
        let sentence_end = (w.split_last())
            .filter(|(c, _)| matches!(c, '.' | 'ฯ'))
            .map(|(_, w)| w);
        if !w.is_empty() && !(names.exact.iter()).any(|e| *e == w || sentence_end == Some(e)) {
            out.push((at - word.len()..at, w));
        }
    }
    out
}

/// A bound below the distance of two stretches, in one pass over each: the letters one has more
/// of than the other (each slip adds at most one). Letters are counted in 256 buckets, ASCII and
/// Thai a bucket each; letters of other scripts that share a bucket only lower the bound, which so
/// stays a bound. (It sorted copies of both: with its caller, the largest of the checks' costs in
/// a batch.)
fn bag_distance(a: &[char], b: &[char]) -> usize {
    fn bucket(c: char) -> usize {
        let c = u32::from(c);
        (match c {
            0..=0x7F => c,
            0x0E00..=0x0E7F => c - 0x0E00 + 0x80,
            _ => c & 0xFF,
        }) as usize
    }
    let mut count = [0i32; 256];
    for &c in a {
        count[bucket(c)] += 1;
    }
    for &c in b {
        count[bucket(c)] -= 1;
    }
    let (mut more, mut fewer) = (0, 0);
    for &c in a.iter().chain(b) {
        // Each bucket counted once: taken, it reads 0 the next time.
        match std::mem::take(&mut count[bucket(c)]) {
            n if n > 0 => more += n,
            n => fewer -= n,
        }
    }
    more.max(fewer) as usize
}

/// The words ([`words_of`]) within `k` slips of `name` (at least one): a word may hold the name
/// and a letter more (`รพ.สต.บ้านนาา`).
fn whole_words(
    words: &[(Range<usize>, Vec<char>)],
    name: &[char],
    k: usize,
) -> Vec<(Range<usize>, usize, usize)> {
    let mut out = Vec::new();
    for (range, w) in words {
        let off = w.len().abs_diff(name.len());
        if off > k || bag_distance(w, name) > k {
            continue;
        }
        let d = distance(w, name);
        if (1..=k).contains(&d) {
            out.push((range.clone(), d, off));
        }
    }
    out
}

/// Fields that name a unit by itself, checked against the units as a whole ([`super::measures`]):
/// a slip there is already an error with its "did you mean".
fn names_a_unit(path: &str) -> bool {
    path == "preparer"
        || path == "coordinator"
        || (path.starts_with("measures[")
            && (path.contains("].units[") || path.ends_with("].coordinator")))
}

/// Every own name written with a slip or typed another way, in every value of the year's files:
/// a slip of the abbreviation is an error (as it always was), of another name a warning, and a
/// name typed another way a warning; each says which name was meant.
pub(super) fn check_names(texts: &[super::FileText], names: &Names) -> crate::diag::Diagnostics {
    let mut out = Vec::new();
    for super::FileText { file, text, index } in texts {
        for scalar in index.scalars().iter().filter(|s| !names_a_unit(&s.path)) {
            let start = scalar.range.start;
            for f in find(names, &text[scalar.range.clone()]) {
                let range = start + f.range.start..start + f.range.end;
                let typed = &text[range.clone()];
                out.push(
                    diagnostic(&names.own[f.name], typed, f.near)
                        .at(Some(Location { file: *file, range }))
                        .field(scalar.path.clone()),
                );
            }
        }
    }
    crate::diag::Diagnostics(out)
}

/// The diagnostic of a name written as `typed`.
fn diagnostic(own: &Own, typed: &str, near: bool) -> Diagnostic {
    let name = &own.name;
    let kind = own.kind.words();
    let (th_kind, en_kind) = (&kind.th, &kind.en);
    let d = if !near {
        let (th, en) = how_typed(typed, name);
        Diagnostic::warning(
            Code::NameTypedDifferently,
            msg!(
                "\"{typed}\" พิมพ์ต่างจาก{th_kind} \"{name}\" ({th})",
                "\"{typed}\" is typed otherwise than {en_kind} \"{name}\" ({en})"
            ),
        )
    } else if own.kind == Kind::Abbreviation {
        Diagnostic::error(
            Code::AbbreviationMisspelt,
            msg!(
                "อักษรย่อ \"{typed}\" ต่างจากอักษรย่อของหน่วยงาน \"{name}\"",
                "abbreviation \"{typed}\" differs from the agency's \"{name}\""
            ),
        )
    } else {
        Diagnostic::warning(
            Code::NameMisspelt,
            msg!(
                "\"{typed}\" ต่างจาก{th_kind} \"{name}\" เพียงตัวอักษรเดียว",
                "\"{typed}\" is a letter away from {en_kind} \"{name}\""
            ),
        )
    };
    let d = d.hint(msg!("หมายถึง \"{name}\" หรือไม่", "did you mean \"{name}\"?"));
    if near {
        d.hint(msg!(
            "ถ้าเป็นชื่อของหน่วยงานอื่น ให้เพิ่มไว้ใน agency.other_abbreviations",
            "if it names another organisation, list it in agency.other_abbreviations"
        ))
    } else {
        d
    }
}

/// What tells a name typed another way from the name, in Thai and English.
fn how_typed(typed: &str, name: &str) -> (String, String) {
    let thai_digit = |t: &str| t.chars().any(|c| ('\u{0E50}'..='\u{0E59}').contains(&c));
    let arabic_digit = |t: &str| t.chars().any(|c| c.is_ascii_digit());
    let spaces = |t: &str| t.split_whitespace().collect::<String>();
    let mut th = Vec::new();
    let mut en = Vec::new();
    if thai_digit(name) && arabic_digit(typed) {
        th.push("เลขอารบิกแทนเลขไทย");
        en.push("Arabic digits for Thai ones");
    }
    if arabic_digit(name) && thai_digit(typed) {
        th.push("เลขไทยแทนเลขอารบิก");
        en.push("Thai digits for Arabic ones");
    }
    if spaces(typed) == spaces(name) {
        th.push("เว้นวรรคต่างกัน");
        en.push("other spaces");
    }
    if typed
        .chars()
        .any(|c| ('\u{0370}'..='\u{052F}').contains(&c))
    {
        th.push("อักษรซีริลลิกหรือกรีกที่หน้าตาเหมือนอักษรละติน");
        en.push("Cyrillic or Greek look-alike letters");
    }
    if th.is_empty() {
        th.push("ตัวพิมพ์ใหญ่เล็กหรือการพิมพ์ต่างกัน");
        en.push("other capitals or typing");
    }
    (th.join(", "), en.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The bag distance never exceeds the distance it filters by (so no slip is missed), and
        /// is the multiset difference for ASCII and Thai letters, whose buckets are their own.
        #[test]
        fn the_bag_distance_is_a_bound_below_the_distance(
            a in "[กขคงจ่้ำาะเ.0-9a-zA-Z\u{0100}-\u{0300}]{0,12}",
            b in "[กขคงจ่้ำาะเ.0-9a-zA-Z\u{0100}-\u{0300}]{0,12}",
        ) {
            let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            prop_assert!(bag_distance(&a, &b) <= distance(&a, &b));
            if a.iter().chain(&b).all(|c| c.is_ascii() || ('\u{0E00}'..='\u{0E7F}').contains(c)) {
                // The letters of `x` left over when each is matched with one of `y`.
                let more = |x: &[char], y: &[char]| {
                    let mut y = y.to_vec();
                    x.iter().filter(|c| match y.iter().position(|d| d == *c) {
                        Some(i) => { y.swap_remove(i); false }
                        None => true,
                    }).count()
                };
                prop_assert_eq!(bag_distance(&a, &b), more(&a, &b).max(more(&b, &a)));
            }
        }
    }

    fn names(abbreviation: &str, units: &[&str], other: &[&str]) -> Names {
        let agency = Agency {
            name: "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาแดนดี เขต ๒".into(),
            abbreviation: abbreviation.into(),
            head: String::new(),
            group: String::new(),
            other_abbreviations: other.iter().map(|s| s.to_string()).collect(),
            glossary: vec![],
        };
        let units: Vec<Unit> = (units.iter())
            .map(|u| Unit {
                code: u.to_string(),
                name: None,
            })
            .collect();
        Names::of(&agency, &units)
    }

    /// What `find` reports in `text`: the text of each place and whether it is a slip.
    fn found<'t>(n: &Names, text: &'t str) -> Vec<(&'t str, bool)> {
        find(n, text)
            .into_iter()
            .map(|f| (&text[f.range], f.near))
            .collect()
    }

    #[test]
    fn slips_of_a_short_abbreviation_are_whole_words() {
        let n = names("สลน.", &["ศปท.", "สสจ.", "สสธ."], &[]);
        assert_eq!(
            found(&n, "ของ สสน. และ สทน./ทุกหน่วยงาน เสนอ ลธน. ป.ป.ช. (สลน.)"),
            [("สสน.", true), ("สทน.", true)]
        );
        // Inside a run of Thai, a short code is not looked for; a unit's code is no slip.
        assert!(found(&n, "ของสสน.ได้ สสจ. สสธ. สลน.ได้").is_empty());
        let n = names("DEPA", &[], &[]);
        assert_eq!(found(&n, "DEPAA และ DEPA."), [("DEPAA", true)]);
        // Three letters or fewer: no near misses.
        let n = names("กค.", &[], &[]);
        assert!(found(&n, "กข. กค กคค.").is_empty());
    }

    #[test]
    fn slips_of_a_long_abbreviation_inside_thai_runs() {
        let n = names("ทต.ห้วยทรายทอง", &[], &[]);
        assert_eq!(found(&n, "ของทต.หัวยทรายทองได้"), [("ทต.หัวยทรายทอง", true)]);
        assert!(found(&n, "ของทต.ห้วยทรายทองได้").is_empty());
        // The word with a letter dropped, not a stretch reaching into the next word.
        assert_eq!(
            found(&n, "ของ ทต.ห้วยทรายทอ ทุกแห่ง"),
            [("ทต.ห้วยทรายทอ", true)]
        );
    }

    #[test]
    fn an_area_office_abbreviation_in_every_slip() {
        let n = names("สพป.แดนดี เขต ๒", &["กลุ่มอำนวยการ"], &[]);
        for (typed, near) in [
            ("สพป.แดนดี เขต 2", false),
            ("สพป.แดนดีเขต ๒", false),
            ("สพป. แดนดี เขต ๒", false),
            ("สพป.แดนด เขต ๒", true),
            ("สพป.แดนดีน เขต ๒", true),
            ("สปพ.แดนดี เขต ๒", true),
            ("สพบ.แดนดี เขต ๒", true),
        ] {
            let text = format!("ให้ {typed} ดำเนินการ");
            assert_eq!(found(&n, &text), [(typed, near)], "{typed}");
        }
        // A slip of Thai typing is the typing warning's, not a second one here.
        assert!(found(&n, "ให้ สพป.เเดนดี เขต ๒ ดำเนินการ").is_empty());
        assert!(found(&n, "ให้ สพป.แดนดี เขต ๒ และ สพป.แดนดี\n  เขต ๒ ดำเนินการ").is_empty());
        // Another area office the agency lists is no slip.
        let n = names("สพป.แดนดี เขต ๒", &[], &["สพป.แดนดี เขต ๑"]);
        assert!(found(&n, "ร่วมกับ สพป.แดนดี เขต ๑").is_empty());
    }

    #[test]
    fn a_region_office_its_name_and_its_neighbours() {
        let agency = Agency {
            name: "การประปาส่วนภูมิภาคเขต ๖".into(),
            abbreviation: "กปภ.ข.๖".into(),
            head: String::new(),
            group: String::new(),
            other_abbreviations: vec![],
            glossary: vec![],
        };
        let n = Names::of(&agency, &[]);
        for right in [
            "การประปาส่วนภูมิภาคเขต ๖",
            "ศูนย์ปฏิบัติการต่อต้านการทุจริต การประปาส่วนภูมิภาคเขต ๖",
            "ผู้อำนวยการการประปาส่วนภูมิภาคเขต ๖ ประกาศ",
            "การประปาส่วนภูมิภาคเขตทั้ง ๑๐ เขต",
            "ร่วมกับ กปภ.ข.๗ และ กปภ.ข.๖",
        ] {
            assert!(
                found(&n, right).is_empty(),
                "{right}: {:?}",
                found(&n, right)
            );
        }
        assert_eq!(
            found(&n, "ของ การประปาส่วนภูมิภาคเขด ๖ ทุกแห่ง"),
            [("การประปาส่วนภูมิภาคเขด ๖", true)]
        );
        assert_eq!(found(&n, "ร่วมกับ กปภ.ค.๖"), [("กปภ.ค.๖", true)]);
    }

    #[test]
    fn unit_names_and_look_alikes() {
        let n = names("DEPA", &["กลุ่มนิเทศ ติดตามและประเมินผล"], &[]);
        assert_eq!(
            found(&n, "โดย กลุ่มนิเทศ ติดตามและประเมิณผล"),
            [("กลุ่มนิเทศ ติดตามและประเมิณผล", true)]
        );
        // Cyrillic Е in DEPA: the typing warning's too (it has its fix).
        assert!(found(&n, "DЕPA").is_empty());
        assert_eq!(found(&n, "Depa"), [("Depa", false)]);
    }
}

//! Thai word segmentation: maximal matching constrained by Thai character clusters (TCC), the
//! `newmm` algorithm of PyThaiNLP as nlpo3 1.4 implements it, over `words_th.txt` built into a
//! trie at compile time (`build.rs`).
//!
//! nlpo3 itself builds its trie at run time (90 ms for the whole list, 4-5 ms for the words a
//! report can hold) and spends most of its segmenting in regular expressions over a four-byte
//! string form and in allocations. This finds the same words (tests compare the two on the
//! bundled content and on random text) at a fraction of the cost; nlpo3 stays a dev-dependency
//! to check that.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::sync::LazyLock;

/// The word list, as `build.rs` made it. Not a cache: constant data compiled into the binary.
static TRIE: LazyLock<crawdad::MpTrie> = LazyLock::new(|| {
    crawdad::MpTrie::deserialize_from_slice(include_bytes!(concat!(env!("OUT_DIR"), "/words.trie")))
        .0
});

/// Reads the trie now, on a core that is otherwise idle, rather than at the first word.
pub(crate) fn warm() {
    LazyLock::force(&TRIE);
}

/// Edges the word graph may gain before all its paths meet again, as in nlpo3: past it, a place
/// gets no more words (a guard against exponential time on long ambiguous runs).
const MAX_GRAPH_SIZE: usize = 50;

/// The end of each word of `text`, in characters: the path with the fewest words through the
/// words of the list that start and end on cluster boundaries, and where no word fits, a run of
/// Latin letters, digits or spaces, or the Thai up to where a word (not of two consonants or
/// fewer) or such a run starts. `None` where nlpo3 would fail (not seen on any input).
pub(super) fn segment(text: &[char]) -> Option<Vec<usize>> {
    segment_in(text, &clusters(text))
}

/// The firm ends ([`firm_ends`]) of [`segment`]'s words: the cluster boundaries found once for
/// both (finding them was two thirds of segmenting a piece).
pub(super) fn firm_words(text: &[char]) -> Option<Vec<usize>> {
    let boundary = clusters(text);
    let ends = segment_in(text, &boundary)?;
    Some(firm_ends(text, &ends, &boundary))
}

/// [`segment`] with the cluster boundaries of `text` found.
fn segment_in(text: &[char], boundary: &[bool]) -> Option<Vec<usize>> {
    let n = text.len();
    let words = |at: usize| {
        TRIE.common_prefix_search(text[at..].iter().copied())
            .map(move |(_, len)| at + len)
            .filter(|&end| boundary[end])
    };
    let mut ends = Vec::with_capacity(n / 4);
    // The words from each place, in the order found: those of a place are found together, so
    // `graph.from[at]` is a range of `graph.to`.
    let mut graph = Graph {
        from: vec![0..0; n],
        to: Vec::with_capacity(n),
    };
    let mut graph_size = 0;
    let mut queued = vec![false; n + 1];
    let mut queue = BinaryHeap::from([Reverse(0)]);
    queued[0] = true;
    // Where the words found so far end.
    let mut done = 0;
    while let Some(&Reverse(begin)) = queue.peek().filter(|p| p.0 < n) {
        queue.pop();
        let first = graph.to.len();
        for end in words(begin) {
            graph.to.push(end);
            graph.from[begin] = first..graph.to.len();
            graph_size += 1;
            if !queued[end] {
                queued[end] = true;
                queue.push(Reverse(end));
            }
            if graph_size > MAX_GRAPH_SIZE {
                break;
            }
        }
        match queue.len() {
            // All paths meet at one place: the shortest one up to it is settled.
            1 => {
                let goal = queue.peek()?.0;
                ends.extend(shortest_path(&graph, done, goal)?);
                graph_size = 0;
                done = goal;
            }
            // No word starts here (and then `done == begin`).
            0 => {
                let end = match non_thai(&text[begin..]) {
                    Some(len) => begin + len,
                    None => (begin + 1..n)
                        .find(|&at| {
                            boundary[at]
                                && (words(at).any(|end| !two_consonants(&text[at..end]))
                                    || non_thai(&text[at..]).is_some())
                        })
                        .unwrap_or(n),
                };
                graph_size += 1;
                ends.push(end);
                done = end;
                queued[end] = true;
                queue.push(Reverse(end));
            }
            _ => {}
        }
    }
    Some(ends)
}

/// Fewest characters of a word of the list that closes a boundary it spans (see [`firm_ends`]):
/// shorter words of the list are often pieces (นก, ตามมา) that happen to run across two words.
const SPANNING_WORD: usize = 5;

/// The ends of `ends` (as [`segment`] gives them) that are firm: no word of the list of five
/// characters or more starts at an earlier end (or the start) and runs across it. Maximal matching
/// picks one path of several with as few words: "จัด|ทำเป็น" where a reader reads จัดทำ|เป็น,
/// "ช่อง|ทางการ" for ช่องทาง|การ, "ราชการ|ราย|ไตรมาส" beside รายไตรมาส. A line breaks only where
/// every reading agrees there is a boundary; the others stay whole on a line, as Word keeps a
/// compound where the line has room (a unit wider than its cell still breaks there, see
/// `words::break_words_at`).
/// `boundary`: the cluster boundaries of `text`, found once for [`segment_in`] and this.
fn firm_ends(text: &[char], ends: &[usize], boundary: &[bool]) -> Vec<usize> {
    let mut spanned = vec![false; text.len() + 1];
    for &start in std::iter::once(&0).chain(ends) {
        if start >= text.len() {
            continue;
        }
        let words = TRIE.common_prefix_search(text[start..].iter().copied());
        for end in words.map(|(_, len)| start + len) {
            if end - start >= SPANNING_WORD && boundary[end] {
                spanned[start + 1..end].iter_mut().for_each(|s| *s = true);
            }
        }
    }
    ends.iter().copied().filter(|&e| !spanned[e]).collect()
}

/// Whether a word of the list of five characters or more starts at character `start` of `run`
/// and runs across the place `at` characters after it: a glossary term's edge there is no
/// boundary a reader sees (ไตรมาส, a NACC term, inside รายไตรมาส). `boundary`: the cluster
/// boundaries of `run` ([`clusters`]), found once for all the starts tried in it. Clusters are
/// found left to right, each from where the last ended, so from a boundary of `run` on they are
/// what the rest alone gives; only a start that is none has the rest's found again.
pub(super) fn spans(run: &[char], boundary: &[bool], start: usize, at: usize) -> bool {
    let text = &run[start..];
    let fresh;
    let boundary = if start == 0 || boundary[start] {
        &boundary[start..]
    } else {
        fresh = clusters(text);
        &fresh[..]
    };
    TRIE.common_prefix_search(text.iter().copied())
        .any(|(_, len)| len >= SPANNING_WORD && len > at && boundary[len])
}

/// Where a word too wide for its line may break before it is cut between its clusters: the ends
/// (in characters, before the last) of the fewest dictionary words, two or more, that make it up
/// (เทคโนโลยีสารสนเทศ -> เทคโนโลยี|สารสนเทศ, สำนักปลัดเทศบาล -> สำนักปลัด|เทศบาล). Empty when
/// no such words cover it.
pub(super) fn parts(word: &[char]) -> Vec<usize> {
    let n = word.len();
    let boundary = clusters(word);
    // Breadth first from the start, never along the one word that spans it all.
    let mut from = vec![usize::MAX; n + 1];
    let mut queue = VecDeque::from([0]);
    while let Some(at) = queue.pop_front() {
        let ends = TRIE.common_prefix_search(word[at..].iter().copied());
        for end in ends.map(|(_, len)| at + len) {
            if !boundary[end] || (at == 0 && end == n) || from[end] != usize::MAX {
                continue;
            }
            from[end] = at;
            if end == n {
                let mut path = Vec::new();
                let mut at = from[n];
                while at != 0 {
                    path.push(at);
                    at = from[at];
                }
                path.reverse();
                return path;
            }
            queue.push_back(end);
        }
    }
    Vec::new()
}

/// Whether `word` is one word of the list (`words_th.txt` with `compounds_th.txt`), as a whole.
pub(super) fn is_word(word: &[char]) -> bool {
    TRIE.exact_match(word.iter().copied()).is_some()
}

/// The places after `start` on the breadth-first path from `start` to `goal` (nlpo3's search
/// keeps every path in its queue; keeping the first path to each place finds the same one).
fn shortest_path(graph: &Graph, start: usize, goal: usize) -> Option<Vec<usize>> {
    // Where each place between `start` and `goal` was first reached from (a piece of text can
    // be long, and a path short: this is sized by the path's stretch, not the text).
    let mut from = vec![usize::MAX; goal - start];
    let mut queue = VecDeque::from([start]);
    while let Some(at) = queue.pop_front() {
        let edges = graph.from.get(at).cloned().unwrap_or(0..0);
        for &next in &graph.to[edges] {
            if next == goal {
                let mut path = vec![goal];
                let mut at = at;
                while at != start {
                    path.push(at);
                    at = from[at - start];
                }
                path.reverse();
                return Some(path);
            }
            if next < goal && from[next - start] == usize::MAX {
                from[next - start] = at;
                queue.push_back(next);
            }
        }
    }
    None
}

/// The words found from each place: `to[from[at]]` are where they end.
struct Graph {
    from: Vec<std::ops::Range<usize>>,
    to: Vec<usize>,
}

/// A word of at most two characters, all consonants, which never ends an unknown run.
fn two_consonants(word: &[char]) -> bool {
    word.len() <= 2 && word.iter().all(|c| ('ก'..='ฮ').contains(c))
}

/// The length of the run at the start of `text` that nlpo3 reads as one non-Thai token: Latin
/// letters and hyphens, a number (Arabic or Thai digits, with `,` or `.` between groups), spaces
/// and tabs, or a line end.
fn non_thai(text: &[char]) -> Option<usize> {
    let run = |from: usize, f: fn(&char) -> bool| text[from..].iter().take_while(|c| f(c)).count();
    let number = |digit: fn(&char) -> bool| {
        let mut len = run(0, digit);
        while matches!(text.get(len), Some(',' | '.')) && run(len + 1, digit) > 0 {
            len += 1 + run(len + 1, digit);
        }
        len
    };
    let len = match text.first()? {
        '-' | 'a'..='z' | 'A'..='Z' => run(0, |c| matches!(c, '-' | 'a'..='z' | 'A'..='Z')),
        '0'..='9' => number(char::is_ascii_digit),
        '๐'..='๙' => number(|c| ('๐'..='๙').contains(c)),
        ' ' | '\t' => run(0, |c| matches!(c, ' ' | '\t')),
        '\n' => 1,
        '\r' if text.get(1) == Some(&'\n') => 2,
        _ => 0,
    };
    (len > 0).then_some(len)
}

/// Where each Thai character cluster of `text` ends: `true` at those places (in characters).
pub(super) fn clusters(text: &[char]) -> Vec<bool> {
    let mut boundary = vec![false; text.len() + 1];
    let mut at = 0;
    let tcc = &*TCC;
    while at < text.len() {
        let rest = &text[at..];
        // Only the rules that can start with this character are tried, in their order.
        let rules = thai_index(rest[0]).map_or(&[][..], |k| &tcc.by_first[k]);
        at += match rules.iter().find_map(|&r| tcc.rules[r].match_len(rest)) {
            // nlpo3 drops the last character of a match the look-ahead rules also match.
            Some(len)
                if tcc
                    .ahead
                    .iter()
                    .any(|r| r.match_len(&rest[..len]).is_some()) =>
            {
                len - 1
            }
            Some(len) => len,
            None => 1,
        };
        boundary[at] = true;
    }
    boundary
}

/// nlpo3's cluster rules (`tcc_rules.rs`), in its notation and order: `c` a consonant, `t` an
/// optional tone mark, `k` an optional final (a consonant or two, an optional vowel ุ ู ิ, and ์),
/// `[...]` a class, `?` an optional character, parentheses only grouping. The first rule that
/// matches at a place makes the cluster there, as in nlpo3's regular expression.
const RULES: &[&str] = &[
    "เc็ck",
    "เcctาะk",
    "เccีtยะk",
    "เcc็ck",
    "เcิc์ck",
    "เcิtck",
    "เcีtยะ?k",
    "เcืtอะ?k",
    "เctา?ะ?k",
    "cัtวะk",
    "c[ัื]tc[ุิะ]?k",
    "c[ิุู]์k",
    "c[ะ-ู]tk",
    "cรรc์ ็", // with a space, as in nlpo3
    "c็",
    "ct[ะาำ]?k",
    "ck",
    "แc็c",
    "แcc์",
    "แctะ",
    "แcc็c",
    "แccc์",
    "โctะ",
    "[เ-ไ]ct",
    "ก็",
    "อึ",
    "หึ",
    "(เccีtย)[เ-ไก-ฮ]k",
    "(เc[ิีุู]tย)[เ-ไก-ฮ]k",
];

/// nlpo3's look-ahead rules: a cluster they also match loses its last character.
const AHEAD: &[&str] = &["(เccีtย)[เ-ไก-ฮ]k", "(เc[ิีุู]tย)[เ-ไก-ฮ]k"];

struct Tcc {
    rules: Vec<Rule>,
    ahead: Vec<Rule>,
    /// For each character of the Thai block, the rules whose first atom it can be, in order
    /// (every rule starts with one character that is not optional, of the Thai block).
    by_first: Vec<Vec<usize>>,
}

// Not a cache: the cluster rules, constant, compiled once.
static TCC: LazyLock<Tcc> = LazyLock::new(|| {
    let rules: Vec<Rule> = RULES.iter().map(|r| Rule::parse(r)).collect();
    let by_first = (0..128)
        .map(|k| {
            let c = char::from_u32(0x0E00 + k).unwrap_or('\0');
            (0..rules.len())
                .filter(|&r| match rules[r].0.first() {
                    Some(Atom::One(class)) => class.has(c),
                    _ => true,
                })
                .collect()
        })
        .collect();
    Tcc {
        rules,
        ahead: AHEAD.iter().map(|r| Rule::parse(r)).collect(),
        by_first,
    }
});

/// One rule: its atoms in order; `Final` (`k`) only last.
struct Rule(Vec<Atom>);

enum Atom {
    One(Class),
    Optional(Class),
    Final,
}

/// A set of characters: a bit for each of the Thai block (U+0E00-U+0E7F), and the space (in
/// one rule of nlpo3's).
#[derive(Clone, Copy)]
struct Class {
    thai: u128,
    space: bool,
}

impl Class {
    fn of(ranges: &[(char, char)]) -> Self {
        let mut class = Class {
            thai: 0,
            space: false,
        };
        for &(a, b) in ranges {
            for c in a..=b {
                match thai_bit(c) {
                    Some(bit) => class.thai |= bit,
                    None => class.space |= c == ' ',
                }
            }
        }
        class
    }

    fn has(self, c: char) -> bool {
        match thai_bit(c) {
            Some(bit) => self.thai & bit != 0,
            None => self.space && c == ' ',
        }
    }
}

fn thai_bit(c: char) -> Option<u128> {
    thai_index(c).map(|k| 1 << k)
}

/// The place of `c` in the Thai block (U+0E00-U+0E7F).
fn thai_index(c: char) -> Option<usize> {
    (c as u32)
        .checked_sub(0x0E00)
        .filter(|k| *k < 128)
        .map(|k| k as usize)
}

/// `k` as atoms: a consonant, an optional second one, an optional ุ ู or ิ, then ์.
// Not a cache: a constant rule.
static FINAL: LazyLock<Rule> = LazyLock::new(|| Rule::parse("cc?[ุูิ]?์"));

impl Rule {
    fn parse(rule: &str) -> Self {
        let mut atoms = Vec::new();
        let mut chars = rule.chars().peekable();
        while let Some(c) = chars.next() {
            let class = match c {
                '(' | ')' => continue,
                'k' => {
                    atoms.push(Atom::Final);
                    continue;
                }
                't' => {
                    atoms.push(Atom::Optional(Class::of(&[('่', '๋')])));
                    continue;
                }
                'c' => Class::of(&[('ก', 'ฮ')]),
                '[' => {
                    let mut ranges = Vec::new();
                    while let Some(a) = chars.next().filter(|&a| a != ']') {
                        let b = match chars.peek() {
                            Some('-') => {
                                chars.next();
                                chars.next().unwrap_or(a)
                            }
                            _ => a,
                        };
                        ranges.push((a, b));
                    }
                    Class::of(&ranges)
                }
                c => Class::of(&[(c, c)]),
            };
            atoms.push(if chars.next_if_eq(&'?').is_some() {
                Atom::Optional(class)
            } else {
                Atom::One(class)
            });
        }
        Self(atoms)
    }

    /// The length of the match at the start of `text`, as a backtracking regular expression
    /// (and so the `regex` crate's leftmost-first search) finds it: an optional atom is taken
    /// whenever the rest can still match.
    fn match_len(&self, text: &[char]) -> Option<usize> {
        fn from(atoms: &[Atom], text: &[char], at: usize) -> Option<usize> {
            let Some((atom, rest)) = atoms.split_first() else {
                return Some(at);
            };
            let here = |class: Class| text.get(at).is_some_and(|&c| class.has(c));
            match *atom {
                Atom::One(class) => here(class).then(|| from(rest, text, at + 1))?,
                Atom::Optional(class) => (here(class))
                    .then(|| from(rest, text, at + 1))
                    .flatten()
                    .or_else(|| from(rest, text, at)),
                // Last, so nothing after it can fail: the final if it is there, which ends
                // in ์ one to three characters on (most places have none, and need no search).
                Atom::Final => {
                    let end = text.len().min(at + 4);
                    let ends = text.get(at + 1..end).is_some_and(|t| t.contains(&'์'));
                    ends.then(|| from(&FINAL.0, text, at))
                        .flatten()
                        .or(Some(at))
                }
            }
        }
        from(&self.0, text, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nlpo3::tokenizer::newmm::NewmmTokenizer;
    use nlpo3::tokenizer::tokenizer_trait::Tokenizer;
    use proptest::prelude::*;

    /// nlpo3 over the same words as the trie: the list and the compounds (build.rs).
    static NLPO3: LazyLock<NewmmTokenizer> = LazyLock::new(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("words.txt");
        let words = [
            include_str!("../words_th.txt"),
            include_str!("../compounds_th.txt"),
        ];
        std::fs::write(&path, words.join("\n")).unwrap();
        NewmmTokenizer::new(path.to_str().unwrap())
    });

    /// The words nlpo3 finds in `text`, and the ones `segment` does.
    fn both(text: &str) -> (Vec<String>, Vec<String>) {
        let theirs = NLPO3.segment(text, false, false).unwrap_or_default();
        let chars: Vec<char> = text.chars().collect();
        let mut ours = Vec::new();
        let mut at = 0;
        for end in segment(&chars).unwrap_or_default() {
            ours.push(chars[at..end].iter().collect());
            at = end;
        }
        (theirs, ours)
    }

    #[test]
    fn finds_nlpo3s_words_in_the_bundled_content_and_templates() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut pieces = 0;
        for entry in walkdir::WalkDir::new(root.join("content"))
            .into_iter()
            .chain(walkdir::WalkDir::new(root.join("templates")))
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
        {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            for piece in text.split_whitespace() {
                let (theirs, ours) = both(piece);
                assert_eq!(ours, theirs, "{}: {piece}", entry.path().display());
                pieces += 1;
            }
        }
        assert!(pieces > 4_000, "{pieces}");
    }

    #[test]
    fn clusters_follow_nlpo3s_examples() {
        // nlpo3's own tests of its clusters: พิ|สูจน์|ได้|ค่ะ and เรือ|น้|อ|ย|ล|อ|ย|อ|ยู่.
        let ends = |text: &str| {
            let chars: Vec<char> = text.chars().collect();
            let b = clusters(&chars);
            (1..b.len()).filter(|&i| b[i]).collect::<Vec<_>>()
        };
        assert_eq!(ends("พิสูจน์ได้ค่ะ"), [2, 7, 10, 13]);
        assert_eq!(ends("เรือน้อยลอยอยู่"), [4, 6, 7, 8, 9, 10, 11, 12, 15]);
        // The look-ahead rule's quirk: เกียร์ is matched whole, then loses its last character.
        assert_eq!(ends("เกียร์"), [5, 6]);
    }

    /// Text made of words of the list, Thai letters, vowels and marks, digits and Latin letters.
    fn text() -> impl Strategy<Value = String> {
        let list: Vec<&'static str> = include_str!("../words_th.txt").lines().collect();
        let others = vec![
            "1", "9", ",", ".", "-", "a", "Z", "๑", "๙", "์", "็", "ี", "ย", "เ",
        ];
        let piece = prop_oneof![
            4 => proptest::sample::select(list).prop_map(str::to_string),
            4 => proptest::char::range('\u{0E01}', '\u{0E5B}').prop_map(String::from),
            1 => proptest::sample::select(others).prop_map(str::to_string),
        ];
        proptest::collection::vec(piece, 1..40).prop_map(|p| p.concat())
    }

    #[test]
    fn finds_nlpo3s_words_where_the_word_graph_reaches_its_limit() {
        // Repeated consonants (กกนกกน…) whose paths seldom meet: the limit is reached there.
        for b in 'ก'..='ฮ' {
            for c in 'ก'..='ฮ' {
                let text: String = std::iter::repeat_n(['ก', b, c], 30).flatten().collect();
                let (theirs, ours) = both(&text);
                assert_eq!(ours, theirs, "{text}");
            }
        }
    }

    #[test]
    fn finds_nlpo3s_words_in_a_long_text_without_spaces() {
        let text = "ผลการประเมินคุณธรรมและความโปร่งใสของหน่วยงานภาครัฐฮฮฮ๑๒๓abc".repeat(60);
        let (theirs, ours) = both(&text);
        assert_eq!(ours, theirs);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2_000))]
        #[test]
        fn finds_nlpo3s_words_in_any_text(text in text()) {
            let (theirs, ours) = both(&text);
            prop_assert_eq!(ours, theirs);
        }
    }

    proptest! {
        // Every start and place of each text: fewer texts.
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// `spans` with a run's clusters found once says what it says with the clusters of the
        /// rest from each start found again, for every start and place.
        #[test]
        fn spans_reads_a_runs_clusters_as_the_rests_own(text in text()) {
            let run: Vec<char> = text.chars().collect();
            let boundary = clusters(&run);
            for start in 0..run.len() {
                let rest = &run[start..];
                let fresh = clusters(rest);
                let words: Vec<usize> = TRIE.common_prefix_search(rest.iter().copied())
                    .map(|(_, len)| len)
                    .filter(|&len| len >= SPANNING_WORD && fresh[len])
                    .collect();
                for at in 0..rest.len() {
                    let alone = words.iter().any(|&len| len > at);
                    prop_assert_eq!(spans(&run, &boundary, start, at), alone, "{} {}", start, at);
                }
            }
        }
    }
}

//! Stage 4b, Thai word breaks: where a line may end in Thai text.
//!
//! Thai has no spaces between words. typst's own line breaker (ICU's LSTM model) often breaks
//! inside words (ร้อย|ละ, งบ|ประมาณ), so oit025 decides the breaks itself: the generated Typst
//! source gets a U+200B ZERO WIDTH SPACE at every word boundary between two Thai letters, found
//! by a Thai word segmenter (`newmm`, PyThaiNLP's maximal matching over its CC0 word list, which
//! `words_th.txt` is) plus a glossary (the agency's abbreviations and unit codes, NACC terms,
//! and the words a project lists). The style template lays text out with the language `zh`, for
//! which typst uses its dictionary-free segmenter: it never breaks inside a run of Thai letters, only
//! at those marks and at spaces. [`crate::frames`] gives the text back its Thai language and
//! drops the marks before export, so they never reach the copied text.
//!
//! Where a typist would not break (issue 33): inside a compound of government reports that the
//! word list lacks (`compounds_th.txt`, read as one word: ห้องบัตร, ผลการดำเนินการ, รายข้อ), after
//! the prefix การ or ความ or the head สำนักงาน, between a number and the classifier that counts
//! it (a list of Thai classifiers and units, and ละ after one: "รุ่นละ ๖๐ คน"; a number written
//! in words too: "สามข้อ"), at the space of a glossary term
//! ("สพป.แดนดี เขต ๒"), and inside a URL except after its punctuation ([`links`]). A word wider than
//! its cell breaks at those places first, then between its own words, and never leaves one or two
//! letters alone on a line.

pub(crate) mod links;
mod newmm;

use std::collections::HashMap;
use std::sync::Mutex;

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use typst::syntax::{SyntaxKind, SyntaxNode};

use crate::content::period::MONTHS;

pub use crate::marks::{BREAK, GLUE};

/// Terms of the NACC's assessment that every agency's report uses and that the dictionary splits.
const ITA_TERMS: &[&str] = &[
    "ป.ป.ช.",
    "ป.ป.ท.",
    "ศปท.",
    "คุณธรรม",
    "ความโปร่งใส",
    "ตัวชี้วัด",
    "ตัวชี้วัดย่อย",
    "ข้อคำถาม",
    "แบบวัด",
    "ผู้มีส่วนได้ส่วนเสีย",
    "ปีงบประมาณ",
    "งบประมาณ",
    "ร้อยละ",
    "ไตรมาส",
    "ผลประโยชน์",
    "ดีเยี่ยม",
    "หมายเหตุ",
    "จัดซื้อจัดจ้าง",
];

/// Byte offsets of the word boundaries the segmenter finds, in each piece of text between white
/// space (the pieces are short, and repeat).
fn word_boundaries(text: &str, pieces: &Pieces) -> Vec<usize> {
    let mut offsets = Vec::new();
    let mut start = 0;
    for piece in text.split_inclusive(char::is_whitespace) {
        let word = piece.trim_end_matches(char::is_whitespace);
        if word.chars().any(is_thai_letter) {
            offsets.extend(pieces.boundaries(word).into_iter().map(|i| start + i));
        }
        start += piece.len();
    }
    offsets
}

/// Boundaries of the pieces segmented so far by one owner. A piece's words depend on the piece
/// alone, and wording repeats: within a report (494 distinct pieces of 882 in FY 2569), between
/// rebuilds under `watch`, and between the agencies of a batch, which share the templates.
#[derive(Default)]
struct Pieces(Mutex<HashMap<String, Vec<usize>>>);

/// Pieces kept at most; past it the cache starts again (about 100 bytes a piece).
const PIECES_KEPT: usize = 50_000;

impl Pieces {
    fn boundaries(&self, text: &str) -> Vec<usize> {
        let lock = || self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = lock().get(text) {
            return found.clone();
        }
        let offsets = segment_piece(text);
        let mut cache = lock();
        if cache.len() >= PIECES_KEPT {
            cache.clear();
        }
        cache.insert(text.to_string(), offsets.clone());
        offsets
    }
}

/// The characters typst's markup gives a meaning to, which the templates' `escape` filter escapes
/// in a user's text ([`crate::template::escape::escape_typst`]): where a text node ends.
pub const MARKUP_CHARS: &[char] = &[
    '\\', '#', '$', '*', '_', '`', '<', '>', '@', '[', ']', '~', '\'', '"', '=', '-', '+', '/',
];

/// What marking the words of one build leaves for the next: the segmented pieces, the marked
/// texts and the source parsed last. Held by whoever runs the builds (a `watch`, a worker of a
/// batch; see `cmd::build::Caches`) and dropped with it, as typst-cli's `SystemWorld` owns its
/// slots. A fresh one (`WordMemo::default()`) marks as a cold build does.
#[derive(Default)]
pub struct WordMemo {
    pieces: Pieces,
    /// The marked text of each markup Text node met so far, by glossary (a text's marks depend on
    /// the glossary and the text alone), the newest last: a rebuild under `watch` marks only the nodes
    /// an edit changed (the others were 2 of a rebuild's 4.4 ms of word marks), and a report marks a
    /// text it repeats once.
    marked: Mutex<Vec<MarkedFor>>,
    /// The source marked last, parsed (see [`WordMemo::parse`]).
    last_parsed: Mutex<Option<typst::syntax::Source>>,
}

fn segment_piece(text: &str) -> Vec<usize> {
    let chars: Vec<char> = text.chars().collect();
    let Some(ends) = newmm::firm_words(&chars) else {
        return Vec::new();
    };
    let bytes: Vec<usize> = (text.char_indices().map(|(i, _)| i))
        .chain([text.len()])
        .collect();
    ends.into_iter().map(|end| bytes[end]).collect()
}

/// Words that are never broken, longest first so the longest match wins.
#[derive(Debug, Clone, Default)]
pub struct Glossary {
    terms: Vec<String>,
    /// All terms in one automaton, in the order of `terms`: one pass over a text finds them all
    /// (searching for each term in each text was a tenth of the word marks).
    automaton: Option<AhoCorasick>,
    /// Whether a term holds a space.
    spaced: bool,
    /// Which terms (by index in `terms`) are full names: the agency's and its units'. Their
    /// inner word boundaries get a [`GLUE`] mark, which a layout pass may open into a break
    /// where keeping the name whole leaves a hole ([`open_names_at`]).
    names: Vec<bool>,
    /// The same glossary without the full names: where their words break once opened.
    plain: Option<Box<Glossary>>,
}

impl Glossary {
    /// The built-in NACC terms and the given ones (abbreviations, unit codes, a project's words).
    pub fn new<'a>(terms: impl IntoIterator<Item = &'a str>) -> Self {
        Self::with_names(terms, [])
    }

    /// [`Glossary::new`], with full names (the agency's, its units'): kept whole on a line as
    /// the other terms are, and marked so that a layout pass can open them between their own
    /// words where one leaves a hole.
    pub fn with_names<'a>(
        terms: impl IntoIterator<Item = &'a str>,
        names: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let names: Vec<String> = (names.into_iter())
            .map(str::trim)
            .filter(|t| t.chars().any(is_thai_letter))
            .map(str::to_string)
            .collect();
        let given: Vec<&str> = terms.into_iter().collect();
        let plain = (!names.is_empty()).then(|| Box::new(Self::new(given.iter().copied())));
        let mut terms: Vec<String> = ITA_TERMS
            .iter()
            .copied()
            .chain(given.iter().copied())
            .map(str::trim)
            .filter(|t| t.chars().any(is_thai_letter))
            .map(str::to_string)
            .chain(names.iter().cloned())
            .collect();
        terms.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        terms.dedup();
        // An NFA: the automaton the crate picks for a few dozen terms, a DFA, took 0.4 ms of each
        // build to make, for texts of a few hundred bytes each.
        let automaton = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(&terms)
            .ok();
        let spaced = terms.iter().any(|t| t.contains(' '));
        // A name the project also lists in its glossary is a term like the others: never opened.
        let names = (terms.iter())
            .map(|t| names.contains(t) && !given.iter().any(|g| g.trim() == t))
            .collect();
        Self {
            terms,
            automaton,
            spaced,
            names,
            plain,
        }
    }

    /// Where its terms occur in `text`, as (term, start, end), by term (longest first), then
    /// left to right, each term's matches not overlapping each other (as `str::match_indices`).
    fn matches(&self, text: &str) -> Vec<(usize, usize, usize)> {
        let Some(automaton) = &self.automaton else {
            // No automaton (it cannot be built only past sizes no glossary reaches).
            return (self.terms.iter().enumerate())
                .flat_map(|(k, t)| {
                    text.match_indices(t.as_str())
                        .map(move |(i, _)| (k, i, i + t.len()))
                })
                .collect();
        };
        let mut all: Vec<(usize, usize, usize)> = automaton
            .find_overlapping_iter(text)
            .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
            .collect();
        all.sort_unstable();
        let mut last: Option<(usize, usize)> = None;
        all.retain(|&(term, start, end)| {
            let overlaps = last.is_some_and(|(t, e)| t == term && start < e);
            if !overlaps {
                last = Some((term, end));
            }
            !overlaps
        });
        all
    }
}

/// Thai letters and vowels (not digits or ฯ, ๆ, which start no word): a break between two of
/// them is a break inside a run that only the dictionary can place.
pub fn is_thai_letter(c: char) -> bool {
    matches!(c, '\u{0E01}'..='\u{0E2E}' | '\u{0E30}'..='\u{0E45}' | '\u{0E47}'..='\u{0E4E}')
}

/// Byte offsets inside `text` where a Thai line may break: word boundaries between two Thai
/// letters, never inside a glossary term and never before ๆ or ฯ.
pub fn break_offsets(text: &str, glossary: &Glossary) -> Vec<usize> {
    offsets_in(text, glossary, &Pieces::default())
}

fn offsets_in(text: &str, glossary: &Glossary, pieces: &Pieces) -> Vec<usize> {
    offsets_and_names_in(text, glossary, pieces).0
}

/// The offsets of [`offsets_in`], and the word boundaries between two Thai letters inside the
/// full names of the glossary (where their [`GLUE`] marks go).
fn offsets_and_names_in(
    text: &str,
    glossary: &Glossary,
    pieces: &Pieces,
) -> (Vec<usize>, Vec<usize>) {
    if !text.chars().any(is_thai_letter) {
        return (Vec::new(), Vec::new());
    }
    // Glossary terms: their insides are closed, their edges open.
    let mut closed = vec![false; text.len() + 1];
    let mut open = Vec::new();
    let mut named: Vec<(usize, usize)> = Vec::new();
    for (term, start, end) in glossary.matches(text) {
        if closed[start..end].iter().any(|&c| c) {
            continue; // overlaps a longer term already found
        }
        closed[start + 1..end].iter_mut().for_each(|c| *c = true);
        if glossary.names.get(term).copied().unwrap_or(false) {
            named.push((start, end));
        }
        // A province, district or subdistrict and its name are one name ("จังหวัดภูผาทอง").
        if DIVISIONS.iter().any(|d| text[..start].ends_with(d)) {
            closed[start] = true;
        } else {
            open.push(start);
        }
        open.push(end);
    }
    let words = word_boundaries(text, pieces);
    // Inside a name, where the line would break without it (so an opened name breaks as before:
    // never between a province and its name, nor inside a shorter term).
    let inner: Vec<usize> = match (&glossary.plain, named.is_empty()) {
        (Some(plain), false) => offsets_in(text, plain, pieces)
            .into_iter()
            .filter(|&i| named.iter().any(|&(s, e)| s < i && i < e))
            // และ and หรือ go to the line of the words they join the name's first part to.
            .filter(|&i| !CONJUNCTIONS.iter().any(|c| text[..i].ends_with(c)))
            .collect(),
        _ => Vec::new(),
    };
    // A term's edge inside a longer word that starts at a word boundary before it stays closed.
    // The Thai run an edge is in and its clusters, found once for the edges and starts in it (for
    // each start, a run's rest was found again: a tenth of a batch's word marks).
    let mut in_run: Option<(usize, Vec<char>, Vec<bool>)> = None;
    open.retain(|&edge| {
        let run = text[..edge]
            .char_indices()
            .rev()
            .find(|&(_, c)| !is_thai_letter(c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let starts = words.iter().copied().filter(|&b| run < b && b < edge);
        let starts: Vec<usize> = std::iter::once(run)
            .chain(starts)
            .filter(|&b| edge - b <= SPAN_BYTES)
            .collect();
        if starts.is_empty() {
            return true;
        }
        if in_run.as_ref().is_none_or(|(r, _, _)| *r != run) {
            let chars: Vec<char> = text[run..]
                .chars()
                .take_while(|&c| is_thai_letter(c))
                .collect();
            let boundary = newmm::clusters(&chars);
            in_run = Some((run, chars, boundary));
        }
        let (_, chars, boundary) = in_run.as_ref().expect("found just above");
        !starts.iter().any(|&b| {
            let start = text[run..b].chars().count();
            newmm::spans(chars, boundary, start, text[b..edge].chars().count())
        })
    });
    let mut offsets: Vec<usize> = words
        .into_iter()
        .chain(open)
        .filter(|&i| i > 0 && i < text.len() && !closed[i])
        .filter(|&i| {
            let before = text[..i].chars().next_back();
            let after = text[i..].chars().next();
            before.is_some_and(is_thai_letter) && after.is_some_and(is_thai_letter)
        })
        .collect();
    offsets.sort_unstable();
    offsets.dedup();
    let all = offsets.clone();
    // Where a word ends at `i` (the segmenter's boundary, or the end of the Thai run).
    let ends_at = |i: usize| {
        i >= text.len() || !text[i..].starts_with(is_thai_letter) || all.binary_search(&i).is_ok()
    };
    let starts_at =
        |i: usize| i == 0 || !text[..i].ends_with(is_thai_letter) || all.binary_search(&i).is_ok();
    offsets.retain(|&i| {
        let (before, after) = (&text[..i], &text[i..]);
        // A classifier and ละ are one word ("รุ่น|ละ ๖๐ คน").
        let per = after.starts_with("ละ")
            && ends_at(i + "ละ".len())
            && CLASSIFIERS
                .iter()
                .any(|c| before.ends_with(c) && starts_at(i - c.len()));
        // การ and ความ make a noun of the word after them, and สำนักงาน an office's name of it
        // (สำนักงานการประปา, as สำนักงานเขต is a word): none of them ends a line.
        let prefix = ["การ", "ความ", "สำนักงาน"]
            .iter()
            .any(|p| before.ends_with(p) && starts_at(i - p.len()));
        // A number written in words and the classifier that counts it ("ข้อมูลสาม|ข้อ").
        let counted = NUMBER_WORDS
            .iter()
            .any(|n| before.ends_with(n) && starts_at(i - n.len()))
            && CLASSIFIERS
                .iter()
                .any(|c| after.starts_with(c) && ends_at(i + c.len()));
        !(per || prefix || counted)
    });
    (offsets, inner)
}

/// The administrative divisions whose place name (a glossary term) follows them as part of one
/// name: a line never ends between the two.
const DIVISIONS: &[&str] = &["จังหวัด", "อำเภอ", "ตำบล", "หมู่บ้าน"];

/// How far before a glossary term's edge (in bytes, 20 Thai characters) a word spanning it may start.
const SPAN_BYTES: usize = 60;

/// Inserts [`BREAK`] at the offsets [`break_offsets`] finds, and [`GLUE`] after each space a
/// line must not break at (see `glued`).
pub fn mark_text(text: &str, glossary: &Glossary) -> String {
    marked_with(text, glossary, &Pieces::default())
}

fn marked_with(text: &str, glossary: &Glossary, pieces: &Pieces) -> String {
    let (breaks, inner) = offsets_and_names_in(text, glossary, pieces);
    // A term of the glossary with a space ("สพป.แดนดี เขต ๒") stays on one line where it fits.
    let terms: Vec<(usize, usize)> = if text.contains(' ') && glossary.spaced {
        (glossary.matches(text).into_iter())
            .map(|(_, start, end)| (start, end))
            .collect()
    } else {
        Vec::new()
    };
    let glue: Vec<usize> = text
        .match_indices(' ')
        .filter(|&(at, _)| {
            glued(&text[..at], &text[at + 1..]) || terms.iter().any(|&(s, e)| s < at && at < e)
        })
        .map(|(at, _)| at + 1)
        .chain(inner)
        // A text that starts at the dash of a range of codes ("– o36"): held to the space
        // before it, which typst's parser keeps apart.
        .chain(code_range("", text).then_some(0))
        .collect();
    let mut glue = glue;
    glue.sort_unstable();
    crate::marks::insert(text, &breaks, &glue, &[])
}

/// A markup text node of the source as it is laid out: its marks, and its Latin words wrapped so
/// that their letters never spread ([`crate::marks::wrap_latin`]).
fn node_marked(text: &str, glossary: &Glossary, pieces: &Pieces) -> String {
    let marked = marked_with(text, glossary, pieces);
    match crate::marks::wrap_latin(&marked) {
        std::borrow::Cow::Borrowed(_) => marked,
        std::borrow::Cow::Owned(wrapped) => wrapped,
    }
}

/// Words after which a number belongs to them: "พ.ศ. ๒๕๖๘", "มาตรการที่ ๓", "ไตรมาส ๒" (and a
/// classifier with ละ: "รุ่นละ ๖๐ คน", see `glued`). Not ทั้ง or จำนวน: with the classifier after
/// the number, "จำนวน ๘,๓๑๗ หน่วยงาน" made a unit of three words, and the line before it a hole.
const BEFORE_NUMBER: &[&str] = &[
    "พ.ศ.",
    "ค.ศ.",
    "ที่",
    "ข้อ",
    "ไตรมาส",
    "ร้อยละ",
    "ปี",
    "มาตรา",
    "หน้า",
    "ฉบับ",
    "งวด",
    "ครั้ง",
];

/// Numbers written in words, which a classifier after them counts as it counts digits
/// ("สามข้อ", "ห้าคน", "สองร้อยบาท").
const NUMBER_WORDS: &[&str] = &[
    "หนึ่ง",
    "สอง",
    "สาม",
    "สี่",
    "ห้า",
    "หก",
    "เจ็ด",
    "แปด",
    "เก้า",
    "สิบ",
    "ยี่สิบ",
    "ร้อย",
    "พัน",
    "หมื่น",
    "แสน",
    "ล้าน",
];

/// The classifiers (ลักษณนาม) and units a number before them counts or measures: "๙๐.๐๐ คะแนน",
/// "๘ จุด", "๑๒ หมู่บ้าน", "๓ รุ่น". A number never ends a line before one, and none starts a
/// line before ละ ("รุ่นละ", "คนละ").
const CLASSIFIERS: &[&str] = &[
    // People and bodies.
    "คน",
    "ราย",
    "ท่าน",
    "นาย",
    "รูป",
    "องค์",
    "คณะ",
    "ทีม",
    "กลุ่ม",
    "รุ่น",
    "ชุด",
    "หน่วยงาน",
    "หน่วย",
    "องค์กร",
    "แห่ง",
    "สถานศึกษา",
    "โรงเรียน",
    "โรงพยาบาล",
    "หมู่บ้าน",
    "หมู่",
    "ชุมชน",
    "ตำบล",
    "อำเภอ",
    "จังหวัด",
    "เขต",
    "ภาค",
    "กอง",
    "ฝ่าย",
    "สำนัก",
    "ศูนย์",
    "ตำแหน่ง",
    "อัตรา",
    "ครอบครัว",
    "หลังคาเรือน",
    "ครัวเรือน",
    // Things.
    "จุด",
    "ข้อ",
    "เรื่อง",
    "ฉบับ",
    "เล่ม",
    "แผ่น",
    "หน้า",
    "ชิ้น",
    "อัน",
    "ตัว",
    "เครื่อง",
    "คัน",
    "ลำ",
    "หลัง",
    "ห้อง",
    "ช่อง",
    "ช่องทาง",
    "ระบบ",
    "รายการ",
    "ประเด็น",
    "ด้าน",
    "ประเภท",
    "ระดับ",
    "ขั้นตอน",
    "ตัวชี้วัด",
    "ตัวชี้วัดย่อย",
    "แบบวัด",
    "ข้อคำถาม",
    "มาตรการ",
    "โครงการ",
    "กิจกรรม",
    "แผน",
    "งาน",
    "ภาพ",
    "คลิป",
    "ช่องทาง",
    "เว็บไซต์",
    "สัญญา",
    "คำร้อง",
    "ส่วน",
    "เท่า",
    "คะแนน",
    // Time.
    "ครั้ง",
    "วัน",
    "วันทำการ",
    "สัปดาห์",
    "เดือน",
    "ไตรมาส",
    "ปี",
    "ชั่วโมง",
    "ชม.",
    "นาที",
    "วินาที",
    "ภาคเรียน",
    "ปีการศึกษา",
    "ปีงบประมาณ",
    "รอบ",
    "งวด",
    "ระยะ",
    // Money and measures.
    "บาท",
    "สตางค์",
    "ล้าน",
    "ล้านบาท",
    "แสน",
    "หมื่น",
    "พัน",
    "ร้อย",
    "ร้อยละ",
    "เปอร์เซ็นต์",
    "กิโลเมตร",
    "กม.",
    "เมตร",
    "ตารางเมตร",
    "ไร่",
    "งาน",
    "ลิตร",
    "กิโลกรัม",
    "กก.",
    "ตัน",
    "%",
];

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('๐'..='๙').contains(&c)
}

/// Whether the space between `before` and `after` holds together what a reader takes as one unit:
/// a number with the word that counts or names it, a date, and ๆ or ฯ with the word they repeat
/// or abbreviate (neither may start a line).
fn glued(before: &str, after: &str) -> bool {
    if after.starts_with(['ๆ', 'ฯ']) || named_office(before, after) || code_range(before, after)
    {
        return true;
    }
    let ends_number = before.ends_with(is_digit);
    let starts_number = after.starts_with(is_digit);
    let months = MONTHS.iter().flat_map(|(short, long)| [*short, *long]);
    let per = |c: &&str| before.strip_suffix("ละ").is_some_and(|b| b.ends_with(*c));
    (starts_number
        && ((BEFORE_NUMBER.iter().copied().chain(months.clone())).any(|w| before.ends_with(w))
            || CLASSIFIERS.iter().any(per)))
        || (ends_number
            && (months.clone().any(|w| after.starts_with(w))
                || CLASSIFIERS.iter().any(|c| {
                    if HEADS.contains(c) {
                        starts_with_word(after, c)
                    } else {
                        after.starts_with(c)
                    }
                })))
}

/// สำนักงาน and the dotted abbreviation after it name one office ("สำนักงาน ป.ป.ช.",
/// "สำนักงาน ก.พ."): an abbreviation of two dots or more, nothing but Thai letters and dots.
fn named_office(before: &str, after: &str) -> bool {
    let token = after.split(char::is_whitespace).next().unwrap_or("");
    let token = token.trim_end_matches([')', ',']);
    before.ends_with("สำนักงาน")
        && token.matches('.').count() >= 2
        && token.chars().all(|c| c == '.' || is_thai_letter(c))
        && token.starts_with(is_thai_letter)
}

/// A range of two question codes ("o1 – o36", "i1 - i15") is one unit, and so is a code with
/// the word that names it ("ข้อ o1"): a line breaks before or after it, not inside.
fn code_range(before: &str, after: &str) -> bool {
    let is_code = |t: &str| {
        let t = t.trim_start_matches('(').trim_end_matches([')', ',', ';']);
        let digits = t.trim_start_matches(|c: char| c.is_ascii_alphabetic());
        (1..=2).contains(&(t.len() - digits.len()))
            && (1..=3).contains(&digits.len())
            && digits.chars().all(|c| c.is_ascii_digit())
    };
    let is_dash = |t: &str| t == "–" || t == "-";
    let mut ahead = after.split_whitespace();
    let (next, then) = (ahead.next().unwrap_or(""), ahead.next().unwrap_or(""));
    let mut behind = before.split_whitespace().rev();
    let (last, earlier) = (behind.next().unwrap_or(""), behind.next().unwrap_or(""));
    (is_code(last) && is_dash(next) && is_code(then))
        || (before.is_empty() && is_dash(next) && is_code(then))
        // typst's parser ends a text before " – ", so a text may start at the dash.
        || (is_dash(last) && (earlier.is_empty() || is_code(earlier)) && is_code(next))
        || (is_code(next) && BEFORE_NUMBER.iter().any(|w| before.ends_with(w)))
}

/// Classifiers that also begin nouns a number before them does not count ("๒๕๖๙ สำนักงาน",
/// "๕ ส่วนราชการ"): taken only as a whole word. The others hold a number also as the first part
/// of a word ("๑๐๐ คะแนนเต็ม", "๕ วันทำการ").
const HEADS: &[&str] = &[
    "สำนัก",
    "กอง",
    "งาน",
    "ศูนย์",
    "กลุ่ม",
    "ส่วน",
    "ตัว",
    "หลัง",
    "ห้อง",
    "ระบบ",
    "แผน",
    "ภาค",
    "เขต",
    "หมู่",
    "ราย",
    "อัน",
    "รูป",
    "นาย",
    "ฝ่าย",
    "หน่วย",
    "ช่อง",
    "ระดับ",
    "ด้าน",
    "หน้า",
    "องค์",
    "ทีม",
    "คณะ",
    "ชุด",
    "ลำ",
    "รอบ",
    "ระยะ",
    "ภาพ",
];

/// Whether `text` starts with the word `word`, not a longer word that starts the same way
/// ("๒๕๖๙ สำนักงาน" is no number of สำนัก): the segmenter's first word of the text.
fn starts_with_word(text: &str, word: &str) -> bool {
    if !text.starts_with(word) {
        return false;
    }
    let rest = &text[word.len()..];
    if !rest.starts_with(is_thai_letter) {
        return true;
    }
    let piece: Vec<char> = text
        .chars()
        .take_while(|c| !c.is_whitespace())
        .take(40)
        .collect();
    newmm::segment(&piece).and_then(|ends| ends.first().copied()) == Some(word.chars().count())
}

/// Adds break marks inside the words of `source` that hold one of `offsets`: the fallback for a
/// word wider than its table cell. A word the dictionary reads as several (a glossary term, a
/// compound such as เทคโนโลยีสารสนเทศ) breaks between those first; the next layout pass cuts a
/// part still too wide between its character clusters. A cluster here starts at a consonant or
/// a leading vowel (เ แ โ ใ ไ), so a line never ends on a leading vowel nor starts with a
/// following vowel or a mark.
pub fn break_words_at(source: &str, offsets: &[usize]) -> String {
    cut_words_at(source, offsets).text
}

/// What [`cut_words_at`] did to a source.
pub struct Cut {
    /// The source with its new break marks.
    pub text: String,
    /// The offsets (of those given, in the source given) whose word was cut inside one of its
    /// own parts: between the character clusters of a word, or the characters of a Latin word or
    /// URL label. A name or code cut only between its own parts (its words, the parts of a code
    /// after its dots, the spaces of a glued unit) is how a reader would break it, and is not
    /// among them (`layout.too-wide` warns only of these: shortening is all a user can do).
    pub inside: Vec<usize>,
}

/// [`break_words_at`], saying where a word was cut inside one of its own parts.
pub fn cut_words_at(source: &str, offsets: &[usize]) -> Cut {
    let mut cuts = Vec::new();
    let mut unglue = Vec::new();
    let mut inside = Vec::new();
    for &at in offsets {
        if at > source.len() || !source.is_char_boundary(at) {
            continue;
        }
        // A unit held together by glue (a date, "พ.ศ. ๒๕๖๘") wider than its cell breaks at its
        // spaces first.
        let glue = glue_around(source, at);
        if !glue.is_empty() {
            unglue.extend(glue);
            continue;
        }
        // A full name breaks between its own words, where it would without its glue.
        let names = name_glue_around(source, at);
        if !names.is_empty() {
            for g in names {
                if source[..g].ends_with(is_thai_letter) {
                    cuts.push(g);
                }
                unglue.push(g);
            }
            continue;
        }
        if !source[at..].starts_with(is_thai_letter) {
            if other_word_cuts(source, at, &mut cuts, &mut unglue) {
                inside.push(at);
            }
            continue;
        }
        let start = source[..at]
            .char_indices()
            .rev()
            .find(|(_, c)| !is_thai_letter(*c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let end = source[at..]
            .char_indices()
            .find(|(_, c)| !is_thai_letter(*c))
            .map_or(source.len(), |(i, _)| at + i);
        // A code of several abbreviations (ศต.สพป.แดนดี) breaks after its own dots first.
        if dot_cuts(source, at, &mut cuts) {
            continue;
        }
        let word = &source[start..end];
        let chars: Vec<char> = word.chars().collect();
        let parts = newmm::parts(&chars);
        if !parts.is_empty() {
            let bytes: Vec<usize> = word.char_indices().map(|(i, _)| i).collect();
            // A conjunction starts the line of what it joins ("กลุ่มนโยบาย / และแผน").
            // (Unless that is the only place left: "และ / เภสัชสาธารณสุข".)
            let joins = |k: usize| CONJUNCTIONS.iter().any(|c| word[..bytes[k]].ends_with(c));
            let kept: Vec<usize> = parts.iter().copied().filter(|&k| !joins(k)).collect();
            let parts = if kept.is_empty() { parts } else { kept };
            cuts.extend(parts.into_iter().map(|k| start + bytes[k]));
            continue;
        }
        let before = cuts.len();
        let letters = |s: &str| s.chars().filter(|&c| is_base_letter(c)).count();
        let mut prev: Option<char> = None;
        for (i, c) in word.char_indices() {
            let starts_cluster = matches!(c, '\u{0E01}'..='\u{0E2E}' | '\u{0E40}'..='\u{0E44}');
            let after_leading = matches!(prev, Some('\u{0E40}'..='\u{0E44}'));
            // Never one or two letters alone on a line.
            let apart = letters(&word[..i]) >= MIN_LETTERS && letters(&word[i..]) >= MIN_LETTERS;
            if i > 0 && starts_cluster && !after_leading && apart {
                cuts.push(start + i);
            }
            prev = Some(c);
        }
        if cuts.len() > before {
            inside.push(at);
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    unglue.sort_unstable();
    unglue.dedup();
    Cut {
        text: crate::marks::insert(source, &cuts, &[], &unglue),
        inside,
    }
}

/// Byte offsets of the glue marks in the unit of `source` around byte `at`: the text between the
/// spaces a line may break at, or brackets.
fn glue_around(source: &str, at: usize) -> Vec<usize> {
    let ends = |c: char| matches!(c, '[' | ']' | '{' | '}' | '\n' | BREAK);
    let breaks_after =
        |i: usize| source[i..].starts_with(' ') && !source[i + 1..].starts_with(GLUE);
    let mut start = at;
    for (i, c) in source[..at].char_indices().rev() {
        if ends(c) || breaks_after(i) {
            break;
        }
        start = i;
    }
    let mut glue = Vec::new();
    for (i, c) in source[start..].char_indices() {
        let i = start + i;
        if i >= at && (ends(c) || breaks_after(i)) {
            break;
        }
        // Only the glue after a space holds a unit together; the glue inside a URL or after
        // "e-" (words::links) stays.
        if c == GLUE && source[..i].ends_with(' ') {
            glue.push(i);
        }
    }
    glue
}

/// Byte offsets of the [`GLUE`] marks of the full name around byte `at` of `source`
/// ([`Glossary::with_names`]): those between two of its Thai letters, and after a space inside
/// it. Empty where `at` is in no name.
fn name_glue_around(source: &str, at: usize) -> Vec<usize> {
    let at = at.min(source.len());
    // A name runs over Thai letters, its glue, and a glued space between two of its words.
    let inside = |i: usize, c: char| {
        is_thai_letter(c) || c == GLUE || c == ' ' && source[i + 1..].starts_with(GLUE)
    };
    let start = source[..at]
        .char_indices()
        .rev()
        .find(|&(i, c)| !inside(i, c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = source[at..]
        .char_indices()
        .find(|&(i, c)| !inside(at + i, c))
        .map_or(source.len(), |(i, _)| at + i);
    let run = &source[start..end];
    let thai_before = |i: usize| run[..i].ends_with(is_thai_letter);
    let thai_after = |i: usize| run[i + GLUE.len_utf8()..].starts_with(is_thai_letter);
    let inner: Vec<usize> = (run.match_indices(GLUE))
        .map(|(i, _)| i)
        .filter(|&i| thai_before(i) && thai_after(i))
        .collect();
    if inner.is_empty() {
        return Vec::new();
    }
    (run.match_indices(GLUE))
        .map(|(i, _)| i)
        .filter(|&i| (thai_before(i) || run[..i].ends_with(' ')) && thai_after(i))
        .map(|i| start + i)
        .collect()
}

/// `source` with the full names that overlap one of `ranges` opened: each [`GLUE`] of theirs
/// ([`name_glue_around`]) made a [`BREAK`], of the same length, so every other offset stays.
/// `None` where no name was found.
pub fn open_names_at(source: &str, ranges: &[std::ops::Range<usize>]) -> Option<String> {
    let mut glue: Vec<usize> = Vec::new();
    let floor = |mut i: usize| {
        i = i.min(source.len());
        while !source.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    for range in ranges {
        let end = floor(range.end);
        let mut at = floor(range.start).min(end);
        glue.extend(name_glue_around(source, at));
        while let Some(i) = source[at..end].find(GLUE) {
            let found = name_glue_around(source, at + i);
            at += i + GLUE.len_utf8();
            glue.extend(found);
        }
    }
    if glue.is_empty() {
        return None;
    }
    glue.sort_unstable();
    glue.dedup();
    let mut out = source.to_string();
    for g in glue {
        out.replace_range(g..g + GLUE.len_utf8(), BREAK.encode_utf8(&mut [0; 4]));
    }
    Some(out)
}

/// Where a compound may open, as a designer breaks one only where a line cannot be filled
/// otherwise (issue 33): for each byte of `at` (the first letter of a line after a hole), the
/// word there, if the dictionary reads it whole and as two or more of its own words (ผลการ
/// ดำเนินงาน, สารบรรณอิเล็กทรอนิกส์, รัฐวิสาหกิจ), and nothing holds it to the text around: a
/// break mark, a space a line may break at or a bracket on either side, never a glue mark (a
/// name, a date, a number and its classifier), a dot (a code) or a digit. The offsets are
/// between its words, never after การ or ความ (which make a noun of the word after them), before
/// ละ, or leaving fewer than two letters on a side; sorted, for a [`BREAK`] each. The NACC's own
/// terms stay whole.
pub fn compound_breaks_at(source: &str, at: &[usize]) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for &at in at {
        if at >= source.len() || !source.is_char_boundary(at) {
            continue;
        }
        let at = at
            + source[at..]
                .chars()
                .take_while(|&c| crate::marks::is_mark(c))
                .map(char::len_utf8)
                .sum::<usize>();
        let start = source[..at]
            .char_indices()
            .rev()
            .find(|&(_, c)| !is_thai_letter(c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let end = source[at..]
            .char_indices()
            .find(|&(_, c)| !is_thai_letter(c))
            .map_or(source.len(), |(i, _)| at + i);
        let free = |c: Option<char>| {
            c.is_none_or(|c| matches!(c, BREAK | ' ' | '\n' | '[' | ']' | '(' | ')' | ','))
        };
        let before = source[..start].chars().next_back();
        let after = source[end..].chars().next();
        // A space followed by glue holds the word to the one before it.
        let glued = source[end..].starts_with(' ') && source[end + 1..].starts_with(GLUE);
        let word = &source[start..end];
        if !free(before) || !free(after) || glued || ITA_TERMS.contains(&word) {
            continue;
        }
        let chars: Vec<char> = word.chars().collect();
        if chars.len() < 2 * MIN_LETTERS || !newmm::is_word(&chars) {
            continue;
        }
        let bytes: Vec<usize> = (word.char_indices().map(|(i, _)| i))
            .chain([word.len()])
            .collect();
        let mut edges = vec![0];
        edges.extend(newmm::parts(&chars).into_iter().map(|k| bytes[k]));
        edges.push(word.len());
        for k in 1..edges.len() - 1 {
            let (part, next) = (&word[edges[k - 1]..edges[k]], &word[edges[k]..edges[k + 1]]);
            let letters = |t: &str| t.chars().filter(|&c| is_base_letter(c)).count();
            let open = !["การ", "ความ"].contains(&part)
                && next != "ละ"
                && letters(&word[..edges[k]]) >= 2
                && letters(&word[edges[k]..]) >= 2;
            if open {
                out.push(start + edges[k]);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Words that join the words after them to those before: a name cut between its parts starts a
/// line with one, never ends one.
const CONJUNCTIONS: &[&str] = &["และ", "หรือ"];

/// Fewest letters of a word or code a line may hold when the word is cut.
const MIN_LETTERS: usize = 3;

/// A letter that counts as one: a Thai consonant, a vowel written on the line, or any other
/// letter or digit (not a tone mark nor a vowel above or below).
fn is_base_letter(c: char) -> bool {
    matches!(c, '\u{0E01}'..='\u{0E30}' | '\u{0E32}' | '\u{0E33}' | '\u{0E40}'..='\u{0E45}')
        || (crate::marks::is_alphanumeric(c) && !is_thai_letter(c))
}

/// Cuts after the inner full stops of the dotted code around byte `at` ("ศต.สพป.แดนดี" ->
/// "ศต.สพป.|แดนดี"), where each side keeps three letters; whether it found any not cut yet.
fn dot_cuts(source: &str, at: usize, cuts: &mut Vec<usize>) -> bool {
    let stops = |c: char| c.is_whitespace() || matches!(c, '[' | ']' | '{' | '}' | BREAK | GLUE);
    let start = source[..at]
        .char_indices()
        .rev()
        .find(|&(_, c)| stops(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = source[at..]
        .char_indices()
        .find(|&(_, c)| stops(c))
        .map_or(source.len(), |(i, _)| at + i);
    let unit = &source[start..end];
    let letters = |s: &str| s.chars().filter(|&c| is_base_letter(c)).count();
    let found: Vec<usize> = unit
        .match_indices('.')
        .map(|(i, _)| i + 1)
        .filter(|&i| unit[i..].starts_with(is_thai_letter))
        .filter(|&i| letters(&unit[..i]) >= MIN_LETTERS && letters(&unit[i..]) >= MIN_LETTERS)
        .map(|i| start + i)
        .collect();
    cuts.extend(&found);
    !found.is_empty()
}

/// A letter whose word may be broken between its characters when it is wider than its line.
pub fn is_breakable_letter(c: char) -> bool {
    is_thai_letter(c) || crate::marks::is_alphanumeric(c)
}

/// Cuts between the characters of the non-Thai word (a long Latin word, a URL's piece) around
/// byte `at` of escaped Typst markup: the word runs between spaces and brackets, and no cut falls
/// between a backslash and the character it escapes, or before a combining mark. A word in the
/// box that keeps its letters' spacing ([`crate::marks::wrap_latin`]) never breaks there: its
/// box's markup goes to `unbox`, to be taken out. Whether it cut between characters other than
/// after a URL's punctuation (inside one of the word's own parts).
fn other_word_cuts(source: &str, at: usize, cuts: &mut Vec<usize>, unbox: &mut Vec<usize>) -> bool {
    // Markup ends a word too: a `#` not escaped starts code (the box of a Latin word,
    // `marks::wrap_latin`), which a mark between `#` and `box` would break.
    let stops = |i: usize, c: char| {
        c.is_whitespace()
            || matches!(c, '[' | ']' | '{' | '}' | BREAK)
            || c == '#' && !source[..i].ends_with('\\')
    };
    let start = source[..at]
        .char_indices()
        .rev()
        .find(|&(i, c)| stops(i, c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = source[at..]
        .char_indices()
        .find(|&(i, c)| stops(at + i, c))
        .map_or(source.len(), |(i, _)| at + i);
    let (open, close) = (crate::marks::LATIN_OPEN, crate::marks::LATIN_CLOSE);
    if source[..start].ends_with(open) && source[end..].starts_with(close) {
        unbox.extend([start - open.len(), end]);
    }
    // The places between two characters as printed (not after a backslash that escapes the
    // next, nor before a combining mark), with how many characters come before each.
    let mut places = Vec::new();
    let mut escaped = false;
    let mut shown = 0;
    let mut prev = None;
    for (i, c) in source[start..end].char_indices() {
        let mark = matches!(c, '\u{0300}'..='\u{036F}' | '\u{200C}' | '\u{200D}' | '\u{FE00}'..='\u{FE0F}' | GLUE);
        if i > 0 && !escaped && !mark {
            places.push((start + i, shown, prev));
        }
        escaped = !escaped && c == '\\';
        if !escaped && !mark {
            shown += 1;
            prev = Some(c);
        }
    }
    // Never fewer than three characters on a line; after punctuation of a URL first (the
    // places words::links allows are break marks already, and end the word).
    let apart: Vec<_> = places
        .into_iter()
        .filter(|&(_, before, _)| before >= MIN_LETTERS && shown - before >= MIN_LETTERS)
        .collect();
    let after_punctuation: Vec<usize> = (apart.iter())
        .filter(|(_, _, p)| p.is_some_and(|p| links::BREAK_AFTER.contains(&p)))
        .map(|&(at, _, _)| at)
        .collect();
    if after_punctuation.is_empty() {
        let inside = !apart.is_empty();
        cuts.extend(apart.into_iter().map(|(at, _, _)| at));
        inside
    } else {
        cuts.extend(after_punctuation);
        false
    }
}

/// Marks the word breaks in every piece of markup text of a Typst source. Code, strings and
/// comments are left as they are, so metadata strings and template logic never change. A cold
/// marking: [`WordMemo::mark_source`] reuses what earlier builds found.
pub fn mark_source(source: &str, glossary: &Glossary) -> String {
    WordMemo::default().mark_source(source, glossary)
}

impl WordMemo {
    /// [`mark_source`], reusing the pieces, texts and parsed source of the builds before.
    pub fn mark_source(&self, source: &str, glossary: &Glossary) -> String {
        // The word list is read while typst parses the source, and the text nodes are marked on two
        // threads.
        let (root, ()) = crate::par::join(|| self.parse(source), newmm::warm);
        let mut texts = Vec::new();
        text_nodes(&root, &mut texts);
        let lock = || self.marked.lock().unwrap_or_else(|e| e.into_inner());
        let mut new: Vec<&str> = {
            let mut kept = lock();
            let kept = for_glossary(&mut kept, glossary);
            let new = texts.iter().filter(|t| !kept.contains_key(**t));
            new.copied().collect()
        };
        new.sort_unstable();
        new.dedup();
        let marked = crate::par::par_map(new.clone(), |text| {
            node_marked(text, glossary, &self.pieces)
        });
        let mut kept = lock();
        let kept = for_glossary(&mut kept, glossary);
        kept.extend(new.into_iter().map(str::to_string).zip(marked));
        // Only if builds of other glossaries pushed this one's out meanwhile.
        for text in &texts {
            if !kept.contains_key(*text) {
                let marked = node_marked(text, glossary, &self.pieces);
                kept.insert(text.to_string(), marked);
            }
        }
        let mut out = String::with_capacity(source.len() + source.len() / 8);
        write_marked(
            &root,
            &mut texts.iter().map(|t| kept[*t].as_str()),
            &mut out,
        );
        out
    }

    /// Segments ahead the pieces `texts` hold (a year's content files as written, the templates),
    /// meant for a core that is otherwise idle while the content is checked: the text nodes of
    /// the source rendered from them then find most of their pieces segmented
    /// ([`WordMemo::mark_source`], the column widths). A piece is what lies between spaces and
    /// the characters the templates escape, where typst's text nodes end; one that the source
    /// never holds costs its segmenting and nothing else. Stops at the first piece after `stop`
    /// is set, so that the work it helps never waits for it.
    pub fn warm(&self, texts: &[&str], stop: &std::sync::atomic::AtomicBool) {
        newmm::warm();
        let mut seen = std::collections::HashSet::new();
        for text in texts {
            let pieces = (text.split(char::is_whitespace)).flat_map(|t| t.split(MARKUP_CHARS));
            for piece in pieces {
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    return;
                }
                if piece.chars().any(is_thai_letter) && seen.insert(piece) {
                    self.pieces.boundaries(piece);
                }
            }
        }
    }

    /// [`mark_text`], reusing the pieces segmented before (and leaving them for
    /// [`WordMemo::mark_source`]): what the column widths of a table measure.
    pub fn mark_text(&self, text: &str, glossary: &Glossary) -> String {
        marked_with(text, glossary, &self.pieces)
    }

    /// The syntax tree of `source`: the source marked last (a rebuild after an edit, the next
    /// agency of a batch) is parsed again only where it differs, as typst's own editor support
    /// does. The edit range is oit025's own ([`crate::source_edit::replacement`]): typst's
    /// `Source::replace` cuts it wrongly for some edits, which garbled the marked source when
    /// this was first tried.
    fn parse(&self, source: &str) -> SyntaxNode {
        let mut last = self.last_parsed.lock().unwrap_or_else(|e| e.into_inner());
        match &mut *last {
            Some(parsed) => {
                crate::source_edit::replace_source(parsed, source);
                parsed.root().clone()
            }
            None => last
                .insert(typst::syntax::Source::detached(source))
                .root()
                .clone(),
        }
    }
}

/// A glossary's terms, and the marked text of each text marked with it.
type MarkedFor = (Vec<String>, Vec<bool>, HashMap<String, String>);

/// Glossaries kept at most (a batch of two jobs builds two agencies at a time), and marked texts
/// kept at most for one (about 200 bytes a text); past it, that glossary's start again.
const MARKED_GLOSSARIES: usize = 4;
const MARKED_KEPT: usize = 20_000;

/// The marked texts kept for `glossary`, made the newest.
fn for_glossary<'a>(
    kept: &'a mut Vec<MarkedFor>,
    glossary: &Glossary,
) -> &'a mut HashMap<String, String> {
    let same = |(terms, names, _): &MarkedFor| *terms == glossary.terms && *names == glossary.names;
    let entry = match kept.iter().position(same) {
        Some(k) => kept.remove(k),
        None => (
            glossary.terms.clone(),
            glossary.names.clone(),
            HashMap::new(),
        ),
    };
    if kept.len() >= MARKED_GLOSSARIES {
        kept.remove(0);
    }
    kept.push(entry);
    let texts = &mut kept.last_mut().expect("just pushed").2;
    if texts.len() > MARKED_KEPT {
        texts.clear();
    }
    texts
}

/// The text of every markup Text node, in order.
fn text_nodes<'a>(node: &'a SyntaxNode, out: &mut Vec<&'a str>) {
    if node.kind() == SyntaxKind::Text {
        out.push(node.leaf_text());
    }
    for child in node.children() {
        text_nodes(child, out);
    }
}

/// Writes the source again with each Text node replaced by the next of `marked`.
fn write_marked<'a>(
    node: &SyntaxNode,
    marked: &mut impl Iterator<Item = &'a str>,
    out: &mut String,
) {
    if node.kind() == SyntaxKind::Text {
        out.push_str(marked.next().unwrap_or_default());
        return;
    }
    // Leaves and error nodes have text, inner nodes children.
    out.push_str(node.leaf_text());
    for child in node.children() {
        write_marked(child, marked, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(text: &str) -> String {
        mark_text(text, &Glossary::new(["สลน."])).replace(BREAK, "|")
    }

    #[test]
    fn words_the_lstm_model_splits_stay_whole() {
        for word in [
            "ร้อยละ",
            "งบประมาณ",
            "ไตรมาส",
            "ผลประโยชน์",
            "ดีเยี่ยม",
            "หมายเหตุ",
        ] {
            assert!(!marked(word).contains('|'), "{word}: {}", marked(word));
        }
    }

    #[test]
    fn sentences_break_between_words() {
        // A number in words and the unit it counts stay together.
        assert_eq!(marked("ทุกสองสัปดาห์"), "ทุก|สองสัปดาห์");
        assert_eq!(marked("รายงานผลรายไตรมาส"), "รายงาน|ผล|รายไตรมาส");
    }

    #[test]
    fn a_boundary_another_reading_spans_is_no_break() {
        // Maximal matching reads จัด|ทำเป็น, ช่อง|ทางการ, ราย|ไตรมาส, สำนักงาน|เขตพื้นที่; a
        // reader reads จัดทำ, ช่องทาง, รายไตรมาส, สำนักงานเขต there, and no line breaks inside.
        for (text, whole) in [
            ("มาจัดทำเป็นสื่อ", "จัดทำ"),
            ("เพิ่มช่องทางการเผยแพร่", "ช่องทาง"),
            ("ทรัพย์สินราชการรายไตรมาส", "รายไตรมาส"),
            ("ของสำนักงานเขตพื้นที่การศึกษา", "สำนักงานเขต"),
            ("การป้องกันปราบปรามการทุจริต", "ป้องกันปราบปราม"),
        ] {
            let m = marked(text);
            assert!(m.contains(whole) && m.contains('|'), "{text}: {m}");
        }
    }

    #[test]
    fn glossary_terms_are_never_broken_and_open_at_their_edges() {
        let m = marked("ของสลน.และ");
        assert!(m.contains("สลน."), "{m}");
        assert!(m.starts_with("ของ|สลน."), "{m}");
    }

    #[test]
    fn a_full_name_is_glued_between_its_words_and_opens_where_it_would_break() {
        let name = "สำนักงานสาธารณสุขจังหวัดภูผาทอง";
        let text = format!("ของ{name} ประจำปี");
        let plain = mark_text(&text, &Glossary::new(["ภูผาทอง"]));
        let named = mark_text(&text, &Glossary::with_names(["ภูผาทอง"], [name]));
        // Glued whole: no break inside, a glue mark where each break was; the edges stay open.
        let inside = |m: &str| m[m.find('ส').unwrap()..m.find(' ').unwrap()].to_string();
        assert!(!inside(&named).contains(BREAK), "{named}");
        assert!(named.starts_with(&format!("ของ{BREAK}ส")), "{named}");
        assert_eq!(named.replace(GLUE, &BREAK.to_string()), plain);
        // Opened around a place (a hole): the breaks of the name as the plain marking has them,
        // never between a province and its name; every offset stays.
        let at = named.find("จังหวัด").unwrap();
        let hole = at..at + 1;
        let opened = open_names_at(&named, std::slice::from_ref(&hole)).unwrap();
        assert_eq!(opened, plain);
        assert!(inside(&plain).contains(BREAK), "{plain}");
        assert!(!plain.contains(&format!("{BREAK}ภูผาทอง")), "{plain}");
        let all = 0..plain.len();
        assert_eq!(open_names_at(&plain, std::slice::from_ref(&all)), None);
        // A name the project also lists in its glossary is a term: glued with no mark.
        let listed = mark_text(&text, &Glossary::with_names(["ภูผาทอง", name], [name]));
        assert!(
            !listed.contains(GLUE) && !inside(&listed).contains(BREAK),
            "{listed}"
        );
    }

    #[test]
    fn a_compound_after_a_hole_opens_between_its_own_words_only() {
        let opened = |source: &str, word: &str| {
            let at = source.find(word).unwrap();
            let mut out = source.to_string();
            for b in compound_breaks_at(source, &[at]).into_iter().rev() {
                out.insert(b, '|');
            }
            out.replace(BREAK, "/").replace(GLUE, "^")
        };
        // Between its own words, never after การ.
        let s = "ติดตาม\u{200B}ผลการดำเนินงาน\u{200B}ตาม";
        assert_eq!(opened(s, "ผล"), "ติดตาม/ผล|การดำเนินงาน/ตาม");
        let s = "ราชการ\u{200B}และ\u{200B}รัฐวิสาหกิจ\u{200B}ไทย";
        assert_eq!(opened(s, "รัฐ"), "ราชการ/และ/รัฐ|วิสาหกิจ/ไทย");
        let s = "ระบบ\u{200B}สารบรรณอิเล็กทรอนิกส์ หรือ";
        assert_eq!(opened(s, "สาร"), "ระบบ/สารบรรณ|อิเล็กทรอนิกส์ หรือ");
        // Held to what is around it: a name's glue, a date, a code; a NACC term.
        for (s, w) in [
            ("ศูนย์\u{2060}ต่อต้าน", "ต่อต้าน"),
            ("วันที่ \u{2060}๑๕ \u{2060}ตุลาคม", "ตุลาคม"),
            ("ผ่าน กปภ.สาขาในสังกัด", "สาขา"),
            ("ใน\u{200B}ปีงบประมาณ ถัดไป", "ปีงบ"),
            // สำนักงาน and the office it names: one word to a reader (the judge of the tests).
            ("การทุจริต สำนักงานเขตพื้นที่การศึกษา\u{200B}ประถม", "สำนัก"),
        ] {
            assert_eq!(
                opened(s, w),
                s.replace(BREAK, "/").replace(GLUE, "^"),
                "{s}"
            );
        }
    }

    #[test]
    fn a_full_name_wider_than_its_cell_is_cut_between_its_words() {
        let name = "งานประชาสัมพันธ์และเทคโนโลยีสารสนเทศ";
        let named = mark_text(name, &Glossary::with_names([], [name]));
        assert!(named.contains(GLUE) && !named.contains(BREAK), "{named}");
        let cut = cut_words_at(&named, &[named.find("เทคโน").unwrap()]);
        assert!(cut.inside.is_empty());
        assert!(!cut.text.contains(GLUE), "{}", cut.text);
        assert_eq!(crate::marks::strip(&cut.text), name);
        // Between its words, as the plain marking breaks it, and no cut inside one; และ stays
        // with the words it joins the name's first part to ("งานประชาสัมพันธ์ / และเทคโนโลยี…").
        let plain = mark_text(name, &Glossary::new([]));
        assert!(plain.contains(&format!("และ{BREAK}")), "{plain}");
        assert_eq!(cut.text, plain.replace(&format!("และ{BREAK}"), "และ"));
    }

    #[test]
    fn glossary_matches_are_those_of_a_search_for_each_term() {
        let glossary = Glossary::new(["กขก", "ขก", "กข", "กขกขก"]);
        let text = "กขกขกขก ขกข กขก";
        let mut naive = Vec::new();
        for (k, t) in glossary.terms.iter().enumerate() {
            naive.extend(
                text.match_indices(t.as_str())
                    .map(|(i, _)| (k, i, i + t.len())),
            );
        }
        assert_eq!(glossary.matches(text), naive);
    }

    #[test]
    fn no_break_before_repeat_marks_or_outside_thai() {
        assert!(!marked("ต่างๆ").contains("|ๆ"));
        assert_eq!(marked("นั้น ๆ รวม"), "นั้น \u{2060}ๆ รวม");
        assert_eq!(marked("ITA 2568 (OIT)"), "ITA 2568 (OIT)");
    }

    #[test]
    fn a_word_too_wide_breaks_between_its_words_then_its_clusters_there_only() {
        // Each layout pass that finds the word still too wide breaks it one step further.
        let mut src = "ก่อน ศูนย์ปฏิบัติการ หลัง ศูนย์ปฏิบัติการ".to_string();
        let mut steps = Vec::new();
        for _ in 0..3 {
            let at = src.find("ฏิ").unwrap();
            src = break_words_at(&src, &[at]);
            steps.push(src.replace(BREAK, "|"));
        }
        assert_eq!(
            steps,
            [
                "ก่อน ศูนย์|ปฏิบัติการ หลัง ศูนย์ปฏิบัติการ",
                "ก่อน ศูนย์|ปฏิบัติ|การ หลัง ศูนย์ปฏิบัติการ",
                // Cut between its clusters, ปฏิบัติ would leave one or two letters alone.
                "ก่อน ศูนย์|ปฏิบัติ|การ หลัง ศูนย์ปฏิบัติการ",
            ]
        );
        let out = break_words_at("สำนักปลัดเทศบาล", &[0]).replace(BREAK, "|");
        assert_eq!(out, "สำนัก|ปลัด|เทศบาล");
        let out = break_words_at("เทคโนโลยีสารสนเทศ", &[0]).replace(BREAK, "|");
        assert_eq!(out, "เทคโนโลยี|สารสนเทศ");
        let out = break_words_at("เกี่ยวข้องกัน", &[0]).replace(BREAK, "|");
        assert_eq!(out, "เกี่ยวข้อง|กัน");
        let out = break_words_at("ประกาศประกวดราคา", &[0]).replace(BREAK, "|");
        assert_eq!(out, "ประกาศ|ประกวดราคา");
        // No word of the list: cut between clusters, three letters at least on each line.
        let out = break_words_at("กขคฆงจฉ", &[0]).replace(BREAK, "|");
        assert_eq!(out, "กขค|ฆ|งจฉ");
        // A code of several abbreviations breaks after its own dots, not after two letters.
        let out = break_words_at("กลุ่มนโยบายและแผน", &[0]).replace(BREAK, "|");
        assert_eq!(out, "กลุ่ม|นโยบาย|และแผน");
        let out = break_words_at("และเภสัชสาธารณสุข", &[0]).replace(BREAK, "|");
        assert_eq!(out, "และ|เภสัชสาธารณสุข");
        let out = break_words_at("ศต.สพป.แดนดี", &[0]).replace(BREAK, "|");
        assert_eq!(out, "ศต.สพป.|แดนดี");
    }

    #[test]
    fn a_latin_word_stays_with_the_escaped_character_after_it() {
        // Education office p. 9: "(e / -Office)": the box of "e" allowed a break before the
        // escaped hyphen that ends its text node.
        let out = mark_source(
            "ระบบ (e\\-Office) และ e\\-Service",
            &Glossary::new(["สลน."]),
        );
        assert_eq!(
            out.matches(&format!("#box[e];{GLUE}\\-")).count(),
            2,
            "{out}"
        );
    }

    #[test]
    fn a_name_with_a_space_classifiers_and_prefixes_hold_together() {
        let named = Glossary::new(["ภูผาทอง"]);
        let m = mark_text("สาธารณสุขจังหวัดภูผาทอง", &named).replace(BREAK, "|");
        assert!(m.ends_with("|จังหวัดภูผาทอง"), "{m}");
        let glossary = Glossary::new(["สพป.แดนดี เขต ๒"]);
        let m = mark_text("ของ สพป.แดนดี เขต ๒ และ", &glossary).replace(GLUE, "+");
        assert_eq!(m, "ของ สพป.แดนดี +เขต +๒ และ");
        let glued = |t: &str| marked(t).replace(GLUE, "+");
        assert_eq!(glued("ทั้ง ๑๒ หมู่บ้าน ๘ จุด"), "ทั้ง ๑๒ +หมู่บ้าน ๘ +จุด");
        assert_eq!(glued("อบรม ๓ รุ่น รุ่นละ ๖๐ คน"), "อบรม ๓ +รุ่น รุ่นละ +๖๐ +คน");
        // A longer word than a classifier is none: สำนักงาน after a year, not สำนัก.
        assert_eq!(glued("พ.ศ. ๒๕๖๙ สำนักงาน"), "พ.ศ. +๒๕๖๙ สำนักงาน");
        assert_eq!(glued("๒ สำนัก"), "๒ +สำนัก");
        assert_eq!(
            marked("รายงานผลการดำเนินการรายข้อ"),
            "รายงาน|ผลการดำเนินการ|รายข้อ"
        );
        // A number in words and its classifier (the municipality's cell read "ข้อมูลสาม / ข้อ"
        // across a page); not ห้า inside ห้าม.
        let m = marked("เนื่องจากข้อมูลสามข้อไม่ได้เผยแพร่");
        assert!(m.contains("|สามข้อ|"), "{m}");
        let m = marked("อบรมห้าคนและห้ามสูบบุหรี่");
        assert!(m.contains("ห้าคน|"), "{m}");
        assert_eq!(marked("ห้องอุบัติเหตุฉุกเฉิน"), "ห้องอุบัติเหตุฉุกเฉิน");
        assert!(!marked("การให้บริการ").contains('|'));
        // สำนักงาน names an office with the word after it (deepcut reads สำนักงานการประปา as one
        // word, as it reads สำนักงานเขต); e-saraban is one term.
        assert!(
            marked("มาใช้กับสำนักงานการประปาส่วนภูมิภาค").contains("|สำนักงานการ"),
            "{}",
            marked("มาใช้กับสำนักงานการประปาส่วนภูมิภาค")
        );
        assert!(marked("ระบบสารบรรณอิเล็กทรอนิกส์").ends_with("|สารบรรณอิเล็กทรอนิกส์"));
    }

    #[test]
    fn an_office_with_its_abbreviation_and_a_range_of_codes_hold_together() {
        // The state enterprise's report: "(สำนักงาน / ป.ป.ช.)" (p. 2), "ข้อ o1 – / o36" (p. 10).
        let glued = |t: &str| marked(t).replace(GLUE, "+").replace('|', "");
        assert_eq!(glued("(สำนักงาน ป.ป.ช.) กำหนด"), "(สำนักงาน +ป.ป.ช.) กำหนด");
        assert_eq!(glued("ของสำนักงาน ก.พ. และ"), "ของสำนักงาน +ก.พ. และ");
        assert_eq!(glued("แต่ละข้อ o1 – o36 ภายใน"), "แต่ละข้อ +o1 +– +o36 ภายใน");
        assert_eq!(glued("ข้อ i1 - i15, e1"), "ข้อ +i1 +- +i15, e1");
        // typst's parser makes "ข้อ o1" and "– o36" two texts with a space between them.
        assert_eq!(glued("– o36 ต่อ"), "+– +o36 ต่อ");
        let source = mark_source("#[แต่ละข้อ o1 – o36 ภายใน]", &Glossary::default());
        assert!(
            source.contains(" \u{2060}– \u{2060}#box[o36]"),
            "{source:?}"
        );
        // Not an office's abbreviation, not codes: as before.
        assert_eq!(glued("สำนักงาน สพป. แดนดี"), "สำนักงาน สพป. แดนดี");
        assert_eq!(glued("ช่วง ก – ข"), "ช่วง ก – ข");
        assert_eq!(glued("ITA 2569 – 2570"), "ITA 2569 – 2570");
    }

    #[test]
    fn dates_and_numbers_hold_to_their_words() {
        let glued = |t: &str| marked(t).replace(GLUE, "+");
        assert_eq!(glued("ปีงบประมาณ พ.ศ. ๒๕๖๘"), "ปีงบประมาณ พ.ศ. +๒๕๖๘");
        assert_eq!(
            glued("๑ ต.ค. ๖๘ – ๓๐ ก.ย. ๖๙"),
            "๑ +ต.ค. +๖๘ – ๓๐ +ก.ย. +๖๙"
        );
        assert_eq!(glued("(๐ คะแนน) มาตรการที่ ๓"), "(๐ +คะแนน) มาตรการ|ที่ +๓");
        assert_eq!(glued("ร้อยละ 90 ใน 30 วัน"), "ร้อยละ +90 ใน 30 +วัน");
        // A unit wider than its cell gives up its glue before any word is cut.
        let src = mark_text("ภายใน ๓๑ ส.ค. ๖๙ นี้", &Glossary::default());
        let at = src.find("ส.ค.").unwrap();
        assert_eq!(break_words_at(&src, &[at]), src.replace(GLUE, ""));
    }

    #[test]
    fn a_source_parsed_again_where_edited_marks_as_a_fresh_parse() {
        let a = "= ทุกสองสัปดาห์\n#table(columns: 2, [ร้อยละ ๘๕], [รายงานผล])\n\n*ดีเยี่ยม* ทุกสองสัปดาห์ ก `code`\n";
        let edits = [
            a.replace("๘๕", "๙๐"),
            a.replace("*ดีเยี่ยม*", "_ดีเยี่ยม_ รายงานผลรายไตรมาส"),
            a.replace("[รายงานผล])", "[รายงานผล], [\"ไตรมาส\"])"),
            a.replace(" ก ", " Á "),
            format!("#let x = [ทุกสอง]\n{a}"),
        ];
        for b in edits {
            let fresh = mark_source(&b, &Glossary::default());
            let memo = WordMemo::default();
            memo.mark_source(a, &Glossary::default());
            let again = memo.mark_source(&b, &Glossary::default());
            assert_eq!(again, fresh, "{b}");
        }
    }

    #[test]
    fn warming_from_the_content_changes_no_mark_and_stops_when_told() {
        use std::sync::atomic::AtomicBool;
        // A YAML file as written: keys, quotes, a list, and words the source holds escaped.
        let yaml = "title: \"ทุกสองสัปดาห์\"\nsteps:\n  - รายงานผล*รายไตรมาส*\n  - ห้องบัตร/ห้องจ่ายยา\n";
        let source =
            "= ทุกสองสัปดาห์\n#table(columns: 2, [รายงานผล\\*รายไตรมาส\\*], [ห้องบัตร\\/ห้องจ่ายยา])\n";
        let cold = mark_source(source, &Glossary::default());
        let memo = WordMemo::default();
        memo.warm(&[yaml], &AtomicBool::new(false));
        let pieces = |memo: &WordMemo| memo.pieces.0.lock().unwrap().len();
        // ทุกสองสัปดาห์, รายงานผล, รายไตรมาส, ห้องบัตร, ห้องจ่ายยา; not the keys.
        assert_eq!(pieces(&memo), 5);
        assert_eq!(memo.mark_source(source, &Glossary::default()), cold);
        // Every piece the source holds was found warm: marking it segmented nothing new.
        assert_eq!(pieces(&memo), 5);
        let stopped = WordMemo::default();
        stopped.warm(&[yaml], &AtomicBool::new(true));
        assert_eq!(pieces(&stopped), 0);
    }

    #[test]
    fn a_kept_marked_text_is_used_only_with_its_glossary() {
        let src = "ของสลน.และทุกสองสัปดาห์\n";
        let with = Glossary::new(["ทุกสอง"]);
        let without = Glossary::default();
        let expect = |g: &Glossary| mark_text(src.trim_end(), g) + "\n";
        assert_ne!(expect(&with), expect(&without));
        let memo = WordMemo::default();
        for g in [&with, &without, &with, &without] {
            assert_eq!(memo.mark_source(src, g), expect(g));
        }
    }

    #[test]
    fn only_markup_text_is_marked() {
        let src = "#set document(title: \"ทุกสองสัปดาห์\")\nทุกสองสัปดาห์ // ทุกสองสัปดาห์\n";
        let out = mark_source(src, &Glossary::default()).replace(BREAK, "|");
        assert_eq!(
            out,
            "#set document(title: \"ทุกสองสัปดาห์\")\nทุก|สองสัปดาห์ // ทุกสองสัปดาห์\n"
        );
    }

    /// proptest (hardening): "aฒ7L" 957 times, too wide for its cell, got a break mark between
    /// the `#` and `box` of a Latin word's box, which typst refused as code.
    #[test]
    fn a_word_too_wide_is_never_cut_inside_the_markup_of_a_box() {
        let src = format!("[{}]", "#box[a];ฒ7L".repeat(20));
        let at = src.find("ฒ7L#box[a];ฒ").unwrap() + "ฒ7".len();
        let out = break_words_at(&src, &[at]);
        assert!(!out.contains(&format!("#{BREAK}")), "{out}");
        assert_eq!(out.replace(BREAK, ""), src);
        // An escaped hash is text, and a place like any other.
        let src = format!("[{}]", "\\#ab".repeat(10));
        let out = break_words_at(&src, &[src.len() / 2]);
        assert_eq!(out.replace(BREAK, ""), src);
    }

    #[test]
    fn a_boxed_word_too_wide_leaves_its_box_to_be_cut() {
        // A URL's piece or a long Latin word is boxed (marks::wrap_latin), and a box never breaks.
        let src = format!("[ดู #box[anticorruption.];{BREAK}#box[center];{GLUE}\\@]");
        let at = src.find("corr").unwrap();
        let out = break_words_at(&src, &[at]);
        assert_eq!(
            out.replace(BREAK, ""),
            format!("[ดู anticorruption.#box[center];{GLUE}\\@]")
        );
        assert!(out.contains(&format!("ant{BREAK}i")), "{out}");
    }
}

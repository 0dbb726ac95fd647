//! Indexes the Thai word list (`src/words_th.txt`) for `words::Segmenter`, which gives nlpo3
//! only the words that can occur in a report's text: a word of three characters or more can
//! occur only where each run of three of its characters does, so it is filed under its rarest
//! run, and a build checks only the words filed under runs its text holds (6,800 of 62,000 for
//! the FY 2569 report) instead of reading the whole list (3.5 ms of a cold build).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    println!("cargo::rerun-if-changed=src/words_th.txt");
    println!("cargo::rerun-if-changed=build.rs");
    let list = std::fs::read_to_string("src/words_th.txt").expect("src/words_th.txt is readable");
    let words: Vec<Vec<char>> = list.lines().map(|w| w.chars().collect()).collect();

    // How many words hold each run of three: the fewer, the fewer words share its entry.
    let mut count: HashMap<&[char], usize> = HashMap::new();
    for word in &words {
        for run in word.windows(3) {
            *count.entry(run).or_default() += 1;
        }
    }
    // Words of one or two characters go under key 0, checked in every build.
    let mut filed: Vec<(u64, &[char])> = words
        .iter()
        .map(|word| {
            let rarest = word.windows(3).min_by_key(|run| (count[run], key(run)));
            (rarest.map_or(0, key), word.as_slice())
        })
        .collect();
    filed.sort();

    let mut text = String::new();
    let mut groups = String::new();
    let mut count_groups = 0;
    for (i, (key, word)) in filed.iter().enumerate() {
        text.extend(word.iter());
        text.push('\n');
        if filed.get(i + 1).is_none_or(|(next, _)| next != key) {
            writeln!(groups, "    ({key}, {}),", text.len()).expect("writes to a String");
            count_groups += 1;
        }
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("words_by_run.txt"), text).expect("OUT_DIR is writable");
    let table = format!(
        "/// (run, end): the words filed under `run` end at byte `end` of the text.\n\
         static GROUPS: [(u64, u32); {count_groups}] = [\n{groups}];\n"
    );
    std::fs::write(out.join("words_by_run.rs"), table).expect("OUT_DIR is writable");
}

/// A run of three characters as one number, 21 bits a character (`words::unpack` reverses it).
fn key(run: &[char]) -> u64 {
    run.iter().fold(0, |k, &c| (k << 21) | u64::from(c))
}

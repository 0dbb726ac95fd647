//! Builds the Thai word list (`src/words_th.txt`) into a character-wise double-array trie
//! (crawdad) at compile time, which `words::newmm` reads from the binary: building a trie of
//! its 62,000 words at run time took 90 ms, a third of a build, and even a trie of only the words
//! a report's text could hold took 4-5 ms of every build.
//!
//! `src/compounds_th.txt` adds the compounds of government reports that the list lacks (ห้องบัตร,
//! ผลการดำเนินการ, รายข้อ): read as one word, a line breaks inside one only where it is wider
//! than its cell (`words::break_words_at` then breaks it between its own words), as Word does
//! with Thai (issue 33).

use std::path::PathBuf;

fn main() {
    println!("cargo::rerun-if-changed=src/words_th.txt");
    println!("cargo::rerun-if-changed=src/compounds_th.txt");
    println!("cargo::rerun-if-changed=build.rs");
    let mut list =
        std::fs::read_to_string("src/words_th.txt").expect("src/words_th.txt is readable");
    list.push('\n');
    list.push_str(
        &std::fs::read_to_string("src/compounds_th.txt").expect("src/compounds_th.txt is readable"),
    );
    // As nlpo3's trie: each line trimmed, empty lines left out.
    let mut words: Vec<&str> = list
        .lines()
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .collect();
    words.sort_unstable();
    words.dedup();
    let trie = crawdad::MpTrie::from_keys(&words).expect("the word list makes a trie");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("words.trie"), trie.serialize_to_vec()).expect("OUT_DIR is writable");
}

//! What a [`crate::TextLayer`] remembers between rewrites: under `watch`, typst writes most pages
//! of a rebuild, and the same font subsets, exactly as before.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;
use std::sync::Arc;

use lopdf::ObjectId;
use siphasher::sip128::{Hasher128, SipHasher13};

use crate::font::Font;
use crate::raw::Raw;

/// Remembered pages and font texts unused for this many rewrites are dropped (the FY 2569
/// report's pages take about 1.3 MB).
const KEPT: u64 = 4;

/// A 128-bit SipHash-1-3 of a value, as typst's own memoization keys its cache.
pub(crate) fn hash128<T: Hash + ?Sized>(value: &T) -> u128 {
    let mut state = SipHasher13::new();
    value.hash(&mut state);
    state.finish128().as_u128()
}

/// What the rewrite of a page made, for the next rewrite that meets the same page.
pub(crate) struct PageMemo {
    /// The page's content as written, compressed.
    pub compressed: Vec<u8>,
    /// The page's alias requests in order: (font resource name, glyph id, text, code).
    pub requests: Vec<(Vec<u8>, u16, String, u16)>,
}

/// A page as typst wrote it (a hash of its one content stream) and the text of each glyph of
/// the fonts it names (a hash of each font's, made once a rewrite): the rewrite of a page depends
/// on nothing else.
pub(crate) type PageKey = (u128, Vec<(Vec<u8>, u128)>);

/// The remembered pages and font texts, with their age.
#[derive(Default)]
pub(crate) struct Memo {
    /// Rewrites made: the age of a remembered page or font.
    rewrites: u64,
    /// Page -> (the rewrite that last used it, what rewriting it made).
    pages: HashMap<PageKey, (u64, Arc<PageMemo>)>,
    /// Font file (a hash of its bytes as typst wrote them) -> (the rewrite that last used it, the
    /// text of each glyph, a hash of those).
    font_texts: HashMap<u128, (u64, Vec<Option<String>>, u128)>,
}

impl Memo {
    /// Counts a rewrite starting.
    pub fn start(&mut self) {
        self.rewrites += 1;
    }

    pub fn font_text(&mut self, key: u128) -> Option<(Vec<Option<String>>, u128)> {
        let (used, text, hash) = self.font_texts.get_mut(&key)?;
        *used = self.rewrites;
        Some((text.clone(), *hash))
    }

    pub fn remember_font_text(&mut self, key: u128, text: Vec<Option<String>>, hash: u128) {
        let now = self.rewrites;
        self.font_texts.retain(|_, (used, _, _)| *used + KEPT > now);
        self.font_texts.insert(key, (now, text, hash));
    }

    pub fn page(&mut self, key: &PageKey) -> Option<Arc<PageMemo>> {
        let (used, memo) = self.pages.get_mut(key)?;
        *used = self.rewrites;
        Some(memo.clone())
    }

    pub fn remember_page(&mut self, key: PageKey, memo: PageMemo) {
        let now = self.rewrites;
        self.pages.retain(|_, (used, _)| *used + KEPT > now);
        self.pages.insert(key, (now, Arc::new(memo)));
    }
}

pub(crate) fn page_key(
    pdf: &Raw,
    contents: &[ObjectId],
    names: &BTreeMap<Vec<u8>, ObjectId>,
    fonts: &BTreeMap<ObjectId, Font>,
) -> Option<PageKey> {
    let [id] = contents[..] else {
        return None;
    };
    let content = hash128(pdf.typst_data(id)?);
    let texts = names
        .iter()
        .map(|(name, font)| (name.clone(), fonts[font].text_hash))
        .collect();
    Some((content, texts))
}

/// Makes a remembered page's alias requests again; true when each gets the code it got then, so
/// the remembered content is what rewriting the page would write now. The requests are the ones
/// rewriting it would make (they depend only on the page and the fonts' texts, both part of the
/// key), so when a code differs the page is rewritten and the aliases already stand as it needs.
pub(crate) fn replay(
    memo: &PageMemo,
    names: &BTreeMap<Vec<u8>, ObjectId>,
    fonts: &mut BTreeMap<ObjectId, Font>,
) -> bool {
    let mut same = true;
    for (name, gid, text, code) in &memo.requests {
        let Some(font) = names.get(name).and_then(|id| fonts.get_mut(id)) else {
            return false;
        };
        same &= font.alias(*gid, text) == *code;
    }
    same
}

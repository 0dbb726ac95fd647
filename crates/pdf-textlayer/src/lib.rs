//! The text layer of a PDF typst 0.15.1 wrote: what copying, searching and screen readers get
//! out of it.
//!
//! typst's PDF writer (krilla) maps each glyph to the text of the first cluster it appeared in,
//! and relies on /ActualText for the rest, which pdf.js, pypdf and pdfminer ignore (krilla issue
//! 411): Thai copies out wrong there. [`TextLayer::rewrite`] gives every glyph its own text, from
//! the font's own cmap, and where a cluster still needs another text (ำ is drawn as ํ and า) it
//! shows that glyph under a second code that maps to the same glyph (an alias in CIDToGIDMap) and
//! to the text needed. Only the spans' operations are parsed and written again; the rest of each
//! page stays as typst wrote it. The /ActualText spans stay: poppler and pdfium read them
//! (poppler's layout mode needs them to keep a mark with its letter), the others read the
//! glyphs. The pages look exactly as before: the same glyphs are drawn at the same places.
//!
//! The rewrite is tied to the PDF typst 0.15.1 writes, and checks it: one classic
//! cross-reference table without updates or encryption; every font a Type0 font with Identity-H
//! encoding and one CIDFontType2 descendant whose CIDToGIDMap is /Identity and whose program is
//! an embedded TrueType subset (FontFile2) keeping its glyph names; text shown as two-byte codes
//! of a font the page names, each a glyph of that font; /ActualText a UTF-16BE or ASCII string
//! whose span shows glyphs. Where one fails, the rewrite returns an [`Error`] saying what was found
//! instead, and writes nothing: a typst upgrade that changes its PDF fails here, loudly.
//! The checks of shown text (a font selected, two-byte codes inside the font, spans with glyphs)
//! are made where the rewrite reads text: in the /ActualText spans it rewrites, or on the whole
//! page when a span is not self-contained. Elsewhere glyphs keep typst's codes, and what they read
//! as is the ToUnicode map written for every glyph of their font (checked: [`Error::GlyphWithoutText`]).
//! Legitimately left as they are: a page without /Contents or without fonts (it shows no text), a
//! span whose characters each read as themselves from their one glyph (not parsed at all), the
//! XMP metadata stream (PDF/A readers read it uncompressed).
//!
//! What the rewrite remembers between calls (pages and fonts, for `watch`, and its compressors)
//! belongs to the [`TextLayer`] value: whoever holds it holds the cache, and drops it.
//!
//! The input is expected with its streams uncompressed (typst's `pretty` export): the rewrite
//! compresses every stream once, at level 2. Compressed input is read too, only slower.
//!
//! What a glyph reads as comes from its name in the embedded subset ([`Glyphs`]): the cmaps of
//! the fonts the subsets were cut from, names the caller gives for its fonts, and the Adobe Glyph
//! List's rules. [`decode_pages`] reads a PDF's text back both ways, through the glyphs and
//! through /ActualText, to check that they agree.
//!
//! # Example
//!
//! ```
//! use std::sync::Arc;
//! use pdf_textlayer::{Glyphs, Options, TextLayer, decode_pages};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
//! // A PDF typst 0.15.1 wrote, and the font its subsets were cut from.
//! let pdf = std::fs::read(format!("{fixtures}/thai.pdf"))?;
//! let font = std::fs::read(format!("{fixtures}/Sarabun-Regular.ttf"))?;
//!
//! // Shared by every text layer of the process: what each glyph name reads as.
//! let glyphs = Arc::new(Glyphs::new(vec![font.into()]));
//! let mut layer = TextLayer::new(Options::new().glyphs(glyphs).marks(['\u{200B}']));
//! let rewritten = layer.rewrite(pdf.clone())?;
//!
//! // typst's own text layer reads ำ wrong glyph by glyph; the rewritten one reads as the
//! // /ActualText does.
//! let before = &decode_pages(&pdf)?[0];
//! assert_ne!(before.glyphs, before.actual_text);
//! for page in decode_pages(&rewritten)? {
//!     assert_eq!(page.glyphs, page.actual_text);
//! }
//! # Ok(())
//! # }
//! ```

#![deny(missing_docs)]

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use lopdf::content::Content;
use lopdf::{Dictionary, Object, ObjectId, Stream};

mod content;
mod decode;
mod error;
mod font;
mod glyphs;
mod memo;
mod raw;

pub use decode::{PageText, decode_pages};
pub use error::Error;
pub use glyphs::Glyphs;

use content::Page;
use error::OrMalformed;
use font::Font;
use memo::{Memo, PageMemo};
use raw::Raw;

/// How a [`TextLayer`] rewrites: a builder whose settings each have a default, so that a
/// setting added later breaks no caller.
///
/// ```
/// use std::sync::Arc;
/// use pdf_textlayer::{Glyphs, Options, TextLayer};
///
/// let layer = TextLayer::new(
///     Options::default()
///         .glyphs(Arc::new(Glyphs::default()))
///         .marks(['\u{200B}'])
///         .remember_pages(true),
/// );
/// # drop(layer);
/// ```
#[derive(Clone, Default)]
pub struct Options {
    glyphs: Arc<Glyphs>,
    marks: Vec<char>,
    remember_pages: bool,
}

impl Options {
    /// Options with every setting at its default: the same as `Options::default()`.
    pub fn new() -> Options {
        Options::default()
    }

    /// What the glyphs of the PDFs' fonts read as: the fonts the subsets were cut from, and the
    /// names their glyphs have. Share one [`Glyphs`] between the text layers of a process.
    /// Default: no fonts and no names, glyph names read by the Adobe Glyph List's rules alone.
    pub fn glyphs(&mut self, glyphs: Arc<Glyphs>) -> &mut Options {
        self.glyphs = glyphs;
        self
    }

    /// Characters of the Basic Multilingual Plane that are no text (a word-break mark U+200B
    /// placed for the layout, say, or a word joiner U+2060): they are dropped from /ActualText
    /// before the span's text is spread over its glyphs, and from every text string of the file
    /// (a bookmark's /Title, a structure element's /T). Characters outside the Basic
    /// Multilingual Plane are left out. Default: none.
    pub fn marks(&mut self, marks: impl IntoIterator<Item = char>) -> &mut Options {
        self.marks = (marks.into_iter())
            .filter(|c| u32::from(*c) <= 0xFFFF)
            .collect();
        self
    }

    /// Whether to remember the pages rewritten, for the next rewrite to reuse where the PDF
    /// holds them unchanged (rebuilds of a document being edited). One-off rewrites gain nothing
    /// from it: hashing 1 MB of page content is wasted there. Default: false.
    pub fn remember_pages(&mut self, yes: bool) -> &mut Options {
        self.remember_pages = yes;
        self
    }
}

/// Rewrites PDFs' text layers, remembering what the next rewrite can reuse. See the crate
/// documentation.
pub struct TextLayer {
    options: Options,
    memo: Memo,
    compressors: Compressors,
}

impl Default for TextLayer {
    /// A text layer with [`Options::default`].
    fn default() -> Self {
        Self::new(&Options::default())
    }
}

impl TextLayer {
    /// A text layer that rewrites as `options` say.
    pub fn new(options: &Options) -> Self {
        Self {
            options: options.clone(),
            memo: Memo::default(),
            compressors: Compressors::default(),
        }
    }

    /// Reads the fonts' glyph texts now, if not yet (2.5 ms for four faces): call it on an idle
    /// core, e.g. while typst exports the PDF, for the rewrite to find them ready.
    pub fn warm_up(&self) {
        self.options.glyphs.warm_up();
    }

    /// Forgets the remembered pages and fonts.
    pub fn clear(&mut self) {
        self.memo = Memo::default();
    }

    /// Gives every glyph of `pdf` its own text, so that readers that ignore /ActualText read
    /// the same text as those that use it; see the crate documentation. Only the objects the
    /// rewrite reads are parsed; the rest are copied (see `raw`).
    pub fn rewrite(&mut self, pdf: Vec<u8>) -> Result<Vec<u8>, Error> {
        let Self {
            options,
            memo,
            compressors,
        } = self;
        memo.start();
        let glyphs = &*options.glyphs;
        let tables = glyphs.tables();
        let mut raw = Raw::read(&pdf)?;
        let pages = raw.pages()?;
        let mut fonts: BTreeMap<ObjectId, Font> = BTreeMap::new();
        let mut names = Vec::with_capacity(pages.len());
        for (k, &page) in pages.iter().enumerate() {
            let page_names = font::page_fonts(&raw, page, k + 1)?;
            for id in page_names.values() {
                if !fonts.contains_key(id) {
                    let memo = options.remember_pages.then_some(&mut *memo);
                    fonts.insert(*id, font::read(&raw, *id, glyphs, memo)?);
                }
            }
            names.push(page_names);
        }
        // Only the /ActualText spans can need other codes: they are parsed and written again,
        // the rest of each page stays as typst wrote it (parsing whole pages was 30 ms of a 160
        // ms build).
        let mut fresh = Vec::new();
        // Each page's content is compressed on another core while the next page is rewritten.
        let deflated: Deflated = Mutex::new(Vec::new());
        rayon::scope(|scope| -> Result<(), Error> {
            let compressors = &*compressors;
            let compress = |id, content| spawn_deflate(scope, compressors, &deflated, id, content);
            for (k, (&page, page_names)) in pages.iter().zip(&names).enumerate() {
                let page = PageJob {
                    id: page,
                    names: page_names,
                    page: Page {
                        number: k + 1,
                        tables,
                        marks: &options.marks,
                        names: page_names,
                    },
                };
                let memo = options.remember_pages.then_some(&mut *memo);
                fresh.extend(rewrite_page(&mut raw, &page, &mut fonts, memo, &compress)?);
            }
            Ok(())
        })?;
        for (id, bytes) in deflated.into_inner().unwrap_or_else(|e| e.into_inner()) {
            put_deflated(&mut raw, id, bytes?)?;
        }
        for (key, id, requests) in fresh {
            let compressed = raw.get(id)?.as_stream().or_malformed()?.content.clone();
            let page = PageMemo {
                compressed,
                requests,
            };
            memo.remember_page(key, page);
        }
        for (id, font) in &fonts {
            font::write(&mut raw, *id, font)?;
        }
        let marks: Vec<[u8; 2]> = (options.marks.iter())
            .map(|c| {
                let mut utf16 = [0; 2];
                c.encode_utf16(&mut utf16);
                utf16[0].to_be_bytes()
            })
            .collect();
        raw.write(|data| compressors.deflate(data), &marks)
    }
}

/// A page to rewrite.
struct PageJob<'a> {
    id: ObjectId,
    names: &'a BTreeMap<Vec<u8>, ObjectId>,
    page: Page<'a>,
}

/// A page rewritten to remember: its key, its content stream, its alias requests.
type Fresh = (memo::PageKey, ObjectId, Vec<(Vec<u8>, u16, String, u16)>);

/// Rewrites one page, or reuses the remembered rewrite of the same page; its content goes to
/// `compress`.
fn rewrite_page<'s>(
    pdf: &mut Raw<'s>,
    job: &PageJob,
    fonts: &mut BTreeMap<ObjectId, Font>,
    memo: Option<&mut Memo>,
    compress: &impl Fn(ObjectId, Cow<'s, [u8]>),
) -> Result<Option<Fresh>, Error> {
    let (page, page_names) = (job.id, job.names);
    let contents = pdf.page_contents(page)?;
    let key = memo
        .as_ref()
        .and_then(|_| memo::page_key(pdf, &contents, page_names, fonts));
    if let (Some(key), Some(memo)) = (&key, memo)
        && let Some(remembered) = memo.page(key)
        && memo::replay(&remembered, page_names, fonts)
    {
        if let [id] = contents[..] {
            put_deflated(pdf, id, remembered.compressed.clone())?;
        }
        return Ok(None);
    }
    fonts.values_mut().for_each(|f| f.requests.clear());
    // One stream without a filter, as typst writes a page: read where it lies.
    let single = match contents[..] {
        [id] => pdf.typst_data(id).filter(|_| {
            pdf.get(id)
                .and_then(|o| o.as_stream().or_malformed())
                .is_ok_and(|s| !s.dict.has(b"Filter"))
        }),
        _ => None,
    };
    let copied;
    let raw: &[u8] = match single {
        Some(data) => data,
        None => {
            copied = page_content(pdf, &contents)?;
            &copied
        }
    };
    let new = match content::splice_spans(raw, &job.page, fonts)? {
        Some(new) => new,
        None => {
            let (content, recoded) =
                content::rewrite_content(Content::decode(raw).or_malformed()?, &job.page, fonts)?;
            recoded
                .then(|| content.encode())
                .transpose()
                .or_malformed()?
        }
    };
    let requests: Vec<(Vec<u8>, u16, String, u16)> = page_names
        .iter()
        .flat_map(|(name, id)| {
            fonts[id]
                .requests
                .iter()
                .map(|(g, t, c)| (name.clone(), *g, t.clone(), *c))
        })
        .collect();
    match (&contents[..], single, new) {
        ([id], Some(_), Some(new)) => compress(*id, new.into()),
        ([id], Some(data), None) => compress(*id, data.into()),
        (_, _, Some(new)) => {
            let id = pdf.add(Object::Stream(Stream::new(Dictionary::new(), Vec::new())));
            pdf.get_mut(page)?
                .as_dict_mut()
                .or_malformed()?
                .set("Contents", Object::Reference(id));
            compress(id, new.into());
        }
        _ => {}
    }
    Ok(match (key, &pdf.page_contents(page)?[..]) {
        (Some(key), [id]) => Some((key, *id, requests)),
        _ => None,
    })
}

/// Compresses a page's content on another core.
fn spawn_deflate<'s>(
    scope: &rayon::Scope<'s>,
    compressors: &'s Compressors,
    done: &'s Deflated,
    id: ObjectId,
    content: Cow<'s, [u8]>,
) {
    scope.spawn(move |_| {
        let bytes = compressors.deflate(&content);
        done.lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((id, bytes));
    });
}

/// Pages' content compressed, by stream.
type Deflated = Mutex<Vec<(ObjectId, Result<Vec<u8>, Error>)>>;

/// The content of a page not written as one unfiltered stream: its streams decoded, one after
/// another.
fn page_content(pdf: &Raw, contents: &[ObjectId]) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    for &id in contents {
        out.extend(decoded(pdf, id)?);
        out.push(b'\n');
    }
    Ok(out)
}

/// Stream `id`'s data with its filters undone.
fn decoded(pdf: &Raw, id: ObjectId) -> Result<Vec<u8>, Error> {
    let mut stream = pdf.get(id)?.as_stream().or_malformed()?.clone();
    stream.content = pdf.stream_data(id)?.to_vec();
    raw::unhex_first(&mut stream)?;
    if !stream.dict.has(b"Filter") {
        return Ok(stream.content);
    }
    stream.decompressed_content().or_malformed()
}

/// Makes stream `id` hold `bytes`, compressed by [`Compressors::deflate`].
fn put_deflated(pdf: &mut Raw, id: ObjectId, bytes: Vec<u8>) -> Result<(), Error> {
    let dict = pdf.get(id)?.as_stream().or_malformed()?.dict.clone();
    pdf.set(id, Object::Stream(raw::deflated(dict, bytes)));
    Ok(())
}

/// Compressors kept for the next stream: setting one up clears its tables, which took more time
/// than compressing a page. One a thread at most, taken out while it compresses.
#[derive(Default)]
struct Compressors(Mutex<Vec<flate2::Compress>>);

impl Compressors {
    /// Flate at level 2: a page's content is 60 KB of text operators, and level 2 compresses the
    /// 16 pages of the FY 2569 report in 4 ms where the default level took 9 ms, for a file 13%
    /// larger.
    fn deflate(&self, data: &[u8]) -> Result<Vec<u8>, Error> {
        let taken = self.0.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut c =
            taken.unwrap_or_else(|| flate2::Compress::new(flate2::Compression::new(2), true));
        c.reset();
        let mut out = Vec::with_capacity(data.len() / 2 + 64);
        let result = loop {
            let read = usize::try_from(c.total_in()).unwrap_or(data.len());
            let status = c.compress_vec(&data[read..], &mut out, flate2::FlushCompress::Finish);
            match status {
                Ok(flate2::Status::StreamEnd) => break Ok(out),
                Ok(_) => out.reserve(out.capacity().max(1024)),
                Err(e) => {
                    break Err(Error::Compress {
                        reason: e.to_string(),
                    });
                }
            }
        };
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(c);
        result
    }
}

#[cfg(test)]
mod tests;

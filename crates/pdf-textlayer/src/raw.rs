//! The PDF, read where it lies.
//!
//! The text layer changes a few objects of the PDF typst writes: the pages' content and the
//! fonts' text maps and widths. lopdf read and wrote all 650 objects of the FY 2569 report to
//! do so, 533 of them structure elements the text layer never looks at: about 5 ms of a 190 ms
//! build, cold or under `watch`. [`Raw`] parses an object only when the rewrite asks for it, and
//! [`Raw::write`] writes the file again, copying every other object as typst wrote it but for
//! what the archive needs of all of them:
//! - streams typst's `pretty` export left uncompressed are compressed (but the XMP metadata,
//!   which PDF/A readers expect to read as it is), and its hex-encoded ones are decoded;
//! - the marks leave text strings (see [`drop_marks_in`] and [`crate::Options::marks`]);
//! - white space between tokens is squeezed, as lopdf writes it.
//!
//! The reader expects what typst 0.15 writes: one classic cross-reference table, no object
//! streams, no encryption. Another layout is an error ([`Error::UnexpectedLayout`]), not a guess;
//! damage is an error too ([`Error::Malformed`]), never a panic.

use std::cell::OnceCell;
use std::ops::Range;

use lopdf::content::Operation;
use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat, Writer};
use memchr::memmem;
use rayon::iter::{IntoParallelIterator, ParallelIterator};

use crate::Error;
use crate::error::OrMalformed;

/// An object parsed: a stream's content is left empty and read from `data` when needed.
struct Parsed {
    object: Object,
    /// Where a stream's data lies in the file.
    data: Option<Range<usize>>,
}

/// A PDF whose objects are parsed on first use; see the module documentation.
pub(crate) struct Raw<'a> {
    bytes: &'a [u8],
    /// By object number: where its `N G obj` starts, and its generation.
    at: Vec<Option<(usize, u16)>>,
    /// By object number: the object parsed.
    parsed: Vec<OnceCell<Parsed>>,
    /// By object number: whether the rewrite changed it (its `parsed` object is then complete,
    /// a stream with its content).
    changed: Vec<bool>,
    trailer: Dictionary,
    /// Where the cross-reference table starts: the last object ends before it.
    xref: usize,
}

fn err(what: &str) -> Error {
    Error::malformed(what)
}

impl<'a> Raw<'a> {
    /// Reads the cross-reference table and the trailer; no object yet.
    pub(crate) fn read(bytes: &'a [u8]) -> Result<Self, Error> {
        let sx = memmem::rfind(bytes, b"startxref").ok_or_else(|| err("no startxref"))?;
        let mut lex = Lexer::new(bytes, sx + 9);
        let Some(Object::Integer(start)) = lex.object(0) else {
            return Err(err("startxref has no offset"));
        };
        let start = usize::try_from(start).map_err(|_| err("bad startxref"))?;
        let mut lex = Lexer::new(bytes, start);
        if lex.keyword() != Some(b"xref") {
            return Err(Error::UnexpectedLayout {
                what: "no cross-reference table where startxref points (a cross-reference stream?)",
            });
        }
        let mut at = Vec::new();
        loop {
            lex.skip();
            if bytes[lex.at..].starts_with(b"trailer") {
                lex.at += 7;
                break;
            }
            let (Some(Object::Integer(first)), Some(Object::Integer(count))) =
                (lex.object(0), lex.object(0))
            else {
                return Err(err("bad cross-reference subsection"));
            };
            let (Ok(first), Ok(count)) = (usize::try_from(first), usize::try_from(count)) else {
                return Err(err("bad cross-reference subsection"));
            };
            lex.skip();
            for k in 0..count {
                let record = (bytes.get(lex.at..lex.at + 20))
                    .ok_or_else(|| err("short cross-reference table"))?;
                lex.at += 20;
                if record[17] != b'n' {
                    continue;
                }
                let text = |r: &'a [u8]| std::str::from_utf8(r).ok();
                let (Some(offset), Some(generation)) = (
                    text(&record[..10]).and_then(|t| t.parse::<usize>().ok()),
                    text(&record[11..16]).and_then(|t| t.parse::<u16>().ok()),
                ) else {
                    return Err(err("bad cross-reference entry"));
                };
                let id = first.saturating_add(k);
                // An object takes bytes of the file: a number past its length is damage, and
                // would make the tables below as long.
                if id >= bytes.len() || offset >= bytes.len() {
                    return Err(err("a cross-reference entry points outside the file"));
                }
                if at.len() <= id {
                    at.resize(id + 1, None);
                }
                at[id] = Some((offset, generation));
            }
        }
        let Some(Object::Dictionary(trailer)) = lex.object(0) else {
            return Err(err("no trailer"));
        };
        if trailer.has(b"Prev") {
            return Err(Error::UnexpectedLayout {
                what: "an incremental update (the trailer has /Prev)",
            });
        }
        if trailer.has(b"Encrypt") {
            return Err(Error::UnexpectedLayout {
                what: "encrypted (the trailer has /Encrypt)",
            });
        }
        let n = at.len();
        Ok(Self {
            bytes,
            at,
            parsed: (0..n).map(|_| OnceCell::new()).collect(),
            changed: vec![false; n],
            trailer,
            xref: start,
        })
    }

    fn parsed(&self, id: ObjectId) -> Result<&Parsed, Error> {
        let n = id.0 as usize;
        let cell = self.parsed.get(n).ok_or_else(|| err("no such object"))?;
        if let Some(p) = cell.get() {
            return Ok(p);
        }
        let (offset, _) = self.at[n].ok_or_else(|| err("no such object"))?;
        let parsed = self.parse_at(offset)?;
        Ok(cell.get_or_init(|| parsed))
    }

    /// The indirect object at `offset`: `N G obj`, the object, and a stream's data.
    fn parse_at(&self, offset: usize) -> Result<Parsed, Error> {
        let mut lex = Lexer::new(self.bytes, offset);
        let header = (lex.object(0), lex.object(0), lex.keyword());
        let (Some(Object::Integer(_)), Some(Object::Integer(_)), Some(b"obj")) = header else {
            return Err(err(&format!("no object at {offset}")));
        };
        let object = lex
            .object(0)
            .ok_or_else(|| err(&format!("bad object at {offset}")))?;
        lex.skip();
        let Object::Dictionary(dict) = object else {
            return Ok(Parsed { object, data: None });
        };
        if !self.bytes[lex.at..].starts_with(b"stream") {
            return Ok(Parsed {
                object: Object::Dictionary(dict),
                data: None,
            });
        }
        lex.at += 6;
        if self.bytes[lex.at..].starts_with(b"\r\n") {
            lex.at += 2;
        } else if self.bytes[lex.at..].starts_with(b"\n") {
            lex.at += 1;
        }
        let length = match dict.get(b"Length") {
            Ok(Object::Integer(n)) => *n,
            Ok(Object::Reference(id)) => match self.get(*id)? {
                Object::Integer(n) => *n,
                _ => return Err(err("a stream's length is not a number")),
            },
            _ => return Err(err("a stream without a length")),
        };
        let data = lex.at..lex.at + usize::try_from(length).map_err(|_| err("bad length"))?;
        if data.end > self.bytes.len() {
            return Err(err("a stream runs past the end"));
        }
        let mut stream = Stream::new(dict, Vec::new());
        stream.dict.set("Length", length);
        Ok(Parsed {
            object: Object::Stream(stream),
            data: Some(data),
        })
    }

    /// Object `id`; a stream's content is empty, see [`Self::stream_data`].
    pub(crate) fn get(&self, id: ObjectId) -> Result<&Object, Error> {
        Ok(&self.parsed(id)?.object)
    }

    pub(crate) fn dict(&self, id: ObjectId) -> Result<&Dictionary, Error> {
        self.get(id)?.as_dict().or_malformed()
    }

    /// A stream's data as it stands now (as typst wrote it, unless changed).
    pub(crate) fn stream_data(&self, id: ObjectId) -> Result<&[u8], Error> {
        let parsed = self.parsed(id)?;
        let stream = parsed.object.as_stream().or_malformed()?;
        match &parsed.data {
            Some(range) if !self.changed[id.0 as usize] => Ok(&self.bytes[range.clone()]),
            _ => Ok(&stream.content),
        }
    }

    /// A stream's data as typst wrote it, unless the rewrite changed the stream.
    pub(crate) fn typst_data(&self, id: ObjectId) -> Option<&'a [u8]> {
        let range = self.parsed(id).ok()?.data.clone()?;
        let bytes: &'a [u8] = self.bytes;
        (!self.changed[id.0 as usize]).then(|| &bytes[range])
    }

    /// Object `id` to change; a stream's content is read in first.
    pub(crate) fn get_mut(&mut self, id: ObjectId) -> Result<&mut Object, Error> {
        let n = id.0 as usize;
        self.parsed(id)?;
        let was = std::mem::replace(&mut self.changed[n], true);
        let parsed = self.parsed[n].get_mut().expect("parsed above");
        if let (false, Object::Stream(stream), Some(range)) =
            (was, &mut parsed.object, &parsed.data)
        {
            stream.content = self.bytes[range.clone()].to_vec();
        }
        Ok(&mut parsed.object)
    }

    /// Puts `object` in place of object `id`.
    pub(crate) fn set(&mut self, id: ObjectId, object: Object) {
        let n = id.0 as usize;
        if self.at.len() <= n {
            self.at.resize(n + 1, None);
            self.parsed.resize_with(n + 1, OnceCell::new);
            self.changed.resize(n + 1, false);
        }
        self.parsed[n] = OnceCell::from(Parsed { object, data: None });
        self.changed[n] = true;
    }

    /// Adds `object` under a new number.
    pub(crate) fn add(&mut self, object: Object) -> ObjectId {
        let id = (self.parsed.len() as u32, 0);
        self.set(id, object);
        id
    }

    /// The pages in order, from the catalog's page tree.
    pub(crate) fn pages(&self) -> Result<Vec<ObjectId>, Error> {
        let root = self
            .trailer
            .get(b"Root")
            .or_malformed()?
            .as_reference()
            .or_malformed()?;
        let tree = self
            .dict(root)?
            .get(b"Pages")
            .or_malformed()?
            .as_reference()
            .or_malformed()?;
        let mut out = Vec::new();
        self.walk_pages(tree, 0, &mut out)?;
        Ok(out)
    }

    fn walk_pages(
        &self,
        node: ObjectId,
        depth: usize,
        out: &mut Vec<ObjectId>,
    ) -> Result<(), Error> {
        if depth > 64 {
            return Err(err("the page tree is too deep"));
        }
        let dict = self.dict(node)?;
        if dict.get(b"Type").and_then(Object::as_name).ok() == Some(b"Page") {
            out.push(node);
            return Ok(());
        }
        for kid in self
            .resolve(dict.get(b"Kids").or_malformed()?)?
            .as_array()
            .or_malformed()?
        {
            self.walk_pages(kid.as_reference().or_malformed()?, depth + 1, out)?;
        }
        Ok(())
    }

    /// `object`, or the object it refers to.
    pub(crate) fn resolve<'s>(&'s self, object: &'s Object) -> Result<&'s Object, Error> {
        match object {
            Object::Reference(id) => self.get(*id),
            o => Ok(o),
        }
    }

    /// A page's content streams; none for a page without /Contents, which shows nothing.
    pub(crate) fn page_contents(&self, page: ObjectId) -> Result<Vec<ObjectId>, Error> {
        let Ok(contents) = self.dict(page)?.get(b"Contents") else {
            return Ok(Vec::new());
        };
        let refs = |a: &[Object]| a.iter().map(|o| o.as_reference().or_malformed()).collect();
        match contents {
            Object::Reference(id) => match self.get(*id)? {
                Object::Array(a) => refs(a),
                _ => Ok(vec![*id]),
            },
            Object::Array(a) => refs(a),
            other => Err(err(&format!("a page's /Contents is {other:?}"))),
        }
    }

    /// A page's resource dictionaries: its own first, then those it inherits.
    pub(crate) fn page_resources(&self, page: ObjectId) -> Result<Vec<&Dictionary>, Error> {
        let mut out = Vec::new();
        let mut node = Some(page);
        for _ in 0..64 {
            let Some(id) = node else { break };
            let dict = self.dict(id)?;
            if let Ok(resources) = dict.get(b"Resources") {
                out.push(self.resolve(resources)?.as_dict().or_malformed()?);
            }
            node = dict.get(b"Parent").and_then(Object::as_reference).ok();
        }
        Ok(out)
    }

    /// The file again; see the module documentation. `deflate` compresses a stream's data,
    /// `marks` are the UTF-16 code units to drop from text strings.
    pub(crate) fn write(
        mut self,
        deflate: impl Fn(&[u8]) -> Result<Vec<u8>, Error> + Sync,
        marks: &[[u8; 2]],
    ) -> Result<Vec<u8>, Error> {
        let mut pieces = self.pieces(marks)?;
        // Compressed on all cores.
        let mut jobs = Vec::new();
        for (i, (_, piece)) in pieces.iter_mut().enumerate() {
            if let Piece::Compress(_, data) = piece {
                jobs.push((i, std::mem::take(data)));
            }
        }
        let compressed = jobs
            .into_par_iter()
            .map(|(i, data)| (i, deflate(&data)))
            .collect::<Vec<_>>();
        for (i, bytes) in compressed {
            let (_, piece) = &mut pieces[i];
            let Piece::Compress(stream, _) = piece else {
                unreachable!("a job is made of a stream to compress")
            };
            let dict = std::mem::take(&mut stream.dict);
            *piece = Piece::Done(written(&Object::Stream(deflated(dict, bytes?)))?);
        }
        self.assemble(pieces)
    }

    /// Each object as it is to be written, in the order of their numbers.
    fn pieces(&mut self, marks: &[[u8; 2]]) -> Result<Vec<(ObjectId, Piece)>, Error> {
        // Each object as typst wrote it runs to the next one, the last to the cross-reference
        // table.
        let mut starts: Vec<usize> = self.at.iter().flatten().map(|a| a.0).collect();
        starts.push(self.xref);
        starts.sort_unstable();
        let end_of = |offset: usize| {
            let next = starts.partition_point(|&s| s <= offset);
            starts.get(next).copied().unwrap_or(self.bytes.len())
        };
        let hex_marks: Vec<String> = (marks.iter())
            .flat_map(|mark| {
                let hex: String = mark.iter().map(|b| format!("{b:02X}")).collect();
                [hex.to_ascii_lowercase(), hex]
            })
            .collect();
        let holds_mark = |raw: &[u8]| {
            (hex_marks.iter()).any(|h| memmem::find(raw, h.as_bytes()).is_some())
                || marks.iter().any(|mark| memmem::find(raw, mark).is_some())
        };
        let drop_marks = |object: &mut Object| drop_marks_in(object, marks);
        let mut pieces = Vec::with_capacity(self.at.len());
        for n in 1..self.parsed.len() {
            let id = (n as u32, self.at[n].map_or(0, |a| a.1));
            if self.changed[n] {
                let mut object = self.parsed[n].take().expect("changed").object;
                drop_marks(&mut object);
                pieces.push((id, self::piece(object, Vec::new())?));
                continue;
            }
            let Some((offset, _)) = self.at[n] else {
                continue; // a free entry
            };
            let raw = &self.bytes[offset..end_of(offset)];
            if !is_stream(raw) && !holds_mark(raw) {
                let body = body(raw).ok_or_else(|| err("an object without endobj"))?;
                let mut out = Vec::with_capacity(body.len() + 24);
                squeeze(body, &mut out);
                pieces.push((id, Piece::Done(out)));
                continue;
            }
            self.parsed(id)?;
            let Parsed { mut object, data } = self.parsed[n].take().expect("parsed above");
            drop_marks(&mut object);
            let data = data.map(|r| self.bytes[r].to_vec()).unwrap_or_default();
            pieces.push((id, self::piece(object, data)?));
        }
        Ok(pieces)
    }

    /// typst's header, the objects, a cross-reference table and the trailer.
    fn assemble(mut self, pieces: Vec<(ObjectId, Piece)>) -> Result<Vec<u8>, Error> {
        let first = (self.at.iter().flatten().map(|a| a.0).min()).unwrap_or(self.bytes.len());
        let size = pieces.last().map_or(1, |(id, _)| id.0 as usize + 1);
        let total: usize = pieces
            .iter()
            .map(|(_, p)| match p {
                Piece::Done(b) => b.len() + 24,
                Piece::Compress(..) => 0,
            })
            .sum();
        let mut out = Vec::with_capacity(first + total + 20 * size + 256);
        out.extend_from_slice(&self.bytes[..first]);
        let mut offsets = vec![None; size];
        for ((id, generation), piece) in pieces {
            let Piece::Done(body) = piece else {
                unreachable!("every stream compressed before")
            };
            offsets[id as usize] = Some((out.len(), generation));
            out.extend_from_slice(format!("{id} {generation} obj\n").as_bytes());
            out.extend_from_slice(&body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend_from_slice(format!("xref\n0 {size}\n0000000000 65535 f\r\n").as_bytes());
        for entry in &offsets[1..] {
            match entry {
                Some((offset, generation)) => {
                    out.extend_from_slice(format!("{offset:010} {generation:05} n\r\n").as_bytes())
                }
                None => out.extend_from_slice(b"0000000000 00000 f\r\n"),
            }
        }
        self.trailer.set("Size", size as i64);
        out.extend_from_slice(b"trailer\n");
        out.extend_from_slice(&written(&Object::Dictionary(self.trailer))?);
        out.extend_from_slice(format!("\nstartxref\n{xref}\n%%EOF").as_bytes());
        Ok(out)
    }
}

/// Decodes a stream's leading ASCIIHexDecode filter, the one typst's `pretty` export adds to
/// binary streams (fonts, the colour profile, attached files); the filters after it stay.
pub(crate) fn unhex_first(stream: &mut Stream) -> Result<(), Error> {
    let filters = match stream.dict.get(b"Filter") {
        Ok(Object::Array(a)) => a.clone(),
        Ok(name @ Object::Name(_)) => vec![name.clone()],
        _ => return Ok(()),
    };
    if filters.first().and_then(|f| f.as_name().ok()) != Some(b"ASCIIHexDecode") {
        return Ok(());
    }
    let bytes =
        unhex(&stream.content).ok_or_else(|| err("a hex-encoded stream does not decode"))?;
    match &filters[1..] {
        [] => {
            stream.dict.remove(b"Filter");
        }
        [one] => stream.dict.set("Filter", one.clone()),
        rest => stream.dict.set("Filter", Object::Array(rest.to_vec())),
    }
    stream.dict.remove(b"DecodeParms");
    stream.set_content(bytes);
    Ok(())
}

/// A stream of `dict` holding `bytes`, which [`crate::deflate`] compressed.
pub(crate) fn deflated(mut dict: Dictionary, bytes: Vec<u8>) -> Stream {
    dict.remove(b"DecodeParms");
    dict.set("Filter", "FlateDecode");
    Stream::new(dict, bytes)
}

/// Whether an object as typst wrote it is a stream: it ends `endstream endobj`.
fn is_stream(raw: &[u8]) -> bool {
    (raw.trim_ascii_end().strip_suffix(b"endobj"))
        .is_some_and(|rest| rest.trim_ascii_end().ends_with(b"endstream"))
}

/// An object as written, or a stream whose data is still to be compressed.
enum Piece {
    Done(Vec<u8>),
    Compress(Stream, Vec<u8>),
}

/// How object `object` (a stream's data in `data` when not in the object) is written: a stream
/// typst left uncompressed is to be compressed, a hex-encoded one is decoded first.
fn piece(object: Object, data: Vec<u8>) -> Result<Piece, Error> {
    let Object::Stream(mut stream) = object else {
        return Ok(Piece::Done(written(&object)?));
    };
    if !data.is_empty() || stream.content.is_empty() {
        stream.content = data;
    }
    unhex_first(&mut stream)?;
    let metadata = stream.dict.get(b"Type").and_then(Object::as_name).ok() == Some(b"Metadata");
    if !metadata && !stream.dict.has(b"Filter") && !stream.content.is_empty() {
        let data = std::mem::take(&mut stream.content);
        return Ok(Piece::Compress(stream, data));
    }
    let content = std::mem::take(&mut stream.content);
    stream.set_content(content);
    Ok(Piece::Done(written(&Object::Stream(stream))?))
}

/// An object as lopdf writes it.
fn written(object: &Object) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    Writer::write_object(&mut out, object).map_err(|e| err(&e.to_string()))?;
    Ok(out)
}

/// What lies between `N G obj` and `endobj`.
fn body(raw: &[u8]) -> Option<&[u8]> {
    let start = memmem::find(raw, b"obj")? + 3;
    let end = memmem::rfind(raw, b"endobj")?;
    Some(raw.get(start..end)?.trim_ascii())
}

/// Drops the marks (UTF-16 code units) from a text string: typst copies a heading's text, marks
/// and all, into its bookmark (/Title) and its structure element (/T), where a reader's search for
/// the heading's words would not find them.
pub(crate) fn drop_marks_in(object: &mut Object, marks: &[[u8; 2]]) {
    match object {
        Object::String(bytes, _) => {
            // UTF-16BE text strings; a mark cannot be half of a surrogate pair.
            let is_mark = |u: &[u8]| marks.iter().any(|m| u == m);
            if let [0xFE, 0xFF, rest @ ..] = &bytes[..]
                && rest.chunks_exact(2).any(is_mark)
            {
                let kept = rest.chunks(2).filter(|u| !is_mark(u)).flatten();
                *bytes = [0xFE, 0xFF].iter().chain(kept).copied().collect();
            }
        }
        Object::Array(items) => items.iter_mut().for_each(|o| drop_marks_in(o, marks)),
        Object::Dictionary(dict) => dict.iter_mut().for_each(|(_, o)| drop_marks_in(o, marks)),
        Object::Stream(stream) => {
            (stream.dict.iter_mut()).for_each(|(_, o)| drop_marks_in(o, marks))
        }
        _ => {}
    }
}

/// ASCIIHexDecode: pairs of hex digits, white space ignored, `>` ends the data. Two digits at a
/// time by a table where they come in pairs, as typst writes them (the embedded fonts are about
/// 150 KB of hex).
pub(crate) fn unhex(hex: &[u8]) -> Option<Vec<u8>> {
    const NOT_HEX: u8 = 0xFF;
    static VALUE: [u8; 256] = {
        let mut table = [NOT_HEX; 256];
        let mut b = 0;
        while b < 256 {
            table[b] = match b as u8 {
                d @ b'0'..=b'9' => d - b'0',
                d @ b'a'..=b'f' => d - b'a' + 10,
                d @ b'A'..=b'F' => d - b'A' + 10,
                _ => NOT_HEX,
            };
            b += 1;
        }
        table
    };
    let mut out = Vec::with_capacity(hex.len() / 2);
    let mut high: Option<u8> = None;
    let mut i = 0;
    while i < hex.len() {
        if high.is_none()
            && let Some(&[h, l]) = hex.get(i..i + 2)
            && (VALUE[usize::from(h)] | VALUE[usize::from(l)]) < 16
        {
            out.push(VALUE[usize::from(h)] << 4 | VALUE[usize::from(l)]);
            i += 2;
            continue;
        }
        let b = hex[i];
        i += 1;
        let v = VALUE[usize::from(b)];
        if v == NOT_HEX {
            match b {
                b'>' => break,
                b if b.is_ascii_whitespace() => continue,
                _ => return None,
            }
        }
        match high.take() {
            Some(h) => out.push(h << 4 | v),
            None => high = Some(v),
        }
    }
    out.extend(high.map(|h| h << 4));
    Some(out)
}

const fn is_white(b: u8) -> bool {
    matches!(b, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

const fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

/// Copies an object's bytes with each run of white space between tokens made one space, or
/// none beside a delimiter, as lopdf writes; strings and comments are copied as they are.
fn squeeze(body: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    while i < body.len() {
        let run = (body[i..].iter())
            .position(|&b| is_white(b) || b == b'(' || b == b'%')
            .map_or(body.len(), |p| i + p);
        out.extend_from_slice(&body[i..run]);
        i = run;
        let Some(&b) = body.get(i) else { break };
        let end = match b {
            b'(' => {
                // A literal string, to its balancing parenthesis.
                let mut depth = 0usize;
                let mut j = i;
                while j < body.len() {
                    match body[j] {
                        b'\\' => j += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                (j + 1).min(body.len())
            }
            // A comment, to the end of its line, which stays.
            b'%' => memchr::memchr2(b'\n', b'\r', &body[i..]).map_or(body.len(), |e| i + e + 1),
            _ => {
                let next = (body[i..].iter())
                    .position(|&b| !is_white(b))
                    .map_or(body.len(), |p| i + p);
                if let (Some(&before), Some(&after)) = (out.last(), body.get(next))
                    && (!is_delimiter(before) || before == b'/')
                    && !is_delimiter(after)
                {
                    out.push(b' ');
                }
                i = next;
                continue;
            }
        };
        out.extend_from_slice(&body[i..end]);
        i = end;
    }
}

/// The operations of a content stream, read with the object reader of this module: the text
/// layer reads each span of a page this way, and lopdf's parser took four times as long. `None`
/// where it reads something else than operands and operators (an inline image, a delimiter out
/// of place, operands without their operator), which the caller then gives to lopdf.
pub(crate) fn operations(bytes: &[u8]) -> Option<Vec<Operation>> {
    let mut lex = Lexer {
        bytes,
        at: 0,
        references: false,
    };
    let mut ops = Vec::new();
    let mut operands = Vec::new();
    loop {
        lex.skip();
        match lex.peek() {
            None => return operands.is_empty().then_some(ops),
            Some(b'/' | b'<' | b'(' | b'[' | b'+' | b'-' | b'.' | b'0'..=b'9') => {
                operands.push(lex.object(0)?);
            }
            Some(_) => match lex.token() {
                b"" | b"BI" | b"ID" | b"EI" => return None,
                b"true" => operands.push(Object::Boolean(true)),
                b"false" => operands.push(Object::Boolean(false)),
                b"null" => operands.push(Object::Null),
                operator => ops.push(Operation::new(
                    std::str::from_utf8(operator).ok()?,
                    std::mem::take(&mut operands),
                )),
            },
        }
    }
}

/// Reads PDF objects from bytes, for typst's well-formed output.
struct Lexer<'a> {
    bytes: &'a [u8],
    at: usize,
    /// Whether `N G R` reads as a reference: not in a content stream, which has none.
    references: bool,
}

impl<'a> Lexer<'a> {
    fn new(bytes: &'a [u8], at: usize) -> Self {
        Self {
            bytes,
            at,
            references: true,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Past white space and comments.
    fn skip(&mut self) {
        while let Some(b) = self.peek() {
            if is_white(b) {
                self.at += 1;
            } else if b == b'%' {
                while self.peek().is_some_and(|b| b != b'\n' && b != b'\r') {
                    self.at += 1;
                }
            } else {
                break;
            }
        }
    }

    /// A run of regular characters.
    fn token(&mut self) -> &'a [u8] {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|b| !is_white(b) && !is_delimiter(b))
        {
            self.at += 1;
        }
        &self.bytes[start..self.at]
    }

    /// A keyword such as `obj` or `xref`.
    fn keyword(&mut self) -> Option<&'a [u8]> {
        self.skip();
        let token = self.token();
        (!token.is_empty()).then_some(token)
    }

    fn object(&mut self, depth: usize) -> Option<Object> {
        if depth > 100 {
            return None;
        }
        self.skip();
        match self.peek()? {
            b'/' => Some(Object::Name(self.name()?)),
            b'<' if self.bytes.get(self.at + 1) == Some(&b'<') => {
                self.at += 2;
                let mut dict = Dictionary::new();
                loop {
                    self.skip();
                    if self.bytes[self.at..].starts_with(b">>") {
                        self.at += 2;
                        return Some(Object::Dictionary(dict));
                    }
                    if self.peek()? != b'/' {
                        return None;
                    }
                    let key = self.name()?;
                    let value = self.object(depth + 1)?;
                    dict.set(key, value);
                }
            }
            b'<' => self.hex_string(),
            b'(' => self.literal_string(),
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                loop {
                    self.skip();
                    if self.peek()? == b']' {
                        self.at += 1;
                        return Some(Object::Array(items));
                    }
                    items.push(self.object(depth + 1)?);
                }
            }
            b'+' | b'-' | b'.' | b'0'..=b'9' => self.number(),
            _ => match self.token() {
                b"true" => Some(Object::Boolean(true)),
                b"false" => Some(Object::Boolean(false)),
                b"null" => Some(Object::Null),
                _ => None,
            },
        }
    }

    fn name(&mut self) -> Option<Vec<u8>> {
        self.at += 1;
        let raw = self.token();
        let mut out = Vec::with_capacity(raw.len());
        let mut i = 0;
        while i < raw.len() {
            if raw[i] == b'#' {
                let hex = std::str::from_utf8(raw.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            } else {
                out.push(raw[i]);
                i += 1;
            }
        }
        Some(out)
    }

    /// A number, or a reference `N G R`.
    fn number(&mut self) -> Option<Object> {
        let token = std::str::from_utf8(self.token()).ok()?;
        if token.contains('.') {
            return token.parse().ok().map(Object::Real);
        }
        let n: i64 = token.parse().ok()?;
        if !self.references {
            return Some(Object::Integer(n));
        }
        let back = self.at;
        self.skip();
        let generation = self.token();
        if let (Ok(n), Some(generation)) = (
            u32::try_from(n),
            std::str::from_utf8(generation)
                .ok()
                .and_then(|g| g.parse::<u16>().ok()),
        ) {
            self.skip();
            if self.token() == b"R" {
                return Some(Object::Reference((n, generation)));
            }
        }
        self.at = back;
        Some(Object::Integer(n))
    }

    fn hex_string(&mut self) -> Option<Object> {
        let end = self.at + memchr::memchr(b'>', &self.bytes[self.at..])?;
        let bytes = unhex(&self.bytes[self.at + 1..end])?;
        self.at = end + 1;
        Some(Object::String(bytes, StringFormat::Hexadecimal))
    }

    fn literal_string(&mut self) -> Option<Object> {
        self.at += 1;
        let mut out = Vec::new();
        let mut depth = 1usize;
        loop {
            let b = self.peek()?;
            self.at += 1;
            match b {
                b'(' => {
                    depth += 1;
                    out.push(b);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(Object::String(out, StringFormat::Literal));
                    }
                    out.push(b);
                }
                b'\\' => {
                    let e = self.peek()?;
                    self.at += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        self.at += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push(v as u8);
                        }
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.at += 1;
                            }
                        }
                        b'\n' => {}
                        other => out.push(other),
                    }
                }
                b'\r' => {
                    if self.peek() == Some(b'\n') {
                        self.at += 1;
                    }
                    out.push(b'\n');
                }
                _ => out.push(b),
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use lopdf::content::Content;
    use proptest::prelude::*;

    fn parse(bytes: &[u8]) -> Option<Object> {
        let mut lex = Lexer::new(bytes, 0);
        let object = lex.object(0)?;
        lex.skip();
        (lex.at == bytes.len()).then_some(object)
    }

    #[test]
    fn objects_read_as_typst_writes_them() {
        let got = parse(
            b"<<\n  /Type /Page\n  /Parent 9 0 R\n  /MediaBox [0 0 595.276 -841.89]\n  \
              /Name /A#20b\n  /T <FEFF0E01 0e2>\n  /Alt (a\\(b\\) \\101\\\nc)\n  /On true\n>>",
        )
        .unwrap();
        let dict = got.as_dict().unwrap();
        assert_eq!(dict.get(b"Parent").unwrap().as_reference().unwrap(), (9, 0));
        let media = dict.get(b"MediaBox").unwrap().as_array().unwrap();
        assert_eq!(media[0], Object::Integer(0));
        assert_eq!(media[3], Object::Real(-841.89));
        assert_eq!(dict.get(b"Name").unwrap().as_name().unwrap(), b"A b");
        assert_eq!(
            dict.get(b"T").unwrap().as_str().unwrap(),
            [0xFE, 0xFF, 0x0E, 0x01, 0x0E, 0x20]
        );
        assert_eq!(dict.get(b"Alt").unwrap().as_str().unwrap(), b"a(b) Ac");
        assert_eq!(dict.get(b"On").unwrap(), &Object::Boolean(true));
        assert_eq!(parse(b"[1 0 R 2]").unwrap().as_array().unwrap().len(), 2);
        assert_eq!(parse(b"<< /A >>"), None, "a key without a value");
        assert_eq!(parse(b"[1 2"), None, "an array not closed");
    }

    #[test]
    fn white_space_is_squeezed_outside_strings_and_comments() {
        let mut out = Vec::new();
        squeeze(
            b"<<\n  /Kids [3 0 R\n 4 0 R]\n  /T (a  b)\n  /N /x  % keep  this\n  /K 1\n>>",
            &mut out,
        );
        assert_eq!(out, b"<</Kids[3 0 R 4 0 R]/T(a  b)/N/x% keep  this\n/K 1>>");
    }

    fn object() -> impl Strategy<Value = Object> {
        let leaf = prop_oneof![
            Just(Object::Null),
            any::<bool>().prop_map(Object::Boolean),
            any::<i32>().prop_map(|i| Object::Integer(i64::from(i))),
            (-1e6f32..1e6).prop_map(Object::Real),
            prop::collection::vec(any::<u8>(), 0..8).prop_map(Object::Name),
            prop::collection::vec(any::<u8>(), 0..12)
                .prop_map(|s| Object::String(s, StringFormat::Literal)),
            prop::collection::vec(any::<u8>(), 0..12)
                .prop_map(|s| Object::String(s, StringFormat::Hexadecimal)),
            (any::<u32>(), any::<u16>()).prop_map(Object::Reference),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Object::Array),
                prop::collection::vec((prop::collection::vec(any::<u8>(), 0..6), inner), 0..6)
                    .prop_map(|entries| {
                        let mut dict = Dictionary::new();
                        for (key, value) in entries {
                            dict.set(key, value);
                        }
                        Object::Dictionary(dict)
                    }),
            ]
        })
    }

    /// Operands as a content stream holds them: no references.
    fn operand() -> impl Strategy<Value = Object> {
        object().prop_filter("a content stream has no references", |o| {
            fn has_reference(o: &Object) -> bool {
                match o {
                    Object::Reference(_) => true,
                    Object::Array(a) => a.iter().any(has_reference),
                    Object::Dictionary(d) => d.iter().any(|(_, v)| has_reference(v)),
                    _ => false,
                }
            }
            !has_reference(o)
        })
    }

    /// Operations as values to compare (lopdf's have no `==`).
    pub(crate) fn plain(ops: Option<Vec<Operation>>) -> Option<Vec<(String, Vec<Object>)>> {
        ops.map(|ops| ops.into_iter().map(|o| (o.operator, o.operands)).collect())
    }

    #[test]
    fn content_reads_as_lopdf_reads_it_or_not_at_all() {
        // typst's spans, and what lopdf reads differently or not at all: the caller then
        // parses the page with lopdf.
        for bytes in [
            &b"/Span<</ActualText<FEFF0E010E33>>>BDC /f0 11 Tf [<0001> -250 <0002>] TJ EMC"[..],
            b"q 1 0 0 -1 0 841.89 cm BT /f0 11 Tf 0 0 Td (a\\(b) Tj T* ET Q % done",
            b"1 0 R",
        ] {
            let theirs = Content::decode(bytes).ok().map(|c| c.operations);
            assert!(theirs.is_some());
            assert_eq!(
                plain(operations(bytes)),
                plain(theirs),
                "{}",
                String::from_utf8_lossy(bytes)
            );
        }
        for cut in [
            &b"/Span<</ActualText<FEFF>>>BDC (xEMC"[..],
            b"1 2",
            b"] TJ",
            b"BI /W 1 ID x EI",
        ] {
            assert!(
                operations(cut).is_none(),
                "{}",
                String::from_utf8_lossy(cut)
            );
        }
    }

    proptest! {
        /// Operations lopdf writes read back as lopdf reads them.
        #[test]
        fn operations_lopdf_writes_read_back(
            ops in prop::collection::vec(
                (prop::sample::select(vec!["Tj", "TJ", "Tf", "BDC", "EMC", "cm", "'", "T*", "re"]),
                 prop::collection::vec(operand(), 0..4)),
                0..6,
            )
        ) {
            let written: Vec<Operation> =
                ops.into_iter().map(|(op, operands)| Operation::new(op, operands)).collect();
            let bytes = Content { operations: written.clone() }.encode().unwrap();
            let read = plain(operations(&bytes));
            prop_assert!(read.is_some(), "{:?}", String::from_utf8_lossy(&bytes));
            prop_assert!(read == plain(Content::decode(&bytes).ok().map(|c| c.operations)));
        }

        /// What lopdf writes reads back the same, squeezed or not.
        #[test]
        fn an_object_lopdf_writes_reads_back(object in object()) {
            let bytes = written(&object).unwrap();
            let read = parse(&bytes);
            prop_assert!(read.as_ref() == Some(&object), "{:?}", String::from_utf8_lossy(&bytes));
            let mut squeezed = Vec::new();
            squeeze(&bytes, &mut squeezed);
            prop_assert!(parse(&squeezed) == read);
        }
    }
}

#[cfg(test)]
mod damage {
    use super::*;

    /// A small PDF as typst lays one out: objects, one cross-reference table, the trailer.
    fn pdf(objects: &[&str], entry: impl Fn(usize, usize) -> String) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n".to_vec();
        let mut offsets = Vec::new();
        for (k, body) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", k + 1).as_bytes());
        }
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f\r\n", objects.len() + 1).as_bytes(),
        );
        for (k, offset) in offsets.into_iter().enumerate() {
            out.extend_from_slice(entry(k + 1, offset).as_bytes());
        }
        let trailer = format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF",
            objects.len() + 1
        );
        out.extend_from_slice(trailer.as_bytes());
        out
    }

    const OBJECTS: [&str; 4] = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
        "<< /Length 3 >>\nstream\nq Q\nendstream",
    ];

    fn entry(_: usize, offset: usize) -> String {
        format!("{offset:010} 00000 n\r\n")
    }

    fn written(bytes: &[u8]) -> Result<Vec<u8>, Error> {
        let raw = Raw::read(bytes)?;
        raw.pages()?;
        raw.write(|d| Ok(d.to_vec()), &[[0x20, 0x0B]])
    }

    #[test]
    fn a_sound_file_reads_and_writes() {
        let out = written(&pdf(&OBJECTS, entry)).ok().unwrap();
        let doc = lopdf::Document::load_mem_with_options(
            &out,
            lopdf::LoadOptions {
                strict: true,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(doc.get_pages().len(), 1);
    }

    #[test]
    fn offsets_and_numbers_outside_the_file_are_errors() {
        let far = pdf(&OBJECTS, |_, _| "0009999999 00000 n\r\n".into());
        assert!(written(&far).is_err());
        // Past the last object, inside the table itself: no object there.
        let table = pdf(&OBJECTS, |k, o| entry(k, if k == 4 { o + 200 } else { o }));
        assert!(written(&table).is_err());
        let mut huge = pdf(&OBJECTS, entry);
        let at = memmem::find(&huge, b"xref\n0 5").unwrap() + 5;
        huge.splice(at..at + 3, b"4000000000 5".iter().copied());
        assert!(Raw::read(&huge).is_err());
        for cut in [10, 100, 200, 300] {
            assert!(
                written(&pdf(&OBJECTS, entry)[..cut]).is_err(),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn a_stream_longer_than_the_file_is_an_error() {
        let mut objects = OBJECTS;
        objects[3] = "<< /Length 99999 >>\nstream\nq Q\nendstream";
        assert!(written(&pdf(&objects, entry)).is_err());
    }
}

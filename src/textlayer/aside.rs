//! The structure tree's elements, kept out of lopdf's way.
//!
//! typst tags the report for PDF/UA: the FY 2569 report has 533 structure elements, small
//! dictionaries the text layer never reads. lopdf parsing and writing them was 6 of the text
//! layer's 22 ms (load 3.6, save 2.7). [`set_aside`] hands lopdf the PDF with each such element
//! blanked to `null` (padded to the same length, so the cross-reference table stays right),
//! and [`put_back`] writes them into lopdf's output again, with its cross-reference table
//! moved to match.
//!
//! Only elements without a text string are set aside: typst copies a heading's text,
//! word-break marks and all, into its element's /T, and [`super::drop_marks_in_strings`] must
//! see it. What is left are names, numbers, references, delimiters and ASCII identifiers, whose
//! white space can be squeezed as lopdf would write it.

use std::collections::HashMap;

use memchr::memmem;

/// The bodies set aside, by object number: where each was, and its bytes squeezed.
pub(super) type Aside = HashMap<u32, (std::ops::Range<usize>, Vec<u8>)>;

/// One in-use entry of a classic cross-reference table.
struct Entry {
    /// Where the entry's 20 bytes start in the file.
    at: usize,
    /// The object's number.
    id: u32,
    /// Where the object starts in the file.
    offset: usize,
}

/// The cross-reference table a file's `startxref` points at: its in-use entries, where the
/// table starts, and that the file has one table only (no /Prev), as typst and lopdf write.
fn xref(pdf: &[u8]) -> Option<(Vec<Entry>, usize)> {
    let sx = memmem::rfind(pdf, b"startxref")?;
    let start = number_after(pdf, sx + 9)?.0;
    let mut at = start.checked_add(4)?;
    if pdf.get(start..at)? != b"xref" {
        return None;
    }
    let mut entries = Vec::new();
    loop {
        while pdf.get(at)?.is_ascii_whitespace() {
            at += 1;
        }
        if pdf[at..].starts_with(b"trailer") {
            let single = memmem::find(&pdf[at..sx], b"/Prev").is_none();
            let before = entries.iter().all(|e: &Entry| e.offset < start);
            return (single && before).then_some((entries, start));
        }
        let eol = at + memchr::memchr(b'\n', &pdf[at..])?;
        let header = std::str::from_utf8(&pdf[at..eol]).ok()?;
        let mut nums = header
            .split_ascii_whitespace()
            .map(|n| n.parse::<u32>().ok());
        let (first, count) = (nums.next()??, nums.next()??);
        at = eol + 1;
        for k in 0..count {
            let record = pdf.get(at..at + 20)?;
            if record[17] == b'n' {
                let offset = std::str::from_utf8(&record[..10]).ok()?.parse().ok()?;
                entries.push(Entry {
                    at,
                    id: first.checked_add(k)?,
                    offset,
                });
            }
            at += 20;
        }
    }
}

/// The decimal number after `at`, past white space, and where its digits lie.
fn number_after(pdf: &[u8], at: usize) -> Option<(usize, std::ops::Range<usize>)> {
    let rest = pdf.get(at..)?;
    let from = at + rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
    let to = from
        + pdf[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
    let n = std::str::from_utf8(&pdf[from..to]).ok()?.parse().ok()?;
    Some((n, from..to))
}

/// Where the body of the object at `offset` lies (after `N G obj`, up to `endobj`), if the
/// object there is `id`.
fn body(pdf: &[u8], offset: usize, id: u32) -> Option<std::ops::Range<usize>> {
    let rest = pdf.get(offset..)?;
    let head = memmem::find(&rest[..rest.len().min(32)], b"obj")?;
    let mut words = std::str::from_utf8(&rest[..head])
        .ok()?
        .split_ascii_whitespace();
    if words.next()?.parse::<u32>().ok()? != id {
        return None;
    }
    let end = memmem::find(&rest[head..], b"endobj")?;
    Some(offset + head + 3..offset + head + end)
}

/// Whether the object at `offset` opens as a structure element's dictionary, read from its
/// first bytes only: most of a PDF's bytes are in streams, which this skips.
fn opens_element(pdf: &[u8], offset: usize) -> bool {
    let head = &pdf[offset.min(pdf.len())..(offset + 64).min(pdf.len())];
    let Some(at) = memmem::find(head, b"/StructElem") else {
        return false;
    };
    let ends = head
        .get(at + 11)
        .is_none_or(|b| b.is_ascii_whitespace() || b"/<>[]()".contains(b));
    ends && head[..at].trim_ascii_end().ends_with(b"/Type")
}

/// A structure element's body squeezed (no white space next to a delimiter, one space
/// elsewhere, as lopdf writes it), if the text layer has nothing to see in it: no text string,
/// no stream, no comment. Literal strings of visible ASCII only (the IDs typst gives table
/// headers) are no text and are kept; they hold no white space, so squeezing cannot touch them.
fn squeezed_if_plain(body: &[u8]) -> Option<Vec<u8>> {
    let delimiter = |b: u8| matches!(b, b'<' | b'>' | b'[' | b']' | b'/' | b'(' | b')');
    let mut out = Vec::with_capacity(body.len());
    let (mut in_string, mut space) = (false, false);
    for (i, &b) in body.iter().enumerate() {
        if in_string {
            match b {
                b')' => in_string = false,
                b'(' | b'\\' => return None,
                _ if !b.is_ascii_graphic() => return None,
                _ => {}
            }
            out.push(b);
            continue;
        }
        match b {
            b'(' => in_string = true,
            // A hex string: `<` that is not half of `<<`.
            b'<' if body.get(i + 1) != Some(&b'<') && (i == 0 || body[i - 1] != b'<') => {
                return None;
            }
            b'%' => return None,
            _ if b.is_ascii_whitespace() => {
                space = !out.is_empty();
                continue;
            }
            _ => {}
        }
        if space && !delimiter(b) && !out.last().is_some_and(|&l| delimiter(l) && l != b'/') {
            out.push(b' ');
        }
        space = false;
        out.push(b);
    }
    (!in_string && memmem::find(body, b"stream").is_none()).then_some(out)
}

/// Blanks the plain structure elements of `pdf` and returns them; `None`, with `pdf` left as
/// it was, where the file is not laid out as typst writes it (the caller then lets lopdf read
/// all of it).
pub(super) fn set_aside(pdf: &mut [u8]) -> Option<Aside> {
    let (entries, _) = xref(pdf)?;
    let mut aside = Aside::new();
    for e in entries.iter().filter(|e| opens_element(pdf, e.offset)) {
        let range = body(pdf, e.offset, e.id)?;
        if range.len() >= 6
            && let Some(squeezed) = squeezed_if_plain(&pdf[range.clone()])
        {
            aside.insert(e.id, (range, squeezed));
        }
    }
    for (range, _) in aside.values() {
        let out = &mut pdf[range.clone()];
        out.fill(b' ');
        out[1..5].copy_from_slice(b"null");
    }
    Some(aside)
}

/// Writes the elements set aside back where they were blanked, squeezed and padded with
/// spaces, for lopdf to read all of the file after all.
pub(super) fn restore(pdf: &mut [u8], aside: &Aside) {
    for (range, squeezed) in aside.values() {
        let out = &mut pdf[range.clone()];
        out.fill(b' ');
        out[..squeezed.len()].copy_from_slice(squeezed);
    }
}

/// `pdf` (lopdf's output) with the bodies set aside written in place of their `null`s, and its
/// cross-reference table moved to match. `None` if an object set aside is missing or not
/// `null` there.
pub(super) fn put_back(pdf: &[u8], aside: &Aside) -> Option<Vec<u8>> {
    let (mut entries, table) = xref(pdf)?;
    entries.sort_by_key(|e| e.offset);
    let extra: usize = aside.values().map(|(_, b)| b.len()).sum();
    let mut out = Vec::with_capacity(pdf.len() + extra);
    let mut copied = 0;
    let mut moved = Vec::with_capacity(entries.len());
    let mut found = 0;
    for e in &entries {
        let new_offset = out.len() + (e.offset - copied);
        moved.push((e.at, new_offset));
        let Some((_, kept)) = aside.get(&e.id) else {
            continue;
        };
        found += 1;
        let range = body(pdf, e.offset, e.id)?;
        if pdf[range.clone()].trim_ascii() != b"null" {
            return None;
        }
        out.extend_from_slice(&pdf[copied..range.start]);
        out.push(b'\n');
        out.extend_from_slice(kept);
        out.push(b'\n');
        copied = range.end;
    }
    if found != aside.len() {
        return None;
    }
    let new_table = out.len() + (table - copied);
    out.extend_from_slice(&pdf[copied..]);
    // Never negative: each body put back is longer than the `null` it replaces.
    let shift = new_table.checked_sub(table)?;
    for (at, offset) in moved {
        out[at + shift..at + shift + 10].copy_from_slice(format!("{offset:010}").as_bytes());
    }
    let sx = memmem::rfind(&out, b"startxref")?;
    let (_, digits) = number_after(&out, sx + 9)?;
    out.splice(digits, new_table.to_string().into_bytes());
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{Dictionary, Document, Object, StringFormat, dictionary};

    #[test]
    fn white_space_is_squeezed_as_lopdf_writes_it() {
        let body = b"\n<<\n  /Type /StructElem\n  /S /TH\n  /P 497 0 R\n  /ID (U5x3y0)\n  /A [<<\n    /O /Table\n    /Headers []\n  >>]\n  /K [11 12]\n>>\n";
        assert_eq!(
            squeezed_if_plain(body).unwrap(),
            b"<</Type/StructElem/S/TH/P 497 0 R/ID(U5x3y0)/A[<</O/Table/Headers[]>>]/K[11 12]>>"
        );
    }

    #[test]
    fn only_elements_without_text_are_plain() {
        let plain = |b: &[u8]| squeezed_if_plain(b).is_some();
        assert!(plain(
            b"<< /Type /StructElem /K [<< /Type /MCR /MCID 3 >>] /ID (U5x3y0) >>"
        ));
        assert!(!plain(b"<< /Type /StructElem /T <FEFF0E51200B> >>"));
        assert!(!plain(b"<< /Type /StructElem /T (two words) >>"));
        assert!(!plain(b"<< /Type /StructElem /T (\\376\\377) >>"));
        assert!(!plain(b"<< /Type /StructElem /T (a(b)) >>"));
        assert!(!plain(b"<< /Type /StructElem /T (open >>"));
        assert!(!plain(b"<< /Type /StructElem >> % a comment"));
        assert!(!plain(b"<< /Type /StructElem /Length 3 >> stream"));
        assert!(opens_element(b"1 0 obj\n<<\n  /Type /StructElem", 0));
        assert!(opens_element(b"1 0 obj<</Type/StructElem/S/P>>", 0));
        assert!(!opens_element(b"1 0 obj<</Type/StructElemX>>", 0));
        assert!(!opens_element(b"1 0 obj<</Type/StructTreeRoot>>", 0));
    }

    /// A document with structure elements, plain ones and one with a text string, saved,
    /// set aside, loaded and saved by lopdf, put back: every object reads as it was written.
    #[test]
    fn elements_set_aside_and_put_back_read_as_before() {
        let mut doc = Document::with_version("1.7");
        let pages = doc.new_object_id();
        let page = doc.add_object(dictionary! { "Type" => "Page", "Parent" => pages });
        doc.objects.insert(
            pages,
            Object::Dictionary(
                dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
            ),
        );
        let root = doc.new_object_id();
        let mut kids = Vec::new();
        for k in 0..40_i64 {
            let mut e = Dictionary::new();
            e.set("Type", "StructElem");
            e.set("S", if k % 3 == 0 { "TH" } else { "P" });
            e.set("P", root);
            e.set("Pg", page);
            e.set("K", vec![Object::Integer(k), Object::Integer(k + 1)]);
            if k % 4 == 0 {
                e.set(
                    "ID",
                    Object::String(format!("U{k}x").into_bytes(), StringFormat::Literal),
                );
                e.set(
                    "A",
                    vec![Object::Dictionary(
                        dictionary! { "O" => "Table", "Headers" => Vec::<Object>::new() },
                    )],
                );
            }
            if k == 7 {
                e.set(
                    "T",
                    Object::String(
                        vec![0xFE, 0xFF, 0x0E, 0x51, 0x20, 0x0B],
                        StringFormat::Hexadecimal,
                    ),
                );
            }
            kids.push(doc.add_object(e).into());
        }
        doc.objects.insert(
            root,
            Object::Dictionary(dictionary! { "Type" => "StructTreeRoot", "K" => kids }),
        );
        let catalog = doc.add_object(
            dictionary! { "Type" => "Catalog", "Pages" => pages, "StructTreeRoot" => root },
        );
        doc.trailer.set("Root", catalog);
        doc.reference_table.cross_reference_type = lopdf::xref::XrefType::CrossReferenceTable;
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();

        let mut blanked = bytes.clone();
        let kept = set_aside(&mut blanked).expect("the file was not read");
        assert_eq!(
            kept.len(),
            39,
            "all elements but the one with a text string"
        );
        let mut middle = Document::load_mem(&blanked).unwrap();
        assert_eq!(middle.get_object((10, 0)).unwrap(), &Object::Null);
        let mut saved = Vec::new();
        middle.save_to(&mut saved).unwrap();
        let back = Document::load_mem_with_options(
            &put_back(&saved, &kept).expect("not put back")[..],
            lopdf::LoadOptions {
                strict: true,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(back.objects, Document::load_mem(&bytes).unwrap().objects);
    }

    #[test]
    fn a_file_not_laid_out_as_expected_is_left_to_lopdf() {
        let mut odd = b"%PDF-1.7\n1 0 obj null endobj\n".to_vec();
        assert!(set_aside(&mut odd).is_none());
        // An object set aside that lopdf did not write as null.
        let mut kept = Aside::new();
        kept.insert(1, (20..33, b"<</Type/StructElem>>".to_vec()));
        let pdf = b"%PDF-1.7\n1 0 obj\n<</A 1>>\nendobj\nxref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer\n<</Size 2>>\nstartxref\n33\n%%EOF";
        assert!(xref(pdf).is_some());
        assert!(put_back(pdf, &kept).is_none());
    }
}

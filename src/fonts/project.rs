//! The fonts a project adds in its `fonts/` folder, vetted once per build the way the build will
//! use them, and handed both to `check` (what prints) and to typst (what it lays text out in).
//!
//! Why vetted here and not where they are used: a font file is hostile input like any other. A
//! 12-byte collection claiming four billion faces made every reader loop for seconds; a CFF
//! `.otf`, a font without glyph names or without a name table, a truncated or a colour font passed
//! `check` and then failed the build in the PDF text layer, far from the file. So each file is
//! read once (inside the project, bounded in size), each face checked against what typst and the
//! text layer take, and every file that is not used is named with the reason: a warning for a file
//! that is not a font at all (skipped), an error for a font the build would refuse.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

use super::{FONTS, FontSet};
use crate::diag::{Code, Diagnostic, Diagnostics, Message};
use crate::msg;

/// Largest font file read (a whole CJK collection is about 30 MB).
const MAX_FILE_BYTES: u64 = 64 << 20;
/// Most bytes of fonts one project may add.
const MAX_TOTAL_BYTES: u64 = 128 << 20;
/// Most font files read from `fonts/`.
const MAX_FILES: usize = 32;
/// Most faces in one collection (Noto's CJK collections have 10).
const MAX_FACES: u32 = 64;

/// A font file of the project that passed vetting: every face of it is used.
#[derive(Clone)]
pub struct ProjectFont {
    /// The file, as found under the project's `fonts/`.
    pub path: PathBuf,
    /// Its bytes (shared with typst's parsed faces).
    pub bytes: Bytes,
}

/// The project's fonts, vetted: the files used, what they add to the printable characters, the
/// font set typst lays text out in (the embedded faces first), and the problems found.
pub struct ProjectFonts {
    files: Vec<ProjectFont>,
    set: Arc<FontSet>,
    coverage: Coverage,
    problems: Diagnostics,
}

/// What a project's text can be printed in: the characters all embedded faces have, and any
/// character a vetted font of the project's `fonts/` folder has.
pub struct Coverage {
    extra: HashSet<char>,
    /// Characters the embedded fonts lack whose glyph, in the first project font that has one, is
    /// named so that the PDF's text layer reads no character in it ("xni0E84", a damaged
    /// "uni0E84"): the build would fail there. With the file and the glyph's name.
    nameless: HashMap<char, (String, String)>,
    /// A file in `fonts/` was skipped or refused: the hint for a character no font has then
    /// points at its warning instead of asking for a font to be put there.
    unusable: bool,
}

impl Coverage {
    /// Whether `c` can be printed.
    pub fn prints(&self, c: char) -> bool {
        super::prints(c) || self.extra.contains(&c)
    }

    /// The project font and glyph name of `c`, when the PDF's text layer reads no character in
    /// that name (see [`crate::fonts::GLYPHS`]).
    pub fn glyph_without_text(&self, c: char) -> Option<(&str, &str)> {
        (self.nameless.get(&c)).map(|(file, name)| (file.as_str(), name.as_str()))
    }

    /// Adds the characters a vetted face of the file at `path` has a glyph for; with `names`,
    /// those of them the embedded fonts lack whose glyph's name reads as no text are noted too.
    fn add(&mut self, font: &Font, path: &Path, names: bool) {
        let Ok(face) = ttf_parser::Face::parse(font.data(), font.index()) else {
            return;
        };
        super::drawn(&face, |c, glyph| {
            // The first font with the character draws it: only its glyph is looked at.
            if self.extra.insert(c) && names && !super::prints(c) {
                let name = face.glyph_name(glyph).unwrap_or_default();
                if super::GLYPHS.text(name).is_none() {
                    self.nameless.insert(c, (file_name(path), name.to_string()));
                }
            }
        });
    }

    /// Whether a file of the project's `fonts/` folder was skipped or refused.
    pub fn has_unusable_fonts(&self) -> bool {
        self.unusable
    }
}

impl ProjectFonts {
    /// The embedded fonts alone.
    pub fn none() -> Self {
        Self {
            files: Vec::new(),
            set: super::fonts(),
            coverage: Coverage {
                extra: HashSet::new(),
                nameless: HashMap::new(),
                unusable: false,
            },
            problems: Diagnostics::default(),
        }
    }

    /// Reads and vets every font file in `<root>/fonts/`, in the order of their names.
    pub fn load(root: &Path) -> Self {
        let mut out = Self::none();
        let Ok(dir) = std::fs::read_dir(root.join("fonts")) else {
            return out;
        };
        let mut paths: Vec<PathBuf> = dir.filter_map(Result::ok).map(|e| e.path()).collect();
        paths.sort();
        let mut faces: Vec<Font> = Vec::new();
        let (mut total, mut files) = (0u64, 0usize);
        for path in paths {
            let ext = path.extension().and_then(|e| e.to_str());
            let ext = ext.unwrap_or_default().to_ascii_lowercase();
            if matches!(ext.as_str(), "woff" | "woff2") {
                out.skip(&path, web_font());
                continue;
            }
            if !matches!(ext.as_str(), "ttf" | "otf" | "ttc" | "otc") {
                // A licence or a readme beside the fonts.
                continue;
            }
            files += 1;
            if files > MAX_FILES {
                out.skip(&path, too_many_files());
                continue;
            }
            let bytes = match crate::files::read_confined(root, &path, MAX_FILE_BYTES) {
                Ok(bytes) => bytes,
                Err((_, why)) => {
                    out.skip(&path, why);
                    continue;
                }
            };
            total += bytes.len() as u64;
            if total > MAX_TOTAL_BYTES {
                out.skip(&path, too_many_bytes());
                continue;
            }
            // A copy of an embedded font (the bundled project's fonts/ holds the Sarabun it is
            // built with) draws nothing they do not: its glyph names are not read.
            let own = crate::fonts::FONT_FILES.contains(&bytes.as_slice());
            let bytes = Bytes::new(bytes);
            match vet(&bytes) {
                Ok(vetted) => {
                    for font in &vetted {
                        out.coverage.add(font, &path, !own);
                    }
                    faces.extend(vetted);
                    out.files.push(ProjectFont { path, bytes });
                }
                Err(Unusable::Skip(why)) => out.skip(&path, why),
                Err(Unusable::Refuse(why)) => out.refuse(&path, why),
            }
        }
        if !faces.is_empty() {
            // The embedded faces as already parsed (a Font is shared, not copied), then the project's.
            let fonts: Vec<Font> = FONTS.fonts.iter().cloned().chain(faces).collect();
            out.set = Arc::new(FontSet {
                book: LazyHash::new(FontBook::from_fonts(&fonts)),
                fonts,
            });
        }
        out
    }

    /// The font files used, in the order typst falls back to them: what a site or an archive
    /// needs beside the PDF to show the same text.
    pub fn files(&self) -> &[ProjectFont] {
        &self.files
    }

    /// The faces typst lays text out in: the embedded ones, then the project's.
    pub fn font_set(&self) -> Arc<FontSet> {
        Arc::clone(&self.set)
    }

    /// What the fonts print.
    pub fn coverage(&self) -> &Coverage {
        &self.coverage
    }

    /// A warning for each file skipped, an error for each font refused; each names its file.
    pub fn problems(&self) -> &Diagnostics {
        &self.problems
    }

    /// The error for a font of `family` that typst could not put in the PDF (`why`, typst's
    /// words: "failed to subset font"), at its file: the checks here read a face's tables, not
    /// every glyph, so a file whose glyph data is damaged passes them and fails only when typst
    /// embeds the glyphs a report uses. `None` if no file of the project holds that family (an
    /// embedded font).
    pub fn not_embedded(&self, family: &str, why: &str) -> Option<Diagnostic> {
        let file = self
            .files
            .iter()
            .find(|f| Font::iter(f.bytes.clone()).any(|font| font.info().family == family))?;
        let name = file_name(&file.path);
        Some(
            Diagnostic::error(
                Code::FontRefused,
                msg!(
                    "ฝังฟอนต์ {name} ในโฟลเดอร์ fonts/ ลงใน PDF ไม่ได้: ข้อมูลในไฟล์เสียหาย ({why})",
                    "the font {name} in fonts/ cannot be embedded in the PDF: its data is damaged ({why})"
                ),
            )
            .in_file(&file.path)
            .hint(msg!(
                "นำไฟล์นี้ออกจาก fonts/ หรือแทนด้วยสำเนาที่สมบูรณ์จากแหล่งเดิม",
                "remove it from fonts/, or replace it with an intact copy from where it came from"
            )),
        )
    }

    fn skip(&mut self, path: &Path, why: Message) {
        let (name, th, en) = (file_name(path), why.th, why.en);
        self.coverage.unusable = true;
        self.problems.push(
            Diagnostic::warning(
                Code::FontSkipped,
                msg!(
                    "ข้ามไฟล์ {name} ในโฟลเดอร์ fonts/ ({th}) ตัวอักษรในไฟล์นี้จึงพิมพ์ไม่ได้",
                    "skipped {name} in fonts/ ({en}): no text is printed in it"
                ),
            )
            .in_file(path),
        );
    }

    fn refuse(&mut self, path: &Path, why: Message) {
        let (name, th, en) = (file_name(path), why.th, why.en);
        self.coverage.unusable = true;
        self.problems.push(
            Diagnostic::error(Code::FontRefused, msg!(
                "ใช้ฟอนต์ {name} ในโฟลเดอร์ fonts/ ไม่ได้: {th}",
                "the font {name} in fonts/ cannot be used: {en}"
            ))
            .in_file(path)
            .hint(msg!(
                "นำไฟล์นี้ออกจาก fonts/ หรือใช้ฟอนต์ TrueType (.ttf) ที่มีชื่อ glyph แทน เช่น ฟอนต์ Noto จาก Google Fonts",
                "remove it from fonts/, or use a TrueType (.ttf) font with glyph names instead, such as a Noto font from Google Fonts"
            )),
        );
    }
}

/// The name of a font file as shown in a message, control characters escaped.
fn file_name(path: &Path) -> String {
    let name = path.file_name().unwrap_or(path.as_os_str());
    name.to_string_lossy().escape_debug().to_string()
}

/// Why a file is not used.
enum Unusable {
    /// Not a font at all (empty, text, another format): skipped with a warning.
    Skip(Message),
    /// A font the build would fail on: refused with an error.
    Refuse(Message),
}

/// The faces of a font file typst may use, each checked, or why none is.
fn vet(bytes: &Bytes) -> Result<Vec<Font>, Unusable> {
    let data: &[u8] = &bytes[..];
    let count = match data.get(..4) {
        None => {
            return Err(Unusable::Skip(if data.is_empty() {
                msg!("ไฟล์ว่าง", "the file is empty")
            } else {
                not_a_font()
            }));
        }
        Some(b"OTTO") => return Err(Unusable::Refuse(postscript())),
        Some(b"wOFF" | b"wOF2") => return Err(Unusable::Skip(web_font())),
        Some([0, 1, 0, 0] | b"true") => 1,
        Some(b"ttcf") => faces_in_collection(data)?,
        Some(_) => return Err(Unusable::Skip(not_a_font())),
    };
    (0..count)
        .map(|index| vet_face(bytes, index).map_err(Unusable::Refuse))
        .collect()
}

/// How many faces a collection holds, checked against its size and [`MAX_FACES`] before any is
/// read.
fn faces_in_collection(data: &[u8]) -> Result<u32, Unusable> {
    let count = data
        .get(8..12)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
    let Some(count) = count.filter(|&n| n > 0) else {
        return Err(Unusable::Refuse(truncated()));
    };
    let len = data.len();
    if 12 + 4 * u64::from(count) > len as u64 {
        return Err(Unusable::Refuse(msg!(
            "ไฟล์ขาดหาย: ระบุว่ามีฟอนต์ {count} แบบ แต่ไฟล์ยาวเพียง {len} ไบต์",
            "truncated: it says it holds {count} fonts in {len} bytes"
        )));
    }
    if count > MAX_FACES {
        return Err(Unusable::Refuse(msg!(
            "มีฟอนต์ในไฟล์เดียว {count} แบบ เกิน {MAX_FACES}",
            "it holds {count} fonts, more than {MAX_FACES}"
        )));
    }
    Ok(count)
}

/// One face, checked for what typst and the PDF text layer need: every table inside the file,
/// TrueType outlines without colour, a name for every glyph (the text layer gives each glyph
/// its text by its name) and a name table (typst's font book needs the family).
fn vet_face(bytes: &Bytes, index: u32) -> Result<Font, Message> {
    let data: &[u8] = &bytes[..];
    let face = ttf_parser::Face::parse(data, index)
        .map_err(|e| msg!("อ่านฟอนต์ไม่ได้ ({e})", "it cannot be read as a font ({e})"))?;
    for record in face.raw_face().table_records {
        if u64::from(record.offset) + u64::from(record.length) > data.len() as u64 {
            return Err(truncated());
        }
    }
    let tables = face.tables();
    if tables.cff.is_some() || tables.cff2.is_some() || tables.glyf.is_none() {
        return Err(postscript());
    }
    if tables.colr.is_some() || tables.cbdt.is_some() || tables.sbix.is_some() {
        return Err(colour());
    }
    if tables.svg.is_some() || tables.ebdt.is_some() || tables.bdat.is_some() {
        return Err(colour());
    }
    if tables.name.is_none() {
        return Err(msg!(
            "ไม่มีตาราง name (ชื่อฟอนต์)",
            "it has no name table (the font's names)"
        ));
    }
    glyph_names_complete(&face)?;
    Font::new(bytes.clone(), index).ok_or_else(|| {
        msg!(
            "typst อ่านข้อมูลฟอนต์ไม่ได้",
            "typst cannot read the font's information"
        )
    })
}

/// Whether every glyph has a name in the `post` table: format 2 with an index for each glyph
/// into names that exist, or format 1 (the 258 standard names) for at most 258 glyphs. Read in
/// one pass (ttf-parser's `glyph_name` walks the names from the start for each glyph).
fn glyph_names_complete(face: &ttf_parser::Face) -> Result<(), Message> {
    let glyphs = face.number_of_glyphs();
    let no_names = || {
        msg!(
            "ไม่มีชื่อ glyph (ตาราง post รูปแบบ 3 หรือไม่มีตาราง post) ชั้นข้อความของ PDF จึงบอกไม่ได้ว่าแต่ละ glyph เป็นอักษรใด",
            "it has no glyph names (post table format 3, or none), which the PDF's text layer reads each glyph's text from"
        )
    };
    let raw = face.raw_face().table(ttf_parser::Tag::from_bytes(b"post"));
    let (Some(raw), Some(post)) = (raw, face.tables().post) else {
        return Err(no_names());
    };
    match raw.get(..4) {
        Some([0, 1, 0, 0]) if glyphs <= 258 => Ok(()),
        Some([0, 2, 0, 0]) => {
            let custom = post.names().count();
            let named = (0..usize::from(glyphs)).all(|g| {
                let at = 34 + 2 * g;
                raw.get(at..at + 2)
                    .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
                    .is_some_and(|i| i < 258 + custom)
            });
            if named { Ok(()) } else { Err(no_names()) }
        }
        _ => Err(no_names()),
    }
}

fn not_a_font() -> Message {
    msg!(
        "ไม่ใช่ไฟล์ฟอนต์ TrueType หรือ OpenType",
        "not a TrueType or OpenType font file"
    )
}

fn truncated() -> Message {
    msg!(
        "ไฟล์ขาดหาย (ข้อมูลบางส่วนอยู่เกินท้ายไฟล์)",
        "truncated (part of it lies past the end of the file)"
    )
}

fn postscript() -> Message {
    msg!(
        "เป็นฟอนต์เส้นแบบ PostScript (CFF) ซึ่งชั้นข้อความของ PDF รับไม่ได้ ใช้ได้เฉพาะฟอนต์เส้นแบบ TrueType",
        "its outlines are PostScript (CFF), which the PDF's text layer does not take: only TrueType outlines are used"
    )
}

fn colour() -> Message {
    msg!(
        "เป็นฟอนต์สีหรือฟอนต์ภาพ (COLR, CBDT, sbix, SVG หรือ bitmap) ซึ่ง PDF แบบเก็บถาวรรับไม่ได้",
        "it is a colour or bitmap font (COLR, CBDT, sbix, SVG or bitmap glyphs), which the archival PDF does not take"
    )
}

fn web_font() -> Message {
    msg!(
        "ไฟล์ WOFF สำหรับเว็บ ใช้ไม่ได้ ใช้ไฟล์ .ttf ของฟอนต์เดียวกันแทน",
        "a WOFF web font, which is not read: use the same font's .ttf file"
    )
}

fn too_many_files() -> Message {
    msg!(
        "มีไฟล์ฟอนต์เกิน {MAX_FILES} ไฟล์",
        "more than {MAX_FILES} font files"
    )
}

fn too_many_bytes() -> Message {
    let mb = MAX_TOTAL_BYTES >> 20;
    msg!(
        "ฟอนต์ทั้งหมดใหญ่เกิน {mb} MB",
        "the fonts together are larger than {mb} MB"
    )
}

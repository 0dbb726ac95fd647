//! One diagnostic type for every problem the tool reports, rendered with codespan-reporting.
//!
//! Users are not programmers, so every message carries Thai and English text and, when it comes
//! from a file, the file, line and column with the offending line quoted. Tools are not users:
//! every diagnostic also carries a stable [`Code`] for them to match, never the words.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};

mod code;
pub use code::Code;

/// How serious a problem is: errors stop the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// A message in both languages the users read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub th: String,
    pub en: String,
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A message the same in both languages (a list of names) is written once.
        if self.th == self.en {
            write!(f, "{}", self.th)
        } else {
            write!(f, "{} / {}", self.th, self.en)
        }
    }
}

/// Builds a [`Message`] from a Thai and an English format string.
#[macro_export]
macro_rules! msg {
    ($th:literal, $en:literal $(,)?) => {
        $crate::diag::Message {
            th: format!($th),
            en: format!($en),
        }
    };
}

/// Where in which file a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// Index into the [`SourceMap`] the diagnostic is rendered with.
    pub file: usize,
    /// Byte range in that file.
    pub range: Range<usize>,
}

/// A problem found while loading, checking, rendering or compiling a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// What kind of problem it is: stable, for tools and tests to match on.
    pub code: Code,
    /// The field the problem is about, as a path like `measures[2].period.start`.
    pub field: Option<String>,
    pub message: Message,
    pub location: Option<Location>,
    /// A file named without a position (for example a file that could not be read).
    pub path: Option<PathBuf>,
    /// Hints on their own lines, each in both languages.
    pub hints: Vec<Message>,
}

impl Diagnostic {
    pub fn error(code: Code, message: Message) -> Self {
        Self {
            severity: Severity::Error,
            code,
            field: None,
            message,
            location: None,
            path: None,
            hints: Vec::new(),
        }
    }

    pub fn warning(code: Code, message: Message) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, message)
        }
    }

    pub fn at(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }

    pub fn in_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn hint(mut self, hint: Message) -> Self {
        self.hints.push(hint);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The headline as printed: field path first, then the bilingual message.
    pub fn headline(&self) -> String {
        match &self.field {
            Some(field) => format!("{field}: {}", self.message),
            None => self.message.to_string(),
        }
    }
}

/// A failed step: every diagnostic collected before it stopped.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Self(vec![d])
    }
}

/// The text of every file a diagnostic may point into, named relative to the project.
#[derive(Default)]
pub struct SourceMap {
    /// The files as quoted: names and text with their control characters escaped.
    files: SimpleFiles<String, String>,
    /// Of each file whose text had control characters, the text as read and where the escapes
    /// moved its offsets; `None` for a file quoted as it is.
    escaped: Vec<Option<Escaped>>,
    names: Vec<PathBuf>,
    /// The project folder shown before every file name, in a batch of many projects, where
    /// `content/2569/scores.yaml` alone would not say whose it is.
    project: Option<PathBuf>,
}

impl SourceMap {
    /// A map whose file names are shown inside `project`.
    pub fn within(project: &Path) -> Self {
        Self {
            project: Some(project.to_path_buf()),
            ..Self::default()
        }
    }

    /// A file name as shown: inside the project folder, if one is named and the path is not
    /// already absolute or in it.
    pub fn shown(&self, path: &Path) -> PathBuf {
        match &self.project {
            Some(p) if !path.is_absolute() && !path.starts_with(p) => p.join(path),
            _ => path.to_path_buf(),
        }
    }

    /// Registers a file's text and returns the id diagnostics use to point into it.
    pub fn add(&mut self, name: &Path, text: String) -> usize {
        let name = self.shown(name);
        let shown_name = escape_controls(&name.display().to_string(), true).into_owned();
        let (quoted, escaped) = match Escaped::of(&text) {
            Some((quoted, shifts)) => (quoted, Some(Escaped { text, shifts })),
            None => (text, None),
        };
        let id = self.files.add(shown_name, quoted);
        self.escaped.push(escaped);
        self.names.push(name);
        id
    }

    /// The text of a registered file, as read.
    pub fn text(&self, file: usize) -> &str {
        if let Some(Some(e)) = self.escaped.get(file) {
            return &e.text;
        }
        self.files
            .get(file)
            .map(|f| f.source().as_str())
            .unwrap_or("")
    }

    /// A byte offset of a file as read, in its text as quoted.
    fn quoted_offset(&self, file: usize, offset: usize) -> usize {
        match self.escaped.get(file) {
            Some(Some(e)) => e.quoted(offset),
            _ => offset,
        }
    }

    /// The ids of the registered files, in the order they were added.
    pub fn ids(&self) -> std::ops::Range<usize> {
        0..self.names.len()
    }

    /// The name of a registered file.
    pub fn name(&self, file: usize) -> &Path {
        &self.names[file]
    }

    /// Line and column (both from 1) of a byte offset, as editors count them.
    pub fn line_col(&self, file: usize, offset: usize) -> (usize, usize) {
        let text = self.text(file);
        let offset = offset.min(text.len());
        let before = &text[..floor_char_boundary(text, offset)];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, col)
    }

    /// Prints diagnostics to stderr, coloured when stderr is a terminal.
    pub fn emit(&self, diagnostics: &[Diagnostic]) {
        let choice = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            termcolor::ColorChoice::Auto
        } else {
            termcolor::ColorChoice::Never
        };
        let mut out = termcolor::StandardStream::stderr(choice);
        for d in diagnostics {
            // Writing to stderr can only fail when stderr is gone; nothing useful is left to do.
            let _ = term::emit(
                &mut out,
                &term::Config::default(),
                &self.files,
                &self.to_codespan(d),
            );
        }
    }

    /// Renders diagnostics as plain text, for tests and for logs.
    pub fn render(&self, diagnostics: &[Diagnostic]) -> String {
        let mut buf = termcolor::NoColor::new(Vec::new());
        for d in diagnostics {
            let _ = term::emit(
                &mut buf,
                &term::Config::default(),
                &self.files,
                &self.to_codespan(d),
            );
        }
        String::from_utf8_lossy(&buf.into_inner()).into_owned()
    }

    /// One diagnostic as a JSON object, for editors and CI (`check --format json`): file, line
    /// and column (from 1, null where the problem has no position), severity, its code
    /// (docs/diagnostics.md), field, the message in Thai and English, and the hints.
    pub fn to_json(&self, d: &Diagnostic) -> serde_json::Value {
        let (file, line, column) = match (&d.location, &d.path) {
            (Some(l), _) => {
                let (line, col) = self.line_col(l.file, l.range.start);
                (Some(self.name(l.file).to_path_buf()), Some(line), Some(col))
            }
            (None, Some(path)) => (Some(self.shown(path)), None, None),
            (None, None) => (None, None, None),
        };
        serde_json::json!({
            "file": file.map(|f| f.display().to_string()),
            "line": line,
            "column": column,
            "severity": match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            "code": d.code.as_str(),
            "field": d.field,
            "th": d.message.th,
            "en": d.message.en,
            "hints": d.hints.iter().map(|h| serde_json::json!({"th": h.th, "en": h.en})).collect::<Vec<_>>(),
        })
    }

    fn to_codespan(&self, d: &Diagnostic) -> cs::Diagnostic<usize> {
        let base = match d.severity {
            Severity::Error => cs::Diagnostic::error(),
            Severity::Warning => cs::Diagnostic::warning(),
        };
        let mut notes: Vec<String> = Vec::new();
        if let (None, Some(path)) = (&d.location, &d.path) {
            let shown = self.shown(path).display().to_string();
            notes.push(format!("ไฟล์ / file: {}", escape_controls(&shown, true)));
        }
        // codespan prints the whole line under a label, and takes seconds over a line of a
        // megabyte (hostile input is often one line): such a line is named, not quoted.
        let location = d.location.as_ref().filter(|l| {
            let text = self.text(l.file);
            let at = floor_char_boundary(text, l.range.start.min(text.len()));
            let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
            if end - start <= MAX_QUOTED_LINE {
                return true;
            }
            let (line, col) = self.line_col(l.file, l.range.start);
            let name = self.name(l.file).display().to_string();
            let name = escape_controls(&name, true);
            notes.push(format!(
                "ไฟล์ / file: {name}:{line}:{col} (บรรทัดยาวเกินกว่าจะแสดง / the line is too long to show)"
            ));
            false
        });
        notes.extend(d.hints.iter().map(|h| format!("hint: {h}")));
        let notes = (notes.iter())
            .map(|n| escape_controls(n, false).into_owned())
            .collect();
        let labels = location
            .iter()
            .map(|l| {
                let range = self.quoted_offset(l.file, l.range.start)
                    ..self.quoted_offset(l.file, l.range.end);
                cs::Label::primary(l.file, range)
            })
            .collect();
        base.with_message(escape_controls(&d.headline(), false))
            .with_labels(labels)
            .with_notes(notes)
    }
}

/// A file's text as read, when the text quoted differs from it by escaped control characters.
struct Escaped {
    text: String,
    /// At each escaped character (its offset in the text as read), how many bytes the escapes
    /// up to and including it added.
    shifts: Vec<(usize, usize)>,
}

impl Escaped {
    /// The text with its control characters escaped and the shifts, or `None` if it has none.
    fn of(text: &str) -> Option<(String, Vec<(usize, usize)>)> {
        if !text.char_indices().any(|(i, c)| is_escaped(text, i, c)) {
            return None;
        }
        let (mut quoted, mut shifts, mut added) = (String::new(), Vec::new(), 0);
        for (i, c) in text.char_indices() {
            if is_escaped(text, i, c) {
                let e = c.escape_default().to_string();
                added += e.len() - c.len_utf8();
                quoted.push_str(&e);
                shifts.push((i, added));
            } else {
                quoted.push(c);
            }
        }
        Some((quoted, shifts))
    }

    /// Where `offset` of the text as read lies in the text as quoted.
    fn quoted(&self, offset: usize) -> usize {
        let before = self.shifts.partition_point(|&(at, _)| at < offset);
        offset + before.checked_sub(1).map_or(0, |k| self.shifts[k].1)
    }
}

/// Whether the character `c` at `i` of `text` is shown escaped in a quoted line: control
/// characters (ESC would recolour or move the terminal's cursor, BEL ring it), but not the line
/// breaks and tabs that lay the text out (a carriage return only before a line feed).
fn is_escaped(text: &str, i: usize, c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        '\r' => text.as_bytes().get(i + 1) != Some(&b'\n'),
        c => c.is_control(),
    }
}

/// `text` as a terminal should show it: control characters escaped (`\u{1b}`), line breaks and
/// tabs too when `all` (a file name has none to keep).
pub fn escape_controls(text: &str, all: bool) -> std::borrow::Cow<'_, str> {
    let escaped = |c: char| c.is_control() && (all || !matches!(c, '\n' | '\t'));
    if !text.chars().any(escaped) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escaped(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Longest line, in bytes, that a diagnostic quotes.
const MAX_QUOTED_LINE: usize = 4096;

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

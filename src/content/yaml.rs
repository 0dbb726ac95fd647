//! YAML text to a typed value, and what serde_yaml finds wrong in it as a diagnostic at its line
//! and column. serde_yaml tells its problems apart only in English text: [`YamlError::of`] is the
//! one place that reads that text, and every decision (the Thai wording, the hints, where to
//! point) is made on the [`YamlErrorKind`] it returns.

use serde::de::DeserializeOwned;

use crate::diag::{Code, Diagnostic, Diagnostics, Location, Message};
use crate::msg;

/// Parses one YAML file; on failure records a diagnostic with line, column and field path.
pub(super) fn parse_new<T: DeserializeOwned>(
    file: usize,
    text: &str,
    diags: &mut Diagnostics,
) -> Option<T> {
    if text.trim().is_empty()
        || text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        diags.push(
            Diagnostic::error(Code::YamlEmpty, msg!("ไฟล์ว่างเปล่า", "file is empty"))
                .at(Some(Location { file, range: 0..0 })),
        );
        return None;
    }
    if let Err(over) = crate::content::locate::within_budget(text) {
        let at = over.offset;
        diags.push(
            Diagnostic::error(over.code, over.message)
                .at(Some(Location {
                    file,
                    range: at..at,
                }))
                .hint(msg!(
                    "ไฟล์ของรายงานไม่ต้องใช้โครงสร้างแบบนี้: เขียนข้อมูลตรง ๆ",
                    "a report's files need none of this: write the data out plainly"
                )),
        );
        return None;
    }
    let de = serde_yaml::Deserializer::from_str(text);
    match serde_path_to_error::deserialize::<_, T>(de) {
        Ok(data) => Some(data),
        Err(err) => {
            let path = err.path().to_string();
            let mut d = diagnostic(file, text, &err.into_inner());
            if path != "." {
                d = d.field(path);
            }
            diags.push(d);
            None
        }
    }
}

/// What serde_yaml found wrong, as a diagnostic pointing into `text`, with a hint where one helps.
fn diagnostic(file: usize, text: &str, inner: &serde_yaml::Error) -> Diagnostic {
    let error = YamlError::of(inner);
    // libyaml's reader points at the file's start for a character YAML does not allow, and
    // names neither the character nor where it is: find it.
    let unallowed = (error.kind == YamlErrorKind::ControlCharacter)
        .then(|| text.char_indices().find(|&(_, c)| !yaml_allows(c)))
        .flatten();
    let (code, message, range) = match unallowed {
        Some((at, ch)) => {
            let code = format!("U+{:04X}", u32::from(ch));
            let message = msg!(
                "มีอักขระควบคุมที่มองไม่เห็น ({code}) ซึ่ง YAML ไม่อนุญาต มักติดมากับข้อความที่คัดลอกจาก Word หรือ PDF: ลบออก",
                "an invisible control character ({code}) YAML does not allow, often pasted from Word or a PDF: delete it"
            );
            (Code::YamlControlCharacter, message, around(text, at, ch))
        }
        None => {
            let at = inner.location().map_or(0, |l| l.index());
            (error.code(), error.message(), at..at)
        }
    };
    let slip = matches!(
        error.kind,
        YamlErrorKind::Syntax { .. } | YamlErrorKind::WrongType | YamlErrorKind::Other
    );
    let rewritten = slip
        .then(|| super::rewrite::rewrite(text, range.start))
        .flatten();
    let mut d = Diagnostic::error(code, message).at(Some(Location { file, range }));
    if let Some((n, line)) = rewritten {
        // The same in both languages, so printed once: the line is the point.
        d = d.hint(msg!(
            "แก้บรรทัดที่ {n} เป็น / write line {n} as: {line}",
            "แก้บรรทัดที่ {n} เป็น / write line {n} as: {line}"
        ));
    }
    match &error.kind {
        YamlErrorKind::Syntax {
            unquoted_colon: true,
        } => {
            d = d.hint(msg!(
                "ข้อความที่มี \": \" ต้องอยู่ในเครื่องหมายคำพูด เช่น \"ITA : คะแนน\"",
                "text holding \": \" must be quoted, e.g. \"ITA : score\""
            ));
        }
        YamlErrorKind::UnknownField { field } if field == "number" => {
            d = d.hint(msg!(
                "ไม่ต้องพิมพ์เลขที่มาตรการ: ระบบนับให้ตามลำดับใน measures.yaml",
                "measure numbers are not typed: they follow the order in measures.yaml"
            ));
        }
        YamlErrorKind::UnknownField { field } => {
            // serde lists the fields it expects: `expected one of `a`, `b``.
            let expected = error.en.split_once("expected").map_or("", |(_, e)| e);
            let known = expected.split('`').skip(1).step_by(2);
            if let Some(h) = super::nearest::did_you_mean(field, known) {
                d = d.hint(h);
            }
        }
        _ => {}
    }
    d
}

/// The range to underline for character `ch` at `at`: it has no width, and codespan would
/// underline nothing, so the letters either side of it are underlined too.
fn around(text: &str, at: usize, ch: char) -> std::ops::Range<usize> {
    let before = text[..at]
        .chars()
        .next_back()
        .filter(|c| *c != '\n')
        .map_or(0, char::len_utf8);
    let after = text[at + ch.len_utf8()..]
        .chars()
        .next()
        .filter(|c| *c != '\n')
        .map_or(0, char::len_utf8);
    at - before..at + ch.len_utf8() + after
}

/// Whether YAML 1.2 allows the character in a document (its `c-printable`).
fn yaml_allows(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

/// A problem serde_yaml reported: what kind it is, and its English text as serde_yaml wrote it
/// (without its position and field path, which the diagnostic shows on their own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct YamlError {
    pub(super) kind: YamlErrorKind,
    pub(super) en: String,
}

/// The kinds of problem a YAML file can have, as far as the messages and hints differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum YamlErrorKind {
    /// A required field is missing.
    MissingField,
    /// A field the file type does not have.
    UnknownField { field: String },
    /// A value of another type than the field takes.
    WrongType,
    /// A value that is not one of the field's choices.
    UnknownVariant,
    /// Nesting deeper than serde_yaml follows.
    TooDeep,
    /// The text is not YAML; `unquoted_colon` when it is a value holding ": " unquoted.
    Syntax { unquoted_colon: bool },
    /// A character YAML does not allow in a document.
    ControlCharacter,
    /// Anything else serde_yaml reports.
    Other,
}

impl YamlError {
    /// Tells serde_yaml's problem apart: the one function that reads serde_yaml's English text.
    pub(super) fn of(err: &serde_yaml::Error) -> Self {
        let en = unescape_unicode(&err.to_string());
        let en = match en.find(" at line ") {
            Some(i) => en[..i].to_string(),
            None => en,
        };
        // serde_yaml puts the field path first; the diagnostic prints it on its own.
        let en = match en.split_once(": ") {
            Some((path, rest)) if !path.contains(' ') && !rest.is_empty() => rest.to_string(),
            _ => en,
        };
        let kind = if en.starts_with("missing field") {
            YamlErrorKind::MissingField
        } else if let Some(rest) = en.strip_prefix("unknown field `") {
            let field = rest.split('`').next().unwrap_or_default().to_string();
            YamlErrorKind::UnknownField { field }
        } else if en.starts_with("invalid type") {
            YamlErrorKind::WrongType
        } else if en.starts_with("unknown variant") {
            YamlErrorKind::UnknownVariant
        } else if en.starts_with("recursion limit") {
            YamlErrorKind::TooDeep
        } else if en.contains("mapping values are not allowed") {
            YamlErrorKind::Syntax {
                unquoted_colon: true,
            }
        } else if en.contains("did not find expected") {
            YamlErrorKind::Syntax {
                unquoted_colon: false,
            }
        } else if en.starts_with("control characters are not allowed") {
            YamlErrorKind::ControlCharacter
        } else {
            YamlErrorKind::Other
        };
        Self { kind, en }
    }

    /// The diagnostic's code for its kind.
    pub(super) fn code(&self) -> Code {
        match &self.kind {
            YamlErrorKind::MissingField => Code::YamlMissingField,
            YamlErrorKind::UnknownField { .. } => Code::YamlUnknownField,
            YamlErrorKind::WrongType => Code::YamlWrongType,
            YamlErrorKind::UnknownVariant => Code::YamlUnknownVariant,
            YamlErrorKind::TooDeep => Code::YamlTooDeep,
            YamlErrorKind::Syntax {
                unquoted_colon: true,
            } => Code::YamlUnquotedColon,
            YamlErrorKind::Syntax { .. } => Code::YamlSyntax,
            YamlErrorKind::ControlCharacter => Code::YamlControlCharacter,
            YamlErrorKind::Other => Code::YamlInvalid,
        }
    }

    /// serde_yaml's English beside a Thai one for its kind.
    pub(super) fn message(&self) -> Message {
        let th = match &self.kind {
            YamlErrorKind::MissingField => "ไม่มีช่องข้อมูลที่จำเป็น",
            YamlErrorKind::UnknownField { .. } => "ไม่รู้จักช่องข้อมูลนี้",
            YamlErrorKind::WrongType => "ชนิดข้อมูลไม่ถูกต้อง",
            YamlErrorKind::UnknownVariant => "ค่านี้ใช้ไม่ได้",
            YamlErrorKind::TooDeep => "โครงสร้างซ้อนกันลึกเกินไป",
            YamlErrorKind::Syntax { .. } => "รูปแบบ YAML ไม่ถูกต้อง",
            YamlErrorKind::ControlCharacter | YamlErrorKind::Other => "รูปแบบ YAML หรือค่าข้อมูลไม่ถูกต้อง",
        };
        Message {
            th: th.to_string(),
            en: self.en.clone(),
        }
    }
}

/// serde quotes a wrong value with Rust's escapes, which write Thai vowels and tone marks as
/// `\u{e35}`: the value is shown as the user typed it.
fn unescape_unicode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find("\\u{") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 3..];
        let decoded = after.find('}').and_then(|end| {
            let c = char::from_u32(u32::from_str_radix(&after[..end], 16).ok()?)?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) if !c.is_control() => {
                out.push(c);
                rest = &after[len..];
            }
            _ => {
                out.push_str("\\u{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Thing {
        rank: u32,
    }

    fn kind_of(text: &str) -> YamlErrorKind {
        YamlError::of(&serde_yaml::from_str::<Thing>(text).unwrap_err()).kind
    }

    #[test]
    fn serde_yamls_problems_are_told_apart() {
        assert_eq!(kind_of("{}"), YamlErrorKind::MissingField);
        assert_eq!(
            kind_of("rank: 1\nnumber: 2\n"),
            YamlErrorKind::UnknownField {
                field: "number".into()
            }
        );
        assert_eq!(kind_of("rank: x\n"), YamlErrorKind::WrongType);
    }
}

//! Stage 4, render: fills the minijinja templates with the checked and derived data and produces
//! one Typst source. Every value from YAML is escaped for Typst markup, so user text prints
//! literally and can never run Typst code; undefined variables are errors.
//!
//! `thai` writes numbers and dates, `escape` makes text safe for Typst, `env` builds the
//! minijinja environment and loads templates, `views` turns the report into what the templates
//! read; [`origin_of`] traces a line of generated Typst back to its template line.

mod columns;
mod env;
mod escape;
mod thai;
mod views;

use std::ops::Range;

pub use env::{environment, template_error, template_sources};
pub use escape::{escape_typst, typst_string};
pub use thai::{
    Digits, be_year, budget, count, date_long, date_range, date_short, score, to_digits,
};
pub use views::{glossary, render, render_named, render_page, render_with};

/// The template a report starts from.
pub const MAIN_TEMPLATE: &str = "report.typ";

/// Finds the template line a line of generated Typst came from: the line whose literal text (what is
/// left after removing `{{ }}`, `{% %}` and `{# #}`) appears, in order, in the generated line.
/// Returns the template's name and the byte range of that line in it.
pub fn origin_of<'a>(
    generated_line: &str,
    templates: &'a [(&'static str, String)],
) -> Option<(&'a str, Range<usize>)> {
    // The word-break marks and no-break spaces were added after the template was filled.
    let generated = crate::marks::strip(generated_line).replace('\u{A0}', " ");
    let generated_line = generated.as_str();
    let mut best: Option<(usize, &str, Range<usize>)> = None;
    for (name, text) in templates {
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let range = offset..offset + line.trim_end().len();
            offset += line.len();
            let literals = literal_parts(line);
            let weight: usize = literals.iter().map(|l| l.len()).sum();
            if weight < 4 || best.as_ref().is_some_and(|b| b.0 >= weight) {
                continue;
            }
            let mut rest = generated_line;
            let all_in_order = literals.iter().all(|l| match rest.find(l) {
                Some(i) => {
                    rest = &rest[i + l.len()..];
                    true
                }
                None => false,
            });
            if all_in_order {
                best = Some((weight, name, range));
            }
        }
    }
    best.map(|(_, name, range)| (name, range))
}

/// The pieces of a template line that are printed as written.
fn literal_parts(line: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = line.trim();
    while let Some(start) = rest
        .find('{')
        .filter(|&i| matches!(rest[i + 1..].chars().next(), Some('{' | '%' | '#')))
    {
        let close = match &rest[start + 1..start + 2] {
            "{" => "}}",
            "%" => "%}",
            _ => "#}",
        };
        parts.push(rest[..start].trim());
        rest = rest[start + 2..]
            .find(close)
            .map_or("", |e| &rest[start + 2 + e + 2..]);
    }
    parts.push(rest.trim());
    parts.retain(|p| !p.is_empty());
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typst_lines_are_traced_to_their_template_line() {
        let templates = vec![(
            "report.typ",
            "= {{ 1 | digits }}. หลักการ\n#table(columns: {{ n }}, [x])\n".to_string(),
        )];
        let (name, range) = origin_of("#table(columns: 3, [x])", &templates).unwrap();
        assert_eq!(
            (name, &templates[0].1[range]),
            ("report.typ", "#table(columns: {{ n }}, [x])")
        );
        assert!(origin_of("something else entirely", &templates).is_none());
    }
}

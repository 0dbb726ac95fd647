//! The template environment: minijinja with strict undefined variables, Typst auto-escaping, the
//! Thai filters, and templates from a project's `templates/` before the defaults in the binary.

use std::path::{Component, Path};

use chrono::NaiveDate;
use minijinja::value::Value;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, Output, State, UndefinedBehavior};

use super::escape::{escape_typst, isolate_bidi, typst_string};
use super::thai::{Digits, count, date_long, date_range, date_short, score, to_digits};
use crate::diag::{Code, Diagnostic};
use crate::msg;

/// Default templates, carried in the binary; a file of the same name in a project's `templates/`
/// replaces one.
const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("report.typ", include_str!("../../templates/report.typ")),
    ("style.typ", include_str!("../../templates/style.typ")),
    ("report.html", include_str!("../../templates/report.html")),
    ("index.html", include_str!("../../templates/index.html")),
];

fn parse_date(v: &Value) -> Result<NaiveDate, Error> {
    let s = v
        .as_str()
        .ok_or_else(|| Error::new(ErrorKind::InvalidOperation, "expected a date string"))?;
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("not a date: {s} ({e})"),
        )
    })
}

fn as_f64(v: &Value) -> Result<f64, Error> {
    f64::try_from(v.clone()).map_err(|_| {
        Error::new(
            ErrorKind::InvalidOperation,
            format!("expected a number, found {v}"),
        )
    })
}

/// Builds the environment: strict undefined, Typst escaping, the Thai filters, and templates from
/// the project's `templates/` before the defaults.
pub fn environment(project_templates: Option<&Path>, digits: Digits) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".typ") {
            AutoEscape::Custom("typst")
        } else if name.ends_with(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env.set_formatter(|out: &mut Output, state: &State, value: &Value| {
        if value.is_undefined() || value.is_none() {
            return Err(Error::new(
                ErrorKind::UndefinedError,
                "a missing value cannot be printed",
            ));
        }
        if state.auto_escape() == AutoEscape::Html
            && !value.is_safe()
            && let Some(isolated) = value.as_str().and_then(isolate_bidi)
        {
            // A value that steers the direction of text steers only itself.
            return minijinja::escape_formatter(out, state, &Value::from(isolated));
        }
        if state.auto_escape() != AutoEscape::Custom("typst") || value.is_safe() {
            // HTML templates get minijinja's own HTML escaping.
            return minijinja::escape_formatter(out, state, value);
        }
        let text = match value.as_str() {
            Some(s) => escape_typst(s),
            None => escape_typst(&value.to_string()),
        };
        out.write_str(&text).map_err(Error::from)
    });
    let dir = project_templates.map(Path::to_path_buf);
    env.set_loader(move |name| load_template(dir.as_deref(), name));

    env.add_filter("digits", move |v: Value| to_digits(&v.to_string(), digits));
    env.add_filter("score", move |v: Value| {
        as_f64(&v).map(|x| score(x, digits))
    });
    env.add_filter("count", move |v: Value| {
        as_f64(&v).map(|x| count(x as u64, digits))
    });
    env.add_filter("date_short", move |v: Value| {
        parse_date(&v).map(|d| date_short(d, digits))
    });
    env.add_filter("date_long", move |v: Value| {
        parse_date(&v).map(|d| date_long(d, digits))
    });
    env.add_filter("period", move |v: Value| {
        if let Ok(written) = v.get_attr("written")
            && let Some(text) = written.as_str()
        {
            return Ok(text.to_string());
        }
        let start = parse_date(&v.get_attr("start")?)?;
        let end = parse_date(&v.get_attr("end")?)?;
        Ok::<_, Error>(date_range(start, end, digits))
    });
    // A length in points for Typst code (a column's need, template::columns), never escaped.
    env.add_filter("pt", |v: Value| {
        as_f64(&v).map(|x| Value::from_safe_string(format!("{x:.2}pt")))
    });
    // A list of numbers as a Typst array of lengths in points.
    env.add_filter("pts", |v: Value| -> Result<Value, Error> {
        let mut out = String::from("(");
        for x in v.try_iter()? {
            out += &format!("{:.2}pt, ", as_f64(&x)?);
        }
        out.push(')');
        Ok(Value::from_safe_string(out))
    });
    env.add_filter("typst_str", |v: Value| {
        Value::from_safe_string(typst_string(&v.to_string()))
    });
    env.add_filter("trend", |v: Value| match v.as_str() {
        Some("up") => "เพิ่ม",
        Some("down") => "ลด",
        _ => "เท่าเดิม",
    });
    env.add_filter("extreme", |v: Value| match v.as_str() {
        Some("highest") => "สูงสุด",
        Some("lowest") => "ต่ำสุด",
        _ => "",
    });
    env
}

/// Largest template read: the bundled ones are a few kilobytes.
const MAX_TEMPLATE_BYTES: u64 = 1024 * 1024;

/// Looks a template up in the project's folder, then among the defaults. Names never leave the folder.
fn load_template(dir: Option<&Path>, name: &str) -> Result<Option<String>, Error> {
    let safe = Path::new(name)
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    if !safe {
        return Err(Error::new(
            ErrorKind::TemplateNotFound,
            format!("template name outside templates/: {name}"),
        ));
    }
    if let Some(dir) = dir {
        let path = dir.join(name);
        // Anything by that name is the project's template, and is read only if it is a regular
        // file inside the project (`dir` is the project's `templates/`): a symlink out of the
        // project, or a `templates/` that is one, would print another file into the report.
        if path.symlink_metadata().is_ok() {
            let root = dir.parent().unwrap_or(dir);
            let fail = |m: crate::diag::Message| {
                Error::new(
                    ErrorKind::InvalidOperation,
                    format!("cannot read templates/{name}: {m}"),
                )
            };
            let bytes = crate::files::read_confined(root, &path, MAX_TEMPLATE_BYTES)
                .map_err(|(_, m)| fail(m))?;
            return String::from_utf8(bytes)
                .map(Some)
                .map_err(|_| fail(msg!("ไฟล์ไม่ได้เข้ารหัสเป็น UTF-8", "file is not UTF-8")));
        }
    }
    Ok(DEFAULT_TEMPLATES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| (*t).to_string()))
}

/// A minijinja error as a diagnostic naming the template file and line.
pub fn template_error(e: &Error) -> Diagnostic {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(&format!(" ({s})"));
        source = s.source();
    }
    let place = match (e.name(), e.line()) {
        (Some(name), Some(line)) => format!("templates/{name}:{line}"),
        (Some(name), None) => format!("templates/{name}"),
        _ => "templates".to_string(),
    };
    Diagnostic::error(
        Code::TemplateError,
        msg!("เทมเพลตผิดพลาด: {text}", "template error: {text}"),
    )
    .field(place)
}

/// The text of every template a build may use, project overrides first.
pub fn template_sources(project_templates: Option<&Path>) -> Vec<(&'static str, String)> {
    DEFAULT_TEMPLATES
        .iter()
        .filter_map(|(name, _)| Some((*name, load_template(project_templates, name).ok()??)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undefined_variables_are_errors() {
        let mut env = environment(None, Digits::Thai);
        env.add_template("t.typ", "{{ missing }}").unwrap();
        assert!(
            env.get_template("t.typ")
                .unwrap()
                .render(minijinja::context! {})
                .is_err()
        );
        env.add_template("u.typ", "{{ a.b }}").unwrap();
        assert!(
            env.get_template("u.typ")
                .unwrap()
                .render(minijinja::context! { a => minijinja::context!{} })
                .is_err()
        );
    }

    #[test]
    fn a_list_of_numbers_is_a_typst_array_of_lengths() {
        let mut env = environment(None, Digits::Thai);
        env.add_template("t.typ", "{{ a | pts }}|{{ b | pts }}|{{ c | pts }}")
            .unwrap();
        let out = (env.get_template("t.typ").unwrap())
            .render(minijinja::context! { a => [1.5, 20.25], b => [3.0], c => Vec::<f32>::new() })
            .unwrap();
        // A one-element array keeps its comma; an empty one is ().
        assert_eq!(out, "(1.50pt, 20.25pt, )|(3.00pt, )|()");
        env.add_template("u.typ", "{{ a | pts }}").unwrap();
        let text = (env.get_template("u.typ").unwrap()).render(minijinja::context! { a => ["x"] });
        assert!(text.is_err());
    }

    #[test]
    fn values_are_escaped_and_filters_applied() {
        let mut env = environment(None, Digits::Thai);
        env.add_template("t.typ", "{{ s }}|{{ x | score }}|{{ p | period }}")
            .unwrap();
        let out = env
            .get_template("t.typ")
            .unwrap()
            .render(minijinja::context! { s => "#x *y*", x => 92.6074, p => minijinja::context!{ start => "2025-10-01", end => "2026-09-30" } })
            .unwrap();
        assert_eq!(out, r"\#x \*y\*|๙๒.๖๑|๑ ต.ค. ๖๘ – ๓๐ ก.ย. ๖๙");
    }
}

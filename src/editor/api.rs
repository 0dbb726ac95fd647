//! What the editor's page asks of the project, as JSON: the years and their state, a year's files
//! with their schemas, a check of what is typed, a save, and the commands of the command line.
//! Every change goes through the stages the CLI uses: [`edit`] writes the values, [`Session`]
//! checks and builds, [`write`] writes the PDF under the seal rule.

use std::path::Path;

use serde::Deserialize;
use serde_json::{Value, json};

use super::Editor;
use crate::content::edit::{self, Op};
use crate::content::locate::FieldIndex;
use crate::content::{self, Drafts, FILES};
use crate::diag::{Code, Diagnostics, SourceMap};
use crate::http::{Request, Response};
use crate::pipeline::{BuildArgs, BuildConfig, Project, Years, write};
use crate::{cmd, msg, seal};

/// Edits of some files of a year, each made on the text the page read (`version`).
#[derive(Deserialize)]
struct Changes {
    year: i32,
    #[serde(default)]
    files: std::collections::BTreeMap<String, FileChanges>,
}

#[derive(Deserialize)]
struct FileChanges {
    #[serde(default)]
    version: String,
    #[serde(default)]
    ops: Vec<Op>,
}

/// A command's arguments: the year, and for `init` the agency.
#[derive(Deserialize, Default)]
struct Args {
    year: Option<i32>,
    agency: Option<String>,
    abbreviation: Option<String>,
    #[serde(default)]
    example: bool,
}

pub(super) fn answer(editor: &Editor, r: &Request, route: &str) -> Response {
    let result = match (r.method.as_str(), route) {
        ("GET", "project") => project(editor),
        ("GET", year) if year.starts_with("year/") => {
            let year = year["year/".len()..].parse().unwrap_or(0);
            open(editor.root()).and_then(|p| year_of(&p, year))
        }
        ("POST", "check") => body(r).and_then(|c| check(editor, c)),
        ("POST", "save") => body(r).and_then(|c| save(editor, c)),
        ("POST", command) => body(r).and_then(|a| run(editor, command, a)),
        _ => Err(Reply::status(404, "not found")),
    };
    match result {
        Ok(value) => Response::json(200, &value),
        Err(reply) => Response::json(reply.status, &reply.body),
    }
}

/// A refusal: an HTTP status with a JSON body the page shows.
struct Reply {
    status: u16,
    body: Value,
}

impl Reply {
    fn status(status: u16, en: &str) -> Self {
        Self {
            status,
            body: json!({ "error": en }),
        }
    }

    fn diagnostics(status: u16, diags: &Diagnostics, sources: &SourceMap) -> Self {
        Self {
            status,
            body: json!({ "diagnostics": listed(diags, sources) }),
        }
    }
}

fn body<T: for<'de> Deserialize<'de>>(r: &Request) -> Result<T, Reply> {
    serde_json::from_slice(&r.body).map_err(|e| Reply::status(400, &format!("bad request: {e}")))
}

fn open(root: &Path) -> Result<Project, Reply> {
    Project::open(root).map_err(|d| Reply::diagnostics(404, &d, &SourceMap::default()))
}

/// The project's years, each with its state: problems, places still to fill, built, sealed.
fn project(editor: &Editor) -> Result<Value, Reply> {
    let root = editor.root();
    if !root.join("content").is_dir() {
        return Ok(json!({ "root": root.display().to_string(), "exists": false, "years": [] }));
    }
    let project = open(root)?;
    let mut session = editor.lock();
    let years: Vec<Value> = (project.years().iter().rev())
        .map(|&year| {
            let mut sources = SourceMap::default();
            let diags = match session.check(&project, year, &mut sources) {
                Ok(checked) => checked.warnings,
                Err(diags) => diags,
            };
            let count = |code: Code| diags.0.iter().filter(|d| d.code == code).count();
            json!({
                "year": year,
                "errors": diags.0.iter().filter(|d| d.is_error() && d.code != Code::ContentFillIn
                    && d.code != Code::ContentFillInCount).count(),
                "fill": count(Code::ContentFillIn),
                "built": project.default_pdf(year).is_file(),
                "sealed": matches!(project.seal(year), Ok(Some(_))),
            })
        })
        .collect();
    Ok(json!({ "root": root.display().to_string(), "exists": true, "years": years }))
}

/// A year's six files as the page edits them: each one's version, what it holds (as JSON, in
/// the file's order) and its schema; and whether the year is sealed.
fn year_of(project: &Project, year: i32) -> Result<Value, Reply> {
    if !project.years().contains(&year) {
        return Err(Reply::status(404, "no such year"));
    }
    let sealed = match project.seal(year) {
        Ok(Some(_)) => Some(msg!(
            "ปีงบประมาณ {year} ปิดผนึกแล้ว (oit025 archive) จึงเปิดให้อ่านอย่างเดียว",
            "fiscal year {year} is sealed (oit025 archive): read-only"
        )),
        _ => None,
    };
    let schemas = content::schema::schemas();
    let mut files = serde_json::Map::new();
    for name in FILES {
        let text = read(project.root(), year, name).unwrap_or_default();
        let data = match serde_yaml::from_str::<serde_yaml::Value>(&text) {
            Ok(v) => serde_json::to_value(v).unwrap_or(Value::Null),
            Err(_) => Value::Null,
        };
        let schema = (schemas.iter())
            .find(|(n, _)| *n == name)
            .map(|(_, s)| s.clone());
        files.insert(
            name.to_string(),
            json!({ "version": version(&text), "data": data, "schema": schema }),
        );
    }
    Ok(json!({
        "year": year,
        "sealed": sealed.map(|m| json!({"th": m.th, "en": m.en})),
        "files": files,
    }))
}

/// What `check` says of the year with the page's edits applied, nothing written.
fn check(editor: &Editor, changes: Changes) -> Result<Value, Reply> {
    let project = open(editor.root())?;
    let drafts = drafts(&project, &changes, false)?;
    let mut sources = SourceMap::default();
    let result = (editor.lock()).check_draft(&project, changes.year, &drafts, &mut sources);
    let diags = result.map_or_else(|d| d, |c| c.warnings);
    Ok(json!({ "diagnostics": listed(&diags, &sources) }))
}

/// Writes the page's edits (only where the file is as the page read it), then builds the PDF.
fn save(editor: &Editor, changes: Changes) -> Result<Value, Reply> {
    let project = open(editor.root())?;
    if matches!(project.seal(changes.year), Ok(Some(_))) {
        return Err(Reply::status(403, "sealed / ปิดผนึกแล้ว"));
    }
    let drafts = drafts(&project, &changes, true)?;
    let dir = project
        .root()
        .join("content")
        .join(changes.year.to_string());
    for (name, text) in &drafts {
        crate::files::write_atomic(&dir.join(name), text.as_bytes())
            .map_err(|d| Reply::diagnostics(500, &d, &SourceMap::default()))?;
    }
    build(editor, changes.year)
}

/// Each edited file's text with the page's edits made. With `strict`, a file changed on disk
/// since the page read it is a conflict (409), and nothing is written.
fn drafts(project: &Project, changes: &Changes, strict: bool) -> Result<Drafts, Reply> {
    if !project.years().contains(&changes.year) {
        return Err(Reply::status(404, "no such year"));
    }
    let mut drafts = Drafts::new();
    let mut conflicts = Vec::new();
    for (name, file) in &changes.files {
        if !FILES.contains(&name.as_str()) {
            return Err(Reply::status(404, "no such file"));
        }
        let text = read(project.root(), changes.year, name).unwrap_or_default();
        if strict && version(&text) != file.version {
            conflicts.push(name.clone());
            continue;
        }
        let edited = edit::apply(&text, &file.ops)
            .map_err(|e| Reply::status(400, &format!("{name}: the edit cannot be made: {e:?}")))?;
        drafts.insert(name.clone(), edited);
    }
    if !conflicts.is_empty() {
        return Err(Reply {
            status: 409,
            body: json!({ "conflicts": conflicts }),
        });
    }
    Ok(drafts)
}

/// Builds `year` and writes its PDF as `oit025 build` does; the year's files and problems come
/// back for the page to show.
fn build(editor: &Editor, year: i32) -> Result<Value, Reply> {
    let project = open(editor.root())?;
    let mut sources = SourceMap::default();
    let started = std::time::Instant::now();
    let result = (|| {
        let args = BuildArgs {
            year: Some(year),
            ..BuildArgs::default()
        };
        let cfg = BuildConfig::new(&project, args)?;
        let mut session = editor.lock();
        let mut produced = session.produce(&project, year, cfg.digits, &mut sources)?;
        write::write(&project, &cfg, &mut produced, write::ToDisk::No)?;
        Ok::<_, Diagnostics>(produced.checked.warnings)
    })();
    let took = started.elapsed().as_millis() as u64;
    let (built, diags) = match result {
        Ok(warnings) => (true, warnings),
        Err(diags) => (false, diags),
    };
    let mut value = year_of(&project, year)?;
    value["built"] = json!(built);
    value["ms"] = json!(took);
    value["diagnostics"] = listed(&diags, &sources);
    Ok(value)
}

/// The commands of the command line, as buttons.
fn run(editor: &Editor, command: &str, args: Args) -> Result<Value, Reply> {
    let root = editor.root();
    let mut sources = SourceMap::default();
    let done = |diags: Result<Diagnostics, Diagnostics>, sources: &SourceMap, extra: Value| {
        let (ok, diags) = match diags {
            Ok(d) => (true, d),
            Err(d) => (false, d),
        };
        json!({ "ok": ok, "diagnostics": listed(&diags, sources), "result": extra })
    };
    match command {
        "build" => build(editor, args.year.unwrap_or(0)),
        "publish" => {
            let result = cmd::publish::publish(root, Years::All, None, &mut sources);
            let site = root.join("output").join("site").join("index.html");
            Ok(done(result, &sources, json!(site.display().to_string())))
        }
        "archive" => {
            let result = cmd::archive::archive(root, args.year, false, &mut sources);
            let seal = seal::seal_path(root, args.year.unwrap_or(0));
            Ok(done(result, &sources, json!(seal.display().to_string())))
        }
        "new" => {
            let year = args.year.unwrap_or(0);
            let result = cmd::new::new_year(root, year);
            let written = result.as_ref().map(|w| json!(w)).unwrap_or(Value::Null);
            Ok(done(
                result.map(|_| Diagnostics::default()),
                &sources,
                written,
            ))
        }
        "init" => {
            let blank = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
            let (agency, abbreviation) = (blank(&args.agency), blank(&args.abbreviation));
            let result = cmd::init::init(
                root,
                agency.as_deref(),
                abbreviation.as_deref(),
                args.example,
                args.year,
            );
            let written = result.as_ref().map(|w| json!(w)).unwrap_or(Value::Null);
            Ok(done(
                result.map(|_| Diagnostics::default()),
                &sources,
                written,
            ))
        }
        _ => Err(Reply::status(404, "no such command")),
    }
}

/// Problems as the page shows them: the CLI's JSON (file, line, column, code, Thai, English,
/// hints), with the file's name and the path of the field each is at.
fn listed(diags: &Diagnostics, sources: &SourceMap) -> Value {
    let mut indexes: std::collections::HashMap<usize, FieldIndex> = Default::default();
    let list = diags.0.iter().map(|d| {
        let mut value = sources.to_json(d);
        if let Some(at) = &d.location {
            let name = sources.name(at.file);
            let file = name.file_name().map(|n| n.to_string_lossy().into_owned());
            if file.as_deref().is_some_and(|f| FILES.contains(&f)) {
                let index = (indexes.entry(at.file))
                    .or_insert_with(|| FieldIndex::new(sources.text(at.file)));
                // The field the check names, else the value the problem's place is in.
                value["path"] = json!(d.field.as_deref().or(index.path_at(at.range.start)));
                value["name"] = json!(file);
            }
        }
        value
    });
    Value::Array(list.collect())
}

/// The text of a year's file as the loader reads it (inside the project, within its size cap),
/// or `None` when it cannot be read.
fn read(root: &Path, year: i32, name: &str) -> Option<String> {
    let path = root.join("content").join(year.to_string()).join(name);
    let bytes = crate::files::read_confined(root, &path, content::MAX_FILE_BYTES).ok()?;
    String::from_utf8(bytes).ok()
}

/// What the page says it read: the SHA-256 of the file's text.
fn version(text: &str) -> String {
    seal::sha256_hex(text.as_bytes())
}

impl Editor {
    fn lock(&self) -> std::sync::MutexGuard<'_, crate::pipeline::Session> {
        self.session.lock().unwrap_or_else(|e| e.into_inner())
    }
}

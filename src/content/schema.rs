//! JSON Schemas (draft 2020-12) of the six content files, for editors: VS Code's YAML extension
//! and every editor running yaml-language-server validate a file as it is typed, complete its
//! keys and show each field's description on hover once the file names its schema.
//!
//! The structure comes from the very types `content` reads the files into (schemars), so a
//! schema cannot drift from the loader; the short Thai titles (an editor's and the browser
//! form's label of a field) and the descriptions, in Thai and English, come from
//! [`DESCRIPTIONS`], and a test checks that every field has both and that none is left over.

use std::path::Path;

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};
use serde_json::{Map, Value};

use crate::content::{
    AgencyFile, AnalysisFile, AssessmentFile, MeasuresFile, RecommendationsFile, ScoresFile,
};
use crate::diag::{Diagnostic, Diagnostics};
use crate::msg;

/// Where a project keeps the schemas, beside the year folders (not a year: `content::years`
/// reads only folders named by a number).
pub const DIR: &str = "content/schemas";

/// The schema file of a content file: `scores.yaml` -> `scores.schema.json`.
pub fn file_name(content_file: &str) -> String {
    let stem = content_file.strip_suffix(".yaml").unwrap_or(content_file);
    format!("{stem}.schema.json")
}

/// The first line of a content file under `content/<year>/`, naming its schema for
/// yaml-language-server (the path is relative to the file).
pub fn modeline(content_file: &str) -> String {
    format!(
        "# yaml-language-server: $schema=../schemas/{}\n",
        file_name(content_file)
    )
}

/// `text` with the modeline of `content_file` as its first line, unless it already has one.
pub fn with_modeline(content_file: &str, text: &str) -> String {
    if text.starts_with("# yaml-language-server:") {
        text.to_string()
    } else {
        format!("{}{text}", modeline(content_file))
    }
}

/// The schema of each content file, by the file's name, in `content::FILES` order.
pub fn schemas() -> Vec<(&'static str, Value)> {
    each()
        .into_iter()
        .map(|(file, _, schema)| (file, schema))
        .collect()
}

/// Each content file's name, the name of the type it is read into, and its schema.
fn each() -> Vec<(&'static str, String, Value)> {
    vec![
        of::<AgencyFile>("agency.yaml"),
        of::<AssessmentFile>("assessment.yaml"),
        of::<ScoresFile>("scores.yaml"),
        of::<RecommendationsFile>("recommendations.yaml"),
        of::<AnalysisFile>("analysis.yaml"),
        of::<MeasuresFile>("measures.yaml"),
    ]
}

/// Writes the six schemas into `dir`, pretty-printed with a final new line; returns their paths.
/// Refuses a folder inside a sealed year's (one holding a seal, or below one): nothing is written
/// there but by `archive`.
pub fn write(dir: &Path) -> Result<Vec<String>, Diagnostics> {
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let real = absolute.canonicalize().unwrap_or(absolute);
    if let Some(year) = real
        .ancestors()
        .find(|a| a.join(crate::content::SEAL_FILE).is_file())
    {
        return Err(Diagnostic::error(
            crate::diag::Code::OutputSealedFolder,
            msg!(
                "จะไม่เขียนไฟล์ในโฟลเดอร์ของปีที่ปิดผนึกแล้ว ไม่ได้เขียนไฟล์ใด ๆ",
                "will not write into a sealed year's folder; nothing written"
            ),
        )
        .in_file(year.join(crate::content::SEAL_FILE))
        .hint(msg!(
            "เลือกโฟลเดอร์อื่นด้วย --out เช่น content/schemas/",
            "choose another folder with --out, such as content/schemas/"
        ))
        .into());
    }
    let mut written = Vec::new();
    for (name, text) in files() {
        let path = dir.join(name);
        crate::files::write_atomic(&path, &text)?;
        written.push(path.display().to_string());
    }
    Ok(written)
}

/// The six schema files: their names and text, pretty-printed with a final new line.
pub fn files() -> Vec<(String, Vec<u8>)> {
    (schemas().into_iter())
        .map(|(name, schema)| {
            let mut text = serde_json::to_string_pretty(&schema).expect("a schema serialises");
            text.push('\n');
            (file_name(name), text.into_bytes())
        })
        .collect()
}

/// The schema of one file's type, with the titles and bilingual descriptions put in. The whole
/// file's title names the file (`oit025: content/<ปี/year>/scores.yaml`), as an editor lists
/// the schema; its short Thai title is [`title`] of the file's type.
fn of<T: JsonSchema>(file: &'static str) -> (&'static str, String, Value) {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let schema: Schema = generator.into_root_schema_for::<T>();
    let mut value = schema.to_value();
    let root = T::schema_name().into_owned();
    if let Value::Object(top) = &mut value {
        describe(&root, top);
        top.insert(
            "title".into(),
            format!("oit025: content/<ปี/year>/{file}").into(),
        );
        if let Some(Value::Object(defs)) = top.get_mut("$defs") {
            for (name, def) in defs.iter_mut() {
                if let Value::Object(def) = def {
                    describe(name, def);
                }
            }
        }
    }
    (file, root, value)
}

/// Sets the title and description of a type defined in a schema and of each of its properties.
fn describe(ty: &str, schema: &mut Map<String, Value>) {
    label(ty, schema);
    if let Some(Value::Object(props)) = schema.get_mut("properties") {
        for (field, prop) in props.iter_mut() {
            if let Value::Object(prop) = prop {
                label(&format!("{ty}.{field}"), prop);
            }
        }
    }
}

/// Puts the title and description of `key` into its schema, where it has them.
fn label(key: &str, schema: &mut Map<String, Value>) {
    if let Some(text) = title(key) {
        schema.insert("title".into(), text.into());
    }
    if let Some(text) = description(key) {
        schema.insert("description".into(), text.into());
    }
}

/// The short Thai title of a type or field (`Agency.name` -> `ชื่อหน่วยงาน`): the label a form
/// and an editor give it.
pub fn title(key: &str) -> Option<&'static str> {
    DESCRIPTIONS
        .iter()
        .find(|(k, ..)| *k == key)
        .map(|(_, title, ..)| *title)
}

/// The description of a type or field, Thai then English.
fn description(key: &str) -> Option<String> {
    DESCRIPTIONS
        .iter()
        .find(|(k, ..)| *k == key)
        .map(|(_, _, th, en)| format!("{th} / {en}"))
}

/// What each type and field of the content files is called and means, by `Type` or `Type.field`
/// as the schema names them: (key, short Thai title, Thai description, English description). The
/// title is a form's label, as a ศปท. officer would name the field, unique among the fields of
/// one type.
pub const DESCRIPTIONS: &[(&str, &str, &str, &str)] = &[
    // agency.yaml
    (
        "AgencyFile",
        "ข้อมูลหน่วยงาน",
        "หน่วยงานที่จัดทำรายงาน ข้อความทุกตัวอักษรจะปรากฏใน PDF ตามที่พิมพ์ไว้",
        "the agency this report is about; every text is printed literally",
    ),
    (
        "AgencyFile.agency",
        "หน่วยงาน",
        "ชื่อ อักษรย่อ หัวหน้า และกลุ่มของหน่วยงาน",
        "the agency's name, abbreviation, head and group",
    ),
    (
        "AgencyFile.preparer",
        "หน่วยงานที่จัดทำเอกสาร",
        "รหัสหน่วยงานที่จัดทำเอกสาร (บรรทัด \"จัดทำโดย\") ต้องอยู่ใน units",
        "code of the unit that prepares the document (the \"prepared by\" line); one of units",
    ),
    (
        "AgencyFile.units",
        "หน่วยงานภายใน",
        "หน่วยงานภายในที่เป็นผู้รับผิดชอบมาตรการได้",
        "internal units that may be responsible for a measure",
    ),
    (
        "AgencyFile.rationale",
        "หลักการและเหตุผล",
        "๑. หลักการและเหตุผล",
        "section 1: principles and reasons",
    ),
    (
        "AgencyFile.monitoring",
        "การกำกับติดตามและประเมินผล",
        "๗. แนวทางการกำกับติดตามและประเมินผล",
        "section 7: follow-up and evaluation",
    ),
    (
        "AgencyFile.date",
        "วันที่ของเอกสาร",
        "วันที่ของเอกสาร (ปี ค.ศ. เช่น 2025-10-01) ถ้าไม่ใส่ใช้วันแรกของปีงบประมาณ",
        "date of the document (CE year, e.g. 2025-10-01); default: the first day of the fiscal year",
    ),
    ("Agency", "หน่วยงาน", "หน่วยงาน", "the agency"),
    (
        "Agency.name",
        "ชื่อหน่วยงาน",
        "ชื่อเต็มของหน่วยงาน",
        "full name of the agency",
    ),
    (
        "Agency.abbreviation",
        "อักษรย่อ",
        "อักษรย่อของหน่วยงาน ใช้ตรวจการสะกดในข้อความทั้งหมด",
        "the agency's abbreviation, checked across all text",
    ),
    (
        "Agency.head",
        "ตำแหน่งหัวหน้าหน่วยงาน",
        "ตำแหน่งหัวหน้าหน่วยงาน ผู้รับรายงานในส่วนที่ ๗",
        "title of the head of the agency, who receives the section 7 reports",
    ),
    (
        "Agency.group",
        "กลุ่มหน่วยงาน",
        "กลุ่มหน่วยงานที่ใช้จัดลำดับ",
        "the group of agencies it is ranked in",
    ),
    (
        "Agency.other_abbreviations",
        "อักษรย่อของหน่วยงานอื่น",
        "อักษรย่อของหน่วยงานอื่นที่คล้ายของหน่วยงาน ไม่ถือว่าสะกดผิด",
        "abbreviations of other organisations that look like the agency's own and are not slips",
    ),
    (
        "Agency.glossary",
        "คำที่ห้ามตัดกลางคำ",
        "คำที่ห้ามตัดขึ้นบรรทัดใหม่กลางคำ (ชื่อเฉพาะ คำที่พจนานุกรมไม่รู้จัก)",
        "words a line must never break inside (names, words the dictionary does not know)",
    ),
    ("Unit", "หน่วยงานภายใน", "หน่วยงานภายใน", "an internal unit"),
    (
        "Unit.code",
        "รหัสหน่วยงาน",
        "รหัสหรือชื่อย่อของหน่วยงานภายใน ที่มาตรการอ้างถึง",
        "the unit's code or short name, as measures refer to it",
    ),
    (
        "Unit.name",
        "ชื่อเต็มของหน่วยงาน",
        "ชื่อเต็มของหน่วยงานภายใน (ถ้ามี)",
        "the unit's full name, if any",
    ),
    (
        "Rationale",
        "หลักการและเหตุผล",
        "หลักการและเหตุผล",
        "principles and reasons",
    ),
    (
        "Rationale.paragraphs",
        "ย่อหน้า",
        "ย่อหน้า รายการละหนึ่งย่อหน้า",
        "paragraphs, one item each",
    ),
    (
        "Rationale.items",
        "รายการย่อย",
        "รายการย่อยต่อท้ายย่อหน้าสุดท้าย",
        "bullet items printed after the last paragraph",
    ),
    (
        "Monitoring",
        "การกำกับติดตามและประเมินผล",
        "การกำกับติดตามและประเมินผล",
        "follow-up and evaluation",
    ),
    (
        "Monitoring.items",
        "ข้อแนวทางการกำกับติดตาม",
        "ข้อ ๗.๑, ๗.๒, ... ตามลำดับ",
        "items 7.1, 7.2, ... in order",
    ),
    (
        "Monitoring.report_deadline",
        "กำหนดส่งรายงาน",
        "กำหนดส่งรายงานผลการดำเนินงาน (ปี ค.ศ. เช่น 2026-09-30) ข้อสุดท้ายของส่วนที่ ๗",
        "deadline of the units' reports (CE year, e.g. 2026-09-30), the last item of section 7",
    ),
    // assessment.yaml
    (
        "AssessmentFile",
        "กรอบการประเมิน ITA",
        "กรอบการประเมิน ITA ของสำนักงาน ป.ป.ช. ในปีที่ประเมิน",
        "the NACC's ITA framework of the assessed years",
    ),
    (
        "AssessmentFile.threshold",
        "เกณฑ์คะแนน",
        "เกณฑ์คะแนน ข้อคำถามที่ต่ำกว่านี้ต้องวิเคราะห์ในส่วนที่ ๕",
        "threshold: questions scoring below it are analysed in section 5",
    ),
    (
        "AssessmentFile.weights",
        "น้ำหนักคะแนน",
        "น้ำหนักคะแนนของแต่ละแบบวัดในคะแนน ITA ตามปีที่ประเมิน",
        "weights of the instruments in the ITA score, per assessment year",
    ),
    (
        "AssessmentFile.rating_levels",
        "ระดับผลการประเมิน",
        "ระดับผลการประเมิน เรียงจากดีที่สุด (ส่วนที่ ๓)",
        "rating levels, best first (section 3)",
    ),
    (
        "AssessmentFile.criteria_reference",
        "เอกสารอ้างอิงของเกณฑ์",
        "เอกสารอ้างอิงของตารางเกณฑ์ พิมพ์ท้ายประโยคนำ",
        "reference of the criteria table, printed after its lead sentence",
    ),
    (
        "AssessmentFile.indicators",
        "ตัวชี้วัด",
        "ตัวชี้วัด ข้อคำถาม และตัวชี้วัดย่อย",
        "the indicators, their questions and sub-indicators",
    ),
    (
        "Weights",
        "น้ำหนักคะแนนของปีที่ประเมิน",
        "น้ำหนักคะแนน (ร้อยละ) ของปีที่ประเมินหนึ่งปี รวมกันเป็น 100",
        "weights in percent for one assessment year, adding up to 100",
    ),
    (
        "Weights.year",
        "ปีที่ประเมิน",
        "ปีงบประมาณที่ประเมิน (พ.ศ.)",
        "the assessment year (Buddhist Era)",
    ),
    (
        "Weights.iit",
        "น้ำหนัก IIT",
        "น้ำหนักของ IIT (ร้อยละ)",
        "weight of IIT, in percent",
    ),
    (
        "Weights.eit",
        "น้ำหนัก EIT",
        "น้ำหนักของ EIT (ร้อยละ)",
        "weight of EIT, in percent",
    ),
    (
        "Weights.oit",
        "น้ำหนัก OIT",
        "น้ำหนักของ OIT (ร้อยละ)",
        "weight of OIT, in percent",
    ),
    (
        "RatingLevel",
        "ระดับผลการประเมิน",
        "ระดับผลการประเมินหนึ่งระดับ",
        "one rating level",
    ),
    (
        "RatingLevel.name",
        "ชื่อระดับ",
        "ชื่อระดับ เช่น ผ่านดีเยี่ยม",
        "name of the level, e.g. ผ่านดีเยี่ยม",
    ),
    (
        "RatingLevel.ita",
        "ช่วงคะแนน ITA",
        "ช่วงคะแนน ITA ของระดับนี้",
        "range of the ITA score for this level",
    ),
    (
        "RatingLevel.parts",
        "ช่วงคะแนนทุกแบบวัด",
        "ช่วงคะแนนที่ IIT, EIT ส่วนที่ ๑, EIT ส่วนที่ ๒ และ OIT ต้องได้ทุกส่วน (ถ้ามี)",
        "range IIT, EIT part 1, EIT part 2 and OIT must each fall in, if any",
    ),
    (
        "ScoreRange",
        "ช่วงคะแนน",
        "ช่วงคะแนน 0-100",
        "a range of scores, 0-100",
    ),
    (
        "ScoreRange.min",
        "คะแนนต่ำสุด",
        "คะแนนต่ำสุดของช่วง",
        "lowest score of the range",
    ),
    (
        "ScoreRange.max",
        "คะแนนสูงสุด",
        "คะแนนสูงสุดของช่วง",
        "highest score of the range",
    ),
    ("IndicatorDef", "ตัวชี้วัด", "ตัวชี้วัดหนึ่งตัว", "one indicator"),
    (
        "IndicatorDef.number",
        "หมายเลขตัวชี้วัด",
        "หมายเลขตัวชี้วัด",
        "number of the indicator",
    ),
    (
        "IndicatorDef.instrument",
        "แบบวัด",
        "แบบวัดของตัวชี้วัด: IIT, EIT หรือ OIT",
        "the indicator's instrument: IIT, EIT or OIT",
    ),
    (
        "IndicatorDef.name",
        "ชื่อตัวชี้วัด",
        "ชื่อตัวชี้วัด",
        "name of the indicator",
    ),
    (
        "IndicatorDef.questions",
        "ข้อคำถาม",
        "ข้อคำถามของตัวชี้วัด",
        "the indicator's questions",
    ),
    (
        "IndicatorDef.sub_indicators",
        "ตัวชี้วัดย่อย",
        "ตัวชี้วัดย่อย (ถ้ามี)",
        "sub-indicators, if any",
    ),
    ("QuestionDef", "ข้อคำถาม", "ข้อคำถามหนึ่งข้อ", "one question"),
    (
        "QuestionDef.code",
        "รหัสข้อคำถาม",
        "รหัสข้อคำถาม เช่น i1 หรือ e5",
        "code of the question, e.g. i1 or e5",
    ),
    (
        "QuestionDef.text",
        "ข้อความของข้อคำถาม",
        "ข้อความของข้อคำถาม ใส่เฉพาะข้อที่ต้องพิมพ์ก็ได้",
        "text of the question, needed only where it is printed",
    ),
    (
        "Instrument",
        "แบบวัด",
        "แบบวัด: IIT (ภายใน), EIT (ภายนอก) หรือ OIT (ข้อมูลสาธารณะ)",
        "instrument: IIT (internal), EIT (external) or OIT (open data)",
    ),
    // scores.yaml
    (
        "ScoresFile",
        "ผลคะแนน",
        "ผลคะแนนที่หน่วยงานได้รับ ใส่เฉพาะคะแนนที่ สำนักงาน ป.ป.ช. แจ้ง",
        "the scores the agency received, only those the NACC reports",
    ),
    (
        "ScoresFile.assessed_year",
        "ปีที่ประเมิน",
        "ปีงบประมาณที่ประเมิน (พ.ศ.)",
        "the assessed fiscal year (Buddhist Era)",
    ),
    (
        "ScoresFile.previous_year",
        "ปีที่เปรียบเทียบ",
        "ปีงบประมาณที่นำมาเปรียบเทียบ (พ.ศ.)",
        "the fiscal year compared with (Buddhist Era)",
    ),
    (
        "ScoresFile.participants",
        "จำนวนหน่วยงานที่เข้าร่วม",
        "จำนวนหน่วยงานที่เข้าร่วมประเมิน (~ ถ้ายังไม่ทราบ)",
        "number of agencies assessed (~ until known)",
    ),
    (
        "ScoresFile.group_participants",
        "จำนวนหน่วยงานในกลุ่ม",
        "จำนวนหน่วยงานในกลุ่ม (~ ถ้ายังไม่ทราบ)",
        "number of agencies in the group (~ until known)",
    ),
    (
        "ScoresFile.rank",
        "ลำดับในกลุ่ม",
        "ลำดับของหน่วยงานในกลุ่ม (~ ถ้ายังไม่ทราบ)",
        "the agency's rank in its group (~ until known)",
    ),
    (
        "ScoresFile.indicators",
        "คะแนนรายตัวชี้วัด",
        "คะแนนรายตัวชี้วัดของทั้งสองปี",
        "indicator scores of both years",
    ),
    (
        "ScoresFile.stated_ita",
        "คะแนน ITA ที่ประกาศ",
        "คะแนน ITA ที่ประกาศ (ถ้ามี) ใช้แทนค่าที่คำนวณ",
        "ITA scores as published, if any, printed instead of the computed ones",
    ),
    (
        "ScoresFile.questions",
        "คะแนนรายข้อคำถาม",
        "คะแนนรายข้อคำถามของปีที่ประเมิน",
        "question scores of the assessed year",
    ),
    (
        "IndicatorScore",
        "คะแนนของตัวชี้วัด",
        "คะแนนของตัวชี้วัดหนึ่งตัว",
        "the scores of one indicator",
    ),
    (
        "IndicatorScore.indicator",
        "หมายเลขตัวชี้วัด",
        "หมายเลขตัวชี้วัด",
        "number of the indicator",
    ),
    (
        "IndicatorScore.previous",
        "คะแนนปีที่เปรียบเทียบ",
        "คะแนนปีที่เปรียบเทียบ (0-100 เลขอารบิก)",
        "score of the year compared with (0-100, Arabic digits)",
    ),
    (
        "IndicatorScore.current",
        "คะแนนปีที่ประเมิน",
        "คะแนนปีที่ประเมิน (0-100 เลขอารบิก, ~ ถ้ายังไม่ทราบ)",
        "score of the assessed year (0-100, Arabic digits; ~ until known)",
    ),
    (
        "StatedIta",
        "คะแนน ITA ที่ประกาศ",
        "คะแนน ITA ตามที่ประกาศ",
        "ITA scores as published",
    ),
    (
        "StatedIta.previous",
        "ITA ปีที่เปรียบเทียบ",
        "คะแนน ITA ที่ประกาศของปีที่เปรียบเทียบ",
        "published ITA of the year compared with",
    ),
    (
        "StatedIta.current",
        "ITA ปีที่ประเมิน",
        "คะแนน ITA ที่ประกาศของปีที่ประเมิน",
        "published ITA of the assessed year",
    ),
    (
        "StatedIta.rating",
        "ระดับผลที่ประกาศ",
        "ระดับผลการประเมินที่ประกาศ (ชื่อหนึ่งใน rating_levels) พิมพ์แทนระดับที่คำนวณ และเทียบกับระดับตามเกณฑ์",
        "the published rating (one of rating_levels), printed instead of the computed one and compared with it",
    ),
    (
        "ScoresFile.eit_parts",
        "คะแนน EIT รายส่วน",
        "คะแนน EIT ส่วนที่ ๑ และ ๒ ของปีที่ประเมินตามที่ประกาศ ใช้ตัดสินระดับผ่านดีเยี่ยมและผ่านดี",
        "EIT parts 1 and 2 of the assessed year as published, which decide the levels with part conditions",
    ),
    (
        "EitParts",
        "คะแนน EIT รายส่วน",
        "คะแนน EIT ส่วนที่ ๑ (EIT Public) และส่วนที่ ๒ (EIT Survey)",
        "EIT part 1 (EIT Public) and part 2 (EIT Survey) scores",
    ),
    (
        "EitParts.part1",
        "EIT ส่วนที่ ๑ (Public)",
        "คะแนน EIT ส่วนที่ ๑",
        "EIT part 1 score",
    ),
    (
        "EitParts.part2",
        "EIT ส่วนที่ ๒ (Survey)",
        "คะแนน EIT ส่วนที่ ๒",
        "EIT part 2 score",
    ),
    (
        "QuestionScore",
        "คะแนนของข้อคำถาม",
        "คะแนนของข้อคำถามหนึ่งข้อ",
        "the score of one question",
    ),
    (
        "QuestionScore.code",
        "รหัสข้อคำถาม",
        "รหัสข้อคำถาม ตามที่กำหนดใน assessment.yaml",
        "code of the question, as assessment.yaml defines it",
    ),
    (
        "QuestionScore.score",
        "คะแนน",
        "คะแนนของข้อคำถาม IIT หรือข้อ OIT",
        "score of an IIT question or an OIT item",
    ),
    (
        "QuestionScore.public",
        "คะแนน EIT Public",
        "คะแนน EIT Public ของข้อคำถาม EIT",
        "EIT Public score of an EIT question",
    ),
    (
        "QuestionScore.survey",
        "คะแนน EIT Survey",
        "คะแนน EIT Survey ของข้อคำถาม EIT",
        "EIT Survey score of an EIT question",
    ),
    // recommendations.yaml
    (
        "RecommendationsFile",
        "ข้อเสนอแนะ",
        "ข้อเสนอแนะของผู้ประเมิน (ส่วนที่ ๔)",
        "the assessors' recommendations (section 4)",
    ),
    (
        "RecommendationsFile.recommendations",
        "ข้อเสนอแนะรายแบบวัด",
        "หนึ่งรายการต่อแบบวัด",
        "one entry per instrument",
    ),
    (
        "Recommendation",
        "ข้อเสนอแนะของแบบวัด",
        "ข้อเสนอแนะของแบบวัดหนึ่งแบบ",
        "the recommendation of one instrument",
    ),
    (
        "Recommendation.instrument",
        "แบบวัด",
        "แบบวัด: IIT, EIT หรือ OIT",
        "the instrument: IIT, EIT or OIT",
    ),
    (
        "Recommendation.indicators",
        "ตัวชี้วัดที่กล่าวถึง",
        "หมายเลขตัวชี้วัดที่กล่าวถึง (ชื่อพิมพ์จาก assessment.yaml)",
        "numbers of the indicators named (their names are printed from assessment.yaml)",
    ),
    (
        "Recommendation.paragraphs",
        "ข้อความข้อเสนอแนะ",
        "ข้อความข้อเสนอแนะ ย่อหน้าละรายการ",
        "the recommendation, one item per paragraph",
    ),
    // analysis.yaml
    (
        "AnalysisFile",
        "การวิเคราะห์ผลการประเมิน",
        "ส่วนที่ ๕ การวิเคราะห์ผลการประเมิน หนึ่งรายการต่อตัวชี้วัด",
        "section 5, the analysis, one entry per indicator",
    ),
    (
        "AnalysisFile.analysis",
        "การวิเคราะห์รายตัวชี้วัด",
        "การวิเคราะห์รายตัวชี้วัด",
        "the analysis of each indicator",
    ),
    (
        "AnalysisRow",
        "การวิเคราะห์ของตัวชี้วัด",
        "การวิเคราะห์ของตัวชี้วัดหนึ่งตัว",
        "the analysis of one indicator",
    ),
    (
        "AnalysisRow.indicator",
        "หมายเลขตัวชี้วัด",
        "หมายเลขตัวชี้วัด",
        "number of the indicator",
    ),
    (
        "AnalysisRow.summary",
        "ข้อความแทนข้อคำถาม",
        "ข้อความแทนข้อคำถาม สำหรับตัวชี้วัดที่ไม่มีข้อคำถาม ย่อหน้าละรายการ",
        "text shown instead of questions, for indicators without them, one item per paragraph",
    ),
    (
        "AnalysisRow.findings",
        "ผลการวิเคราะห์",
        "ผลการวิเคราะห์ที่สอดคล้องกับมาตรการ ข้อละรายการ",
        "findings that lead to the measures, one per item",
    ),
    (
        "AnalysisRow.measures",
        "มาตรการที่เกี่ยวข้อง",
        "รหัสมาตรการใน measures.yaml ที่ตัวชี้วัดนี้นำไปสู่",
        "ids of the measures in measures.yaml this indicator leads to",
    ),
    // measures.yaml
    (
        "MeasuresFile",
        "มาตรการ",
        "มาตรการ (ส่วนที่ ๕ และ ๖) แต่ละมาตรการเขียนครั้งเดียว เลขที่นับตามลำดับ",
        "the measures (sections 5 and 6), each written once, numbered in order",
    ),
    (
        "MeasuresFile.coordinator",
        "หน่วยงานประสานงาน",
        "รหัสหน่วยงานประสานงานของทุกมาตรการ (ผู้รับผิดชอบในส่วนที่ ๕)",
        "code of the unit coordinating every measure (responsible in section 5)",
    ),
    (
        "MeasuresFile.shared",
        "การพิมพ์มาตรการที่ใช้ร่วมกัน",
        "มาตรการที่หลายตัวชี้วัดใช้ร่วมกันในส่วนที่ ๕: everywhere พิมพ์เต็มทุกตัวชี้วัด (ค่าเริ่มต้น) หรือ once พิมพ์เต็มครั้งแรกแล้วอ้างถึงด้วยเลขที่",
        "a measure several indicators share, in section 5: everywhere prints it in full under each (the default), once in full under the first and by its number elsewhere",
    ),
    (
        "Shared",
        "การพิมพ์มาตรการที่ใช้ร่วมกัน",
        "everywhere หรือ once",
        "everywhere or once",
    ),
    (
        "MeasuresFile.measures",
        "มาตรการ",
        "มาตรการ เรียงตามลำดับเลขที่",
        "the measures, in the order of their numbers",
    ),
    ("MeasureRaw", "มาตรการ", "มาตรการหนึ่งมาตรการ", "one measure"),
    (
        "MeasureRaw.id",
        "รหัสมาตรการ",
        "รหัสมาตรการ ที่ analysis.yaml ใช้อ้างถึง",
        "id of the measure, as analysis.yaml refers to it",
    ),
    (
        "MeasureRaw.title",
        "ชื่อมาตรการ",
        "ชื่อมาตรการ (ไม่ต้องพิมพ์ \"มาตรการที่ ๑\")",
        "title, without its number",
    ),
    (
        "MeasureRaw.steps",
        "ขั้นตอนการดำเนินการ",
        "ขั้นตอน/วิธีการดำเนินการ ข้อละบรรทัด ระบบใส่เลขให้",
        "steps, one per item, numbered when printed",
    ),
    (
        "MeasureRaw.period",
        "ช่วงเวลาดำเนินการ",
        "ช่วงเวลาดำเนินการ ต้องอยู่ในปีงบประมาณ",
        "period, inside the fiscal year",
    ),
    (
        "MeasureRaw.units",
        "หน่วยงานผู้ดำเนินการ",
        "รหัสหน่วยงานผู้ดำเนินการ (ผู้รับผิดชอบในส่วนที่ ๖)",
        "codes of the implementing units (responsible in section 6)",
    ),
    (
        "MeasureRaw.coordinator",
        "หน่วยงานประสานงาน",
        "หน่วยงานประสานงานของมาตรการนี้ ถ้าต่างจากของทุกมาตรการ",
        "coordinating unit of this measure, if not the one of all measures",
    ),
    (
        "MeasureRaw.budget",
        "งบประมาณ",
        "งบประมาณ (ถ้ามี): จำนวนเงินเป็นบาท เช่น 150000 หรือข้อความ เช่น ไม่ใช้งบประมาณ",
        "budget, if any: an amount in baht, e.g. 150000, or words, e.g. ไม่ใช้งบประมาณ",
    ),
    (
        "MeasureRaw.target",
        "เป้าหมาย",
        "เป้าหมายหรือตัวชี้วัดความสำเร็จ (ถ้ามี)",
        "target or indicator of success, if any",
    ),
    (
        "Budget",
        "งบประมาณ",
        "จำนวนเงิน (บาท) หรือข้อความ",
        "an amount in baht, or words",
    ),
    (
        "PeriodRaw",
        "ช่วงเวลาดำเนินการ",
        "ช่วงเวลาดำเนินการ: { start: .., end: .. } หรือ ต.ค. ๖๘ – ก.ย. ๖๙ หรือ ตลอดปีงบประมาณ พ.ศ. ๒๕๖๙ หรือ ไตรมาส ๑ – ๒",
        "the period: { start: .., end: .. }, whole months (ต.ค. ๖๘ – ก.ย. ๖๙), the whole fiscal year (ตลอดปีงบประมาณ พ.ศ. ๒๕๖๙) or quarters (ไตรมาส ๑ – ๒)",
    ),
    (
        "PeriodDates",
        "วันเริ่มและวันสิ้นสุด",
        "วันเริ่มและวันสิ้นสุด",
        "first and last day",
    ),
    (
        "PeriodDates.start",
        "วันเริ่ม",
        "วันเริ่ม (ปี ค.ศ. เช่น 2026-04-01)",
        "first day (CE year, e.g. 2026-04-01)",
    ),
    (
        "PeriodDates.end",
        "วันสิ้นสุด",
        "วันสิ้นสุด (ปี ค.ศ. เช่น 2026-06-30)",
        "last day (CE year, e.g. 2026-06-30)",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every named type of a schema, and every property of each as `Type.field`.
    fn keys(root: &str, schema: &Value) -> Vec<String> {
        fn of(ty: &str, def: &Value, out: &mut Vec<String>) {
            out.push(ty.to_string());
            if let Some(Value::Object(props)) = def.get("properties") {
                out.extend(props.keys().map(|f| format!("{ty}.{f}")));
            }
        }
        let mut out = Vec::new();
        of(root, schema, &mut out);
        if let Some(Value::Object(defs)) = schema.get("$defs") {
            for (name, def) in defs {
                // Score is a plain number, described where it is used.
                if name != "Score" {
                    of(name, def, &mut out);
                }
            }
        }
        out
    }

    #[test]
    fn every_field_has_a_title_and_a_description_in_thai_and_english_and_none_is_left_over() {
        let thai = |s: &str| s.chars().any(|c| ('\u{E01}'..='\u{E5B}').contains(&c));
        let mut seen = Vec::new();
        for (file, root, schema) in each() {
            for key in keys(&root, &schema) {
                let d = description(&key);
                assert!(
                    d.is_some(),
                    "{file}: {key} has no description in DESCRIPTIONS"
                );
                assert!(thai(&d.unwrap()), "{key}: no Thai");
                let t = title(&key).unwrap_or_default();
                assert!(thai(t), "{file}: {key} has no Thai title");
                assert!(t.chars().count() <= 30, "{key}: title {t:?} is not short");
                assert_eq!(t.trim(), t, "{key}: title {t:?} has spaces around it");
                seen.push(key);
            }
        }
        for (key, ..) in DESCRIPTIONS {
            assert!(
                seen.iter().any(|k| k == key),
                "DESCRIPTIONS has {key}, which no schema holds"
            );
        }
    }

    /// A form labels each field of an object by its title: two alike would be two inputs named
    /// the same. Each property of each type carries its title in the schema itself.
    #[test]
    fn titles_are_in_the_schemas_and_unique_among_the_fields_of_an_object() {
        for (file, root, schema) in each() {
            let mut types = vec![(root.clone(), &schema)];
            if let Some(Value::Object(defs)) = schema.get("$defs") {
                types.extend(defs.iter().map(|(name, def)| (name.clone(), def)));
            }
            for (ty, def) in types {
                if ty != root {
                    assert_eq!(def.get("title").and_then(Value::as_str), title(&ty), "{ty}");
                }
                let Some(Value::Object(props)) = def.get("properties") else {
                    continue;
                };
                let mut titles = Vec::new();
                for (field, prop) in props {
                    let t = prop["title"].as_str();
                    assert!(
                        t.is_some(),
                        "{file}: {ty}.{field} has no title in the schema"
                    );
                    assert_eq!(t, title(&format!("{ty}.{field}")));
                    assert!(!titles.contains(&t), "{ty}: two fields are titled {t:?}");
                    titles.push(t);
                }
            }
        }
    }

    #[test]
    fn unknown_keys_are_refused_and_scores_are_bounded() {
        let (_, scores) = &schemas()[2];
        let defs = &scores["$defs"];
        assert_eq!(scores["additionalProperties"], Value::Bool(false));
        assert_eq!(
            defs["IndicatorScore"]["additionalProperties"],
            Value::Bool(false)
        );
        assert_eq!(defs["Score"]["minimum"], 0);
        assert_eq!(defs["Score"]["maximum"], 100);
        assert_eq!(
            scores["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
    }
}

//! The stable code of every kind of problem the tool reports, such as `score.range`. Tests,
//! `check --format json` readers and editors key on the code, so the words of a message can
//! change without breaking them; a code, once given, keeps its meaning. The list is written once,
//! in [`codes!`], which gives the enum, [`Code::as_str`], [`Code::ALL`] and the one-line
//! descriptions docs/diagnostics.md is checked against.

/// Declares [`Code`] from one table: variant, stable string, one-line description.
macro_rules! codes {
    ($( #[doc = $doc:literal] $variant:ident = $code:literal, )*) => {
        /// What kind of problem a diagnostic reports; see docs/diagnostics.md for the list.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $( #[doc = $doc] $variant, )*
        }

        impl Code {
            /// Every code, in the order of the table.
            pub const ALL: &[Code] = &[$(Code::$variant),*];

            /// The stable dotted name, such as `score.range`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( Code::$variant => $code, )*
                }
            }

            /// What the code means, in one line (its doc comment).
            pub fn description(self) -> &'static str {
                match self {
                    $( Code::$variant => $doc.trim(), )*
                }
            }
        }
    };
}

codes! {
    /// A file cannot be read (it is missing, or the system refused).
    FileUnreadable = "file.unreadable",
    /// A file cannot be written.
    FileUnwritable = "file.unwritable",
    /// A file is not encoded as UTF-8.
    FileNotUtf8 = "file.not-utf8",
    /// A file is larger than the tool reads.
    FileTooLarge = "file.too-large",
    /// A file (or the symlink it is) points outside the project.
    FileOutsideProject = "file.outside-project",
    /// A path names a FIFO, a device or a folder, not a regular file.
    FileNotRegular = "file.not-regular",
    /// One of the six files of a year is missing.
    FileMissing = "file.missing",
    /// There is no fiscal year folder under content/.
    ContentNoYears = "content.no-years",
    /// The folder of the fiscal year asked for does not exist.
    ContentYearMissing = "content.year-missing",
    /// A YAML file in a year's folder that the tool does not know (warning).
    ContentUnknownFile = "content.unknown-file",
    /// A place `init` marked for the agency's own data is not filled in yet.
    ContentFillIn = "content.fill-in",
    /// How many such places are left, after they are listed.
    ContentFillInCount = "content.fill-in-count",
    /// A fiscal year outside the Buddhist-Era years the tool accepts.
    YearInvalid = "year.invalid",
    /// scores.yaml analyses another year than the report's fiscal year calls for.
    YearAssessed = "year.assessed",
    /// scores.yaml compares with another year than the one before the assessed year.
    YearPrevious = "year.previous",
    /// A file holding nothing but comments or blanks.
    YamlEmpty = "yaml.empty",
    /// Text that is not YAML.
    YamlSyntax = "yaml.syntax",
    /// Text holding ": " that is not quoted, which YAML reads as a mapping.
    YamlUnquotedColon = "yaml.unquoted-colon",
    /// A character YAML does not allow in a document.
    YamlControlCharacter = "yaml.control-character",
    /// A required field is missing.
    YamlMissingField = "yaml.missing-field",
    /// A field the file type does not have.
    YamlUnknownField = "yaml.unknown-field",
    /// A value of another type than the field takes.
    YamlWrongType = "yaml.wrong-type",
    /// A value that is not one of the field's choices.
    YamlUnknownVariant = "yaml.unknown-variant",
    /// Collections nested deeper than the tool follows.
    YamlTooDeep = "yaml.too-deep",
    /// More aliases (`*`) than the tool follows.
    YamlTooManyAliases = "yaml.too-many-aliases",
    /// Aliases (`*`) that expand the data past the size the tool reads.
    YamlTooLargeExpanded = "yaml.too-large-expanded",
    /// Anything else the YAML reader reports.
    YamlInvalid = "yaml.invalid",
    /// A score outside 0-100.
    ScoreRange = "score.range",
    /// A score written as text, not as a number.
    ScoreNotANumber = "score.not-a-number",
    /// A score written in Thai digits.
    ScoreThaiDigits = "score.thai-digits",
    /// A score or value left empty (`~`) where the report needs it.
    ScoreNotFilled = "score.not-filled",
    /// The rank is beyond the agency's group, or the group outnumbers all participants.
    CountsOutOfOrder = "counts.out-of-order",
    /// A budget that is neither an amount in baht nor words.
    BudgetForm = "budget.form",
    /// A period in none of the forms a period is written in.
    PeriodForm = "period.form",
    /// A period whose start is after its end.
    PeriodReversed = "period.reversed",
    /// A date of a measure's period outside the fiscal year.
    PeriodOutsideYear = "period.outside-year",
    /// A date written with a Buddhist-Era year where the files use the CE calendar.
    DateBuddhistEra = "date.buddhist-era",
    /// The deadline of the units' reports is outside the time allowed.
    DateDeadline = "date.deadline",
    /// The document's date is more than a year from its fiscal year.
    DateRange = "date.range",
    /// A unit that is not among the units of agency.yaml.
    UnitUnknown = "unit.unknown",
    /// A name or title is longer than the PDF prints as one.
    TextTooLong = "text.too-long",
    /// Thai typed in a way that looks right and is other text (เเ for แ, ํา for ำ, a mark twice or out of order, a space before a mark, a letter of another script inside a word) (warning).
    TextThaiTyping = "text.thai-typing",
    /// A text field left empty.
    TextEmpty = "text.empty",
    /// An abbreviation that looks like a slip in the agency's own.
    AbbreviationMisspelt = "abbreviation.misspelt",
    /// A word a letter away from one of the agency's own names (its name, a unit's code or name, a glossary term) (warning).
    NameMisspelt = "name.misspelt",
    /// One of the agency's own names typed another way: Arabic for Thai digits, other spaces, look-alike letters of another script (warning).
    NameTypedDifferently = "name.typed-differently",
    /// A control character in a text, which cannot be printed.
    CharacterControl = "character.control",
    /// A character none of the report's fonts has.
    CharacterNoGlyph = "character.no-glyph",
    /// A character a project font draws with a glyph whose name gives the PDF no text to copy out.
    CharacterNoText = "character.no-text",
    /// An invisible character that is not printed (warning).
    CharacterInvisible = "character.invisible",
    /// A file in the project's fonts/ that is not a font it can read, skipped (warning).
    FontSkipped = "font.skipped",
    /// A font in the project's fonts/ the build would fail on (CFF, no glyph names, colour, ...).
    FontRefused = "font.refused",
    /// A run of letters with no place to break, wider than the page's text: no cell holds it.
    BudgetUnbreakable = "budget.unbreakable",
    /// The report's text is far longer than a report's; named at its longest values.
    BudgetText = "budget.text",
    /// The report laid out into more pages than one report may have.
    BudgetPages = "budget.pages",
    /// The instrument weights of a year are negative.
    WeightsNegative = "weights.negative",
    /// The instrument weights of a year do not add up to 100.
    WeightsSum = "weights.sum",
    /// No weights for a year the report needs.
    WeightsMissing = "weights.missing",
    /// A weight for an instrument that has no indicators.
    WeightsUnusedInstrument = "weights.unused-instrument",
    /// No rating levels in assessment.yaml.
    RatingNoLevels = "rating.no-levels",
    /// A rating level without a name.
    RatingUnnamedLevel = "rating.unnamed-level",
    /// A rating level's minimum above its maximum.
    RatingRangeReversed = "rating.range-reversed",
    /// Rating levels not listed best first.
    RatingOrder = "rating.order",
    /// Every rating level has part conditions, so none covers ITA 0-100 alone.
    RatingAllConditional = "rating.all-conditional",
    /// An ITA range no rating level covers.
    RatingGap = "rating.gap",
    /// Two rating levels whose ITA ranges overlap.
    RatingOverlap = "rating.overlap",
    /// A stated rating that is not a level of assessment.yaml.
    RatingUnknownLevel = "rating.unknown-level",
    /// The stated rating differs from the computed one (warning).
    RatingStatedDiffers = "rating.stated-differs",
    /// The stated rating is none of the levels the criteria allow (warning).
    RatingStatedNotAllowed = "rating.stated-not-allowed",
    /// The rating depends on EIT part scores not given.
    RatingUndecided = "rating.undecided",
    /// The stated ITA differs from the computed one (warning).
    ItaStatedDiffers = "ita.stated-differs",
    /// An ITA that can be neither computed nor read as stated.
    ItaUncomputable = "ita.uncomputable",
    /// An indicator number the framework does not have.
    IndicatorUnknown = "indicator.unknown",
    /// An indicator listed twice.
    IndicatorDuplicate = "indicator.duplicate",
    /// An indicator of the framework missing from a file.
    IndicatorMissing = "indicator.missing",
    /// An indicator without scores.
    IndicatorNoScores = "indicator.no-scores",
    /// Question scores of an indicator not filled in yet.
    QuestionNoScores = "question.no-scores",
    /// A question code the framework does not have.
    QuestionUnknown = "question.unknown",
    /// A question scored with the fields of another instrument.
    QuestionScoreFields = "question.score-fields",
    /// A question defined with its text but without a score (warning).
    QuestionUnscored = "question.unscored",
    /// A question section 5 prints has no text in assessment.yaml.
    QuestionNoText = "question.no-text",
    /// A question listed under an indicator of another instrument.
    QuestionWrongIndicator = "question.wrong-indicator",
    /// An indicator without analysis in analysis.yaml.
    AnalysisMissing = "analysis.missing",
    /// An indicator's analysis without findings.
    AnalysisNoFindings = "analysis.no-findings",
    /// An indicator's analysis that leads to no measure.
    AnalysisNoMeasures = "analysis.no-measures",
    /// A recommendation naming an indicator of another instrument.
    RecommendationWrongInstrument = "recommendation.wrong-instrument",
    /// No recommendations of the assessors yet.
    RecommendationNone = "recommendation.none",
    /// A measure referenced but not defined in measures.yaml.
    MeasureUndefined = "measure.undefined",
    /// A measure id defined twice.
    MeasureDuplicate = "measure.duplicate",
    /// A measure no indicator leads to.
    MeasureUnreferenced = "measure.unreferenced",
    /// A measure without a title.
    MeasureNoTitle = "measure.no-title",
    /// A measure without steps, or with an empty one.
    MeasureNoSteps = "measure.no-steps",
    /// A measure without a responsible unit.
    MeasureNoUnits = "measure.no-units",
    /// No measures yet.
    MeasureNone = "measure.none",
    /// A template that does not render.
    TemplateError = "template.error",
    /// An error typst reports in the generated source.
    TypstError = "typst.error",
    /// A warning typst reports (warning).
    TypstWarning = "typst.warning",
    /// Text wider than its table cell or the page after the layout passes (warning).
    LayoutOverflow = "layout.overflow",
    /// Text laid out beyond the edge of its page, where no printer prints it: a row that cannot split taller than a page.
    LayoutOffPage = "layout.off-page",
    /// Text wider than its table cell, cut inside one of its words or a code's parts (warning).
    LayoutTooWide = "layout.too-wide",
    /// A file the build would overwrite is a source or a sealed file.
    OutputProtected = "output.protected",
    /// A command would write into a sealed year's folder.
    OutputSealedFolder = "output.sealed-folder",
    /// The seal file cannot be read as a seal.
    SealDamaged = "seal.damaged",
    /// The seal names a PDF outside the project's output/.
    SealPdfOutside = "seal.pdf-outside",
    /// A sealed year's new PDF differs from the published one; nothing written.
    SealYearSealed = "seal.year-sealed",
    /// A sealed year's PDF replaced with --force (warning).
    SealReplaced = "seal.replaced",
    /// A sealed source file changed.
    SealSourceChanged = "seal.source-changed",
    /// A sealed file is missing.
    SealFileMissing = "seal.file-missing",
    /// The PDF rebuilt from the sealed sources differs from the sealed one.
    SealRebuiltDiffers = "seal.rebuilt-differs",
    /// The PDF on disk differs from the sealed one.
    SealPdfDiffers = "seal.pdf-differs",
    /// `init` into a folder that already has a content/ folder.
    InitContentExists = "init.content-exists",
    /// `init` without the agency's name and abbreviation.
    InitArguments = "init.arguments",
    /// `new` for a year whose folder exists.
    NewYearExists = "new.year-exists",
    /// `watch --serve` cannot listen on its port.
    ServePort = "serve.port",
    /// `watch` cannot watch the files.
    WatchFailed = "watch.failed",
    /// A panic inside the build: a bug in oit025 or typst.
    InternalPanic = "internal.panic",
    /// The text layer cannot rewrite typst's PDF: a bug in oit025.
    InternalTextlayer = "internal.textlayer",
    /// The PDF standards cannot be set: a bug in oit025.
    InternalPdfStandards = "internal.pdf-standards",
    /// The built-in framework does not load: a bug in oit025.
    InternalFramework = "internal.framework",
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_dotted_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "{s} twice");
            let mut parts = s.split('.');
            let head = parts.next().unwrap_or_default();
            assert!(
                !head.is_empty() && head.chars().all(|c| c.is_ascii_lowercase()),
                "{s}"
            );
            let rest: Vec<&str> = parts.collect();
            assert!(!rest.is_empty(), "{s} has no dot");
            for part in rest {
                assert!(
                    !part.is_empty()
                        && part
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                    "{s}"
                );
            }
            assert!(!code.description().is_empty(), "{s} has no description");
        }
    }

    /// docs/diagnostics.md lists every code with its description, as [`markdown`] writes it:
    /// `OIT025_BLESS=1 cargo test` rewrites it after a code is added.
    #[test]
    fn docs_list_every_code() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/diagnostics.md");
        let want = markdown();
        if std::env::var_os("OIT025_BLESS").is_some() {
            std::fs::write(path, &want).unwrap();
        }
        let have = std::fs::read_to_string(path).unwrap_or_default();
        for code in Code::ALL {
            assert!(
                have.contains(&format!("| `{code}` |")),
                "{code} is missing from docs/diagnostics.md (OIT025_BLESS=1 cargo test rewrites it)"
            );
        }
        assert_eq!(
            have, want,
            "docs/diagnostics.md is out of date (OIT025_BLESS=1 cargo test rewrites it)"
        );
    }

    /// The page docs/diagnostics.md as it should read.
    fn markdown() -> String {
        let mut out = String::from(
            "# Diagnostic codes\n\n\
             Every problem `oit025` reports carries one of these codes. `oit025 check --format json`\n\
             prints it as `\"code\"` beside the file, line, column, field path and the message in Thai\n\
             and English. Match the code, not the words: the words may change, a code keeps its meaning.\n\
             Warnings are marked so; every other code is an error.\n\n\
             This page is checked against `src/diag/code.rs` by a test (`OIT025_BLESS=1 cargo test\n\
             docs_list_every_code` rewrites it).\n\n\
             | code | meaning |\n|---|---|\n",
        );
        for code in Code::ALL {
            out.push_str(&format!("| `{code}` | {} |\n", code.description()));
        }
        out
    }
}

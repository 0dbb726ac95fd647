//! The stages of one build of the bundled FY 2569 report, each measured on its own, and the whole
//! build beside them: `cargo bench --bench stages`. typst's caches and the text layer's are emptied
//! before each run, and each run starts with caches of its own (parsed files, word marks), so the
//! figures are those of a cold build, as a user's `oit025 build` is.

use std::path::{Path, PathBuf};

use oit025::diag::SourceMap;
use oit025::pipeline::{self, Project, Session};
use oit025::template::{self, Digits};
use oit025::{content, derive, model, pdf};

fn main() {
    divan::main();
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn source(root: &Path) -> String {
    let mut sources = SourceMap::default();
    let checked = pipeline::check(root, 2569, &mut sources).ok().unwrap();
    let (report, figures) = (checked.report, checked.figures);
    let env = template::environment(Some(&root.join("templates")), Digits::Thai);
    template::render(&env, &report, &figures, Digits::Thai).unwrap()
}

#[divan::bench]
fn load_yaml(bencher: divan::Bencher) {
    bencher
        .with_inputs(|| pdf::evict_caches(0))
        .bench_values(|()| {
            let mut sources = SourceMap::default();
            divan::black_box(
                content::load_year(
                    &root(),
                    2569,
                    &mut sources,
                    &Default::default(),
                    &Default::default(),
                )
                .ok(),
            );
        });
}

#[divan::bench]
fn check_and_derive(bencher: divan::Bencher) {
    bencher
        .with_inputs(|| {
            let mut sources = SourceMap::default();
            let raw = content::load_year(
                &root(),
                2569,
                &mut sources,
                &Default::default(),
                &Default::default(),
            )
            .ok()
            .unwrap();
            (raw, sources)
        })
        .bench_values(|(raw, sources)| {
            let fonts = oit025::fonts::ProjectFonts::none();
            let (report, texts) = model::check(raw, &sources, fonts.coverage()).unwrap();
            divan::black_box(texts.run(fonts.coverage()));
            let mut warnings = Default::default();
            divan::black_box(derive::derive(&report, &mut warnings));
        });
}

#[divan::bench]
fn render_templates(bencher: divan::Bencher) {
    let mut sources = SourceMap::default();
    let checked = pipeline::check(&root(), 2569, &mut sources).ok().unwrap();
    let (report, figures) = (checked.report, checked.figures);
    let env = template::environment(Some(&root().join("templates")), Digits::Thai);
    bencher
        .with_inputs(|| pdf::evict_caches(0))
        .bench_local_values(|()| {
            divan::black_box(template::render(&env, &report, &figures, Digits::Thai).unwrap())
        });
}

#[divan::bench(sample_count = 20)]
fn typst_layout(bencher: divan::Bencher) {
    let mut world = pdf::ReportWorld::new(&root(), source(&root()), None);
    bencher.bench_local(|| {
        pdf::evict_caches(0);
        divan::black_box(
            pdf::layout(&mut world, &mut SourceMap::default())
                .ok()
                .unwrap(),
        );
    });
}

/// The bundled report laid out, ready to export.
fn laid_out() -> (pdf::ReportWorld, pdf::Document) {
    let mut world = pdf::ReportWorld::new(&root(), source(&root()), None);
    let (document, _) = pdf::layout(&mut world, &mut SourceMap::default())
        .ok()
        .unwrap();
    (world, document)
}

#[divan::bench(sample_count = 20)]
fn pdf_export(bencher: divan::Bencher) {
    let (world, document) = laid_out();
    let options = pdf::ExportOptions {
        ident: "bench".into(),
    };
    bencher
        .with_inputs(|| {
            pdf::evict_caches(0);
            pdf::text_layer(false)
        })
        .bench_local_values(|mut text_layer| {
            divan::black_box(
                pdf::export(&world, &document, &options, &mut text_layer)
                    .ok()
                    .unwrap(),
            )
        });
}

/// The text layer on its own (part of `pdf_export`): typst's PDF parsed, its glyphs given their
/// own text, written and compressed again.
#[divan::bench(sample_count = 20)]
fn text_layer(bencher: divan::Bencher) {
    let (world, document) = laid_out();
    let typst_pdf = pdf::export_typst(&world, &document, "bench").ok().unwrap();
    let mut text_layer = pdf::text_layer(false);
    bencher
        .with_inputs(|| typst_pdf.clone())
        .bench_local_values(|bytes| divan::black_box(text_layer.rewrite(bytes).unwrap()));
}

#[divan::bench(sample_count = 20)]
fn whole_build_without_writing() {
    pdf::evict_caches(0);
    let project = Project::open(&root()).unwrap();
    divan::black_box(
        Session::default()
            .produce(&project, 2569, Digits::Thai, &mut SourceMap::default())
            .ok()
            .unwrap()
            .pdf,
    );
}

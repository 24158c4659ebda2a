//! Discovery and loading on the analysis crate's workspace fixtures (a Designer
//! configuration, an EDT extension, a OneScript library) and on the shared corpus.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use bsl_workspace::workspace::{MetadataKind, ProjectFormat};
use bsl_workspace::{discover, load, load_with_report};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../analysis/tests/fixtures/workspace")
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

#[test]
fn discovers_and_loads_the_fixtures() {
    let root = fixtures();
    // The three projects this test is about (the folder also holds the subsystem fixtures).
    let roots: Vec<PathBuf> = ["designer", "edt", "onescript"].iter().map(|d| root.join(d)).collect();
    let projects = discover(&roots);
    let summary: Vec<String> = projects
        .iter()
        .map(|p| {
            let rel = p.root.strip_prefix(&root).unwrap().display().to_string();
            format!("{:?} {rel} {:?} extension={} prefix={:?}", p.format, p.name, p.is_extension, p.name_prefix)
        })
        .collect();
    assert_eq!(
        summary,
        [
            "Designer designer Some(\"Торговля\") extension=false prefix=\"\"",
            "Edt edt Some(\"МоиТесты\") extension=true prefix=\"ЮТ\"",
            "OneScript onescript None extension=false prefix=\"\"",
        ]
    );

    let calls = Mutex::new(Vec::new());
    let (index, report) = load_with_report(&projects, |done, total| calls.lock().unwrap().push((done, total)));
    let calls = calls.into_inner().unwrap();
    let total = calls[0].1;
    assert_eq!(calls.len(), total + 1, "one call before the start and one per file");
    assert!(calls.iter().any(|&(done, _)| done == total));
    assert_eq!((report.modules, report.metadata_files), (7, 12));
    assert!(report.unreadable.is_empty() && report.metadata_errors.is_empty(), "{report:?}");

    assert!(index.exported_method("Общий", "ЗначениеРеквизита").is_some());
    assert!(index.global_method("Сообщить").is_some());
    let common = index.common_module("ЮТОбщий").unwrap();
    assert!(common.flags.is_some_and(|f| f.server && f.client_managed_application));
    assert!(index.manager_module("Справочники", "Товары").is_some());
    let fields: Vec<&str> =
        index.attributes_of(MetadataKind::Catalog, "Товары").iter().map(|a| a.name.as_str()).collect();
    assert_eq!(fields, ["Артикул", "Вид", "ЮТМетка"], "the extension's attribute after the base's");
    assert!(index.onescript_class("Парсер").is_some(), "named by lib.config");
    assert!(index.onescript_module("Утилиты").is_some());
}

#[test]
fn yaxunit_extensions_and_demo_configuration() {
    let root = corpus().join("yaxunit");
    if !root.exists() {
        eprintln!("no corpus at {}", root.display());
        return;
    }
    let projects = discover(std::slice::from_ref(&root));
    let edt: Vec<_> = projects.iter().filter(|p| p.format == ProjectFormat::Edt).collect();
    assert_eq!(edt.len(), 4, "{projects:#?}");
    let extensions: Vec<&str> = edt.iter().filter(|p| p.is_extension).filter_map(|p| p.name.as_deref()).collect();
    assert!(extensions.contains(&"YAXUNIT"), "{extensions:?}");
    let index = load(&projects, |_, _| {});
    let test = index.common_module("ЮТест").expect("the engine's public module");
    assert!(test.flags.is_some_and(|f| f.server && f.client_managed_application));
    assert!(index.exported_method("ЮТест", "ОжидаетЧто").is_some());
    assert!(index.metadata_errors().next().is_none());
}

/// The whole SSL 3.1 dump: every module indexed, the common module everyone calls found.
/// Prints the time; the figures that count come from `examples/bench.rs` in release mode.
#[test]
fn ssl_loads() {
    let root = corpus().join("ssl_3_1");
    if !root.exists() {
        eprintln!("no corpus at {}", root.display());
        return;
    }
    let start = std::time::Instant::now();
    let projects = discover(std::slice::from_ref(&root));
    assert_eq!(projects.len(), 1);
    let (index, report) = load_with_report(&projects, |_, _| {});
    eprintln!("ssl_3_1 (this build's profile): {:?}, peak RSS {:?} kB", start.elapsed(), bsl_workspace::peak_rss_kb());
    assert_eq!(report.modules, 2197);
    assert!(report.unreadable.is_empty() && report.metadata_errors.is_empty());
    let (module, method) = index.exported_method("ОбщегоНазначения", "ЗначениеРеквизитаОбъекта").unwrap();
    assert!(module.path.ends_with("CommonModules/ОбщегоНазначения/Ext/Module.bsl"));
    assert_eq!(method.parameters.first().map(|p| p.name.as_str()), Some("Ссылка"));
    assert!(method.doc.as_deref().is_some_and(|d| d.contains("Параметры:")));
    let common = index.common_module("общегоназначения").unwrap();
    assert!(common.flags.is_some_and(|f| f.server && !f.server_call && !f.global));
    assert!(index.global_modules().count() >= 1);
    assert!(index.manager_module("РегистрыСведений", "КурсыВалют").is_some());
    assert!(index.form_module(MetadataKind::Catalog, "Валюты", "ФормаЭлемента").is_some());
    assert_eq!(index.objects_of_kind(MetadataKind::CommonModule).len(), 561);
}

//! The workspace model on data: path classification, metadata descriptions and the index
//! over small fixtures (compared with `.expected` files; `UPDATE_EXPECT=1` rewrites them),
//! then every metadata file of the shared corpus (SSL 3.1, YAxUnit) read without an error.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use bsl_analysis::ModuleKind;
use bsl_analysis::workspace::{
    FileRole, MetadataKind, MetadataObject, Project, ProjectFormat, WorkspaceIndex, classify,
    is_extension_configuration, parse_lib_config, parse_metadata,
};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workspace")
}

/// Compares with `<name>.expected` beside the fixtures, or writes it under `UPDATE_EXPECT`.
fn check_expected(name: &str, actual: &str) {
    let path = fixtures().join(name);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        fs::write(&path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(&path).unwrap_or_default();
    if expected != actual {
        panic!("{} differs (UPDATE_EXPECT=1 rewrites it):\n--- expected\n{expected}\n--- actual\n{actual}", name);
    }
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn sorted_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    files_under(dir, &mut files);
    files.sort();
    files
}

#[test]
fn layout_classifies_paths() {
    let list = fs::read_to_string(fixtures().join("layout.txt")).unwrap();
    let mut out = String::new();
    for line in list.lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let rendered = match classify(Path::new(line)) {
            None => "-".to_string(),
            Some(l) => {
                let role = match l.role {
                    FileRole::Module(kind) => kind.name().to_string(),
                    other => format!("{other:?}"),
                };
                let mut s = format!("{:?} root={:?} {role}", l.format, l.root.display().to_string());
                if let Some(o) = &l.object {
                    write!(s, " {}.{}", o.kind.name(), o.name).unwrap();
                }
                if let Some(f) = &l.form {
                    write!(s, " form={f}").unwrap();
                }
                if let Some(c) = &l.command {
                    write!(s, " command={c}").unwrap();
                }
                s
            }
        };
        writeln!(out, "{line}\n    {rendered}").unwrap();
    }
    check_expected("layout.expected", &out);
}

fn render_object(o: &MetadataObject) -> String {
    let mut s = format!("{} {}", o.kind.name(), o.name);
    if let Some(syn) = &o.synonym {
        write!(s, " «{syn}»").unwrap();
    }
    if o.adopted {
        s.push_str(" adopted");
    }
    s.push('\n');
    let fields = |s: &mut String, label: &str, list: &[bsl_analysis::workspace::Attribute]| {
        for a in list {
            write!(s, "  {label} {}", a.name).unwrap();
            if let Some(syn) = &a.synonym {
                write!(s, " «{syn}»").unwrap();
            }
            if !a.types.is_empty() {
                write!(s, ": {}", a.types.join(" | ")).unwrap();
            }
            s.push('\n');
        }
    };
    fields(&mut s, "attribute", &o.attributes);
    for t in &o.tabular_sections {
        writeln!(s, "  tabular section {}", t.name).unwrap();
        fields(&mut s, "  attribute", &t.attributes);
    }
    fields(&mut s, "dimension", &o.dimensions);
    fields(&mut s, "resource", &o.resources);
    fields(&mut s, "enum value", &o.enum_values);
    fields(&mut s, "column", &o.columns);
    for (label, list) in [("form", &o.forms), ("command", &o.commands), ("template", &o.templates)] {
        for name in list {
            writeln!(s, "  {label} {name}").unwrap();
        }
    }
    if let Some(flags) = &o.common_module {
        writeln!(s, "  flags {flags:?}").unwrap();
    }
    for item in &o.content {
        writeln!(s, "  content {item}").unwrap();
    }
    for item in &o.subsystems {
        writeln!(s, "  subsystem {item}").unwrap();
    }
    if let Some(c) = &o.configuration {
        writeln!(
            s,
            "  script {:?}, extension {} ({:?}), prefix {:?}",
            c.script_variant, c.is_extension, c.extension_purpose, c.name_prefix
        )
        .unwrap();
        for child in &c.children {
            writeln!(s, "  child {}.{}", child.kind.name(), child.name).unwrap();
        }
    }
    s
}

#[test]
fn metadata_fixtures() {
    let root = fixtures();
    let mut out = String::new();
    for path in sorted_files(&root) {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if ext != "xml" && ext != "mdo" {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let rel = path.strip_prefix(&root).unwrap().display().to_string();
        let rendered = match parse_metadata(&text) {
            Ok(object) => render_object(&object),
            Err(e) => format!("error {e}\n"),
        };
        writeln!(out, "== {rel}\n{rendered}").unwrap();
    }
    check_expected("metadata.expected", &out);
}

#[test]
fn extension_markers() {
    let root = fixtures();
    let designer = fs::read_to_string(root.join("designer/Configuration.xml")).unwrap();
    let edt = fs::read_to_string(root.join("edt/src/Configuration/Configuration.mdo")).unwrap();
    assert!(!is_extension_configuration(&designer));
    assert!(is_extension_configuration(&edt));
}

/// The fixtures as one workspace: a Designer configuration, an EDT extension, a OneScript
/// library.
fn fixture_index() -> WorkspaceIndex {
    let root = fixtures();
    let mut index = WorkspaceIndex::new();
    index.add_project(Project::new(root.join("designer"), ProjectFormat::Designer));
    let mut extension = Project::new(root.join("edt"), ProjectFormat::Edt);
    extension.is_extension = true;
    extension.name_prefix = "ЮТ".into();
    index.add_project(extension);
    index.add_project(Project::new(root.join("onescript"), ProjectFormat::OneScript));
    // The extension first: the base configuration's files must still come first.
    let mut files = sorted_files(&root.join("edt"));
    files.extend(sorted_files(&root.join("designer")));
    files.extend(sorted_files(&root.join("onescript")));
    for path in files {
        let text = fs::read_to_string(&path).unwrap();
        index.update_file(&path, &text).unwrap();
    }
    index
}

#[test]
fn index_lookups() {
    let root = fixtures();
    let index = fixture_index();
    let rel = |p: &Path| p.strip_prefix(&root).unwrap().display().to_string();
    let mut out = String::new();
    writeln!(out, "modules {}", index.module_count()).unwrap();
    for (kind, count) in index.object_counts() {
        writeln!(out, "objects {} {count}", kind.name()).unwrap();
    }
    for name in ["общий", "ЮТОбщий", "Нет"] {
        match index.common_module(name) {
            Some(m) => {
                let files: Vec<String> = m.modules.iter().map(|p| rel(p)).collect();
                writeln!(out, "common_module({name}) = {} {:?} {files:?}", m.name, m.flags).unwrap();
            }
            None => writeln!(out, "common_module({name}) = none").unwrap(),
        }
    }
    for (module, method) in [("Общий", "значениеРеквизита"), ("Общий", "Служебная"), ("ЮТОбщий", "Проверить")]
    {
        match index.exported_method(module, method) {
            Some((m, info)) => {
                let params: Vec<String> = info
                    .parameters
                    .iter()
                    .map(|p| {
                        let val = if p.by_value { "Знач " } else { "" };
                        let default = p.default.as_deref().map(|d| format!(" = {d}")).unwrap_or_default();
                        format!("{val}{}{default}", p.name)
                    })
                    .collect();
                writeln!(
                    out,
                    "exported_method({module}, {method}) = {} line {} ({}) in {}\n  doc {:?}",
                    info.name,
                    info.line,
                    params.join(", "),
                    rel(&m.path),
                    info.doc
                )
                .unwrap();
            }
            None => writeln!(out, "exported_method({module}, {method}) = none").unwrap(),
        }
    }
    for name in ["Сообщить", "Служебная"] {
        let found = index.global_method(name).map(|(m, info)| format!("{}.{}", m.name, info.name));
        writeln!(out, "global_method({name}) = {found:?}").unwrap();
    }
    for (manager, object) in [("Справочники", "Товары"), ("Catalogs", "товары"), ("Документы", "Товары")]
    {
        let found = index.manager_module(manager, object).map(|m| rel(&m.path));
        writeln!(out, "manager_module({manager}, {object}) = {found:?}").unwrap();
    }
    let form = index.form_module(MetadataKind::Catalog, "Товары", "ФормаЭлемента").map(|m| rel(&m.path));
    writeln!(out, "form_module(Catalog, Товары, ФормаЭлемента) = {form:?}").unwrap();
    for kind in [MetadataKind::Catalog, MetadataKind::Subsystem, MetadataKind::AccumulationRegister] {
        writeln!(out, "objects_of_kind({}) = {:?}", kind.name(), index.objects_of_kind(kind)).unwrap();
    }
    for (kind, name) in [(MetadataKind::Catalog, "Товары"), (MetadataKind::InformationRegister, "Цены")] {
        let names: Vec<&str> = index.attributes_of(kind, name).iter().map(|a| a.name.as_str()).collect();
        writeln!(out, "attributes_of({}, {name}) = {names:?}", kind.name()).unwrap();
    }
    for name in ["Парсер", "Утилиты", "ПарсерАргументов"] {
        let class = index.onescript_class(name).map(|m| (rel(&m.path), m.kind.name()));
        let module = index.onescript_module(name).map(|m| (rel(&m.path), m.kind.name()));
        writeln!(out, "onescript({name}) = class {class:?}, module {module:?}").unwrap();
    }
    let session = index.modules().find(|m| m.kind == ModuleKind::Session).map(|m| rel(&m.path));
    writeln!(out, "session module = {session:?}").unwrap();
    let mut errors: Vec<String> = index.metadata_errors().map(|(p, e)| format!("{}: {e}", rel(p))).collect();
    errors.sort();
    for error in errors {
        writeln!(out, "metadata error {error}").unwrap();
    }
    check_expected("index.expected", &out);
}

#[test]
fn index_updates_and_removals() {
    let root = fixtures();
    let mut index = fixture_index();
    let module = root.join("designer/CommonModules/Общий/Ext/Module.bsl");
    assert!(index.exported_method("Общий", "Сообщить").is_some());
    index.update_file(&module, "Процедура Новая() Экспорт\nКонецПроцедуры\n").unwrap();
    assert!(index.exported_method("Общий", "Сообщить").is_none());
    assert!(index.global_method("Новая").is_some());
    index.remove_file(&module);
    assert!(index.exported_method("Общий", "Новая").is_none());
    assert!(index.common_module("Общий").is_some_and(|m| m.modules.is_empty()), "the description stays");
    index.remove_file(&root.join("designer/CommonModules/Общий.xml"));
    assert!(index.common_module("Общий").is_none());

    let catalog = root.join("edt/src/Catalogs/Товары/Товары.mdo");
    assert!(index.attributes_of(MetadataKind::Catalog, "Товары").iter().any(|a| a.name == "ЮТМетка"));
    assert!(index.update_file(&catalog, "<broken").is_err());
    assert!(!index.attributes_of(MetadataKind::Catalog, "Товары").iter().any(|a| a.name == "ЮТМетка"));
    assert_eq!(index.metadata_errors().count(), 1);
    index.remove_file(&catalog);
    assert_eq!(index.metadata_errors().count(), 0);

    let lib = parse_lib_config(&fs::read_to_string(root.join("onescript/lib.config")).unwrap()).unwrap();
    assert_eq!(lib.len(), 2);
    index.add_lib_config(&root.join("onescript"), Vec::new());
    assert!(index.onescript_class("Парсер").is_none());
    assert!(index.onescript_class("ПарсерАргументов").is_some());
}

// ----- the shared corpus -----

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

/// Every object description of a project (what `classify` calls metadata), parsed.
fn parse_corpus_metadata(dir: &Path) -> Vec<(PathBuf, MetadataObject)> {
    let mut objects = Vec::new();
    let mut errors = Vec::new();
    for path in sorted_files(dir) {
        let rel = path.strip_prefix(dir).unwrap();
        let Some(location) = classify(rel) else { continue };
        if !matches!(location.role, FileRole::ObjectMetadata | FileRole::ConfigurationMetadata) {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        match parse_metadata(&text) {
            Ok(object) => {
                if let Some(expected) = &location.object {
                    assert_eq!((object.kind, object.name.as_str()), (expected.kind, expected.name.as_str()), "{rel:?}");
                }
                objects.push((path, object));
            }
            Err(e) => errors.push(format!("{}: {e}", rel.display())),
        }
    }
    assert!(errors.is_empty(), "{errors:#?}");
    objects
}

#[test]
fn ssl_metadata() {
    let dir = corpus().join("ssl_3_1/src/cf");
    if !dir.exists() {
        eprintln!("no corpus at {}", dir.display());
        return;
    }
    let objects = parse_corpus_metadata(&dir);
    // Every .xml of the dump but `Ext/Splash.xml` and `Ext/MainSectionPicture.xml`.
    assert_eq!(objects.len(), 2640);
    let find = |kind: MetadataKind, name: &str| {
        objects.iter().map(|(_, o)| o).find(|o| o.kind == kind && o.name == name).unwrap_or_else(|| panic!("{name}"))
    };
    let common = find(MetadataKind::CommonModule, "ОбщегоНазначения").common_module.unwrap();
    assert!(common.server && common.external_connection && common.client_ordinary_application);
    assert!(!common.server_call && !common.global && !common.client_managed_application && !common.privileged);
    let call = find(MetadataKind::CommonModule, "ОбщегоНазначенияВызовСервера").common_module.unwrap();
    assert!(call.server && call.server_call);
    assert!(find(MetadataKind::CommonModule, "ОбщегоНазначенияГлобальный").common_module.unwrap().global);
    let reuse = find(MetadataKind::CommonModule, "ОбщегоНазначенияКлиентПовтИсп").common_module.unwrap();
    assert_ne!(reuse.return_values_reuse, bsl_analysis::workspace::ReturnValuesReuse::DontUse);

    let currencies = find(MetadataKind::Catalog, "Валюты");
    assert!(currencies.forms.iter().any(|f| f == "ФормаСписка"));
    assert!(currencies.forms.iter().any(|f| f == "ФормаЭлемента"));
    assert!(currencies.attributes.iter().any(|a| a.name == "ОсновнаяВалюта" && a.types == ["CatalogRef.Валюты"]));
    assert!(currencies.tabular_sections.iter().any(|t| t.name == "Представления" && !t.attributes.is_empty()));

    let configuration = find(MetadataKind::Configuration, "БиблиотекаСтандартныхПодсистем");
    let info = configuration.configuration.as_ref().unwrap();
    assert!(!info.is_extension);
    assert_eq!(info.script_variant, bsl_analysis::workspace::ScriptVariant::Russian);
    // The configuration lists every object that has a description, and the dump has a
    // description for every object it lists (nested subsystems are listed by their parent).
    let listed = info.children.len();
    let described = objects.iter().filter(|(p, o)| o.kind != MetadataKind::Configuration && !is_nested(p)).count();
    assert_eq!(listed, described);

    let count = |kind: MetadataKind| objects.iter().filter(|(_, o)| o.kind == kind).count();
    assert_eq!(count(MetadataKind::CommonModule), 561);
    assert_eq!(count(MetadataKind::Catalog), 74);
    assert_eq!(count(MetadataKind::InformationRegister), 192);
    assert_eq!(count(MetadataKind::Enum), 104);
    assert!(objects.iter().filter(|(_, o)| o.kind == MetadataKind::Enum).all(|(_, o)| !o.enum_values.is_empty()));
    let subsystems = objects.iter().filter(|(_, o)| o.kind == MetadataKind::Subsystem);
    assert!(subsystems.clone().any(|(_, o)| !o.content.is_empty()));
    let registers = objects.iter().filter(|(_, o)| o.kind == MetadataKind::InformationRegister);
    assert!(registers.clone().all(|(_, o)| !o.dimensions.is_empty() || !o.resources.is_empty()));
}

fn is_nested(path: &Path) -> bool {
    path.components().filter(|c| c.as_os_str() == "Subsystems").count() > 1
}

#[test]
fn yaxunit_metadata() {
    let dir = corpus().join("yaxunit");
    if !dir.exists() {
        eprintln!("no corpus at {}", dir.display());
        return;
    }
    let objects = parse_corpus_metadata(&dir);
    assert_eq!(objects.len(), 456, "every .mdo is an object description");
    let configurations: Vec<&MetadataObject> =
        objects.iter().map(|(_, o)| o).filter(|o| o.kind == MetadataKind::Configuration).collect();
    assert_eq!(configurations.len(), 4);
    let yaxunit = configurations.iter().find(|c| c.name == "YAXUNIT").unwrap();
    let info = yaxunit.configuration.as_ref().unwrap();
    assert!(info.is_extension);
    assert_eq!(info.name_prefix, "ЮТ");
    assert_eq!(info.extension_purpose.as_deref(), Some("AddOn"));
    let demo = configurations.iter().find(|c| c.name == "ДемонстрационноеПриложение").unwrap();
    assert!(!demo.configuration.as_ref().unwrap().is_extension);
    for (path, object) in &objects {
        if object.kind == MetadataKind::Configuration {
            let text = fs::read_to_string(path).unwrap();
            assert_eq!(is_extension_configuration(&text), object.configuration.as_ref().unwrap().is_extension);
        }
    }
    let test = objects.iter().map(|(_, o)| o).find(|o| o.name == "ЮТест").unwrap();
    let flags = test.common_module.unwrap();
    assert!(flags.server && flags.client_managed_application && !flags.server_call && !flags.global);
    let count = |kind: MetadataKind| objects.iter().filter(|(_, o)| o.kind == kind).count();
    assert_eq!(count(MetadataKind::CommonModule), 185);
    assert_eq!(count(MetadataKind::Catalog), 23);
    let documents = objects.iter().map(|(_, o)| o).filter(|o| o.kind == MetadataKind::Document);
    assert!(documents.clone().any(|d| d.tabular_sections.iter().any(|t| !t.attributes.is_empty())));
}

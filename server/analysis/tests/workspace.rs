//! The workspace model on data: path classification, metadata descriptions, the index and
//! the subsystem tree over small fixtures (compared with `.expected` files; `UPDATE_EXPECT=1`
//! rewrites them), then every metadata file of the shared corpus (SSL 3.1, YAxUnit) read
//! without an error and its subsystems put into a tree.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use bsl_analysis::ModuleKind;
use bsl_analysis::workspace::{
    FileRole, MetadataKind, MetadataObject, Project, ProjectFormat, SubsystemLevel, SubsystemTree, WorkspaceIndex,
    classify, is_extension_configuration, parse_lib_config, parse_metadata, subsystem_path,
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

// ----- subsystems -----

/// A project of the subsystem fixtures (`subsystems/designer`, `subsystems/edt`): every file
/// through `update_file`, broken ones included.
fn subsystem_fixture(layout: &str, format: ProjectFormat) -> (PathBuf, WorkspaceIndex) {
    let root = fixtures().join("subsystems").join(layout);
    let mut index = WorkspaceIndex::new();
    index.add_project(Project::new(&root, format));
    for path in sorted_files(&root) {
        let text = fs::read_to_string(&path).unwrap();
        let _ = index.update_file(&path, &text);
    }
    (root, index)
}

fn render_tree(tree: &SubsystemTree, root: &Path) -> String {
    let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    let mut out = String::new();
    for s in tree.subsystems() {
        let pad = "  ".repeat(s.depth() - 1);
        write!(out, "{pad}{}", s.full_name()).unwrap();
        if let Some(synonym) = &s.synonym {
            write!(out, " «{synonym}»").unwrap();
        }
        let files: Vec<String> = s.files.iter().map(|f| rel(f)).collect();
        writeln!(out, " {files:?}").unwrap();
        for object in &s.content {
            writeln!(out, "{pad}  - {}.{}", object.kind.name(), object.name).unwrap();
        }
        for item in &s.unknown_content {
            writeln!(out, "{pad}  ? {item}").unwrap();
        }
    }
    for (path, error) in tree.broken() {
        writeln!(out, "broken {}: {error}", rel(path)).unwrap();
    }
    writeln!(out, "max depth {}", tree.max_depth()).unwrap();
    out
}

#[test]
fn subsystem_path_from_file_paths() {
    let cases = [
        ("cf/Subsystems/А.xml", Some(vec!["А"])),
        ("cf/Subsystems/А/Subsystems/Б/Subsystems/В.xml", Some(vec!["А", "Б", "В"])),
        ("p/src/Subsystems/А/А.mdo", Some(vec!["А"])),
        ("p/src/Subsystems/А/Subsystems/Б/Б.mdo", Some(vec!["А", "Б"])),
        ("p/src/Subsystems/А/Subsystems/Б/В.mdo", None),
        ("cf/CommonModules/А.xml", None),
        ("cf/Subsystems/А/Ext/CommandInterface.xml", None),
    ];
    for (path, expected) in cases {
        let expected = expected.map(|names| names.into_iter().map(String::from).collect::<Vec<_>>());
        assert_eq!(subsystem_path(Path::new(path)), expected, "{path}");
    }
}

#[test]
fn subsystem_trees_of_both_layouts() {
    let mut out = String::new();
    for (layout, format) in [("designer", ProjectFormat::Designer), ("edt", ProjectFormat::Edt)] {
        let (root, index) = subsystem_fixture(layout, format);
        let tree = SubsystemTree::build(&index);
        writeln!(out, "== {layout}\n{}", render_tree(&tree, &root)).unwrap();
    }
    check_expected("subsystems/tree.expected", &out);

    let (_, index) = subsystem_fixture("designer", ProjectFormat::Designer);
    let tree = SubsystemTree::build(&index);
    let id = |name: &str| tree.find(name).unwrap_or_else(|| panic!("{name}"));
    // Listed by the parent with a broken file, or with none: in the tree, without content.
    for name in ["Сервис.Отчеты", "Сервис.Архив"] {
        assert!(!tree.get(id(name)).is_described() && tree.get(id(name)).content.is_empty(), "{name}");
    }
    assert_eq!(tree.broken().len(), 1);
    assert_eq!(index.metadata_errors().count(), 1);
    // An object in two subsystems counts for both, folded to the level asked.
    let common = tree.containing(MetadataKind::CommonModule, "общегоназначения");
    assert_eq!(common, [id("Сервис"), id("Торговля.Закупки")]);
    let top = tree.folded_containing(MetadataKind::CommonModule, "ОбщегоНазначения", SubsystemLevel::Depth(1));
    assert_eq!(top, [id("Сервис"), id("Торговля")]);
    assert_eq!(tree.fold(id("Торговля.Продажи.Скидки"), SubsystemLevel::Depth(2)), id("Торговля.Продажи"));
    let under = SubsystemLevel::Under { focus: id("Торговля"), depth: 1 };
    assert_eq!(tree.fold(id("Сервис.Журнал"), under), id("Сервис"));
    assert_eq!(tree.fold(id("Торговля.Продажи.Скидки"), under), id("Торговля.Продажи"));

    // EDT: two nested subsystems named `Учет`, one entry of the index, two of the tree.
    let (_, index) = subsystem_fixture("edt", ProjectFormat::Edt);
    let tree = SubsystemTree::build(&index);
    assert_eq!(index.objects_of_kind(MetadataKind::Subsystem), ["Партии", "Склад", "Учет", "Финансы"]);
    assert_eq!(tree.len(), 5);
    assert_eq!(tree.find("Учет"), None, "ambiguous without its parent");
    let (stock, finance) = (tree.find("склад.учет").unwrap(), tree.find("Финансы.Учет").unwrap());
    assert_ne!(stock, finance);
    assert_eq!(tree.containing(MetadataKind::CommonModule, "Учет"), [stock, finance]);
    assert_eq!(tree.get(tree.find("Склад.Учет.Партии").unwrap()).parent, Some(stock));
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

/// SSL's dump keeps only the top-level subsystems' files: the nested ones (70 under
/// `СтандартныеПодсистемы`, one under `Администрирование`) are known from their parents'
/// lists, without content.
#[test]
fn ssl_subsystem_tree() {
    let dir = corpus().join("ssl_3_1/src/cf");
    if !dir.exists() {
        eprintln!("no corpus at {}", dir.display());
        return;
    }
    let mut index = WorkspaceIndex::new();
    index.add_project(Project::new(&dir, ProjectFormat::Designer));
    for (path, object) in parse_corpus_metadata(&dir) {
        index.add_metadata(&path, object);
    }
    let tree = SubsystemTree::build(&index);
    let roots: Vec<String> = tree.roots().map(|id| tree.get(id).full_name()).collect();
    assert_eq!(roots, ["Администрирование", "ПодключаемыеОтчетыИОбработки", "СтандартныеПодсистемы"]);
    assert_eq!(tree.len(), 74);
    assert_eq!(tree.max_depth(), 2);
    let base = tree.find("СтандартныеПодсистемы.БазоваяФункциональность").expect("nested subsystems are in the tree");
    assert_eq!(tree.get(base).depth(), 2);
    assert!(!tree.get(base).is_described());
    let standard = tree.find("СтандартныеПодсистемы").unwrap();
    assert_eq!(tree.get(standard).children.len(), 70);
    assert_eq!(tree.get(standard).synonym.as_deref(), Some("Стандартные подсистемы"));
    let admin = tree.find("Администрирование").unwrap();
    assert_eq!(tree.get(admin).content.len(), 94);
    assert!(tree.get(admin).unknown_content.is_empty());
    assert_eq!(tree.containing(MetadataKind::Catalog, "Пользователи"), [admin]);
    assert_eq!(tree.subsystems().iter().filter(|s| s.is_described()).count(), 3);
}

/// YAxUnit's EDT projects keep every nested subsystem, three levels deep, and reuse names
/// under different parents.
#[test]
fn yaxunit_subsystem_tree() {
    let dir = corpus().join("yaxunit");
    if !dir.exists() {
        eprintln!("no corpus at {}", dir.display());
        return;
    }
    let mut index = WorkspaceIndex::new();
    for (path, object) in parse_corpus_metadata(&dir) {
        index.add_metadata(&path, object);
    }
    let tree = SubsystemTree::build(&index);
    assert_eq!(tree.len(), 34, "one per .mdo: no two projects share a subsystem's path");
    assert!(tree.subsystems().iter().all(|s| s.is_described()));
    assert!(index.objects_of_kind(MetadataKind::Subsystem).len() < tree.len(), "names repeat under other parents");
    assert_eq!(tree.max_depth(), 3);
    let mock = tree.find("ЮТДвижок.ЮТТестовыеДанные.ЮТПодражатель").unwrap();
    assert_eq!(tree.get(mock).depth(), 3);
    assert_eq!(tree.find("ОбработчикиСобытий"), None, "three subsystems have that name");
    let service = tree.find("ЮТДвижок.ЮТСервис").unwrap();
    assert_eq!(tree.get(service).content.len(), 71);
    let test = tree.containing(MetadataKind::CommonModule, "ЮТест");
    assert_eq!(test, [tree.find("ЮТДвижок.ЮТИсполнитель").unwrap(), tree.find("ЮТПубличный").unwrap()]);
    let top = tree.folded_containing(MetadataKind::CommonModule, "ЮТест", SubsystemLevel::Depth(1));
    assert_eq!(top, [tree.find("ЮТДвижок").unwrap(), tree.find("ЮТПубличный").unwrap()]);
}

//! Checks of the embedded knowledge base: counts, completeness, names, examples that parse,
//! rule codes that exist, prompt templates, and errors for broken user files.

use std::collections::BTreeSet;
use std::path::Path;

use bsl_knowledge::{GlobalKind, KnowledgeBase, Param, RenderError, fold_name};

fn kb() -> &'static KnowledgeBase {
    KnowledgeBase::embedded()
}

/// Rule codes that the standards may reference: the documented rules plus those being added.
fn known_rule_codes() -> BTreeSet<String> {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules");
    let mut codes: BTreeSet<String> = std::fs::read_dir(&docs)
        .expect("docs/rules exists")
        .filter_map(|e| e.ok()?.path().file_stem()?.to_str().map(str::to_string))
        .filter(|name| name != "README")
        .collect();
    for extra in [
        "CommentedCode",
        "CodeOutOfRegion",
        "NonStandardRegion",
        "MissingSpace",
        "OneStatementPerLine",
        "DuplicateStringLiteral",
        "BadWords",
        "MissingParameterDescription",
        "MissingReturnedValueDescription",
        "UsingHardcodeNetworkAddress",
        "UsingHardcodePath",
        "UsingHardcodeSecretInformation",
        "UsingSynchronousCalls",
        "MissingTemporaryFileDeletion",
        "ServerCallsInFormEvents",
        "TimeoutsInExternalResources",
        "ExcessiveAutoTestCheck",
    ] {
        codes.insert(extra.to_string());
    }
    codes
}

fn parses(code: &str) -> Result<(), String> {
    let parse = bsl_syntax::Parse::new(code);
    if parse.is_valid() { Ok(()) } else { Err(format!("{:?}", parse.errors().first())) }
}

#[test]
fn counts_meet_the_issue() {
    let kb = kb();
    let methods = kb.methods().iter().filter(|m| m.kind == GlobalKind::Method).count();
    let properties = kb.methods().iter().filter(|m| m.kind == GlobalKind::Property).count();
    assert!(methods + properties >= 300, "{methods} global methods + {properties} properties");
    assert!(properties >= 20, "{properties} global properties");
    assert!(kb.types().len() >= 60, "{} types", kb.types().len());
    assert!(kb.standards().len() >= 60, "{} standards", kb.standards().len());
    assert!(kb.yaxunit_methods().len() >= 100, "{} YAxUnit methods", kb.yaxunit_methods().len());
    assert!(kb.prompts().len() >= 8, "{} prompts", kb.prompts().len());
}

#[test]
fn every_global_entry_is_complete() {
    for m in kb().methods() {
        assert!(!m.name_ru.is_empty() && !m.name_en.is_empty(), "{m:?}");
        assert!(m.description.trim().len() >= 10, "{}: description too short", m.name_ru);
        assert!(!m.availability.is_empty(), "{}: no availability", m.name_ru);
        check_params(&m.name_ru, &m.params);
        if m.kind == GlobalKind::Property {
            assert!(m.returns.as_ref().is_some_and(|r| !r.types.is_empty()), "{}: property without a type", m.name_ru);
        }
        if let Some(note) = &m.deprecated {
            assert!(!note.trim().is_empty(), "{}: empty deprecation note", m.name_ru);
        }
    }
}

fn check_params(owner: &str, params: &[Param]) {
    let mut seen = BTreeSet::new();
    for p in params {
        assert!(!p.name_ru.is_empty(), "{owner}: a parameter without a name");
        assert!(seen.insert(fold_name(&p.name_ru)), "{owner}: parameter {} twice", p.name_ru);
        if p.default.is_some() {
            assert!(p.optional, "{owner}.{}: a default on a required parameter", p.name_ru);
        }
    }
}

#[test]
fn every_type_is_complete() {
    for t in kb().types() {
        assert!(!t.name_ru.is_empty() && !t.name_en.is_empty(), "{t:?}");
        assert!(t.description.trim().len() >= 10, "{}: description too short", t.name_ru);
        assert!(!t.availability.is_empty(), "{}", t.name_ru);
        let mut members = BTreeSet::new();
        for m in &t.methods {
            assert!(members.insert(fold_name(&m.name_ru)), "{}.{} twice", t.name_ru, m.name_ru);
            check_params(&format!("{}.{}", t.name_ru, m.name_ru), &m.params);
        }
        for p in &t.properties {
            assert!(!p.types.is_empty(), "{}.{}: property without a type", t.name_ru, p.name_ru);
        }
        for c in &t.constructors {
            check_params(&format!("Новый {}", t.name_ru), &c.params);
        }
    }
}

#[test]
fn global_names_are_unique_in_both_languages() {
    let mut seen = BTreeSet::new();
    for m in kb().methods() {
        assert!(seen.insert(fold_name(&m.name_ru)), "duplicate {}", m.name_ru);
        if fold_name(&m.name_en) != fold_name(&m.name_ru) {
            assert!(seen.insert(fold_name(&m.name_en)), "duplicate {}", m.name_en);
        }
    }
}

#[test]
fn required_global_entries_exist() {
    for name in [
        "НСтр",
        "СтрШаблон",
        "СтрНайти",
        "СтрРазделить",
        "СтрСоединить",
        "Формат",
        "ТекущаяДатаСеанса",
        "ТипЗнч",
        "ЗначениеЗаполнено",
        "Сообщить",
        "ПоказатьПредупреждение",
        "НачатьТранзакцию",
        "ЗафиксироватьТранзакцию",
        "ОтменитьТранзакцию",
        "ТранзакцияАктивна",
        "ПолучитьИмяВременногоФайла",
        "УдалитьФайлы",
        "ЗаписатьJSON",
        "ПрочитатьJSON",
        "XMLСтрока",
        "XMLЗначение",
        "ФоновыеЗадания",
        "ЗаписьЖурналаРегистрации",
        "ПоместитьВоВременноеХранилище",
        "ПредопределенноеЗначение",
    ] {
        assert!(kb().method(name).is_some(), "missing global entry {name}");
    }
    assert_eq!(kb().method("ФоновыеЗадания").unwrap().kind, GlobalKind::Property);
}

#[test]
fn required_types_exist() {
    for name in [
        "Запрос",
        "РезультатЗапроса",
        "ВыборкаИзРезультатаЗапроса",
        "Массив",
        "ФиксированныйМассив",
        "Структура",
        "ФиксированнаяСтруктура",
        "Соответствие",
        "ФиксированноеСоответствие",
        "ТаблицаЗначений",
        "СтрокаТаблицыЗначений",
        "ДеревоЗначений",
        "СписокЗначений",
        "ЧтениеJSON",
        "ЗаписьJSON",
        "ЧтениеXML",
        "ЗаписьXML",
        "HTTPСоединение",
        "HTTPЗапрос",
        "HTTPОтвет",
        "ТекстовыйДокумент",
        "ТабличныйДокумент",
        "ДвоичныеДанные",
        "УникальныйИдентификатор",
        "БлокировкаДанных",
        "ЭлементБлокировкиДанных",
        "ОписаниеОповещения",
        "ОписаниеТипов",
        "Файл",
        "ЧтениеТекста",
        "ЗаписьТекста",
        "ХранилищеЗначения",
        "МенеджерВременныхТаблиц",
        "ПостроительЗапроса",
        "СхемаКомпоновкиДанных",
        "СправочникОбъект",
        "СправочникМенеджер",
        "СправочникСсылка",
        "СправочникВыборка",
        "ДокументОбъект",
        "ДокументМенеджер",
        "ДокументСсылка",
        "РегистрСведенийНаборЗаписей",
        "РегистрСведенийМенеджер",
        "РегистрНакопленияНаборЗаписей",
        "ПеречислениеМенеджер",
        "ОбработкаОбъект",
        "ОтчетОбъект",
        "ПланОбменаОбъект",
        "БизнесПроцессОбъект",
        "ЗадачаОбъект",
    ] {
        assert!(kb().type_(name).is_some(), "missing type {name}");
    }
}

#[test]
fn lookups_work_in_both_languages_and_any_case() {
    let kb = kb();
    let find = kb.method("стрнайти").expect("СтрНайти");
    assert_eq!(find.name_en, "StrFind");
    assert!(std::ptr::eq(find, kb.method("StrFind").unwrap()));
    assert!(std::ptr::eq(find, kb.method("STRFIND").unwrap()));
    assert!(find.signature().starts_with("СтрНайти(Строка, ПодстрокаПоиска, [НаправлениеПоиска]"));
    assert_eq!(kb.type_("Запрос").unwrap().name_en, "Query");
    assert_eq!(kb.type_("query").unwrap().name_ru, "Запрос");
    assert!(kb.type_("Запрос").unwrap().method("выполнить").is_some());
    // Completion after `Запрос.` and `Массив.` needs the members.
    assert!(kb.type_("Запрос").unwrap().methods.len() >= 5);
    assert!(kb.type_("ТаблицаЗначений").unwrap().methods.len() >= 10);
    assert!(kb.type_("Query").unwrap().method("SetParameter").is_some());
    assert_eq!(kb.type_("СправочникОбъект.Контрагенты").unwrap().name_ru, "СправочникОбъект.<Имя>");
    assert_eq!(kb.type_("CatalogRef").unwrap().name_ru, "СправочникСсылка.<Имя>");
    assert!(kb.type_("НетТакогоТипа").is_none());
    assert!(kb.method("НетТакогоМетода").is_none());
    assert_eq!(kb.standard(456).unwrap().topic, None);
    assert!(kb.standard_by_key("456/line-length").is_some() || kb.standards_numbered(456).count() > 1);
    assert!(!kb.standards_for_rule("DeprecatedCurrentDate").is_empty());
}

#[test]
fn hover_shows_signature_and_availability() {
    let hover = kb().method("СтрНайти").unwrap().hover_markdown();
    assert!(hover.starts_with("```bsl\nСтрНайти(Строка, ПодстрокаПоиска"), "{hover}");
    assert!(hover.contains("**Доступность:** сервер, тонкий клиент, веб-клиент"), "{hover}");
    assert!(hover.contains("`НомерВхождения`: Число (необязательный, по умолчанию `1`)"), "{hover}");
    let hover = kb().method("ТекущаяДата").unwrap().hover_markdown();
    assert!(hover.contains("**Не рекомендуется:**") && hover.contains("ТекущаяДатаСеанса"), "{hover}");
}

#[test]
fn availability_reflects_where_code_runs() {
    let kb = kb();
    let everywhere = kb.method("ТекущаяДатаСеанса").unwrap().availability;
    assert!(everywhere.on_client() && everywhere.on_server() && everywhere.web_client);
    let server_only = kb.method("НачатьТранзакцию").unwrap().availability;
    assert!(server_only.server && !server_only.on_client());
    let client_only = kb.method("ПоказатьПредупреждение").unwrap().availability;
    assert!(client_only.thin_client && client_only.web_client && !client_only.server);
    assert!(!kb.method("КаталогВременныхФайлов").unwrap().availability.web_client);
    assert!(kb.method("ТекущаяДата").unwrap().deprecated.is_some());
    assert!(kb.method("Найти").unwrap().deprecated.as_deref().unwrap().contains("СтрНайти"));
}

/// The article numbers listed in the shared standards reference, each of which has an entry.
const REFERENCE_NUMBERS: [u32; 43] = [
    455, 453, 418, 436, 499, 783, 761, 640, 454, 647, 456, 441, 444, 439, 469, 639, 643, 703, 496, 737, 770, 547, 773,
    686, 437, 434, 435, 412, 654, 655, 657, 658, 777, 740, 748, 542, 409, 404, 544, 460, 485, 726, 693,
];

#[test]
fn every_referenced_standard_has_an_entry() {
    for number in REFERENCE_NUMBERS {
        assert!(kb().standard(number).is_some(), "no entry for standard {number}");
    }
}

#[test]
fn standards_are_complete_and_their_examples_parse() {
    let codes = known_rule_codes();
    let mut keys = BTreeSet::new();
    let mut failures = Vec::new();
    for s in kb().standards() {
        assert!(keys.insert(s.key()), "duplicate standard key {}", s.key());
        assert!(s.summary.len() >= 40, "{}: summary too short", s.key());
        assert!(!s.reason.trim().is_empty(), "{}", s.key());
        assert_ne!(s.bad.trim(), s.good.trim(), "{}: the bad and good examples are the same", s.key());
        for code in &s.rules {
            assert!(codes.contains(code), "{}: unknown rule code {code}", s.key());
        }
        for (which, code) in [("bad", &s.bad), ("good", &s.good)] {
            if let Err(e) = parses(code) {
                failures.push(format!("{} {which}: {e}", s.key()));
            }
        }
    }
    assert!(failures.is_empty(), "examples that do not parse:\n{}", failures.join("\n"));
    // Every numbered topic also has a main entry, so that `standard(n)` finds the article.
    for s in kb().standards() {
        assert!(kb().standard(s.number).is_some_and(|main| main.topic.is_none()), "{} has no main entry", s.number);
    }
}

/// The public modules of the YAxUnit engine (internal modules contain `Служебный`).
const YAXUNIT_MODULES: [&str; 24] = [
    "Мокито",
    "МокитоОбучение",
    "МокитоПроверки",
    "ЮТЗапросы",
    "ЮТИсключения",
    "ЮТКоллекции",
    "ЮТКонструкторВариантов",
    "ЮТКонтекстТеста",
    "ЮТЛогирование",
    "ЮТМетаданные",
    "ЮТМетоды",
    "ЮТНастройкиВыполнения",
    "ЮТОбщий",
    "ЮТОкружение",
    "ЮТПодражатель",
    "ЮТПредикаты",
    "ЮТСтроки",
    "ЮТТестовыеДанные",
    "ЮТТесты",
    "ЮТУтверждения",
    "ЮТУтвержденияИБ",
    "ЮТФабрика",
    "ЮТФайлы",
    "ЮТест",
];

#[test]
fn yaxunit_names_are_the_engines() {
    let kb = kb();
    for module in ["ЮТест", "ЮТТесты", "ЮТУтверждения", "ЮТТестовыеДанные", "Мокито"]
    {
        assert!(kb.yaxunit_module(module).is_some(), "no module {module}");
        assert!(kb.yaxunit_methods_of(module).count() >= 5, "few methods of {module}");
    }
    for m in kb.yaxunit_modules() {
        assert!(YAXUNIT_MODULES.contains(&m.name.as_str()), "{} is not a public YAxUnit module", m.name);
    }
    let mut failures = Vec::new();
    for m in kb.yaxunit_methods() {
        assert!(YAXUNIT_MODULES.contains(&m.module.as_str()), "{}.{}: not a public module", m.module, m.name);
        assert!(kb.yaxunit_module(&m.module).is_some(), "{}: module not described", m.module);
        if let Some(example) = &m.example {
            assert!(!example.contains("ЮТДанные."), "{}.{}: ЮТДанные does not exist", m.module, m.name);
            if let Err(e) = parses(example) {
                failures.push(format!("{}.{}: {e}", m.module, m.name));
            }
        }
        check_params(&format!("{}.{}", m.module, m.name), &m.params);
    }
    for a in kb.articles() {
        if let Some(example) = &a.example
            && let Err(e) = parses(example)
        {
            failures.push(format!("article {}: {e}", a.id));
        }
    }
    assert!(failures.is_empty(), "examples that do not parse:\n{}", failures.join("\n"));
    assert!(kb.article("yaxunit-registration").is_some());
}

/// Where the engine's sources are available, every method we describe is exported there.
#[test]
fn yaxunit_methods_exist_in_the_engine_sources() {
    let root =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/yaxunit/exts/yaxunit/src/CommonModules");
    if !root.is_dir() {
        eprintln!("skipped: {} is not available", root.display());
        return;
    }
    let mut missing = Vec::new();
    for m in kb().yaxunit_methods() {
        let text = std::fs::read_to_string(root.join(&m.module).join("Module.bsl")).unwrap_or_default();
        // A declaration may span several lines; `Экспорт` follows the closing parenthesis.
        let declared = ["Функция ", "Процедура "].iter().any(|keyword| {
            let head = format!("{keyword}{}(", m.name);
            text.match_indices(&head).any(|(at, _)| {
                let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                let before = text[line_start..at].trim();
                let after = &text[at..];
                let close = after.find(')').unwrap_or(after.len());
                let tail = after[close..].lines().next().unwrap_or("");
                (before.is_empty() || before == "Асинх") && tail.contains("Экспорт")
            })
        });
        if !declared {
            missing.push(format!("{}.{}", m.module, m.name));
        }
    }
    assert!(missing.is_empty(), "not exported by the engine: {missing:?}");
}

#[test]
fn prompts_cover_every_role_and_declare_their_placeholders() {
    let kb = kb();
    for (role, task) in [
        ("developer", "doc_comment"),
        ("developer", "explain"),
        ("developer", "generate"),
        ("reviewer", "review"),
        ("tester", "yaxunit_tests"),
        ("architect", "design"),
        ("project_manager", "estimate"),
        ("analyst", "requirements"),
    ] {
        assert!(kb.prompt(role, task).is_some(), "no prompt {role}/{task}");
    }
    for p in kb.prompts() {
        let declared: BTreeSet<String> = p.variables.iter().cloned().collect();
        assert_eq!(p.placeholders(), declared, "{}/{}", p.role, p.task);
        let lower = p.body.to_lowercase();
        assert!(
            lower.contains("only") && lower.contains("context"),
            "{}/{}: must restrict to the given facts",
            p.role,
            p.task
        );
        assert!(lower.contains("language"), "{}/{}: must name the answer language", p.role, p.task);
        assert!(p.body.contains("```bsl"), "{}/{}: must ask for fenced BSL", p.role, p.task);
        let values: Vec<(&str, &str)> = p.variables.iter().map(|v| (v.as_str(), "VALUE")).collect();
        let text = p.render(&values).unwrap();
        assert!(!text.contains("{{"), "{}/{}: unrendered placeholder", p.role, p.task);
    }
}

#[test]
fn render_checks_the_variables() {
    let p = kb().prompt("developer", "explain").unwrap();
    assert!(matches!(p.render(&[]), Err(RenderError::Missing(_))));
    let mut values: Vec<(&str, &str)> = p.variables.iter().map(|v| (v.as_str(), "x")).collect();
    values.push(("нет_такой", "x"));
    assert_eq!(p.render(&values), Err(RenderError::Unknown("нет_такой".into())));
    let values: Vec<(&str, &str)> = p.variables.iter().map(|v| (v.as_str(), "{{code}}")).collect();
    let text = p.render(&values).unwrap();
    assert!(text.contains("{{code}}"), "values are not expanded again");
}

/// A shorthand text and what it parses into: name, English name, types, optional, default.
type ShorthandCase =
    (&'static str, &'static str, Option<&'static str>, &'static [&'static str], bool, Option<&'static str>);

#[test]
fn parameter_shorthand() {
    let cases: [ShorthandCase; 6] = [
        ("Строка|String: Строка", "Строка", Some("String"), &["Строка"], false, None),
        ("Значение?: Произвольный", "Значение", None, &["Произвольный"], true, None),
        ("Н|N?: Число, Строка = 1", "Н", Some("N"), &["Число", "Строка"], true, Some("1")),
        (
            "Режим|Mode: РежимОкругления = РежимОкругления.Окр15как20",
            "Режим",
            Some("Mode"),
            &["РежимОкругления"],
            true,
            Some("РежимОкругления.Окр15как20"),
        ),
        (
            "Кодировка|Encoding?: Строка = \"UTF-8\"",
            "Кодировка",
            Some("Encoding"),
            &["Строка"],
            true,
            Some("\"UTF-8\""),
        ),
        ("Имя", "Имя", None, &[], false, None),
    ];
    for (text, ru, en, types, optional, default) in cases {
        let p = Param::parse_shorthand(text).unwrap();
        assert_eq!(p.name_ru, ru, "{text}");
        assert_eq!(p.name_en.as_deref(), en, "{text}");
        assert_eq!(p.types, types, "{text}");
        assert_eq!(p.optional, optional, "{text}");
        assert_eq!(p.default.as_deref(), default, "{text}");
    }
    for bad in ["", "Два слова: Строка", "|En: Строка", "Имя = "] {
        assert!(Param::parse_shorthand(bad).is_err(), "{bad:?} should be rejected");
    }
}

#[test]
fn user_folders_load_and_extend_ours() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("platform")).unwrap();
    std::fs::write(
        dir.path().join("platform/own.toml"),
        r#"
[defaults]
availability = ["server"]

[[method]]
name_ru = "МояФункция"
name_en = "MyFunction"
description = "A function of our own configuration."
params = ["Параметр|Parameter?: Число = 0"]
returns = "Строка"

[[method]]
name_ru = "СтрНайти"
name_en = "StrFind"
description = "A corrected description that replaces the shipped one."
availability = ["all"]
"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("README.md"), "not knowledge").unwrap();
    let own = KnowledgeBase::load_dir(dir.path()).unwrap();
    assert_eq!(own.methods().len(), 2);
    let mut merged = kb().clone();
    let before = merged.methods().len();
    merged.extend(own);
    assert_eq!(merged.methods().len(), before + 1);
    assert!(merged.method("myfunction").unwrap().availability.server);
    assert!(merged.method("СтрНайти").unwrap().description.starts_with("A corrected"));
}

#[test]
fn a_broken_user_file_names_the_file_and_the_line() {
    let cases: [(&str, &str, usize, &str); 6] = [
        ("syntax.toml", "[[method]]\nname_ru = \"А\"\nname_en = \n", 3, ""),
        (
            "unknown_field.toml",
            "[[method]]\nname_ru = \"А\"\nname_en = \"A\"\ndescription = \"d\"\nnmae = 1\n",
            5,
            "nmae",
        ),
        (
            "bad_param.toml",
            "[[method]]\nname_ru = \"А\"\nname_en = \"A\"\ndescription = \"d\"\navailability = \"all\"\nparams = [\"Два слова\"]\n",
            6,
            "parameter",
        ),
        (
            "bad_context.toml",
            "[[method]]\nname_ru = \"А\"\nname_en = \"A\"\ndescription = \"d\"\navailability = [\"desktop\"]\n",
            5,
            "desktop",
        ),
        (
            "no_description.toml",
            "[[type]]\nname_ru = \"Т\"\nname_en = \"T\"\ndescription = \"\"\navailability = \"all\"\n",
            2,
            "description",
        ),
        (
            "prompt.md",
            "+++\nrole = \"developer\"\ntask = \"x\"\nvariables = [\"code\"]\n+++\nBody {{code}} and {{other}}\n",
            6,
            "other",
        ),
    ];
    for (file, text, line, needle) in cases {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(file);
        std::fs::write(&path, text).unwrap();
        let error = KnowledgeBase::load_dir(dir.path()).unwrap_err();
        assert!(error.file.ends_with(file), "{file}: {error}");
        assert_eq!(error.line, Some(line), "{file}: {error}");
        assert!(error.to_string().contains(needle), "{file}: {error}");
        assert!(error.to_string().contains(&format!("{file}:{line}")), "{file}: {error}");
    }
}

#[test]
fn duplicates_across_user_files_are_errors() {
    let entry = "[[method]]\nname_ru = \"Повтор\"\nname_en = \"Twice\"\ndescription = \"d\"\navailability = \"all\"\n";
    let error = KnowledgeBase::from_sources([("a.toml", entry), ("b.toml", entry)]).unwrap_err();
    assert_eq!(error.file, "b.toml");
    assert_eq!(error.line, Some(2));
    assert!(error.message.contains("a.toml"), "{error}");
}

#[test]
fn embedded_files_are_all_read() {
    let files = bsl_knowledge::embedded_files();
    assert!(files.iter().any(|(name, _)| name.starts_with("platform/")));
    assert!(files.iter().any(|(name, _)| name.starts_with("prompts/") && name.ends_with(".md")));
    assert!(!files.iter().any(|(name, _)| name.ends_with("README.md")));
    let sources: Vec<&str> = kb().methods().iter().map(|m| m.source.as_str()).collect();
    assert!(sources.contains(&"platform/strings.toml"));
}

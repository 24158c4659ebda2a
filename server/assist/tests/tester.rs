//! Tests for the tester role: generated YAxUnit modules match the fixtures
//! (`tests/fixtures/tester/<Module>.bsl` → `<Module>.yaxunit.txt`, `BLESS=1` rewrites them),
//! parse without errors and call only YAxUnit methods the knowledge base knows; the
//! allow-list catches invented names; every exported method of every common module of the
//! SSL corpus (when present) gets a valid module.

use std::path::Path;

use bsl_assistant::roles::tester::{yaxunit_tests, yaxunit_tests_for_exported, yaxunit_violations};
use bsl_knowledge::KnowledgeBase;
use bsl_syntax::Parse;

fn assert_clean(generated: &str, what: &str) {
    let parse = Parse::new(generated);
    assert!(parse.is_valid(), "{what}: the generated module does not parse: {:?}\n{generated}", parse.errors());
    let violations = yaxunit_violations(&parse, KnowledgeBase::embedded());
    assert!(violations.is_empty(), "{what}: unknown YAxUnit calls {violations:?}\n{generated}");
}

#[test]
fn fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tester");
    let mut entries: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    let mut count = 0;
    for path in entries.iter().filter(|p| p.extension().is_some_and(|e| e == "bsl")) {
        let name = path.file_stem().unwrap().to_str().unwrap();
        let parse = Parse::new(std::fs::read_to_string(path).unwrap());
        let generated = yaxunit_tests_for_exported(&parse, name);
        assert_clean(&generated, name);
        let expected_path = path.with_extension("yaxunit.txt");
        if std::env::var_os("BLESS").is_some() {
            std::fs::write(&expected_path, &generated).unwrap();
        } else {
            let expected = std::fs::read_to_string(&expected_path).unwrap();
            assert_eq!(expected, generated, "{} differs", expected_path.display());
        }
        count += 1;
    }
    assert_eq!(count, 2);
}

#[test]
fn registers_every_method_once_and_skips_unknown_indexes() {
    let parse = Parse::new("Функция А(Х) Экспорт\n\tВозврат Х;\nКонецФункции\nПроцедура Б()\nКонецПроцедуры\n");
    let text = yaxunit_tests(&parse, "Модуль", &[0, 1, 7]);
    assert_clean(&text, "two methods");
    assert!(text.contains("Процедура ИсполняемыеСценарии() Экспорт"));
    assert!(text.contains(".ДобавитьТестовыйНабор(\"Модуль\")"));
    assert_eq!(text.matches(".ДобавитьТест(\"Тест_А\")").count(), 1);
    assert_eq!(text.matches(".ДобавитьТест(\"Тест_Б\")").count(), 1);
    assert!(text.contains("Результат = Модуль.А(Х);"));
    assert!(text.contains("ЮТест.ОжидаетЧто(\"Модуль\").Метод(\"Б\").НеВыбрасываетИсключение();"));
    // An empty selection still gives a valid module.
    assert_clean(&yaxunit_tests(&parse, "Модуль", &[]), "no methods");
}

#[test]
fn allow_list_catches_invented_names() {
    let kb = KnowledgeBase::embedded();
    let parse = Parse::new(
        "Процедура Т() Экспорт\n\tЗначение = ЮТДанные.СлучайнаяСтрока();\n\tЮТест.ОжидаетЧто(1).ЯвляетсяЧислом();\n\tЮТест.Данные().СлучайноеЧисло();\n\tЮТест.ОжидаетЧто(1).Равно(1).Больше(0);\nКонецПроцедуры\n",
    );
    let violations = yaxunit_violations(&parse, kb);
    let calls: Vec<&str> = violations.iter().map(|v| v.call.as_str()).collect();
    assert_eq!(calls, ["ЮТДанные", "ЮТУтверждения.ЯвляетсяЧислом"], "{violations:?}");
}

/// Every tenth common module by default (a debug build needs minutes for all of them);
/// `BSL_ASSIST_FULL_CORPUS=1` checks all 561 modules (10,475 exported methods).
#[test]
fn every_exported_method_of_ssl_common_modules() {
    let stride = if std::env::var_os("BSL_ASSIST_FULL_CORPUS").is_some() { 1 } else { 10 };
    let mut seen = 0usize;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/ssl_3_1");
    if !root.exists() {
        eprintln!("skipped: {} is missing", root.display());
        return;
    }
    let mut stack = vec![root];
    let mut modules = 0;
    let mut methods = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.file_name().is_none_or(|n| n != "Module.bsl") {
                continue;
            }
            let components: Vec<_> = path.components().map(|c| c.as_os_str().to_string_lossy().to_string()).collect();
            let Some(at) = components.iter().position(|c| c == "CommonModules") else { continue };
            let name = components[at + 1].clone();
            seen += 1;
            if !seen.is_multiple_of(stride) {
                continue;
            }
            let text = bsl_syntax::source::decode(&std::fs::read(&path).unwrap()).unwrap();
            let parse = Parse::new(text);
            let exported = parse.module().methods.iter().filter(|m| m.export).count();
            if exported == 0 {
                continue;
            }
            let generated = yaxunit_tests_for_exported(&parse, &name);
            assert_clean(&generated, &name);
            modules += 1;
            methods += exported;
        }
    }
    eprintln!("SSL common modules: {modules} modules, {methods} exported methods, every generated module valid");
    assert!(modules * stride > 500 && methods * stride > 5000, "{modules} modules, {methods} methods");
}

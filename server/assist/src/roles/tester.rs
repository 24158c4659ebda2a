//! The tester: a YAxUnit test module for a module's methods, as BSL text independent of
//! EDT and OneScript. `ИсполняемыеСценарии()` registers one test per method; each test
//! arranges sample inputs (from the doc comment's types, the defaults, how the body uses
//! the parameters, and the parameters' names), calls the method and asserts on the result
//! (`ИмеетТип` when the return type is obvious, else `Заполнено`) or, for a procedure,
//! that it does not raise. `yaxunit_violations` checks any BSL text (ours or a model's)
//! against the real YAxUnit API in the knowledge base; `complete_with_llm` lets a model
//! improve the module and keeps its answer only when it passes those checks.

use std::collections::HashMap;

use bsl_knowledge::KnowledgeBase;
use bsl_syntax::{CompilationDirective, Method, MethodKind, Parse};
use tree_sitter::Node;

use super::{descendants, documented_type, parameter_type, return_types, split_name};

/// The test module for the methods at `method_indexes` (indexes into the module's methods;
/// unknown ones are skipped) of the module named `module_name`.
pub fn yaxunit_tests(parse: &Parse, module_name: &str, method_indexes: &[usize]) -> String {
    let module = parse.module();
    let methods: Vec<&Method> = method_indexes.iter().filter_map(|&i| module.methods.get(i)).collect();
    let mut out = String::new();
    out.push_str(&format!(
        "// {}: тесты модуля {module_name} (YAxUnit). Созданы bsl-assist: проверьте значения и ожидания.\n\n",
        test_module_name(module_name)
    ));
    out.push_str("#Область СлужебныйПрограммныйИнтерфейс\n\n");
    out.push_str("Процедура ИсполняемыеСценарии() Экспорт\n\n");
    out.push_str("\tЮТТесты\n");
    out.push_str(&format!("\t\t.ДобавитьТестовыйНабор(\"{}\")", escape(module_name)));
    for m in &methods {
        let register = match m.directive() {
            Some(CompilationDirective::AtServer | CompilationDirective::AtServerNoContext) => "ДобавитьСерверныйТест",
            Some(CompilationDirective::AtClient) => "ДобавитьКлиентскийТест",
            _ => "ДобавитьТест",
        };
        out.push_str(&format!("\n\t\t.{register}(\"{}\")", test_name(m)));
        if !m.parameters.is_empty() {
            out.push_str(&format!("\n\t\t.{register}(\"{}\")", edge_test_name(m)));
        }
    }
    out.push_str(";\n\nКонецПроцедуры\n\n#КонецОбласти\n\n#Область Тесты\n");
    for m in &methods {
        out.push('\n');
        out.push_str(&test_method(parse, module_name, m));
        if !m.parameters.is_empty() {
            out.push('\n');
            out.push_str(&edge_test_method(parse, module_name, m));
        }
    }
    out.push_str("\n#КонецОбласти\n");
    out
}

/// The test module for every exported method of the module.
pub fn yaxunit_tests_for_exported(parse: &Parse, module_name: &str) -> String {
    let module = parse.module();
    let indexes = exported_indexes(&module);
    yaxunit_tests(parse, module_name, &indexes)
}

/// The indexes of a module's exported methods: what a test module covers by default.
pub fn exported_indexes(module: &bsl_syntax::Module) -> Vec<usize> {
    module.methods.iter().enumerate().filter(|(_, m)| m.export).map(|(i, _)| i).collect()
}

/// The test module's name by YAxUnit's convention for a common module: `ОМ_<Модуль>`.
pub fn test_module_name(module_name: &str) -> String {
    format!("ОМ_{module_name}")
}

/// The name of the test of a method: `Тест_<Метод>`.
pub fn test_name(method: &Method) -> String {
    format!("Тест_{}", method.name)
}

fn escape(s: &str) -> String {
    s.replace('"', "\"\"")
}

/// Local names the test uses besides the parameters.
const RESERVED: &[&str] = &["результат", "параметрыметода"];

/// The name of the edge-case test of a method: `Тест_<Метод>_ГраничныеЗначения`.
pub fn edge_test_name(method: &Method) -> String {
    format!("Тест_{}_ГраничныеЗначения", method.name)
}

fn locals_of(m: &Method) -> Vec<String> {
    m.parameters
        .iter()
        .map(|p| {
            if RESERVED.contains(&p.name.to_lowercase().as_str()) {
                format!("{}Значение", p.name)
            } else {
                p.name.clone()
            }
        })
        .collect()
}

fn arrange(parse: &Parse, m: &Method, locals: &[String], out: &mut String) {
    if !m.parameters.is_empty() {
        out.push_str("\t// Подготовка\n");
        for (i, local) in locals.iter().enumerate() {
            let (value, note) = sample_value(parse, m, i);
            out.push_str(&format!("\t{local} = {value};"));
            if let Some(note) = note {
                out.push_str(&format!(" // {note}"));
            }
            out.push('\n');
        }
        out.push('\n');
    }
}

/// Each parameter in turn gets `Неопределено` and, by its type, an empty string or zero,
/// the others keep their sample values; the method must not raise.
fn edge_test_method(parse: &Parse, module_name: &str, m: &Method) -> String {
    let mut out = format!("Процедура {}() Экспорт\n\n", edge_test_name(m));
    let locals = locals_of(m);
    arrange(parse, m, &locals, &mut out);
    out.push_str("\t// Действие и проверка: граничные значения по одному параметру (уточните ожидания)\n");
    for (i, _) in m.parameters.iter().enumerate() {
        let ty = documented_type(m, i)
            .or_else(|| parameter_type(parse, m, i))
            .or_else(|| type_from_name(&m.parameters[i].name));
        let mut edges = vec!["Неопределено"];
        match ty.as_deref() {
            Some("Строка") => edges.push("\"\""),
            Some("Число") => edges.push("0"),
            _ => {}
        }
        let (sample, _) = sample_value(parse, m, i);
        for edge in edges.into_iter().filter(|e| *e != sample) {
            let mut call = format!("\tЮТест.ОжидаетЧто(\"{}\").Метод(\"{}\")", escape(module_name), m.name);
            for (j, local) in locals.iter().enumerate() {
                let value = if i == j { edge } else { local.as_str() };
                call.push_str(&format!(".Параметр({value})"));
            }
            call.push_str(".НеВыбрасываетИсключение();\n");
            out.push_str(&call);
        }
    }
    out.push_str("\nКонецПроцедуры\n");
    out
}

fn test_method(parse: &Parse, module_name: &str, m: &Method) -> String {
    let mut out = format!("Процедура {}() Экспорт\n\n", test_name(m));
    let locals = locals_of(m);
    arrange(parse, m, &locals, &mut out);
    if m.kind == MethodKind::Function {
        out.push_str("\t// Действие\n");
        out.push_str(&format!("\tРезультат = {module_name}.{}({});\n\n", m.name, locals.join(", ")));
        out.push_str("\t// Проверка\n");
        match return_types(parse, m) {
            Some(types) if !types.is_empty() => {
                out.push_str(&format!("\tЮТест.ОжидаетЧто(Результат).ИмеетТип(\"{}\");\n", types.join(", ")));
            }
            _ => out.push_str("\tЮТест.ОжидаетЧто(Результат).Заполнено();\n"),
        }
    } else {
        if !locals.is_empty() {
            out.push_str("\tПараметрыМетода = Новый Массив;\n");
            for local in &locals {
                out.push_str(&format!("\tПараметрыМетода.Добавить({local});\n"));
            }
            out.push('\n');
        }
        out.push_str("\t// Действие и проверка\n");
        let params = if locals.is_empty() { String::new() } else { ", ПараметрыМетода".to_string() };
        out.push_str(&format!(
            "\tЮТест.ОжидаетЧто(\"{}\").Метод(\"{}\"{params}).НеВыбрасываетИсключение();\n",
            escape(module_name),
            m.name
        ));
    }
    out.push_str("\nКонецПроцедуры\n");
    out
}

/// A sample value for parameter `index`, and a note when the value is only a guess.
fn sample_value(parse: &Parse, m: &Method, index: usize) -> (String, Option<&'static str>) {
    let p = &m.parameters[index];
    if let Some(default) = p.default.as_deref().map(str::trim)
        && super::default_type(default).is_some_and(|t| t != "Неопределено" && t != "Null")
    {
        return (default.to_string(), None);
    }
    let ty = documented_type(m, index).or_else(|| parameter_type(parse, m, index)).or_else(|| type_from_name(&p.name));
    if let Some(ty) = ty
        && let Some(value) = value_of_type(&ty)
    {
        return (value, None);
    }
    match p.default.as_deref() {
        Some(default) => (default.trim().to_string(), None),
        None => ("Неопределено".to_string(), Some("укажите значение")),
    }
}

fn value_of_type(ty: &str) -> Option<String> {
    let value = match ty {
        "Число" => "ЮТест.Данные().СлучайноеПоложительноеЧисло()",
        "Строка" => "ЮТест.Данные().СлучайнаяСтрока()",
        "Булево" => "Истина",
        "Дата" => "ЮТест.Данные().СлучайнаяДата()",
        "УникальныйИдентификатор" => "ЮТест.Данные().СлучайныйИдентификатор()",
        "Структура" | "Массив" | "Соответствие" | "ТаблицаЗначений" | "СписокЗначений" =>
        {
            return Some(format!("Новый {ty}"));
        }
        _ => {
            const REFS: &[(&str, &str)] = &[
                ("СправочникСсылка.", "Справочники"),
                ("ДокументСсылка.", "Документы"),
                ("ПеречислениеСсылка.", "Перечисления"),
                ("ПланВидовХарактеристикСсылка.", "ПланыВидовХарактеристик"),
                ("ПланСчетовСсылка.", "ПланыСчетов"),
                ("БизнесПроцессСсылка.", "БизнесПроцессы"),
                ("ЗадачаСсылка.", "Задачи"),
                ("ПланОбменаСсылка.", "ПланыОбмена"),
            ];
            for (prefix, manager) in REFS {
                if let Some(name) = ty.strip_prefix(prefix)
                    && !name.is_empty()
                    && name.chars().all(|c| c.is_alphanumeric() || c == '_')
                {
                    return Some(format!("{manager}.{name}.ПустаяСсылка()"));
                }
            }
            return None;
        }
    };
    Some(value.to_string())
}

/// A type guessed from a parameter's name (`Количество` → `Число`, `ЭтоГруппа` → `Булево`).
fn type_from_name(name: &str) -> Option<String> {
    let words: Vec<String> = split_name(name).iter().map(|w| w.to_lowercase()).collect();
    let first = words.first()?.as_str();
    let last = words.last()?.as_str();
    if matches!(
        first,
        "это"
            | "есть"
            | "признак"
            | "только"
            | "использовать"
            | "включать"
            | "разрешить"
            | "флаг"
            | "is"
            | "has"
            | "use"
    ) {
        return Some("Булево".into());
    }
    let ty = match last {
        "количество"
        | "сумма"
        | "число"
        | "номер"
        | "индекс"
        | "цена"
        | "размер"
        | "длина"
        | "count"
        | "amount"
        | "number"
        | "index"
        | "size" => "Число",
        "имя"
        | "наименование"
        | "строка"
        | "текст"
        | "представление"
        | "код"
        | "путь"
        | "адрес"
        | "описание"
        | "комментарий"
        | "name"
        | "text"
        | "path"
        | "code"
        | "description" => "Строка",
        "дата" | "date" | "период" => "Дата",
        "параметры" | "настройки" | "свойства" | "структура" | "settings" | "options" => {
            "Структура"
        }
        "массив" | "список" | "array" => "Массив",
        "соответствие" | "map" => "Соответствие",
        "таблица" => "ТаблицаЗначений",
        "идентификатор" => "УникальныйИдентификатор",
        _ => return None,
    };
    Some(ty.into())
}

/// A call the allow-list refused: the text as written and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub offset: usize,
    pub call: String,
    pub reason: String,
}

/// The YAxUnit calls in `parse` that the knowledge base does not know: a module that looks
/// like YAxUnit's (`ЮТ…`, `Мокито…`) but is not one of its modules (`ЮТДанные`), or a
/// method a module (reached directly or through a chain's return types) does not have.
pub fn yaxunit_violations(parse: &Parse, kb: &KnowledgeBase) -> Vec<Violation> {
    let mut out = Vec::new();
    // The module each call in a chain returns, by node id: every link resolves once.
    let mut memo: HashMap<usize, Option<String>> = HashMap::new();
    for n in descendants(parse.root()) {
        if n.kind() != "call_expression" {
            continue;
        }
        let Some(function) = n.child_by_field_name("function") else { continue };
        if function.kind() != "member_expression" {
            continue;
        }
        let Some(object) = function.child_by_field_name("object") else { continue };
        let Some(prop) = function.child_by_field_name("property") else { continue };
        let method = parse.node_text(prop);
        let Some(module) = receiver_module(parse, kb, object, &mut memo, &mut out) else { continue };
        if kb.yaxunit_method(&module, method).is_none() {
            out.push(Violation {
                offset: prop.start_byte(),
                call: format!("{module}.{method}"),
                reason: format!("{module} has no method {method}"),
            });
        }
    }
    out.sort_by_key(|v| v.offset);
    out.dedup();
    out
}

/// The YAxUnit module an expression evaluates to, when it is one.
fn receiver_module(
    parse: &Parse,
    kb: &KnowledgeBase,
    node: Node<'_>,
    memo: &mut HashMap<usize, Option<String>>,
    out: &mut Vec<Violation>,
) -> Option<String> {
    match node.kind() {
        "identifier" => {
            let name = parse.node_text(node);
            if let Some(m) = kb.yaxunit_module(name) {
                return Some(m.name.clone());
            }
            let lower = name.to_lowercase();
            if lower.starts_with("ют") || lower.starts_with("мокито") {
                out.push(Violation {
                    offset: node.start_byte(),
                    call: name.to_string(),
                    reason: format!("{name} is not a YAxUnit module"),
                });
            }
            None
        }
        "call_expression" => {
            if let Some(known) = memo.get(&node.id()) {
                return known.clone();
            }
            let resolved = (|| {
                let function = node.child_by_field_name("function")?;
                if function.kind() != "member_expression" {
                    return None;
                }
                let object = function.child_by_field_name("object")?;
                let prop = function.child_by_field_name("property")?;
                // Violations inside the chain are reported when the walk reaches that call.
                let module = receiver_module(parse, kb, object, memo, &mut Vec::new())?;
                let method = kb.yaxunit_method(&module, parse.node_text(prop))?;
                let returns = method.returns.as_ref()?;
                let name = returns.types.first()?.strip_prefix("ОбщийМодуль.")?;
                kb.yaxunit_module(name).map(|m| m.name.clone())
            })();
            memo.insert(node.id(), resolved.clone());
            resolved
        }
        _ => None,
    }
}

/// The result of asking a model to complete the generated tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completed {
    /// The model's module when it passed the checks, else the deterministic one.
    pub text: String,
    pub from_model: bool,
    /// Why the deterministic module was kept, when it was.
    pub note: Option<String>,
}

/// Asks the model to complete the deterministic test module (fill the values marked
/// `укажите значение`, sharpen the assertions). The answer must parse without errors and
/// call only YAxUnit methods the knowledge base knows; on failure the model gets one retry
/// with the errors, then the deterministic module is kept with a note. Never fails.
pub async fn complete_with_llm(
    client: &crate::llm::LlmClient,
    parse: &Parse,
    module_name: &str,
    method_indexes: &[usize],
    kb: &KnowledgeBase,
) -> Completed {
    use crate::llm::Message;
    let draft = yaxunit_tests(parse, module_name, method_indexes);
    let module = parse.module();
    let sources: Vec<&str> =
        method_indexes.iter().filter_map(|&i| module.methods.get(i)).map(|m| &parse.text()[m.range.clone()]).collect();
    let system = "You write YAxUnit unit tests for 1C:Enterprise (BSL). Answer with the complete BSL test module only, \
                  no explanations. Use only the YAxUnit API (ЮТест, ЮТТесты, ЮТест.ОжидаетЧто(...), ЮТест.Данные()); \
                  there is no ЮТДанные module. Keep ИсполняемыеСценарии and the test names.";
    let mut messages = vec![
        Message::system(system),
        Message::user(format!(
            "Complete this test module for the module {module_name}: replace values marked `укажите значение` \
             with realistic ones and make the assertions precise.\n\nTested methods:\n{}\n\nDraft:\n{draft}",
            sources.join("\n\n")
        )),
    ];
    let mut last_problem = String::new();
    for _attempt in 0..2 {
        let answer = match client.chat("tester", &messages).await {
            Ok(a) => a.content,
            Err(e) => {
                return Completed {
                    text: draft,
                    from_model: false,
                    note: Some(format!("{e}; kept the generated tests")),
                };
            }
        };
        let candidate = strip_fences(&answer);
        let problems = check_module(&candidate, kb);
        if problems.is_empty() {
            return Completed { text: candidate, from_model: true, note: None };
        }
        last_problem = problems.join("; ");
        messages.push(Message { role: "assistant".into(), content: answer });
        messages.push(Message::user(format!(
            "The module is wrong: {last_problem}. Answer with the corrected module only."
        )));
    }
    Completed {
        text: draft,
        from_model: false,
        note: Some(format!("the model's tests failed the checks ({last_problem}); kept the generated tests")),
    }
}

/// The code inside a Markdown fence, when the answer has one.
pub fn strip_fences(answer: &str) -> String {
    let trimmed = answer.trim();
    if let Some(start) = trimmed.find("```") {
        let after = &trimmed[start + 3..];
        let body_start = after.find('\n').map_or(0, |i| i + 1);
        let body = &after[body_start..];
        let end = body.find("```").unwrap_or(body.len());
        return format!("{}\n", body[..end].trim_end());
    }
    format!("{trimmed}\n")
}

/// Why a test module is not acceptable: syntax errors, unknown YAxUnit calls, or no
/// `ИсполняемыеСценарии`.
pub fn check_module(text: &str, kb: &KnowledgeBase) -> Vec<String> {
    let parse = Parse::new(text);
    let mut problems: Vec<String> =
        parse.errors().iter().take(5).map(|e| format!("syntax error at byte {}", e.range.start)).collect();
    problems.extend(yaxunit_violations(&parse, kb).into_iter().map(|v| v.reason));
    let module = parse.module();
    if !module.methods.iter().any(|m| m.name.to_lowercase() == "исполняемыесценарии" && m.export) {
        problems.push("no exported ИсполняемыеСценарии()".into());
    }
    problems
}

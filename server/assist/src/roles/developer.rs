//! The developer's deterministic helpers: the standard method description comment
//! (`doc_comment`) and a factual summary of a method (`explain_method`): what it calls,
//! which queries it runs, transactions, data changes, exceptions and its complexity.

use std::sync::LazyLock;

use bsl_analysis::rules::support::b_metrics::{MethodMetrics, method_metrics};
use bsl_syntax::Parse;
use bsl_syntax::{Method, MethodKind};
use regex::Regex;

use super::{
    Lang, descendants, documented_type, method_lang, method_node, name_phrase, parameter_type, return_types, type_in,
};

/// The standard 1C description comment for the method at `method_index` of the module's
/// methods, ending with a newline; empty when there is no such method. Types are inferred
/// when obvious, else `Произвольный`; the description of an existing comment is kept.
pub fn doc_comment(parse: &Parse, method_index: usize) -> String {
    let module = parse.module();
    let Some(method) = module.methods.get(method_index) else { return String::new() };
    let lang = method_lang(parse, method);
    let mut out = String::new();
    let description = existing_description(method).unwrap_or_else(|| format!("{}.", name_phrase(&method.name)));
    for line in description.lines() {
        out.push_str(&format!("// {line}\n"));
    }
    if !method.parameters.is_empty() {
        out.push_str("//\n");
        out.push_str(&format!("// {}\n", lang.pick("Параметры:", "Parameters:")));
        for (i, p) in method.parameters.iter().enumerate() {
            let ty = documented_type(method, i)
                .or_else(|| parameter_type(parse, method, i))
                .unwrap_or_else(|| "Произвольный".to_string());
            let documented = super::documented_parameter(method, i).and_then(|(_, d)| d);
            let mut text = documented.unwrap_or_else(|| first_lower(&name_phrase(&p.name)));
            if let Some(default) = &p.default {
                text.push_str(&format!(" ({} {})", lang.pick("по умолчанию", "default"), default.trim()));
            }
            out.push_str(&format!("//  {} - {} - {}.\n", p.name, type_in(lang, &ty), text));
        }
    }
    if method.kind == MethodKind::Function {
        let types = return_types(parse, method).unwrap_or_else(|| vec!["Произвольный".to_string()]);
        let types: Vec<String> = types.iter().map(|t| type_in(lang, t)).collect();
        out.push_str("//\n");
        out.push_str(&format!("// {}\n", lang.pick("Возвращаемое значение:", "Returns:")));
        out.push_str(&format!("//  {} - {}.\n", types.join(", "), lang.pick("результат", "the result")));
    }
    out
}

/// The description part of an existing doc comment (before a blank line or a section).
fn existing_description(method: &Method) -> Option<String> {
    let doc = method.doc_comment.as_ref()?;
    let mut lines = Vec::new();
    for line in &doc.lines {
        let t = line.trim();
        let lower = t.to_lowercase();
        if t.is_empty()
            || [
                "параметры:",
                "parameters:",
                "возвращаемое значение:",
                "returns:",
                "return value:",
                "пример:",
                "example:",
            ]
            .contains(&lower.as_str())
        {
            break;
        }
        lines.push(t.to_string());
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

fn first_lower(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if !chars.clone().next().is_some_and(|n| n.is_uppercase()) => c.to_lowercase().chain(chars).collect(),
        Some(c) => std::iter::once(c).chain(chars).collect(),
        None => String::new(),
    }
}

/// The facts about one method that `explain_method` renders; an LLM prompt may use them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodFacts {
    pub signature: String,
    pub lang: Lang,
    /// Called methods, as written (`Модуль.Метод`, `Метод`, `.Метод` on an expression),
    /// distinct, in order of first call.
    pub calls: Vec<String>,
    /// Queries: one per string literal holding a query text, with the tables it reads.
    pub queries: Vec<Vec<String>>,
    /// Transaction calls, as written, distinct.
    pub transactions: Vec<String>,
    /// Calls that change data: `Записать()`, `Удалить()`, `Заблокировать()`, ... without
    /// arguments or with a document write mode (`Массив.Удалить(0)` is not one).
    pub writes: Vec<String>,
    pub raises: usize,
    pub try_blocks: usize,
    pub metrics: MethodMetrics,
}

const TRANSACTION_CALLS: &[&str] = &[
    "начатьтранзакцию",
    "begintransaction",
    "зафиксироватьтранзакцию",
    "committransaction",
    "отменитьтранзакцию",
    "rollbacktransaction",
    "транзакцияактивна",
    "transactionactive",
];

const WRITE_CALLS: &[&str] = &[
    "записать",
    "write",
    "удалить",
    "delete",
    "провести",
    "установитьпометкуудаления",
    "setdeletionmark",
    "заблокировать",
    "lock",
];

static QUERY_TEXT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)(^|[^\p{L}])(ВЫБРАТЬ|SELECT)[^\p{L}]").unwrap());
static QUERY_TABLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:^|[^\p{L}])(?:ИЗ|FROM|СОЕДИНЕНИЕ|JOIN)[\s|]+(\p{L}[\p{L}\p{N}_]*\.[\p{L}\p{N}_.]*[\p{L}\p{N}_])",
    )
    .unwrap()
});

/// Collects the facts about the method at `method_index`; `None` when there is none.
pub fn method_facts(parse: &Parse, method_index: usize) -> Option<MethodFacts> {
    let module = parse.module();
    let method = module.methods.get(method_index)?;
    let node = method_node(parse, method)?;
    let text = parse.text();
    let lang = method_lang(parse, method);
    let signature = {
        let decl = &text[method.declaration_range.clone()];
        let end = node
            .child_by_field_name("export")
            .or_else(|| node.child_by_field_name("parameters"))
            .map_or(decl.len(), |n| n.end_byte().saturating_sub(method.declaration_range.start));
        decl[..end.min(decl.len())].split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let mut facts = MethodFacts {
        signature,
        lang,
        calls: Vec::new(),
        queries: Vec::new(),
        transactions: Vec::new(),
        writes: Vec::new(),
        raises: 0,
        try_blocks: 0,
        metrics: method_metrics(node, text),
    };
    let push = |list: &mut Vec<String>, s: String| {
        if !list.iter().any(|x| x.to_lowercase() == s.to_lowercase()) {
            list.push(s);
        }
    };
    for n in descendants(node) {
        match n.kind() {
            "call_expression" => {
                let Some(function) = n.child_by_field_name("function") else { continue };
                let (name, shown) = match function.kind() {
                    "identifier" => {
                        let name = parse.node_text(function).to_string();
                        (name.clone(), name)
                    }
                    "member_expression" => {
                        let Some(prop) = function.child_by_field_name("property") else { continue };
                        let name = parse.node_text(prop).to_string();
                        let object = function.child_by_field_name("object");
                        let shown = match object {
                            Some(o) if o.kind() == "identifier" => format!("{}.{}", parse.node_text(o), name),
                            Some(o) if o.kind() == "member_expression" && parse.node_text(o).len() <= 80 => {
                                format!("{}.{}", parse.node_text(o), name)
                            }
                            _ => format!(".{name}"),
                        };
                        (name, shown)
                    }
                    _ => continue,
                };
                let lower = name.to_lowercase();
                if TRANSACTION_CALLS.contains(&lower.as_str()) {
                    push(&mut facts.transactions, name);
                } else if function.kind() == "member_expression"
                    && WRITE_CALLS.contains(&lower.as_str())
                    && n.child_by_field_name("arguments").is_none_or(|a| {
                        a.named_child(0).is_none_or(|first| {
                            let first = parse.node_text(first).to_lowercase();
                            first.starts_with("режимзаписидокумента") || first.starts_with("documentwritemode")
                        })
                    })
                {
                    push(&mut facts.writes, shown.clone());
                }
                push(&mut facts.calls, shown);
            }
            "string" => {
                let s = parse.node_text(n);
                if QUERY_TEXT.is_match(s) {
                    let mut tables = Vec::new();
                    for c in QUERY_TABLE.captures_iter(s) {
                        push(&mut tables, c[1].to_string());
                    }
                    facts.queries.push(tables);
                }
            }
            "raise_statement" => facts.raises += 1,
            "try_statement" => facts.try_blocks += 1,
            _ => {}
        }
    }
    Some(facts)
}

/// A deterministic summary of the method at `method_index`, in the module's keyword
/// language, one fact a line; empty when there is no such method.
pub fn explain_method(parse: &Parse, method_index: usize) -> String {
    let Some(f) = method_facts(parse, method_index) else { return String::new() };
    let module = parse.module();
    let method = &module.methods[method_index];
    let l = f.lang;
    let mut out = format!("{}\n", f.signature);
    let kind = match (method.kind, method.export) {
        (MethodKind::Function, true) => l.pick("Экспортная функция", "Exported function"),
        (MethodKind::Function, false) => l.pick("Функция", "Function"),
        (_, true) => l.pick("Экспортная процедура", "Exported procedure"),
        (_, false) => l.pick("Процедура", "Procedure"),
    };
    out.push_str(&format!("{kind}: {}.\n", name_phrase(&method.name)));
    if let Some(d) = method.directive() {
        let (ru, en) = d.names();
        out.push_str(&format!("{}: &{}\n", l.pick("Выполняется", "Runs"), l.pick(ru, en)));
    }
    if method.is_async {
        out.push_str(l.pick("Асинхронная (Асинх)\n", "Asynchronous (Async)\n"));
    }
    if method.parameters.is_empty() {
        out.push_str(&format!("{}: {}\n", l.pick("Параметры", "Parameters"), l.pick("нет", "none")));
    } else {
        out.push_str(&format!("{}:\n", l.pick("Параметры", "Parameters")));
        for (i, p) in method.parameters.iter().enumerate() {
            let ty = documented_type(method, i).or_else(|| parameter_type(parse, method, i));
            let mut line = format!("  {}", p.name);
            if let Some(ty) = ty {
                line.push_str(&format!(": {}", type_in(l, &ty)));
            }
            if p.by_value {
                line.push_str(l.pick(", по значению", ", by value"));
            }
            if let Some(d) = &p.default {
                line.push_str(&format!(
                    ", {} {}",
                    l.pick("необязательный, по умолчанию", "optional, default"),
                    d.trim()
                ));
            }
            out.push_str(&line);
            out.push('\n');
        }
    }
    if method.kind == MethodKind::Function {
        let returns = return_types(parse, method).map_or_else(
            || l.pick("Произвольный", "Arbitrary").to_string(),
            |t| t.iter().map(|t| type_in(l, t)).collect::<Vec<_>>().join(", "),
        );
        out.push_str(&format!("{}: {returns}\n", l.pick("Возвращает", "Returns")));
    }
    let list = |v: &[String]| if v.is_empty() { l.pick("нет", "none").to_string() } else { v.join(", ") };
    out.push_str(&format!("{}: {}\n", l.pick("Вызывает", "Calls"), list(&f.calls)));
    if f.queries.is_empty() {
        out.push_str(&format!("{}: {}\n", l.pick("Запросы", "Queries"), l.pick("нет", "none")));
    } else {
        out.push_str(&format!("{}: {}\n", l.pick("Запросы", "Queries"), f.queries.len()));
        for (i, tables) in f.queries.iter().enumerate() {
            out.push_str(&format!("  {}. {}: {}\n", i + 1, l.pick("таблицы", "tables"), list(tables)));
        }
    }
    out.push_str(&format!("{}: {}\n", l.pick("Транзакции", "Transactions"), list(&f.transactions)));
    out.push_str(&format!("{}: {}\n", l.pick("Изменяет данные", "Changes data"), list(&f.writes)));
    out.push_str(&format!(
        "{}: {} {}, {} {}\n",
        l.pick("Исключения", "Exceptions"),
        l.pick("ВызватьИсключение", "Raise"),
        f.raises,
        l.pick("Попытка", "Try"),
        f.try_blocks
    ));
    let m = &f.metrics;
    out.push_str(&format!(
        "{}: {} {}, {} {}, {} {}, {} {}\n",
        l.pick("Сложность", "Complexity"),
        l.pick("цикломатическая", "cyclomatic"),
        m.cyclomatic,
        l.pick("когнитивная", "cognitive"),
        m.cognitive,
        l.pick("вложенность", "nesting"),
        m.max_nesting,
        l.pick("строк", "lines"),
        m.lines
    ));
    out
}

//! The assistants' roles: deterministic results computed from the syntax tree, the index
//! and the knowledge base (no LLM needed), which an LLM may enrich. `developer` writes doc
//! comments and explains methods; `tester` writes YAxUnit test modules; `reviewer` reviews
//! a module; `architect` draws dependencies between modules and `subsystems` between
//! subsystems; `report` serves the analyst, architect and project manager; `chat` answers
//! questions from retrieval. The helpers here are shared: the module's keyword language, a
//! method's tree node, and the obvious types of parameters and return values.

pub mod analyst;
pub mod architect;
pub mod chat;
pub mod developer;
pub mod estimate;
pub mod layering;
pub mod refactor;
pub mod report;
pub mod reviewer;
pub mod subsystems;
pub mod test_placement;
pub mod tester;

use bsl_syntax::Method;
use bsl_syntax::Parse;
use tree_sitter::Node;

/// The keyword language of a module (or of one method's declaration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Russian,
    English,
}

impl Lang {
    /// Picks one of two spellings.
    pub fn pick<'a>(self, ru: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Russian => ru,
            Lang::English => en,
        }
    }
}

/// The language of a method's `Процедура`/`Function` keyword.
pub fn method_lang(parse: &Parse, method: &Method) -> Lang {
    let text = parse.text();
    let decl = text.get(method.declaration_range.clone()).unwrap_or("");
    let first = decl.trim_start().chars().next().unwrap_or('П');
    if first.is_ascii_alphabetic() { Lang::English } else { Lang::Russian }
}

/// The `method_declaration` node of a method.
pub fn method_node<'t>(parse: &'t Parse, method: &Method) -> Option<Node<'t>> {
    let range = &method.declaration_range;
    let mut node = parse.root().descendant_for_byte_range(range.start, range.start)?;
    loop {
        if node.kind() == "method_declaration" {
            return Some(node);
        }
        node = node.parent()?;
    }
}

/// Every node under `node` (itself included), in document order, iteratively.
pub fn descendants(node: Node<'_>) -> Vec<Node<'_>> {
    let mut out = Vec::new();
    let mut cursor = node.walk();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        out.push(n);
        let children: Vec<Node<'_>> = n.children(&mut cursor).collect();
        stack.extend(children.into_iter().rev());
    }
    out
}

/// `ИмяКлиентаПолное` → `["Имя", "Клиента", "Полное"]`: a name cut at case changes.
pub fn split_name(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let boundary = c.is_uppercase()
            && i > 0
            && (chars[i - 1].is_lowercase()
                || chars.get(i + 1).is_some_and(|n| n.is_lowercase()) && chars[i - 1].is_uppercase());
        if boundary && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// A name as a phrase: `ПолучитьДанныеКлиента` → `Получить данные клиента` (abbreviations
/// such as `НДС` keep their case).
pub fn name_phrase(name: &str) -> String {
    let words = split_name(name);
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let all_upper = w.chars().count() > 1 && w.chars().all(|c| !c.is_lowercase());
        if i == 0 || all_upper {
            out.push_str(w);
        } else {
            out.push_str(&w.to_lowercase());
        }
    }
    out
}

/// The platform type of a literal node, in Russian, when the literal says it.
pub fn literal_type(node: Node<'_>) -> Option<&'static str> {
    match node.kind() {
        "number" => Some("Число"),
        "string" => Some("Строка"),
        "boolean" | "true" | "false" => Some("Булево"),
        "date" => Some("Дата"),
        "undefined" => Some("Неопределено"),
        "null" => Some("Null"),
        "unary_expression" => node.child_by_field_name("operand").and_then(literal_type).filter(|t| *t == "Число"),
        _ => None,
    }
}

/// The platform type of a default value's source text.
pub fn default_type(default: &str) -> Option<&'static str> {
    let parse = Parse::new(format!("А = {default};"));
    let root = parse.root();
    let stmt = root.named_child(0)?;
    let value = stmt.child_by_field_name("right")?;
    literal_type(value)
}

/// The English spelling of the platform types this crate names.
pub fn type_in(lang: Lang, ru: &str) -> String {
    if lang == Lang::Russian {
        return ru.to_string();
    }
    const TYPES: &[(&str, &str)] = &[
        ("Число", "Number"),
        ("Строка", "String"),
        ("Булево", "Boolean"),
        ("Дата", "Date"),
        ("Неопределено", "Undefined"),
        ("Произвольный", "Arbitrary"),
        ("Структура", "Structure"),
        ("Массив", "Array"),
        ("Соответствие", "Map"),
        ("ТаблицаЗначений", "ValueTable"),
        ("СписокЗначений", "ValueList"),
        ("Запрос", "Query"),
    ];
    TYPES.iter().find(|(r, _)| *r == ru).map_or_else(|| ru.to_string(), |(_, e)| (*e).to_string())
}

/// Platform functions whose first argument is a string.
const STRING_FUNCTIONS: &[&str] = &[
    "стрдлина",
    "strlen",
    "стрнайти",
    "strfind",
    "врег",
    "upper",
    "нрег",
    "lower",
    "сокрлп",
    "trimall",
    "сокрл",
    "triml",
    "сокрп",
    "trimr",
    "лев",
    "left",
    "прав",
    "right",
    "сред",
    "mid",
    "стрзаменить",
    "strreplace",
    "стрразделить",
    "strsplit",
    "стрначинаетсяс",
    "strstartswith",
    "стрзаканчиваетсяна",
    "strendswith",
    "стрчислострок",
    "strlinecount",
    "стрполучитьстроку",
    "strgetline",
    "стршаблон",
    "strtemplate",
];

/// Normalises a type name to the Russian spelling used internally.
fn to_russian_type(name: &str) -> String {
    const TYPES: &[(&str, &str)] = &[
        ("number", "Число"),
        ("string", "Строка"),
        ("boolean", "Булево"),
        ("date", "Дата"),
        ("structure", "Структура"),
        ("array", "Массив"),
        ("map", "Соответствие"),
        ("valuetable", "ТаблицаЗначений"),
        ("valuelist", "СписокЗначений"),
        ("query", "Запрос"),
    ];
    let lower = name.to_lowercase();
    TYPES.iter().find(|(e, _)| *e == lower).map_or_else(|| name.to_string(), |(_, r)| (*r).to_string())
}

/// The obvious type of a parameter: from its default, else from how the body uses it
/// (the first argument of a string function, compared with a number, used as a
/// condition). `None` when nothing is obvious.
pub fn parameter_type(parse: &Parse, method: &Method, index: usize) -> Option<String> {
    let param = method.parameters.get(index)?;
    if let Some(t) = param.default.as_deref().and_then(default_type)
        && t != "Неопределено"
        && t != "Null"
    {
        return Some(t.to_string());
    }
    let node = method_node(parse, method)?;
    let body = node.child_by_field_name("body")?;
    let name = param.name.to_lowercase();
    let is_param = |n: Node<'_>| n.kind() == "identifier" && parse.node_text(n).to_lowercase() == name;
    for n in descendants(body) {
        match n.kind() {
            "call_expression" => {
                let Some(function) = n.child_by_field_name("function") else { continue };
                if function.kind() != "identifier" {
                    continue;
                }
                let fname = parse.node_text(function).to_lowercase();
                if STRING_FUNCTIONS.contains(&fname.as_str())
                    && let Some(first) = n.child_by_field_name("arguments").and_then(|a| a.named_child(0))
                    && is_param(first)
                {
                    return Some("Строка".to_string());
                }
            }
            "binary_expression" => {
                let (Some(l), Some(r)) = (n.child_by_field_name("left"), n.child_by_field_name("right")) else {
                    continue;
                };
                for (a, b) in [(l, r), (r, l)] {
                    if is_param(a)
                        && let Some(t) = literal_type(b)
                        && matches!(t, "Число" | "Строка" | "Дата")
                    {
                        return Some(t.to_string());
                    }
                }
            }
            "if_statement" | "while_statement" | "elsif_clause"
                if n.child_by_field_name("condition").is_some_and(is_param) =>
            {
                return Some("Булево".to_string());
            }
            "not_expression" if n.child_by_field_name("operand").is_some_and(is_param) => {
                return Some("Булево".to_string());
            }
            _ => {}
        }
    }
    None
}

/// The obvious return types of a function, from its `Возврат` expressions: literals,
/// `Новый Тип`, a local assigned `Новый Тип`, a parameter of obvious type. `None` when any
/// return is not obvious (or there is none).
pub fn return_types(parse: &Parse, method: &Method) -> Option<Vec<String>> {
    let node = method_node(parse, method)?;
    let body = node.child_by_field_name("body")?;
    let all = descendants(body);
    let mut types: Vec<String> = Vec::new();
    let mut any = false;
    for n in &all {
        if n.kind() != "return_statement" {
            continue;
        }
        any = true;
        let value = n.child_by_field_name("value")?;
        let t = expression_type(parse, method, &all, value)?;
        if !types.contains(&t) {
            types.push(t);
        }
    }
    if !any {
        return None;
    }
    // `Неопределено` goes last, as in the standard's examples.
    types.sort_by_key(|t| t == "Неопределено");
    Some(types)
}

fn expression_type(parse: &Parse, method: &Method, all: &[Node<'_>], value: Node<'_>) -> Option<String> {
    if let Some(t) = literal_type(value) {
        return Some(t.to_string());
    }
    match value.kind() {
        "new_expression" => value.child_by_field_name("type").map(|t| to_russian_type(parse.node_text(t))),
        "identifier" => {
            let name = parse.node_text(value).to_lowercase();
            if let Some(i) = method.parameters.iter().position(|p| p.name.to_lowercase() == name) {
                return parameter_type(parse, method, i);
            }
            // A local: every assignment to it must say the same obvious type.
            let mut found: Option<String> = None;
            for n in all {
                if n.kind() != "assignment_statement" {
                    continue;
                }
                let Some(left) = n.child_by_field_name("left") else { continue };
                if left.kind() != "identifier" || parse.node_text(left).to_lowercase() != name {
                    continue;
                }
                let right = n.child_by_field_name("right")?;
                let t = match literal_type(right) {
                    Some(t) => t.to_string(),
                    None if right.kind() == "new_expression" => {
                        to_russian_type(parse.node_text(right.child_by_field_name("type")?))
                    }
                    None => return None,
                };
                match &found {
                    Some(f) if *f != t => return None,
                    _ => found = Some(t),
                }
            }
            found
        }
        "binary_expression" => match value.child_by_field_name("operator").map(|o| o.kind()) {
            Some("=" | "<>" | "<" | ">" | "<=" | ">=" | "and" | "or") => Some("Булево".to_string()),
            _ => None,
        },
        "not_expression" => Some("Булево".to_string()),
        _ => None,
    }
}

/// The type a parameter's line in the existing doc comment states (`//  Имя - Тип - ...`).
pub fn documented_type(method: &Method, index: usize) -> Option<String> {
    documented_parameter(method, index).map(|(t, _)| t)
}

/// The type and the description of a parameter's line in the existing doc comment.
pub fn documented_parameter(method: &Method, index: usize) -> Option<(String, Option<String>)> {
    let param = method.parameters.get(index)?;
    let doc = method.doc_comment.as_ref()?;
    let name = param.name.to_lowercase();
    for line in &doc.lines {
        let mut parts = line.trim().splitn(3, " - ");
        let (Some(n), Some(t)) = (parts.next(), parts.next()) else { continue };
        if n.trim().to_lowercase() == name {
            let t = t.trim();
            let first = t.split(',').next().unwrap_or(t).trim();
            if !first.is_empty() {
                let description =
                    parts.next().map(|d| d.trim().trim_end_matches('.').to_string()).filter(|d| !d.is_empty());
                return Some((to_russian_type(first), description));
            }
        }
    }
    None
}

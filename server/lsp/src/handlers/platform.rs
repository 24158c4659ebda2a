//! Platform facts in the editor, from the knowledge base: hover and signature help for
//! global-context methods and properties (`СтрНайти`, `ТекущаяДатаСеанса`), for platform
//! types in `Новый Тип`, and for methods of values whose type the method's code shows
//! (`Запрос = Новый Запрос; Запрос.Выполнить()`); completion of those values' members.
//!
//! Types are inferred inside one method, from the last assignment before the cursor: a `Новый`
//! expression, a global function's or a typed value's method's declared result, or, for a
//! name nothing assigns, the type of the same name (`Запрос.` in code that got its query from
//! elsewhere).

use bsl_knowledge::{GlobalKind, KnowledgeBase, Param, PlatformMethod, PlatformType};
use bsl_syntax::keywords::eq_ignore_case;
use bsl_syntax::tree_sitter::Node;
use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, Documentation, InsertTextFormat, MarkupContent, MarkupKind,
    ParameterInformation, ParameterLabel, SignatureInformation,
};

use crate::session::Snapshot;

fn kb() -> &'static KnowledgeBase {
    KnowledgeBase::embedded()
}

/// Whether this module declares a method of that name (which then hides the platform's).
fn is_module_method(snap: &Snapshot, name: &str) -> bool {
    snap.parse.module().methods.iter().any(|m| eq_ignore_case(&m.name, name))
}

/// The global method or property a bare name stands for.
fn global(snap: &Snapshot, node: Node<'_>) -> Option<&'static PlatformMethod> {
    let name = snap.parse.node_text(node);
    let parent = node.parent()?;
    let called = parent.kind() == "call_expression" && parent.child_by_field_name("function") == Some(node);
    let member = parent.kind() == "member_expression" && parent.child_by_field_name("property") == Some(node);
    if member || is_module_method(snap, name) {
        return None;
    }
    let method = kb().method(name)?;
    // A property is not called; a method is (a bare method name is a variable, probably).
    (called == (method.kind == GlobalKind::Method)).then_some(method)
}

/// The type of an expression, looked up at most a few steps deep.
fn type_of(snap: &Snapshot, expression: Node<'_>, depth: u32) -> Option<&'static PlatformType> {
    if depth > 4 {
        return None;
    }
    let text = snap.parse.text();
    match expression.kind() {
        "new_expression" => kb().type_(&text[expression.child_by_field_name("type")?.byte_range()]),
        "parenthesized_expression" => type_of(snap, expression.named_child(0)?, depth + 1),
        "call_expression" => {
            let function = expression.child_by_field_name("function")?;
            let returns = match function.kind() {
                "identifier" => global(snap, function)?.returns.as_ref()?,
                "member_expression" => {
                    let owner = type_of(snap, function.child_by_field_name("object")?, depth + 1)?;
                    let name = &text[function.child_by_field_name("property")?.byte_range()];
                    owner.method(name)?.returns.as_ref()?
                }
                _ => return None,
            };
            returns.types.iter().find_map(|t| kb().type_(t))
        }
        "member_expression" => {
            let owner = type_of(snap, expression.child_by_field_name("object")?, depth + 1)?;
            let name = &text[expression.child_by_field_name("property")?.byte_range()];
            owner.property(name)?.types.iter().find_map(|t| kb().type_(t))
        }
        "identifier" => variable_type(snap, expression, depth),
        _ => None,
    }
}

/// The type of a variable at a place: what the method last assigned to it before there,
/// else the platform type of the same name.
fn variable_type(snap: &Snapshot, variable: Node<'_>, depth: u32) -> Option<&'static PlatformType> {
    let text = snap.parse.text();
    let name = &text[variable.byte_range()];
    let at = variable.start_byte();
    let module = snap.parse.module();
    let assigned = module.methods.iter().find(|m| m.range.contains(&at)).and_then(|method| {
        let scope = snap.parse.root().descendant_for_byte_range(method.range.start, method.range.end)?;
        let mut last = None;
        for node in bsl_syntax::walk::preorder(scope) {
            if node.start_byte() >= at {
                break;
            }
            if node.kind() == "assignment_statement"
                && let Some(left) = node.child_by_field_name("left")
                && left.kind() == "identifier"
                && eq_ignore_case(&text[left.byte_range()], name)
                && node.end_byte() <= at
            {
                last = node.child_by_field_name("right");
            }
        }
        last
    });
    match assigned {
        Some(value) => type_of(snap, value, depth + 1),
        None => kb().type_(name),
    }
}

/// Markdown for the name at `node`, when the knowledge base knows it.
pub fn hover(snap: &Snapshot, node: Node<'_>) -> Option<String> {
    let text = snap.parse.text();
    let parent = node.parent()?;
    if parent.kind() == "new_expression" && parent.child_by_field_name("type") == Some(node) {
        return kb().type_(&text[node.byte_range()]).map(type_markdown);
    }
    if parent.kind() == "member_expression" && parent.child_by_field_name("property") == Some(node) {
        let owner = type_of(snap, parent.child_by_field_name("object")?, 0)?;
        let name = &text[node.byte_range()];
        if let Some(method) = owner.method(name) {
            let mut out = format!(
                "```bsl\n{}\n```\n\n{}.{}\n\n{}\n",
                method.signature(),
                owner.name_ru,
                method.name_ru,
                method.description
            );
            params(&mut out, &method.params);
            return Some(out);
        }
        let property = owner.property(name)?;
        return Some(format!(
            "```bsl\n{}: {}\n```\n\n{}.{}\n\n{}\n",
            property.name_ru,
            property.types.join(" | "),
            owner.name_ru,
            property.name_ru,
            property.description
        ));
    }
    global(snap, node).map(PlatformMethod::hover_markdown)
}

fn params(out: &mut String, params: &[Param]) {
    if params.is_empty() {
        return;
    }
    out.push_str("\n**Параметры:**\n\n");
    for p in params {
        let description = p.description.as_deref().unwrap_or("");
        out.push_str(&format!("- `{}` {description}\n", p.label()));
    }
}

fn type_markdown(t: &PlatformType) -> String {
    let mut out = format!("```bsl\nНовый {}\n```\n\n{} / {}\n\n{}\n", t.name_ru, t.name_ru, t.name_en, t.description);
    for constructor in &t.constructors {
        let labels: Vec<String> = constructor.params.iter().map(Param::label).collect();
        out.push_str(&format!("\n- `Новый {}({})` {}", t.name_ru, labels.join(", "), constructor.description));
    }
    out.push_str(&format!("\n\n**Доступность:** {}\n", t.availability));
    out
}

/// Signature help for a call of a global method or of a typed value's method.
pub fn signature(snap: &Snapshot, call: Node<'_>) -> Option<SignatureInformation> {
    let text = snap.parse.text();
    let function = call.child_by_field_name("function")?;
    let (label, parameters, documentation) = match function.kind() {
        "identifier" => {
            let method = global(snap, function)?;
            (method.signature(), &method.params, method.description.clone())
        }
        "member_expression" => {
            let owner = type_of(snap, function.child_by_field_name("object")?, 0)?;
            let method = owner.method(&text[function.child_by_field_name("property")?.byte_range()])?;
            (method.signature(), &method.params, method.description.clone())
        }
        _ => return None,
    };
    Some(SignatureInformation {
        label,
        documentation: Some(Documentation::String(documentation)),
        parameters: Some(
            parameters
                .iter()
                .map(|p| ParameterInformation {
                    label: ParameterLabel::Simple(p.label()),
                    documentation: p.description.clone().map(Documentation::String),
                })
                .collect(),
        ),
        active_parameter: None,
    })
}

/// The members of the value named `name` at `offset` (the name before the dot the cursor
/// follows), when its type is known.
pub fn members(snap: &Snapshot, name: &str, offset: usize) -> Vec<CompletionItem> {
    let root = snap.parse.root();
    // The name's own node, if the tree has it where the text does.
    let start = offset.saturating_sub(name.len() + 1);
    let node = root
        .descendant_for_byte_range(start, start + name.len())
        .filter(|n| n.kind() == "identifier" && eq_ignore_case(snap.parse.node_text(*n), name));
    let owner = match node {
        Some(node) => variable_type(snap, node, 0),
        None => kb().type_(name),
    };
    let Some(owner) = owner else { return Vec::new() };
    let mut items = Vec::new();
    for method in &owner.methods {
        let snippet =
            if method.params.is_empty() { format!("{}()", method.name_ru) } else { format!("{}($0)", method.name_ru) };
        items.push(CompletionItem {
            label: method.name_ru.clone(),
            kind: Some(CompletionItemKind::METHOD),
            detail: Some(format!("{}: {}", owner.name_ru, method.signature())),
            documentation: Some(Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value: method.description.clone(),
            })),
            insert_text: Some(snippet),
            insert_text_format: Some(InsertTextFormat::SNIPPET),
            sort_text: Some(format!("0{}", method.name_ru)),
            ..CompletionItem::default()
        });
    }
    for property in &owner.properties {
        items.push(CompletionItem {
            label: property.name_ru.clone(),
            kind: Some(CompletionItemKind::PROPERTY),
            detail: Some(format!("{}: {}", owner.name_ru, property.types.join(" | "))),
            documentation: Some(Documentation::String(property.description.clone())),
            sort_text: Some(format!("0{}", property.name_ru)),
            ..CompletionItem::default()
        });
    }
    items
}

/// Global methods and properties, for completion at statement level.
pub fn globals(english: bool) -> Vec<CompletionItem> {
    kb().methods()
        .iter()
        .map(|m| {
            let name = if english { &m.name_en } else { &m.name_ru };
            let method = m.kind == GlobalKind::Method;
            CompletionItem {
                label: name.clone(),
                kind: Some(if method { CompletionItemKind::FUNCTION } else { CompletionItemKind::PROPERTY }),
                detail: Some(m.signature()),
                documentation: Some(Documentation::MarkupContent(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: m.description.clone(),
                })),
                insert_text: method
                    .then(|| if m.params.is_empty() { format!("{name}()") } else { format!("{name}($0)") }),
                insert_text_format: method.then_some(InsertTextFormat::SNIPPET),
                sort_text: Some(format!("3{name}")),
                ..CompletionItem::default()
            }
        })
        .collect()
}

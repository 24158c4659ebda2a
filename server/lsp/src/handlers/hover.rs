//! Hover: a method's signature and its documentation comment, a variable's or parameter's
//! declaration, and the documentation of the rules that flag the place.

use bsl_analysis::Diagnostic;
use bsl_analysis::resolve::{self, Symbol};
use bsl_analysis::rules::find_rule;
use bsl_analysis::workspace::{MethodInfo, ModuleInfo, Target, target_at};
use bsl_syntax::{Method, MethodKind};
use tower_lsp_server::ls_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

use crate::convert;
use crate::session::Snapshot;

/// `Функция Имя(Знач А, Б = 1) Экспорт`: parameters as (by value, name, default).
fn format_signature<'a>(
    kind: MethodKind,
    is_async: bool,
    name: &str,
    parameters: impl Iterator<Item = (bool, &'a str, Option<&'a str>)>,
    export: bool,
) -> String {
    let keyword = match kind {
        MethodKind::Function => "Функция",
        MethodKind::Procedure => "Процедура",
    };
    let parameters: Vec<String> = parameters
        .map(|(by_value, name, default)| {
            let value = if by_value { "Знач " } else { "" };
            let default = default.map(|d| format!(" = {d}")).unwrap_or_default();
            format!("{value}{name}{default}")
        })
        .collect();
    let prefix = if is_async { "Асинх " } else { "" };
    let export = if export { " Экспорт" } else { "" };
    format!("{prefix}{keyword} {name}({}){export}", parameters.join(", "))
}

/// The signature of a method of this module.
pub fn signature(method: &Method) -> String {
    let parameters = method.parameters.iter().map(|p| (p.by_value, p.name.as_str(), p.default.as_deref()));
    format_signature(method.kind, method.is_async, &method.name, parameters, method.export)
}

/// The signature of a method of another module, as the index keeps it.
pub fn info_signature(method: &MethodInfo) -> String {
    let parameters = method.parameters.iter().map(|p| (p.by_value, p.name.as_str(), p.default.as_deref()));
    format_signature(method.kind, method.is_async, &method.name, parameters, method.export)
}

/// A method of another module: where it is, its signature and its documentation comment.
fn info_markdown(module: &ModuleInfo, method: &MethodInfo) -> String {
    let mut out = format!("**{}**\n", module.name);
    if let Some(directive) = method.directive {
        out.push_str(&format!("`&{}`\n", directive.names().0));
    }
    out.push_str(&format!("```bsl\n{}\n```\n", info_signature(method)));
    if let Some(doc) = &method.doc {
        out.push_str("\n---\n\n");
        out.push_str(&doc_markdown(doc.lines()));
    }
    out
}

/// A standard method comment as Markdown: section headings stand out.
fn doc_markdown<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for line in lines {
        let trimmed = line.trim_end();
        let heading = ["Параметры:", "Возвращаемое значение:", "Пример:", "Parameters:", "Returns:", "Example:"];
        if heading.iter().any(|h| trimmed.trim() == *h) {
            out.push_str(&format!("\n**{}**\n\n", trimmed.trim().trim_end_matches(':')));
        } else {
            out.push_str(trimmed);
            out.push_str("  \n");
        }
    }
    out
}

/// The method's signature with its documentation comment, in Markdown.
pub fn method_markdown(method: &Method) -> String {
    let mut out = String::new();
    if let Some(directive) = method.directive() {
        out.push_str(&format!("`&{}`\n", directive.names().0));
    }
    out.push_str(&format!("```bsl\n{}\n```\n", signature(method)));
    if let Some(doc) = &method.doc_comment {
        out.push_str("\n---\n\n");
        out.push_str(&doc_markdown(doc.lines.iter().map(String::as_str)));
    }
    out
}

pub fn hover(snap: &Snapshot, position: Position, diagnostics: &[Diagnostic]) -> Option<Hover> {
    let parse = &snap.parse;
    let offset = convert::offset(parse, position);
    let module = parse.module();
    let mut sections = Vec::new();
    let mut range = None;
    if let Some(node) = resolve::identifier_at(parse, offset) {
        range = Some(convert::range(parse, node.byte_range()));
        match resolve::symbol_at(parse, &module, offset) {
            Some(Symbol::Method(index)) => {
                let method = &module.methods[index];
                sections.push(method_markdown(method));
                if let Some(hint) = snap.path().and_then(|path| super::risk::hint(snap, &path, method)) {
                    sections.push(hint);
                }
            }
            Some(Symbol::Parameter { method, index }) => {
                let p = &module.methods[method].parameters[index];
                let by_value = if p.by_value { "Знач " } else { "" };
                let default = p.default.as_ref().map(|d| format!(" = {d}")).unwrap_or_default();
                sections.push(format!("```bsl\n(параметр) {by_value}{}{default}\n```", p.name));
                if let Some(doc) = &module.methods[method].doc_comment
                    && let Some(line) = doc.lines.iter().find(|l| l.trim_start().starts_with(&p.name))
                {
                    sections.push(line.trim().to_string());
                }
            }
            Some(Symbol::ModuleVariable(index)) => {
                let v = &module.variables[index];
                let export = if v.export { " Экспорт" } else { "" };
                sections.push(format!("```bsl\nПерем {}{export}\n```\n(переменная модуля)", v.name));
            }
            Some(Symbol::Local { name, .. }) => sections.push(format!("```bsl\n(локальная переменная) {name}\n```")),
            None => {
                if let Some((Target::Method { qualifier, name }, _)) = target_at(parse, offset) {
                    let index = snap.workspace.index();
                    if let Some((module, method)) = index.resolve_method(&qualifier, &name) {
                        sections.push(info_markdown(module, method));
                    }
                }
                if sections.is_empty()
                    && let Some(markdown) = super::platform::hover(snap, node)
                {
                    sections.push(markdown);
                }
            }
        }
    }
    // The rules that flag this place explain themselves.
    for diagnostic in diagnostics.iter().filter(|d| d.range.contains(&offset) || d.range.start == offset) {
        if let Some(rule) = find_rule(diagnostic.code) {
            let meta = rule.rule.meta();
            let summary = rule.doc.split("\n\n").next().unwrap_or(rule.doc);
            sections.push(format!("**{}** `{}`: {}\n\n{}", meta.name_ru, meta.code, diagnostic.message, summary));
        }
    }
    if sections.is_empty() {
        return None;
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: sections.join("\n\n---\n\n"),
        }),
        range,
    })
}

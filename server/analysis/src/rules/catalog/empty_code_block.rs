//! EmptyCodeBlock: a branch, loop or `Попытка` with nothing inside.

use bsl_syntax::NodeExt;
use std::ops::Range;

use tree_sitter::Node;

use crate::rules::{ParamDefault, ParamMeta, Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags an empty body of `Если`, `ИначеЕсли`, `Иначе`, `Пока`, `Для`, `Для Каждого` or
/// `Попытка`: nothing between the header and the next keyword but blank lines (and, by
/// default, comments).
///
/// ## Why
/// An empty branch or loop does nothing; it is either unfinished code or a condition that
/// should be turned around. An empty `Попытка` protects nothing.
///
/// ## Example
/// ```bsl
/// Если Документ.Проведен Тогда
///     // ничего не делаем
/// Иначе
///     Документ.Записать(РежимЗаписиДокумента.Проведение);
/// КонецЕсли;
/// ```
/// Turn the condition around and drop the empty branch:
/// ```bsl
/// Если Не Документ.Проведен Тогда
///     Документ.Записать(РежимЗаписиДокумента.Проведение);
/// КонецЕсли;
/// ```
///
/// ## Exceptions
/// - A body holding only a comment counts as empty unless `commentAsCode` is on: then the
///   comment is taken as a deliberate explanation.
/// - `Пока Выборка.Следующий() Цикл КонецЦикла` — an empty `Пока` whose condition calls a
///   method does its work in the condition, and is left alone.
/// - An empty `Исключение` block is the business of `MissingCodeTryCatchEx`.
pub struct EmptyCodeBlock;

static META: RuleMeta = RuleMeta {
    code: "EmptyCodeBlock",
    name_ru: "Пустой блок кода",
    name_en: "Empty code block",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Major,
    tags: &["badpractice", "suspicious"],
    minutes_to_fix: 5,
    enabled_by_default: true,
    params: &[ParamMeta {
        name: "commentAsCode",
        default: ParamDefault::Bool(false),
        description_ru: "Считать комментарий в блоке кодом",
        description_en: "Count a comment in the block as code",
    }],
    module_kinds: &[],
};

/// The first child of `node` of an anonymous kind (a keyword).
fn keyword<'t>(node: Node<'t>, kind: &str) -> Option<Node<'t>> {
    let mut cursor = node.walk();
    node.children(&mut cursor).find(|c| !c.is_named() && c.kind_str() == kind)
}

fn is_empty(body: Option<Node<'_>>) -> bool {
    body.is_none_or(|b| {
        let mut cursor = b.walk();
        b.named_children(&mut cursor).all(|c| c.is_extra())
    })
}

/// One body to check: the header to report, the body, and the text span it stands in.
struct Part {
    header: Range<usize>,
    empty: bool,
    span: Range<usize>,
}

fn parts(node: Node<'_>) -> Vec<Part> {
    let mut out = Vec::new();
    match node.kind_str() {
        "if_statement" => {
            let Some(then) = keyword(node, "then") else { return out };
            let mut cursor = node.walk();
            let children: Vec<Node<'_>> = node.children(&mut cursor).filter(|c| !c.is_extra()).collect();
            let next_after = |at: usize| children.iter().find(|c| c.start_byte() >= at && c.kind_str() != "block");
            let end = next_after(then.end_byte()).map_or(node.end_byte(), |n| n.start_byte());
            out.push(Part {
                header: node.start_byte()..then.end_byte(),
                empty: is_empty(node.field("consequence")),
                span: then.end_byte()..end,
            });
            for clause in children.iter().filter(|c| matches!(c.kind_str(), "elsif_clause" | "else_clause")) {
                let header_end = if clause.kind_str() == "elsif_clause" {
                    keyword(*clause, "then").map(|t| t.end_byte())
                } else {
                    clause.child(0).map(|k| k.end_byte())
                };
                let Some(header_end) = header_end else { continue };
                let end = next_after(clause.end_byte()).map_or(node.end_byte(), |n| n.start_byte());
                out.push(Part {
                    header: clause.start_byte()..header_end,
                    empty: is_empty(clause.field("body")),
                    span: header_end..end,
                });
            }
        }
        "while_statement" | "for_statement" | "for_each_statement" => {
            let (Some(open), Some(close)) = (keyword(node, "do"), keyword(node, "enddo")) else { return out };
            let calls = node.kind_str() == "while_statement"
                && node
                    .field("condition")
                    .is_some_and(|c| bsl_syntax::walk::preorder(c).any(|n| n.kind_str() == "call_expression"));
            out.push(Part {
                header: node.start_byte()..open.end_byte(),
                empty: !calls && is_empty(node.field("body")),
                span: open.end_byte()..close.start_byte(),
            });
        }
        "try_statement" => {
            let (Some(open), Some(handler)) = (keyword(node, "try"), node.field("handler")) else {
                return out;
            };
            out.push(Part {
                header: open.byte_range(),
                empty: is_empty(node.field("body")),
                span: open.end_byte()..handler.start_byte(),
            });
        }
        _ => {}
    }
    out
}

impl Rule for EmptyCodeBlock {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["if_statement", "while_statement", "for_statement", "for_each_statement", "try_statement"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        if node.has_error() {
            return;
        }
        let comment_as_code = ctx.param_bool("commentAsCode");
        for part in parts(node) {
            if !part.empty || part.span.start > part.span.end {
                continue;
            }
            if comment_as_code && ctx.text()[part.span.clone()].contains("//") {
                continue;
            }
            let message = ctx.tr("Пустой блок кода", "Empty code block");
            ctx.report(part.header, message);
        }
    }
}

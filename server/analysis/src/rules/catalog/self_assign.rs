//! SelfAssign: assigning a variable to itself.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::diagnostic::Edit;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags assignments whose two sides are the same name or path: `А = А;`,
/// `Объект.Поле = Объект.Поле;` (compared without regard to case and blanks).
///
/// ## Why
/// Such a statement does nothing; it is a typo for another variable or a leftover of an
/// edit. (Reading an attribute of a form or an object can have side effects in rare
/// platform objects, which is exactly why the line deserves a look.)
///
/// ## Example
/// ```bsl
/// Сумма = Сумма; // flagged
/// ```
///
/// ## Exceptions
/// A self-assignment with a comment at the end of its line or on the line above is taken as
/// deliberate: the development tools read `Данные = Данные; // СправочникОбъект` as a type
/// annotation, and assigning a property to itself can be done for its setter's side effect
/// (marking an object modified, refreshing a form item), which the comment explains.
///
/// ## Fix
/// Removes the statement.
pub struct SelfAssign;

static META: RuleMeta = RuleMeta {
    code: "SelfAssign",
    name_ru: "Присвоение переменной самой себе",
    name_en: "Variable assigned to itself",
    rule_type: RuleType::Error,
    severity: Severity::Major,
    tags: &["suspicious"],
    minutes_to_fix: 10,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

fn normalized(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

impl Rule for SelfAssign {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["assignment_statement"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let (Some(left), Some(right)) = (node.field("left"), node.field("right")) else {
            return;
        };
        if !matches!(right.kind_str(), "identifier" | "member_expression" | "index_expression") {
            return;
        }
        if normalized(ctx.node_text(left)) != normalized(ctx.node_text(right)) {
            return;
        }
        let text = ctx.text();
        let mut end = node.end_byte();
        if text[end..].starts_with(';') {
            end += 1;
        }
        let line_start = text[..node.start_byte()].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
        // A commented self-assignment is deliberate: a type annotation for the development
        // tools (`Данные = Данные; // СправочникОбъект`) or a setter's side effect
        // (`// Требуется для обновления отображения` on the line above).
        let trailing_comment = text[end..line_end].trim_start().starts_with("//");
        let comment_above = line_start > 0 && {
            let above_start = text[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
            text[above_start..line_start].trim_start().starts_with("//")
        };
        if trailing_comment || comment_above {
            return;
        }
        let message = ctx.tr("Переменная присваивается самой себе", "The variable is assigned to itself");
        // Remove the statement with its `;` and the line when nothing else stands on it.
        let alone = text[line_start..node.start_byte()].trim().is_empty() && text[end..line_end].trim().is_empty();
        let range = if alone { line_start..line_end } else { node.start_byte()..end };
        let fix =
            ctx.fix("Удалить присваивание", "Remove the assignment", vec![Edit { range, new_text: String::new() }]);
        ctx.report(node.byte_range(), message).fix = Some(fix);
    }
}

//! SemicolonPresence: a statement not closed by `;`.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::diagnostic::Edit;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags a statement that is not followed by `;`, the last one before `КонецЕсли`,
/// `КонецЦикла`, `КонецПроцедуры`, `ИначеЕсли`, `Иначе` or `Исключение` included.
///
/// ## Why
/// The platform lets the last statement of a block go without `;`, but then adding a line
/// after it breaks the module, and the code reads differently from the rest. Every
/// statement ends with `;`, as the standard's examples write it.
///
/// ## Example
/// ```bsl
/// Если Готово Тогда
///     Закрыть() // flagged
/// КонецЕсли;
/// ```
///
/// Labels (`~Метка:`) end with a colon and are not statements for this rule. Statements
/// the parser could not make sense of are left to `ParseError`.
///
/// ## Fix
/// Inserts `;` right after the statement.
pub struct SemicolonPresence;

static META: RuleMeta = RuleMeta {
    code: "SemicolonPresence",
    name_ru: "Выражение должно заканчиваться символом \";\"",
    name_en: "A statement should end with \";\"",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Minor,
    tags: &["standard", "badpractice"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

fn needs_semicolon(kind: &str) -> bool {
    (kind.ends_with("_statement") && kind != "label_statement") || kind == "var_declaration"
}

impl Rule for SemicolonPresence {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["block", "source_file"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let children: Vec<Node<'_>> = ctx.children(node).iter().copied().filter(|c| !c.is_extra()).collect();
        let mut missing = Vec::new();
        for (index, child) in children.iter().enumerate() {
            if !needs_semicolon(child.kind_str()) || child.has_error() || child.is_missing() {
                continue;
            }
            match children.get(index + 1) {
                Some(next) if next.kind_str() == ";" || next.kind_str() == "ERROR" => continue,
                // A compound statement is marked at its end keyword, where the `;` goes.
                _ => missing.push(match child.kind_str() {
                    "if_statement" | "while_statement" | "for_statement" | "for_each_statement" | "try_statement" => {
                        let last = child.child(child.child_count().saturating_sub(1));
                        last.map_or(child.byte_range(), |l| l.byte_range())
                    }
                    _ => child.byte_range(),
                }),
            }
        }
        for range in missing {
            let at = range.end;
            let message =
                ctx.tr("Пропущена точка с запятой в конце выражения", "Missing \";\" at the end of the statement");
            let fix = ctx.fix("Добавить \";\"", "Add \";\"", vec![Edit { range: at..at, new_text: ";".into() }]);
            ctx.report(range, message).fix = Some(fix);
        }
    }
}

//! IfElseDuplicatedCodeBlock: two branches of one `Если` chain with the same body.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::support::c_normalize::{if_branches, normalized, overlaps_masked, statements};
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags a branch of an `Если ... ИначеЕсли ... Иначе` chain whose body is the same code as
/// the body of an earlier branch. Bodies are compared as code: letter case, the language of
/// keywords, line breaks, blanks and comments do not matter. Empty branches, and guard
/// clauses whose body is a lone `Продолжить;`, `Прервать;` or `Возврат;`, are not compared.
///
/// ## Why
/// Two branches doing the same thing are either a copy that was not adapted to its case
/// (a bug), or two conditions that can be joined with `ИЛИ`, which makes the chain shorter
/// and shows that both cases are handled alike on purpose.
///
/// ## Example
/// ```bsl
/// Если Вид = "Приход" Тогда
///     Остаток = Остаток + Количество;
/// ИначеЕсли Вид = "Возврат" Тогда // flagged: same body as the first branch
///     Остаток = Остаток + Количество;
/// Иначе
///     Остаток = Остаток - Количество;
/// КонецЕсли;
/// ```
///
/// Fixed:
/// ```bsl
/// Если Вид = "Приход" ИЛИ Вид = "Возврат" Тогда
///     Остаток = Остаток + Количество;
/// Иначе
///     Остаток = Остаток - Количество;
/// КонецЕсли;
/// ```
pub struct IfElseDuplicatedCodeBlock;

static META: RuleMeta = RuleMeta {
    code: "IfElseDuplicatedCodeBlock",
    name_ru: "Повторяющиеся блоки кода в синтаксической конструкции Если...Тогда...ИначеЕсли...",
    name_en: "Duplicated code blocks in If...Then...ElsIf",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Major,
    tags: &["suspicious"],
    minutes_to_fix: 10,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for IfElseDuplicatedCodeBlock {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::MethodAtLine
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["if_statement"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let branches = if_branches(node);
        if branches.len() < 2 {
            return;
        }
        let text = ctx.text();
        let masked = ctx.parse().masked();
        // A cheap shape first (the kinds of the statements); the normalized text, which walks
        // the whole body, only for bodies whose shape matches an earlier one.
        let shapes: Vec<Option<Vec<u16>>> = branches
            .iter()
            .map(|b| {
                let body = b.body.filter(|body| !body.has_error() && !overlaps_masked(*body, masked))?;
                let found = statements(Some(body));
                // Guard clauses (`Продолжить;`, `Прервать;`, `Возврат;` alone) read best one
                // condition per branch: not a duplicate worth merging.
                if let [only] = found.as_slice()
                    && (matches!(only.kind_str(), "continue_statement" | "break_statement")
                        || (only.kind_str() == "return_statement" && only.field("value").is_none()))
                {
                    return None;
                }
                let kinds: Vec<u16> = found.iter().map(|s| s.kind_id()).collect();
                (!kinds.is_empty()).then_some(kinds)
            })
            .collect();
        let mut keys: Vec<Option<String>> = vec![None; branches.len()];
        for later in 1..branches.len() {
            let Some(shape) = &shapes[later] else { continue };
            for earlier in 0..later {
                if shapes[earlier].as_ref() != Some(shape) {
                    continue;
                }
                for index in [earlier, later] {
                    if keys[index].is_none() {
                        keys[index] = branches[index].body.map(|body| normalized(body, text));
                    }
                }
                if keys[earlier] == keys[later] {
                    let line = branches[earlier].keyword.start_position().row + 1;
                    let message = ctx.tr(
                        format!("Код ветки повторяет код ветки в строке {line}"),
                        format!("The branch repeats the code of the branch on line {line}"),
                    );
                    ctx.report(branches[later].keyword.byte_range(), message);
                    break;
                }
            }
        }
    }
}

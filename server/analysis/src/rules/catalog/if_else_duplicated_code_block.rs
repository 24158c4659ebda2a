//! IfElseDuplicatedCodeBlock: two branches of one `Если` chain with the same body.

use tree_sitter::Node;

use crate::rules::support::c_normalize::{if_branches, normalized};
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags a branch of an `Если ... ИначеЕсли ... Иначе` chain whose body is the same code as
/// the body of an earlier branch. Bodies are compared as code: letter case, the language of
/// keywords, line breaks, blanks and comments do not matter. Empty branches are not
/// compared.
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

    fn node_kinds(&self) -> &'static [&'static str] {
        &["if_statement"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_>) {
        let branches = if_branches(node);
        if branches.len() < 2 {
            return;
        }
        let text = ctx.text();
        let mut seen: Vec<(String, usize)> = Vec::new();
        for branch in &branches {
            let Some(body) = branch.body else { continue };
            if body.has_error() {
                continue;
            }
            let key = normalized(body, text);
            if key.is_empty() {
                continue;
            }
            if let Some((_, line)) = seen.iter().find(|(k, _)| *k == key) {
                let line = *line;
                let message = ctx.tr(
                    format!("Код ветки повторяет код ветки в строке {line}"),
                    format!("The branch repeats the code of the branch on line {line}"),
                );
                ctx.report(branch.keyword.byte_range(), message);
            } else {
                seen.push((key, branch.keyword.start_position().row + 1));
            }
        }
    }
}

//! UsingGoto: the `Перейти` statement.

use tree_sitter::Node;

use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags `Перейти ~Метка` (`Goto`) statements (standard 547).
///
/// ## Why
/// A jump to a label breaks the structure of the method: the reader can no longer tell from
/// the indentation which code runs in which case, and the platform forbids `Перейти` in
/// several contexts anyway (it does not work across `Попытка` blocks in the web client).
///
/// ## Example
/// ```bsl
/// Для Каждого Строка Из Таблица Цикл
///     Если Строка.Готово Тогда
///         Перейти ~Конец;
///     КонецЕсли;
/// КонецЦикла;
/// ~Конец:
/// ```
/// Use `Прервать`, `Продолжить`, `Возврат` or a separate method instead.
pub struct UsingGoto;

static META: RuleMeta = RuleMeta {
    code: "UsingGoto",
    name_ru: "Использование оператора Перейти",
    name_en: "Using the Goto statement",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Critical,
    tags: &["standard", "badpractice"],
    minutes_to_fix: 15,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for UsingGoto {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["goto_statement"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let message = ctx.tr("Не используйте оператор \"Перейти\"", "Do not use the \"Goto\" statement");
        ctx.report(node.byte_range(), message);
    }
}

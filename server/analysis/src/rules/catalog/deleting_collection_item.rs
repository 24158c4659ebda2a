//! DeletingCollectionItem: deleting items of the collection a `Для Каждого` loop walks.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::util::{call_object, called_name, is_any};
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags `Коллекция.Удалить(...)` (`Delete`) inside `Для Каждого Элемент Из Коллекция Цикл`
/// when the loop walks that very collection (the same expression, any case and spacing).
///
/// ## Why
/// `Для Каждого` walks the collection by position. Deleting the current item shifts the
/// next one into its place, and the loop skips it: half of the rows to delete stay, or the
/// loop reads past the end. Walk a copy or the positions backwards
/// (`Для Индекс = -Коллекция.Количество() + 1 По 0 Цикл`), or collect what to delete first.
///
/// Deleting and leaving the loop at once (`Удалить` followed by `Прервать`, `Возврат` or
/// `ВызватьИсключение`) is safe and not flagged. Loops over another expression
/// (`Для Каждого Строка Из Таблица.НайтиСтроки(Отбор)`, an array copy) are not flagged
/// either.
///
/// ## Example
/// ```bsl
/// Для Каждого Строка Из Товары Цикл
///     Если Строка.Количество = 0 Тогда
///         Товары.Удалить(Строка); // flagged
///     КонецЕсли;
/// КонецЦикла;
/// ```
pub struct DeletingCollectionItem;

static META: RuleMeta = RuleMeta {
    code: "DeletingCollectionItem",
    name_ru: "Удаление элемента при обходе коллекции посредством оператора \"Для каждого ... Из ... Цикл\"",
    name_en: "Deleting an item when iterating through collection using the operator \"For each ... In ... Do\"",
    rule_type: RuleType::Error,
    severity: Severity::Major,
    tags: &["standard", "error"],
    minutes_to_fix: 5,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for DeletingCollectionItem {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["for_each_statement"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let text = ctx.text();
        let (Some(collection), Some(body)) = (node.field("collection"), node.field("body"))
        else {
            return;
        };
        let walked = normalized(&text[collection.byte_range()]);
        let mut found = Vec::new();
        for call in bsl_syntax::walk::preorder(body).filter(|n| n.kind_str() == "call_expression") {
            if !called_name(call, text).is_some_and(|n| is_any(n, &["Удалить", "Delete"])) {
                continue;
            }
            let Some(object) = call_object(call) else { continue };
            if normalized(&text[object.byte_range()]) != walked || leaves_loop_next(call) {
                continue;
            }
            found.push(call.byte_range());
        }
        for range in found {
            let name = text[collection.byte_range()].trim().to_string();
            let message = ctx.tr(
                format!("Удаление из коллекции \"{name}\" при ее обходе в цикле Для Каждого"),
                format!("Deleting from \"{name}\" while a For Each loop walks it"),
            );
            ctx.report(range, message);
        }
    }
}

/// The expression's text without blanks, folded.
fn normalized(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

/// Whether the statement after the call's statement leaves the loop or the method.
fn leaves_loop_next(call: Node<'_>) -> bool {
    let Some(statement) = call.parent().filter(|p| p.kind_str() == "call_statement") else { return false };
    let mut next = statement.next_named_sibling();
    while let Some(n) = next.filter(|n| n.is_extra()) {
        next = n.next_named_sibling();
    }
    next.is_some_and(|n| matches!(n.kind_str(), "break_statement" | "return_statement" | "raise_statement"))
}

//! ExcessiveAutoTestCheck: the obsolete `Если Параметры.Свойство("АвтоТест") Тогда Возврат;`.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::diagnostic::Edit;
use crate::module_kind::ModuleKind;
use crate::rules::support::r2_args::argument_at;
use crate::rules::support::r2_strings::string_value;
use crate::rules::util::{call_object, called_name, is_any};
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags, in form modules, the check `Если Параметры.Свойство("АвтоТест") Тогда Возврат;
/// КонецЕсли;` (`Parameters.Property("AutoTest")`) whose body only returns.
///
/// ## Why
/// Old versions of the standards asked every form's `ПриСозданииНаСервере` to return at once
/// when the form was opened by the automatic testing tool with the `АвтоТест` parameter. The
/// platform and the tools no longer need it: the check only adds a branch to every form and
/// skips the form's initialization in tests, so they check less than the users see.
///
/// ## Example
/// ```bsl
/// &НаСервере
/// Процедура ПриСозданииНаСервере(Отказ, СтандартнаяОбработка)
///     Если Параметры.Свойство("АвтоТест") Тогда // flagged
///         Возврат;
///     КонецЕсли;
///     Заполнить();
/// КонецПроцедуры
/// ```
///
/// ## Fix
/// Removes the whole `Если ... КонецЕсли;` when it stands on lines of its own.
pub struct ExcessiveAutoTestCheck;

static META: RuleMeta = RuleMeta {
    code: "ExcessiveAutoTestCheck",
    name_ru: "Избыточная проверка параметра АвтоТест",
    name_en: "Excessive AutoTest parameter check",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Minor,
    tags: &["standard", "deprecated", "clumsy"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[ModuleKind::Form],
};

impl Rule for ExcessiveAutoTestCheck {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["if_statement"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let text = ctx.text();
        if node.field("alternative").is_some() {
            return;
        }
        let Some(condition) = node.field("condition") else { return };
        if !is_auto_test_property(condition, text) || !only_returns(node.field("consequence")) {
            return;
        }
        let message = ctx.tr(
            "Избыточная проверка параметра \"АвтоТест\": удалите ее",
            "Excessive check of the \"AutoTest\" parameter: remove it",
        );
        let fix = whole_lines(node, text).map(|range| {
            ctx.fix(
                "Удалить проверку АвтоТест",
                "Remove the AutoTest check",
                vec![Edit { range, new_text: String::new() }],
            )
        });
        // `Если <условие> Тогда`: the whole statement may span many lines.
        let mut cursor = node.walk();
        let then = node.children(&mut cursor).find(|c| c.kind_str() == "then");
        let end = then.map_or(condition.end_byte(), |t| t.end_byte());
        ctx.report(node.start_byte()..end, message).fix = fix;
    }
}

/// `Параметры.Свойство("АвтоТест")`, the object possibly reached through `ЭтаФорма.`.
fn is_auto_test_property(condition: Node<'_>, text: &str) -> bool {
    let condition = crate::rules::support::c_normalize::unparenthesized(condition);
    if condition.kind_str() != "call_expression"
        || !called_name(condition, text).is_some_and(|n| is_any(n, &["Свойство", "Property"]))
    {
        return false;
    }
    let Some(object) = call_object(condition) else { return false };
    let object_text = &text[object.byte_range()];
    let last = object_text.rsplit('.').next().unwrap_or(object_text).trim();
    if !is_any(last, &["Параметры", "Parameters"]) || crate::rules::util::arguments(condition).len() != 1 {
        return false;
    }
    argument_at(condition, 0)
        .filter(|a| a.kind_str() == "string")
        .is_some_and(|a| is_any(string_value(a, text).trim(), &["АвтоТест", "AutoTest"]))
}

/// Whether a block holds nothing but `Возврат` statements (and comments).
fn only_returns(block: Option<Node<'_>>) -> bool {
    let Some(block) = block else { return false };
    let mut cursor = block.walk();
    let statements: Vec<Node<'_>> = block.named_children(&mut cursor).filter(|c| !c.is_extra()).collect();
    !statements.is_empty()
        && statements.iter().all(|s| s.kind_str() == "return_statement" && s.field("value").is_none())
}

/// The statement's lines with their line break, when nothing else stands on them.
fn whole_lines(node: Node<'_>, text: &str) -> Option<std::ops::Range<usize>> {
    let line_start = text[..node.start_byte()].rfind('\n').map_or(0, |i| i + 1);
    if !text[line_start..node.start_byte()].trim().is_empty() {
        return None;
    }
    let rest = &text[node.end_byte()..];
    let line_end = rest.find('\n').map_or(text.len(), |i| node.end_byte() + i + 1);
    let tail = text[node.end_byte()..line_end].trim();
    (tail.is_empty() || tail == ";").then_some(line_start..line_end)
}

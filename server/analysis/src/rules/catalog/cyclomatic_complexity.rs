//! CyclomaticComplexity: methods whose cyclomatic complexity is over the threshold.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::support::b_metrics::shared_complexities;
use crate::rules::{ParamDefault, ParamMeta, Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags a procedure or function whose cyclomatic complexity is above
/// `complexityThreshold` (20 by default). The diagnostic stands on the method's name and
/// gives the value.
///
/// ## What is counted
/// The number of independent paths through the method: 1, plus one for each `Если` and
/// `ИначеЕсли`, each loop (`Пока`, `Для`, `Для Каждого`), each `Исключение` handler, each
/// ternary `?(...)`, and each `И`/`ИЛИ` (they are evaluated lazily, so each one is a
/// branch). `Иначе`, `Перейти`, `Возврат` and `ВызватьИсключение` add nothing.
///
/// ## Why
/// Every path is a case to think through and to test. A method with more than twenty of
/// them cannot be covered by tests in reasonable time, and a change in one branch easily
/// breaks another. Split the method: move each branch's work into its own method, or
/// replace long `ИначеЕсли` chains over a value by a lookup in a `Соответствие`.
///
/// ## Example
/// ```bsl
/// // Twenty-five branches over the kind of document in one method: flagged.
/// Если Вид = "Заказ" Тогда
///     ...
/// ИначеЕсли Вид = "Счет" Тогда
///     ...
/// // ... and so on
///
/// // Better: a handler per kind, chosen in one place.
/// Обработчик = ОбработчикиВидов().Получить(Вид);
/// ```
pub struct CyclomaticComplexity;

static META: RuleMeta = RuleMeta {
    code: "CyclomaticComplexity",
    name_ru: "Цикломатическая сложность",
    name_en: "Cyclomatic complexity",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Critical,
    tags: &["brainoverload"],
    minutes_to_fix: 25,
    enabled_by_default: true,
    params: &[ParamMeta {
        name: "complexityThreshold",
        default: ParamDefault::Int(20),
        description_ru: "Допустимая цикломатическая сложность метода",
        description_en: "Highest cyclomatic complexity allowed for a method",
    }],
    module_kinds: &[],
};

impl Rule for CyclomaticComplexity {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["method_declaration"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(name) = node.field("name") else { return };
        let threshold = ctx.param_int("complexityThreshold").max(0) as u32;
        let value = shared_complexities(ctx, node).0;
        if value > threshold {
            let method = ctx.node_text(name);
            let message = ctx.tr(
                format!("Цикломатическая сложность метода \"{method}\" {value}, допустимо {threshold}"),
                format!("Cyclomatic complexity of method \"{method}\" is {value}, at most {threshold} allowed"),
            );
            ctx.report(name.byte_range(), message);
        }
    }
}

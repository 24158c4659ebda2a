//! CognitiveComplexity: methods whose cognitive complexity is over the threshold.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::support::b_metrics::{CognitiveIncrement, shared_complexities};
use crate::rules::{ParamDefault, ParamMeta, Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags a procedure or function whose cognitive complexity is above `complexityThreshold`
/// (15 by default). The diagnostic stands on the method's name and gives the value.
///
/// ## What is counted
/// Cognitive complexity estimates how hard a method is to *read*, following SonarSource's
/// definition adapted to BSL:
///
/// * +1 for `Если`, a ternary `?(...)`, each loop and `Исключение`, plus one more for every
///   level of structure the statement sits in;
/// * +1 for `ИначеЕсли`, `Иначе` and `Перейти`, whatever the nesting;
/// * +1 for each run of identical boolean operators (`А И Б И В` costs 1, `А И Б ИЛИ В`
///   costs 2);
/// * +1 for a call of the method to itself.
///
/// The body of `Попытка` does not count as a level; the handler after `Исключение` does.
///
/// ## Why
/// Deeply nested branches force the reader to hold every enclosing condition in mind.
/// Past a certain point a method is understood only by running it in the debugger, and
/// changes in it break things. Extract the inner parts into well-named methods, return
/// early instead of wrapping the rest of the method into `Если`, and name complex
/// conditions with variables or functions.
///
/// ## Example
/// ```bsl
/// // Deep nesting: every inner statement pays for the levels above it.
/// Для Каждого Строка Из Таблица Цикл
///     Если Строка.Активна Тогда
///         Если Строка.Сумма > 0 И НЕ Строка.Проведена Тогда
///             ...
///
/// // Better: skip early, the rest of the loop stays flat.
/// Для Каждого Строка Из Таблица Цикл
///     Если НЕ ТребуетОбработки(Строка) Тогда
///         Продолжить;
///     КонецЕсли;
///     ...
/// ```
pub struct CognitiveComplexity;

static META: RuleMeta = RuleMeta {
    code: "CognitiveComplexity",
    name_ru: "Когнитивная сложность",
    name_en: "Cognitive complexity",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Critical,
    tags: &["brainoverload"],
    minutes_to_fix: 15,
    enabled_by_default: true,
    params: &[ParamMeta {
        name: "complexityThreshold",
        default: ParamDefault::Int(15),
        description_ru: "Допустимая когнитивная сложность метода",
        description_en: "Highest cognitive complexity allowed for a method",
    }],
    module_kinds: &[],
};

impl Rule for CognitiveComplexity {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::MethodAtLine
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["method_declaration"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(name) = node.field("name") else { return };
        let threshold = ctx.param_int("complexityThreshold").max(0) as u32;
        let start = node.start_byte();
        let shared = shared_complexities(ctx, node);
        let increments: Vec<_> = shared
            .1
            .iter()
            .map(|i| CognitiveIncrement { range: i.range.start + start..i.range.end + start, ..i.clone() })
            .collect();
        let value: u32 = increments.iter().map(|i| i.amount()).sum();
        if value <= threshold {
            return;
        }
        // Where most of it comes from: the costliest nested structure, to start with.
        let worst = increments.iter().filter(|i| i.kind.takes_nesting()).max_by_key(|i| i.amount());
        let method = ctx.node_text(name);
        let message = match worst {
            Some(worst) if worst.nesting > 0 => {
                let line = ctx.parse().line_index().line_of(worst.range.start) + 1;
                ctx.tr(
                    format!(
                        "Когнитивная сложность метода \"{method}\" {value}, допустимо {threshold} (глубже всего вложена конструкция в строке {line})"
                    ),
                    format!(
                        "Cognitive complexity of method \"{method}\" is {value}, at most {threshold} allowed (the most deeply nested structure is on line {line})"
                    ),
                )
            }
            _ => ctx.tr(
                format!("Когнитивная сложность метода \"{method}\" {value}, допустимо {threshold}"),
                format!("Cognitive complexity of method \"{method}\" is {value}, at most {threshold} allowed"),
            ),
        };
        ctx.report(name.byte_range(), message);
    }
}

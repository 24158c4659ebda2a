//! NumberOfValuesInStructureConstructor: `Новый Структура("А, Б, ...", ...)` with too many values.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::util::is_any;
use crate::rules::{ParamDefault, ParamMeta, Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags `Новый Структура("Ключ1, Ключ2, ...", Значение1, Значение2, ...)` (and the same
/// for `ФиксированнаяСтруктура`) that passes more than `maxValuesCount` (3 by default)
/// values after the keys string. Left-out values (`, ,`) count: they take a position.
///
/// ## Why
/// Values are matched to keys by position: with many of them the reader counts commas to
/// learn which value goes to which key, and adding a key in the middle silently shifts the
/// rest. Create the structure with the keys only, or empty, and fill it with `Вставить`, one
/// key and its value per line.
///
/// ## Example
/// ```bsl
/// // Flagged: five values to match by position.
/// Параметры = Новый Структура("Организация, Дата, Сумма, Валюта, Комментарий",
///     Организация, ТекущаяДатаСеанса(), 0, Валюта, "");
///
/// // Better.
/// Параметры = Новый Структура;
/// Параметры.Вставить("Организация", Организация);
/// Параметры.Вставить("Дата", ТекущаяДатаСеанса());
/// Параметры.Вставить("Сумма", 0);
/// ...
/// ```
///
/// Keys alone (`Новый Структура("А, Б, В, Г, Д")`) are not flagged.
pub struct NumberOfValuesInStructureConstructor;

static META: RuleMeta = RuleMeta {
    code: "NumberOfValuesInStructureConstructor",
    name_ru: "Ограничение на количество значений свойств, передаваемых в конструктор структуры",
    name_en: "Limit on the number of property values passed to the structure constructor",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Minor,
    tags: &["standard", "brainoverload"],
    minutes_to_fix: 10,
    enabled_by_default: true,
    params: &[ParamMeta {
        name: "maxValuesCount",
        default: ParamDefault::Int(3),
        description_ru: "Допустимое количество значений в конструкторе",
        description_en: "Most values allowed in the constructor",
    }],
    module_kinds: &[],
};

/// The number of argument positions of an argument list, left-out ones included.
fn positions(arguments: Node<'_>) -> usize {
    let mut cursor = arguments.walk();
    let commas = arguments.children(&mut cursor).filter(|c| c.kind_str() == ",").count();
    let mut cursor = arguments.walk();
    let any = arguments.named_children(&mut cursor).any(|c| !c.is_extra());
    if commas == 0 && !any { 0 } else { commas + 1 }
}

impl Rule for NumberOfValuesInStructureConstructor {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["new_expression"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let Some(type_name) = node.field("type") else { return };
        if !is_any(ctx.node_text(type_name), &["Структура", "Structure", "ФиксированнаяСтруктура", "FixedStructure"])
        {
            return;
        }
        let Some(arguments) = node.field("arguments") else { return };
        let values = positions(arguments).saturating_sub(1);
        let limit = ctx.param_int("maxValuesCount").max(0) as usize;
        if values > limit {
            let message = ctx.tr(
                format!("Значений в конструкторе структуры: {values}, допустимо {limit}; заполните её через Вставить"),
                format!(
                    "{values} values passed to the structure constructor, at most {limit} allowed: fill it with Insert"
                ),
            );
            ctx.report(node.start_byte()..type_name.end_byte(), message);
        }
    }
}

//! MissingCodeTryCatchEx: an `Исключение` block that swallows the error.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::{ParamDefault, ParamMeta, Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags an empty `Исключение` (`Except`) block: nothing is logged, nothing is raised
/// again, and the error disappears (standard 499). With `commentAsCode` a block holding a
/// comment counts as handled (the comment explains why the error is ignored).
///
/// ## Why
/// A swallowed exception turns a failure into wrong data found weeks later. Write the error
/// to the event log (`ЗаписьЖурналаРегистрации(..., ПодробноеПредставлениеОшибки(
/// ИнформацияОбОшибке()))`), or re-raise it with `ВызватьИсключение;`.
///
/// ## Example
/// ```bsl
/// Попытка
///     Файл.Удалить();
/// Исключение // flagged
/// КонецПопытки;
/// ```
pub struct MissingCodeTryCatchEx;

static META: RuleMeta = RuleMeta {
    code: "MissingCodeTryCatchEx",
    name_ru: "Конструкция \"Попытка...Исключение...КонецПопытки\" не содержит кода в исключении",
    name_en: "Empty except block",
    rule_type: RuleType::Error,
    severity: Severity::Major,
    tags: &["standard", "badpractice"],
    minutes_to_fix: 15,
    enabled_by_default: true,
    params: &[ParamMeta {
        name: "commentAsCode",
        default: ParamDefault::Bool(false),
        description_ru: "Считать комментарий в исключении кодом",
        description_en: "Count a comment in the except block as handling",
    }],
    module_kinds: &[],
};

impl Rule for MissingCodeTryCatchEx {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["except_clause"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let body = node.field("body");
        let has_code = body.is_some_and(|b| {
            let mut cursor = b.walk();
            b.named_children(&mut cursor).any(|c| !c.is_extra())
        });
        if has_code {
            return;
        }
        if ctx.param_bool("commentAsCode") {
            let mut cursor = node.walk();
            let commented = node.children(&mut cursor).any(|c| c.kind_str() == "comment")
                || body.is_some_and(|b| {
                    let mut cursor = b.walk();
                    b.children(&mut cursor).any(|c| c.kind_str() == "comment")
                });
            if commented {
                return;
            }
        }
        let keyword = node.child(0).map_or(node.byte_range(), |k| k.byte_range());
        let message = ctx.tr(
            "Исключение перехвачено и потеряно: запишите его в журнал или вызовите снова",
            "The exception is caught and lost: log it or raise it again",
        );
        ctx.report(keyword, message);
    }
}

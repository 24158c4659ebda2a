//! MissingTemporaryFileDeletion: a temporary file name taken in a method and never deleted.

use bsl_syntax::NodeExt;
use std::collections::HashSet;

use tree_sitter::Node;

use crate::rules::support::a_names::fold;
use crate::rules::support::global_calls::{is_global_call, is_new_of};
use crate::rules::support::r2_strings::word_list;
use crate::rules::util::{called_name, enclosing_method, is_any};
use crate::rules::{ParamDefault, ParamMeta, Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags `Имя = ПолучитьИмяВременногоФайла(...)` (`GetTempFileName`) into a local variable
/// when the method never deletes the file: no `УдалитьФайлы`, `НачатьУдалениеФайлов`,
/// `УдалитьФайлыАсинх`, `ПереместитьФайл` (or another method of `searchDeleteFileMethod`),
/// and no call whose name speaks of deleting (`Удал...`, `Delet...`) gets the name.
/// Standard 542.
///
/// ## Why
/// The platform does not clean up after `ПолучитьИмяВременногоФайла`: the file stays in the
/// temporary folder of the server or of the user's computer after the session ends. A server
/// that runs an exchange every minute fills its disk in a few months. Delete the file when
/// the work is done, in `Попытка ... Исключение` too.
///
/// ## When the method is not responsible
/// The rule stays silent when the name leaves the method: it is returned, stored in a
/// property, a module variable, a structure, a map or an array (`Вставить`, `Добавить`),
/// passed to `Новый Структура`, `Новый ОписаниеОповещения` or `ВыполнитьОбработкуОповещения`
/// (deleted later by a callback), or the variable is a parameter or a module variable. A
/// method that runs `Выполнить` or `Вычислить` is not checked. A copy (`Путь = ИмяФайла`,
/// `Путь = ИмяФайла + ".zip"`, `Путь = ДобавитьКонечныйРазделительПути(ИмяФайла)`) is
/// followed like the original; an object made from the file (`Новый ЧтениеZipФайла(ИмяФайла)`)
/// is not a copy.
///
/// ## Example
/// ```bsl
/// ИмяФайла = ПолучитьИмяВременногоФайла("xml"); // flagged
/// Данные.Записать(ИмяФайла);
/// Адрес = ПоместитьВоВременноеХранилище(Новый ДвоичныеДанные(ИмяФайла), УникальныйИдентификатор);
/// ```
pub struct MissingTemporaryFileDeletion;

static META: RuleMeta = RuleMeta {
    code: "MissingTemporaryFileDeletion",
    name_ru: "Отсутствует удаление временного файла после использования",
    name_en: "Missing temporary file deletion",
    rule_type: RuleType::Error,
    severity: Severity::Major,
    tags: &["standard", "badpractice"],
    minutes_to_fix: 5,
    enabled_by_default: true,
    params: &[ParamMeta {
        name: "searchDeleteFileMethod",
        default: ParamDefault::Str(
            "УдалитьФайлы|DeleteFiles|НачатьУдалениеФайлов|BeginDeletingFiles|УдалитьФайлыАсинх|DeleteFilesAsync|ПереместитьФайл|MoveFile|НачатьПеремещениеФайла|BeginMovingFile|ПереместитьФайлАсинх|MoveFileAsync",
        ),
        description_ru: "Методы через |, которые удаляют или уносят файл",
        description_en: "Methods separated by | that delete or move the file away",
    }],
    module_kinds: &[],
};

impl Rule for MissingTemporaryFileDeletion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["call_expression"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let text = ctx.text();
        if !is_global_call(node, text, &["ПолучитьИмяВременногоФайла", "GetTempFileName"]) {
            return;
        }
        let Some(assignment) = node.parent().filter(|p| p.kind_str() == "assignment_statement") else { return };
        let Some(left) = assignment.field("left").filter(|l| l.kind_str() == "identifier") else {
            return;
        };
        if assignment.field("right").is_none_or(|r| r.id() != node.id()) {
            return;
        }
        let name = &text[left.byte_range()];
        let module = ctx.module();
        let method = module.method_at(node.start_byte());
        let is_parameter = method.is_some_and(|m| m.parameters.iter().any(|p| is_any(&p.name, &[name])));
        let is_module_variable = module.variables.iter().any(|v| is_any(&v.name, &[name]));
        if is_parameter || is_module_variable {
            return;
        }
        let scope = enclosing_method(node).unwrap_or_else(|| root_of(node));
        let deleters = word_list(&ctx.param_str("searchDeleteFileMethod"));
        let module_variables: HashSet<String> = module.variables.iter().map(|v| fold(&v.name)).collect();
        if handled(scope, text, fold(name), &deleters, &module_variables) {
            return;
        }
        let message = ctx.tr(
            format!("Временный файл \"{name}\" не удаляется после использования"),
            format!("The temporary file \"{name}\" is not deleted after use"),
        );
        ctx.report(node.byte_range(), message);
    }
}

fn root_of(node: Node<'_>) -> Node<'_> {
    let mut top = node;
    while let Some(parent) = top.parent() {
        top = parent;
    }
    top
}

/// Whether the method deletes the file or hands its name on: follows copies of the name
/// into other variables until no new one appears.
fn handled(scope: Node<'_>, text: &str, name: String, deleters: &[String], module_variables: &HashSet<String>) -> bool {
    let nodes: Vec<Node<'_>> = bsl_syntax::walk::preorder(scope)
        .filter(|n| {
            matches!(
                n.kind_str(),
                "assignment_statement"
                    | "call_expression"
                    | "new_expression"
                    | "return_statement"
                    | "execute_statement"
            )
        })
        .collect();
    // `Выполнить(...)` may do anything with the name.
    if nodes.iter().any(|n| n.kind_str() == "execute_statement" || (n.kind_str() == "call_expression" && is_dynamic(*n, text)))
    {
        return true;
    }
    let mut names: HashSet<String> = HashSet::from([name]);
    loop {
        let before = names.len();
        for node in nodes.iter().filter(|n| n.kind_str() == "assignment_statement") {
            let (Some(left), Some(right)) = (node.field("left"), node.field("right"))
            else {
                continue;
            };
            if !is_name_expression(right, text, &names) && !is_path_call(right, text, &names) {
                continue;
            }
            let target = fold(&text[left.byte_range()]);
            if left.kind_str() != "identifier" || module_variables.contains(&target) {
                return true; // stored in a property, a collection item or a module variable
            }
            names.insert(target);
        }
        if names.len() == before {
            break;
        }
    }
    nodes.iter().any(|node| match node.kind_str() {
        "return_statement" => node.field("value").is_some_and(|v| mentions(v, text, &names)),
        "new_expression" => {
            is_new_of(
                *node,
                text,
                &[
                    "Структура",
                    "Structure",
                    "ФиксированнаяСтруктура",
                    "FixedStructure",
                    "ОписаниеОповещения",
                    "NotifyDescription",
                ],
            ) && node.field("arguments").is_some_and(|a| mentions(a, text, &names))
        }
        _ => {
            let Some(called) = called_name(*node, text) else { return false };
            let takes = node.field("arguments").is_some_and(|a| mentions(a, text, &names));
            if !takes {
                return false;
            }
            let lower = called.to_lowercase();
            deleters.contains(&lower)
                || lower.contains("удал")
                || lower.contains("delet")
                || is_any(
                    called,
                    &[
                        "Вставить",
                        "Insert",
                        "Добавить",
                        "Add",
                        "ВыполнитьОбработкуОповещения",
                        "ExecuteNotifyProcessing",
                    ],
                )
        }
    })
}

/// Whether an identifier among `names` is read under `node` (a property name after a dot is
/// not the variable).
fn mentions(node: Node<'_>, text: &str, names: &HashSet<String>) -> bool {
    bsl_syntax::walk::preorder(node).any(|n| {
        n.kind_str() == "identifier"
            && !n
                .parent()
                .is_some_and(|p| p.kind_str() == "member_expression" && p.field("property") == Some(n))
            && names.contains(&fold(&text[n.byte_range()]))
    })
}

/// The name itself or a string glued from it (`ИмяФайла + ".zip"`): a copy of the name, not
/// a value computed from the file.
fn is_name_expression(node: Node<'_>, text: &str, names: &HashSet<String>) -> bool {
    let node = crate::rules::support::c_normalize::unparenthesized(node);
    match node.kind_str() {
        "identifier" => names.contains(&fold(&text[node.byte_range()])),
        "binary_expression" => {
            node.field("operator").is_some_and(|o| &text[o.byte_range()] == "+")
                && [node.field("left"), node.field("right")]
                    .into_iter()
                    .flatten()
                    .any(|side| is_name_expression(side, text, names))
        }
        _ => false,
    }
}

/// A function of the name (`ДобавитьКонечныйРазделительПути(Каталог)`): its result is
/// taken for another spelling of the same path.
fn is_path_call(node: Node<'_>, text: &str, names: &HashSet<String>) -> bool {
    let node = crate::rules::support::c_normalize::unparenthesized(node);
    node.kind_str() == "call_expression" && node.field("arguments").is_some_and(|a| mentions(a, text, names))
}

fn is_dynamic(call: Node<'_>, text: &str) -> bool {
    is_global_call(call, text, &["Выполнить", "Execute", "Вычислить", "Eval"])
}

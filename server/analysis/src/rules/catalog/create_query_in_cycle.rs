//! CreateQueryInCycle: a query executed inside a loop.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use bsl_syntax::keywords::lowercase;
use crate::rules::support::global_calls::is_new_of;
use crate::rules::util::{call_object, called_name, inside_loop, is_any};
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags queries run inside a loop (`Для`, `Для Каждого`, `Пока`) of the same method:
/// `Выполнить()`, `ВыполнитьПакет()` or `ВыполнитьПакетСПромежуточнымиДанными()`
/// (`Execute()`, `ExecuteBatch()`, `ExecuteBatchWithIntermediateData()`) called on a
/// variable that the method assigns `Новый Запрос` (`New Query`), wherever it was created,
/// or right on `Новый Запрос(...)`.
///
/// ## Why
/// Each execution is a round trip to the database server; a query per element of a
/// collection turns one request into thousands, and the time grows with the data. Read the
/// data for all elements with one query (pass the collection as a parameter, `В (&Список)`,
/// or join a temporary table), then loop over its result.
///
/// ## Example
/// ```bsl
/// Запрос = Новый Запрос("ВЫБРАТЬ Цена ИЗ РегистрСведений.Цены ГДЕ Номенклатура = &Товар");
/// Для Каждого Строка Из Товары Цикл
///     Запрос.УстановитьПараметр("Товар", Строка.Номенклатура);
///     Выборка = Запрос.Выполнить().Выбрать(); // flagged
/// КонецЦикла;
/// ```
///
/// Fixed:
/// ```bsl
/// Запрос = Новый Запрос("ВЫБРАТЬ Номенклатура, Цена ИЗ РегистрСведений.Цены
///     |ГДЕ Номенклатура В (&Товары)");
/// Запрос.УстановитьПараметр("Товары", Товары.ВыгрузитьКолонку("Номенклатура"));
/// Цены = Запрос.Выполнить().Выгрузить();
/// ```
///
/// Creating a query in a loop without running it there is not flagged: building a list of
/// queries to run later costs no round trip. Only queries the method creates itself are
/// recognised: calls of other methods that run queries, and query objects received as
/// parameters, are out of scope.
pub struct CreateQueryInCycle;

static META: RuleMeta = RuleMeta {
    code: "CreateQueryInCycle",
    name_ru: "Выполнение запроса в цикле",
    name_en: "Execution query on cycle",
    rule_type: RuleType::Error,
    severity: Severity::Critical,
    tags: &["performance"],
    minutes_to_fix: 20,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

const QUERY: &[&str] = &["Запрос", "Query"];
const EXECUTE: &[&str] = &[
    "Выполнить",
    "ВыполнитьПакет",
    "ВыполнитьПакетСПромежуточнымиДанными",
    "Execute",
    "ExecuteBatch",
    "ExecuteBatchWithIntermediateData",
];

impl Rule for CreateQueryInCycle {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["method_declaration", "source_file"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let text = ctx.text();
        let is_root = node.kind_str() == "source_file";
        if !is_root && !["апрос", "АПРОС", "uery", "UERY"].iter().any(|s| ctx.node_text(node).contains(s)) {
            return;
        }
        // Query variables, new queries and execution calls of the scope.
        let mut variables: Vec<String> = Vec::new();
        let mut executions: Vec<(Node<'_>, Option<String>)> = Vec::new();
        let walk = ctx.scope_nodes(node);
        for n in walk {
            match n.kind_str() {
                "assignment_statement" => {
                    let (Some(left), Some(right)) = (n.field("left"), n.field("right"))
                    else {
                        continue;
                    };
                    if left.kind_str() == "identifier" && is_new_of(right, text, QUERY) {
                        let name = lowercase(&text[left.byte_range()]);
                        if !variables.contains(&name) {
                            variables.push(name);
                        }
                    }
                }
                "call_expression" => {
                    if !called_name(n, text).is_some_and(|name| is_any(name, EXECUTE)) {
                        continue;
                    }
                    let Some(object) = call_object(n) else { continue };
                    if object.kind_str() == "identifier" {
                        executions.push((n, Some(lowercase(&text[object.byte_range()]))));
                    } else if is_new_of(object, text, QUERY) {
                        executions.push((n, None));
                    }
                }
                _ => {}
            }
        }
        let mut findings: Vec<(Node<'_>, String)> = Vec::new();
        for (call, name) in executions {
            let of_query = name.as_ref().is_none_or(|name| variables.contains(name));
            if !of_query || !inside_loop(call) {
                continue;
            }
            let message = ctx.tr("Выполнение запроса в цикле", "A query is executed inside a loop");
            findings.push((call, message));
        }
        findings.sort_by_key(|(n, _)| n.start_byte());
        for (n, message) in findings {
            ctx.report(n.byte_range(), message);
        }
    }
}

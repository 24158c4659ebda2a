//! UnusedLocalVariable: a local variable whose value is never read.

use bsl_syntax::NodeExt;
use std::collections::HashMap;
use std::ops::Range;

use tree_sitter::Node;

use crate::diagnostic::Edit;
use crate::hashing::FastSet;
use crate::module_kind::ModuleKind;
use crate::rules::support::a_names::{Role, fold_hash, identifiers, identifiers_flat, runs_dynamic_code};
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags a local variable of a method whose value is never read: declared with `Перем`
/// inside the method, or created by an assignment, and then never used in an expression.
///
/// A variable is read by any use of its value: an operand or argument, the object of a
/// member access or call (`Массив.Добавить(1)` reads `Массив`), the collection of
/// `Для Каждого`, a returned value. A name that is a parameter or a module variable is not
/// a local, whatever the method assigns to it.
///
/// ## Why
/// A variable written and never read is dead code: either the computation is useless, or
/// the code that should have used the result was lost.
///
/// ## Example
/// ```bsl
/// Процедура Обновить(Список)
///     Перем Старое; // flagged
///     Итог = Список.Количество(); // flagged: Итог is never read
///     Список.Очистить();
/// КонецПроцедуры
/// ```
///
/// ## Exceptions
/// - In form, object, record set and value manager modules an unqualified assignment may
///   set a form or object attribute (`Наименование = ...`), so only names declared with
///   `Перем` in the method are checked there.
/// - An assignment right in the body of a `Попытка` (`Проверка = Новый Структура(Имена);`)
///   is taken as a check that the right side does not raise, and is not flagged.
/// - Counters of `Для` and items of `Для Каждого` are not checked (see `UseLessForEach`).
/// - Methods that run code from strings (`Выполнить`, `Вычислить`) are skipped: the string
///   may read any variable.
///
/// ## Fix
/// When a `Перем` statement declares only unused names, the fix removes the whole
/// statement (its line, when it stands alone on it).
pub struct UnusedLocalVariable;

static META: RuleMeta = RuleMeta {
    code: "UnusedLocalVariable",
    name_ru: "Неиспользуемая локальная переменная",
    name_en: "Unused local variable",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Major,
    tags: &["brainoverload", "badpractice", "unused"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

/// Module kinds where an unqualified name may be an attribute of the form or the object.
fn has_attributes(kind: ModuleKind) -> bool {
    matches!(kind, ModuleKind::Form | ModuleKind::Object | ModuleKind::RecordSet | ModuleKind::ValueManager)
}

/// The range a declaration's removal covers: the statement and its `;`, and the whole line
/// when nothing else stands on it.
fn removal_range(declaration: Node<'_>, text: &str) -> Range<usize> {
    let mut end = declaration.end_byte();
    if let Some(semicolon) = declaration.next_sibling().filter(|n| n.kind_str() == ";") {
        end = semicolon.end_byte();
    }
    let start = declaration.start_byte();
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
    let before_blank = text[line_start..start].trim().is_empty();
    let after_blank = text[end..line_end].trim().is_empty();
    if before_blank && after_blank {
        line_start..line_end
    } else {
        let spaces = text[end..].len() - text[end..].trim_start_matches([' ', '\t']).len();
        start..end + spaces
    }
}

/// Whether an assignment stands right in the body of a `Попытка`: `Проверка = Новый
/// Структура(Имена);` there checks that the right side does not raise, and its result is
/// thrown away on purpose.
fn probe_in_try(target: Node<'_>) -> bool {
    let block = target.parent().and_then(|assignment| assignment.parent());
    block.is_some_and(|b| {
        b.parent().is_some_and(|t| t.kind_str() == "try_statement" && t.field("body") == Some(b))
    })
}

impl Rule for UnusedLocalVariable {
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
        let Some(body) = node.field("body") else { return };
        let text = ctx.text();
        let attributes = has_attributes(ctx.module_kind());
        // Names as folded hashes (`fold_hash`): no string is built per identifier.
        let mut not_local: FastSet<u64> = ctx.module().variables.iter().map(|v| fold_hash(&v.name)).collect();
        if let Some(parameters) = node.field("parameters") {
            let mut cursor = parameters.walk();
            for parameter in parameters.named_children(&mut cursor) {
                if let Some(name) = parameter.field("name") {
                    not_local.insert(fold_hash(&text[name.byte_range()]));
                }
            }
        }
        // Each local with where it is first introduced, in document order.
        let mut locals: Vec<(u64, Node<'_>, bool)> = Vec::new();
        let mut seen: FastSet<u64> = FastSet::default();
        let mut used: FastSet<u64> = FastSet::default();
        let names = match ctx.facts.flat_of(body) {
            Some((flat, at)) => identifiers_flat(flat, at),
            None => identifiers(body),
        };
        for (ident, role) in names {
            let name = fold_hash(&text[ident.byte_range()]);
            match role {
                Role::Read | Role::Handler | Role::LoopVariable => {
                    used.insert(name);
                }
                Role::Declaration => {
                    if !not_local.contains(&name) && seen.insert(name) {
                        locals.push((name, ident, true));
                    }
                }
                Role::Write => {
                    if !attributes && !not_local.contains(&name) && seen.insert(name) {
                        locals.push((name, ident, false));
                    }
                }
                Role::Call | Role::Member | Role::Other => {}
            }
        }
        let unused: Vec<_> = locals
            .into_iter()
            .filter(|(name, ident, declared)| !used.contains(name) && (*declared || !probe_in_try(*ident)))
            .collect();
        if unused.is_empty() || runs_dynamic_code(body, text) {
            return;
        }
        // Declarations whose every name is unused, by the start of the declaration.
        let unused_names: FastSet<u64> = unused.iter().map(|(n, _, _)| *n).collect();
        let mut removable: HashMap<usize, Range<usize>> = HashMap::new();
        for (_, ident, declared) in &unused {
            if !declared {
                continue;
            }
            let Some(declaration) = ident.parent().and_then(|item| item.parent()) else { continue };
            if declaration.kind_str() != "var_declaration" || removable.contains_key(&declaration.start_byte()) {
                continue;
            }
            let mut cursor = declaration.walk();
            let all_unused = declaration
                .named_children(&mut cursor)
                .filter(|c| c.kind_str() == "var_item")
                .filter_map(|item| item.field("name"))
                .all(|n| unused_names.contains(&fold_hash(&text[n.byte_range()])));
            if all_unused {
                removable.insert(declaration.start_byte(), removal_range(declaration, text));
            }
        }
        for (_, ident, declared) in unused {
            let shown = &text[ident.byte_range()];
            let message = if declared {
                ctx.tr(
                    format!("Переменная \"{shown}\" объявлена, но её значение не используется"),
                    format!("Variable \"{shown}\" is declared but its value is never used"),
                )
            } else {
                ctx.tr(
                    format!("Переменной \"{shown}\" присваивается значение, которое не используется"),
                    format!("Variable \"{shown}\" is assigned a value that is never used"),
                )
            };
            let fix = ident
                .parent()
                .and_then(|item| item.parent())
                .and_then(|declaration| removable.remove(&declaration.start_byte()))
                .map(|range| {
                    ctx.fix(
                        "Удалить объявление",
                        "Remove the declaration",
                        vec![Edit { range, new_text: String::new() }],
                    )
                });
            ctx.report(ident.byte_range(), message).fix = fix;
        }
    }
}

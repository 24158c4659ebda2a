//! CodeOutOfRegion: a method, a module variable or module-body code outside every region.

use bsl_syntax::NodeExt;
use crate::module_kind::ModuleKind;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags methods, module variables and statements of the module body that stand outside
/// every `#Область` (standard 455).
///
/// ## Why
/// The standard splits a module into sections (`ПрограммныйИнтерфейс`,
/// `СлужебныеПроцедурыИФункции`, `ОписаниеПеременных`, `Инициализация`, ...). Code outside
/// them belongs to no section: a reader cannot tell whether a method is part of the interface,
/// and the outline shows it apart from the rest.
///
/// Each method and each `Перем` line is reported at its name; a run of module-body
/// statements is reported once, at its first statement. `ВызватьИсключение` of the usual
/// `#Если Сервер ... #Иначе ВызватьИсключение ... #КонецЕсли` wrapper is left alone.
/// OneScript modules, which have no such convention, are not checked.
///
/// ## Example
/// ```bsl
/// Процедура Заполнить() // flagged: not inside a region
/// КонецПроцедуры
///
/// #Область СлужебныеПроцедурыИФункции
/// Процедура Очистить()
/// КонецПроцедуры
/// #КонецОбласти
/// ```
pub struct CodeOutOfRegion;

static META: RuleMeta = RuleMeta {
    code: "CodeOutOfRegion",
    name_ru: "Код расположен вне области",
    name_en: "Code outside a region",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Info,
    tags: &["standard"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[],
    module_kinds: ModuleKind::PLATFORM,
};

impl Rule for CodeOutOfRegion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        let module = ctx.module();
        let in_region = |offset: usize| module.regions.iter().any(|r| r.range.contains(&offset));
        let root = ctx.parse().root();
        // (range, what): what is 0 for a method, 1 for a variable, 2 for statements.
        let mut found: Vec<(std::ops::Range<usize>, u8, String)> = Vec::new();
        let mut in_statement_run = false;
        for child in ctx.children(root).iter().copied().filter(|c| c.is_named()) {
            if child.is_extra() {
                continue;
            }
            let outside = !in_region(child.start_byte());
            match child.kind_str() {
                "method_declaration" => {
                    in_statement_run = false;
                    if outside && let Some(name) = child.field("name") {
                        found.push((name.byte_range(), 0, ctx.node_text(name).to_string()));
                    }
                }
                "var_declaration" => {
                    in_statement_run = false;
                    if outside {
                        let mut items = child.walk();
                        let first = child
                            .named_children(&mut items)
                            .find(|c| c.kind_str() == "var_item")
                            .and_then(|item| item.field("name"));
                        if let Some(name) = first {
                            found.push((name.byte_range(), 1, ctx.node_text(name).to_string()));
                        }
                    }
                }
                "ERROR" | "raise_statement" => in_statement_run = false,
                kind if kind.ends_with("_statement") => {
                    if outside && !in_statement_run {
                        let text = ctx.text();
                        let start = child.start_byte();
                        let line_end = text[start..].find(['\r', '\n']).map_or(text.len(), |i| start + i);
                        found.push((start..child.end_byte().min(line_end), 2, String::new()));
                    }
                    in_statement_run = outside;
                }
                _ => {}
            }
        }
        for (range, what, name) in found {
            let message = match what {
                0 => ctx.tr(
                    format!("Метод \"{name}\" расположен вне области"),
                    format!("Method \"{name}\" is outside every region"),
                ),
                1 => ctx.tr(
                    format!("Переменная \"{name}\" объявлена вне области"),
                    format!("Variable \"{name}\" is declared outside every region"),
                ),
                _ => ctx.tr("Код модуля расположен вне области", "Module code is outside every region"),
            };
            ctx.report(range, message);
        }
    }
}

//! DuplicateRegion: two top-level regions with the same name.

use std::collections::HashMap;

use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags a top-level region whose name repeats an earlier top-level region of the module
/// (compared without regard to case), standard 455.
///
/// ## Why
/// The standard structure has each region once; a second `СлужебныеПроцедурыИФункции`
/// splits the module's private part in two, and the outline shows two entries where the
/// reader expects one. Merge them.
pub struct DuplicateRegion;

static META: RuleMeta = RuleMeta {
    code: "DuplicateRegion",
    name_ru: "Повторяющиеся разделы модуля",
    name_en: "Duplicated module regions",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Info,
    tags: &["standard"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for DuplicateRegion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut found = Vec::new();
        for region in ctx.module().regions.iter().filter(|r| r.depth == 0) {
            let count = seen.entry(region.name.to_lowercase()).or_default();
            *count += 1;
            if *count > 1 {
                found.push((region.name.clone(), region.name_range.clone()));
            }
        }
        for (name, range) in found {
            let message =
                ctx.tr(format!("Область \"{name}\" уже есть в модуле"), format!("Region \"{name}\" already exists"));
            ctx.report(range, message);
        }
    }
}

//! EmptyRegion: a region with nothing but blanks and comments inside.

use crate::diagnostic::Edit;
use crate::rules::{Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags `#Область ... #КонецОбласти` blocks that hold no code: only blank lines and
/// comments (standard 455).
///
/// ## Why
/// Module templates create every standard region; those left empty only add lines to
/// scroll past and folds to open.
///
/// ## Fix
/// Removes the region with its content.
pub struct EmptyRegion;

static META: RuleMeta = RuleMeta {
    code: "EmptyRegion",
    name_ru: "Область не должна быть пустой",
    name_en: "A region must not be empty",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Info,
    tags: &["standard"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[],
    module_kinds: &[],
};

impl Rule for EmptyRegion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        let text = ctx.text();
        let mut found = Vec::new();
        for region in &ctx.module().regions {
            let opening_end =
                text[region.range.start..].find('\n').map_or(region.range.end, |i| region.range.start + i + 1);
            let closing_start = text[..region.range.end].rfind('\n').map_or(region.range.start, |i| i + 1);
            if closing_start < opening_end {
                continue;
            }
            let inside = &text[opening_end..closing_start];
            let empty = inside.lines().all(|line| {
                let line = line.trim();
                line.is_empty() || line.starts_with("//")
            });
            if empty {
                let end = text[region.range.end..].find('\n').map_or(text.len(), |i| region.range.end + i + 1);
                found.push((region.name.clone(), region.name_range.clone(), region.range.start..end));
            }
        }
        for (name, range, removal) in found {
            let message = ctx.tr(format!("Область \"{name}\" пуста"), format!("Region \"{name}\" is empty"));
            let fix = ctx.fix(
                "Удалить пустую область",
                "Remove the empty region",
                vec![Edit { range: removal, new_text: String::new() }],
            );
            ctx.report(range, message).fix = Some(fix);
        }
    }
}

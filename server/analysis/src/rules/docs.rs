//! Renders a rule's documentation page (`docs/rules/<code>.md`) from its metadata and doc
//! comment.

use std::fmt::Write as _;

use super::{ParamDefault, RegisteredRule};

pub fn render(rule: &RegisteredRule) -> String {
    let meta = rule.rule.meta();
    let mut out = String::new();
    let _ = writeln!(out, "# {} ({})\n", meta.name_en, meta.code);
    let _ = writeln!(out, "*{}*\n", meta.name_ru);
    let _ = writeln!(out, "| | |\n| --- | --- |");
    let _ = writeln!(out, "| Code | `{}` |", meta.code);
    let _ = writeln!(out, "| Type | {} |", meta.rule_type.name());
    let _ = writeln!(out, "| Severity | {} |", meta.severity.name());
    let _ = writeln!(out, "| On by default | {} |", if meta.enabled_by_default { "yes" } else { "no" });
    let _ = writeln!(out, "| Minutes to fix | {} |", meta.minutes_to_fix);
    if !meta.tags.is_empty() {
        let _ = writeln!(out, "| Tags | {} |", meta.tags.join(", "));
    }
    if !meta.module_kinds.is_empty() {
        let kinds: Vec<_> = meta.module_kinds.iter().map(|k| k.name()).collect();
        let _ = writeln!(out, "| Module kinds | {} |", kinds.join(", "));
    }
    out.push('\n');
    out.push_str(rule.doc.trim());
    out.push('\n');
    if !meta.params.is_empty() {
        let _ = writeln!(out, "\n## Parameters\n\n| Name | Default | Description |\n| --- | --- | --- |");
        for param in meta.params {
            let default = match param.default {
                ParamDefault::Int(v) => v.to_string(),
                ParamDefault::Bool(v) => v.to_string(),
                ParamDefault::Str(v) => format!("`{v}`"),
            };
            let _ = writeln!(out, "| `{}` | {} | {} |", param.name, default, param.description_en);
        }
    }
    out
}

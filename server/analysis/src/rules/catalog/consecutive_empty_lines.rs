//! ConsecutiveEmptyLines: more empty lines in a row than allowed.

use bsl_syntax::NodeExt;
use crate::diagnostic::Edit;
use crate::rules::{ParamDefault, ParamMeta, Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags runs of more than `allowedEmptyLinesCount` empty lines (1 by default).
///
/// ## Why
/// One empty line separates thoughts; several in a row only stretch the method across the
/// screen. Lines inside a multi-line string are text, not code, and are not counted.
///
/// ## Fix
/// Removes the extra empty lines.
pub struct ConsecutiveEmptyLines;

static META: RuleMeta = RuleMeta {
    code: "ConsecutiveEmptyLines",
    name_ru: "Подряд идущие пустые строки",
    name_en: "Consecutive empty lines",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Info,
    tags: &["badpractice"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[ParamMeta {
        name: "allowedEmptyLinesCount",
        default: ParamDefault::Int(1),
        description_ru: "Допустимое количество пустых строк подряд",
        description_en: "Empty lines allowed in a row",
    }],
    module_kinds: &[],
};

/// Whether a line holds nothing but white space, decided from its first character after
/// tabs and spaces (`str::trim` would also decode the line's end).
fn is_blank(line: &str) -> bool {
    match line.bytes().position(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n')) {
        None => true,
        // Past single-byte characters only, so a character boundary.
        Some(at) => line[at..].chars().next().is_some_and(char::is_whitespace) && line.trim().is_empty(),
    }
}

impl Rule for ConsecutiveEmptyLines {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        let allowed = ctx.param_int("allowedEmptyLinesCount").max(0) as usize;
        let parse = ctx.parse();
        let text = ctx.text();
        let index = parse.line_index();
        // Runs of blank lines first; only a run long enough to report is looked at in the tree
        // (a blank line inside a multi-line string is part of the string, not a gap).
        let mut blank_runs: Vec<Vec<std::ops::Range<usize>>> = Vec::new();
        // The first line of the current run of blank lines; a run is kept only when it is
        // longer than allowed (a large module has thousands of single blank lines).
        let mut first_blank: Option<u32> = None;
        let line_count = index.line_count() as u32;
        let close = |first: u32, end: u32, runs: &mut Vec<Vec<std::ops::Range<usize>>>| {
            if (end - first) as usize > allowed {
                runs.push((first..end).filter_map(|l| index.line_range(l)).collect());
            }
        };
        for line in 0..line_count {
            let range = index.line_range(line).unwrap_or(0..0);
            if is_blank(&text[range.clone()]) && range.end > range.start {
                first_blank.get_or_insert(line);
            } else if let Some(first) = first_blank.take() {
                close(first, line, &mut blank_runs);
            }
        }
        if let Some(first) = first_blank {
            close(first, line_count, &mut blank_runs);
        }
        let in_string = |range: &std::ops::Range<usize>| {
            parse
                .root()
                .descendant_for_byte_range(range.start, range.start)
                .is_some_and(|n| n.kind_str() == "string" && n.start_byte() < range.start)
        };
        let mut runs = Vec::new();
        for blank_run in blank_runs.into_iter().filter(|r| r.len() > allowed) {
            let mut run: Vec<std::ops::Range<usize>> = Vec::new();
            for range in blank_run {
                if in_string(&range) {
                    if run.len() > allowed {
                        runs.push(std::mem::take(&mut run));
                    }
                    run.clear();
                } else {
                    run.push(range);
                }
            }
            if run.len() > allowed {
                runs.push(run);
            }
        }
        for run in runs {
            let extra = run[allowed].start..run[run.len() - 1].end;
            let message = ctx.tr(
                format!("{} пустых строк подряд, допустимо {allowed}", run.len()),
                format!("{} empty lines in a row, {allowed} allowed", run.len()),
            );
            let fix = ctx.fix(
                "Удалить лишние пустые строки",
                "Remove the extra empty lines",
                vec![Edit { range: extra.clone(), new_text: String::new() }],
            );
            ctx.report(extra, message).fix = Some(fix);
        }
    }
}

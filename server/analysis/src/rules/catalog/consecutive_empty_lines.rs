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

/// The runs of blank lines in `text` (whole lines; a line ends at `\n`, `\r\n` or a lone
/// `\r`, as the line index counts them), each as its lines' ranges: those longer than
/// `allowed`, and those at the start or end of `text`, whatever their length (they may go
/// on in the text around it).
fn blank_runs_of(text: &str, allowed: usize) -> Vec<Vec<std::ops::Range<usize>>> {
    let bytes = text.as_bytes();
    let mut runs = Vec::new();
    let mut run: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        let mut end = start;
        while end < bytes.len() && !matches!(bytes[end], b'\n' | b'\r') {
            end += 1;
        }
        end = match bytes.get(end) {
            Some(b'\r') if bytes.get(end + 1) == Some(&b'\n') => end + 2,
            Some(_) => end + 1,
            None => end,
        };
        if is_blank(&text[start..end]) {
            run.push(start..end);
        } else if !run.is_empty() {
            if run.len() > allowed || run[0].start == 0 {
                runs.push(std::mem::take(&mut run));
            }
            run.clear();
        }
        start = end;
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

impl Rule for ConsecutiveEmptyLines {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        let allowed = ctx.param_int("allowedEmptyLinesCount").max(0) as usize;
        let parse = ctx.parse();
        // Runs of blank lines first, found per piece of whole lines (kept across edits, so
        // a keystroke re-reads only its method's lines); only a run long enough to report is
        // looked at in the tree (a blank line inside a multi-line string is part of the
        // string, not a gap). A run that touches a piece's edge may go on in the next piece.
        let mut blank_runs: Vec<Vec<std::ops::Range<usize>>> = Vec::new();
        let mut pending: Vec<std::ops::Range<usize>> = Vec::new();
        for piece in ctx.facts.line_pieces() {
            let base = piece.range.start;
            let found = ctx.memo_lines(piece, |text| blank_runs_of(text, allowed));
            for run in found.iter() {
                let run = run.iter().map(|r| r.start + base..r.end + base);
                match run.clone().next() {
                    Some(first) if pending.last().is_some_and(|last| last.end == first.start) => pending.extend(run),
                    _ => {
                        if pending.len() > allowed {
                            blank_runs.push(std::mem::take(&mut pending));
                        }
                        pending = run.collect();
                    }
                }
            }
        }
        if pending.len() > allowed {
            blank_runs.push(pending);
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

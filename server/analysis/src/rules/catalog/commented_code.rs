//! CommentedCode: a block of `//` lines that is code put out of action.

use std::ops::Range;

use crate::rules::support::r1_code_lines::{LineKind, classify};
use crate::rules::{ParamDefault, ParamMeta, Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags a block of consecutive comment lines that is commented-out code (standard 456).
///
/// ## Why
/// Code in comments is not compiled, not checked, not renamed with the rest, and goes stale
/// at once; nobody dares to delete it later because nobody knows why it was kept. The
/// version control system remembers old code: delete it.
///
/// ## How code is told from text
/// Each line of a block (comment lines one under another, each on its own line) is parsed
/// as BSL: a line counts as code when it is a whole statement ending with `;`, a block
/// keyword (`Если ... Тогда`, `КонецЦикла;`, `Попытка`), a method header, a call written
/// like code, a preprocessor line or a compilation directive. Lines that are only pieces of
/// a statement split across lines, query lines (`|ВЫБРАТЬ`), separators and blank comment
/// lines count neither way; everything else is text. The block is reported when at least
/// `threshold` percent of its counted lines are code and one of them is more than a lone
/// keyword (`// Исключение` above an `Если` is a note, not code).
///
/// Description comments of methods are left alone when they hold any text (their
/// `Пример:` sections are code on purpose), and so is any block with a `Параметры:`,
/// `Пример:` or `Например:` header. Comments after code on the same line are not looked at.
///
/// ## Example
/// ```bsl
/// // Если Отказ Тогда        // flagged: the three lines are one block of code
/// //     Возврат;
/// // КонецЕсли;
/// ```
///
/// ## Parameters
/// `threshold`: the share of code lines, in percent, that makes a block code (90).
/// `exclusionPrefixes`: comma-separated starts of comment text that are never code
/// (`//@`-style markers of other tools, for example).
pub struct CommentedCode;

static META: RuleMeta = RuleMeta {
    code: "CommentedCode",
    name_ru: "Закомментированный фрагмент кода",
    name_en: "Commented-out code",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Minor,
    tags: &["standard", "badpractice"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[
        ParamMeta {
            name: "threshold",
            default: ParamDefault::Int(90),
            description_ru: "Доля строк кода в блоке комментариев, в процентах, начиная с которой блок считается кодом",
            description_en: "Share of code lines in a comment block, in percent, from which the block is code",
        },
        ParamMeta {
            name: "exclusionPrefixes",
            default: ParamDefault::Str(""),
            description_ru: "Начала текста комментария, которые никогда не считаются кодом (через запятую)",
            description_en: "Comment text starts that are never code, comma-separated",
        },
    ],
    module_kinds: &[],
};

/// One comment line: where its `//` starts, where the line's text ends, the text after `//`.
struct Line<'a> {
    start: usize,
    end: usize,
    content: &'a str,
}

/// One block of consecutive comment lines of a piece of text, and whether it reads as code.
struct Block {
    range: Range<usize>,
    /// As an ordinary comment: enough of its lines are code.
    code: bool,
    /// As a method's doc comment: code lines and no prose at all.
    code_if_doc: bool,
}

/// The comment blocks of `text` (whole lines) with their verdicts, offsets relative to it.
fn judge_blocks(text: &str, threshold: usize, prefixes: &[&str]) -> Vec<Block> {
    let mut blocks: Vec<Vec<Line<'_>>> = Vec::new();
    let mut current: Vec<Line<'_>> = Vec::new();
    let mut at = 0;
    while at < text.len() {
        // `\n`, `\r\n` and a lone `\r` all end a line.
        let line_end = memchr::memchr2(b'\n', b'\r', &text.as_bytes()[at..]).map_or(text.len(), |i| at + i);
        let line = &text[at..line_end];
        let trimmed = line.trim_start();
        if let Some(content) = trimmed.strip_prefix("//") {
            let start = at + (line.len() - trimmed.len());
            current.push(Line { start, end: at + line.len(), content });
        } else if !current.is_empty() {
            blocks.push(std::mem::take(&mut current));
        }
        at = line_end + if text[line_end..].starts_with("\r\n") { 2 } else { 1 };
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    let mut judged = Vec::new();
    for block in blocks {
        if block.iter().any(|l| is_header(l.content)) {
            continue;
        }
        let mut code = 0;
        let mut statements = 0;
        let mut prose = 0;
        for line in &block {
            let content = line.content.trim();
            let kind = if content.starts_with('/')
                || prefixes.iter().any(|p| content.starts_with(p) || line.content.starts_with(p))
            {
                LineKind::Neutral
            } else {
                classify(content)
            };
            match kind {
                LineKind::Code => {
                    code += 1;
                    statements += 1;
                }
                LineKind::Keyword => code += 1,
                LineKind::Prose => prose += 1,
                LineKind::Neutral => {}
            }
        }
        if statements == 0 {
            continue;
        }
        judged.push(Block {
            range: block[0].start..block[block.len() - 1].end,
            code: code * 100 >= threshold * (code + prose),
            code_if_doc: prose == 0,
        });
    }
    judged
}

fn is_header(content: &str) -> bool {
    let head = content.trim().trim_end_matches(':').to_lowercase();
    content.trim().ends_with(':')
        && matches!(
            head.as_str(),
            "параметры"
                | "возвращаемое значение"
                | "пример"
                | "примеры"
                | "например"
                | "пример использования"
                | "варианты вызова"
                | "parameters"
                | "returns"
                | "example"
                | "examples"
                | "for example"
        )
}

impl Rule for CommentedCode {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
        let threshold = ctx.param_int("threshold").clamp(1, 100) as usize;
        let prefixes = ctx.param_str("exclusionPrefixes");
        let prefixes: Vec<&str> = prefixes.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
        let doc_starts: Vec<usize> =
            ctx.module().methods.iter().filter_map(|m| m.doc_comment.as_ref().map(|d| d.range.start)).collect();
        let mut found = Vec::new();
        // Comment blocks never cross a piece's edge (a method starts and ends on code lines),
        // so each piece's blocks are judged once and kept while its text stays the same.
        for piece in ctx.facts.line_pieces() {
            let blocks = ctx.memo_lines(piece, |text| judge_blocks(text, threshold, &prefixes));
            let base = piece.range.start;
            for block in blocks.iter() {
                // A doc comment may hold prose and code examples, so it is code only when
                // nothing in it reads as prose.
                let is_doc = doc_starts.binary_search(&(base + block.range.start)).is_ok();
                if if is_doc { block.code_if_doc } else { block.code } {
                    found.push(base + block.range.start..base + block.range.end);
                }
            }
        }
        for range in found {
            let message = ctx.tr(
                "Закомментированный код: удалите его, история версий его сохранит",
                "Commented-out code: delete it, version control keeps it",
            );
            ctx.report(range, message);
        }
    }
}

//! SpaceAtStartComment: a comment whose text starts right after `//`.

use tree_sitter::Node;

use crate::diagnostic::Edit;
use crate::rules::{ParamDefault, ParamMeta, Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags comments whose text starts right after `//`, without a space (standard 456).
///
/// ## Why
/// `//Комментарий` is harder to read than `// Комментарий`, and the standard asks for the
/// space. Commented-out code (`//А = 1;`) is flagged too: remove it instead.
///
/// ## Exceptions
/// Empty comments (`//`), separator lines made of slashes (`/////`), and comments that
/// start with one of the markers in `commentsAnnotation` (`//@`, `//(c)`, `//©` by default)
/// are left alone.
///
/// ## Fix
/// Inserts the space.
pub struct SpaceAtStartComment;

static META: RuleMeta = RuleMeta {
    code: "SpaceAtStartComment",
    name_ru: "Пробел в начале комментария",
    name_en: "Space at the start of a comment",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Info,
    tags: &["standard"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[ParamMeta {
        name: "commentsAnnotation",
        default: ParamDefault::Str("//@,//(c),//©"),
        description_ru: "Начала комментариев, после которых пробел не нужен (через запятую)",
        description_en: "Comment starts that need no space, comma-separated",
    }],
    module_kinds: &[],
};

impl Rule for SpaceAtStartComment {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &["comment"]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let annotations = ctx.param_str("commentsAnnotation");
        // Each line of a run of comment lines on its own.
        for line in bsl_syntax::comment_lines(ctx.text(), node.byte_range()) {
            let text = &ctx.text()[line.clone()];
            let Some(body) = text.strip_prefix("//") else { continue };
            let Some(first) = body.chars().next() else { continue };
            if first.is_whitespace() || body.chars().all(|c| c == '/') {
                continue;
            }
            if annotations.split(',').map(str::trim).any(|a| !a.is_empty() && text.starts_with(a)) {
                continue;
            }
            let message = ctx.tr("Добавьте пробел после \"//\"", "Add a space after \"//\"");
            let at = line.start + 2;
            let fix = ctx.fix("Вставить пробел", "Insert a space", vec![Edit { range: at..at, new_text: " ".into() }]);
            ctx.report(line, message).fix = Some(fix);
        }
    }
}

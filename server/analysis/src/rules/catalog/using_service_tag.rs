//! UsingServiceTag: work markers such as `TODO` left in comments.

use bsl_syntax::keywords::is_name_char;
use tree_sitter::Node;

use crate::rules::{ParamDefault, ParamMeta, Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags comments that carry a service tag from `serviceTags` (`TODO`, `FIXME`, `HACK`,
/// `Доделать`, `Переделать`, `!!`, ... by default), any case. A word tag counts where it
/// opens the comment (`// TODO: ...`, `//FIXME`, `// !Доделать`), or anywhere when written
/// with a colon (`см. ниже, TODO: ...`); prose that merely uses the word ("массив, из
/// которого необходимо доделать выборку") is not a marker. Tags of punctuation (`!!`) count
/// anywhere.
///
/// ## Why
/// A marker says the code is unfinished. Left in the code it is forgotten; in a task
/// tracker it is scheduled. The rule makes the list visible so each one is either done or
/// moved.
///
/// ## Example
/// ```bsl
/// // TODO: учесть скидку // flagged
/// ```
pub struct UsingServiceTag;

static META: RuleMeta = RuleMeta {
    code: "UsingServiceTag",
    name_ru: "Использование служебных тегов",
    name_en: "Using service tags",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Info,
    tags: &["badpractice"],
    minutes_to_fix: 0,
    enabled_by_default: true,
    params: &[ParamMeta {
        name: "serviceTags",
        default: ParamDefault::Str("todo|fixme|hack|!!|mrg|доделать|переделать"),
        description_ru: "Служебные теги через |",
        description_en: "Service tags, separated by |",
    }],
    module_kinds: &[],
};

impl Rule for UsingServiceTag {
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
        // Each line of a run of comment lines on its own.
        let tags = ctx.param_str("serviceTags").to_lowercase();
        for line in bsl_syntax::comment_lines(ctx.text(), node.byte_range()) {
            if let Some(tag) = service_tag(&ctx.text()[line.clone()], &tags) {
                let message = ctx
                    .tr(format!("Служебный тег \"{tag}\" в комментарии"), format!("Service tag \"{tag}\" in a comment"));
                ctx.report(line, message);
            }
        }
    }
}

/// The first of `tags` (lowercase, separated by `|`) that a comment line carries.
fn service_tag<'t>(raw: &str, tags: &'t str) -> Option<&'t str> {
    // Most comments are prose without a colon: then only their opening word can be a
    // word tag, and punctuation tags are looked for as they are.
    let comment = if raw.contains(':') {
        raw.to_lowercase()
    } else {
        let opening_end = raw
            .char_indices()
            .skip_while(|(_, c)| matches!(c, '/' | ' ' | '\t' | '!' | '@'))
            .find(|(_, c)| !is_name_char(*c))
            .map_or(raw.len(), |(i, _)| i);
        let mut folded = raw[..opening_end].to_lowercase();
        folded.push_str(&raw[opening_end..]);
        folded
    };
    // Where the comment's own text starts: after the slashes, blanks and `!`/`@` marks.
    let opening = comment.trim_start_matches('/').trim_start().trim_start_matches(['!', '@']).trim_start();
    let opening_at = comment.len() - opening.len();
    tags.split('|').map(str::trim).filter(|t| !t.is_empty()).find(|tag| {
        let wordy = tag.chars().any(char::is_alphanumeric);
        comment.match_indices(tag).any(|(at, _)| {
            let before = comment[..at].chars().next_back();
            let after = comment[at + tag.len()..].chars().next();
            let whole = before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric());
            whole && (!wordy || at == opening_at || comment[at + tag.len()..].trim_start().starts_with(':'))
        })
    })
}

//! MissingSpace: no space around a binary operator or after a comma or a semicolon.

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::diagnostic::Edit;
use crate::rules::{ParamDefault, ParamMeta, Rule, RuleContext, RuleMeta, RuleType, Severity};

/// Flags operators and separators written without the spaces around them: binary
/// operators and assignment (`= <> < > <= >= + - * / %`) need a space on both sides, `,`
/// and `;` one after them (standard 456).
///
/// ## Why
/// `Сумма=Цена*Количество+Скидка` is a wall of letters; with spaces the operands and the
/// operators stand apart and the expression reads at a glance, the same way in every module.
///
/// ## Example
/// ```bsl
/// Итог=Сумма+1;            // flagged twice: "=" and "+"
/// Результат = Ф(А,Б);      // flagged: "," needs a space after it
/// ```
///
/// Only code is looked at: strings, dates, comments and preprocessor lines are left as they
/// are. A sign before a number or an expression (`-1`, `(-Сумма)`) is not a binary
/// operator and needs no space. The `=` of a parameter's default value (`Знач Режим=0`) and
/// of an annotation argument is not checked. A line break counts as a space, and a comma or
/// semicolon may be followed by `)`, or, with `allowMultipleCommas`, by another comma
/// (`Ф(А,, Б)`, the style of left-out arguments in the standard subsystems).
///
/// ## Parameters
/// The three lists hold operators separated by spaces: `listForCheckLeft` — a space is
/// needed before them, `listForCheckRight` — after them, `listForCheckLeftAndRight` — on
/// both sides. `checkSpaceToRightOfUnary` also asks for a space after a unary sign.
///
/// ## Fix
/// Inserts the missing spaces.
pub struct MissingSpace;

static META: RuleMeta = RuleMeta {
    code: "MissingSpace",
    name_ru: "Пропущены пробелы слева или справа от операторов и знаков препинания",
    name_en: "Missing spaces around operators and separators",
    rule_type: RuleType::CodeSmell,
    severity: Severity::Info,
    tags: &["standard", "badpractice"],
    minutes_to_fix: 1,
    enabled_by_default: true,
    params: &[
        ParamMeta {
            name: "listForCheckLeft",
            default: ParamDefault::Str(""),
            description_ru: "Символы, перед которыми нужен пробел (через пробел)",
            description_en: "Operators that need a space before them, space-separated",
        },
        ParamMeta {
            name: "listForCheckRight",
            default: ParamDefault::Str(", ;"),
            description_ru: "Символы, после которых нужен пробел (через пробел)",
            description_en: "Operators that need a space after them, space-separated",
        },
        ParamMeta {
            name: "listForCheckLeftAndRight",
            default: ParamDefault::Str("+ - * / = % < > <> <= >="),
            description_ru: "Символы, с обеих сторон которых нужен пробел (через пробел)",
            description_en: "Operators that need a space on both sides, space-separated",
        },
        ParamMeta {
            name: "checkSpaceToRightOfUnary",
            default: ParamDefault::Bool(false),
            description_ru: "Требовать пробел после унарного знака",
            description_en: "Ask for a space after a unary sign",
        },
        ParamMeta {
            name: "allowMultipleCommas",
            default: ParamDefault::Bool(true),
            description_ru: "Разрешать запятые подряд без пробела (пропущенные параметры)",
            description_en: "Allow commas in a row without spaces (left-out arguments)",
        },
    ],
    module_kinds: &[],
};

const TOKENS: &[&str] = &[",", ";", "=", "<>", "<", ">", "<=", ">=", "+", "-", "*", "/", "%"];

fn is_blank(c: Option<char>) -> bool {
    c.is_none_or(char::is_whitespace)
}

impl Rule for MissingSpace {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn scope(&self) -> crate::rules::Scope {
        crate::rules::Scope::Method
    }

    fn node_kinds(&self) -> &'static [&'static str] {
        &[
            "binary_expression",
            "unary_expression",
            "assignment_statement",
            "for_statement",
            "arguments",
            "parameters",
            "var_declaration",
            "ternary_expression",
            "raise_arguments",
            "annotation_arguments",
            "add_handler_statement",
            "remove_handler_statement",
            "block",
            "source_file",
        ]
    }

    fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
        let text = ctx.text();
        let unary = node.kind_str() == "unary_expression";
        let mut found = Vec::new();
        for &token in ctx.children(node).iter() {
            if token.is_named() || token.is_missing() || !TOKENS.contains(&token.kind_str()) {
                continue;
            }
            let (start, end) = (token.start_byte(), token.end_byte());
            let before = text[..start].chars().next_back();
            let after = text[end..].chars().next();
            let op = token.kind_str();
            if unary {
                if !is_blank(after) && ctx.param_bool("checkSpaceToRightOfUnary") {
                    found.push((start..end, op, false, true));
                }
                continue;
            }
            let left_missing = !is_blank(before);
            let mut right_missing = !is_blank(after);
            if right_missing && matches!(op, "," | ";") {
                right_missing = match after {
                    Some(')') => op != ",",
                    Some(';') => op != ";",
                    Some(',') => !(op == "," && ctx.param_bool("allowMultipleCommas")),
                    _ => true,
                };
            }
            if !left_missing && !right_missing {
                continue;
            }
            let listed = |list: &str| ctx.param_str(list).split_whitespace().any(|o| o == op);
            let both = listed("listForCheckLeftAndRight");
            let left = left_missing && (both || listed("listForCheckLeft"));
            let right = right_missing && (both || listed("listForCheckRight"));
            if left || right {
                found.push((start..end, op, left, right));
            }
        }
        for (range, op, left, right) in found {
            let message = match (left, right) {
                (true, true) => ctx.tr(
                    format!("Нет пробелов слева и справа от \"{op}\""),
                    format!("Missing spaces on both sides of \"{op}\""),
                ),
                (true, false) => {
                    ctx.tr(format!("Нет пробела слева от \"{op}\""), format!("Missing space before \"{op}\""))
                }
                _ => ctx.tr(format!("Нет пробела справа от \"{op}\""), format!("Missing space after \"{op}\"")),
            };
            let mut edits = Vec::new();
            if left {
                edits.push(Edit { range: range.start..range.start, new_text: " ".into() });
            }
            if right {
                edits.push(Edit { range: range.end..range.end, new_text: " ".into() });
            }
            let fix = ctx.fix("Вставить пробел", "Insert the space", edits);
            ctx.report(range, message).fix = Some(fix);
        }
    }
}

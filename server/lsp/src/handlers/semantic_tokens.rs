//! Semantic tokens: keywords, literals, comments, preprocessor lines, annotations, and names
//! classified by their role (method declarations and calls, parameters, variables, members,
//! types). Computed in one cursor walk; `full/delta` sends only what changed since the
//! previous result.

use tower_lsp_server::ls_types::{
    SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokens, SemanticTokensDelta, SemanticTokensEdit,
    SemanticTokensLegend,
};

use crate::session::Snapshot;

const KEYWORD: u32 = 0;
const STRING: u32 = 1;
const NUMBER: u32 = 2;
const COMMENT: u32 = 3;
const FUNCTION: u32 = 4;
const METHOD: u32 = 5;
const PARAMETER: u32 = 6;
const VARIABLE: u32 = 7;
const MACRO: u32 = 8;
const DECORATOR: u32 = 9;
const TYPE: u32 = 10;
const PROPERTY: u32 = 11;

const DECLARATION: u32 = 1;

pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: vec![
            SemanticTokenType::KEYWORD,
            SemanticTokenType::STRING,
            SemanticTokenType::NUMBER,
            SemanticTokenType::COMMENT,
            SemanticTokenType::FUNCTION,
            SemanticTokenType::METHOD,
            SemanticTokenType::PARAMETER,
            SemanticTokenType::VARIABLE,
            SemanticTokenType::MACRO,
            SemanticTokenType::DECORATOR,
            SemanticTokenType::TYPE,
            SemanticTokenType::PROPERTY,
        ],
        token_modifiers: vec![SemanticTokenModifier::DECLARATION],
    }
}

/// A token before delta encoding: byte range, type and modifiers.
struct Raw {
    start: usize,
    end: usize,
    kind: u32,
    modifiers: u32,
}

fn classify_identifier(
    stack: &[(&str, Option<&str>)],
    field: Option<&str>,
    params: &[String],
    text: &str,
) -> (u32, u32) {
    let parent = stack.last().map(|(kind, _)| *kind);
    match (parent, field) {
        (Some("method_declaration"), Some("name")) => (FUNCTION, DECLARATION),
        (Some("parameter"), Some("name")) => (PARAMETER, DECLARATION),
        (Some("var_item"), Some("name")) => (VARIABLE, DECLARATION),
        (Some("call_expression"), Some("function")) => (FUNCTION, 0),
        (Some("new_expression"), Some("type")) => (TYPE, 0),
        (Some("annotation" | "annotation_argument"), Some("name")) => (DECORATOR, 0),
        (Some("member_expression"), Some("property")) => {
            // `А.Метод()`: the member is the called function of a call.
            let called = stack.len() >= 2
                && stack[stack.len() - 2].0 == "call_expression"
                && stack[stack.len() - 1].1 == Some("function");
            (if called { METHOD } else { PROPERTY }, 0)
        }
        _ => {
            let lower = text.to_lowercase();
            (if params.contains(&lower) { PARAMETER } else { VARIABLE }, 0)
        }
    }
}

fn raw_tokens(snap: &Snapshot) -> Vec<Raw> {
    let parse = &snap.parse;
    let text = parse.text();
    let mut out = Vec::new();
    let mut cursor = parse.root().walk();
    // Ancestors of the current node: (kind, field of that ancestor in its own parent).
    let mut stack: Vec<(&str, Option<&str>)> = Vec::new();
    let mut params: Vec<String> = Vec::new();
    let mut method_depth: Option<usize> = None;
    'walk: loop {
        let node = cursor.node();
        let kind = node.kind();
        let field = cursor.field_name();
        let range = node.byte_range();
        let mut descend = true;
        match kind {
            "comment" | "shebang" => out.push(Raw { start: range.start, end: range.end, kind: COMMENT, modifiers: 0 }),
            "string" | "date" => {
                out.push(Raw { start: range.start, end: range.end, kind: STRING, modifiers: 0 });
                descend = false;
            }
            "number" => out.push(Raw { start: range.start, end: range.end, kind: NUMBER, modifiers: 0 }),
            k if k.starts_with("preproc_") => {
                out.push(Raw { start: range.start, end: range.end, kind: MACRO, modifiers: 0 })
            }
            "identifier" => {
                let (kind, modifiers) = classify_identifier(&stack, field, &params, &text[range.clone()]);
                if stack.last().map(|s| s.0) != Some("label") {
                    out.push(Raw { start: range.start, end: range.end, kind, modifiers });
                }
            }
            "&" => out.push(Raw { start: range.start, end: range.end, kind: DECORATOR, modifiers: 0 }),
            "method_declaration" => {
                params = node
                    .child_by_field_name("parameters")
                    .map(|list| {
                        let mut c = list.walk();
                        list.named_children(&mut c)
                            .filter_map(|p| p.child_by_field_name("name"))
                            .map(|n| text[n.byte_range()].to_lowercase())
                            .collect()
                    })
                    .unwrap_or_default();
                method_depth = Some(stack.len());
            }
            k if !node.is_named() && bsl_syntax::keywords::spelling(k).is_some() => {
                out.push(Raw { start: range.start, end: range.end, kind: KEYWORD, modifiers: 0 })
            }
            _ => {}
        }
        if descend && cursor.goto_first_child() {
            stack.push((kind, field));
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
            stack.pop();
            if method_depth == Some(stack.len()) {
                params.clear();
                method_depth = None;
            }
        }
    }
    out
}

/// Delta-encoded tokens, split at line breaks (clients need single-line tokens).
pub fn encode(snap: &Snapshot) -> Vec<SemanticToken> {
    let parse = &snap.parse;
    let text = parse.text();
    let index = parse.line_index();
    let mut tokens = Vec::new();
    let (mut last_line, mut last_col) = (0u32, 0u32);
    let mut push = |line: u32, col: u32, length: u32, kind: u32, modifiers: u32| {
        if length == 0 {
            return;
        }
        let delta_line = line - last_line;
        let delta_start = if delta_line == 0 { col - last_col } else { col };
        tokens.push(SemanticToken {
            delta_line,
            delta_start,
            length,
            token_type: kind,
            token_modifiers_bitset: modifiers,
        });
        last_line = line;
        last_col = col;
    };
    for raw in raw_tokens(snap) {
        let start_line = index.line_of(raw.start);
        let end_line = index.line_of(raw.end);
        for line in start_line..=end_line {
            let line_range = index.line_range(line).unwrap_or(0..0);
            let from = raw.start.max(line_range.start);
            let to = raw.end.min(line_range.end);
            let segment = text[from..to].trim_end_matches(['\n', '\r']);
            let col: usize = text[line_range.start..from].chars().map(char::len_utf16).sum();
            let length: usize = segment.chars().map(char::len_utf16).sum();
            push(line, col as u32, length as u32, raw.kind, raw.modifiers);
        }
    }
    tokens
}

pub fn full(snap: &Snapshot, result_id: String) -> SemanticTokens {
    SemanticTokens { result_id: Some(result_id), data: encode(snap) }
}

/// One edit that turns `old` into `new`: the differing middle between a common prefix and
/// a common suffix, counted in tokens.
pub fn delta(old: &[SemanticToken], new: &[SemanticToken], result_id: String) -> SemanticTokensDelta {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let suffix = old[prefix..].iter().rev().zip(new[prefix..].iter().rev()).take_while(|(a, b)| a == b).count();
    let edits = if prefix == old.len() && prefix == new.len() {
        Vec::new()
    } else {
        vec![SemanticTokensEdit {
            start: (prefix * 5) as u32,
            delete_count: ((old.len() - prefix - suffix) * 5) as u32,
            data: Some(new[prefix..new.len() - suffix].to_vec()),
        }]
    };
    SemanticTokensDelta { result_id: Some(result_id), edits }
}

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

/// The tokens of one subtree (a top-level item of the module, or the whole module).
/// The tokens under `top`, whose parent is `parent` when the caller knows it (asking
/// tree-sitter for a node's parent searches down from the root).
fn raw_tokens<'t>(
    parse: &'t bsl_syntax::Parse,
    top: bsl_syntax::tree_sitter::Node<'t>,
    parent: Option<bsl_syntax::tree_sitter::Node<'t>>,
) -> Vec<Raw> {
    let text = parse.text();
    let mut out = Vec::new();
    let mut cursor = top.walk();
    // Ancestors of the current node: (kind, field of that ancestor in its own parent).
    let mut stack: Vec<(&str, Option<&str>)> =
        parent.or_else(|| top.parent()).map(|p| (p.kind(), None)).into_iter().collect();
    let base = stack.len();
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
            if stack.len() == base {
                break 'walk;
            }
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

/// A token on one line, in absolute UTF-16 coordinates.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Abs {
    line: u32,
    col: u32,
    length: u32,
    kind: u32,
    modifiers: u32,
}

/// Splits raw tokens at line breaks and positions them.
fn absolute(parse: &bsl_syntax::Parse, raws: Vec<Raw>, out: &mut Vec<Abs>) {
    let text = parse.text();
    let index = parse.line_index();
    for raw in raws {
        let start_line = index.line_of(raw.start);
        let end_line = index.line_of(raw.end);
        for line in start_line..=end_line {
            let line_range = index.line_range(line).unwrap_or(0..0);
            let from = raw.start.max(line_range.start);
            let to = raw.end.min(line_range.end);
            let segment = text[from..to].trim_end_matches(['\n', '\r']);
            let col: usize = text[line_range.start..from].chars().map(char::len_utf16).sum();
            let length: usize = segment.chars().map(char::len_utf16).sum();
            if length > 0 {
                out.push(Abs {
                    line,
                    col: col as u32,
                    length: length as u32,
                    kind: raw.kind,
                    modifiers: raw.modifiers,
                });
            }
        }
    }
}

/// Tokens of the module's top-level parts (methods, comments, declarations) from an earlier
/// request, keyed by a fingerprint of the part's text, with lines counted from the part's
/// first line. A keystroke changes one part; the others are taken from here.
pub type MethodCache = bsl_analysis::hashing::FastMap<u64, std::sync::Arc<Vec<Abs>>>;

/// Delta-encoded tokens, split at line breaks (clients need single-line tokens). Parts
/// whose text is in `cache` are not walked again; `cache` is left holding this version's
/// parts only. A part's tokens depend on its own text alone (a parameter is known from its
/// own method), so they are reused wherever the part moves, as long as it starts a line.
pub fn encode_cached(snap: &Snapshot, cache: &mut MethodCache) -> Vec<SemanticToken> {
    let parse = &snap.parse;
    let index = parse.line_index();
    let root = parse.root();
    let mut fresh = MethodCache::with_capacity_and_hasher(cache.len(), Default::default());
    // Delta-encoded as they come: a large module has hundreds of thousands of tokens, and
    // each pass over them (or copy) costs a share of a keystroke's budget.
    let mut out = Encoder { out: Vec::with_capacity(cache.values().map(|t| t.len()).sum()), line: 0, col: 0 };
    let mut loose = Vec::new();
    let mut cursor = root.walk();
    for child in root.children(&mut cursor) {
        let starts_line = index.position(parse.text(), child.start_byte(), bsl_syntax::Encoding::Utf8).col == 0;
        if !starts_line {
            loose.clear();
            absolute(parse, raw_tokens(parse, child, Some(root)), &mut loose);
            out.extend(loose.iter().copied(), 0);
            continue;
        }
        let base_line = index.line_of(child.start_byte());
        let key = bsl_analysis::hashing::text_hash(parse.node_text(child));
        let relative = match cache.get(&key).or_else(|| fresh.get(&key)) {
            Some(found) => found.clone(),
            None => {
                let mut tokens = Vec::new();
                absolute(parse, raw_tokens(parse, child, Some(root)), &mut tokens);
                for token in &mut tokens {
                    token.line -= base_line;
                }
                std::sync::Arc::new(tokens)
            }
        };
        out.extend(relative.iter().copied(), base_line);
        fresh.insert(key, relative);
    }
    *cache = fresh;
    out.out
}

/// Delta-encoded tokens without a cache.
pub fn encode(snap: &Snapshot) -> Vec<SemanticToken> {
    encode_cached(snap, &mut MethodCache::default())
}

/// Turns positioned tokens, in order, into LSP's encoding: each token's line and start
/// relative to the one before.
struct Encoder {
    out: Vec<SemanticToken>,
    line: u32,
    col: u32,
}

impl Encoder {
    /// Adds `tokens`, whose lines count from `base_line`.
    fn extend(&mut self, tokens: impl Iterator<Item = Abs>, base_line: u32) {
        for t in tokens {
            let line = t.line + base_line;
            let delta_line = line - self.line;
            let delta_start = if delta_line == 0 { t.col - self.col } else { t.col };
            self.line = line;
            self.col = t.col;
            self.out.push(SemanticToken {
                delta_line,
                delta_start,
                length: t.length,
                token_type: t.kind,
                token_modifiers_bitset: t.modifiers,
            });
        }
    }
}

pub fn full(snap: &Snapshot, result_id: String, cache: &mut MethodCache) -> SemanticTokens {
    SemanticTokens { result_id: Some(result_id), data: encode_cached(snap, cache) }
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use bsl_analysis::rules::Config;
    use bsl_analysis::{ModuleKind, RuleSet};
    use bsl_syntax::{Parse, TextEdit};

    use super::*;

    fn snapshot(parse: Parse) -> Snapshot {
        let config = Arc::new(Config::default());
        let rules = Arc::new(RuleSet::new(&config));
        Snapshot::detached("file:///t.bsl".parse().unwrap(), 1, Arc::new(parse), ModuleKind::Unknown, config, rules)
    }

    #[test]
    fn cached_parts_give_the_same_tokens_as_a_fresh_walk() {
        let text = "Перем А;\n\nПроцедура П(Б) Экспорт\n\tА = Б + 1; // к\nКонецПроцедуры\n\n&НаСервере\nФункция Ф()\n\tВозврат \"с\nтр\";\nКонецФункции\n";
        let mut parse = Parse::new(text);
        let mut cache = MethodCache::default();
        let first = encode_cached(&snapshot(parse.clone()), &mut cache);
        assert_eq!(first, encode(&snapshot(parse.clone())));
        assert_eq!(cache.len(), 3, "the declaration and the two methods");
        // Add lines above both methods: their cached tokens move down.
        parse.edit(&TextEdit::new(0..0, "// шапка\n\n"));
        let second = encode_cached(&snapshot(parse.clone()), &mut cache);
        assert_eq!(second, encode(&snapshot(parse.clone())));
        // Change one method: it is walked again, the other comes from the cache.
        let at = parse.text().find("+ 1").unwrap();
        parse.edit(&TextEdit::new(at..at + 3, "* 2"));
        let third = encode_cached(&snapshot(parse.clone()), &mut cache);
        assert_eq!(third, encode(&snapshot(parse)));
        assert_eq!(cache.len(), 4, "the new comment is kept, the old version of the changed method dropped");
    }
}

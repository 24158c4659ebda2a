//! a_names: what each identifier of a method stands for (a read, a write, a member, a call).

use bsl_syntax::NodeExt;
use tree_sitter::Node;

use crate::rules::flat::{Flat, FlatNode};
use bsl_syntax::keywords::is_name_char;

/// The role of an identifier in the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Any use of a variable's value: an operand, an argument, the object of a member
    /// access or call, a `Для Каждого` collection, ...
    Read,
    /// The whole left side of an assignment: `Имя = ...`.
    Write,
    /// The counter of `Для` or the item of `Для Каждого`.
    LoopVariable,
    /// A name declared by `Перем` in a method.
    Declaration,
    /// The name of a called method: `Имя(...)`.
    Call,
    /// The procedure named in `ДобавитьОбработчик`/`УдалитьОбработчик`: a method reference
    /// and, when it is a variable, a read.
    Handler,
    /// The name after a dot: `Объект.Имя`.
    Member,
    /// Anything else that is not a variable: a type after `Новый`, a label, an
    /// annotation, a method or parameter declaration.
    Other,
}

fn role(parent: &str, field: Option<&str>) -> Role {
    match (parent, field) {
        ("assignment_statement", Some("left")) => Role::Write,
        ("for_statement" | "for_each_statement", Some("variable")) => Role::LoopVariable,
        ("var_item", Some("name")) => Role::Declaration,
        ("call_expression", Some("function")) => Role::Call,
        ("add_handler_statement" | "remove_handler_statement", Some("handler")) => Role::Handler,
        ("member_expression", Some("property")) => Role::Member,
        ("new_expression", Some("type"))
        | ("method_declaration", _)
        | ("parameter", _)
        | ("label", _)
        | ("annotation", _)
        | ("annotation_argument", _) => Role::Other,
        _ => Role::Read,
    }
}

/// Every identifier under `root` with its role, in document order. Walks down with a
/// cursor (no `parent()` calls), so it is cheap on long methods.
pub fn identifiers<'t>(root: Node<'t>) -> Vec<(Node<'t>, Role)> {
    let mut out = Vec::new();
    walk_with_roles(root, |node, role| {
        if let Some(role) = role {
            out.push((node, role));
        }
    });
    out
}

/// [`identifiers`] of the node at `at` of a flat list (the same answer, without a walk).
pub fn identifiers_flat<'t>(flat: &Flat<'t>, at: usize) -> Vec<(Node<'t>, Role)> {
    let mut out = Vec::new();
    walk_flat_with_roles(flat, at, |entry, role| {
        if let Some(role) = role {
            out.push((entry.node, role));
        }
    });
    out
}

/// [`walk_with_roles`] over the subtree at `at` of a flat list, handing over each node's
/// entry.
pub fn walk_flat_with_roles<'t>(flat: &Flat<'t>, at: usize, mut visit: impl FnMut(&FlatNode<'t>, Option<Role>)) {
    let identifier = bsl_syntax::node_ext::named_kind_id("identifier");
    for (i, entry) in flat.subtree(at).iter().enumerate() {
        if entry.kind == identifier {
            // As the walk from the subtree's top sees it: no parent, no field for the top.
            let (parent, field) = match flat.parent(at + i) {
                Some(parent) if i > 0 => (flat.nodes[parent].kind_str(), bsl_syntax::node_ext::field_name(entry.field)),
                _ => ("", None),
            };
            visit(entry, Some(role(parent, field)));
        } else {
            visit(entry, None);
        }
    }
}

/// Visits every node under `root` in document order, with the role of each identifier
/// (`None` for other nodes).
pub fn walk_with_roles<'t>(root: Node<'t>, mut visit: impl FnMut(Node<'t>, Option<Role>)) {
    let mut cursor = root.walk();
    let mut stack: Vec<&str> = Vec::new();
    'walk: loop {
        let node = cursor.node();
        if node.kind_str() == "identifier" {
            let parent = stack.last().copied().unwrap_or("");
            visit(node, Some(role(parent, bsl_syntax::node_ext::cursor_field_name(&cursor))));
        } else {
            visit(node, None);
        }
        if node.child_count() > 0 && cursor.goto_first_child() {
            stack.push(node.kind_str());
            continue;
        }
        loop {
            if cursor.node() == root {
                break 'walk;
            }
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
            stack.pop();
        }
    }
}

/// A name folded for case-insensitive comparison.
pub fn fold(name: &str) -> String {
    name.chars().flat_map(char::to_lowercase).map(|c| if c == 'ё' { 'е' } else { c }).collect()
}

/// Whether a method's code may reach its variables by name at run time: `Выполнить`
/// (statement or call) or `Вычислить`/`Eval` of a string.
pub fn runs_dynamic_code(root: Node<'_>, text: &str) -> bool {
    bsl_syntax::walk::preorder(root).any(|n| match n.kind_str() {
        "execute_statement" => true,
        "call_expression" => n.field("function").is_some_and(|f| {
            f.kind_str() == "identifier"
                && crate::rules::util::is_any(&text[f.byte_range()], &["Вычислить", "Eval", "Выполнить", "Execute"])
        }),
        _ => false,
    })
}

/// Every word (letters, digits, `_`) of every string literal under `root`, folded, with the
/// start of each literal holding it: a method named in a string (`"ПослеВыбора"`,
/// `"Модуль.Метод"`) is then looked up at once. Only words whose length in bytes is one of
/// `lengths` are kept (folding keeps the length of Russian and English names).
pub fn string_words(
    root: Node<'_>,
    text: &str,
    lengths: &std::collections::HashSet<usize>,
) -> std::collections::HashMap<String, Vec<usize>> {
    let mut words: std::collections::HashMap<String, Vec<usize>> = std::collections::HashMap::new();
    for node in bsl_syntax::walk::preorder(root) {
        if node.kind_str() != "string" {
            continue;
        }
        let literal = &text[node.byte_range()];
        for word in literal.split(|c: char| !is_name_char(c)) {
            if lengths.contains(&word.len()) {
                words.entry(fold(word)).or_default().push(node.start_byte());
            }
        }
    }
    words
}

/// A hash of a name folded as [`fold`] folds it, without allocating.
pub fn fold_hash(name: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut add = |c: char| {
        let c = if c == 'ё' { 'е' } else { c };
        hash ^= c as u64;
        hash = hash.wrapping_mul(0x100_0000_01b3);
    };
    for c in name.chars() {
        match bsl_syntax::keywords::fold_simple(c) {
            Some(c) => add(c),
            None => c.to_lowercase().for_each(&mut add),
        }
    }
    hash
}

/// How many code parts mention, call and hand over each name (see [`PartNames::counts`]);
/// names no part has are absent.
#[derive(Debug, Clone, Default)]
pub struct NameCounts {
    pub mentions: crate::hashing::FastMap<u64, i64>,
    pub calls: crate::hashing::FastMap<u64, i64>,
    pub callbacks: crate::hashing::FastMap<u64, i64>,
}

impl NameCounts {
    /// The key of the kept sum (see `RuleContext::memo_total`).
    pub const MEMO: &'static str = "a_names::NameCounts";
}

/// What one top-level part of a module (a method, a module-body statement) says about
/// names, as [`fold_hash`]es: what the "is it used" rules need from every part, gathered
/// in one walk and shared between them.
#[derive(Debug, Default)]
pub struct PartNames {
    /// Identifiers other than declarations (calls, values, `ДобавитьОбработчик` targets)
    /// and words of string literals: how a method may be mentioned.
    pub mentions: crate::hashing::FastSet<u64>,
    /// Names called: `Имя(...)`.
    pub calls: crate::hashing::FastSet<u64>,
    /// Names handed over as callbacks: `ДобавитьОбработчик` targets and words of strings.
    pub callbacks: crate::hashing::FastSet<u64>,
    /// For a method: names its body mentions (values, calls, writes; not members).
    pub in_body: crate::hashing::FastSet<u64>,
}

impl PartNames {
    /// The key of the shared memo (see `RuleContext::memo_shared`).
    pub const MEMO: &'static str = "a_names::PartNames";

    /// In how many code parts of the module each name is mentioned, called and handed
    /// over, kept across edits: an edit re-counts only the parts it changed.
    pub fn counts(ctx: &crate::rules::RuleContext<'_, '_>) -> std::sync::Arc<NameCounts> {
        let (facts, text) = (ctx.facts, ctx.text());
        let of_part =
            |index: usize| ctx.memo_shared_part(Self::MEMO, index, |_| PartNames::of(facts.part_flat(index), text));
        ctx.memo_total(NameCounts::MEMO, facts.code_parts(), of_part, |sum: &mut NameCounts, names, times| {
            for (counts, set) in
                [(&mut sum.mentions, &names.mentions), (&mut sum.calls, &names.calls), (&mut sum.callbacks, &names.callbacks)]
            {
                for &name in set {
                    let count = counts.entry(name).or_insert(0);
                    *count += times;
                    if *count == 0 {
                        counts.remove(&name);
                    }
                }
            }
        })
    }

    /// The top-level part holding `offset` (its index in `ModuleFacts::parts`) and its
    /// names.
    pub fn holding_part(
        ctx: &crate::rules::RuleContext<'_, '_>,
        offset: usize,
    ) -> Option<(usize, std::sync::Arc<PartNames>)> {
        let (facts, text) = (ctx.facts, ctx.text());
        let parts = facts.parts();
        let after = parts.partition_point(|p| p.start_byte() <= offset);
        // Parts do not overlap: only the last ones starting at or before `offset` may hold it.
        let index = (0..after).rev().take_while(|&i| parts[i].end_byte() > offset || parts[i].start_byte() == offset).find(
            |&i| parts[i].byte_range().contains(&offset),
        )?;
        Some((index, ctx.memo_shared_part(Self::MEMO, index, |_| PartNames::of(facts.part_flat(index), text))))
    }

    /// Gathers the names of the part whose flat list is `flat` (the part is its first node).
    pub fn of(flat: &Flat<'_>, text: &str) -> PartNames {
        let mut names = PartNames::default();
        let part = flat.nodes[0].node;
        let body = (part.kind_str() == "method_declaration")
            .then(|| part.field("body"))
            .flatten()
            .map(|b| b.byte_range());
        let string = bsl_syntax::node_ext::named_kind_id("string");
        walk_flat_with_roles(flat, 0, |entry, role| match role {
            Some(role) => {
                let node = entry.node;
                let hash = fold_hash(&text[node.byte_range()]);
                if !matches!(role, Role::Other | Role::Declaration) {
                    names.mentions.insert(hash);
                }
                match role {
                    Role::Call => {
                        names.calls.insert(hash);
                    }
                    Role::Handler => {
                        names.callbacks.insert(hash);
                    }
                    _ => {}
                }
                if !matches!(role, Role::Other | Role::Declaration | Role::Member)
                    && body.as_ref().is_some_and(|b| b.contains(&node.start_byte()))
                {
                    names.in_body.insert(hash);
                }
            }
            None if entry.kind == string => {
                for word in text[entry.node.byte_range()].split(|c: char| !is_name_char(c)) {
                    if !word.is_empty() {
                        let hash = fold_hash(word);
                        names.mentions.insert(hash);
                        names.callbacks.insert(hash);
                    }
                }
            }
            None => {}
        });
        names
    }
}

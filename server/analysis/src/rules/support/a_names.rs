//! a_names: what each identifier of a method stands for (a read, a write, a member, a call).

use tree_sitter::Node;

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
    let mut cursor = root.walk();
    let mut stack: Vec<&str> = Vec::new();
    'walk: loop {
        let node = cursor.node();
        if node.kind() == "identifier" {
            let parent = stack.last().copied().unwrap_or("");
            out.push((node, role(parent, cursor.field_name())));
        }
        if node.child_count() > 0 && cursor.goto_first_child() {
            stack.push(node.kind());
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
    out
}

/// A name folded for case-insensitive comparison.
pub fn fold(name: &str) -> String {
    name.chars().flat_map(char::to_lowercase).map(|c| if c == 'ё' { 'е' } else { c }).collect()
}

/// Whether a method's code may reach its variables by name at run time: `Выполнить`
/// (statement or call) or `Вычислить`/`Eval` of a string.
pub fn runs_dynamic_code(root: Node<'_>, text: &str) -> bool {
    bsl_syntax::walk::preorder(root).any(|n| match n.kind() {
        "execute_statement" => true,
        "call_expression" => n.child_by_field_name("function").is_some_and(|f| {
            f.kind() == "identifier"
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
        if node.kind() != "string" {
            continue;
        }
        let literal = &text[node.byte_range()];
        for word in literal.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
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
    for c in name.chars().flat_map(char::to_lowercase) {
        let c = if c == 'ё' { 'е' } else { c };
        hash ^= c as u64;
        hash = hash.wrapping_mul(0x100_0000_01b3);
    }
    hash
}

/// The names a subtree mentions as a method might be mentioned: identifiers other than
/// declarations (calls, values, `ДобавитьОбработчик` targets) and every word of its string
/// literals, as [`fold_hash`]es. What the module-wide "is this used" rules keep per method.
pub fn mentioned_names(root: Node<'_>, text: &str) -> std::collections::HashSet<u64> {
    let mut out = std::collections::HashSet::new();
    for (node, role) in identifiers(root) {
        if !matches!(role, Role::Other | Role::Declaration) {
            out.insert(fold_hash(&text[node.byte_range()]));
        }
    }
    for node in bsl_syntax::walk::preorder(root) {
        if node.kind() == "string" {
            for word in text[node.byte_range()].split(|c: char| !(c.is_alphanumeric() || c == '_')) {
                if !word.is_empty() {
                    out.insert(fold_hash(word));
                }
            }
        }
    }
    out
}

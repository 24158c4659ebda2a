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

/// Whether `word` occurs in `haystack` as a whole word (letters, digits and `_` around it
/// do not continue it), ignoring case. `haystack` and `word` are already folded.
pub fn contains_word(haystack: &str, word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut from = 0;
    while let Some(at) = haystack[from..].find(word) {
        let start = from + at;
        let end = start + word.len();
        let before = haystack[..start].chars().next_back();
        let after = haystack[end..].chars().next();
        if !before.is_some_and(is_word) && !after.is_some_and(is_word) {
            return true;
        }
        from = start + haystack[start..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

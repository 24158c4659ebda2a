//! The assistants' code actions on the method under the cursor: the developer's "add the
//! description comment" (an edit, for a method without one), and the commands that explain
//! the method, generate its YAxUnit tests and review the module (run by
//! `server/commands.rs`).

use bsl_assistant::roles::developer;
use serde_json::json;
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Command, Position, TextEdit, WorkspaceEdit,
};

use crate::convert;
use crate::session::Snapshot;

pub const EXPLAIN: &str = "bsl-assist.explainMethod";
pub const GENERATE_TESTS: &str = "bsl-assist.generateTests";
pub const REVIEW: &str = "bsl-assist.review";

/// The method whose declaration holds `offset`.
fn method_at(snap: &Snapshot, offset: usize) -> Option<usize> {
    snap.parse.module().methods.iter().position(|m| m.range.contains(&offset))
}

/// The name other modules call this module by: the common module's or object's name from
/// the workspace index, else the file's stem.
pub fn module_name(snap: &Snapshot) -> String {
    let path = snap.path();
    if let Some(path) = &path
        && let Some(info) = snap.workspace.index().module(path)
    {
        return info.name.clone();
    }
    path.as_ref()
        .and_then(|p| p.file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "Модуль".into())
}

/// The edit that puts a description comment above method `index`, `None` when it has one.
pub fn doc_comment_edit(snap: &Snapshot, index: usize) -> Option<WorkspaceEdit> {
    let method = &snap.parse.module().methods[index];
    if method.doc_comment.is_some() {
        return None;
    }
    let comment = developer::doc_comment(&snap.parse, index);
    // Above the method's first line (its annotations included), indented as it is.
    let start = convert::position(&snap.parse, method.range.start);
    let at = Position { line: start.line, character: 0 };
    let text = if comment.ends_with('\n') { comment } else { format!("{comment}\n") };
    let mut edits = std::collections::HashMap::new();
    edits.insert(
        snap.uri.clone(),
        vec![TextEdit { range: tower_lsp_server::ls_types::Range { start: at, end: at }, new_text: text }],
    );
    Some(WorkspaceEdit { changes: Some(edits), ..WorkspaceEdit::default() })
}

/// Code actions on the method under the cursor.
pub fn actions(snap: &Snapshot, offset: usize) -> Vec<CodeActionOrCommand> {
    let Some(index) = method_at(snap, offset) else { return Vec::new() };
    let module = snap.parse.module();
    let method = &module.methods[index];
    let mut out = Vec::new();
    if let Some(edit) = doc_comment_edit(snap, index) {
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: format!("Добавить описание метода {}", method.name),
            kind: Some(CodeActionKind::REFACTOR_REWRITE),
            edit: Some(edit),
            ..CodeAction::default()
        }));
    }
    let arguments = Some(vec![json!(snap.uri.as_str()), json!(method.name)]);
    out.push(CodeActionOrCommand::Command(Command {
        title: format!("Объяснить метод {}", method.name),
        command: EXPLAIN.into(),
        arguments: arguments.clone(),
    }));
    out.push(CodeActionOrCommand::Command(Command {
        title: format!("Сгенерировать тесты YAxUnit для {}", method.name),
        command: GENERATE_TESTS.into(),
        arguments,
    }));
    out.push(CodeActionOrCommand::Command(Command {
        title: "Ревью модуля".into(),
        command: REVIEW.into(),
        arguments: Some(vec![json!(snap.uri.as_str())]),
    }));
    out
}

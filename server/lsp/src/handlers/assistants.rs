//! The assistants in the editor, deterministic (no LLM needed): the developer's "add the
//! description comment" code action on a method without one, and the commands
//! `bsl-assist.explainMethod` (Markdown about a method) and `bsl-assist.generateTests` (a
//! YAxUnit test module for a method, with a suggested file name; the client opens it).

use bsl_assistant::roles::{developer, tester};
use serde_json::{Value, json};
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Command, Position, TextEdit, WorkspaceEdit,
};

use crate::convert;
use crate::session::Snapshot;

pub const EXPLAIN: &str = "bsl-assist.explainMethod";
pub const GENERATE_TESTS: &str = "bsl-assist.generateTests";

/// The method whose declaration holds `offset`.
fn method_at(snap: &Snapshot, offset: usize) -> Option<usize> {
    snap.parse.module().methods.iter().position(|m| m.range.contains(&offset))
}

/// The name other modules call this module by: the common module's or object's name from
/// the workspace index, else the file's stem.
fn module_name(snap: &Snapshot) -> String {
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

/// Code actions on the method under the cursor.
pub fn actions(snap: &Snapshot, offset: usize) -> Vec<CodeActionOrCommand> {
    let Some(index) = method_at(snap, offset) else { return Vec::new() };
    let module = snap.parse.module();
    let method = &module.methods[index];
    let mut out = Vec::new();
    if method.doc_comment.is_none() {
        let comment = developer::doc_comment(&snap.parse, index);
        // Above the method's first line (its annotations included), indented as it is.
        let start = convert::position(&snap.parse, method.range.start);
        let at = Position { line: start.line, character: 0 };
        let mut edits = std::collections::HashMap::new();
        let text = if comment.ends_with('\n') { comment } else { format!("{comment}\n") };
        edits.insert(
            snap.uri.clone(),
            vec![TextEdit { range: tower_lsp_server::ls_types::Range { start: at, end: at }, new_text: text }],
        );
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: format!("Добавить описание метода {}", method.name),
            kind: Some(CodeActionKind::REFACTOR_REWRITE),
            edit: Some(WorkspaceEdit { changes: Some(edits), ..WorkspaceEdit::default() }),
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
    out
}

/// Runs an assistant command on a method of the snapshot's module.
pub fn execute(snap: &Snapshot, command: &str, method_name: &str) -> Result<Value, String> {
    let module = snap.parse.module();
    let index = module
        .methods
        .iter()
        .position(|m| {
            m.name.eq_ignore_ascii_case(method_name) || bsl_syntax::keywords::eq_ignore_case(&m.name, method_name)
        })
        .ok_or_else(|| format!("there is no method `{method_name}` in {}", snap.uri.as_str()))?;
    match command {
        EXPLAIN => Ok(json!({ "markdown": developer::explain_method(&snap.parse, index) })),
        GENERATE_TESTS => {
            let name = module_name(snap);
            let text = tester::yaxunit_tests(&snap.parse, &name, &[index]);
            Ok(json!({ "text": text, "suggestedName": format!("ОМ_{name}.bsl") }))
        }
        other => Err(format!("unknown command `{other}`")),
    }
}

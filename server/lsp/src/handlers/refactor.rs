//! The developer's refactorings as code actions: extract method (`refactor.extract`) and
//! wrap in a transaction (`refactor.rewrite`) on a selection of whole statements, and a
//! method's skeleton from the description comment under the cursor (`refactor.rewrite`).
//! The logic is `bsl_assistant::roles::refactor`; this file only offers its edits.

use std::ops::Range;

use bsl_analysis::rules::Language;
use bsl_assistant::roles::refactor;
use tower_lsp_server::ls_types::{CodeAction, CodeActionKind, CodeActionOrCommand};

use super::code_actions::workspace_edit;
use crate::session::Snapshot;

fn action(snap: &Snapshot, title: String, kind: CodeActionKind, done: &refactor::Refactoring) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(kind),
        edit: Some(workspace_edit(snap, &done.edits)),
        ..CodeAction::default()
    })
}

/// The refactorings offered for the requested range; `wants` says which kinds the client
/// asked for.
pub fn actions(
    snap: &Snapshot,
    requested: Range<usize>,
    wants: &dyn Fn(&CodeActionKind) -> bool,
) -> Vec<CodeActionOrCommand> {
    let parse = &snap.parse;
    let ru = snap.config.language == Language::Ru;
    let mut out = Vec::new();
    // A selection, not a bare cursor: the editor asks on every cursor move.
    let selected = !parse.text().get(requested.clone()).unwrap_or("").trim().is_empty();
    if selected
        && wants(&CodeActionKind::REFACTOR_EXTRACT)
        && let Ok(done) = refactor::extract_method(parse, requested.clone())
    {
        let name = done.name.clone().unwrap_or_default();
        let title = if ru { format!("Извлечь метод {name}") } else { format!("Extract method {name}") };
        out.push(action(snap, title, CodeActionKind::REFACTOR_EXTRACT, &done));
    }
    if wants(&CodeActionKind::REFACTOR_REWRITE) {
        if selected && let Ok(done) = refactor::wrap_in_transaction(parse, requested.clone()) {
            let title = if ru { "Обернуть в транзакцию" } else { "Wrap in a transaction" };
            out.push(action(snap, title.into(), CodeActionKind::REFACTOR_REWRITE, &done));
        }
        if let Ok(done) = refactor::method_from_description(parse, requested.start) {
            let name = done.name.clone().unwrap_or_default();
            let title = if ru {
                format!("Создать метод {name} по описанию")
            } else {
                format!("Create method {name} from its description")
            };
            out.push(action(snap, title, CodeActionKind::REFACTOR_REWRITE, &done));
        }
    }
    out
}

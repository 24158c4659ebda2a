//! Code actions from diagnostics: the rule's quick fix, "fix all of this kind in the file",
//! `source.fixAll`, and "suppress here" (a trailing `// BSLLS:<Code>-off` comment).

use std::collections::HashMap;

use bsl_analysis::{Diagnostic, Edit};
use bsl_syntax::Parse;
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, TextEdit, WorkspaceEdit,
};

use super::diagnostics::to_lsp;
use crate::convert;
use crate::session::Snapshot;

pub(super) fn workspace_edit(snap: &Snapshot, edits: &[Edit]) -> WorkspaceEdit {
    let parse = &snap.parse;
    // Overlapping edits cannot be applied together; keep the first of each overlap.
    let edits = bsl_analysis::non_overlapping(edits)
        .iter()
        .map(|e| TextEdit { range: convert::range(parse, e.range.clone()), new_text: e.new_text.clone() })
        .collect();
    WorkspaceEdit { changes: Some(HashMap::from([(snap.uri.clone(), edits)])), ..WorkspaceEdit::default() }
}

/// The edit that silences `code` on the line of `offset`.
pub fn suppress_edit(parse: &Parse, code: &str, offset: usize) -> Edit {
    let index = parse.line_index();
    let line = index.line_of(offset);
    let range = index.line_range(line).unwrap_or(0..0);
    let content = parse.text()[range.clone()].trim_end_matches(['\n', '\r']);
    let end = range.start + content.trim_end().len();
    Edit { range: end..end, new_text: format!(" // BSLLS:{code}-off") }
}

pub fn code_actions(
    snap: &Snapshot,
    diagnostics: &[Diagnostic],
    params: &CodeActionParams,
) -> Vec<CodeActionOrCommand> {
    let parse = &snap.parse;
    let requested = convert::byte_range(parse, params.range);
    let only = params.context.only.as_deref();
    let wants =
        |kind: &CodeActionKind| only.is_none_or(|only| only.iter().any(|o| kind.as_str().starts_with(o.as_str())));
    let mut actions = Vec::new();
    if wants(&CodeActionKind::QUICKFIX) {
        let touching = diagnostics
            .iter()
            .filter(|d| d.range.start <= requested.end && requested.start <= d.range.end.max(d.range.start));
        for diagnostic in touching {
            let lsp_diagnostic = to_lsp(parse, &snap.uri, diagnostic);
            if let Some(fix) = &diagnostic.fix {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: fix.title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![lsp_diagnostic.clone()]),
                    edit: Some(workspace_edit(snap, &fix.edits)),
                    is_preferred: Some(true),
                    ..CodeAction::default()
                }));
                let same_kind: Vec<&Diagnostic> =
                    diagnostics.iter().filter(|d| d.code == diagnostic.code && d.fix.is_some()).collect();
                if same_kind.len() > 1 {
                    let edits: Vec<Edit> =
                        same_kind.iter().flat_map(|d| d.fix.as_ref().expect("filtered").edits.clone()).collect();
                    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: format!("{} ({}: {})", fix_all_title(snap), diagnostic.code, same_kind.len()),
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: Some(vec![lsp_diagnostic.clone()]),
                        edit: Some(workspace_edit(snap, &edits)),
                        ..CodeAction::default()
                    }));
                }
            }
            let title = match snap.config.language {
                bsl_analysis::rules::Language::Ru => format!("Отключить {} в этой строке", diagnostic.code),
                bsl_analysis::rules::Language::En => format!("Suppress {} on this line", diagnostic.code),
            };
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![lsp_diagnostic]),
                edit: Some(workspace_edit(snap, &[suppress_edit(parse, diagnostic.code, diagnostic.range.start)])),
                ..CodeAction::default()
            }));
        }
    }
    if wants(&CodeActionKind::REFACTOR_REWRITE) {
        actions.extend(super::assistants::actions(snap, requested.start));
    }
    actions.extend(super::refactor::actions(snap, requested.clone(), &wants));
    if wants(&CodeActionKind::SOURCE_FIX_ALL) {
        let edits: Vec<Edit> =
            diagnostics.iter().filter_map(|d| d.fix.as_ref()).flat_map(|f| f.edits.clone()).collect();
        if !edits.is_empty() {
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix_all_title(snap),
                kind: Some(CodeActionKind::SOURCE_FIX_ALL),
                edit: Some(workspace_edit(snap, &edits)),
                ..CodeAction::default()
            }));
        }
    }
    actions
}

fn fix_all_title(snap: &Snapshot) -> String {
    match snap.config.language {
        bsl_analysis::rules::Language::Ru => "Исправить все в файле".to_string(),
        bsl_analysis::rules::Language::En => "Fix all in file".to_string(),
    }
}

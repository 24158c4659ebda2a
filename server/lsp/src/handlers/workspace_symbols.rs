//! Workspace symbols: methods of every indexed module and metadata objects, matched fuzzily
//! (`знрекоб` finds `ЗначениеРеквизитаОбъекта`), best matches first.

use bsl_analysis::workspace::{MetadataKind, fuzzy_score};
use bsl_syntax::MethodKind;
use tower_lsp_server::ls_types::{Location, Position, Range, SymbolInformation, SymbolKind, Uri};

use crate::workspace::Workspace;

/// At most this many symbols per answer: a client filters further as the user types.
const LIMIT: usize = 200;

#[allow(deprecated)] // `SymbolInformation::deprecated` must be spelled out.
pub fn search(workspace: &Workspace, query: &str) -> Vec<SymbolInformation> {
    let index = workspace.index();
    let mut out = Vec::new();
    for (module, method) in index.search_methods(query, LIMIT) {
        let Some(uri) = Uri::from_file_path(&module.path) else { continue };
        let start = Position { line: method.line, character: method.column };
        let end = Position { line: method.line, character: method.column + method.name.encode_utf16().count() as u32 };
        out.push(SymbolInformation {
            name: method.name.clone(),
            kind: match method.kind {
                MethodKind::Function => SymbolKind::FUNCTION,
                MethodKind::Procedure => SymbolKind::METHOD,
            },
            tags: None,
            deprecated: None,
            location: Location { uri, range: Range { start, end } },
            container_name: Some(module.name.clone()),
        });
    }
    // Metadata objects whose module files are known: the object's first module.
    let query: Vec<char> = query.chars().flat_map(char::to_lowercase).collect();
    let mut objects: Vec<(u32, MetadataKind, &str)> = Vec::new();
    for (kind, _) in index.object_counts() {
        for name in index.objects_of_kind(kind) {
            if let Some(score) = fuzzy_score(&query, name) {
                objects.push((score, kind, name));
            }
        }
    }
    objects.sort_by_key(|(score, _, name)| (*score, name.len()));
    for (_, kind, name) in objects.into_iter().take(LIMIT / 4) {
        let Some(path) = index.object_modules(kind, name).first().cloned() else { continue };
        let Some(uri) = Uri::from_file_path(&path) else { continue };
        out.push(SymbolInformation {
            name: name.to_string(),
            kind: SymbolKind::CLASS,
            tags: None,
            deprecated: None,
            location: Location { uri, range: Range::default() },
            container_name: Some(kind.name_ru().to_string()),
        });
    }
    out
}

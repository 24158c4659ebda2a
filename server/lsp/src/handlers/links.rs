//! Document links for `См.`/`See` references in comments: `См. ИмяМетода` and
//! `См. Модуль.Метод` become links to the method when it is known.

use bsl_syntax::keywords::eq_ignore_case;
use tower_lsp_server::ls_types::{DocumentLink, Uri};

use crate::convert;
use crate::session::Snapshot;

/// A link to a line of a document (editors open `file:///path#L10`).
fn line_uri(uri: &Uri, line: u32) -> Option<Uri> {
    format!("{}#L{}", uri.as_str(), line + 1).parse().ok()
}

pub fn document_links(snap: &Snapshot) -> Vec<DocumentLink> {
    let parse = &snap.parse;
    let module = parse.module();
    let mut links = Vec::new();
    for node in bsl_syntax::walk::preorder(parse.root()) {
        if node.kind() == "comment" {
            let comment = parse.node_text(node);
            for marker in ["См.", "см.", "See ", "see "] {
                let mut from = 0;
                while let Some(found) = comment[from..].find(marker) {
                    let start = from + found + marker.len();
                    let rest = &comment[start..];
                    let skipped = rest.len() - rest.trim_start().len();
                    let reference: &str = rest
                        .trim_start()
                        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
                        .next()
                        .unwrap_or("")
                        .trim_end_matches('.');
                    from = start;
                    if reference.is_empty() {
                        continue;
                    }
                    // `Модуль.Метод` names another module; a bare name is a method here.
                    let method_name = reference.rsplit('.').next().unwrap_or(reference);
                    let local = !reference.contains('.');
                    let Some(method) = module.methods.iter().find(|m| local && eq_ignore_case(&m.name, method_name))
                    else {
                        continue;
                    };
                    let at = node.start_byte() + start + skipped;
                    let line = parse.line_index().line_of(method.name_range.start);
                    links.push(DocumentLink {
                        range: convert::range(parse, at..at + reference.len()),
                        target: line_uri(&snap.uri, line),
                        tooltip: Some(format!("{} ({})", method.name, line + 1)),
                        data: None,
                    });
                }
            }
        }
    }
    links
}

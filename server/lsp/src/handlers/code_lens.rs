//! Code lenses: cognitive and cyclomatic complexity above each method, computed by the same
//! metrics the complexity rules use, with the thresholds those rules flag at.

use bsl_analysis::rules::support::b_metrics::method_metrics;
use tower_lsp_server::ls_types::{CodeLens, Command};

use crate::convert;
use crate::session::Snapshot;

pub fn complexity(snap: &Snapshot) -> Vec<CodeLens> {
    let parse = &snap.parse;
    let module = parse.module();
    let root = parse.root();
    let mut out = Vec::new();
    for method in &module.methods {
        let mut node = root.descendant_for_byte_range(method.name_range.start, method.name_range.end);
        while let Some(n) = node.filter(|n| n.kind() != "method_declaration") {
            node = n.parent();
        }
        let Some(node) = node else { continue };
        let metrics = method_metrics(node, parse.text());
        let line = convert::position(parse, method.range.start);
        let range = tower_lsp_server::ls_types::Range { start: line, end: line };
        out.push(CodeLens {
            range,
            command: Some(Command {
                title: format!(
                    "когнитивная сложность {}, цикломатическая {}, вложенность {}",
                    metrics.cognitive, metrics.cyclomatic, metrics.max_nesting
                ),
                // An informational lens: clicking it does nothing.
                command: String::new(),
                arguments: None,
            }),
            data: None,
        });
    }
    out
}

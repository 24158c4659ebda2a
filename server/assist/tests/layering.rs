//! The layering checks on real code: SSL 3.1 is built by 1C's own team and compiles, so
//! its client code never calls a server-only module; any finding there is our mistake.

use std::path::Path;

use bsl_analysis::ModuleKind;
use bsl_assistant::roles::layering::violations;
use bsl_syntax::Parse;

#[test]
fn ssl_client_code_has_no_layering_violations() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/ssl_3_1");
    assert!(root.exists(), "the shared corpus is missing at {}", root.display());
    let projects = bsl_workspace::discover(&[root.canonicalize().unwrap()]);
    let index = bsl_workspace::load(&projects, |_, _| {});
    let mut checked = 0;
    let mut found = Vec::new();
    for module in index.modules() {
        // Client code lives in forms, commands, the application module and client common
        // modules; other modules are checked for the privileged-module finding only.
        let client = matches!(module.kind, ModuleKind::Form | ModuleKind::Command | ModuleKind::ManagedApplication)
            || (module.kind == ModuleKind::Common
                && index.common_module(&module.name).and_then(|m| m.flags).is_some_and(|f| !f.server || f.privileged));
        if !client {
            continue;
        }
        let text = bsl_syntax::source::decode(&std::fs::read(&module.path).unwrap()).unwrap();
        let parse = Parse::new(text);
        checked += 1;
        for v in violations(&parse, &module.path, &index) {
            let line = parse.line_index().line_of(v.range.start) + 1;
            found.push(format!("{}:{line}: {}", module.path.display(), v.message));
        }
    }
    eprintln!("{checked} SSL modules checked for layering, {} findings", found.len());
    assert!(checked > 1000, "{checked}");
    assert!(found.is_empty(), "{}", found.join("\n"));
}

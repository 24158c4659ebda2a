//! r2_client: whether a place in a module surely runs on the client: a `&НаКлиенте` method,
//! the managed application module, or a `#Если Клиент Тогда` branch.

use bsl_syntax::preproc::PreprocSymbol;
use bsl_syntax::{CompilationDirective, Module};

use crate::module_kind::ModuleKind;

/// The symbols defined where code runs, one set per place: thin, web, mobile and thick
/// managed clients, then the server and an external connection.
const CLIENTS: &[&[PreprocSymbol]] = &[
    &[PreprocSymbol::Client, PreprocSymbol::AtClient, PreprocSymbol::ThinClient],
    &[PreprocSymbol::Client, PreprocSymbol::AtClient, PreprocSymbol::WebClient],
    &[PreprocSymbol::Client, PreprocSymbol::AtClient, PreprocSymbol::MobileClient],
    &[PreprocSymbol::Client, PreprocSymbol::AtClient, PreprocSymbol::ThickClientManagedApplication],
];
const SERVERS: &[&[PreprocSymbol]] = &[
    &[PreprocSymbol::Server, PreprocSymbol::AtServer],
    &[PreprocSymbol::Server, PreprocSymbol::AtServer, PreprocSymbol::ExternalConnection],
];

/// Whether code at `offset` runs only on the client. Methods with two directives
/// (`&НаКлиентеНаСервереБезКонтекста`) and methods without one outside the application
/// modules are not counted: they run, or may run, on the server too.
pub fn runs_on_client(module: &Module, kind: ModuleKind, offset: usize) -> bool {
    match module.method_at(offset).and_then(|m| m.directive()) {
        Some(CompilationDirective::AtClient) => return true,
        Some(_) => return false,
        None => {}
    }
    if matches!(kind, ModuleKind::ManagedApplication | ModuleKind::OrdinaryApplication) {
        return true;
    }
    in_client_branch(module, offset)
}

/// Whether a preprocessor branch around `offset` holds on some client and on no server.
fn in_client_branch(module: &Module, offset: usize) -> bool {
    module.preproc_blocks.iter().filter(|b| b.range.contains(&offset)).any(|block| {
        let Some(index) = block.branches.iter().position(|b| b.body_range.contains(&offset)) else {
            return false;
        };
        let holds = |symbols: &[PreprocSymbol]| -> Option<bool> {
            let defined = |s: PreprocSymbol| symbols.contains(&s);
            for earlier in &block.branches[..index] {
                if earlier.condition.as_ref()?.eval(&defined) {
                    return Some(false);
                }
            }
            let branch = &block.branches[index];
            let is_else = index > 0 && index == block.branches.len() - 1 && branch.condition.is_none();
            match &branch.condition {
                Some(condition) => Some(condition.eval(&defined)),
                None if is_else => Some(true),
                None => None,
            }
        };
        let on_client = CLIENTS.iter().any(|c| holds(c) == Some(true));
        let on_server = SERVERS.iter().any(|s| holds(s) != Some(false));
        on_client && !on_server
    })
}

//! Request handlers, grouped by area. Each takes a snapshot and LSP parameters and returns
//! LSP results; none of them touches the session's state.

pub mod assistants;
pub mod call_hierarchy;
pub mod calls;
pub mod code_actions;
pub mod code_lens;
pub mod completion;
pub mod diagnostics;
pub mod folding;
pub mod formatting;
pub mod hover;
pub mod links;
pub mod navigation;
pub mod platform;
pub mod refactor;
pub mod risk;
pub mod search;
pub mod selection;
pub mod semantic_tokens;
pub mod symbols;
pub mod workspace_symbols;

//! Request handlers, grouped by area. Each takes a snapshot and LSP parameters and returns
//! LSP results; none of them touches the session's state.

pub mod code_actions;
pub mod diagnostics;
pub mod folding;
pub mod selection;
pub mod semantic_tokens;
pub mod symbols;

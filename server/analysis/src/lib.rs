//! The analysis layer: module kinds, diagnostics and the rules engine over parsed modules.
//!
//! Plain data in, plain data out: no I/O, no LSP types. Positions are byte offsets into the
//! module's text; the layers above convert them.

pub mod diagnostic;
pub mod format;
pub mod hashing;
pub mod module;
pub mod module_kind;
pub mod resolve;
pub mod rules;
pub mod workspace;

pub use diagnostic::{Diagnostic, Edit, Fix, RuleType, Severity, apply_edits, non_overlapping};
pub use module_kind::ModuleKind;
pub use rules::{Config, RuleSet, catalog};

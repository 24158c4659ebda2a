//! Tree-sitter grammar for 1C:Enterprise's built-in language (BSL) and OneScript.
//!
//! [`LANGUAGE`] is handed to a `tree_sitter::Parser`; the query sources below serve
//! editors (highlighting, folding, locals, tags and injections).
//!
//! ```
//! let mut parser = tree_sitter::Parser::new();
//! parser.set_language(&tree_sitter_bsl::LANGUAGE.into()).unwrap();
//! let tree = parser.parse("Сообщить(\"Привет\");", None).unwrap();
//! assert!(!tree.root_node().has_error());
//! ```

use tree_sitter_language::LanguageFn;

unsafe extern "C" {
    fn tree_sitter_bsl() -> *const ();
}

/// The tree-sitter [`LanguageFn`] for this grammar.
#[allow(unsafe_code)]
pub const LANGUAGE: LanguageFn = unsafe { LanguageFn::from_raw(tree_sitter_bsl) };

/// The content of the [`node-types.json`] file for this grammar.
pub const NODE_TYPES: &str = include_str!("../../src/node-types.json");

/// Syntax highlighting captures.
pub const HIGHLIGHTS_QUERY: &str = include_str!("../../queries/highlights.scm");

/// Folding ranges.
pub const FOLDS_QUERY: &str = include_str!("../../queries/folds.scm");

/// Scopes, definitions and references of local names.
pub const LOCALS_QUERY: &str = include_str!("../../queries/locals.scm");

/// Definitions and references for code navigation.
pub const TAGS_QUERY: &str = include_str!("../../queries/tags.scm");

/// Languages embedded in strings (the 1C query language).
pub const INJECTIONS_QUERY: &str = include_str!("../../queries/injections.scm");

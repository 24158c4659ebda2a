//! The syntax layer: parses BSL and OneScript text into a tree that always exists.
//!
//! Parsing never fails: [`Parse::new`] returns a tree for any text, and syntax errors are
//! data ([`Parse::errors`]). [`Parse::edit`] re-parses incrementally. [`LineIndex`] converts
//! byte offsets to line/column positions in UTF-8 or UTF-16 units. [`Module`] holds typed
//! views (methods, parameters, annotations, module variables, regions, preprocessor blocks,
//! doc comments) for the layers above. This crate does no I/O and knows nothing of LSP.

mod comments;
mod errors;
mod fingerprint;
pub mod keywords;
mod line_index;
mod module;
pub mod node_ext;
mod parse;
pub mod preproc;
pub mod source;
pub mod walk;

pub use comments::comment_lines;
pub use errors::{SyntaxError, SyntaxErrorKind};
pub use fingerprint::text_hash;
pub use line_index::{Encoding, LineCol, LineIndex, floor_char_boundary, utf16_len};
pub use module::{
    Annotation, AnnotationArgument, AnnotationKind, CompilationDirective, DocComment, ExtensionAnnotation,
    ExtensionBlock, ExtensionBlockKind, Method, MethodKind, Module, ModuleVariable, Parameter, PreprocBlock,
    PreprocBranch, Region, UseDirective,
};
pub use node_ext::NodeExt;
pub use parse::{Parse, TextEdit, language};
pub use tree_sitter;

//! What the edit-latency examples share: the module named on the command line and the
//! keystroke they repeat in its middle (a letter replaced by `Ж`, then put back), the same
//! spot `cargo bench -p bsl-lsp` edits.

use bsl_analysis::ModuleKind;
use bsl_syntax::TextEdit;

/// A module read from the path given as the first argument, with the number of edits given
/// as the second (40 when absent).
pub struct Module {
    pub path: String,
    pub text: String,
    pub kind: ModuleKind,
    pub edits: usize,
}

impl Module {
    /// Reads the arguments (flags, which start with `--`, are the example's own); prints
    /// the usage of `example` and exits when there are none.
    pub fn from_args(example: &str) -> Module {
        let mut args = std::env::args().skip(1).filter(|a| !a.starts_with("--"));
        let Some(path) = args.next() else {
            eprintln!("usage: {example} <module.bsl> [edits]");
            std::process::exit(2);
        };
        let edits = args.next().and_then(|n| n.parse().ok()).unwrap_or(40);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let text = bsl_syntax::source::decode(&bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
        let kind = ModuleKind::from_path(std::path::Path::new(&path));
        Module { path, text, kind, edits }
    }

    /// The `i`-th keystroke: even ones replace the first letter after the middle of the
    /// original text by `Ж`, odd ones put it back.
    pub fn keystroke(&self, i: usize) -> TextEdit {
        let text = &self.text;
        let middle = text.len() / 2;
        let at = text[middle..].find(|c: char| c.is_alphabetic()).map_or(middle, |i| middle + i);
        let width = text[at..].chars().next().map_or(0, char::len_utf8);
        if i.is_multiple_of(2) {
            TextEdit::new(at..at + width, "Ж")
        } else {
            TextEdit::new(at..at + "Ж".len(), &text[at..at + width])
        }
    }
}

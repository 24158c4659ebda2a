//! The `bsl-assist` command line: the language server and the batch tools.
fn main() {}

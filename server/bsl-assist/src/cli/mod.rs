//! One module per subcommand.

pub mod check;
pub mod merge;
pub mod parse;
pub mod scan;

//! One module per subcommand.

pub mod assist;
pub mod bench;
pub mod check;
pub mod doctor;
pub mod index;
pub mod mcp;
pub mod merge;
pub mod parse;
pub mod report;
pub mod risk;
pub mod scan;
pub mod search;

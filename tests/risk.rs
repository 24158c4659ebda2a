//! End-to-end tests of `bsl-assist risk`.

//! The syntax layer: parses BSL and OneScript text into a tree that never fails to exist.

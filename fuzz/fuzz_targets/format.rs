//! libFuzzer target: the formatter never panics, its edits lie on character boundaries, and
//! on a valid module it is idempotent and keeps the module valid. (Around syntax errors it
//! is known not to be idempotent: tests/fixtures/fuzz-regressions/README.md.)

#![no_main]

use bsl_analysis::apply_edits;
use bsl_analysis::format::{FormatOptions, format};
use bsl_syntax::Parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let options = FormatOptions::default();
    let parse = Parse::new(text);
    let edits = format(&parse, &options);
    for edit in &edits {
        assert!(edit.range.end <= text.len() && text.is_char_boundary(edit.range.start) && text.is_char_boundary(edit.range.end));
    }
    let once = apply_edits(text, &edits);
    let reparsed = Parse::new(once.as_str());
    if parse.is_valid() {
        assert!(reparsed.is_valid(), "formatting introduced a syntax error");
        let twice = apply_edits(&once, &format(&reparsed, &options));
        assert_eq!(twice, once, "not idempotent");
    }
});

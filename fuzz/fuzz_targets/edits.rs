//! libFuzzer target: a module and a sequence of edits, all taken from the input. After each
//! `Parse::edit` the text must be the edited text and the line index a fresh one's; where
//! a fresh parse of it is valid, the tree and the typed view must be the fresh parse's (see
//! `server/syntax/tests/proptest_syntax.rs` for what is not comparable: error recovery
//! inside `ERROR` nodes and masking).

#![no_main]

use bsl_syntax::{Parse, TextEdit, floor_char_boundary};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    let start: &str = u.arbitrary()?;
    let mut parse = Parse::new(start);
    let edits = u.int_in_range(1..=16u8)?;
    for _ in 0..edits {
        let len = parse.text().len();
        let at = u.int_in_range(0..=len)?;
        let remove = u.int_in_range(0..=(len - at).min(64))?;
        let new_text: &str = u.arbitrary()?;
        let edit = TextEdit::new(at..at + remove, new_text);
        let mut expected = parse.text().to_string();
        let s = floor_char_boundary(&expected, at);
        let e = floor_char_boundary(&expected, (at + remove).max(s));
        expected.replace_range(s..e, new_text);
        let look: bool = u.arbitrary()?;
        parse.edit(&edit);
        assert_eq!(parse.text(), expected);
        let fresh = Parse::new(expected.as_str());
        assert_eq!(parse.line_index(), fresh.line_index(), "line starts after {edit:?}");
        if parse.masked().is_empty() == fresh.masked().is_empty() {
            if fresh.is_valid() {
                assert_eq!(parse.root().to_sexp(), fresh.root().to_sexp(), "after {edit:?}");
                // The typed view, rebuilt from the last one read, reusing untouched methods.
                if look {
                    assert_eq!(parse.module(), fresh.module(), "typed view after {edit:?}");
                    // Part fingerprints, rehashed only where the edits since the last
                    // reading touched.
                    assert_eq!(parse.part_hashes(), fresh.part_hashes(), "part fingerprints after {edit:?}");
                }
            } else {
                assert!(!parse.is_valid(), "only the fresh parse has errors after {edit:?}");
            }
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});

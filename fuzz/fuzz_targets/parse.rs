//! libFuzzer target: any bytes, decoded as a module (or lossily), parse without a panic;
//! errors, the typed views and the line index work and positions round-trip.

#![no_main]

use bsl_syntax::{Encoding, Parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = match bsl_syntax::source::decode(data) {
        Ok(text) => text,
        Err(_) => String::from_utf8_lossy(data).into_owned(),
    };
    let parse = Parse::new(text);
    let text = parse.text();
    for error in parse.errors() {
        assert!(error.range.end <= text.len());
    }
    let _ = parse.module();
    let index = parse.line_index();
    for (offset, _) in text.char_indices().step_by(7) {
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            let back = index.offset(text, index.position(text, offset, encoding), encoding);
            let crlf = offset > 0 && text.as_bytes()[offset - 1] == b'\r' && text[offset..].starts_with('\n');
            assert_eq!(back, if crlf { offset - 1 } else { offset });
        }
    }
});

//! Fails when the committed parser in `src/` was not regenerated after `grammar.js` changed.

use sha2::{Digest, Sha256};

#[test]
fn generated_parser_matches_grammar() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let grammar = std::fs::read(root.join("grammar.js")).unwrap();
    let recorded = std::fs::read_to_string(root.join("src/grammar.js.sha256")).unwrap();
    let actual = format!("{:x}", Sha256::digest(&grammar));
    assert_eq!(recorded.trim(), actual, "src/ is stale: run grammar-bsl/generate.sh after editing grammar.js");
    // The generated grammar.json must be the one tree-sitter produced from this grammar:
    // spot-check that every rule name in grammar.js appears in it.
    let json = std::fs::read_to_string(root.join("src/grammar.json")).unwrap();
    let grammar = String::from_utf8(grammar).unwrap();
    for line in grammar.lines() {
        let Some((name, rest)) = line.trim_start().split_once(": (") else { continue };
        let is_rule = (rest.starts_with('$') || rest.starts_with('_'))
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if is_rule {
            assert!(
                json.contains(&format!("\"{name}\"")),
                "rule `{name}` is missing from src/grammar.json: regenerate"
            );
        }
    }
}

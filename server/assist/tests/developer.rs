//! Fixture tests for the developer role: every method of each module in
//! `tests/fixtures/developer/*.bsl` gets its doc comment and explanation, compared with
//! `<name>.doc.txt` and `<name>.explain.txt` (`BLESS=1` rewrites them).

use std::path::Path;

use bsl_assistant::roles::developer::{doc_comment, explain_method};
use bsl_syntax::Parse;

fn check(expected_path: &Path, actual: &str) {
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(expected_path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(expected_path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with BLESS=1 to create it)", expected_path.display()));
    assert_eq!(expected, actual, "{} differs", expected_path.display());
}

#[test]
fn fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/developer");
    let mut count = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries.iter().filter(|p| p.extension().is_some_and(|e| e == "bsl")) {
        let text = std::fs::read_to_string(path).unwrap();
        let parse = Parse::new(text);
        assert!(parse.is_valid(), "{} does not parse", path.display());
        let module = parse.module();
        let mut docs = String::new();
        let mut explains = String::new();
        for (i, m) in module.methods.iter().enumerate() {
            docs.push_str(&format!("=== {}\n{}", m.name, doc_comment(&parse, i)));
            explains.push_str(&format!("=== {}\n{}", m.name, explain_method(&parse, i)));
            // The comment put above the method keeps the module valid.
            let start = m.range.start;
            let with_doc = format!("{}{}{}", &parse.text()[..start], doc_comment(&parse, i), &parse.text()[start..]);
            assert!(Parse::new(with_doc).is_valid());
            count += 1;
        }
        check(&path.with_extension("doc.txt"), &docs);
        check(&path.with_extension("explain.txt"), &explains);
    }
    assert!(count >= 8, "only {count} methods in the fixtures");
}

#[test]
fn out_of_range_is_empty() {
    let parse = Parse::new("Процедура А()\nКонецПроцедуры\n");
    assert_eq!(doc_comment(&parse, 5), "");
    assert_eq!(explain_method(&parse, 5), "");
}

/// Every method of a sample of SSL common modules (every 20th): the doc comment put above
/// the method keeps it valid and names every parameter; the explanation names the
/// signature; a comment's sections follow the module's keyword language.
#[test]
fn ssl_sample() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/ssl_3_1/src/cf/CommonModules");
    let Ok(entries) = std::fs::read_dir(&root) else {
        eprintln!("skipped: {} is missing", root.display());
        return;
    };
    let mut dirs: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
    dirs.sort();
    let mut methods = 0;
    for dir in dirs.iter().step_by(20) {
        let Ok(bytes) = std::fs::read(dir.join("Ext/Module.bsl")) else { continue };
        let parse = Parse::new(bsl_syntax::source::decode(&bytes).unwrap());
        let module = parse.module();
        for (i, m) in module.methods.iter().enumerate() {
            let doc = doc_comment(&parse, i);
            assert!(doc.lines().all(|l| l.starts_with("//")), "{}: {doc}", m.name);
            for p in &m.parameters {
                assert!(doc.contains(&format!("//  {} - ", p.name)), "{}: {} missing\n{doc}", m.name, p.name);
            }
            let method_text = &parse.text()[m.range.clone()];
            if Parse::new(method_text).is_valid() {
                assert!(
                    Parse::new(format!("{doc}{method_text}")).is_valid(),
                    "{}: the comment breaks the method",
                    m.name
                );
            }
            let explanation = explain_method(&parse, i);
            assert!(explanation.contains(&m.name), "{explanation}");
            methods += 1;
        }
    }
    assert!(methods > 200, "{methods}");
}

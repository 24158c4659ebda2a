//! Builds the rule registry: every file in `src/rules/catalog/` holds one rule, a unit struct
//! whose doc comment is the rule's documentation. The generated file declares the modules,
//! lists the rules and keeps each doc comment as a string, so adding a rule is adding a file.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(&std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
        .join("src/rules/catalog");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("src/rules/catalog exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    let mut modules = String::new();
    let mut list = String::new();
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let source = std::fs::read_to_string(file).expect("readable rule file");
        let module = file.file_stem().unwrap().to_str().unwrap().to_string();
        let (name, doc) = rule_struct(&source)
            .unwrap_or_else(|| panic!("{}: no `pub struct Name;` with a doc comment", file.display()));
        writeln!(modules, "#[path = {:?}]\nmod {module};", file.display().to_string()).unwrap();
        writeln!(list, "    RegisteredRule {{ rule: &{module}::{name}, doc: {doc:?} }},").unwrap();
    }
    // Helpers shared by several rules live in `src/rules/support/`, one module per file.
    let support_dir = Path::new(&std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
        .join("src/rules/support");
    println!("cargo:rerun-if-changed={}", support_dir.display());
    let mut support: Vec<_> = std::fs::read_dir(&support_dir)
        .map(|entries| {
            entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "rs")).collect()
        })
        .unwrap_or_default();
    support.sort();
    let mut support_modules = String::new();
    for file in &support {
        println!("cargo:rerun-if-changed={}", file.display());
        let module = file.file_stem().unwrap().to_str().unwrap();
        writeln!(support_modules, "    #[path = {:?}]\n    pub mod {module};", file.display().to_string()).unwrap();
    }
    let generated = format!(
        "/// Helpers shared by several rules.\npub mod support {{\n{support_modules}}}\n\n{modules}\n/// Every rule of the catalog, in file-name order.\npub(crate) static CATALOG: &[RegisteredRule] = &[\n{list}];\n"
    );
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("catalog.rs");
    std::fs::write(out, generated).unwrap();
}

/// The name of the rule's unit struct and its doc comment, without the `///` markers.
fn rule_struct(source: &str) -> Option<(String, String)> {
    let lines: Vec<&str> = source.lines().collect();
    let index = lines.iter().position(|l| l.starts_with("pub struct ") && l.trim_end().ends_with(';'))?;
    let name = lines[index].trim_start_matches("pub struct ").trim_end_matches(';').trim().to_string();
    let mut doc = Vec::new();
    for line in lines[..index].iter().rev() {
        let line = line.trim_start();
        if line.starts_with("#[") {
            continue;
        }
        let Some(text) = line.strip_prefix("///") else { break };
        doc.push(text.strip_prefix(' ').unwrap_or(text));
    }
    if doc.is_empty() {
        return None;
    }
    doc.reverse();
    Some((name, doc.join("\n")))
}

//! Embeds the knowledge base: lists every file under the workspace's `knowledge/` folder and
//! writes `embedded.rs`, a static table of (relative path, `include_str!`) pairs.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let root = Path::new(&std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
        .join("../../knowledge");
    let root = root.canonicalize().expect("the knowledge/ folder exists next to server/");
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut out = String::from("/// Every knowledge file, as (path relative to `knowledge/`, text).\n");
    out.push_str("pub(crate) static FILES: &[(&str, &str)] = &[\n");
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let relative = file.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        writeln!(out, "    ({relative:?}, include_str!({:?})),", file.display().to_string()).unwrap();
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("embedded.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}

/// Knowledge files (`.toml`, `.md`) under `dir`, recursively; directories are watched so that
/// an added file triggers a rebuild.
fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    println!("cargo:rerun-if-changed={}", dir.display());
    for entry in std::fs::read_dir(dir).expect("readable knowledge folder") {
        let path = entry.expect("readable entry").path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "toml" || e == "md")
            && !path.file_name().is_some_and(|n| n.eq_ignore_ascii_case("README.md"))
        {
            files.push(path);
        }
    }
}

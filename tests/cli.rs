//! End-to-end tests of the `bsl-assist` command line, run the way a user or CI runs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bsl_assist(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bsl-assist")).args(args).output().expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The shared corpus beside the checkout; CI always has it.
fn corpus() -> PathBuf {
    let dir = std::env::var_os("BSL_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"));
    assert!(dir.is_dir(), "the shared corpus is missing at {}: set BSL_CORPUS", dir.display());
    dir
}

#[test]
fn the_whole_corpus_parses_without_syntax_errors() {
    let corpus = corpus();
    let output = bsl_assist(&["parse", "--stats", corpus.to_str().unwrap()]);
    let out = stdout(&output);
    assert!(output.status.success(), "{out}\n{}", stderr(&output));
    assert!(out.contains("files with errors: 0"), "{out}");
    let files: usize =
        out.lines().find_map(|l| l.strip_prefix("files:")).and_then(|n| n.trim().parse().ok()).expect("a files line");
    assert!(files > 3000, "{out}");
    assert!(out.contains("throughput:"), "{out}");
}

/// A folder with one module of each kind of trouble.
fn troubled_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.path().join(name), bytes).unwrap();
    write("ok.os", "#Использовать logos\nСообщить(\"Привет\"); //без пробела\n".as_bytes());
    write("broken.bsl", "Процедура А()\n\tЕсли Б Тогда\nКонецПроцедуры\n".as_bytes());
    write("picture.bsl", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    write("cp1251.bsl", b"\xc0 = 1;\n");
    write("notes.txt", b"not a module");
    dir
}

#[test]
fn bad_files_are_reported_with_positions_and_skipped() {
    let dir = troubled_folder();
    let output = bsl_assist(&["parse", "--stats", dir.path().to_str().unwrap()]);
    let (out, err) = (stdout(&output), stderr(&output));
    assert_eq!(output.status.code(), Some(1), "{out}\n{err}");
    let broken = dir.path().join("broken.bsl");
    let expected = format!("{}:2:14: missing `КонецЕсли` (`EndIf`)", broken.display());
    assert!(out.lines().any(|l| l.starts_with(&expected)), "{out}");
    assert!(err.contains("picture.bsl: binary file"), "{err}");
    assert!(err.contains("cp1251.bsl: not valid UTF-8 at line 1, column 1"), "{err}");
    assert!(out.contains("files:             4"), "notes.txt is not a module: {out}");
    assert!(out.contains("files with errors: 1"), "{out}");
    assert!(out.contains("files skipped:     2"), "{out}");

    let allowed = bsl_assist(&["parse", "--allow-errors", dir.path().to_str().unwrap()]);
    assert_eq!(allowed.status.code(), Some(0), "{}", stderr(&allowed));
}

#[test]
fn check_reports_a_json_array() {
    let dir = troubled_folder();
    let output = bsl_assist(&[
        "check",
        "--format",
        "json",
        "--select",
        "SpaceAtStartComment,ParseError",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let problems: Vec<serde_json::Value> = serde_json::from_str(&stdout(&output)).expect("a JSON array");
    let codes: Vec<&str> = problems.iter().map(|p| p["code"].as_str().unwrap()).collect();
    assert_eq!(codes.iter().filter(|c| **c == "SpaceAtStartComment").count(), 1, "{problems:?}");
    let syntax = problems.iter().find(|p| p["code"] == "ParseError").expect("the syntax error is reported");
    assert_eq!((syntax["line"].as_u64(), syntax["column"].as_u64()), (Some(2), Some(14)));
    assert_eq!(codes.iter().filter(|c| **c == "FileUnreadable").count(), 2, "{problems:?}");
    let comment = problems.iter().find(|p| p["code"] == "SpaceAtStartComment").unwrap();
    assert_eq!((comment["line"].as_u64(), comment["column"].as_u64()), (Some(2), Some(21)));
    assert_eq!((comment["endLine"].as_u64(), comment["endColumn"].as_u64()), (Some(2), Some(34)));
}

#[test]
fn a_missing_path_is_a_clear_error() {
    let output = bsl_assist(&["parse", "/nonexistent/folder"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("/nonexistent/folder: cannot read"), "{}", stderr(&output));
}

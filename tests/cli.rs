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

#[test]
fn gen_tests_prints_then_writes_into_an_edt_tests_project_without_overwriting() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("configuration");
    let module_dir = project.join("src/CommonModules/Мат");
    std::fs::create_dir_all(&module_dir).unwrap();
    std::fs::create_dir_all(project.join("src/Configuration")).unwrap();
    std::fs::write(project.join("src/Configuration/Configuration.mdo"), "<mdclass:Configuration/>\n").unwrap();
    let module = module_dir.join("Module.bsl");
    std::fs::write(&module, "Функция Сумма(А, Б) Экспорт\n\tВозврат А + Б;\nКонецФункции\n").unwrap();
    let module = module.to_str().unwrap();

    let printed = bsl_assist(&["gen-tests", module]);
    assert!(printed.status.success(), "{}", stderr(&printed));
    assert!(stdout(&printed).contains(".ДобавитьТест(\"Тест_Сумма\")"), "{}", stdout(&printed));
    assert!(!tmp.path().join("tests").exists(), "nothing is written without --write");

    let written = bsl_assist(&["gen-tests", module, "--write"]);
    assert!(written.status.success(), "{}", stderr(&written));
    let tests_module = tmp.path().join("tests/src/CommonModules/ОМ_Мат/Module.bsl");
    assert!(stdout(&written).contains("ОМ_Мат/Module.bsl") && tests_module.exists(), "{}", stdout(&written));
    assert!(tmp.path().join("tests/src/CommonModules/ОМ_Мат/ОМ_Мат.mdo").exists());
    let edited = std::fs::read_to_string(&tests_module).unwrap() + "// моя правка\n";
    std::fs::write(&tests_module, &edited).unwrap();
    let again = bsl_assist(&["gen-tests", module, "--write"]);
    assert!(stdout(&again).contains("every test is already there"), "{}", stdout(&again));
    assert_eq!(std::fs::read_to_string(&tests_module).unwrap(), edited, "an existing module is never overwritten");
}

#[test]
fn report_serves_the_analyst_architect_and_project_manager() {
    let yaxunit = corpus().join("yaxunit");
    let output = bsl_assist(&["report", yaxunit.to_str().unwrap(), "--format", "json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(report["modules"].as_u64().unwrap() > 300, "{report}");
    assert!(report["metadata_objects"]["ОбщийМодуль"].as_u64().unwrap() > 100, "{report}");
    assert!(report["core_modules"].as_array().unwrap().len() == 10, "{report}");
    assert!(report["findings"]["total"].as_u64().unwrap() > 100, "{report}");
    assert!(report["tested_common_modules"].as_u64().unwrap() > 10, "YAxUnit tests its own modules: {report}");
    assert!(report["mermaid"].as_str().unwrap().starts_with("flowchart LR"));
    // Markdown to a file; an existing file is kept unless --force.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("report.md");
    std::fs::write(&out, "keep").unwrap();
    let refused = bsl_assist(&["report", yaxunit.to_str().unwrap(), "--no-check", "-o", out.to_str().unwrap()]);
    assert!(!refused.status.success() && stderr(&refused).contains("--force"), "{}", stderr(&refused));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep");
    let forced =
        bsl_assist(&["report", yaxunit.to_str().unwrap(), "--no-check", "-o", out.to_str().unwrap(), "--force"]);
    assert!(forced.status.success(), "{}", stderr(&forced));
    let markdown = std::fs::read_to_string(&out).unwrap();
    assert!(markdown.contains("## Архитектору: зависимости") && markdown.contains("```mermaid"), "{markdown}");
}

/// `bench` drives a real server through a typing session and reports what it measured,
/// including what the timed answers carried.
#[test]
fn bench_measures_a_typing_session() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("bench.json");
    let gitsync = corpus().join("gitsync");
    let output = bsl_assist(&["bench", gitsync.to_str().unwrap(), "--samples", "4", "--json", json.to_str().unwrap()]);
    assert!(output.status.success(), "{}\n{}", stdout(&output), stderr(&output));
    let figures: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    for key in ["parse_mb_per_s", "check_wall_s", "index_s", "first_diagnostics_ms", "edit_p50_ms", "hover_p50_ms"] {
        assert!(figures[key].as_f64().is_some_and(|v| v > 0.0), "{key}: {figures}");
    }
    // Each keystroke puts a character before the middle line of the largest module and
    // takes it out again: a syntax error comes and goes, so every answer is a whole list,
    // decoded item by item.
    assert_eq!(figures["edit_full_reports"], 4, "{figures}");
    assert!(figures["edit_diagnostics"].as_u64().is_some_and(|n| n > 0), "{figures}");
    // The server's own share of each message, from its request metrics.
    for key in ["server_did_change_p50_ms", "server_diagnostic_p50_ms", "server_tokens_delta_p50_ms"] {
        assert!(figures[key].as_f64().is_some_and(|v| v > 0.0), "{key}: {figures}");
    }
    assert!(stdout(&output).contains("edit -> diagnostics + tokens p99"), "{}", stdout(&output));
    assert!(stdout(&output).contains("edit, in the server: diagnostic p50"), "{}", stdout(&output));
}

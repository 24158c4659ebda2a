//! `bsl-assist search` and `bsl-assist doctor` end to end: knowledge-only searches, a
//! workspace indexed into a cache directory outside it, reused and updated on the next run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The embedding settings of the environment are removed: these runs are BM25 unless a test
/// gives the model on the command line.
fn bsl_assist(args: &[&str], cache_home: &Path) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_bsl-assist"));
    for name in [
        "BSL_ASSIST_ORT_DYLIB",
        "BSL_ASSIST_EMBED_MODEL",
        "BSL_ASSIST_EMBED_TOKENIZER",
        "BSL_ASSIST_EMBED_URL",
        "BSL_ASSIST_EMBED_URL_MODEL",
        "BSL_ASSIST_EMBED_CODE",
    ] {
        command.env_remove(name);
    }
    command.args(args).env("XDG_CACHE_HOME", cache_home).output().expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json_ids(output: &Output) -> Vec<String> {
    assert!(output.status.success(), "{}{}", stdout(output), stderr(output));
    let hits: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    hits.as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn knowledge_questions_find_their_entries() {
    let cache = tempfile::tempdir().unwrap();
    let cases = [
        ("как найти подстроку в строке", "method:СтрНайти"),
        ("how to start a transaction", "method:НачатьТранзакцию"),
        ("StrFind", "method:СтрНайти"),
        ("проверить что метод выбрасывает исключение", "yaxunit:ЮТУтверждения.ВыбрасываетИсключение"),
    ];
    for (question, id) in cases {
        let ids = json_ids(&bsl_assist(&["search", question, "--json", "--limit", "5"], cache.path()));
        assert!(ids.iter().any(|i| i == id), "{question:?}: {ids:?}");
    }
    // The text form: rank, score, source, title, snippet.
    let output = bsl_assist(&["search", "ЗаписьЖурналаРегистрации", "--limit", "3"], cache.path());
    let text = stdout(&output);
    assert!(text.starts_with(" 1. "), "{text}");
    assert!(text.contains("platform method  ЗаписьЖурналаРегистрации / WriteLogEvent"), "{text}");
    // Nothing to find: exit code 1.
    let output = bsl_assist(&["search", "   ", "--json"], cache.path());
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn a_workspace_is_indexed_in_the_cache_and_updated() {
    let cache = tempfile::tempdir().unwrap();
    let workspace = tempfile::tempdir().unwrap();
    let module = workspace.path().join("src/CommonModules/Склад/Ext/Module.bsl");
    std::fs::create_dir_all(module.parent().unwrap()).unwrap();
    std::fs::write(
        &module,
        "// Остаток товара на складе.\nФункция ОстатокТовара(Товар) Экспорт\n\tВозврат 0;\nКонецФункции\n",
    )
    .unwrap();
    let dir = workspace.path().to_str().unwrap();
    let search = |q: &str| bsl_assist(&["search", q, "--workspace", dir, "--scope", "code", "--json"], cache.path());
    let output = search("остаток товара");
    let hits: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(hits[0]["title"], "Склад.ОстатокТовара");
    assert_eq!(hits[0]["path"], "src/CommonModules/Склад/Ext/Module.bsl");
    assert_eq!(hits[0]["lines"], serde_json::json!([0, 3]));
    assert_eq!(hits[0]["module_kind"], "common");
    // The index lives under XDG_CACHE_HOME, not in the workspace.
    let index_root = cache.path().join("bsl-assist/index");
    assert_eq!(std::fs::read_dir(&index_root).unwrap().count(), 1);
    let in_workspace: Vec<_> = walkdir::WalkDir::new(workspace.path())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    assert_eq!(in_workspace, std::slice::from_ref(&module));
    // The next run reuses it and sees the edit.
    std::fs::write(&module, "Функция ЗарезервироватьТовар(Товар) Экспорт\nКонецФункции\n").unwrap();
    let output = bsl_assist(&["search", "зарезервировать товар", "--workspace", dir, "--scope", "code"], cache.path());
    assert!(stderr(&output).contains("Reused"), "{}", stderr(&output));
    assert!(stderr(&output).contains("1 files indexed"), "{}", stderr(&output));
    assert!(stdout(&output).contains("Склад.ЗарезервироватьТовар"), "{}", stdout(&output));
    let output = search("остаток");
    assert_eq!(output.status.code(), Some(1), "nothing found: {}", stdout(&output));
    assert_eq!(stdout(&output).trim(), "[]");
    // A cache directory inside the workspace is refused.
    let inside = workspace.path().join(".cache");
    let output =
        bsl_assist(&["search", "товар", "--workspace", dir, "--cache-dir", inside.to_str().unwrap()], cache.path());
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("inside the workspace"), "{}", stderr(&output));

    // doctor: the index, its counts and the retrieval in use.
    let output = bsl_assist(&["doctor", "--workspace", dir], cache.path());
    let text = stdout(&output);
    assert!(output.status.success(), "{text}{}", stderr(&output));
    assert!(text.contains("bm25       on"), "{text}");
    assert!(text.contains("hybrid     off  no embedding model configured"), "{text}");
    assert!(text.contains(&index_root.display().to_string()), "{text}");
    assert!(text.contains("usable: 1 files, 1 code documents"), "{text}");
    let empty = tempfile::tempdir().unwrap();
    let text = stdout(&bsl_assist(&["doctor", "--workspace", empty.path().to_str().unwrap()], cache.path()));
    assert!(text.contains("not usable: no index"), "{text}");
}

#[test]
fn bench_prints_build_and_query_figures() {
    let cache = tempfile::tempdir().unwrap();
    let output = bsl_assist(&["search", "транзакция", "--bench", "--json"], cache.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let figures: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(figures["knowledge_docs"].as_u64().unwrap() > 500, "{figures}");
    assert!(figures["query_ms_p95"].as_f64().unwrap() > 0.0, "{figures}");
}

/// The files `scripts/install-embeddings.sh` installs, from the env file it writes:
/// (ONNX Runtime's library, the model, the tokenizer, the tools folder).
fn installed_embeddings() -> Option<(String, String, String, PathBuf)> {
    let cache = std::env::var_os("BSL_ASSIST_CACHE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/bsl-assist")))?;
    let root = cache.join("tools/embeddings");
    let text = std::fs::read_to_string(root.join("env")).ok()?;
    let value = |name: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(&format!("export {name}=")).map(|v| v.trim_matches('"').to_string()))
            .filter(|v| Path::new(v).is_file())
    };
    Some((value("BSL_ASSIST_ORT_DYLIB")?, value("BSL_ASSIST_EMBED_MODEL")?, value("BSL_ASSIST_EMBED_TOKENIZER")?, root))
}

#[test]
fn doctor_and_search_with_an_embedding_model() {
    let cache = tempfile::tempdir().unwrap();
    // A model that is not there: doctor says hybrid is off and why; `--hybrid` fails.
    let missing = ["--embed-model", "/nonexistent/model.onnx", "--ort-dylib", "/nonexistent/libonnxruntime.so"];
    let mut args = vec!["doctor"];
    args.extend(missing);
    let text = stdout(&bsl_assist(&args, cache.path()));
    assert!(text.contains("hybrid     off  configured but not usable"), "{text}");
    let mut args = vec!["search", "транзакция", "--hybrid"];
    args.extend(missing);
    let output = bsl_assist(&args, cache.path());
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("cannot enable hybrid retrieval"), "{}", stderr(&output));

    let required = std::env::var("BSL_ASSIST_REQUIRE_EMBEDDINGS").is_ok_and(|v| v == "1");
    let Some((dylib, model, tokenizer, root)) = installed_embeddings() else {
        assert!(!required, "BSL_ASSIST_REQUIRE_EMBEDDINGS=1 but scripts/install-embeddings.sh has not run");
        println!("skipped: the embedding model is not installed (scripts/install-embeddings.sh)");
        return;
    };
    let flags = ["--ort-dylib", &dylib, "--embed-model", &model, "--embed-tokenizer", &tokenizer];
    let mut args = vec!["doctor"];
    args.extend(flags);
    let text = stdout(&bsl_assist(&args, cache.path()));
    assert!(text.contains("hybrid     on   ONNX model"), "{text}");
    assert!(text.contains("384-dimensional"), "{text}");
    // Hybrid search over a small workspace; the index and vectors live beside the model (the
    // same vectors as bsl-knowledge's evaluation test), so only the first run embeds.
    let workspace = tempfile::tempdir().unwrap();
    let module = workspace.path().join("CommonModules/Строки/Ext/Module.bsl");
    std::fs::create_dir_all(module.parent().unwrap()).unwrap();
    std::fs::write(&module, "// Splits a text by a delimiter.\nФункция Разделить(Текст) Экспорт\nКонецФункции\n")
        .unwrap();
    let index_dir = root.join("test-vectors");
    let dir = workspace.path().to_str().unwrap();
    let mut args = vec!["search", "how do I split text by a delimiter", "--hybrid", "--json", "--workspace", dir];
    args.extend(["--cache-dir", index_dir.to_str().unwrap(), "--scope", "knowledge"]);
    args.extend(flags);
    let ids = json_ids(&bsl_assist(&args, cache.path()));
    assert!(ids.iter().take(5).any(|i| i == "method:СтрРазделить"), "{ids:?}");
}

//! End-to-end tests of `bsl-assist risk`: the real history of gitsync (the shared bundle,
//! cloned once into a temporary folder by the `git` binary — test setup only; the tool
//! itself reads the repository with gix) and a tiny synthetic repository that must fall
//! back to the heuristic.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bundle() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/history/gitsync.bundle")
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Tester")
        .env("GIT_AUTHOR_EMAIL", "tester@example.invalid")
        .env("GIT_COMMITTER_NAME", "Tester")
        .env("GIT_COMMITTER_EMAIL", "tester@example.invalid")
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?} failed");
}

fn risk(repo: &Path, cache: &Path) -> serde_json::Value {
    let output = Command::new(env!("CARGO_BIN_EXE_bsl-assist"))
        .arg("risk")
        .arg(repo)
        .arg("--cache-dir")
        .arg(cache)
        .args(["--json", "--top", "10"])
        .output()
        .expect("the binary runs");
    assert!(output.status.success(), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON output")
}

#[test]
fn gitsync_history_is_mined_incrementally_and_the_model_is_evaluated() {
    let bundle = bundle();
    if !bundle.exists() {
        eprintln!("skipped: {} is missing", bundle.display());
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("gitsync");
    git(
        tmp.path(),
        &["-c", "advice.detachedHead=false", "clone", "-q", bundle.to_str().unwrap(), repo.to_str().unwrap()],
    );
    let cache = tmp.path().join("cache");

    let first = risk(&repo, &cache);
    eprintln!("first run: {}", first["mining"]);
    eprintln!("evaluation: {}", first["evaluation"]);
    assert!(first["mining"]["total_commits"].as_u64().unwrap() > 1000, "{}", first["mining"]);
    assert_eq!(first["mining"]["new_commits"], first["mining"]["total_commits"]);
    let evaluation = &first["evaluation"];
    assert!(evaluation["fix_commits"].as_u64().unwrap() > 0);
    assert_eq!(first["heuristic"], false, "{evaluation}");
    // Measured on gitsync (model version 5): pooled AUC 0.727, per-window 0.777, p@10 0.033
    // against the heuristic's 0.653, 0.759 and 0.008 (issue target 0.70). The model (a
    // logistic regression on the "activity and fix share" features) was chosen on validation
    // folds inside the training windows (0.824 there, the heuristic 0.717); the evaluation
    // windows chose nothing. The threshold sits just under the measured figure so a
    // regression shows.
    assert!(evaluation["validation_folds"].as_u64().unwrap() > 0, "{evaluation}");
    assert!(evaluation["validation_auc"].as_f64().is_some(), "{evaluation}");
    assert!(!evaluation["model"].as_str().unwrap().is_empty(), "{evaluation}");
    let auc = evaluation["auc"].as_f64().expect("an AUC on the newest windows");
    let heuristic_auc = evaluation["heuristic_auc"].as_f64().expect("the heuristic's AUC on the same windows");
    assert!(auc >= 0.72, "time-split AUC {auc}: {evaluation}");
    assert!(auc > heuristic_auc + 0.02, "model {auc} vs heuristic {heuristic_auc}: {evaluation}");
    assert!(evaluation["precision_at_k"].as_f64().is_some());
    let methods = first["methods"].as_array().unwrap();
    assert_eq!(methods.len(), 10);
    for m in methods {
        assert!(!m["path"].as_str().unwrap().starts_with('/'), "relative paths: {m}");
        assert!(repo.join(m["path"].as_str().unwrap()).exists(), "{m}");
        assert!(!m["reasons"].as_array().unwrap().is_empty(), "{m}");
    }

    // Nothing new: nothing mined, the stored model is loaded.
    let second = risk(&repo, &cache);
    assert_eq!(second["mining"]["new_commits"], 0);
    assert_eq!(second["trained"], false);
    assert_eq!(second["methods"], first["methods"]);

    // One new commit: only it is mined.
    let file = methods[0]["path"].as_str().unwrap();
    let path = repo.join(file);
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("\nПроцедура НоваяПроцедура()\nКонецПроцедуры\n");
    std::fs::write(&path, text).unwrap();
    git(&repo, &["commit", "-q", "-am", "fix: new procedure"]);
    let third = risk(&repo, &cache);
    eprintln!("after one commit: {}", third["mining"]);
    assert_eq!(third["mining"]["new_commits"], 1);
    assert_eq!(third["trained"], true);
}

#[test]
fn a_tiny_repository_falls_back_to_the_heuristic() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("tiny");
    std::fs::create_dir_all(repo.join("src")).unwrap();
    git(&repo, &["init", "-q"]);
    let mut body = String::new();
    for i in 0..5 {
        body.push_str(&format!(
            "Процедура Метод{i}(А)\n    Если А > {i} Тогда\n        Сообщить(А);\n    КонецЕсли;\nКонецПроцедуры\n\n"
        ));
        std::fs::write(repo.join("src/Модуль.os"), &body).unwrap();
        git(&repo, &["add", "."]);
        git(&repo, &["commit", "-q", "-m", &format!("fix step {i}")]);
    }
    let cache = tmp.path().join("cache");
    let out = risk(&repo, &cache);
    assert_eq!(out["heuristic"], true, "{out}");
    assert!(out["evaluation"]["note"].as_str().unwrap().contains("heuristic"), "{out}");
    let methods = out["methods"].as_array().unwrap();
    assert_eq!(methods.len(), 5);
    assert!(methods.iter().all(|m| m["heuristic"] == true && m["path"] == "src/Модуль.os"), "{out}");
    assert_eq!(out["mining"]["total_commits"], 5);
}

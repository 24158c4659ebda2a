//! The editor-facing API on a tiny repository made with the `git` binary (test setup only):
//! `RiskModel::load_or_train`, `method_risk` and feedback records.

use std::path::Path;
use std::process::Command;

use bsl_assistant::risk::{Feedback, RiskModel, record_feedback};

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

#[test]
fn method_risk_answers_and_feedback_triggers_retraining() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    let text = "Процедура Простая()\nКонецПроцедуры\n\nФункция Сложная(А, Б)\n    Если А И Б Тогда\n        Для Каждого Х Из А Цикл\n            Если Х Тогда\n                Возврат 1;\n            КонецЕсли;\n        КонецЦикла;\n    КонецЕсли;\n    Возврат 0;\nКонецФункции\n";
    std::fs::write(repo.join("Модуль.os"), text).unwrap();
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "initial"]);
    std::fs::write(repo.join("Модуль.os"), text.replace("Возврат 1;", "Возврат 2;")).unwrap();
    git(&repo, &["commit", "-q", "-am", "исправлена ошибка"]);

    let cache = tmp.path().join("cache");
    let model = RiskModel::load_or_train(&repo, &cache).unwrap();
    assert!(model.trained && model.is_heuristic());
    assert_eq!(model.mine_stats.new_commits, 2);
    let complex = model.method_risk(Path::new("Модуль.os"), "сложная").expect("a known method");
    let simple = model.method_risk(&repo.join("Модуль.os"), "Простая").expect("absolute paths work too");
    assert!(complex.heuristic && complex.score > simple.score, "{complex:?} {simple:?}");
    assert!(!complex.reasons.is_empty());
    assert!(model.method_risk(Path::new("Модуль.os"), "Нет").is_none());

    let again = RiskModel::load_or_train(&repo, &cache).unwrap();
    assert!(!again.trained);
    assert_eq!(again.mine_stats.new_commits, 0);

    let feedback = Feedback { path: "Модуль.os".into(), method: "Сложная".into(), applied: true, time: 0 };
    record_feedback(&cache, &feedback).unwrap();
    let retrained = RiskModel::load_or_train(&repo, &cache).unwrap();
    assert!(retrained.trained);
    assert_eq!(retrained.stored.feedback_records, 1);
}

//! End-to-end tests of `bsl-assist check`: configuration files, report formats, `--fix`,
//! `--fail-on` and exit codes, each on a small folder the test writes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bsl_assist(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bsl-assist")).current_dir(dir).args(args).output().expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A small project: one module with a goto, a comment without a space and a long line.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let module = dir.path().join("src/CommonModules/Общий/Ext");
    std::fs::create_dir_all(&module).unwrap();
    let long = "А".repeat(130);
    let text = format!(
        "\u{FEFF}Процедура П() Экспорт\r\n\tПерейти ~М; //без пробела\r\n\t~М:\r\n\t{long} = 1;\r\nКонецПроцедуры\r\n"
    );
    std::fs::write(module.join("Module.bsl"), text).unwrap();
    // A literal written four times: one finding, the other copies as related places.
    let strings = dir.path().join("src/CommonModules/Строки/Ext");
    std::fs::create_dir_all(&strings).unwrap();
    let copies = "\tА.Вставить(\"Организация\");\n".repeat(4);
    std::fs::write(strings.join("Module.bsl"), format!("Процедура Заполнить(А) Экспорт\n{copies}КонецПроцедуры\n"))
        .unwrap();
    std::fs::create_dir_all(dir.path().join("vendor")).unwrap();
    std::fs::write(dir.path().join("vendor/Чужой.bsl"), "Перейти ~М;\n").unwrap();
    dir
}

fn codes(output: &Output) -> Vec<String> {
    let problems: Vec<serde_json::Value> = serde_json::from_str(&stdout(output)).expect("a JSON array");
    problems.iter().map(|p| p["code"].as_str().unwrap().to_string()).collect()
}

#[test]
fn toml_configuration_switches_rules_and_excludes_paths() {
    let dir = project();
    std::fs::write(
        dir.path().join(".bsl-assist.toml"),
        "language = \"en\"\nexclude = [\"vendor/**\"]\n\n[rules]\nLineLength = { maxLineLength = 200 }\nUsingGoto = { severity = \"minor\" }\n",
    )
    .unwrap();
    let output = bsl_assist(dir.path(), &["check", "--format", "json", "--select", "UsingGoto,LineLength", "."]);
    let problems: Vec<serde_json::Value> = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["code"], "UsingGoto");
    assert_eq!(problems[0]["severity"], "minor");
    assert_eq!(problems[0]["path"], "src/CommonModules/Общий/Ext/Module.bsl");
    assert!(problems[0]["message"].as_str().unwrap().starts_with("Do not use"), "English messages");
}

#[test]
fn bsl_language_server_configuration_is_read_when_ours_is_absent() {
    let dir = project();
    std::fs::write(
        dir.path().join(".bsl-language-server.json"),
        r#"{ "language": "ru", "diagnostics": { "mode": "only", "parameters": { "UsingGoto": true } } }"#,
    )
    .unwrap();
    let output = bsl_assist(dir.path(), &["check", "--format", "json", "src"]);
    assert_eq!(codes(&output), ["UsingGoto"], "{}", stderr(&output));
}

#[test]
fn a_broken_configuration_is_a_usage_error_with_its_position() {
    let dir = project();
    std::fs::write(dir.path().join(".bsl-assist.toml"), "[rules]\nLineLength = { maxLineLength = \"x\" }\n").unwrap();
    let output = bsl_assist(dir.path(), &["check", "src"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains(".bsl-assist.toml:2:16: `rules.LineLength.maxLineLength`: expected an integer"), "{err}");
}

#[test]
fn fail_on_sets_the_exit_code() {
    let dir = project();
    let args = ["check", "--select", "SpaceAtStartComment", "src"];
    assert_eq!(bsl_assist(dir.path(), &args).status.code(), Some(1));
    let strict = bsl_assist(dir.path(), &[&args[..], &["--fail-on", "major"]].concat());
    assert_eq!(strict.status.code(), Some(0), "SpaceAtStartComment is only info");
    let bad = bsl_assist(dir.path(), &["check", "--fail-on", "fatal", "src"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn fix_rewrites_files_keeping_the_bom_and_converges() {
    let dir = project();
    let module = dir.path().join("src/CommonModules/Общий/Ext/Module.bsl");
    let output = bsl_assist(dir.path(), &["check", "--fix", "--select", "SpaceAtStartComment", "src"]);
    assert_eq!(output.status.code(), Some(0), "{}{}", stdout(&output), stderr(&output));
    assert!(stdout(&output).contains("Fixed 1 problems."), "{}", stdout(&output));
    let fixed = std::fs::read(&module).unwrap();
    assert!(fixed.starts_with(b"\xEF\xBB\xBF"), "the byte order mark is kept");
    assert!(String::from_utf8(fixed).unwrap().contains("// без пробела\r\n"));
    // Without --fix nothing is written.
    let before = std::fs::read(dir.path().join("vendor/Чужой.bsl")).unwrap();
    bsl_assist(dir.path(), &["check", "vendor"]);
    assert_eq!(std::fs::read(dir.path().join("vendor/Чужой.bsl")).unwrap(), before);
}

#[test]
fn junit_sonarqube_and_gitlab_reports_are_well_formed() {
    let dir = project();
    let junit = stdout(&bsl_assist(dir.path(), &["check", "--format", "junit", "."]));
    assert!(junit.starts_with("<?xml"), "{junit}");
    assert!(junit.contains("<testsuite name=\"bsl-assist\" tests=\"3\" failures=\"3\""), "{junit}");
    assert_eq!(junit.matches("<testcase").count(), 3);

    let sonar: serde_json::Value =
        serde_json::from_str(&stdout(&bsl_assist(dir.path(), &["check", "--format", "sonarqube", "."]))).unwrap();
    let issue = &sonar["issues"][0];
    assert_eq!(issue["engineId"], "bsl-assist");
    assert!(issue["primaryLocation"]["textRange"]["startLine"].as_u64().unwrap() >= 1);
    assert!(["CODE_SMELL", "BUG", "VULNERABILITY"].contains(&issue["type"].as_str().unwrap()));
    let issues = sonar["issues"].as_array().unwrap();
    let duplicate = issues.iter().find(|i| i["ruleId"] == "DuplicateStringLiteral").expect("the duplicated literal");
    assert_eq!(duplicate["secondaryLocations"].as_array().map(Vec::len), Some(3));

    let gitlab: serde_json::Value =
        serde_json::from_str(&stdout(&bsl_assist(dir.path(), &["check", "--format", "gitlab", "."]))).unwrap();
    let issues = gitlab.as_array().unwrap();
    assert!(!issues.is_empty());
    let mut prints: Vec<_> = issues.iter().map(|i| i["fingerprint"].as_str().unwrap()).collect();
    prints.sort_unstable();
    prints.dedup();
    assert_eq!(prints.len(), issues.len(), "fingerprints are unique");
}

/// The SARIF 2.1.0 schema, fetched by scripts/test.sh from the npm registry.
fn sarif_schema() -> PathBuf {
    let cache = std::env::var_os("BSL_ASSIST_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cache/bsl-assist"));
    let schema = cache.join("tools/sarif/sarif-schema-2.1.0.json");
    assert!(schema.is_file(), "{} is missing: run scripts/test.sh, which fetches it", schema.display());
    schema
}

#[test]
fn sarif_validates_against_the_schema() {
    let dir = project();
    let sarif = dir.path().join("report.sarif");
    let output = bsl_assist(dir.path(), &["check", "--format", "sarif", "-o", "report.sarif", "."]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let validate = Command::new("python3")
        .args([
            "-c",
            "import json, sys, jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))); print('valid')",
        ])
        .arg(&sarif)
        .arg(sarif_schema())
        .output()
        .expect("python3 runs");
    assert_eq!(stdout(&validate).trim(), "valid", "{}", stderr(&validate));
    let log: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["ruleId"] == "UsingGoto"));
    let duplicate = results.iter().find(|r| r["ruleId"] == "DuplicateStringLiteral").expect("the duplicated literal");
    let related: Vec<_> = duplicate["relatedLocations"]
        .as_array()
        .expect("related locations")
        .iter()
        .map(|l| l["physicalLocation"]["region"]["startLine"].as_u64().unwrap())
        .collect();
    assert_eq!(duplicate["locations"][0]["physicalLocation"]["region"]["startLine"], 2);
    assert_eq!(related, [3, 4, 5]);
    let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
}

#[test]
fn shards_cover_every_module_once_and_merge_back() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..12 {
        std::fs::write(dir.path().join(format!("М{i}.bsl")), "Перейти ~М;\n").unwrap();
    }
    let full =
        bsl_assist(dir.path(), &["check", "--format", "sarif", "--select", "UsingGoto", "-o", "full.sarif", "."]);
    assert_eq!(full.status.code(), Some(1), "{}", stderr(&full));
    let mut shard_files = Vec::new();
    for k in 1..=3 {
        let name = format!("shard{k}.sarif");
        let shard = format!("{k}/3");
        let out = bsl_assist(
            dir.path(),
            &["check", "--format", "sarif", "--select", "UsingGoto", "--shard", &shard, "-o", &name, "."],
        );
        assert!(out.status.code().is_some_and(|c| c <= 1), "{}", stderr(&out));
        shard_files.push(name);
    }
    let mut args = vec!["merge", "--format", "sarif", "-o", "merged.sarif"];
    args.extend(shard_files.iter().map(String::as_str));
    let merged = bsl_assist(dir.path(), &args);
    assert_eq!(merged.status.code(), Some(0), "{}", stderr(&merged));
    let uris = |file: &str| {
        let log: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.path().join(file)).unwrap()).unwrap();
        let mut uris: Vec<String> = log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap().to_string())
            .collect();
        uris.sort();
        uris
    };
    assert_eq!(uris("full.sarif").len(), 12);
    assert_eq!(uris("merged.sarif"), uris("full.sarif"), "the shards together are the whole");
    let bad = bsl_assist(dir.path(), &["check", "--shard", "4/3", "."]);
    assert_eq!(bad.status.code(), Some(2));
}

//! The server's settings (everything under `bsl-assist` in the editor's configuration) and
//! their schema. The schema is the one source for the editors: a test writes it into the
//! VS Code extension's `package.json` and fails when that copy is stale.
//!
//! The rules' part (`language`, `mode`, `rules`) is read by `config.rs` into the analysis
//! layer's `Config`; the rest is read here into [`Settings`].

use std::path::PathBuf;
use std::time::Duration;

use bsl_assistant::llm::LlmSettings;
use serde::Deserialize;
use serde_json::{Value, json};

/// One setting as editors see it: a dotted key under `bsl-assist.`, its JSON type, its
/// default, a description and, for strings with a closed set of values, the values.
pub struct Setting {
    pub key: &'static str,
    pub kind: &'static str,
    pub default: fn() -> Value,
    pub description: &'static str,
    pub values: &'static [&'static str],
    /// Read by the editor's client only (the server ignores it).
    pub client_only: bool,
}

const fn setting(key: &'static str, kind: &'static str, default: fn() -> Value, description: &'static str) -> Setting {
    Setting { key, kind, default, description, values: &[], client_only: false }
}

/// Every setting, in the order editors list them.
pub const SCHEMA: &[Setting] = &[
    Setting {
        values: &["ru", "en"],
        ..setting("language", "string", || json!("ru"), "The language of diagnostic messages and assistants' texts.")
    },
    Setting {
        values: &["default", "all", "only", "off"],
        ..setting(
            "mode",
            "string",
            || json!("default"),
            "Which rules run: the default set, all rules, only those listed in `rules`, or none.",
        )
    },
    setting(
        "rules",
        "object",
        || json!({}),
        "Per-rule settings, keyed by rule code: `false` switches a rule off, `true` on, an object sets its parameters and `severity`.",
    ),
    Setting {
        client_only: true,
        ..setting(
            "server.path",
            "string",
            || json!(""),
            "The bsl-assist binary to run. Empty: the BSL_ASSIST_SERVER environment variable, then the binary bundled with the extension.",
        )
    },
    setting(
        "llm.enabled",
        "boolean",
        || json!(false),
        "Let the assistants call a language model. Nothing leaves the machine while this is off.",
    ),
    setting(
        "llm.baseUrl",
        "string",
        || json!(""),
        "The OpenAI-compatible API root, for example http://127.0.0.1:8080/v1.",
    ),
    setting("llm.model", "string", || json!(""), "The model name sent with each request."),
    setting(
        "llm.embeddingModel",
        "string",
        || json!(""),
        "The model for embeddings, when it differs from `llm.model`.",
    ),
    setting(
        "llm.apiKeyEnv",
        "string",
        || json!(""),
        "The name of the environment variable that holds the API key (never the key itself). Empty for local servers.",
    ),
    setting("llm.localOnly", "boolean", || json!(true), "Refuse endpoints that are not on this machine (loopback)."),
    setting("llm.timeoutSeconds", "number", || json!(120), "How long one model call may take."),
    setting("llm.maxTokens", "number", || json!(1024), "The longest answer asked of the model, in tokens."),
    setting("llm.temperature", "number", || json!(0.2), "Sampling temperature for the model's answers."),
    setting("llm.maxConcurrent", "number", || json!(2), "Model calls in flight at once."),
    setting("llm.requestsPerMinute", "number", || json!(30), "The most model calls per minute (0: no limit)."),
    setting(
        "knowledge.folders",
        "array",
        || json!([]),
        "Folders of your own knowledge (Markdown or TOML in the format of the built-in knowledge base), searched beside it.",
    ),
    setting(
        "risk.codeLens",
        "boolean",
        || json!(true),
        "Show the defect-risk score above methods (needs a git repository).",
    ),
    setting(
        "risk.diagnosticsThreshold",
        "number",
        || json!(0),
        "Report methods whose defect risk is at least this probability as hints (0: never).",
    ),
    setting(
        "risk.retrainMinutes",
        "number",
        || json!(10),
        "How often to look for new commits and retrain the risk model in the background (0: never).",
    ),
    setting(
        "tests.folder",
        "string",
        || json!(""),
        "Where generated YAxUnit test modules go: an EDT tests project or a Designer extension folder. Empty: found in the workspace (a project or folder named like `tests`), else `tests` beside the configuration.",
    ),
    Setting {
        values: &["error", "warn", "info", "debug", "trace"],
        ..setting("log.level", "string", || json!("info"), "How much the server writes to its log file.")
    },
];

/// The `contributes.configuration` block of the VS Code extension's `package.json`.
pub fn vscode_configuration() -> Value {
    let mut properties = serde_json::Map::new();
    for (order, s) in SCHEMA.iter().enumerate() {
        let mut p = serde_json::Map::new();
        p.insert("type".into(), json!(s.kind));
        p.insert("order".into(), json!(order));
        if s.kind == "array" {
            p.insert("items".into(), json!({"type": "string"}));
        }
        p.insert("default".into(), (s.default)());
        p.insert("markdownDescription".into(), json!(s.description));
        if !s.values.is_empty() {
            p.insert("enum".into(), json!(s.values));
        }
        p.insert("scope".into(), json!(if s.key == "server.path" { "machine-overridable" } else { "resource" }));
        properties.insert(format!("bsl-assist.{}", s.key), Value::Object(p));
    }
    json!({"title": "bsl-assist", "properties": properties})
}

/// A JSON Schema of the settings object the server accepts (nested, without the
/// `bsl-assist` wrapper), for `bsl-assist schema`.
pub fn json_schema() -> Value {
    let mut root = json!({"$schema": "http://json-schema.org/draft-07/schema#", "title": "bsl-assist settings", "type": "object", "properties": {}});
    for s in SCHEMA {
        let mut node = &mut root;
        let parts: Vec<&str> = s.key.split('.').collect();
        for part in &parts[..parts.len() - 1] {
            let properties = node["properties"].as_object_mut().expect("object schema");
            node = properties.entry(part.to_string()).or_insert_with(|| json!({"type": "object", "properties": {}}));
        }
        let mut leaf = json!({"type": s.kind, "default": (s.default)(), "description": s.description});
        if !s.values.is_empty() {
            leaf["enum"] = json!(s.values);
        }
        node["properties"][parts[parts.len() - 1]] = leaf;
    }
    root
}

/// The settings the server acts on, besides the rules.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Settings {
    pub llm: Llm,
    pub knowledge: Knowledge,
    pub risk: Risk,
    pub tests: Tests,
    pub log: Log,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Llm {
    pub enabled: bool,
    pub base_url: String,
    pub model: String,
    pub embedding_model: String,
    pub api_key_env: String,
    pub local_only: bool,
    pub timeout_seconds: f64,
    pub max_tokens: u32,
    pub temperature: f32,
    pub max_concurrent: usize,
    pub requests_per_minute: u32,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Knowledge {
    pub folders: Vec<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Risk {
    pub code_lens: bool,
    pub diagnostics_threshold: f64,
    pub retrain_minutes: f64,
}

#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Tests {
    pub folder: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Log {
    pub level: String,
}

/// A section built from [`SCHEMA`]'s defaults alone.
#[cfg(test)]
fn schema_default<T: serde::de::DeserializeOwned>(section: &str) -> T {
    let mut object = serde_json::Map::new();
    for s in SCHEMA {
        if let Some(rest) = s.key.strip_prefix(section).and_then(|r| r.strip_prefix('.')) {
            object.insert(rest.to_string(), (s.default)());
        }
    }
    serde_json::from_value(Value::Object(object)).expect("the schema's defaults fit the settings types")
}

// The sections' defaults are written out (serde's `default` attribute calls `Default`, so
// reading them from the schema here would recurse); a test checks they equal the schema's.
impl Default for Llm {
    fn default() -> Self {
        Llm {
            enabled: false,
            base_url: String::new(),
            model: String::new(),
            embedding_model: String::new(),
            api_key_env: String::new(),
            local_only: true,
            timeout_seconds: 120.0,
            max_tokens: 1024,
            temperature: 0.2,
            max_concurrent: 2,
            requests_per_minute: 30,
        }
    }
}

impl Default for Risk {
    fn default() -> Self {
        Risk { code_lens: true, diagnostics_threshold: 0.0, retrain_minutes: 10.0 }
    }
}

impl Default for Log {
    fn default() -> Self {
        Log { level: "info".into() }
    }
}

impl Settings {
    /// Reads the settings from the client's object (`{"bsl-assist": {...}}` or the inner
    /// object; VS Code sends dotted keys nested). Unknown keys are ignored; a key of the
    /// wrong type is an error naming it.
    pub fn from_client(value: &Value) -> Result<Settings, String> {
        let ours = value.get("bsl-assist").or_else(|| value.get("bslAssist")).unwrap_or(value);
        let mut nested = serde_json::Map::new();
        if let Some(object) = ours.as_object() {
            for (key, v) in object {
                // Accept flat dotted keys too (`"llm.baseUrl": ...`).
                match key.split_once('.') {
                    Some((section, rest)) => {
                        let entry = nested.entry(section.to_string()).or_insert_with(|| json!({}));
                        if let Some(map) = entry.as_object_mut() {
                            map.insert(rest.to_string(), v.clone());
                        }
                    }
                    None => {
                        nested.insert(key.clone(), v.clone());
                    }
                }
            }
        }
        for section in ["llm", "knowledge", "risk", "tests", "log"] {
            if let Some(v) = nested.get(section)
                && !v.is_object()
                && !v.is_null()
            {
                return Err(format!("bsl-assist settings: `{section}` must be an object"));
            }
        }
        let pick: serde_json::Map<String, Value> = nested
            .into_iter()
            .filter(|(k, v)| matches!(k.as_str(), "llm" | "knowledge" | "risk" | "tests" | "log") && !v.is_null())
            .collect();
        serde_path_to_error_like(Value::Object(pick))
    }

    /// The LLM client's settings when the user has enabled a provider.
    pub fn llm_settings(&self, cache_dir: &std::path::Path) -> Option<LlmSettings> {
        let llm = &self.llm;
        if !llm.enabled {
            return None;
        }
        let settings = LlmSettings {
            base_url: llm.base_url.trim().to_string(),
            model: llm.model.trim().to_string(),
            embedding_model: Some(llm.embedding_model.clone()).filter(|m| !m.trim().is_empty()),
            api_key_env: Some(llm.api_key_env.clone()).filter(|m| !m.trim().is_empty()),
            request_timeout: Duration::from_secs_f64(llm.timeout_seconds.clamp(1.0, 3600.0)),
            max_tokens: llm.max_tokens.max(16),
            temperature: llm.temperature.clamp(0.0, 2.0),
            max_concurrent: llm.max_concurrent.max(1),
            requests_per_minute: llm.requests_per_minute,
            cache_dir: Some(cache_dir.join("llm-cache")),
            audit_log: Some(audit_log_path(cache_dir)),
            local_only: llm.local_only,
            ..LlmSettings::default()
        };
        settings.is_configured().then_some(settings)
    }
}

/// The server's cache folder: `$BSL_ASSIST_CACHE`, else `~/.cache/bsl-assist`.
pub fn cache_dir() -> PathBuf {
    std::env::var_os("BSL_ASSIST_CACHE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/bsl-assist")))
        .unwrap_or_else(|| std::env::temp_dir().join("bsl-assist"))
}

/// Where every model call is recorded, one JSON line each.
pub fn audit_log_path(cache_dir: &std::path::Path) -> PathBuf {
    cache_dir.join("llm-audit.jsonl")
}

/// Deserializes, naming the offending key in the error.
fn serde_path_to_error_like(value: Value) -> Result<Settings, String> {
    // Try each section alone first, so the error names the section and key.
    if let Value::Object(map) = &value {
        for (section, v) in map {
            let Some(fields) = v.as_object() else { continue };
            for (field, fv) in fields {
                let key = format!("{section}.{field}");
                if let Some(s) = SCHEMA.iter().find(|s| s.key == key) {
                    let ok = match s.kind {
                        "string" => fv.is_string(),
                        "boolean" => fv.is_boolean(),
                        "number" => fv.is_number(),
                        "array" => fv.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
                        "object" => fv.is_object(),
                        _ => true,
                    };
                    if !ok {
                        return Err(format!("bsl-assist settings: `{key}` must be a {}", s.kind));
                    }
                    if !s.values.is_empty() && !fv.as_str().is_some_and(|v| s.values.contains(&v)) {
                        return Err(format!("bsl-assist settings: `{key}` must be one of {}", s.values.join(", ")));
                    }
                }
            }
        }
    }
    serde_json::from_value(value).map_err(|e| format!("bsl-assist settings: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The extension's settings block is generated from [`SCHEMA`]; `UPDATE_EXPECT=1`
    /// rewrites it.
    #[test]
    fn vscode_package_json_settings_are_fresh() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../editors/vscode/package.json");
        let text = std::fs::read_to_string(&path).expect("editors/vscode/package.json");
        let package: Value = serde_json::from_str(&text).expect("package.json is JSON");
        let expected = vscode_configuration();
        if package["contributes"]["configuration"] == expected {
            return;
        }
        if std::env::var_os("UPDATE_EXPECT").is_some() {
            std::fs::write(&path, replace_configuration(&text, &expected)).expect("write package.json");
            return;
        }
        panic!(
            "editors/vscode/package.json's contributes.configuration is stale: run UPDATE_EXPECT=1 cargo test -p bsl-lsp settings"
        );
    }

    /// `text` with the value of its `"configuration": {...}` object replaced by `block`,
    /// indented to match; the rest of the file keeps its order and formatting.
    fn replace_configuration(text: &str, block: &Value) -> String {
        let key = "\"configuration\": {";
        let start = text.find(key).expect("package.json has contributes.configuration") + key.len() - 1;
        let (mut depth, mut in_string, mut escaped, mut end) = (0, false, false, start);
        for (i, c) in text[start..].char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' => in_string = !in_string,
                '{' if !in_string => depth += 1,
                '}' if !in_string => {
                    depth -= 1;
                    if depth == 0 {
                        end = start + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let indent: String = text[line_start..].chars().take_while(|c| *c == ' ').collect();
        let pretty = serde_json::to_string_pretty(block).expect("serializable");
        let indented = pretty.replace('\n', &format!("\n{indent}"));
        format!("{}{indented}{}", &text[..start], &text[end..])
    }

    #[test]
    fn defaults_match_the_schema() {
        assert_eq!(schema_default::<Llm>("llm"), Llm::default());
        assert_eq!(schema_default::<Risk>("risk"), Risk::default());
        assert_eq!(schema_default::<Log>("log"), Log::default());
        assert_eq!(schema_default::<Knowledge>("knowledge"), Knowledge::default());
        assert_eq!(schema_default::<Tests>("tests"), Tests::default());
        // Every key of the schema is a field the server or the client reads.
        let fields = serde_json::to_string(&json_schema()).unwrap();
        assert!(fields.contains("\"baseUrl\""));
    }

    #[test]
    fn reads_nested_and_dotted_settings_and_names_bad_keys() {
        let nested =
            json!({"bsl-assist": {"llm": {"enabled": true, "baseUrl": "http://127.0.0.1:1/v1", "model": "m"}}});
        let s = Settings::from_client(&nested).unwrap();
        assert!(s.llm.enabled);
        assert!(s.llm_settings(std::path::Path::new("/tmp/x")).is_some());
        let dotted = json!({"risk.diagnosticsThreshold": 0.7, "language": "en"});
        assert_eq!(Settings::from_client(&dotted).unwrap().risk.diagnostics_threshold, 0.7);
        let bad = json!({"llm": {"maxTokens": "many"}});
        assert_eq!(Settings::from_client(&bad).unwrap_err(), "bsl-assist settings: `llm.maxTokens` must be a number");
        let bad = json!({"log": {"level": "loud"}});
        assert!(Settings::from_client(&bad).unwrap_err().contains("`log.level` must be one of"));
        // Off by default: nothing leaves the machine.
        assert!(Settings::default().llm_settings(std::path::Path::new("/tmp/x")).is_none());
    }
}

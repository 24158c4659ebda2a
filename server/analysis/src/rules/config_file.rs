//! Reads rule configuration from text: our `.bsl-assist.toml`, or the diagnostics section of
//! a BSL Language Server `.bsl-language-server.json`, so a team can switch without
//! rewriting its settings. Errors name the line, the column and the offending key; the
//! caller reads files and decides what to do with an error (the server keeps defaults).
//!
//! `.bsl-assist.toml`:
//! ```toml
//! language = "ru"              # messages: ru or en
//! mode = "default"             # default | all | only | off
//! exclude = ["src/cf/DataProcessors/**"]
//!
//! [rules]
//! MagicNumber = false                                  # off
//! FunctionNameStartsWithGet = true                     # on
//! LineLength = { maxLineLength = 140 }                 # parameters
//! CognitiveComplexity = { severity = "critical", complexityThreshold = 20 }
//! ```

use std::fmt;

use super::config::{Config, Language, Mode, ParamValue, RuleConfig};
use super::{ParamDefault, find_rule};
use crate::diagnostic::Severity;

/// Configuration read from a file, with the paths it excludes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileConfig {
    pub config: Config,
    /// Glob patterns, relative to the configuration file's folder.
    pub exclude: Vec<String>,
}

/// A configuration error at a position of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// One-based line and column.
    pub line: usize,
    pub column: usize,
    /// The offending key, dotted (`rules.LineLength.maxLineLength`), when known.
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.line, self.column)?;
        if let Some(key) = &self.key {
            write!(f, "`{key}`: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Line and column (one-based) of a byte offset.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rfind('\n').map_or(before.chars().count(), |i| before[i + 1..].chars().count()) + 1;
    (line, column)
}

/// Where a key is written in the text: the first place it stands as a key, followed by
/// `=`, `:` or `]` (quotes allowed), or the start of the file.
fn locate_key(text: &str, key: &str) -> (usize, usize) {
    for (index, line) in text.lines().enumerate() {
        let mut from = 0;
        while let Some(found) = line[from..].find(key) {
            let at = from + found;
            let after = line[at + key.len()..].trim_start_matches('"').trim_start();
            if after.starts_with('=') || after.starts_with(':') || after.starts_with(']') {
                let quote = usize::from(at > 0 && line.as_bytes()[at - 1] == b'"');
                return (index + 1, line[..at - quote].chars().count() + 1);
            }
            from = at + key.len();
        }
    }
    (1, 1)
}

fn error_at_key(text: &str, key_path: &str, leaf: &str, message: impl Into<String>) -> ConfigError {
    let (line, column) = locate_key(text, leaf);
    ConfigError { line, column, key: Some(key_path.to_string()), message: message.into() }
}

/// Parses `.bsl-assist.toml`.
pub fn parse_toml(text: &str) -> Result<FileConfig, ConfigError> {
    let table: toml::Table = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |span| position(text, span.start));
        ConfigError { line, column, key: None, message: e.message().to_string() }
    })?;
    let mut out = FileConfig::default();
    for (key, value) in &table {
        match key.as_str() {
            "language" => {
                let name = value.as_str().unwrap_or_default();
                out.config.language = Language::from_name(name)
                    .ok_or_else(|| error_at_key(text, key, key, "expected \"ru\" or \"en\""))?;
            }
            "mode" => {
                out.config.mode = match value.as_str().unwrap_or_default() {
                    "default" => Mode::Default,
                    "all" => Mode::All,
                    "only" => Mode::Only,
                    "off" => Mode::Off,
                    _ => {
                        return Err(error_at_key(text, key, key, "expected \"default\", \"all\", \"only\" or \"off\""));
                    }
                }
            }
            "exclude" => {
                let patterns =
                    value.as_array().ok_or_else(|| error_at_key(text, key, key, "expected a list of globs"))?;
                for pattern in patterns {
                    let pattern =
                        pattern.as_str().ok_or_else(|| error_at_key(text, key, key, "expected a list of strings"))?;
                    out.exclude.push(pattern.to_string());
                }
            }
            "rules" => {
                let rules = value.as_table().ok_or_else(|| error_at_key(text, key, key, "expected a table"))?;
                for (code, setting) in rules {
                    let (code, rule) = rule_setting(code, &TomlOrJson::Toml(setting))
                        .map_err(|(key, message)| error_at_key(text, &format!("rules.{key}"), leaf(&key), message))?;
                    out.config.rules.insert(code, rule);
                }
            }
            other => return Err(error_at_key(text, other, other, "unknown key")),
        }
    }
    Ok(out)
}

fn leaf(key: &str) -> &str {
    key.rsplit('.').next().unwrap_or(key)
}

/// A value from either format.
enum TomlOrJson<'a> {
    Toml(&'a toml::Value),
    Json(&'a serde_json::Value),
}

impl TomlOrJson<'_> {
    fn as_bool(&self) -> Option<bool> {
        match self {
            TomlOrJson::Toml(v) => v.as_bool(),
            TomlOrJson::Json(v) => v.as_bool(),
        }
    }

    fn as_int(&self) -> Option<i64> {
        match self {
            TomlOrJson::Toml(v) => v.as_integer(),
            TomlOrJson::Json(v) => v.as_i64(),
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            TomlOrJson::Toml(v) => v.as_str(),
            TomlOrJson::Json(v) => v.as_str(),
        }
    }

    /// The entries of a table or object.
    fn entries(&self) -> Option<Vec<(String, TomlOrJson<'_>)>> {
        match self {
            TomlOrJson::Toml(v) => {
                v.as_table().map(|t| t.iter().map(|(k, v)| (k.clone(), TomlOrJson::Toml(v))).collect())
            }
            TomlOrJson::Json(v) => {
                v.as_object().map(|o| o.iter().map(|(k, v)| (k.clone(), TomlOrJson::Json(v))).collect())
            }
        }
    }
}

/// One rule's setting: `true`/`false`, or a table of `severity`, `enabled` and parameters.
/// Errors carry the dotted key and a message.
fn rule_setting(code: &str, value: &TomlOrJson<'_>) -> Result<(String, RuleConfig), (String, String)> {
    let rule = find_rule(code).ok_or_else(|| (code.to_string(), "no rule with this code".to_string()))?;
    let meta = rule.rule.meta();
    let mut config = RuleConfig::default();
    if let Some(enabled) = value.as_bool() {
        config.enabled = Some(enabled);
        return Ok((meta.code.to_string(), config));
    }
    let entries = value
        .entries()
        .ok_or_else(|| (code.to_string(), "expected true, false or a table of parameters".to_string()))?;
    config.enabled = Some(true);
    for (name, value) in entries {
        let key = format!("{code}.{name}");
        match name.as_str() {
            "enabled" => {
                config.enabled =
                    Some(value.as_bool().ok_or_else(|| (key.clone(), "expected true or false".to_string()))?)
            }
            "severity" => {
                let severity = value
                    .as_str()
                    .and_then(Severity::from_name)
                    .ok_or_else(|| (key.clone(), "expected info, minor, major, critical or blocker".to_string()))?;
                config.severity = Some(severity);
            }
            _ => {
                let param = meta.params.iter().find(|p| p.name == name).ok_or_else(|| {
                    let known: Vec<_> = meta.params.iter().map(|p| p.name).collect();
                    let hint = if known.is_empty() { "it has none".to_string() } else { known.join(", ") };
                    (key.clone(), format!("{} has no parameter `{name}` ({hint})", meta.code))
                })?;
                let parsed = match param.default {
                    ParamDefault::Int(_) => value.as_int().map(ParamValue::Int),
                    ParamDefault::Bool(_) => value.as_bool().map(ParamValue::Bool),
                    ParamDefault::Str(_) => value.as_str().map(|s| ParamValue::Str(s.to_string())),
                };
                let kind = match param.default {
                    ParamDefault::Int(_) => "an integer",
                    ParamDefault::Bool(_) => "true or false",
                    ParamDefault::Str(_) => "a string",
                };
                let parsed = parsed.ok_or_else(|| (key.clone(), format!("expected {kind}")))?;
                config.params.insert(name, parsed);
            }
        }
    }
    Ok((meta.code.to_string(), config))
}

/// Parses the parts of a `.bsl-language-server.json` that concern diagnostics: `language`
/// (or `diagnosticLanguage`), `diagnostics.mode` (on, off, all, only, except),
/// `diagnostics.parameters` (per rule: `true`, `false` or an object of parameters), and
/// excluded paths from `diagnostics.exclude` or `excludeSourceFiles` (lists of globs).
/// Rules we do not know are skipped, not errors: BSL Language Server has rules we lack.
pub fn parse_bsl_ls_json(text: &str) -> Result<FileConfig, ConfigError> {
    let root: serde_json::Value = serde_json::from_str(text).map_err(|e| ConfigError {
        line: e.line().max(1),
        column: e.column().max(1),
        key: None,
        message: e.to_string(),
    })?;
    let mut out = FileConfig::default();
    let language = root.get("diagnosticLanguage").or_else(|| root.get("language"));
    if let Some(language) = language.and_then(|l| l.as_str()) {
        out.config.language = Language::from_name(language)
            .ok_or_else(|| error_at_key(text, "language", "language", "expected ru or en"))?;
    }
    let excludes = |value: Option<&serde_json::Value>, out: &mut FileConfig| {
        if let Some(list) = value.and_then(|v| v.as_array()) {
            out.exclude.extend(list.iter().filter_map(|p| p.as_str()).map(str::to_string));
        }
    };
    excludes(root.get("excludeSourceFiles"), &mut out);
    let Some(diagnostics) = root.get("diagnostics") else { return Ok(out) };
    excludes(diagnostics.get("exclude"), &mut out);
    let mut except = false;
    if let Some(mode) = diagnostics.get("mode").and_then(|m| m.as_str()) {
        out.config.mode = match mode {
            "on" => Mode::Default,
            "off" => Mode::Off,
            "all" => Mode::All,
            "only" => Mode::Only,
            "except" => {
                except = true;
                Mode::All
            }
            _ => {
                return Err(error_at_key(text, "diagnostics.mode", "mode", "expected on, off, all, only or except"));
            }
        };
    }
    if let Some(parameters) = diagnostics.get("parameters").and_then(|p| p.as_object()) {
        for (code, value) in parameters {
            if find_rule(code).is_none() {
                continue;
            }
            let (code, mut rule) = rule_setting(code, &TomlOrJson::Json(value)).map_err(|(key, message)| {
                error_at_key(text, &format!("diagnostics.parameters.{key}"), leaf(&key), message)
            })?;
            // In `except` mode the listed rules are the ones switched off.
            if except {
                rule.enabled = Some(false);
            }
            out.config.rules.insert(code, rule);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_with_every_kind_of_setting() {
        let text = "language = \"en\"\nmode = \"all\"\nexclude = [\"src/cf/DataProcessors/**\"]\n\n[rules]\nUsingGoto = false\nLineLength = { maxLineLength = 140, severity = \"major\" }\n";
        let parsed = parse_toml(text).unwrap();
        assert_eq!(parsed.config.language, Language::En);
        assert_eq!(parsed.config.mode, Mode::All);
        assert_eq!(parsed.exclude, ["src/cf/DataProcessors/**"]);
        assert_eq!(parsed.config.rules["UsingGoto"].enabled, Some(false));
        let line_length = &parsed.config.rules["LineLength"];
        assert_eq!(line_length.params["maxLineLength"], ParamValue::Int(140));
        assert_eq!(line_length.severity, Some(Severity::Major));
    }

    #[test]
    fn toml_errors_name_line_and_key() {
        let error = parse_toml("[rules]\nLineLength = { maxLineLength = \"long\" }\n").unwrap_err();
        assert_eq!((error.line, error.key.as_deref()), (2, Some("rules.LineLength.maxLineLength")));
        let error = parse_toml("language = \"ru\"\n\n[rules]\nNoSuchRule = true\n").unwrap_err();
        assert_eq!((error.line, error.column), (4, 1));
        assert!(error.to_string().contains("no rule with this code"), "{error}");
        let error = parse_toml("language = \n").unwrap_err();
        assert_eq!(error.line, 1);
        let error = parse_toml("colour = 1\n").unwrap_err();
        assert_eq!(error.key.as_deref(), Some("colour"));
    }

    #[test]
    fn bsl_language_server_json() {
        let text = r#"{
  "language": "en",
  "diagnostics": {
    "mode": "except",
    "parameters": {
      "UsingGoto": true,
      "SomeRuleWeLack": false
    }
  }
}"#;
        let parsed = parse_bsl_ls_json(text).unwrap();
        assert_eq!(parsed.config.language, Language::En);
        assert_eq!(parsed.config.mode, Mode::All);
        assert_eq!(parsed.config.rules["UsingGoto"].enabled, Some(false), "except mode switches listed rules off");
        let text = "{\n  \"diagnostics\": {\n    \"parameters\": {\n      \"LineLength\": { \"maxLineLength\": \"x\" }\n    }\n  }\n}";
        let error = parse_bsl_ls_json(text).unwrap_err();
        assert_eq!(error.line, 4);
        assert_eq!(error.key.as_deref(), Some("diagnostics.parameters.LineLength.maxLineLength"));
        assert_eq!(parse_bsl_ls_json("{ \"a\": }").unwrap_err().line, 1);
    }
}

//! Settings from the client: `{"bsl-assist": {"language": "en", "rules": {...}}}` or the same
//! object without the wrapper. The `rules` table has the shape of `.bsl-assist.toml`'s.

use bsl_analysis::rules::Config;
use bsl_analysis::rules::config_file::parse_toml;

/// The configuration the settings describe, `None` when they hold nothing of ours, or a
/// message naming the offending key.
pub fn from_settings(settings: &serde_json::Value) -> Result<Option<Config>, String> {
    let ours = settings.get("bsl-assist").or_else(|| settings.get("bslAssist")).unwrap_or(settings);
    let Some(object) = ours.as_object() else { return Ok(None) };
    if !object.contains_key("language") && !object.contains_key("rules") && !object.contains_key("mode") {
        return Ok(None);
    }
    // Reuse the TOML reader: JSON settings translate to the same table.
    let table: toml::Table = serde_json::from_value(serde_json::Value::Object(
        object
            .iter()
            .filter(|(k, _)| matches!(k.as_str(), "language" | "rules" | "mode"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    ))
    .map_err(|e| format!("bsl-assist settings: {e}"))?;
    let text = toml::to_string(&table).map_err(|e| format!("bsl-assist settings: {e}"))?;
    parse_toml(&text).map(|c| Some(c.config)).map_err(|e| {
        let key = e.key.map(|k| format!("`{k}`: ")).unwrap_or_default();
        format!("bsl-assist settings: {key}{}", e.message)
    })
}

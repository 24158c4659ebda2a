//! Checks tool arguments against the tools' own input schemas, so the schema a client sees
//! and the one the server enforces are the same value. Only the part of JSON Schema the
//! tools use is understood: `type` (object, string, integer, boolean, array), `properties`,
//! `required`, `additionalProperties: false`, `enum`, `minimum`, `maximum`, `minLength`,
//! `items`.

use serde_json::Value;

/// Why the arguments do not fit: a message naming the argument and what is expected.
pub fn validate(schema: &Value, value: &Value) -> Result<(), String> {
    check(schema, value, "arguments")
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn check(schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    if let Some(expected) = schema.get("type").and_then(Value::as_str) {
        let actual = type_name(value);
        let fits = actual == expected || (expected == "number" && actual == "integer");
        if !fits {
            return Err(format!("{at}: expected {expected}, got {actual}"));
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array)
        && !options.contains(value)
    {
        let names: Vec<String> = options.iter().map(Value::to_string).collect();
        return Err(format!("{at}: expected one of {}, got {value}", names.join(", ")));
    }
    if let Some(number) = value.as_f64() {
        if let Some(minimum) = schema.get("minimum").and_then(Value::as_f64)
            && number < minimum
        {
            return Err(format!("{at}: must be at least {minimum}, got {value}"));
        }
        if let Some(maximum) = schema.get("maximum").and_then(Value::as_f64)
            && number > maximum
        {
            return Err(format!("{at}: must be at most {maximum}, got {value}"));
        }
    }
    if let (Some(text), Some(min)) = (value.as_str(), schema.get("minLength").and_then(Value::as_u64))
        && (text.chars().count() as u64) < min
    {
        return Err(format!("{at}: must not be empty"));
    }
    if let (Some(items), Some(schema)) = (value.as_array(), schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            check(schema, item, &format!("{at}[{i}]"))?;
        }
    }
    if let Some(object) = value.as_object() {
        let properties = schema.get("properties").and_then(Value::as_object);
        for name in schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
            if !object.contains_key(name) {
                return Err(format!("{at}: `{name}` is required"));
            }
        }
        let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
        for (name, item) in object {
            match properties.and_then(|p| p.get(name)) {
                Some(schema) => check(schema, item, &format!("`{name}`"))?,
                None if closed => {
                    let known: Vec<&String> = properties.map(|p| p.keys().collect()).unwrap_or_default();
                    let known: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
                    return Err(format!("{at}: unknown argument `{name}` (expected {})", known.join(", ")));
                }
                None => {}
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_subset_is_enforced() {
        let schema = json!({
            "type": "object",
            "properties": {
                "path": {"type": "string", "minLength": 1},
                "line": {"type": "integer", "minimum": 1},
                "scope": {"type": "string", "enum": ["all", "code"]},
                "rules": {"type": "array", "items": {"type": "string"}},
            },
            "required": ["path"],
            "additionalProperties": false,
        });
        assert_eq!(validate(&schema, &json!({"path": "a.bsl", "line": 3})), Ok(()));
        assert_eq!(validate(&schema, &json!({})).unwrap_err(), "arguments: `path` is required");
        assert_eq!(validate(&schema, &json!({"path": ""})).unwrap_err(), "`path`: must not be empty");
        assert_eq!(
            validate(&schema, &json!({"path": "a", "line": 0})).unwrap_err(),
            "`line`: must be at least 1, got 0"
        );
        assert_eq!(
            validate(&schema, &json!({"path": "a", "line": "3"})).unwrap_err(),
            "`line`: expected integer, got string"
        );
        assert!(validate(&schema, &json!({"path": "a", "scope": "x"})).unwrap_err().contains("expected one of"));
        assert!(validate(&schema, &json!({"path": "a", "rules": [1]})).unwrap_err().starts_with("`rules`[0]"));
        assert!(
            validate(&schema, &json!({"path": "a", "colour": 1})).unwrap_err().contains("unknown argument `colour`")
        );
        assert_eq!(validate(&schema, &json!([])).unwrap_err(), "arguments: expected object, got array");
    }
}

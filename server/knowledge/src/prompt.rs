//! Prompt templates: a Markdown body with `{{variable}}` placeholders under TOML front matter
//! fenced by `+++` lines that names the role, the task and the variables.

use std::collections::BTreeSet;
use std::fmt;

use serde::Deserialize;

/// A prompt for one task of one assistant role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromptTemplate {
    /// `developer`, `reviewer`, `tester`, `architect`, `project_manager`, `analyst`.
    pub role: String,
    /// `doc_comment`, `explain`, `generate`, `review`, ...
    pub task: String,
    pub description: String,
    /// Every placeholder the body uses; all must be given to [`PromptTemplate::render`].
    pub variables: Vec<String>,
    pub body: String,
    pub source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FrontMatter {
    pub role: String,
    pub task: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub variables: Vec<String>,
}

/// Why a prompt could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderError {
    /// A declared variable was not given a value.
    Missing(String),
    /// A value was given for a variable the template does not declare.
    Unknown(String),
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::Missing(name) => write!(f, "no value for the prompt variable `{name}`"),
            RenderError::Unknown(name) => write!(f, "the prompt has no variable `{name}`"),
        }
    }
}

impl std::error::Error for RenderError {}

impl PromptTemplate {
    /// Fills every `{{name}}` with its value. Values are inserted verbatim (a value that itself
    /// contains `{{x}}` is not expanded again).
    pub fn render(&self, values: &[(&str, &str)]) -> Result<String, RenderError> {
        for (name, _) in values {
            if !self.variables.iter().any(|v| v == name) {
                return Err(RenderError::Unknown((*name).to_string()));
            }
        }
        for variable in &self.variables {
            if !values.iter().any(|(name, _)| name == variable) {
                return Err(RenderError::Missing(variable.clone()));
            }
        }
        let mut out = String::with_capacity(self.body.len());
        let mut rest = self.body.as_str();
        while let Some((start, end, name)) = next_placeholder(rest) {
            out.push_str(&rest[..start]);
            let value = values.iter().find(|(n, _)| *n == name).map(|(_, v)| *v).unwrap_or_default();
            out.push_str(value);
            rest = &rest[end..];
        }
        out.push_str(rest);
        Ok(out)
    }

    /// The placeholder names the body uses, sorted.
    pub fn placeholders(&self) -> BTreeSet<String> {
        placeholders(&self.body)
    }
}

/// The names of `{{name}}` placeholders in a text.
pub(crate) fn placeholders(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some((_, end, name)) = next_placeholder(rest) {
        names.insert(name.to_string());
        rest = &rest[end..];
    }
    names
}

/// The next `{{ name }}` in `text`: its byte range and the trimmed name.
fn next_placeholder(text: &str) -> Option<(usize, usize, &str)> {
    let mut from = 0;
    loop {
        let start = from + text[from..].find("{{")?;
        let close = start + 2 + text[start + 2..].find("}}")?;
        let name = text[start + 2..close].trim();
        if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return Some((start, close + 2, name));
        }
        from = start + 2;
    }
}

/// Splits `+++\n<toml>\n+++\n<body>`; returns the front matter, the body and the body's first line.
pub(crate) fn split_front_matter(text: &str) -> Option<(&str, &str, usize)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text.strip_prefix("+++")?;
    let rest = rest.strip_prefix("\r\n").or_else(|| rest.strip_prefix('\n'))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let front = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let body_line = front.lines().count() + 3;
            return Some((front, body.trim_start_matches(['\r', '\n']), body_line));
        }
        offset += line.len();
    }
    None
}

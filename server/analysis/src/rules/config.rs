//! Rule settings as plain data: which rules run, their severities and parameters, the
//! message language. Reading them from files is the job of the layers above.

use std::collections::HashMap;

use super::RuleMeta;
use crate::diagnostic::Severity;

/// The language of messages, fix titles and documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    Ru,
    En,
}

impl Language {
    pub fn from_name(name: &str) -> Option<Language> {
        match name.to_ascii_lowercase().as_str() {
            "ru" | "russian" => Some(Language::Ru),
            "en" | "english" => Some(Language::En),
            _ => None,
        }
    }
}

/// A configured parameter value.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    Int(i64),
    Bool(bool),
    Str(String),
}

/// Settings of one rule; `None` keeps the rule's default.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleConfig {
    pub enabled: Option<bool>,
    pub severity: Option<Severity>,
    pub params: HashMap<String, ParamValue>,
}

/// Which rules run when a configuration does not name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Rules that are on by default, plus those switched on.
    #[default]
    Default,
    /// Every rule, except those switched off.
    All,
    /// Only the rules switched on.
    Only,
    /// No rule at all.
    Off,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    pub language: Language,
    pub mode: Mode,
    /// Keyed by rule code.
    pub rules: HashMap<String, RuleConfig>,
}

impl Config {
    pub fn is_enabled(&self, meta: &RuleMeta) -> bool {
        let explicit = self.rules.get(meta.code).and_then(|r| r.enabled);
        match self.mode {
            Mode::Off => false,
            Mode::Only => explicit == Some(true),
            Mode::All => explicit != Some(false),
            Mode::Default => explicit.unwrap_or(meta.enabled_by_default),
        }
    }
}

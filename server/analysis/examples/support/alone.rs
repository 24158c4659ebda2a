//! The configurations that run one default rule alone, for the cost examples.

use bsl_analysis::catalog;
use bsl_analysis::rules::config::Mode;
use bsl_analysis::rules::{Config, RuleConfig};

/// For each rule on by default: a configuration with that rule only, and its code.
pub fn each_default_rule() -> impl Iterator<Item = (Config, &'static str)> {
    catalog().iter().map(|registered| registered.rule.meta()).filter(|meta| meta.enabled_by_default).map(|meta| {
        let mut config = Config { mode: Mode::Only, ..Config::default() };
        config.rules.insert(meta.code.to_string(), RuleConfig { enabled: Some(true), ..RuleConfig::default() });
        (config, meta.code)
    })
}

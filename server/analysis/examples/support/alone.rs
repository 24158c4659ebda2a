//! What the rule-cost examples share: the configurations that run one default rule alone,
//! and the thread's CPU time.

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

/// This thread's CPU time in milliseconds, so other work on the machine does not count
/// (Linux; the kernel may count it in scheduler ticks, so figures are averages of many runs).
pub fn cpu_ms() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |ns| ns / 1e6)
}

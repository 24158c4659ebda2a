//! What each rule costs while the user types: after a one-character edit in the middle of a
//! module, the CPU time of `check_cached` with every default rule, and with each rule alone
//! (minus the engine's own share). A tool for finding the rule that makes typing slow in a
//! large module:
//!
//! `cargo run --release -p bsl-analysis --example rule_costs -- <module.bsl> [edits]`

use bsl_analysis::RuleSet;
use bsl_analysis::rules::config::Mode;
use bsl_analysis::rules::{CheckCache, Config};
use bsl_syntax::Parse;

#[path = "support/alone.rs"]
mod alone;
use alone::cpu_ms;
#[path = "support/keystroke.rs"]
mod keystroke;

fn main() {
    let module = keystroke::Module::from_args("rule_costs");
    let (path, text, kind, edits) = (&module.path, &module.text, module.kind, module.edits);

    // Mean CPU time of an edit and the check after it, for one configuration.
    let measure = |config: Config| -> (f64, f64) {
        let rules = RuleSet::new(&config);
        let mut parse = Parse::new(text.as_str());
        let mut cache = CheckCache::sequential();
        rules.check_cached(&parse, kind, &mut cache);
        let (mut edit_ms, mut check_ms) = (0.0, 0.0);
        for i in 0..edits {
            let started = cpu_ms();
            parse.edit(&module.keystroke(i));
            let edited = cpu_ms();
            std::hint::black_box(rules.check_cached(&parse, kind, &mut cache));
            edit_ms += edited - started;
            check_ms += cpu_ms() - edited;
        }
        (edit_ms / edits as f64, check_ms / edits as f64)
    };

    let (edit, all) = measure(Config::default());
    let (_, engine) = measure(Config { mode: Mode::Off, ..Config::default() });
    let probe = Parse::new(text.as_str());
    let root = probe.root();
    let parts = root.child_count();
    let methods = probe.module().methods.len();
    println!("{path}: {} bytes, {parts} top-level parts ({methods} methods), {edits} edits", text.len());
    println!("reparse {edit:.2} ms; check with the default rules {all:.2} ms, of which the engine {engine:.2} ms");
    let mut rows = Vec::new();
    for (config, code) in alone::each_default_rule() {
        let scope = bsl_analysis::rules::find_rule(code).expect("a rule of the catalog").rule.scope();
        let (_, alone) = measure(config);
        rows.push((alone - engine, code, scope));
    }
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!("{:>9}  rule (scope)", "ms");
    for (ms, code, scope) in rows.iter().take(25) {
        println!("{ms:>9.2}  {code} ({scope:?})");
    }
}

//! Edit-to-diagnostics in the analysis layer alone: one-character edits in the middle of a
//! module, each followed by `RuleSet::check_cached`, printing the median and p99 latency.
//! `cargo run --release -p bsl-analysis --example edit_check -- <module.bsl> [edits]
//! [--sequential]`; handy (with `--sequential`) under `valgrind --tool=callgrind` to see
//! where an edit's time goes. Runs with the allocator of the `bsl-assist` binary.

use std::time::Instant;

use bsl_analysis::RuleSet;
use bsl_analysis::rules::{CheckCache, Config};
use bsl_syntax::Parse;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/keystroke.rs"]
mod keystroke;

fn main() {
    let module = keystroke::Module::from_args("edit_check");
    let (text, kind, edits) = (&module.text, module.kind, module.edits);
    let rules = RuleSet::new(&Config::default());
    let mut parse = Parse::new(text.as_str());
    // As the server checks: module-wide rules beside the walk, unless told to keep to one thread.
    let sequential = std::env::args().any(|a| a == "--sequential");
    let mut cache = if sequential { CheckCache::sequential() } else { CheckCache::default() };
    let first = rules.check_cached(&parse, kind, &mut cache);
    let mut times = Vec::new();
    let mut last = 0;
    for i in 0..edits {
        let started = Instant::now();
        parse.edit(&module.keystroke(i));
        last = rules.check_cached(&parse, kind, &mut cache).len();
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let pick = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    println!(
        "{}: {} findings, then {last}; {edits} edits: p50 {:.2} ms, p99 {:.2} ms",
        module.path,
        first.len(),
        pick(0.5),
        pick(0.99)
    );
}

//! Edit-to-diagnostics in the analysis layer alone: one-character edits in the middle of a
//! module, each followed by `RuleSet::check_cached`, printing the median and p99 latency.
//! `cargo run --release -p bsl-analysis --example edit_check -- <module.bsl> [edits]`; handy
//! under `valgrind --tool=callgrind` to see where an edit's time goes.

use std::time::Instant;

use bsl_analysis::rules::{CheckCache, Config};
use bsl_analysis::{ModuleKind, RuleSet};
use bsl_syntax::{Parse, TextEdit};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: edit_check <module.bsl> [edits]");
        std::process::exit(2);
    };
    let edits: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(40);
    let bytes = std::fs::read(&path).expect("readable module");
    let text = bsl_syntax::source::decode(&bytes).expect("a text module");
    let kind = ModuleKind::from_path(std::path::Path::new(&path));
    let rules = RuleSet::new(&Config::default());
    let mut parse = Parse::new(text.as_str());
    let mut cache = CheckCache::default();
    let first = rules.check_cached(&parse, kind, &mut cache);
    let middle = text.len() / 2;
    let at = text[middle..].find(|c: char| c.is_alphabetic()).map_or(middle, |i| middle + i);
    let width = text[at..].chars().next().map_or(0, char::len_utf8);
    let mut times = Vec::new();
    let mut last = 0;
    for i in 0..edits {
        let started = Instant::now();
        if i % 2 == 0 {
            parse.edit(&TextEdit::new(at..at + width, "Ж"));
        } else {
            parse.edit(&TextEdit::new(at..at + "Ж".len(), &text[at..at + width]));
        }
        last = rules.check_cached(&parse, kind, &mut cache).len();
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let pick = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    println!("{} findings, then {last}; {edits} edits: p50 {:.2} ms, p99 {:.2} ms", first.len(), pick(0.5), pick(0.99));
}

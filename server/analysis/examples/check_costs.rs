//! What each rule costs in `check` over a whole folder: the modules are parsed once, then
//! checked with every default rule, with none (the engine's own share: facts, flat lists,
//! suppressions) and with each rule alone. A tool for finding where `check` of a large
//! configuration spends its time, on one thread so the figures add up:
//!
//! `cargo run --release -p bsl-analysis --example check_costs -- <folder> [every-nth-module]`

use std::path::{Path, PathBuf};

use bsl_analysis::rules::Config;
use bsl_analysis::rules::config::Mode;
use bsl_analysis::{ModuleKind, RuleSet};
use bsl_syntax::Parse;

#[path = "support/alone.rs"]
mod alone;
use alone::cpu_ms;

fn modules(folder: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            modules(&path, out);
        } else if path.extension().is_some_and(|e| e == "bsl" || e == "os") {
            out.push(path);
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let folder = PathBuf::from(args.next().expect("usage: check_costs <folder> [every-nth-module]"));
    let every: usize = args.next().map_or(1, |n| n.parse().expect("a number"));
    let mut paths = Vec::new();
    modules(&folder, &mut paths);
    let paths: Vec<PathBuf> = paths.into_iter().step_by(every.max(1)).collect();
    let texts: Vec<(String, ModuleKind)> = paths
        .iter()
        .filter_map(|p| Some((String::from_utf8_lossy(&std::fs::read(p).ok()?).into_owned(), ModuleKind::from_path(p))))
        .collect();
    let started = cpu_ms();
    let parses: Vec<(Parse, ModuleKind)> = texts.iter().map(|(t, k)| (Parse::new(t.as_str()), *k)).collect();
    let parse_ms = cpu_ms() - started;

    let measure = |config: Config| -> f64 {
        let rules = RuleSet::new(&config);
        let started = cpu_ms();
        for (parse, kind) in &parses {
            std::hint::black_box(rules.check(parse, *kind));
        }
        cpu_ms() - started
    };
    let all = measure(Config::default());
    let engine = measure(Config { mode: Mode::Off, ..Config::default() });
    let bytes: usize = texts.iter().map(|(t, _)| t.len()).sum();
    println!("{}: {} modules, {} MB", folder.display(), parses.len(), bytes / 1_000_000);
    println!("parse {parse_ms:.0} ms; check with the default rules {all:.0} ms, of which the engine {engine:.0} ms");
    let mut rows = Vec::new();
    for (config, code) in alone::each_default_rule() {
        rows.push((measure(config) - engine, code));
    }
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    let sum: f64 = rows.iter().map(|r| r.0).sum();
    println!("the rules alone add up to {sum:.0} ms");
    println!("{:>8}  rule", "ms");
    for (ms, code) in &rows {
        println!("{ms:>8.0}  {code}");
    }
}

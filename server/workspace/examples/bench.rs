//! Indexes a workspace and prints the time, the counts and the peak resident memory:
//! `cargo run --release -p bsl-workspace --example bench [folder ...]` (SSL 3.1 from the
//! shared corpus by default).

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut roots: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if roots.is_empty() {
        roots.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/ssl_3_1"));
    }
    let start = Instant::now();
    let projects = bsl_workspace::discover(&roots);
    let discovered = start.elapsed();
    let (index, report) = bsl_workspace::load_with_report(&projects, |_, _| {});
    let total = start.elapsed();
    println!("projects: {}", projects.len());
    for project in &projects {
        println!(
            "  {:?} {} {:?}{}",
            project.format,
            project.root.display(),
            project.name.as_deref().unwrap_or(""),
            if project.is_extension { " (extension)" } else { "" }
        );
    }
    println!(
        "modules: {}, metadata files: {}, {:.1} MB read, {} unreadable, {} broken metadata",
        report.modules,
        report.metadata_files,
        report.bytes as f64 / 1e6,
        report.unreadable.len(),
        report.metadata_errors.len()
    );
    let methods: usize = index.modules().map(|m| m.methods.len()).sum();
    println!("methods: {methods}, threads: {}", rayon::current_num_threads());
    println!(
        "discover: {:.0} ms, discover + index: {:.0} ms",
        discovered.as_secs_f64() * 1e3,
        total.as_secs_f64() * 1e3
    );
    match bsl_workspace::peak_rss_kb() {
        Some(kb) => println!("peak RSS (VmHWM): {:.0} MB", kb as f64 / 1024.0),
        None => println!("peak RSS: not reported by this system"),
    }
}

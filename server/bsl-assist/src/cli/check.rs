//! `bsl-assist check`: runs the enabled rules over every module on all cores and streams
//! the findings in the chosen format; `--fix` applies safe fixes, `--fail-on` sets which
//! severities fail the run, `--stats` counts findings per rule.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use bsl_analysis::Severity;
use bsl_analysis::rules::config_file::{FileConfig, parse_bsl_ls_json, parse_toml};
use bsl_analysis::rules::{Language, RuleSet, find_rule};
use clap::Args;

use super::scan::{Work, scan};
use crate::files::discover;
use crate::report::{Format, display_path, findings_of, reporter};

#[derive(Args)]
pub struct CheckArgs {
    /// Files or directories; directories are searched for `.bsl` and `.os` files.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Console)]
    format: Format,
    /// Write the report to a file instead of standard output.
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
    /// Configuration file (default: `.bsl-assist.toml`, else `.bsl-language-server.json`,
    /// in the first path's folder or the nearest folder above it).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Run only these rules (comma-separated codes), including rules that are off by default.
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Language of messages: ru or en (overrides the configuration).
    #[arg(long)]
    language: Option<String>,
    /// Apply the rules' safe fixes to the files, then report what is left.
    #[arg(long)]
    fix: bool,
    /// Exit with 1 only when a finding is at least this severe.
    #[arg(long, value_parser = parse_severity, default_value = "info")]
    fail_on: Severity,
    /// Print the number of findings per rule (to standard error for machine formats).
    #[arg(long)]
    stats: bool,
    /// Analyse only shard K of N (`2/4`): a stable quarter of the modules, chosen by a hash
    /// of each path relative to the folder given, so CI machines can split the work and
    /// `bsl-assist merge` can join their reports.
    #[arg(long, value_parser = parse_shard)]
    shard: Option<(u64, u64)>,
    /// Worker threads (0: one per core).
    #[arg(long, short = 'j', default_value_t = 0)]
    jobs: usize,
}

fn parse_shard(text: &str) -> Result<(u64, u64), String> {
    let (k, n) = text.split_once('/').ok_or("expected K/N, for example 1/4")?;
    let (k, n): (u64, u64) = (k.parse().map_err(|_| "K is not a number")?, n.parse().map_err(|_| "N is not a number")?);
    if n == 0 || k == 0 || k > n {
        return Err(format!("shard {k}/{n}: K must be between 1 and N"));
    }
    Ok((k, n))
}

/// Whether a file belongs to shard `k` of `n`: FNV-1a of its path relative to `base`, so
/// the split is the same on every machine.
fn in_shard(file: &Path, base: &Path, (k, n): (u64, u64)) -> bool {
    let relative = file.strip_prefix(base).unwrap_or(file).to_string_lossy().replace('\\', "/");
    let mut hash: u64 = 0xcbf29ce484222325;
    for byte in relative.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x100000001b3);
    }
    hash % n == k - 1
}

fn parse_severity(name: &str) -> Result<Severity, String> {
    Severity::from_name(name).ok_or_else(|| format!("expected info, minor, major, critical or blocker, got `{name}`"))
}

/// Finds and reads the configuration; a broken file is an error naming its position.
fn load_config(args: &CheckArgs) -> anyhow::Result<(FileConfig, Option<PathBuf>)> {
    let path = match &args.config {
        Some(path) => Some(path.clone()),
        None => discover_config(&args.paths[0]),
    };
    let Some(path) = path else { return Ok((FileConfig::default(), None)) };
    let text = std::fs::read_to_string(&path).with_context(|| format!("{}: cannot read", path.display()))?;
    let is_json = path.extension().is_some_and(|e| e == "json");
    let parsed = if is_json { parse_bsl_ls_json(&text) } else { parse_toml(&text) };
    let config = parsed.map_err(|error| anyhow::anyhow!("{}:{error}", path.display()))?;
    Ok((config, Some(path)))
}

fn discover_config(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    let mut dir = if start.is_dir() { Some(start.as_path()) } else { start.parent() };
    while let Some(current) = dir {
        for name in [".bsl-assist.toml", ".bsl-language-server.json"] {
            let candidate = current.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        dir = current.parent();
    }
    None
}

fn exclusions(config: &FileConfig, config_path: Option<&Path>) -> anyhow::Result<Option<(globset::GlobSet, PathBuf)>> {
    if config.exclude.is_empty() {
        return Ok(None);
    }
    let mut builder = globset::GlobSetBuilder::new();
    for pattern in &config.exclude {
        builder.add(globset::Glob::new(pattern).with_context(|| format!("exclude: bad glob `{pattern}`"))?);
    }
    let base = config_path.and_then(Path::parent).map(Path::to_path_buf).unwrap_or_default();
    Ok(Some((builder.build()?, std::fs::canonicalize(&base).unwrap_or(base))))
}

pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let (file_config, config_path) = load_config(args)?;
    let mut config = file_config.config.clone();
    if let Some(language) = &args.language {
        config.language = Language::from_name(language)
            .ok_or_else(|| anyhow::anyhow!("--language: expected ru or en, got `{language}`"))?;
    }
    let rules = if args.select.is_empty() {
        RuleSet::new(&config)
    } else {
        let mut selected = Vec::new();
        for code in &args.select {
            let Some(rule) = find_rule(code) else { bail!("--select: no rule `{code}`") };
            selected.push(rule.rule);
        }
        RuleSet::from_rules(selected, &config)
    };
    let mut files = discover(&args.paths)?;
    if let Some((globs, base)) = exclusions(&file_config, config_path.as_deref())? {
        files.retain(|file| {
            let absolute = std::fs::canonicalize(file).unwrap_or_else(|_| file.clone());
            let relative = absolute.strip_prefix(&base).unwrap_or(&absolute);
            !globs.is_match(relative)
        });
    }

    if let Some(shard) = args.shard {
        let base = if args.paths[0].is_dir() { args.paths[0].clone() } else { PathBuf::new() };
        files.retain(|file| in_shard(file, &base, shard));
    }

    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("{}: cannot create", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let color = args.output.is_none() && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut reporter = reporter(args.format, color);
    let progress = std::io::stderr().is_terminal() && files.len() > 200;
    let total = files.len();
    let mut per_rule: BTreeMap<&'static str, usize> = BTreeMap::new();
    let (mut failing, mut fixed, mut done) = (0usize, 0usize, 0usize);
    let totals = scan(&files, args.jobs, Work::Rules { rules: &rules, fix: args.fix }, |report| {
        done += 1;
        fixed += report.fixed;
        for finding in findings_of(&report) {
            *per_rule.entry(finding.code).or_default() += 1;
            if finding.severity >= args.fail_on {
                failing += 1;
            }
        }
        reporter.file(&report, &mut out)?;
        if progress && (done % 50 == 0 || done == total) {
            let width = 30 * done / total.max(1);
            eprint!(
                "\r[{}{}] {done}/{total} {}",
                "#".repeat(width),
                " ".repeat(30 - width),
                display_path(&report.path)
            );
            eprint!("\x1b[K");
        }
        Ok(())
    })?;
    if progress {
        eprint!("\r\x1b[K");
    }
    reporter.finish(&totals, &mut out)?;
    let human = matches!(args.format, Format::Console | Format::Text) && args.output.is_none();
    let mut side: Box<dyn Write> = if human { Box::new(&mut out) } else { Box::new(std::io::stderr()) };
    if args.stats {
        writeln!(
            side,
            "\nTime: {:.2} s wall, {:.2} s CPU, peak memory {} MB, {} files",
            totals.wall.as_secs_f64(),
            totals.cpu.as_secs_f64(),
            super::scan::peak_memory_kb() / 1024,
            totals.files
        )?;
        writeln!(side, "\nFindings per rule:")?;
        let mut counts: Vec<_> = per_rule.iter().collect();
        counts.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (code, count) in counts {
            writeln!(side, "{count:>8}  {code}")?;
        }
    }
    if args.fix {
        writeln!(side, "Fixed {fixed} problems.")?;
    }
    drop(side);
    out.flush()?;
    Ok(if failing > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

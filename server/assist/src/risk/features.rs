//! Feature vectors of methods at points in time, and SZZ-style labels.
//!
//! [`snapshots_at`] replays the mined history oldest first and, at each cutoff time, emits
//! one [`Example`] per method alive then (every method of every module file's latest blob)
//! with what the history knew up to that moment plus the method's static metrics at that
//! revision; moved modules keep their history, whitespace-only changes count for no
//! activity. [`labels_for`] marks the methods that a fix commit changed in the following
//! window: the lines a fix commit deleted or modified, and its insertion points, mapped onto
//! the methods of the fix's parent revision (at the path the module had at the window's
//! start). [`labels_with`] may leave out whitespace-only changes and large fix commits,
//! for training labels only.

use std::collections::{HashMap, HashSet};

use regex::Regex;

use super::history::History;

/// The features, in vector order: a name and how to say a value in words.
pub const FEATURE_NAMES: &[&str] = &[
    "commits",
    "churn",
    "relative_churn",
    "authors",
    "age_days",
    "days_since_change",
    "fix_commits",
    "recent_commits",
    "change_entropy",
    "file_commits",
    "cyclomatic",
    "cognitive",
    "nesting",
    "lines",
    "parameters",
    "queries",
    "transactions",
    "comment_ratio",
    "fan_out",
    "export",
    "recent_churn",
    "recent_fix_commits",
    "days_since_fix",
    "file_fix_commits",
    "file_recent_commits",
    "repo_recent_commits",
    "fix_churn",
    "blamed_fixes",
    "decayed_commits",
    "decayed_churn",
    "decayed_fixes",
    "yearly_authors",
    "yearly_commits",
    "file_methods",
    "file_lines",
    "file_recent_fix_commits",
    "repo_recent_fix_commits",
    "repo_days_since_commit",
    "file_decayed_fixes",
    "repo_decayed_fixes",
    "recent_authors",
    "file_days_since_fix",
    "repo_fix_share",
];

/// Days back that `recent_commits` and the other recent counts look.
const RECENT_DAYS: i64 = 90;
/// Days back that `recent_fix_commits` counts.
const RECENT_FIX_DAYS: i64 = 180;
/// The half-life of `decayed_commits` and `decayed_churn`, in days.
const DECAY_DAYS: f64 = 90.0;
/// The half-life of `decayed_fixes`, in days.
const FIX_DECAY_DAYS: f64 = 180.0;
/// The cap of the spans of time in the model's input, in days.
pub const TIME_CAP_DAYS: f64 = 365.0;
/// `days_since_fix` of a method never fixed: its age plus this.
const NEVER_FIXED_DAYS: f64 = 3650.0;
const DAY: i64 = 86_400;

/// Recognizes fix commits by their message.
#[derive(Debug, Clone)]
pub struct FixMatcher {
    patterns: Vec<Regex>,
}

/// The default fix-message patterns (case-insensitive), Russian and English.
/// Besides "fix"/"исправ"/"ошибк", gitsync's history says "поправил", "ошибочный",
/// "опечатка", "перепутал" and "typo" for fixes.
pub const DEFAULT_FIX_PATTERNS: &[&str] = &[
    r"исправ",
    r"ошиб",
    r"баг",
    r"падени",
    r"поправ",
    r"опечат",
    r"перепут",
    r"\btypo",
    r"\bfix",
    r"\bbug",
    r"\bhotfix",
    r"\berror\b",
    r"\bcrash",
    r"\bdefect",
];

impl FixMatcher {
    /// Compiles the patterns (each made case-insensitive).
    pub fn new(patterns: &[String]) -> anyhow::Result<FixMatcher> {
        let patterns = patterns.iter().map(|p| Regex::new(&format!("(?i){p}"))).collect::<Result<Vec<_>, _>>()?;
        Ok(FixMatcher { patterns })
    }

    /// Whether a commit message describes a fix. Merge commits' messages are not read here.
    pub fn is_fix(&self, message: &str) -> bool {
        self.patterns.iter().any(|p| p.is_match(message))
    }
}

/// A method at a point in time.
#[derive(Debug, Clone)]
pub struct Example {
    pub path: String,
    pub method: String,
    /// Raw values, in [`FEATURE_NAMES`] order.
    pub raw: Vec<f64>,
}

impl Example {
    /// The model's input: counts on a log scale; spans of time capped at
    /// [`TIME_CAP_DAYS`] first, so a model does not extrapolate them through the years a
    /// repository lies quiet ("over a year ago" is all the same).
    pub fn features(&self) -> Vec<f64> {
        self.raw
            .iter()
            .enumerate()
            .map(|(i, &x)| match FEATURE_NAMES[i] {
                "authors" | "nesting" | "parameters" | "comment_ratio" | "export" | "change_entropy"
                | "repo_fix_share" => x,
                "age_days"
                | "days_since_change"
                | "days_since_fix"
                | "repo_days_since_commit"
                | "file_days_since_fix" => x.clamp(0.0, TIME_CAP_DAYS).ln_1p(),
                _ => x.max(0.0).ln_1p(),
            })
            .collect()
    }

    pub fn churn(&self) -> f64 {
        self.raw[1]
    }

    pub fn complexity(&self) -> f64 {
        self.raw[11] + self.raw[10]
    }

    /// A key for matching the same method across times: path and lower-cased name.
    pub fn key(&self) -> (String, String) {
        (self.path.clone(), self.method.to_lowercase())
    }
}

/// Describes a feature value in words, for the reasons of a score.
pub fn describe(feature: usize, value: f64) -> String {
    let v = value.round() as i64;
    match FEATURE_NAMES[feature] {
        "commits" => format!("changed in {v} commits"),
        "churn" => format!("{v} lines added or deleted over its history"),
        "relative_churn" => format!("rewritten about {value:.1} times over (churn / size)"),
        "authors" => format!("{v} distinct authors"),
        "age_days" => format!("first seen {v} days ago"),
        "days_since_change" => format!("last changed {v} days ago"),
        "fix_commits" => format!("touched by {v} fix commits"),
        "recent_commits" => format!("{v} commits in the last {RECENT_DAYS} days"),
        "change_entropy" => format!("scattered changes (entropy {value:.1})"),
        "file_commits" => format!("its module changed in {v} commits"),
        "cyclomatic" => format!("cyclomatic complexity {v}"),
        "cognitive" => format!("cognitive complexity {v}"),
        "nesting" => format!("nesting depth {v}"),
        "lines" => format!("{v} lines long"),
        "parameters" => format!("{v} parameters"),
        "queries" => format!("builds {v} queries"),
        "transactions" => format!("opens {v} transactions"),
        "comment_ratio" => format!("comment ratio {:.0}%", value * 100.0),
        "fan_out" => format!("makes {v} calls"),
        "recent_churn" => format!("{v} lines changed in the last {RECENT_DAYS} days"),
        "recent_fix_commits" => format!("{v} fix commits in the last {RECENT_FIX_DAYS} days"),
        "days_since_fix" => format!("last fixed {v} days ago"),
        "file_fix_commits" => format!("its module was fixed in {v} commits"),
        "file_recent_commits" => format!("its module changed in {v} commits in the last {RECENT_DAYS} days"),
        "repo_recent_commits" => format!("{v} commits in the repository in the last {RECENT_DAYS} days"),
        "fix_churn" => format!("{v} lines changed by fix commits"),
        "blamed_fixes" => format!("fix commits changed its existing lines {v} times"),
        "decayed_commits" => format!("changed often lately ({value:.1} commits, weighted by recency)"),
        "decayed_churn" => format!("much changed lately ({v} lines, weighted by recency)"),
        "decayed_fixes" => format!("fixed lately ({value:.1} fix commits, weighted by recency)"),
        "yearly_authors" => format!("{v} authors in the last year"),
        "yearly_commits" => format!("{v} commits in the last year"),
        "file_methods" => format!("its module has {v} methods"),
        "file_lines" => format!("its module has {v} lines in methods"),
        "file_recent_fix_commits" => format!("its module was fixed {v} times in the last {RECENT_FIX_DAYS} days"),
        "repo_recent_fix_commits" => format!("{v} fix commits in the repository in the last {RECENT_FIX_DAYS} days"),
        "repo_days_since_commit" => format!("the repository's last commit was {v} days ago"),
        "file_decayed_fixes" => format!("its module was fixed lately ({value:.1} fix commits, weighted by recency)"),
        "repo_decayed_fixes" => format!("{value:.1} fix commits in the repository lately, weighted by recency"),
        "recent_authors" => format!("{v} authors in the last {RECENT_DAYS} days"),
        "file_days_since_fix" => format!("its module was last fixed {v} days ago"),
        "repo_fix_share" => {
            format!("{:.0}% of the repository's commits in the last {RECENT_DAYS} days were fixes", value * 100.0)
        }
        "export" => {
            if v > 0 {
                "exported".to_string()
            } else {
                "not exported".to_string()
            }
        }
        other => format!("{other} {value:.1}"),
    }
}

#[derive(Default)]
struct Acc {
    commits: u32,
    added: u32,
    deleted: u32,
    authors: Vec<u32>,
    first: i64,
    last: i64,
    fixes: u32,
    /// Each touching commit, oldest first.
    touches: Vec<Touch>,
    entropy: f64,
}

/// One commit's change to a method.
struct Touch {
    time: i64,
    lines: u32,
    fix: bool,
    /// Whether it changed the method's existing lines (what SZZ blames).
    before: bool,
    author: u32,
}

#[derive(Default)]
struct FileAcc {
    commits: u32,
    fixes: u32,
    /// Each commit's time and whether it was a fix, oldest first.
    times: Vec<(i64, bool)>,
}

fn decay(age_seconds: i64, half_life_days: f64) -> f64 {
    (-(age_seconds.max(0) as f64) / (half_life_days * DAY as f64) * std::f64::consts::LN_2).exp()
}

/// The methods alive at each cutoff (ascending times), with their features then.
pub fn snapshots_at(history: &History, fix: &FixMatcher, cutoffs: &[i64]) -> Vec<Vec<Example>> {
    let mut out: Vec<Vec<Example>> = Vec::with_capacity(cutoffs.len());
    let mut files: HashMap<&str, &str> = HashMap::new();
    let mut file_accs: HashMap<&str, FileAcc> = HashMap::new();
    let mut repo_times: Vec<(i64, bool)> = Vec::new();
    let mut accs: HashMap<(String, String), Acc> = HashMap::new();
    let mut author_ids: HashMap<&str, u32> = HashMap::new();
    let mut next = 0usize;
    let emit = |cutoff: i64,
                files: &HashMap<&str, &str>,
                file_accs: &HashMap<&str, FileAcc>,
                accs: &HashMap<(String, String), Acc>,
                repo_times: &[(i64, bool)]|
     -> Vec<Example> {
        let mut examples = Vec::new();
        let mut paths: Vec<(&&str, &&str)> = files.iter().collect();
        paths.sort();
        let since = |days: i64| cutoff - days * DAY;
        let repo_recent = repo_times.iter().rev().take_while(|t| t.0 > since(RECENT_DAYS)).count() as f64;
        let repo_recent_fixes =
            repo_times.iter().rev().take_while(|t| t.0 > since(RECENT_FIX_DAYS)).filter(|t| t.1).count() as f64;
        let repo_days_since = repo_times.last().map_or(0.0, |t| ((cutoff - t.0) / DAY).max(0) as f64);
        let repo_decayed_fixes: f64 = repo_times.iter().filter(|t| t.1).map(|t| decay(cutoff - t.0, DECAY_DAYS)).sum();
        let repo_recent_fixes_short =
            repo_times.iter().rev().take_while(|t| t.0 > since(RECENT_DAYS)).filter(|t| t.1).count() as f64;
        let repo_fix_share = if repo_recent > 0.0 { repo_recent_fixes_short / repo_recent } else { 0.0 };
        for (path, blob) in paths {
            let Some(methods) = history.snapshots.get(*blob) else { continue };
            let file_default = FileAcc::default();
            let file = file_accs.get(path).unwrap_or(&file_default);
            let fc = file.commits as f64;
            let file_recent = file.times.iter().rev().take_while(|t| t.0 > since(RECENT_DAYS)).count() as f64;
            let file_recent_fixes =
                file.times.iter().rev().take_while(|t| t.0 > since(RECENT_FIX_DAYS)).filter(|t| t.1).count() as f64;
            let file_lines: f64 = methods.iter().map(|m| m.metrics.lines as f64).sum();
            let file_decayed_fixes: f64 =
                file.times.iter().filter(|t| t.1).map(|t| decay(cutoff - t.0, FIX_DECAY_DAYS)).sum();
            let file_days_since_fix = match file.times.iter().rev().find(|t| t.1) {
                Some(t) => ((cutoff - t.0) / DAY).max(0) as f64,
                None => TIME_CAP_DAYS,
            };
            for m in methods {
                let key = (path.to_string(), m.name.to_lowercase());
                let default = Acc::default();
                let acc = accs.get(&key).unwrap_or(&default);
                let s = &m.metrics;
                let churn = (acc.added + acc.deleted) as f64;
                let first = if acc.commits > 0 { acc.first } else { cutoff };
                let last = if acc.commits > 0 { acc.last } else { cutoff };
                let recent_touches = || acc.touches.iter().filter(|t| t.time > since(RECENT_DAYS));
                let recent = recent_touches().count() as f64;
                let recent_churn: f64 = recent_touches().map(|t| t.lines as f64).sum();
                let recent_fixes =
                    acc.touches.iter().filter(|t| t.fix && t.time > since(RECENT_FIX_DAYS)).count() as f64;
                let age = ((cutoff - first) / DAY).max(0) as f64;
                let days_since_fix = match acc.touches.iter().rev().find(|t| t.fix) {
                    Some(t) => ((cutoff - t.time) / DAY).max(0) as f64,
                    None => age + NEVER_FIXED_DAYS,
                };
                let fix_churn: f64 = acc.touches.iter().filter(|t| t.fix).map(|t| t.lines as f64).sum();
                let blamed = acc.touches.iter().filter(|t| t.fix && t.before).count() as f64;
                let decayed_commits: f64 = acc.touches.iter().map(|t| decay(cutoff - t.time, DECAY_DAYS)).sum();
                let decayed_churn: f64 =
                    acc.touches.iter().map(|t| t.lines as f64 * decay(cutoff - t.time, DECAY_DAYS)).sum();
                let decayed_fixes: f64 =
                    acc.touches.iter().filter(|t| t.fix).map(|t| decay(cutoff - t.time, FIX_DECAY_DAYS)).sum();
                let year = || acc.touches.iter().filter(|t| t.time > since(365));
                let mut yearly_authors: Vec<u32> = year().map(|t| t.author).collect();
                yearly_authors.sort_unstable();
                yearly_authors.dedup();
                let mut recent_authors: Vec<u32> = recent_touches().map(|t| t.author).collect();
                recent_authors.sort_unstable();
                recent_authors.dedup();
                let raw = vec![
                    acc.commits as f64,
                    churn,
                    churn / (s.lines.max(1) as f64),
                    acc.authors.len() as f64,
                    age,
                    ((cutoff - last) / DAY).max(0) as f64,
                    acc.fixes as f64,
                    recent,
                    acc.entropy,
                    fc,
                    s.cyclomatic as f64,
                    s.cognitive as f64,
                    s.nesting as f64,
                    s.lines as f64,
                    s.parameters as f64,
                    s.queries as f64,
                    s.transactions as f64,
                    s.comment_ratio as f64,
                    s.fan_out as f64,
                    if s.export { 1.0 } else { 0.0 },
                    recent_churn,
                    recent_fixes,
                    days_since_fix,
                    file.fixes as f64,
                    file_recent,
                    repo_recent,
                    fix_churn,
                    blamed,
                    decayed_commits,
                    decayed_churn,
                    decayed_fixes,
                    yearly_authors.len() as f64,
                    year().count() as f64,
                    methods.len() as f64,
                    file_lines,
                    file_recent_fixes,
                    repo_recent_fixes,
                    repo_days_since,
                    file_decayed_fixes,
                    repo_decayed_fixes,
                    recent_authors.len() as f64,
                    file_days_since_fix,
                    repo_fix_share,
                ];
                debug_assert_eq!(raw.len(), FEATURE_NAMES.len());
                examples.push(Example { path: path.to_string(), method: m.name.clone(), raw });
            }
        }
        examples
    };
    for commit in &history.commits {
        while next < cutoffs.len() && commit.time > cutoffs[next] {
            out.push(emit(cutoffs[next], &files, &file_accs, &accs, &repo_times));
            next += 1;
        }
        if commit.merge {
            continue;
        }
        let is_fix = fix.is_fix(&commit.message);
        repo_times.push((commit.time, is_fix));
        let next_id = author_ids.len() as u32;
        let author = *author_ids.entry(commit.author.as_str()).or_insert(next_id);
        let sizes: Vec<f64> =
            commit.files.iter().flat_map(|f| f.methods.iter().map(|m| (m.added + m.deleted).max(1) as f64)).collect();
        let entropy = normalized_entropy(&sizes);
        for change in &commit.files {
            if let Some(from) = &change.renamed_from {
                // A moved module keeps its history (and its methods theirs).
                files.remove(from.as_str());
                if let Some(file) = file_accs.remove(from.as_str()) {
                    file_accs.insert(change.path.as_str(), file);
                }
                let moved: Vec<(String, String)> = accs.keys().filter(|k| k.0 == *from).cloned().collect();
                for key in moved {
                    if let Some(acc) = accs.remove(&key) {
                        accs.insert((change.path.clone(), key.1), acc);
                    }
                }
            }
            match &change.blob {
                Some(blob) => {
                    files.insert(change.path.as_str(), blob.as_str());
                }
                None => {
                    files.remove(change.path.as_str());
                }
            }
            let file = file_accs.entry(change.path.as_str()).or_default();
            file.commits += 1;
            file.fixes += u32::from(is_fix);
            file.times.push((commit.time, is_fix));
            // Whitespace-only changes (re-indentation, blank lines) are no activity.
            for touch in change.methods.iter().filter(|t| !t.cosmetic) {
                let acc = accs.entry((change.path.clone(), touch.name.to_lowercase())).or_default();
                if acc.commits == 0 {
                    acc.first = commit.time;
                }
                acc.commits += 1;
                acc.added += touch.added;
                acc.deleted += touch.deleted;
                if !acc.authors.contains(&author) {
                    acc.authors.push(author);
                }
                acc.last = commit.time;
                acc.fixes += u32::from(is_fix);
                acc.touches.push(Touch {
                    time: commit.time,
                    lines: touch.added + touch.deleted,
                    fix: is_fix,
                    before: touch.before,
                    author,
                });
                acc.entropy += entropy;
            }
        }
    }
    while next < cutoffs.len() {
        out.push(emit(cutoffs[next], &files, &file_accs, &accs, &repo_times));
        next += 1;
    }
    out
}

/// Shannon entropy of a distribution of changed lines, normalized to 0..=1.
fn normalized_entropy(sizes: &[f64]) -> f64 {
    if sizes.len() < 2 {
        return 0.0;
    }
    let total: f64 = sizes.iter().sum();
    let h: f64 = sizes.iter().map(|s| s / total).filter(|p| *p > 0.0).map(|p| -p * p.log2()).sum();
    h / (sizes.len() as f64).log2()
}

/// The methods (path, lower-cased name) that fix commits in `(from, to]` changed at their
/// parent revision (at the path the module had at `from`).
pub fn labels_for(history: &History, fix: &FixMatcher, from: i64, to: i64) -> HashSet<(String, String)> {
    labels_with(history, fix, from, to, LabelFilter::EVERY_FIX)
}

/// Which fix commits and changes count as labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LabelFilter {
    /// Fix commits blaming more methods than this are left out (mostly refactorings or
    /// mass edits whose message mentions a fix).
    pub max_methods: usize,
    /// Whether whitespace-only changes of a method are left out.
    pub skip_cosmetic: bool,
}

impl LabelFilter {
    /// Every change of every fix commit: the labels of the issue's definition.
    pub const EVERY_FIX: LabelFilter = LabelFilter { max_methods: usize::MAX, skip_cosmetic: false };
}

/// [`labels_for`] counting only what `filter` keeps.
pub fn labels_with(
    history: &History,
    fix: &FixMatcher,
    from: i64,
    to: i64,
    filter: LabelFilter,
) -> HashSet<(String, String)> {
    let start = history.commits.partition_point(|c| c.time <= from);
    let mut out = HashSet::new();
    // Modules moved since `from`: their path now -> their path then.
    let mut moved: HashMap<&str, &str> = HashMap::new();
    for commit in history.commits[start..].iter().take_while(|c| c.time <= to) {
        if commit.merge {
            continue;
        }
        let is_fix = fix.is_fix(&commit.message);
        let counts = |t: &&super::history::MethodTouch| t.before && !(filter.skip_cosmetic && t.cosmetic);
        let blamed = commit.files.iter().map(|f| f.methods.iter().filter(counts).count()).sum::<usize>();
        for change in &commit.files {
            // The methods a change blames are those of its parent revision, at the path the
            // module had then.
            let before = change.renamed_from.as_deref().unwrap_or(&change.path);
            let then = moved.get(before).copied().unwrap_or(before);
            if is_fix && blamed <= filter.max_methods {
                for touch in change.methods.iter().filter(counts) {
                    out.insert((then.to_string(), touch.name.to_lowercase()));
                }
            }
            if change.renamed_from.is_some() {
                moved.insert(change.path.as_str(), then);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fix_patterns_in_both_languages() {
        let patterns: Vec<String> = DEFAULT_FIX_PATTERNS.iter().map(|s| s.to_string()).collect();
        let m = FixMatcher::new(&patterns).unwrap();
        assert!(m.is_fix("Исправлена ошибка в загрузке"));
        assert!(m.is_fix("fix #12: crash on empty input"));
        assert!(m.is_fix("Bugfix"));
        assert!(m.is_fix("Поправил поведение мин.версии"));
        assert!(m.is_fix("Мелкий ошибочный копипаст"));
        assert!(!m.is_fix("bump version"));
        assert!(!m.is_fix("prefix handling"));
        assert!((normalized_entropy(&[1.0, 1.0]) - 1.0).abs() < 1e-9);
    }
}

//! The defect-risk model: where will the next bug be?
//!
//! [`history::mine`] reads the repository with gix and records, per commit, the methods it
//! changed; [`features`] turns that into per-method feature vectors at points in time and
//! SZZ-style labels ("a fix commit changed this method in the next N days");
//! [`model::Logistic`] (or [`gbt::Gbt`]) learns them. [`RiskModel::load_or_train`] ties it
//! together:
//!
//! 1. mine incrementally (only commits not in the cache, `history.json`);
//! 2. if `model.json` was trained at the same `HEAD`, with the same options, model version
//!    and feedback, load it; otherwise
//! 3. cut the history into windows every 30 days. A window at time T holds every method
//!    alive at T with what was known then, labelled by the fix commits in (T, T + N days].
//!    The newest windows that hold a quarter of all positive labels are the evaluation
//!    set; the model is trained on the windows whose label period ends before the first of
//!    them, and its AUC and precision@k there are compared with the heuristic's on the same
//!    windows. The model's inputs are the features with counts on a log scale (spans of
//!    time capped at a year), standardized on the training windows;
//! 4. which model is trained is chosen on three rolling validation folds inside the
//!    training windows only (each validated by a model of the windows whose labels end
//!    before it): logistic regressions with L2 1, 10 or 100 on one of [`FEATURE_SETS`], and
//!    shallow boosted trees, trained on every change of every fix commit, or without
//!    whitespace-only changes, or also without fix commits blaming over 20 methods
//!    ([`LABEL_FILTERS`]), each scoring a window's methods by its log-odds, or by their
//!    percentile or standardized value within the window ([`Scale`]); the best mean pooled
//!    validation AUC wins, trees only when [`TREES_MARGIN`] better. The evaluation windows
//!    choose nothing;
//! 5. retrain the choice on all labelled windows plus the user's feedback (`feedback.jsonl`:
//!    applied risk actions count as positives, dismissed ones as negatives), map its scaled
//!    log-odds to probabilities ([`calibrate`]) and score the methods alive at `HEAD`; the top three
//!    contributions of a method's own features (the logistic terms, or the trees' path
//!    contributions) are its reasons.
//!
//! With too little history (fewer than [`RiskOptions::min_commits`] commits or
//! [`RiskOptions::min_positives`] positive training labels) the score is the heuristic
//! `percentile(churn) × percentile(cognitive + cyclomatic complexity)` and every answer says
//! so (`heuristic: true`, [`Evaluation::note`]).
//!
//! Everything lives in the cache directory: by default
//! `~/.cache/bsl-assist/risk/<sha-256 of the repository's canonical path, 16 hex digits>`.

pub mod features;
pub mod gbt;
pub mod history;
pub mod metrics;
pub mod model;

// The experiments harness runs only when asked for (`--features experiments`): it needs a
// mined history.json and minutes of release-mode time, so it is no part of the suite.
#[cfg(all(test, feature = "experiments"))]
mod experiments;

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use features::{
    DEFAULT_FIX_PATTERNS, Example, FEATURE_NAMES, FixMatcher, LabelFilter, describe, labels_for, labels_with,
    snapshots_at,
};
use gbt::{Gbt, GbtOptions};
use history::{History, MineStats};
use model::{Logistic, TrainOptions, auc, precision_at_k};

/// Bumped whenever features, labels or training change; older stored models are retrained.
pub const MODEL_VERSION: u32 = 5;

const DAY: i64 = 86_400;
const WINDOW_STEP_DAYS: i64 = 30;
/// What training labels may leave out: fix commits that blame many methods (mostly
/// refactorings and mass edits whose message mentions a fix) and whitespace-only changes.
/// The validation folds choose; the evaluation always counts every change of every fix
/// commit ([`LabelFilter::EVERY_FIX`]).
const LABEL_FILTERS: [LabelFilter; 3] = [
    LabelFilter::EVERY_FIX,
    LabelFilter { max_methods: usize::MAX, skip_cosmetic: true },
    LabelFilter { max_methods: 20, skip_cosmetic: true },
];
/// The inputs the candidates try, by feature name (an empty list is every feature).
/// "activity" and "activity and fix share" were chosen by forward selection on the validation
/// folds of gitsync's training windows (the latter with the features of model version 5);
/// "fix history" is the method's own fix and change record, its size and calls.
const FEATURE_SETS: &[(&str, &[&str])] = &[
    (
        "activity and fix share",
        &["fan_out", "commits", "repo_fix_share", "recent_fix_commits", "repo_recent_commits", "age_days"],
    ),
    (
        "activity",
        &["fan_out", "commits", "repo_recent_commits", "age_days", "recent_fix_commits", "repo_recent_fix_commits"],
    ),
    ("fix history", &["fix_commits", "churn", "lines", "fan_out", "decayed_fixes", "decayed_commits"]),
    ("all", &[]),
];
/// The trees the candidates try: shallow, few, strongly regularized (deeper or longer
/// ensembles overfit the drifting training windows of gitsync).
const TREES: GbtOptions = GbtOptions {
    rounds: 50,
    depth: 2,
    learning_rate: 0.05,
    lambda: 100.0,
    min_hessian: 50.0,
    subsample: 0.7,
    bins: 32,
    seed: 0x5eed_2024,
};
/// How much better (mean validation AUC) trees must be to be preferred to the logistic
/// regression.
const TREES_MARGIN: f64 = 0.01;
/// The least positive labels a validation fold trains on.
const MIN_FOLD_POSITIVES: usize = 5;
/// The weight of a feedback record against one labelled method of a window.
const FEEDBACK_WEIGHT: f64 = 3.0;

/// What the model is trained for and when it falls back to the heuristic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskOptions {
    /// The prediction horizon: "touched by a fix commit in the next `days` days".
    pub days: u32,
    /// Fix-commit message patterns (regular expressions, case-insensitive).
    pub fix_patterns: Vec<String>,
    pub min_commits: usize,
    pub min_positives: usize,
    /// The k of precision@k.
    pub k: usize,
}

impl Default for RiskOptions {
    fn default() -> Self {
        RiskOptions {
            days: 90,
            fix_patterns: DEFAULT_FIX_PATTERNS.iter().map(|s| s.to_string()).collect(),
            min_commits: 200,
            min_positives: 20,
            k: 10,
        }
    }
}

/// How well the model (and the heuristic, on the same split) ranked the newest windows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub commits: usize,
    pub fix_commits: usize,
    pub train_windows: usize,
    pub train_examples: usize,
    pub train_positives: usize,
    pub eval_windows: usize,
    pub eval_examples: usize,
    pub eval_positives: usize,
    /// The model's ROC AUC on the evaluation windows (`None` when it was not trained or the
    /// windows hold only one class).
    pub auc: Option<f64>,
    /// The model's precision at k, averaged over the evaluation windows.
    pub precision_at_k: Option<f64>,
    pub heuristic_auc: Option<f64>,
    pub heuristic_precision_at_k: Option<f64>,
    /// The mean of the per-window AUCs (windows with both classes), model and heuristic.
    #[serde(default)]
    pub window_auc: Option<f64>,
    #[serde(default)]
    pub heuristic_window_auc: Option<f64>,
    pub k: usize,
    /// The chosen model, its inputs and training labels, in words.
    #[serde(default)]
    pub model: String,
    /// The validation folds inside the training windows and the chosen model's mean pooled
    /// AUC on them (the heuristic's beside it).
    #[serde(default)]
    pub validation_folds: usize,
    #[serde(default)]
    pub validation_auc: Option<f64>,
    #[serde(default)]
    pub heuristic_validation_auc: Option<f64>,
    /// Every candidate's mean validation AUC.
    #[serde(default)]
    pub candidates: Vec<CandidateScore>,
    /// Feedback records used as extra labels.
    pub feedback_labels: usize,
    /// Why the heuristic is in use, or other remarks.
    pub note: String,
}

/// One candidate model and its mean pooled AUC on the validation folds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateScore {
    pub model: String,
    pub auc: f64,
}

/// The risk of one method.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MethodRisk {
    /// The model's probability (or, for the heuristic, the product of percentiles), 0..=1.
    pub score: f64,
    /// The share of the repository's methods with a lower score, 0..=100.
    pub percentile: f64,
    /// The top contributing factors, in words, strongest first.
    pub reasons: Vec<String>,
    /// Whether the score comes from the heuristic rather than a trained model.
    pub heuristic: bool,
}

/// One scored method at `HEAD`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankedMethod {
    /// The path relative to the repository root, with `/`.
    pub path: String,
    pub method: String,
    #[serde(flatten)]
    pub risk: MethodRisk,
}

/// What is stored in `model.json`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StoredModel {
    pub version: u32,
    pub head: Option<String>,
    pub options: Option<RiskOptions>,
    pub feedback_records: usize,
    pub heuristic: bool,
    /// The model's inputs, in its order.
    pub feature_names: Vec<String>,
    pub logistic: Option<Logistic>,
    #[serde(default)]
    pub trees: Option<Gbt>,
    /// Maps the model's log-odds to the stored scores ([`calibrate`]).
    #[serde(default)]
    pub calibration: Option<Logistic>,
    pub evaluation: Evaluation,
    /// Every method alive at `HEAD`, most risky first.
    pub ranking: Vec<RankedMethod>,
}

/// A user's reaction to a risk-related code action, one JSON object a line in
/// `feedback.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feedback {
    pub path: String,
    pub method: String,
    /// `true` when the action was applied (the risk was real), `false` when dismissed.
    pub applied: bool,
    /// Seconds since the epoch.
    pub time: i64,
}

/// A trained (or heuristic) risk model of one repository, ready for look-ups.
#[derive(Debug, Clone)]
pub struct RiskModel {
    pub stored: StoredModel,
    /// What the mining step of this load did.
    pub mine_stats: MineStats,
    /// Whether this load trained (false when the stored model was up to date).
    pub trained: bool,
    index: HashMap<(String, String), usize>,
}

/// The default cache directory of a repository.
pub fn default_cache_dir(repo_root: &Path) -> PathBuf {
    let canonical = repo_root.canonicalize().unwrap_or_else(|_| repo_root.to_path_buf());
    let digest = Sha256::digest(canonical.to_string_lossy().as_bytes());
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    home.join(".cache/bsl-assist/risk").join(hex)
}

/// Appends a feedback record to `<cache_dir>/feedback.jsonl`.
pub fn record_feedback(cache_dir: &Path, feedback: &Feedback) -> Result<()> {
    std::fs::create_dir_all(cache_dir)?;
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(cache_dir.join("feedback.jsonl"))?;
    writeln!(file, "{}", serde_json::to_string(feedback)?)?;
    Ok(())
}

fn read_feedback(cache_dir: &Path) -> Vec<Feedback> {
    let Ok(text) = std::fs::read_to_string(cache_dir.join("feedback.jsonl")) else { return Vec::new() };
    text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect()
}

impl RiskModel {
    /// Mines new commits, then loads the stored model if it is current or trains a new one
    /// (and stores it), with the default [`RiskOptions`].
    pub fn load_or_train(repo_root: &Path, cache_dir: &Path) -> Result<RiskModel> {
        Self::load_or_train_with(repo_root, cache_dir, &RiskOptions::default())
    }

    /// [`RiskModel::load_or_train`] with explicit options.
    pub fn load_or_train_with(repo_root: &Path, cache_dir: &Path, options: &RiskOptions) -> Result<RiskModel> {
        std::fs::create_dir_all(cache_dir).with_context(|| format!("creating {}", cache_dir.display()))?;
        let (history, mine_stats) = history::mine(repo_root, &cache_dir.join("history.json"))?;
        let feedback = read_feedback(cache_dir);
        let model_file = cache_dir.join("model.json");
        if let Ok(bytes) = std::fs::read(&model_file)
            && let Ok(stored) = serde_json::from_slice::<StoredModel>(&bytes)
            && stored.version == MODEL_VERSION
            && stored.head == history.head
            && stored.options.as_ref() == Some(options)
            && stored.feedback_records == feedback.len()
        {
            return Ok(Self::from_stored(stored, mine_stats, false));
        }
        let stored = train(&history, options, &feedback)?;
        let tmp = model_file.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_vec_pretty(&stored)?)?;
        std::fs::rename(&tmp, &model_file)?;
        Ok(Self::from_stored(stored, mine_stats, true))
    }

    fn from_stored(stored: StoredModel, mine_stats: MineStats, trained: bool) -> RiskModel {
        let index =
            stored.ranking.iter().enumerate().map(|(i, r)| ((r.path.clone(), r.method.to_lowercase()), i)).collect();
        RiskModel { stored, mine_stats, trained, index }
    }

    /// The risk of a method at `HEAD`: `path` relative to the repository root (either
    /// separator) or absolute under `repo_root`, the method's name in any case. A hash
    /// look-up: cheap enough for every hover.
    pub fn method_risk(&self, path: &Path, method_name: &str) -> Option<MethodRisk> {
        let rel = path.to_string_lossy().replace('\\', "/");
        let key = (rel.trim_start_matches("./").to_string(), method_name.to_lowercase());
        if let Some(&i) = self.index.get(&key) {
            return Some(self.stored.ranking[i].risk.clone());
        }
        // An absolute path: match by suffix.
        self.stored
            .ranking
            .iter()
            .find(|r| rel.ends_with(&format!("/{}", r.path)) && r.method.to_lowercase() == key.1)
            .map(|r| r.risk.clone())
    }

    /// The methods at `HEAD`, most risky first.
    pub fn ranking(&self) -> &[RankedMethod] {
        &self.stored.ranking
    }

    pub fn evaluation(&self) -> &Evaluation {
        &self.stored.evaluation
    }

    pub fn is_heuristic(&self) -> bool {
        self.stored.heuristic
    }
}

/// Percentile ranks (0..=1, ties share the lowest rank) of `values`.
fn percentiles(values: &[f64]) -> Vec<f64> {
    let mut sorted: Vec<f64> = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = values.len().max(1) as f64;
    values.iter().map(|v| (sorted.partition_point(|x| x < v) as f64 + 1.0) / n).collect()
}

/// The heuristic: percentile of churn × percentile of complexity, within one window.
fn heuristic_scores(examples: &[Example]) -> Vec<f64> {
    let churn = percentiles(&examples.iter().map(Example::churn).collect::<Vec<_>>());
    let complexity = percentiles(&examples.iter().map(Example::complexity).collect::<Vec<_>>());
    churn.iter().zip(&complexity).map(|(a, b)| a * b).collect()
}

struct Window {
    time: i64,
    examples: Vec<Example>,
    rows: Vec<Vec<f64>>,
    /// What the evaluation counts: touched by any fix commit in the label period.
    labels: Vec<bool>,
    /// What training may count instead, one list per [`LABEL_FILTERS`] entry.
    train_labels: Vec<Vec<bool>>,
}

/// The model's input for the methods of one window: the features with counts on a log
/// scale ([`Example::features`]). Raw values rather than ranks within the window: the
/// evaluation pools windows, and a quiet period's methods should score lower than a busy
/// one's (percentile ranks scored 0.58 against log values' 0.67 on gitsync).
fn window_rows(examples: &[Example]) -> Vec<Vec<f64>> {
    examples.iter().map(Example::features).collect()
}

/// The labelled windows of a history and their time split.
struct Dataset {
    windows: Vec<Window>,
    /// The methods alive at the last commit, with their features then.
    current: Vec<Example>,
    train_idx: Vec<usize>,
    eval_idx: Vec<usize>,
}

/// Cuts the history into windows every [`WINDOW_STEP_DAYS`] (those whose label period ends
/// by the last commit), labels them and splits them by time.
fn dataset(history: &History, fix: &FixMatcher, options: &RiskOptions) -> Dataset {
    let horizon = options.days as i64 * DAY;
    let (first, last) = match (history.commits.first(), history.commits.last()) {
        (Some(f), Some(l)) => (f.time, l.time),
        _ => (0, 0),
    };
    let mut cutoffs: Vec<i64> = Vec::new();
    let mut t = first + WINDOW_STEP_DAYS * DAY;
    while t + horizon <= last {
        cutoffs.push(t);
        t += WINDOW_STEP_DAYS * DAY;
    }
    let mut all_cutoffs = cutoffs.clone();
    all_cutoffs.push(last);
    let mut snapshots = snapshots_at(history, fix, &all_cutoffs);
    let current = snapshots.pop().unwrap_or_default();
    let windows: Vec<Window> = cutoffs
        .iter()
        .zip(snapshots)
        .map(|(&t, examples)| {
            let buggy: HashSet<(String, String)> = labels_for(history, fix, t, t + horizon);
            let labels: Vec<bool> = examples.iter().map(|e| buggy.contains(&e.key())).collect();
            let train_labels = LABEL_FILTERS
                .iter()
                .map(|&filter| {
                    if filter == LabelFilter::EVERY_FIX {
                        return labels.clone();
                    }
                    let kept = labels_with(history, fix, t, t + horizon, filter);
                    examples.iter().map(|e| kept.contains(&e.key())).collect()
                })
                .collect();
            let rows = window_rows(&examples);
            Window { time: t, examples, rows, labels, train_labels }
        })
        .filter(|w| !w.examples.is_empty())
        .collect();
    let window_times: Vec<i64> = windows.iter().map(|w| w.time).collect();
    let positives: Vec<usize> = windows.iter().map(|w| w.labels.iter().filter(|l| **l).count()).collect();
    let all: Vec<usize> = (0..windows.len()).collect();
    let (train_idx, eval_idx) = time_split(&window_times, &positives, horizon, &all);
    Dataset { windows, current, train_idx, eval_idx }
}

/// The time split of the windows `among` (ascending): the newest ones holding a quarter of
/// their positive labels (at least one window, so a quiet recent period still yields a
/// measurable evaluation) are evaluated; the windows whose label period ends before the
/// first of them are trained on.
fn time_split(times: &[i64], positives: &[usize], horizon: i64, among: &[usize]) -> (Vec<usize>, Vec<usize>) {
    let total: usize = among.iter().map(|&i| positives[i]).sum();
    let mut start = among.len();
    if among.len() >= 2 {
        let mut seen = 0;
        while start > 1 && (seen * 4 < total || start == among.len()) {
            start -= 1;
            seen += positives[among[start]];
        }
    }
    let first_eval = among.get(start).map_or(i64::MAX, |&i| times[i]);
    let train = among[..start].iter().copied().filter(|&i| times[i] + horizon <= first_eval).collect();
    (train, among[start..].to_vec())
}

/// Rolling folds inside the training windows `train` (ascending): the second half is cut
/// into three stretches, each validated with a model of the windows whose label period ends
/// before it. Folds without positives on either side are left out.
fn validation_folds(windows: &[Window], train: &[usize], horizon: i64) -> Vec<(Vec<usize>, Vec<usize>)> {
    let n = train.len();
    let starts = [n / 2, n * 2 / 3, n * 5 / 6];
    let positives =
        |idx: &[usize]| -> usize { idx.iter().map(|&i| windows[i].labels.iter().filter(|l| **l).count()).sum() };
    let mut out = Vec::new();
    for (f, &start) in starts.iter().enumerate() {
        let end = starts.get(f + 1).copied().unwrap_or(n);
        if start >= end {
            continue;
        }
        let valid: Vec<usize> = train[start..end].to_vec();
        let first = windows[valid[0]].time;
        let fold_train: Vec<usize> =
            train[..start].iter().copied().filter(|&i| windows[i].time + horizon <= first).collect();
        let valid_examples: usize = valid.iter().map(|&i| windows[i].labels.len()).sum();
        let valid_positives = positives(&valid);
        if positives(&fold_train) >= MIN_FOLD_POSITIVES && valid_positives > 0 && valid_positives < valid_examples {
            out.push((fold_train, valid));
        }
    }
    out
}

/// A scorer's ranking quality on some windows: the ROC AUC over all their methods pooled,
/// the mean of the per-window AUCs (windows with both classes) and the mean precision@k.
#[derive(Debug, Clone, Copy, Default)]
struct Measures {
    pooled_auc: Option<f64>,
    window_auc: Option<f64>,
    precision_at_k: Option<f64>,
}

fn measure(windows: &[Window], idx: &[usize], k: usize, score: &dyn Fn(&Window) -> Vec<f64>) -> Measures {
    if idx.is_empty() {
        return Measures::default();
    }
    let (mut all_scores, mut all_labels, mut precisions, mut aucs) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for &i in idx {
        let s = score(&windows[i]);
        precisions.push(precision_at_k(&s, &windows[i].labels, k));
        aucs.extend(auc(&s, &windows[i].labels));
        all_scores.extend(s);
        all_labels.extend(windows[i].labels.iter().copied());
    }
    let mean = |v: &[f64]| (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64);
    Measures { pooled_auc: auc(&all_scores, &all_labels), window_auc: mean(&aucs), precision_at_k: mean(&precisions) }
}

/// How a model's log-odds become the scores of one window's methods before windows are
/// pooled. Within a window every scale ranks the methods alike; across windows the raw
/// log-odds carry the model's guess of how many fixes a period will bring, the others only
/// each method's standing among its window's methods.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Scale {
    /// The log-odds as they are.
    Raw,
    /// The percentile rank among the window's methods.
    Rank,
    /// Standardized by the window's mean and deviation.
    Standard,
}

const SCALES: [Scale; 3] = [Scale::Raw, Scale::Rank, Scale::Standard];

impl Scale {
    /// The scores of one window's methods from their log-odds.
    fn apply(self, margins: Vec<f64>) -> Vec<f64> {
        match self {
            Scale::Raw => margins,
            Scale::Rank => percentiles(&margins),
            Scale::Standard => {
                let n = margins.len().max(1) as f64;
                let mean = margins.iter().sum::<f64>() / n;
                let sd = (margins.iter().map(|m| (m - mean) * (m - mean)).sum::<f64>() / n).sqrt().max(1e-9);
                margins.iter().map(|m| (m - mean) / sd).collect()
            }
        }
    }

    /// A probability of a scaled score when no calibration could be fitted.
    fn uncalibrated(self, score: f64) -> f64 {
        match self {
            Scale::Rank => score,
            Scale::Raw | Scale::Standard => 1.0 / (1.0 + (-score).exp()),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Scale::Raw => "",
            Scale::Rank => ", scored by percentile within each window",
            Scale::Standard => ", scored standardized within each window",
        }
    }
}

/// A model family with its settings.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Family {
    Logistic { l2: f64 },
    Trees(GbtOptions),
}

/// One candidate the validation folds choose between: a family, its inputs (an index into
/// [`FEATURE_SETS`]) and its training labels (an index into [`LABEL_FILTERS`]).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Candidate {
    family: Family,
    set: usize,
    labels: usize,
    scale: Scale,
}

impl Candidate {
    fn describe(&self) -> String {
        let family = match self.family {
            Family::Logistic { l2 } => format!("logistic regression (L2 {l2})"),
            Family::Trees(o) => format!(
                "gradient-boosted trees ({} rounds of depth {}, learning rate {}, λ {}, min. hessian {})",
                o.rounds, o.depth, o.learning_rate, o.lambda, o.min_hessian
            ),
        };
        let filter = LABEL_FILTERS[self.labels];
        let mut labels = match filter.max_methods {
            usize::MAX => "every fix commit".to_string(),
            max => format!("fix commits blaming at most {max} methods"),
        };
        if filter.skip_cosmetic {
            labels.push_str(" without whitespace-only changes");
        }
        format!("{family} on the {} features, trained on {labels}{}", FEATURE_SETS[self.set].0, self.scale.describe())
    }

    fn inputs(&self) -> Vec<usize> {
        feature_set(self.set)
    }
}

/// The feature indices of [`FEATURE_SETS`] entry `set` (an empty list is every feature).
fn feature_set(set: usize) -> Vec<usize> {
    let names = FEATURE_SETS[set].1;
    if names.is_empty() {
        return (0..FEATURE_NAMES.len()).collect();
    }
    names.iter().filter_map(|n| FEATURE_NAMES.iter().position(|f| f == n)).collect()
}

/// The candidates, the default (used when no validation fold can be formed) first; each
/// model (family, inputs, labels) once per [`SCALES`] entry, in that order.
fn candidates() -> Vec<Candidate> {
    let mut out = Vec::new();
    let mut push = |family: Family, set: usize, labels: usize| {
        for scale in SCALES {
            out.push(Candidate { family, set, labels, scale });
        }
    };
    for labels in 0..LABEL_FILTERS.len() {
        for (set, (_, names)) in FEATURE_SETS.iter().enumerate() {
            let l2s: &[f64] = if names.is_empty() { &[10.0] } else { &[10.0, 1.0, 100.0] };
            for &l2 in l2s {
                push(Family::Logistic { l2 }, set, labels);
            }
        }
        // The trees on the inputs chosen for the logistic regression before the fix share.
        let activity = FEATURE_SETS.iter().position(|(name, _)| *name == "activity").unwrap_or(0);
        push(Family::Trees(TREES), activity, labels);
    }
    out
}

/// A trained model of either family on its inputs.
#[derive(Debug, Clone)]
enum Fitted {
    Logistic(Logistic),
    Trees(Gbt),
}

#[derive(Debug, Clone)]
struct Model {
    inputs: Vec<usize>,
    fitted: Fitted,
}

impl Model {
    fn input(&self, row: &[f64]) -> Vec<f64> {
        self.inputs.iter().map(|&i| row[i]).collect()
    }

    /// The log-odds of a row (of all features).
    fn margin(&self, row: &[f64]) -> f64 {
        let x = self.input(row);
        match &self.fitted {
            Fitted::Logistic(m) => m.margin(&x),
            Fitted::Trees(m) => m.margin(&x),
        }
    }

    /// The scores of one window's methods (their rows), on `scale`.
    fn scores(&self, rows: &[Vec<f64>], scale: Scale) -> Vec<f64> {
        scale.apply(rows.iter().map(|r| self.margin(r)).collect())
    }

    /// Each input's push on the row's log-odds, with its index in [`FEATURE_NAMES`].
    fn contributions(&self, row: &[f64]) -> Vec<(usize, f64)> {
        let x = self.input(row);
        let c = match &self.fitted {
            Fitted::Logistic(m) => m.contributions(&x),
            Fitted::Trees(m) => m.contributions(&x),
        };
        self.inputs.iter().copied().zip(c).collect()
    }
}

/// Trains `candidate` on the windows `idx` plus `extra` labelled rows (feedback).
fn fit(windows: &[Window], idx: &[usize], candidate: &Candidate, extra: &[(Vec<f64>, bool)]) -> Model {
    fit_on(windows, idx, candidate.family, candidate.inputs(), candidate.labels, f64::INFINITY, extra)
}

/// Trains a model of `family` on the features `inputs` of the windows `idx`, with their
/// training labels `labels` (an index into [`LABEL_FILTERS`]), each window weighing half as
/// much every `half_life` days before the newest, plus `extra` rows. (Weighing newer windows
/// more, with half-lives of 180 days to 4 years, did not help on gitsync's validation folds:
/// the candidates weigh all alike.)
fn fit_on(
    windows: &[Window],
    idx: &[usize],
    family: Family,
    inputs: Vec<usize>,
    labels_filter: usize,
    half_life: f64,
    extra: &[(Vec<f64>, bool)],
) -> Model {
    let mut rows = Vec::new();
    let mut labels = Vec::new();
    let mut weights = Vec::new();
    let newest = idx.iter().map(|&i| windows[i].time).max().unwrap_or(0);
    for &i in idx {
        let w = &windows[i];
        let age_days = (newest - w.time) as f64 / DAY as f64;
        let weight = if half_life.is_finite() { 0.5f64.powf(age_days / half_life) } else { 1.0 };
        for (row, &l) in w.rows.iter().zip(&w.train_labels[labels_filter]) {
            rows.push(inputs.iter().map(|&f| row[f]).collect::<Vec<f64>>());
            labels.push(l);
            weights.push(weight);
        }
    }
    for (row, l) in extra {
        rows.push(inputs.iter().map(|&f| row[f]).collect());
        labels.push(*l);
        weights.push(FEEDBACK_WEIGHT);
    }
    let fitted = match family {
        Family::Logistic { l2 } => {
            Fitted::Logistic(Logistic::train(&rows, &labels, &weights, TrainOptions { l2, ..TrainOptions::default() }))
        }
        Family::Trees(options) => Fitted::Trees(Gbt::train(&rows, &labels, &weights, options)),
    };
    Model { inputs, fitted }
}

/// The mean pooled AUC over the folds of a candidate's model on every scale, in
/// [`SCALES`] order (the model is trained once per fold).
fn fold_aucs(
    windows: &[Window],
    folds: &[(Vec<usize>, Vec<usize>)],
    k: usize,
    candidate: &Candidate,
) -> Vec<Option<f64>> {
    let mut aucs: Vec<Vec<f64>> = vec![Vec::new(); SCALES.len()];
    for (train, valid) in folds {
        let model = fit(windows, train, candidate, &[]);
        for (s, &scale) in SCALES.iter().enumerate() {
            aucs[s].extend(measure(windows, valid, k, &|w: &Window| model.scores(&w.rows, scale)).pooled_auc);
        }
    }
    aucs.iter().map(|a| (!a.is_empty()).then(|| a.iter().sum::<f64>() / a.len() as f64)).collect()
}

/// Chooses the candidate with the best mean validation AUC over the folds; trees must beat
/// the best logistic regression by [`TREES_MARGIN`] ("clearly better"). Returns the choice,
/// its validation AUC and every candidate's.
fn choose(
    windows: &[Window],
    folds: &[(Vec<usize>, Vec<usize>)],
    k: usize,
) -> (Candidate, Option<f64>, Vec<CandidateScore>) {
    let all = candidates();
    if folds.is_empty() {
        return (all[0], None, Vec::new());
    }
    let mut scored: Vec<(Candidate, Option<f64>)> = Vec::new();
    for c in all.iter().filter(|c| c.scale == SCALES[0]) {
        for (scale, auc) in SCALES.iter().zip(fold_aucs(windows, folds, k, c)) {
            scored.push((Candidate { scale: *scale, ..*c }, auc));
        }
    }
    let best_of = |trees: bool| {
        scored.iter().filter(|(c, a)| a.is_some() && matches!(c.family, Family::Trees(_)) == trees).fold(
            None,
            |best: Option<&(Candidate, Option<f64>)>, x| match best {
                Some(b) if b.1 >= x.1 => Some(b),
                _ => Some(x),
            },
        )
    };
    let mut chosen = best_of(false).or(best_of(true)).map_or((all[0], None), |x| *x);
    if let Some(trees) = best_of(true)
        && let (Some(t), Some(l)) = (trees.1, chosen.1)
        && t >= l + TREES_MARGIN
    {
        chosen = *trees;
    }
    let report = scored.iter().filter_map(|(c, a)| a.map(|auc| CandidateScore { model: c.describe(), auc })).collect();
    (chosen.0, chosen.1, report)
}

fn train(history: &History, options: &RiskOptions, feedback: &[Feedback]) -> Result<StoredModel> {
    let fix = FixMatcher::new(&options.fix_patterns).context("fix-commit patterns")?;
    let commits: Vec<&history::CommitRecord> = history.commits.iter().filter(|c| !c.merge).collect();
    let mut evaluation = Evaluation {
        commits: commits.len(),
        fix_commits: commits.iter().filter(|c| fix.is_fix(&c.message)).count(),
        k: options.k,
        ..Evaluation::default()
    };
    let horizon = options.days as i64 * DAY;
    let Dataset { windows, current, train_idx, eval_idx } = dataset(history, &fix, options);
    evaluation.train_windows = train_idx.len();
    evaluation.eval_windows = eval_idx.len();
    evaluation.train_examples = train_idx.iter().map(|&i| windows[i].examples.len()).sum();
    evaluation.train_positives = train_idx.iter().map(|&i| windows[i].labels.iter().filter(|l| **l).count()).sum();
    evaluation.eval_examples = eval_idx.iter().map(|&i| windows[i].examples.len()).sum();
    evaluation.eval_positives = eval_idx.iter().map(|&i| windows[i].labels.iter().filter(|l| **l).count()).sum();

    let eval_measures = |score: &dyn Fn(&Window) -> Vec<f64>| measure(&windows, &eval_idx, options.k, score);
    let h = eval_measures(&|w: &Window| heuristic_scores(&w.examples));
    evaluation.heuristic_auc = h.pooled_auc;
    evaluation.heuristic_precision_at_k = h.precision_at_k;
    evaluation.heuristic_window_auc = h.window_auc;

    let mut too_little = Vec::new();
    if evaluation.commits < options.min_commits {
        too_little.push(format!("{} commits (< {})", evaluation.commits, options.min_commits));
    }
    if evaluation.train_positives < options.min_positives {
        too_little
            .push(format!("{} positive training labels (< {})", evaluation.train_positives, options.min_positives));
    }

    // Feedback: extra labels with the methods' current features.
    let current_rows = window_rows(&current);
    let by_key: HashMap<(String, String), usize> = current.iter().enumerate().map(|(i, e)| (e.key(), i)).collect();
    let extra: Vec<(Vec<f64>, bool)> = feedback
        .iter()
        .filter_map(|f| {
            by_key.get(&(f.path.clone(), f.method.to_lowercase())).map(|&i| (current_rows[i].clone(), f.applied))
        })
        .collect();
    evaluation.feedback_labels = extra.len();

    let heuristic = !too_little.is_empty();
    let mut deployed: Option<(Model, Scale)> = None;
    let mut calibration: Option<Logistic> = None;
    if heuristic {
        evaluation.note = format!(
            "too little history for a model ({}): scores are the heuristic percentile(churn) × percentile(complexity)",
            too_little.join(", ")
        );
    } else {
        // Hyper-parameters, inputs and training labels are chosen on folds of the training
        // windows only; the evaluation windows choose nothing.
        let folds = validation_folds(&windows, &train_idx, horizon);
        let (candidate, validation_auc, scores) = choose(&windows, &folds, options.k);
        evaluation.validation_folds = folds.len();
        evaluation.validation_auc = validation_auc;
        let heuristic_folds: Vec<f64> = folds
            .iter()
            .filter_map(|(_, valid)| {
                measure(&windows, valid, options.k, &|w: &Window| heuristic_scores(&w.examples)).pooled_auc
            })
            .collect();
        evaluation.heuristic_validation_auc =
            (!heuristic_folds.is_empty()).then(|| heuristic_folds.iter().sum::<f64>() / heuristic_folds.len() as f64);
        evaluation.candidates = scores;
        evaluation.model = candidate.describe();

        let split_model = fit(&windows, &train_idx, &candidate, &[]);
        let m = eval_measures(&|w: &Window| split_model.scores(&w.rows, candidate.scale));
        evaluation.auc = m.pooled_auc;
        evaluation.precision_at_k = m.precision_at_k;
        evaluation.window_auc = m.window_auc;
        let all: Vec<usize> = (0..windows.len()).collect();
        let model = fit(&windows, &all, &candidate, &extra);
        calibration = calibrate(&windows, &model, candidate.labels, candidate.scale);
        deployed = Some((model, candidate.scale));
        evaluation.note = format!(
            "{} on {} windows every {WINDOW_STEP_DAYS} days (chosen on {} validation folds of them); evaluated on the \
             newest {} windows",
            evaluation.model,
            train_idx.len(),
            folds.len(),
            eval_idx.len()
        );
    }

    // Score the methods at HEAD.
    let scores: Vec<f64> = match &deployed {
        Some((model, scale)) => model
            .scores(&current_rows, *scale)
            .into_iter()
            .map(|s| match &calibration {
                Some(c) => c.predict(&[s]),
                None => scale.uncalibrated(s),
            })
            .collect(),
        None => heuristic_scores(&current),
    };
    let ranks = percentiles(&scores);
    let churn_pct = percentiles(&current.iter().map(Example::churn).collect::<Vec<_>>());
    let complexity_pct = percentiles(&current.iter().map(Example::complexity).collect::<Vec<_>>());
    let mut ranking: Vec<RankedMethod> = current
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let reasons = match &deployed {
                Some((model, _)) => {
                    // The repository-wide features are the same for every method: they move
                    // all scores, but explain none of them.
                    let mut contributions: Vec<(usize, f64)> = model
                        .contributions(&current_rows[i])
                        .into_iter()
                        .filter(|(f, c)| *c > 0.0 && !FEATURE_NAMES[*f].starts_with("repo_"))
                        .collect();
                    contributions.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                    contributions.into_iter().take(3).map(|(f, _)| describe(f, e.raw[f])).collect()
                }
                None => vec![
                    format!("churn at the {:.0}th percentile ({})", churn_pct[i] * 100.0, describe(1, e.raw[1])),
                    format!(
                        "complexity at the {:.0}th percentile ({}, {})",
                        complexity_pct[i] * 100.0,
                        describe(11, e.raw[11]),
                        describe(10, e.raw[10])
                    ),
                ],
            };
            RankedMethod {
                path: e.path.clone(),
                method: e.method.clone(),
                risk: MethodRisk { score: scores[i], percentile: ranks[i] * 100.0, reasons, heuristic },
            }
        })
        .collect();
    ranking.sort_by(|a, b| b.risk.score.total_cmp(&a.risk.score).then_with(|| a.path.cmp(&b.path)));
    let (logistic, trees, feature_names) = match deployed {
        Some((model, _)) => {
            let names = model.inputs.iter().map(|&i| FEATURE_NAMES[i].to_string()).collect();
            match model.fitted {
                Fitted::Logistic(m) => (Some(m), None, names),
                Fitted::Trees(m) => (None, Some(m), names),
            }
        }
        None => (None, None, Vec::new()),
    };
    Ok(StoredModel {
        version: MODEL_VERSION,
        head: history.head.clone(),
        options: Some(options.clone()),
        feedback_records: feedback.len(),
        heuristic,
        feature_names,
        logistic,
        trees,
        calibration,
        evaluation,
        ranking,
    })
}

/// Maps a model's scores (its log-odds on `scale`) to probabilities that spread over 0..1:
/// a strong L2 penalty shrinks every log-odds towards 0 without changing their order, and
/// the per-window scales are no probabilities at all. A one-feature logistic regression of
/// the training labels on the scores (class-balanced, as the model); `None` when it would
/// not keep the order.
fn calibrate(windows: &[Window], model: &Model, labels_filter: usize, scale: Scale) -> Option<Logistic> {
    let mut rows = Vec::new();
    let mut labels = Vec::new();
    for w in windows {
        for (s, &l) in model.scores(&w.rows, scale).into_iter().zip(&w.train_labels[labels_filter]) {
            rows.push(vec![s]);
            labels.push(l);
        }
    }
    let weights = vec![1.0; rows.len()];
    let c = Logistic::train(&rows, &labels, &weights, TrainOptions { l2: 1e-6, ..TrainOptions::default() });
    (c.weights.first().is_some_and(|w| *w > 0.0)).then_some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_keep_the_order_within_a_window() {
        let margins = vec![-2.0, 0.5, 3.0, 0.5, -1.0];
        for scale in SCALES {
            let s = scale.apply(margins.clone());
            for i in 0..margins.len() {
                for j in 0..margins.len() {
                    assert_eq!(margins[i] < margins[j], s[i] < s[j], "{scale:?}: {s:?}");
                }
            }
            assert!(s.iter().all(|v| (0.0..=1.0).contains(&scale.uncalibrated(*v))), "{scale:?}");
        }
        assert_eq!(Scale::Rank.apply(margins.clone()), vec![0.2, 0.6, 1.0, 0.6, 0.4]);
        let z = Scale::Standard.apply(margins);
        assert!(z.iter().sum::<f64>().abs() < 1e-9);
    }

    #[test]
    fn candidates_cover_every_scale_and_name_known_features() {
        let all = candidates();
        assert_eq!(all[0].scale, Scale::Raw);
        for scale in SCALES {
            assert!(all.iter().any(|c| c.scale == scale));
        }
        for (set, (_, names)) in FEATURE_SETS.iter().enumerate() {
            assert_eq!(feature_set(set).len(), if names.is_empty() { FEATURE_NAMES.len() } else { names.len() });
        }
    }
}

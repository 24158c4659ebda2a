//! Experiments on a mined history, compiled only with the `experiments` feature:
//! `RISK_HISTORY=<history.json> cargo test -p bsl-assistant --release --features experiments
//! experiments -- --nocapture`.
//!
//! Everything here is measured on the validation folds inside the training windows (see
//! `validation_folds`): the mean pooled AUC of every production candidate on every
//! [`Scale`], forward selection of features (`RISK_FORWARD=<L2>:<scale 0..3>`), single
//! features (`RISK_SINGLE`), trees settings (`RISK_TREES=depth:rounds:lambda:min_hessian,...`,
//! on the feature sets and `RISK_TREES_ON="a,b"`), feature sets by name
//! (`RISK_FEATURES="a,b;c,d"`, with `a*b` for a product of two features' model inputs),
//! ensembles of a logistic regression and trees (`RISK_ENSEMBLE="a,b|depth:rounds:lambda:
//! min_hessian"`, averaging within-window ranks), the training labels (`RISK_LABELS`) and the
//! training windows' recency half-life in days (`RISK_RECENCY`).
//! The evaluation windows are scored only with `RISK_TEST`, for the candidate the folds
//! chose, as the production training does.

use super::*;

fn show(name: &str, auc: Option<f64>) {
    eprintln!("{name:<110} {}", auc.map_or("-".to_string(), |v| format!("{v:.4}")));
}

fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// The validation windows' margins of a model trained per fold: per fold, per window.
fn fold_margins(
    windows: &[Window],
    folds: &[(Vec<usize>, Vec<usize>)],
    family: Family,
    inputs: &[usize],
    labels: usize,
) -> Vec<Vec<Vec<f64>>> {
    folds
        .iter()
        .map(|(train, valid)| {
            let model = fit_on(windows, train, family, inputs.to_vec(), labels, half_life(), &[]);
            valid.iter().map(|&i| windows[i].rows.iter().map(|r| model.margin(r)).collect()).collect()
        })
        .collect()
}

/// The mean pooled AUC over the folds of per-window scores on `scale`.
fn pooled(
    windows: &[Window],
    folds: &[(Vec<usize>, Vec<usize>)],
    k: usize,
    margins: &[Vec<Vec<f64>>],
    scale: Scale,
) -> Option<f64> {
    let aucs: Vec<f64> = folds
        .iter()
        .zip(margins)
        .filter_map(|((_, valid), m)| {
            let by_time: HashMap<i64, &Vec<f64>> = valid.iter().map(|&i| windows[i].time).zip(m).collect();
            measure(windows, valid, k, &|w: &Window| scale.apply(by_time[&w.time].clone())).pooled_auc
        })
        .collect();
    mean(&aucs)
}

fn scales_line(
    name: &str,
    windows: &[Window],
    folds: &[(Vec<usize>, Vec<usize>)],
    k: usize,
    margins: &[Vec<Vec<f64>>],
) -> Vec<Option<f64>> {
    let a: Vec<Option<f64>> = SCALES.iter().map(|&s| pooled(windows, folds, k, margins, s)).collect();
    eprintln!(
        "{name:<110} raw {} rank {} std {}",
        a[0].map_or("-".into(), |v| format!("{v:.4}")),
        a[1].map_or("-".into(), |v| format!("{v:.4}")),
        a[2].map_or("-".into(), |v| format!("{v:.4}"))
    );
    a
}

/// The recency half-life of the ad-hoc experiments (`RISK_RECENCY`, days; all alike without).
fn half_life() -> f64 {
    std::env::var("RISK_RECENCY").ok().and_then(|s| s.parse().ok()).unwrap_or(f64::INFINITY)
}

fn parse_trees(t: &str) -> GbtOptions {
    let p: Vec<f64> = t.split(':').map(|x| x.parse().unwrap()).collect();
    GbtOptions { depth: p[0] as usize, rounds: p[1] as usize, lambda: p[2], min_hessian: p[3], ..TREES }
}

#[test]
fn experiments() {
    let path = std::env::var("RISK_HISTORY").unwrap_or_else(|_| "/tmp/rc/history.json".into());
    let history = History::load(Path::new(&path));
    let options = RiskOptions::default();
    let fix = FixMatcher::new(&options.fix_patterns).unwrap();
    let horizon = options.days as i64 * DAY;
    let k = options.k;
    let mut ds = dataset(&history, &fix, &options);
    let folds = validation_folds(&ds.windows, &ds.train_idx, horizon);
    let count = |ds: &Dataset, idx: &[usize]| -> (usize, usize) {
        (
            idx.iter().map(|&i| ds.windows[i].labels.iter().filter(|l| **l).count()).sum(),
            idx.iter().map(|&i| ds.windows[i].examples.len()).sum(),
        )
    };
    eprintln!(
        "train {:?} eval {:?} ({} / {} windows), {} folds",
        count(&ds, &ds.train_idx),
        count(&ds, &ds.eval_idx),
        ds.train_idx.len(),
        ds.eval_idx.len(),
        folds.len()
    );
    for (f, (t, v)) in folds.iter().enumerate() {
        eprintln!("fold {f}: train {:?} valid {:?}", count(&ds, t), count(&ds, v));
    }
    let heuristic: Vec<f64> = folds
        .iter()
        .filter_map(|(_, v)| measure(&ds.windows, v, k, &|w: &Window| heuristic_scores(&w.examples)).pooled_auc)
        .collect();
    show(&format!("heuristic per fold {heuristic:.3?}"), mean(&heuristic));

    // Products of two features' model inputs, appended to every row.
    let mut names: Vec<String> = FEATURE_NAMES.iter().map(|s| s.to_string()).collect();
    let wanted = std::env::var("RISK_FEATURES").unwrap_or_default()
        + ";"
        + &std::env::var("RISK_ENSEMBLE").unwrap_or_default()
        + ";"
        + &std::env::var("RISK_EXTRA").unwrap_or_default();
    for term in wanted.split([';', ',', '|']).filter(|t| t.contains('*')) {
        if names.iter().any(|n| n == term) {
            continue;
        }
        let (a, b) = term.split_once('*').unwrap();
        let ia = FEATURE_NAMES.iter().position(|f| *f == a).expect(a);
        let ib = FEATURE_NAMES.iter().position(|f| *f == b).expect(b);
        for w in &mut ds.windows {
            for r in &mut w.rows {
                let v = r[ia] * r[ib];
                r.push(v);
            }
        }
        names.push(term.to_string());
    }
    let index = |n: &str| names.iter().position(|f| f == n).unwrap_or_else(|| panic!("{n}"));
    let labels = std::env::var("RISK_LABELS").ok().and_then(|s| s.parse().ok()).unwrap_or(0);
    let windows = &ds.windows;

    if std::env::var("RISK_SINGLE").is_ok() {
        for (f, name) in names.iter().enumerate() {
            let m: Vec<Vec<Vec<f64>>> = folds
                .iter()
                .map(|(_, v)| v.iter().map(|&i| windows[i].rows.iter().map(|r| r[f]).collect()).collect())
                .collect();
            scales_line(&format!("single feature {name}"), windows, &folds, k, &m);
        }
    }
    if let Ok(spec) = std::env::var("RISK_FORWARD") {
        let (l2, scale) = spec.split_once(':').unwrap_or((&spec, "0"));
        let family = Family::Logistic { l2: l2.parse().unwrap() };
        let scale = SCALES[scale.parse::<usize>().unwrap()];
        let mut chosen: Vec<usize> = Vec::new();
        let mut so_far = 0.5;
        loop {
            let best = (0..names.len())
                .filter(|f| !chosen.contains(f))
                .filter_map(|f| {
                    let mut inputs = chosen.clone();
                    inputs.push(f);
                    let m = fold_margins(windows, &folds, family, &inputs, labels);
                    pooled(windows, &folds, k, &m, scale).map(|a| (f, a))
                })
                .fold(None, |b: Option<(usize, f64)>, x| if b.is_some_and(|b| b.1 >= x.1) { b } else { Some(x) });
            let Some((f, a)) = best else { break };
            if a < so_far + 0.001 {
                break;
            }
            chosen.push(f);
            so_far = a;
            show(&format!("forward {scale:?} + {}", names[f]), Some(a));
        }
        eprintln!("forward set: {}", chosen.iter().map(|&f| names[f].as_str()).collect::<Vec<_>>().join(","));
    }
    let set_inputs = |set: &str| -> Vec<usize> {
        if set == "all" {
            return (0..FEATURE_NAMES.len()).collect();
        }
        set.split(',').map(index).collect()
    };
    if let Ok(spec) = std::env::var("RISK_FEATURES") {
        for set in spec.split(';').filter(|s| !s.is_empty()) {
            let inputs = set_inputs(set);
            for l2 in [1.0, 10.0, 100.0] {
                let m = fold_margins(windows, &folds, Family::Logistic { l2 }, &inputs, labels);
                scales_line(&format!("logistic l2 {l2} on {set}"), windows, &folds, k, &m);
            }
        }
    }
    if let Ok(spec) = std::env::var("RISK_TREES") {
        let mut sets: Vec<(String, Vec<usize>)> =
            FEATURE_SETS.iter().enumerate().map(|(i, (n, _))| (n.to_string(), feature_set(i))).collect();
        if let Ok(on) = std::env::var("RISK_TREES_ON") {
            for set in on.split(';') {
                sets.push((set.to_string(), set_inputs(set)));
            }
        }
        for (set_name, inputs) in &sets {
            for t in spec.split(',') {
                let m = fold_margins(windows, &folds, Family::Trees(parse_trees(t)), inputs, labels);
                scales_line(&format!("trees {t} on {set_name}"), windows, &folds, k, &m);
            }
        }
    }
    if let Ok(spec) = std::env::var("RISK_ENSEMBLE") {
        for e in spec.split(';') {
            let (set, trees) = e.split_once('|').unwrap();
            let (l2, set) = set.split_once('@').unwrap_or(("10", set));
            let a =
                fold_margins(windows, &folds, Family::Logistic { l2: l2.parse().unwrap() }, &set_inputs(set), labels);
            let (tset, t) = trees.split_once('@').unwrap_or((set, trees));
            let b = fold_margins(windows, &folds, Family::Trees(parse_trees(t)), &set_inputs(tset), labels);
            for wt in [0.25, 0.5, 0.75] {
                let m: Vec<Vec<Vec<f64>>> = a
                    .iter()
                    .zip(&b)
                    .map(|(fa, fb)| {
                        fa.iter()
                            .zip(fb)
                            .map(|(wa, wb)| {
                                let (ra, rb) = (percentiles(wa), percentiles(wb));
                                ra.iter().zip(&rb).map(|(x, y)| (1.0 - wt) * x + wt * y).collect()
                            })
                            .collect()
                    })
                    .collect();
                scales_line(&format!("ensemble trees weight {wt}: {e}"), windows, &folds, k, &m);
            }
        }
    }
    if std::env::var("RISK_CANDIDATES").is_ok() || std::env::var("RISK_TEST").is_ok() {
        let (candidate, auc_chosen, scores) = choose(windows, &folds, k);
        for s in &scores {
            show(&s.model, Some(s.auc));
        }
        show(&format!("CHOSEN {}", candidate.describe()), auc_chosen);
        if std::env::var("RISK_TEST").is_ok() {
            let model = fit(windows, &ds.train_idx, &candidate, &[]);
            let m = measure(windows, &ds.eval_idx, k, &|w: &Window| model.scores(&w.rows, candidate.scale));
            let h = measure(windows, &ds.eval_idx, k, &|w: &Window| heuristic_scores(&w.examples));
            eprintln!("TEST model {m:?}\nTEST heuristic {h:?}");
        }
    }
}

//! Experiments on a mined history, compiled only with the `experiments` feature:
//! `RISK_HISTORY=<history.json> cargo test -p bsl-assistant --release --features experiments
//! experiments -- --nocapture`.
//!
//! Everything here is measured on the validation folds inside the training windows (see
//! `validation_folds`): the mean pooled AUC of every production candidate, forward selection
//! of features (`RISK_FORWARD=<L2>`), single features (`RISK_SINGLE`), trees settings
//! (`RISK_TREES=depth:rounds:lambda:min_hessian,...`) and feature sets by name
//! (`RISK_FEATURES="a,b;c,d"`). The evaluation windows are scored only with `RISK_TEST`, for
//! the candidate the folds chose, as the production training does.

use super::*;

fn show(name: &str, auc: Option<f64>) {
    eprintln!("{name:<100} {}", auc.map_or("-".to_string(), |v| format!("{v:.3}")));
}

fn folds_auc(
    windows: &[Window],
    folds: &[(Vec<usize>, Vec<usize>)],
    k: usize,
    family: Family,
    inputs: &[usize],
    labels: usize,
) -> Option<f64> {
    let aucs: Vec<f64> = folds
        .iter()
        .filter_map(|(train, valid)| {
            let model = fit_on(windows, train, family, inputs.to_vec(), labels, &[]);
            measure(windows, valid, k, &|w: &Window| w.rows.iter().map(|r| model.predict(r)).collect()).pooled_auc
        })
        .collect();
    (!aucs.is_empty()).then(|| aucs.iter().sum::<f64>() / aucs.len() as f64)
}

#[test]
fn experiments() {
    let path = std::env::var("RISK_HISTORY").unwrap_or_else(|_| "/tmp/rc/history.json".into());
    let history = History::load(Path::new(&path));
    let options = RiskOptions::default();
    let fix = FixMatcher::new(&options.fix_patterns).unwrap();
    let horizon = options.days as i64 * DAY;
    let k = options.k;
    let ds = dataset(&history, &fix, &options);
    let folds = validation_folds(&ds.windows, &ds.train_idx, horizon);
    let count = |idx: &[usize]| -> (usize, usize) {
        (
            idx.iter().map(|&i| ds.windows[i].labels.iter().filter(|l| **l).count()).sum(),
            idx.iter().map(|&i| ds.windows[i].examples.len()).sum(),
        )
    };
    eprintln!(
        "train {:?} eval {:?} ({} / {} windows), {} folds",
        count(&ds.train_idx),
        count(&ds.eval_idx),
        ds.train_idx.len(),
        ds.eval_idx.len(),
        folds.len()
    );
    let heuristic: Vec<f64> = folds
        .iter()
        .filter_map(|(_, v)| measure(&ds.windows, v, k, &|w: &Window| heuristic_scores(&w.examples)).pooled_auc)
        .collect();
    show(&format!("heuristic per fold {heuristic:.3?}"), Some(heuristic.iter().sum::<f64>() / heuristic.len() as f64));
    let labels = std::env::var("RISK_LABELS").ok().and_then(|s| s.parse().ok()).unwrap_or(0);
    if std::env::var("RISK_SINGLE").is_ok() {
        for (f, name) in FEATURE_NAMES.iter().enumerate() {
            let aucs: Vec<f64> = folds
                .iter()
                .filter_map(|(_, v)| {
                    measure(&ds.windows, v, k, &|w: &Window| w.rows.iter().map(|r| r[f]).collect()).pooled_auc
                })
                .collect();
            show(&format!("single feature {name}"), Some(aucs.iter().sum::<f64>() / aucs.len() as f64));
        }
    }
    if let Ok(l2) = std::env::var("RISK_FORWARD") {
        let family = Family::Logistic { l2: l2.parse().unwrap() };
        let mut chosen: Vec<usize> = Vec::new();
        let mut so_far = 0.5;
        loop {
            let best = (0..FEATURE_NAMES.len())
                .filter(|f| !chosen.contains(f))
                .filter_map(|f| {
                    let mut inputs = chosen.clone();
                    inputs.push(f);
                    folds_auc(&ds.windows, &folds, k, family, &inputs, labels).map(|a| (f, a))
                })
                .fold(None, |b: Option<(usize, f64)>, x| if b.is_some_and(|b| b.1 >= x.1) { b } else { Some(x) });
            let Some((f, a)) = best else { break };
            if a < so_far + 0.001 {
                break;
            }
            chosen.push(f);
            so_far = a;
            show(&format!("forward + {}", FEATURE_NAMES[f]), Some(a));
        }
    }
    if let Ok(spec) = std::env::var("RISK_FEATURES") {
        for set in spec.split(';') {
            let inputs: Vec<usize> =
                set.split(',').map(|n| FEATURE_NAMES.iter().position(|f| f == &n).expect(n)).collect();
            for l2 in [1.0, 10.0, 100.0] {
                let a = folds_auc(&ds.windows, &folds, k, Family::Logistic { l2 }, &inputs, labels);
                show(&format!("logistic l2 {l2} on {set}"), a);
            }
        }
    }
    if let Ok(spec) = std::env::var("RISK_TREES") {
        for (set, (set_name, _)) in FEATURE_SETS.iter().enumerate() {
            for t in spec.split(',') {
                let p: Vec<f64> = t.split(':').map(|x| x.parse().unwrap()).collect();
                let o = GbtOptions {
                    depth: p[0] as usize,
                    rounds: p[1] as usize,
                    lambda: p[2],
                    min_hessian: p[3],
                    ..TREES
                };
                let a = folds_auc(&ds.windows, &folds, k, Family::Trees(o), &feature_set(set), labels);
                show(&format!("trees {t} on {set_name}"), a);
            }
        }
    }
    let (candidate, auc_chosen, scores) = choose(&ds.windows, &folds, k);
    for s in &scores {
        show(&s.model, Some(s.auc));
    }
    show(&format!("CHOSEN {}", candidate.describe()), auc_chosen);
    if std::env::var("RISK_TEST").is_ok() {
        let model = fit(&ds.windows, &ds.train_idx, &candidate, &[]);
        let m = measure(&ds.windows, &ds.eval_idx, k, &|w: &Window| w.rows.iter().map(|r| model.predict(r)).collect());
        let h = measure(&ds.windows, &ds.eval_idx, k, &|w: &Window| heuristic_scores(&w.examples));
        eprintln!("TEST model {m:?}\nTEST heuristic {h:?}");
    }
}

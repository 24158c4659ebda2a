//! Experiments on a mined history, compiled only with the `experiments` feature:
//! `RISK_HISTORY=<history.json> cargo test -p bsl-assistant --release --features experiments
//! experiments -- --nocapture`.

use super::*;

type RowFn = dyn Fn(&Window) -> Vec<Vec<f64>>;

fn fit_eval(ds: &Dataset, k: usize, rows: &RowFn, opts: TrainOptions) -> Measures {
    let mut x = Vec::new();
    let mut y = Vec::new();
    for &i in &ds.train_idx {
        x.extend(rows(&ds.windows[i]));
        y.extend(ds.windows[i].labels.iter().copied());
    }
    let w = vec![1.0; x.len()];
    let model = Logistic::train(&x, &y, &w, opts);
    measure(&ds.windows, &ds.eval_idx, k, &|win: &Window| rows(win).iter().map(|r| model.predict(r)).collect())
}

fn show(name: &str, m: Measures) {
    let f = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.3}"));
    eprintln!("{name:<48} pooled {} window {} p@10 {}", f(m.pooled_auc), f(m.window_auc), f(m.precision_at_k));
}

fn logs(w: &Window) -> Vec<Vec<f64>> {
    w.examples.iter().map(Example::features).collect()
}

#[test]
fn experiments() {
    let path = std::env::var("RISK_HISTORY").unwrap_or_else(|_| "/tmp/rc/history.json".into());
    let history = History::load(Path::new(&path));
    let days: Vec<u32> =
        std::env::var("RISK_DAYS").ok().map(|s| s.split(',').map(|d| d.parse().unwrap()).collect()).unwrap_or(vec![90]);
    for days in days {
        let mut options = RiskOptions { days, ..RiskOptions::default() };
        if let Ok(extra) = std::env::var("RISK_PATTERNS") {
            options.fix_patterns = extra.split(',').map(str::to_string).collect();
        }
        let fix = FixMatcher::new(&options.fix_patterns).unwrap();
        let ds = dataset(&history, &fix, &options);
        let pos = |idx: &[usize]| -> (usize, usize) {
            (
                idx.iter().map(|&i| ds.windows[i].labels.iter().filter(|l| **l).count()).sum(),
                idx.iter().map(|&i| ds.windows[i].examples.len()).sum(),
            )
        };
        eprintln!(
            "== days {days}: train {:?} eval {:?} ({} + {} windows)",
            pos(&ds.train_idx),
            pos(&ds.eval_idx),
            ds.train_idx.len(),
            ds.eval_idx.len()
        );
        if std::env::var("RISK_WINDOWS").is_ok() {
            for w in &ds.windows {
                let p = w.labels.iter().filter(|l| **l).count();
                eprintln!(
                    "  window {} methods {} positives {} rate {:.3}",
                    w.time,
                    w.examples.len(),
                    p,
                    p as f64 / w.examples.len() as f64
                );
            }
        }
        let k = options.k;
        let o = TrainOptions::default();
        show("heuristic", measure(&ds.windows, &ds.eval_idx, k, &|w: &Window| heuristic_scores(&w.examples)));
        for l2 in [0.01, 0.1, 1.0] {
            let o = TrainOptions { l2, ..o };
            show(&format!("logistic, log features, l2 {l2}"), fit_eval(&ds, k, &logs, o));
        }
        show(
            "logistic, log features + heuristic",
            fit_eval(
                &ds,
                k,
                &|w: &Window| {
                    let h = heuristic_scores(&w.examples);
                    logs(w)
                        .into_iter()
                        .zip(h)
                        .map(|(mut r, h)| {
                            r.push(h);
                            r
                        })
                        .collect()
                },
                o,
            ),
        );
        if std::env::var("RISK_SINGLE").is_err() {
            continue;
        }
        for (f, name) in FEATURE_NAMES.iter().enumerate() {
            let m = measure(&ds.windows, &ds.eval_idx, k, &|w: &Window| w.examples.iter().map(|e| e.raw[f]).collect());
            show(&format!("  single feature {name}"), m);
        }
    }
}

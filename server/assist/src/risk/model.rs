//! Logistic regression written out: features standardized by the training set's mean and
//! deviation, Newton's method on the mean log-loss with an L2 penalty (the bias is not
//! penalized; the penalized loss is strictly convex, so the optimum is unique and found in a
//! few steps), positives weighted so both classes weigh the same. Plus the two
//! measures the evaluation reports: ROC AUC (Mann–Whitney, ties count half) and
//! precision at k.

use serde::{Deserialize, Serialize};

/// A trained logistic regression.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Logistic {
    pub means: Vec<f64>,
    pub stds: Vec<f64>,
    pub weights: Vec<f64>,
    pub bias: f64,
}

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct TrainOptions {
    pub l2: f64,
    /// The most Newton steps.
    pub iterations: usize,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions { l2: 0.1, iterations: 50 }
    }
}

/// Solves `a x = b` for a symmetric positive definite `a` (row-major, `n × n`) by Cholesky;
/// `None` when `a` is not positive definite.
fn solve_spd(a: &[f64], b: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let mut sum = a[i * n + j];
            for k in 0..j {
                sum -= l[i * n + k] * l[j * n + k];
            }
            if i == j {
                if sum <= 0.0 {
                    return None;
                }
                l[i * n + i] = sum.sqrt();
            } else {
                l[i * n + j] = sum / l[j * n + j];
            }
        }
    }
    let mut y = vec![0.0; n];
    for i in 0..n {
        let mut sum = b[i];
        for k in 0..i {
            sum -= l[i * n + k] * y[k];
        }
        y[i] = sum / l[i * n + i];
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let mut sum = y[i];
        for k in i + 1..n {
            sum -= l[k * n + i] * x[k];
        }
        x[i] = sum / l[i * n + i];
    }
    Some(x)
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

impl Logistic {
    /// Fits `rows` (one feature vector each) to `labels` (0/1) with per-row `weights`.
    pub fn train(rows: &[Vec<f64>], labels: &[bool], row_weights: &[f64], options: TrainOptions) -> Logistic {
        let n = rows.len();
        let dim = rows.first().map_or(0, Vec::len);
        let mut means = vec![0.0; dim];
        let mut stds = vec![0.0; dim];
        for row in rows {
            for (m, x) in means.iter_mut().zip(row) {
                *m += x;
            }
        }
        for m in &mut means {
            *m /= n.max(1) as f64;
        }
        for row in rows {
            for ((s, m), x) in stds.iter_mut().zip(&means).zip(row) {
                *s += (x - m) * (x - m);
            }
        }
        for s in &mut stds {
            *s = (*s / n.max(1) as f64).sqrt();
            if *s < 1e-9 {
                *s = 1.0;
            }
        }
        let z: Vec<Vec<f64>> =
            rows.iter().map(|r| r.iter().zip(&means).zip(&stds).map(|((x, m), s)| (x - m) / s).collect()).collect();
        let positives: f64 = labels.iter().zip(row_weights).filter(|(l, _)| **l).map(|(_, w)| w).sum();
        let total: f64 = row_weights.iter().sum();
        let negatives = total - positives;
        // Balance the classes: each carries half of the total weight.
        let pos_scale = if positives > 0.0 { total / (2.0 * positives) } else { 1.0 };
        let neg_scale = if negatives > 0.0 { total / (2.0 * negatives) } else { 1.0 };
        let w_eff: Vec<f64> =
            labels.iter().zip(row_weights).map(|(l, w)| w * if *l { pos_scale } else { neg_scale }).collect();
        let sum_w: f64 = w_eff.iter().sum::<f64>().max(1e-9);
        // Parameters: the weights, then the bias (the last, unpenalized coordinate).
        let m = dim + 1;
        let mut theta = vec![0.0; m];
        let mut grad = vec![0.0; m];
        let mut hess = vec![0.0; m * m];
        let mut x1 = vec![1.0; m];
        for _ in 0..options.iterations {
            grad.iter_mut().for_each(|g| *g = 0.0);
            hess.iter_mut().for_each(|h| *h = 0.0);
            for ((x, &y), &w) in z.iter().zip(labels).zip(&w_eff) {
                x1[..dim].copy_from_slice(x);
                let p = sigmoid(x1.iter().zip(&theta).map(|(a, b)| a * b).sum::<f64>());
                let err = (p - if y { 1.0 } else { 0.0 }) * w / sum_w;
                let curve = (p * (1.0 - p)).max(1e-12) * w / sum_w;
                for i in 0..m {
                    grad[i] += err * x1[i];
                    let ci = curve * x1[i];
                    for j in 0..=i {
                        hess[i * m + j] += ci * x1[j];
                    }
                }
            }
            for i in 0..m {
                for j in 0..i {
                    hess[j * m + i] = hess[i * m + j];
                }
                let penalty = if i < dim { options.l2 } else { 0.0 };
                grad[i] += penalty * theta[i];
                hess[i * m + i] += penalty + 1e-9;
            }
            let Some(step) = solve_spd(&hess, &grad, m) else { break };
            let largest = step.iter().fold(0.0f64, |a, s| a.max(s.abs()));
            // A damped step far from the optimum, where the quadratic model misleads.
            let scale = if largest > 4.0 { 4.0 / largest } else { 1.0 };
            for (t, s) in theta.iter_mut().zip(&step) {
                *t -= s * scale;
            }
            if largest < 1e-9 {
                break;
            }
        }
        let bias = theta[dim];
        theta.truncate(dim);
        let weights = theta;
        Logistic { means, stds, weights, bias }
    }

    /// The standardized value of each feature times its weight: what pushes a score up.
    pub fn contributions(&self, row: &[f64]) -> Vec<f64> {
        row.iter().zip(&self.means).zip(&self.stds).zip(&self.weights).map(|(((x, m), s), w)| (x - m) / s * w).collect()
    }

    /// The log-odds of the positive class.
    pub fn margin(&self, row: &[f64]) -> f64 {
        self.bias + self.contributions(row).iter().sum::<f64>()
    }

    /// The predicted probability of the positive class.
    pub fn predict(&self, row: &[f64]) -> f64 {
        sigmoid(self.margin(row))
    }
}

/// ROC AUC of `scores` against `labels`; `None` without both classes.
pub fn auc(scores: &[f64], labels: &[bool]) -> Option<f64> {
    let mut pairs: Vec<(f64, bool)> = scores.iter().copied().zip(labels.iter().copied()).collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let pos = pairs.iter().filter(|p| p.1).count() as f64;
    let neg = pairs.len() as f64 - pos;
    if pos == 0.0 || neg == 0.0 {
        return None;
    }
    // Sum of the (average, for ties) ranks of the positives.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < pairs.len() {
        let mut j = i;
        while j < pairs.len() && pairs[j].0 == pairs[i].0 {
            j += 1;
        }
        let avg_rank = (i + 1 + j) as f64 / 2.0;
        rank_sum += pairs[i..j].iter().filter(|p| p.1).count() as f64 * avg_rank;
        i = j;
    }
    Some((rank_sum - pos * (pos + 1.0) / 2.0) / (pos * neg))
}

/// The share of positives among the `k` highest scores.
pub fn precision_at_k(scores: &[f64], labels: &[bool], k: usize) -> f64 {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let k = k.min(order.len());
    if k == 0 {
        return 0.0;
    }
    order[..k].iter().filter(|&&i| labels[i]).count() as f64 / k as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_counts_ties_half() {
        assert_eq!(auc(&[0.1, 0.9], &[false, true]), Some(1.0));
        assert_eq!(auc(&[0.9, 0.1], &[false, true]), Some(0.0));
        assert_eq!(auc(&[0.5, 0.5], &[false, true]), Some(0.5));
        assert_eq!(auc(&[0.5], &[true]), None);
        assert_eq!(precision_at_k(&[0.1, 0.9, 0.8], &[false, true, false], 2), 0.5);
    }

    #[test]
    fn learns_a_separable_rule() {
        let rows: Vec<Vec<f64>> = (0..200).map(|i| vec![i as f64, (i * 7 % 13) as f64]).collect();
        let labels: Vec<bool> = (0..200).map(|i| i > 150).collect();
        let model = Logistic::train(&rows, &labels, &vec![1.0; 200], TrainOptions::default());
        let scores: Vec<f64> = rows.iter().map(|r| model.predict(r)).collect();
        assert!(auc(&scores, &labels).unwrap() > 0.95);
        assert!(model.weights[0] > model.weights[1].abs());
    }
}

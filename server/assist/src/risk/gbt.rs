//! Gradient-boosted decision trees for the log-loss, written out: each feature is cut into
//! at most [`GbtOptions::bins`] quantile bins of the training rows; each round fits one
//! shallow tree to the gradient and hessian of the loss (Newton leaf values
//! `-G / (H + λ)`, split gain from the same sums), shrunk by the learning rate. Rows are
//! subsampled per round by a seeded generator, so training is deterministic.
//!
//! Every node keeps the (shrunk) value it would have as a leaf, so a prediction can be split
//! into per-feature contributions along its path (the Saabas method): each split adds the
//! difference between the child's value and its own to the split's feature.

use serde::{Deserialize, Serialize};

/// Training settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GbtOptions {
    pub rounds: usize,
    pub depth: usize,
    pub learning_rate: f64,
    /// The L2 penalty on leaf values (λ).
    pub lambda: f64,
    /// The least hessian sum a child may hold.
    pub min_hessian: f64,
    /// The share of rows each round sees.
    pub subsample: f64,
    pub bins: usize,
    pub seed: u64,
}

impl Default for GbtOptions {
    fn default() -> Self {
        GbtOptions {
            rounds: 200,
            depth: 3,
            learning_rate: 0.05,
            lambda: 10.0,
            min_hessian: 5.0,
            subsample: 0.7,
            bins: 32,
            seed: 0x5eed_2024,
        }
    }
}

/// One node: a split (`feature`, `threshold`: `x <= threshold` goes left) or a leaf
/// (`left == 0`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    #[serde(rename = "f")]
    pub feature: u16,
    #[serde(rename = "t")]
    pub threshold: f64,
    #[serde(rename = "l")]
    pub left: u32,
    #[serde(rename = "r")]
    pub right: u32,
    /// The shrunk Newton value of the node's rows (a leaf's output).
    #[serde(rename = "v")]
    pub value: f64,
}

/// One tree, its root first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tree {
    pub nodes: Vec<Node>,
}

/// A trained ensemble.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Gbt {
    /// The starting log-odds.
    pub base: f64,
    pub trees: Vec<Tree>,
}

/// A small deterministic generator (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Cut points of one feature: midpoints between distinct values of the training rows,
/// placed so each bin holds about `1 / bins` of the rows (a value repeated more often gets a
/// bin of its own), at most `bins - 1` of them.
fn cut_points(values: &mut [f64], bins: usize) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let per_bin = n.div_ceil(bins.max(1)).max(1);
    let mut cuts: Vec<f64> = Vec::new();
    let mut in_bin = 0;
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j < n && values[j] == values[i] {
            j += 1;
        }
        in_bin += j - i;
        if in_bin >= per_bin && j < n && cuts.len() + 1 < bins {
            cuts.push(values[i] + (values[j] - values[i]) / 2.0);
            in_bin = 0;
        }
        i = j;
    }
    cuts
}

struct Split {
    gain: f64,
    feature: usize,
    bin: usize,
}

struct Builder<'a> {
    bins: &'a [Vec<u8>],
    cuts: &'a [Vec<f64>],
    grad: &'a [f64],
    hess: &'a [f64],
    options: GbtOptions,
    nodes: Vec<Node>,
}

impl Builder<'_> {
    fn leaf_value(&self, g: f64, h: f64) -> f64 {
        -g / (h + self.options.lambda) * self.options.learning_rate
    }

    fn score(&self, g: f64, h: f64) -> f64 {
        g * g / (h + self.options.lambda)
    }

    /// Adds the node of `rows` and its subtree; returns its index.
    fn grow(&mut self, rows: &mut [u32], depth: usize) -> u32 {
        let (g, h) = rows.iter().fold((0.0, 0.0), |(g, h), &r| (g + self.grad[r as usize], h + self.hess[r as usize]));
        let index = self.nodes.len() as u32;
        self.nodes.push(Node { feature: 0, threshold: 0.0, left: 0, right: 0, value: self.leaf_value(g, h) });
        if depth >= self.options.depth || h < 2.0 * self.options.min_hessian {
            return index;
        }
        let parent_score = self.score(g, h);
        let mut best: Option<Split> = None;
        let mut hist_g = [0.0f64; 256];
        let mut hist_h = [0.0f64; 256];
        for (feature, column) in self.bins.iter().enumerate() {
            let n_bins = self.cuts[feature].len() + 1;
            if n_bins < 2 {
                continue;
            }
            hist_g[..n_bins].iter_mut().for_each(|x| *x = 0.0);
            hist_h[..n_bins].iter_mut().for_each(|x| *x = 0.0);
            for &r in rows.iter() {
                let b = column[r as usize] as usize;
                hist_g[b] += self.grad[r as usize];
                hist_h[b] += self.hess[r as usize];
            }
            let (mut gl, mut hl) = (0.0, 0.0);
            for bin in 0..n_bins - 1 {
                gl += hist_g[bin];
                hl += hist_h[bin];
                let (gr, hr) = (g - gl, h - hl);
                if hl < self.options.min_hessian || hr < self.options.min_hessian {
                    continue;
                }
                let gain = self.score(gl, hl) + self.score(gr, hr) - parent_score;
                if gain > 1e-9 && best.as_ref().is_none_or(|b| gain > b.gain) {
                    best = Some(Split { gain, feature, bin });
                }
            }
        }
        let Some(split) = best else { return index };
        let column = &self.bins[split.feature];
        // Partition in place: rows going left first, keeping their order.
        let mut left: Vec<u32> = Vec::with_capacity(rows.len());
        let mut right: Vec<u32> = Vec::with_capacity(rows.len());
        for &r in rows.iter() {
            if column[r as usize] as usize <= split.bin { left.push(r) } else { right.push(r) }
        }
        let n_left = left.len();
        rows[..n_left].copy_from_slice(&left);
        rows[n_left..].copy_from_slice(&right);
        let (left_rows, right_rows) = rows.split_at_mut(n_left);
        let l = self.grow(left_rows, depth + 1);
        let r = self.grow(right_rows, depth + 1);
        let node = &mut self.nodes[index as usize];
        node.feature = split.feature as u16;
        node.threshold = self.cuts[split.feature][split.bin];
        node.left = l;
        node.right = r;
        index
    }
}

impl Tree {
    fn leaf(&self, row: &[f64]) -> usize {
        let mut i = 0;
        loop {
            let node = &self.nodes[i];
            if node.left == 0 {
                return i;
            }
            i = if row[node.feature as usize] <= node.threshold { node.left } else { node.right } as usize;
        }
    }
}

impl Gbt {
    /// Fits `rows` to `labels` with per-row `weights`; positives are reweighted so both
    /// classes weigh the same, as in [`super::model::Logistic::train`].
    pub fn train(rows: &[Vec<f64>], labels: &[bool], weights: &[f64], options: GbtOptions) -> Gbt {
        let n = rows.len();
        let dim = rows.first().map_or(0, Vec::len);
        let bins_per_feature = options.bins.clamp(2, 256);
        let cuts: Vec<Vec<f64>> = (0..dim)
            .map(|f| {
                let mut column: Vec<f64> = rows.iter().map(|r| r[f]).collect();
                cut_points(&mut column, bins_per_feature)
            })
            .collect();
        let bins: Vec<Vec<u8>> =
            (0..dim).map(|f| rows.iter().map(|r| cuts[f].partition_point(|&c| c < r[f]) as u8).collect()).collect();
        let positives: f64 = labels.iter().zip(weights).filter(|(l, _)| **l).map(|(_, w)| w).sum();
        let total: f64 = weights.iter().sum();
        let negatives = total - positives;
        let pos_scale = if positives > 0.0 { total / (2.0 * positives) } else { 1.0 };
        let neg_scale = if negatives > 0.0 { total / (2.0 * negatives) } else { 1.0 };
        let w: Vec<f64> = labels.iter().zip(weights).map(|(l, w)| w * if *l { pos_scale } else { neg_scale }).collect();
        // Balanced classes: the starting log-odds is 0.
        let base = 0.0;
        let mut margin = vec![base; n];
        let mut grad = vec![0.0; n];
        let mut hess = vec![0.0; n];
        let mut rng = Rng(options.seed);
        let mut trees = Vec::with_capacity(options.rounds);
        let mut rows_of_round: Vec<u32> = Vec::with_capacity(n);
        for _ in 0..options.rounds {
            for i in 0..n {
                let p = sigmoid(margin[i]);
                let y = if labels[i] { 1.0 } else { 0.0 };
                grad[i] = (p - y) * w[i];
                hess[i] = (p * (1.0 - p)).max(1e-6) * w[i];
            }
            rows_of_round.clear();
            for i in 0..n as u32 {
                if options.subsample >= 1.0 || rng.unit() < options.subsample {
                    rows_of_round.push(i);
                }
            }
            let mut builder =
                Builder { bins: &bins, cuts: &cuts, grad: &grad, hess: &hess, options, nodes: Vec::new() };
            builder.grow(&mut rows_of_round, 0);
            let tree = Tree { nodes: builder.nodes };
            for (i, m) in margin.iter_mut().enumerate() {
                // Training rows follow the bins, which agree with the thresholds.
                *m += tree.nodes[tree.leaf(&rows[i])].value;
            }
            trees.push(tree);
        }
        Gbt { base, trees }
    }

    /// The log-odds of a row.
    pub fn margin(&self, row: &[f64]) -> f64 {
        self.base + self.trees.iter().map(|t| t.nodes[t.leaf(row)].value).sum::<f64>()
    }

    /// The predicted probability of the positive class (of the class-balanced fit).
    pub fn predict(&self, row: &[f64]) -> f64 {
        sigmoid(self.margin(row))
    }

    /// Each feature's share of the row's log-odds along the trees' paths (Saabas): what
    /// pushes a score up is positive. They sum, with [`Gbt::base`] and the roots' values,
    /// to [`Gbt::margin`].
    pub fn contributions(&self, row: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; row.len()];
        for tree in &self.trees {
            let mut i = 0;
            loop {
                let node = &tree.nodes[i];
                if node.left == 0 {
                    break;
                }
                let next = if row[node.feature as usize] <= node.threshold { node.left } else { node.right } as usize;
                out[node.feature as usize] += tree.nodes[next].value - node.value;
                i = next;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::risk::model::auc;

    #[test]
    fn learns_an_interaction_and_explains_it() {
        // Positive when both the first and the second feature are high; the third is noise.
        let rows: Vec<Vec<f64>> =
            (0..600).map(|i| vec![(i % 20) as f64, (i / 20 % 30) as f64, (i * 7919 % 101) as f64]).collect();
        let labels: Vec<bool> = rows.iter().map(|r| r[0] > 12.0 && r[1] > 18.0).collect();
        let model = Gbt::train(&rows, &labels, &vec![1.0; rows.len()], GbtOptions::default());
        let scores: Vec<f64> = rows.iter().map(|r| model.predict(r)).collect();
        assert!(auc(&scores, &labels).unwrap() > 0.97);
        let again = Gbt::train(&rows, &labels, &vec![1.0; rows.len()], GbtOptions::default());
        assert_eq!(model, again, "deterministic");
        let row = vec![19.0, 29.0, 50.0];
        let c = model.contributions(&row);
        let roots: f64 = model.trees.iter().map(|t| t.nodes[0].value).sum();
        assert!((model.base + roots + c.iter().sum::<f64>() - model.margin(&row)).abs() < 1e-9);
        assert!(c[0] > c[2].abs() && c[1] > c[2].abs(), "{c:?}");
    }
}

//! Per-method counters and latencies of the language server, kept by a thin `tower`
//! layer around the service, and reported by the `bsl-assist/stats` request. Latency
//! quantiles come from the last [`WINDOW`] observations of each method, so they describe
//! the server as it is now rather than since it started.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::{Request, Response};

/// Observations kept per method for the quantiles.
const WINDOW: usize = 2048;

#[derive(Debug, Default)]
struct MethodStats {
    count: u64,
    errors: u64,
    total: Duration,
    recent: VecDeque<Duration>,
}

/// The server's counters; cheap to update from any task.
#[derive(Debug)]
pub struct Metrics {
    started: Instant,
    methods: Mutex<BTreeMap<String, MethodStats>>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics { started: Instant::now(), methods: Mutex::default() }
    }
}

impl Metrics {
    /// One request or notification handled.
    pub fn observe(&self, method: &str, took: Duration, failed: bool) {
        let mut methods = self.methods.lock().unwrap_or_else(|e| e.into_inner());
        let stats = methods.entry(method.to_string()).or_default();
        stats.count += 1;
        stats.errors += u64::from(failed);
        stats.total += took;
        if stats.recent.len() == WINDOW {
            stats.recent.pop_front();
        }
        stats.recent.push_back(took);
    }

    pub fn uptime(&self) -> Duration {
        self.started.elapsed()
    }

    /// `{method: {count, errors, mean_ms, p50_ms, p99_ms}}`.
    pub fn json(&self) -> Value {
        let methods = self.methods.lock().unwrap_or_else(|e| e.into_inner());
        let mut out = serde_json::Map::new();
        for (method, stats) in methods.iter() {
            let mut sorted: Vec<Duration> = stats.recent.iter().copied().collect();
            sorted.sort();
            let quantile = |q: f64| {
                if sorted.is_empty() {
                    return 0.0;
                }
                let i = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len()) - 1;
                sorted[i].as_secs_f64() * 1000.0
            };
            out.insert(
                method.clone(),
                json!({
                    "count": stats.count,
                    "errors": stats.errors,
                    "mean_ms": stats.total.as_secs_f64() * 1000.0 / stats.count.max(1) as f64,
                    "p50_ms": quantile(0.5),
                    "p99_ms": quantile(0.99),
                }),
            );
        }
        Value::Object(out)
    }
}

/// Wraps the LSP service to time every message by method.
#[derive(Clone)]
pub struct Measured<S> {
    pub inner: S,
    pub metrics: Arc<Metrics>,
}

impl<S> tower::Service<Request> for Measured<S>
where
    S: tower::Service<Request, Response = Option<Response>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = std::pin::Pin<Box<dyn Future<Output = Result<Option<Response>, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let method = request.method().to_string();
        let metrics = self.metrics.clone();
        let started = Instant::now();
        let future = self.inner.call(request);
        Box::pin(async move {
            let result = future.await;
            let failed = match &result {
                Ok(Some(response)) => response.is_error(),
                Ok(None) => false,
                Err(_) => true,
            };
            metrics.observe(&method, started.elapsed(), failed);
            result
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_come_from_recent_observations() {
        let metrics = Metrics::default();
        for ms in 1..=100 {
            metrics.observe("textDocument/hover", Duration::from_millis(ms), ms == 100);
        }
        let json = metrics.json();
        let hover = &json["textDocument/hover"];
        assert_eq!(hover["count"], 100);
        assert_eq!(hover["errors"], 1);
        assert_eq!(hover["p50_ms"], 50.0);
        assert_eq!(hover["p99_ms"], 99.0);
    }
}

//! Per-method counters and latencies of the language server, kept by a thin `tower`
//! layer around the service, and reported by the `bsl-assist/stats` request and, with
//! `bsl-assist lsp --metrics <loopback address>`, as Prometheus text at `GET /metrics`.
//! Latency quantiles come from the last [`WINDOW`] observations of each method, so they
//! describe the server as it is now; the histograms count since the start.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::{Request, Response};

/// Observations kept per method for the quantiles.
const WINDOW: usize = 2048;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Debug, Default)]
struct MethodStats {
    count: u64,
    errors: u64,
    total: Duration,
    recent: VecDeque<Duration>,
    /// Observations at or under each bound (not cumulative).
    buckets: [u64; BUCKETS.len()],
}

/// Gauges the server adds when metrics are rendered: `(name, labels, value)`.
pub type Gauges = Box<dyn Fn() -> Vec<(String, String, f64)> + Send + Sync>;

/// The server's counters; cheap to update from any task.
pub struct Metrics {
    started: Instant,
    methods: Mutex<BTreeMap<String, MethodStats>>,
    gauges: Mutex<Option<Gauges>>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics { started: Instant::now(), methods: Mutex::default(), gauges: Mutex::default() }
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
        if let Some(i) = BUCKETS.iter().position(|b| took.as_secs_f64() <= *b) {
            stats.buckets[i] += 1;
        }
    }

    /// Sets what the server adds to the rendered metrics (index size, tokens, AUC).
    pub fn set_gauges(&self, gauges: Gauges) {
        *self.gauges.lock().unwrap_or_else(|e| e.into_inner()) = Some(gauges);
    }

    /// The metrics in Prometheus' text exposition format (version 0.0.4).
    pub fn prometheus(&self) -> String {
        use std::fmt::Write as _;
        let label = |v: &str| v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
        let mut out = String::new();
        let methods = self.methods.lock().unwrap_or_else(|e| e.into_inner());
        let _ =
            writeln!(out, "# HELP bsl_lsp_requests Messages handled, by LSP method.\n# TYPE bsl_lsp_requests counter");
        for (method, stats) in methods.iter() {
            let _ = writeln!(out, "bsl_lsp_requests_total{{method=\"{}\"}} {}", label(method), stats.count);
        }
        let _ = writeln!(
            out,
            "# HELP bsl_lsp_request_errors Requests answered with an error.\n# TYPE bsl_lsp_request_errors counter"
        );
        for (method, stats) in methods.iter() {
            let _ = writeln!(out, "bsl_lsp_request_errors_total{{method=\"{}\"}} {}", label(method), stats.errors);
        }
        let _ = writeln!(
            out,
            "# HELP bsl_lsp_request_duration_seconds Time to answer, by LSP method.\n# TYPE bsl_lsp_request_duration_seconds histogram"
        );
        for (method, stats) in methods.iter() {
            let method = label(method);
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(stats.buckets) {
                cumulative += n;
                let _ = writeln!(
                    out,
                    "bsl_lsp_request_duration_seconds_bucket{{method=\"{method}\",le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "bsl_lsp_request_duration_seconds_bucket{{method=\"{method}\",le=\"+Inf\"}} {}",
                stats.count
            );
            let _ = writeln!(
                out,
                "bsl_lsp_request_duration_seconds_sum{{method=\"{method}\"}} {}",
                stats.total.as_secs_f64()
            );
            let _ = writeln!(out, "bsl_lsp_request_duration_seconds_count{{method=\"{method}\"}} {}", stats.count);
        }
        drop(methods);
        let _ = writeln!(
            out,
            "# HELP bsl_lsp_uptime_seconds Time since the server started.\n# TYPE bsl_lsp_uptime_seconds gauge"
        );
        let _ = writeln!(out, "bsl_lsp_uptime_seconds {}", self.started.elapsed().as_secs_f64());
        if let Some(gauges) = self.gauges.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            let mut seen = std::collections::BTreeSet::new();
            for (name, labels, value) in gauges() {
                if seen.insert(name.clone()) {
                    let _ = writeln!(out, "# TYPE {name} gauge");
                }
                let labels = if labels.is_empty() { String::new() } else { format!("{{{labels}}}") };
                let _ = writeln!(out, "{name}{labels} {value}");
            }
        }
        out
    }

    /// Serves `GET /metrics` on a loopback address from a thread of its own, for the life
    /// of the process. Other paths get 404.
    pub fn serve(self: std::sync::Arc<Self>, address: std::net::SocketAddr) -> std::io::Result<()> {
        use std::io::{BufRead, Write};
        if !address.ip().is_loopback() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                format!("metrics are served on loopback only, not {address}"),
            ));
        }
        let listener = std::net::TcpListener::bind(address)?;
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                let mut reader = std::io::BufReader::new(match stream.try_clone() {
                    Ok(s) => s,
                    Err(_) => continue,
                });
                let mut request_line = String::new();
                if reader.read_line(&mut request_line).is_err() {
                    continue;
                }
                // Skip the headers.
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" || line == "\n" {
                        break;
                    }
                }
                let (status, body) = if request_line.starts_with("GET /metrics ") {
                    ("200 OK", self.prometheus())
                } else {
                    ("404 Not Found", "not found; metrics are at GET /metrics\n".to_string())
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        Ok(())
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
        let is_request = request.id().is_some();
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
            let took = started.elapsed();
            metrics.observe(&method, took, failed);
            // Method names and timings only: never the code or the parameters.
            let ms = took.as_secs_f64() * 1000.0;
            if is_request {
                tracing::info!(method = %method, ms, failed, "request");
            } else {
                tracing::debug!(method = %method, ms, "notification");
            }
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
        metrics.set_gauges(Box::new(|| vec![("bsl_lsp_index_modules".into(), String::new(), 3.0)]));
        let text = metrics.prometheus();
        assert!(text.contains("bsl_lsp_requests_total{method=\"textDocument/hover\"} 100"), "{text}");
        assert!(
            text.contains("bsl_lsp_request_duration_seconds_bucket{method=\"textDocument/hover\",le=\"0.01\"} 10"),
            "{text}"
        );
        assert!(
            text.contains("bsl_lsp_request_duration_seconds_bucket{method=\"textDocument/hover\",le=\"+Inf\"} 100"),
            "{text}"
        );
        assert!(text.contains("bsl_lsp_index_modules 3"), "{text}");
    }
}

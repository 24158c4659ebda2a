//! Counters and latency histograms of the MCP server: requests per JSON-RPC method, calls,
//! failures and durations per tool, protocol errors per code. Rendered as Prometheus text
//! for `--metrics` and as JSON for the `stats` tool.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Debug, Default, Clone)]
struct Histogram {
    /// Observations at or under each bound (not cumulative; summed when rendered).
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn observe(&mut self, seconds: f64) {
        if let Some(i) = BUCKETS.iter().position(|bound| seconds <= *bound) {
            self.counts[i] += 1;
        }
        self.count += 1;
        self.sum += seconds;
    }

    /// The smallest bucket bound at or above the given share of observations.
    fn quantile(&self, share: f64) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let wanted = (self.count as f64 * share).ceil() as u64;
        let mut seen = 0;
        for (i, count) in self.counts.iter().enumerate() {
            seen += count;
            if seen >= wanted {
                return Some(BUCKETS[i]);
            }
        }
        Some(f64::INFINITY)
    }
}

#[derive(Debug, Default, Clone)]
struct ToolStats {
    calls: u64,
    /// Results with `isError: true` (the tool ran but could not answer).
    failures: u64,
    latency: Histogram,
}

#[derive(Debug, Default)]
struct Inner {
    requests: BTreeMap<String, u64>,
    request_latency: BTreeMap<String, Histogram>,
    tools: BTreeMap<String, ToolStats>,
    protocol_errors: BTreeMap<i64, u64>,
    http_rejections: BTreeMap<u16, u64>,
}

/// The server's metrics; cheap to update from any thread.
#[derive(Debug)]
pub struct Metrics {
    started: Instant,
    inner: Mutex<Inner>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics { started: Instant::now(), inner: Mutex::default() }
    }
}

/// Figures about the workspace the server keeps, added to the rendered metrics.
#[derive(Debug, Default, Clone, Copy)]
pub struct Gauges {
    pub modules: Option<usize>,
    pub metadata_objects: Option<usize>,
    pub load_seconds: Option<f64>,
    pub search_documents: Option<usize>,
}

/// Prometheus label values escape `\`, `"` and line breaks.
fn label(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

fn seconds(value: f64) -> String {
    if value.is_infinite() { "+Inf".to_string() } else { format!("{value}") }
}

impl Metrics {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves plain counters behind: still usable.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// One JSON-RPC request or notification by method, with the time it took to answer.
    pub fn request(&self, method: &str, took: Duration) {
        let mut inner = self.lock();
        *inner.requests.entry(method.to_string()).or_default() += 1;
        inner.request_latency.entry(method.to_string()).or_default().observe(took.as_secs_f64());
    }

    /// One tool call, whether it failed (`isError`) and how long it took.
    pub fn tool(&self, tool: &str, failed: bool, took: Duration) {
        let mut inner = self.lock();
        let stats = inner.tools.entry(tool.to_string()).or_default();
        stats.calls += 1;
        stats.failures += u64::from(failed);
        stats.latency.observe(took.as_secs_f64());
    }

    /// One JSON-RPC error answer.
    pub fn protocol_error(&self, code: i64) {
        *self.lock().protocol_errors.entry(code).or_default() += 1;
    }

    /// One HTTP request refused before it reached the protocol (401, 403, 404, ...).
    pub fn http_rejection(&self, status: u16) {
        *self.lock().http_rejections.entry(status).or_default() += 1;
    }

    /// The metrics in Prometheus' text exposition format (version 0.0.4).
    pub fn prometheus(&self, gauges: Gauges) -> String {
        let inner = self.lock();
        let mut out = String::new();
        family(
            &mut out,
            "bsl_mcp_requests_total",
            "counter",
            "JSON-RPC requests and notifications received, by method.",
        );
        for (method, count) in &inner.requests {
            let _ = writeln!(out, "bsl_mcp_requests_total{{method=\"{}\"}} {count}", label(method));
        }
        family(
            &mut out,
            "bsl_mcp_request_duration_seconds",
            "histogram",
            "Time to answer a JSON-RPC message, by method.",
        );
        for (method, histogram) in &inner.request_latency {
            render_histogram(&mut out, "bsl_mcp_request_duration_seconds", "method", method, histogram);
        }
        family(&mut out, "bsl_mcp_tool_calls_total", "counter", "Tool calls, by tool.");
        for (tool, stats) in &inner.tools {
            let _ = writeln!(out, "bsl_mcp_tool_calls_total{{tool=\"{}\"}} {}", label(tool), stats.calls);
        }
        family(&mut out, "bsl_mcp_tool_errors_total", "counter", "Tool calls answered with isError, by tool.");
        for (tool, stats) in &inner.tools {
            let _ = writeln!(out, "bsl_mcp_tool_errors_total{{tool=\"{}\"}} {}", label(tool), stats.failures);
        }
        family(&mut out, "bsl_mcp_tool_duration_seconds", "histogram", "Time a tool call took, by tool.");
        for (tool, stats) in &inner.tools {
            render_histogram(&mut out, "bsl_mcp_tool_duration_seconds", "tool", tool, &stats.latency);
        }
        family(&mut out, "bsl_mcp_protocol_errors_total", "counter", "JSON-RPC error answers, by error code.");
        for (code, count) in &inner.protocol_errors {
            let _ = writeln!(out, "bsl_mcp_protocol_errors_total{{code=\"{code}\"}} {count}");
        }
        family(
            &mut out,
            "bsl_mcp_http_rejections_total",
            "counter",
            "HTTP requests refused before the protocol, by status.",
        );
        for (status, count) in &inner.http_rejections {
            let _ = writeln!(out, "bsl_mcp_http_rejections_total{{status=\"{status}\"}} {count}");
        }
        family(&mut out, "bsl_mcp_uptime_seconds", "gauge", "Seconds since the server started.");
        let _ = writeln!(out, "bsl_mcp_uptime_seconds {}", self.started.elapsed().as_secs_f64());
        let optional = [
            ("bsl_mcp_workspace_modules", "Modules in the loaded workspace index.", gauges.modules.map(|n| n as f64)),
            (
                "bsl_mcp_workspace_metadata_objects",
                "Metadata objects in the loaded workspace index.",
                gauges.metadata_objects.map(|n| n as f64),
            ),
            ("bsl_mcp_workspace_load_seconds", "Seconds the workspace took to load.", gauges.load_seconds),
            (
                "bsl_mcp_search_documents",
                "Documents in the search index (knowledge and code).",
                gauges.search_documents.map(|n| n as f64),
            ),
        ];
        for (name, help, value) in optional {
            if let Some(value) = value {
                family(&mut out, name, "gauge", help);
                let _ = writeln!(out, "{name} {value}");
            }
        }
        out
    }

    /// The metrics as JSON, for the `stats` tool.
    pub fn json(&self, gauges: Gauges) -> Value {
        let inner = self.lock();
        let tools: serde_json::Map<String, Value> = inner
            .tools
            .iter()
            .map(|(tool, stats)| {
                let ms = |q: f64| stats.latency.quantile(q).map(|s| if s.is_finite() { s * 1000.0 } else { s });
                (
                    tool.clone(),
                    json!({
                        "calls": stats.calls,
                        "errors": stats.failures,
                        "total_seconds": stats.latency.sum,
                        "mean_ms": if stats.calls > 0 { stats.latency.sum * 1000.0 / stats.calls as f64 } else { 0.0 },
                        "p50_ms_at_most": ms(0.5),
                        "p95_ms_at_most": ms(0.95),
                    }),
                )
            })
            .collect();
        let errors: serde_json::Map<String, Value> =
            inner.protocol_errors.iter().map(|(code, n)| (code.to_string(), json!(n))).collect();
        json!({
            "uptime_seconds": self.started.elapsed().as_secs_f64(),
            "requests": inner.requests,
            "tools": tools,
            "protocol_errors": errors,
            "workspace": {
                "modules": gauges.modules,
                "metadata_objects": gauges.metadata_objects,
                "load_seconds": gauges.load_seconds,
                "search_documents": gauges.search_documents,
            },
        })
    }
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

fn render_histogram(out: &mut String, name: &str, key: &str, value: &str, histogram: &Histogram) {
    let value = label(value);
    let mut cumulative = 0;
    for (bound, count) in BUCKETS.iter().zip(histogram.counts) {
        cumulative += count;
        let _ = writeln!(out, "{name}_bucket{{{key}=\"{value}\",le=\"{}\"}} {cumulative}", seconds(*bound));
    }
    let _ = writeln!(out, "{name}_bucket{{{key}=\"{value}\",le=\"+Inf\"}} {}", histogram.count);
    let _ = writeln!(out, "{name}_sum{{{key}=\"{value}\"}} {}", histogram.sum);
    let _ = writeln!(out, "{name}_count{{{key}=\"{value}\"}} {}", histogram.count);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_are_cumulative_and_counted() {
        let metrics = Metrics::default();
        metrics.tool("hover", false, Duration::from_micros(500));
        metrics.tool("hover", true, Duration::from_millis(30));
        metrics.protocol_error(-32602);
        let text = metrics.prometheus(Gauges { modules: Some(3), ..Gauges::default() });
        assert!(text.contains("bsl_mcp_tool_calls_total{tool=\"hover\"} 2"), "{text}");
        assert!(text.contains("bsl_mcp_tool_errors_total{tool=\"hover\"} 1"), "{text}");
        assert!(text.contains("bsl_mcp_tool_duration_seconds_bucket{tool=\"hover\",le=\"0.001\"} 1"), "{text}");
        assert!(text.contains("bsl_mcp_tool_duration_seconds_bucket{tool=\"hover\",le=\"0.05\"} 2"), "{text}");
        assert!(text.contains("bsl_mcp_tool_duration_seconds_count{tool=\"hover\"} 2"), "{text}");
        assert!(text.contains("bsl_mcp_protocol_errors_total{code=\"-32602\"} 1"), "{text}");
        assert!(text.contains("bsl_mcp_workspace_modules 3"), "{text}");
        let json = metrics.json(Gauges::default());
        assert_eq!(json["tools"]["hover"]["calls"], 2);
        assert_eq!(json["tools"]["hover"]["p50_ms_at_most"], 1.0);
    }
}

//! The Model Context Protocol server of bsl-assist (`bsl-assist mcp`): tools over a BSL and
//! OneScript workspace for AI agents — diagnostics, document symbols, definition,
//! references, hover, search over knowledge and code, a workspace report and the server's
//! statistics — and resources: every rule's documentation (`bsl-assist://rules/<Code>`)
//! and the development standards (`bsl-assist://standards/<key>`).
//!
//! The workspace is loaded once per server (`bsl_workspace`), with the same analysis calls
//! the language server makes. Transports: newline-delimited JSON-RPC over standard input and
//! output ([`stdio`]) or streamable HTTP ([`http`]). [`metrics`] counts requests, tool calls,
//! errors and latencies, shown as Prometheus text and by the `stats` tool; [`logging`] writes
//! structured logs.

mod assist_tools;
pub mod http;
pub mod logging;
pub mod metrics;
mod schema;
pub mod server;
pub mod stdio;
mod tools;
pub mod workspace;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use serde_json::Value;

pub use server::Server;
pub use tracing::level_filters::LevelFilter;
pub use workspace::Workspace;

/// How `bsl-assist mcp` was asked to run.
#[derive(Debug, Clone)]
pub struct Options {
    pub workspace: PathBuf,
    /// Serve streamable HTTP on this port instead of standard input and output.
    pub http: Option<u16>,
    pub bind: IpAddr,
    /// The bearer token HTTP clients must send; required for a non-loopback `bind`.
    pub token: Option<String>,
    /// Serve Prometheus text at `GET /metrics` on this address.
    pub metrics: Option<SocketAddr>,
    pub log_level: tracing::level_filters::LevelFilter,
    pub log_dir: PathBuf,
}

/// Refuses configurations that would expose the workspace: HTTP on a non-loopback address
/// without a token, an empty token, metrics on a non-loopback address without a token.
pub fn check_options(options: &Options) -> anyhow::Result<()> {
    if options.token.as_deref().is_some_and(|t| t.trim().is_empty()) {
        anyhow::bail!("the token is empty; give a long random string");
    }
    if options.http.is_some() && !options.bind.is_loopback() && options.token.is_none() {
        anyhow::bail!(
            "refusing to serve MCP on {} without a token: anyone who can reach it could read the workspace; give --token (or BSL_ASSIST_MCP_TOKEN), or bind 127.0.0.1",
            options.bind
        );
    }
    if options.http.is_none() && options.bind != IpAddr::from([127, 0, 0, 1]) {
        anyhow::bail!("--bind only applies with --http <port>");
    }
    if let Some(addr) = options.metrics
        && !addr.ip().is_loopback()
    {
        anyhow::bail!(
            "--metrics {addr}: the metrics endpoint has no authentication; give a loopback address such as 127.0.0.1:9464"
        );
    }
    Ok(())
}

/// Answers one message: a request, a notification, or a batch of them (an array).
pub fn handle_message(server: &Server, message: &Value) -> Option<Value> {
    match message {
        Value::Array(batch) if batch.is_empty() => {
            server.metrics.protocol_error(server::INVALID_REQUEST);
            Some(server::error_response(Value::Null, server::INVALID_REQUEST, "an empty batch"))
        }
        Value::Array(batch) => {
            let answers: Vec<Value> = batch.iter().filter_map(|m| server.handle(m)).collect();
            (!answers.is_empty()).then_some(Value::Array(answers))
        }
        message => server.handle(message),
    }
}

/// Runs the server until standard input closes (stdio) or the process is stopped (HTTP).
pub fn run(options: Options) -> anyhow::Result<()> {
    check_options(&options)?;
    let _guard = logging::init(options.log_level, &options.log_dir);
    let server = Server::new(Workspace::new(&options.workspace)?);
    tracing::info!(
        workspace = %server.workspace.root().display(),
        transport = if options.http.is_some() { "http" } else { "stdio" },
        version = env!("CARGO_PKG_VERSION"),
        "MCP server starting"
    );
    server.preload();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let result = runtime.block_on(async {
        if let Some(addr) = options.metrics {
            let listener = http::bind(addr).await?;
            tracing::info!(%addr, "metrics at /metrics");
            tokio::spawn(http::serve_metrics(server.clone(), listener));
        }
        match options.http {
            Some(port) => {
                let addr = SocketAddr::new(options.bind, port);
                let listener = http::bind(addr).await?;
                let local = listener.local_addr()?;
                tracing::info!(%local, authenticated = options.token.is_some(), "MCP over HTTP at /mcp");
                eprintln!("bsl-assist mcp: listening on http://{local}/mcp");
                http::serve_mcp(server.clone(), listener, options.token.clone()).await
            }
            None => stdio::serve(server.clone()).await,
        }
    });
    // A thread may still sit in a blocking read of standard input; do not wait for it.
    runtime.shutdown_background();
    tracing::info!("MCP server stopped");
    result
}

//! The LSP layer: the only place that knows the Language Server Protocol. It owns the open
//! documents, converts between byte offsets and LSP positions, and answers requests from
//! snapshots with the analysis layer's results.

mod config;
pub mod convert;
pub mod handlers;
pub mod metrics;
mod raw;
mod server;
pub mod session;
pub mod settings;
mod transport;
pub mod workspace;

use tower_lsp_server::{LspService, Server};

/// The LSP types, for clients of this crate (the benchmark's client decodes answers into them).
pub use tower_lsp_server::ls_types;

/// Serves LSP over standard input and output until the client says `exit` or closes the
/// input. Malformed messages are answered with errors and never stop the server.
pub async fn run_stdio() {
    run_stdio_with(None).await;
}

/// [`run_stdio`], serving Prometheus metrics at `http://<metrics>/metrics` when given (a
/// loopback address; anything else is refused with a message on standard error).
pub async fn run_stdio_with(metrics_address: Option<std::net::SocketAddr>) {
    let metrics = std::sync::Arc::new(metrics::Metrics::default());
    if let Some(address) = metrics_address
        && let Err(error) = metrics.clone().serve(address)
    {
        eprintln!("bsl-assist: cannot serve metrics on {address}: {error}");
    }
    let raw = std::sync::Arc::new(raw::RawReplies::default());
    transport::guarded(tokio::io::stdin(), tokio::io::stdout(), raw.clone(), |input, output| async move {
        let shared = metrics.clone();
        let (service, socket) = LspService::build(move |client| server::Backend::new(client, shared, raw))
            .custom_method("bsl-assist/search", server::Backend::search_request)
            .custom_method("bsl-assist/stats", server::Backend::stats_request)
            .custom_method("bsl-assist/chat", server::Backend::chat_request)
            .custom_method("bsl-assist/clearHistory", server::Backend::clear_history_request)
            .finish();
        let service = metrics::Measured { inner: service, metrics };
        Server::new(input, output, socket).serve(service).await;
    })
    .await;
}

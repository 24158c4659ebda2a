//! The LSP layer: the only place that knows the Language Server Protocol. It owns the open
//! documents, converts between byte offsets and LSP positions, and answers requests from
//! snapshots with the analysis layer's results.

mod config;
pub mod convert;
pub mod handlers;
mod server;
pub mod session;
mod transport;
pub mod workspace;

use tower_lsp_server::{LspService, Server};

/// Serves LSP over standard input and output until the client says `exit` or closes the
/// input. Malformed messages are answered with errors and never stop the server.
pub async fn run_stdio() {
    transport::guarded(tokio::io::stdin(), tokio::io::stdout(), |input, output| async move {
        let (service, socket) = LspService::build(server::Backend::new)
            .custom_method("bsl-assist/search", server::Backend::search_request)
            .finish();
        Server::new(input, output, socket).serve(service).await;
    })
    .await;
}

//! MCP over standard input and output: one JSON-RPC message per line each way. Requests
//! run concurrently on the blocking pool (a long `diagnostics` does not hold up `ping`);
//! answers are written whole, one per line, as they are ready. A line that is not JSON is
//! answered with a parse error and the server reads on.

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

use crate::server::{PARSE_ERROR, Server, error_response};

/// Serves until standard input closes, then waits for the answers in flight.
pub async fn serve(server: Server) -> anyhow::Result<()> {
    let (sender, mut receiver) = mpsc::unbounded_channel::<Value>();
    let writer = tokio::spawn(async move {
        let mut stdout = tokio::io::stdout();
        while let Some(message) = receiver.recv().await {
            let mut line = serde_json::to_vec(&message).unwrap_or_default();
            line.push(b'\n');
            if stdout.write_all(&line).await.is_err() || stdout.flush().await.is_err() {
                break;
            }
        }
    });
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    let mut tasks = tokio::task::JoinSet::new();
    while let Some(line) = lines.next_line().await? {
        if line.trim().is_empty() {
            continue;
        }
        let message: Value = match serde_json::from_str(&line) {
            Ok(message) => message,
            Err(error) => {
                server.metrics.protocol_error(PARSE_ERROR);
                let _ = sender.send(error_response(Value::Null, PARSE_ERROR, format!("not JSON: {error}")));
                continue;
            }
        };
        let (server, sender) = (server.clone(), sender.clone());
        tasks.spawn_blocking(move || {
            if let Some(answer) = crate::handle_message(&server, &message) {
                let _ = sender.send(answer);
            }
        });
        // Reap finished tasks so the set does not grow over a long session.
        while tasks.try_join_next().is_some() {}
    }
    tracing::info!("standard input closed");
    while tasks.join_next().await.is_some() {}
    drop(sender);
    let _ = writer.await;
    Ok(())
}

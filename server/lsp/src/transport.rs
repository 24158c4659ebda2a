//! A guard in front of tower-lsp-server's stdio transport. Its decoder stops reading for
//! good after the first malformed message, which would leave the editor talking to a dead
//! server; here every frame is checked first. A malformed frame gets the JSON-RPC error the
//! specification asks for (parse error or invalid request) and is dropped; valid frames go
//! on unchanged. Both directions pass through whole frames, so our error replies never cut
//! into a message of the server's.

use serde_json::{Value, json};

use crate::raw::RawReplies;
use std::sync::Arc;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::{Semaphore, mpsc};

/// The largest message accepted (a 20 MB module is about 40 MB of JSON at worst).
const MAX_FRAME: usize = 256 * 1024 * 1024;

/// How many bytes of replies may wait for a client that does not read. Past it the server
/// stalls (and so stops reading requests) instead of growing: a count of frames alone would
/// let 64 semantic-token sets of a 20 MB module pile up.
const QUEUED_BYTES: usize = 8 * 1024 * 1024;

/// A frame on its way to the client, holding its share of [`QUEUED_BYTES`] until written.
type Outgoing = (Vec<u8>, tokio::sync::OwnedSemaphorePermit);

/// Queues `bytes` for the client once the byte budget has room; `false` when the writer is
/// gone.
async fn queue(frames: &mpsc::Sender<Outgoing>, budget: &Arc<Semaphore>, bytes: Vec<u8>) -> bool {
    // A frame larger than the whole budget waits for all of it.
    let permits = bytes.len().clamp(1, QUEUED_BYTES) as u32;
    let Ok(permit) = budget.clone().acquire_many_owned(permits).await else { return false };
    frames.send((bytes, permit)).await.is_ok()
}

/// Reads one frame: `Ok(None)` at end of input, `Err(reason)` for a frame whose headers
/// cannot be read (the bytes are skipped up to the blank line that ends them).
async fn read_frame<R: AsyncRead + Unpin>(
    reader: &mut BufReader<R>,
) -> std::io::Result<Option<Result<Vec<u8>, String>>> {
    let mut length: Option<usize> = None;
    let mut bad_header = None;
    let mut saw_any = false;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(None);
        }
        let trimmed = line.trim_end_matches(['\r', '\n']);
        if trimmed.is_empty() {
            if saw_any {
                break;
            }
            continue;
        }
        saw_any = true;
        let (name, value) = trimmed.split_once(':').unwrap_or((trimmed, ""));
        if name.trim().eq_ignore_ascii_case("content-length") {
            match value.trim().parse::<usize>() {
                Ok(n) if n <= MAX_FRAME => length = Some(n),
                Ok(n) => bad_header = Some(format!("message of {n} bytes is too large")),
                Err(_) => bad_header = Some(format!("bad Content-Length `{}`", value.trim())),
            }
        }
    }
    let Some(length) = length else {
        return Ok(Some(Err(bad_header.unwrap_or_else(|| "missing Content-Length".to_string()))));
    };
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await?;
    Ok(Some(Ok(body)))
}

fn frame(body: &[u8]) -> Vec<u8> {
    frame_of(&[body])
}

/// A frame whose body is `pieces` one after another, each copied once.
pub(crate) fn frame_of(pieces: &[&[u8]]) -> Vec<u8> {
    let length: usize = pieces.iter().map(|p| p.len()).sum();
    let mut out = format!("Content-Length: {length}\r\n\r\n").into_bytes();
    out.reserve_exact(length);
    for piece in pieces {
        out.extend_from_slice(piece);
    }
    out
}

fn error_reply(id: Value, code: i64, message: &str) -> Vec<u8> {
    frame(json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } }).to_string().as_bytes())
}

/// Checks one body; returns the error reply when it must not reach the server.
fn check(body: &[u8]) -> Option<Vec<u8>> {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(error) => return Some(error_reply(Value::Null, -32700, &format!("parse error: {error}"))),
    };
    let id = value.get("id").cloned().unwrap_or(Value::Null);
    let valid = value.get("jsonrpc").and_then(Value::as_str) == Some("2.0")
        && (value.get("method").is_some_and(Value::is_string)
            || value.get("result").is_some()
            || value.get("error").is_some())
        && value.get("params").is_none_or(|p| p.is_object() || p.is_array() || p.is_null());
    (!valid).then(|| error_reply(id, -32600, "invalid request"))
}

/// Runs `serve` with guarded copies of `input` and `output`; replies whose results were
/// written as text (`raw`) get their text on the way out.
pub async fn guarded<I, O, F, Fut>(input: I, mut output: O, raw: Arc<RawReplies>, serve: F)
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin + Send + 'static,
    F: FnOnce(tokio::io::DuplexStream, tokio::io::DuplexStream) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let (server_in, mut feed) = tokio::io::duplex(1 << 20);
    let (server_out, drain) = tokio::io::duplex(1 << 20);
    // Bounded in frames and in bytes: a client that stops reading stalls the server instead
    // of growing its memory.
    let (frames, mut to_client) = mpsc::channel::<Outgoing>(64);
    let budget = Arc::new(Semaphore::new(QUEUED_BYTES));

    let (replies, reply_budget) = (frames.clone(), budget.clone());
    let reader = tokio::spawn(async move {
        let mut input = BufReader::new(input);
        while let Ok(Some(frame_or_error)) = read_frame(&mut input).await {
            match frame_or_error {
                Err(reason) => {
                    queue(&replies, &reply_budget, error_reply(Value::Null, -32700, &reason)).await;
                }
                Ok(body) => match check(&body) {
                    Some(reply) => {
                        queue(&replies, &reply_budget, reply).await;
                    }
                    None => {
                        if feed.write_all(&frame(&body)).await.is_err() {
                            break;
                        }
                    }
                },
            }
        }
        // End of input: the server sees end of file and stops.
        let _ = feed.shutdown().await;
    });

    let forward = tokio::spawn(async move {
        let mut drain = BufReader::new(drain);
        while let Ok(Some(Ok(body))) = read_frame(&mut drain).await {
            if !queue(&frames, &budget, raw.framed(body)).await {
                break;
            }
        }
    });

    let writer = tokio::spawn(async move {
        while let Some((bytes, permit)) = to_client.recv().await {
            if output.write_all(&bytes).await.is_err() || output.flush().await.is_err() {
                break;
            }
            drop(permit);
        }
    });

    serve(server_in, server_out).await;
    reader.abort();
    let _ = forward.await;
    let _ = writer.await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_bodies_get_errors() {
        assert!(check(br#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#).is_none());
        assert!(check(br#"{"jsonrpc":"2.0","method":"exit"}"#).is_none());
        let reply = String::from_utf8(check(b"{ nope").unwrap()).unwrap();
        assert!(reply.contains("-32700"), "{reply}");
        let reply = String::from_utf8(check(br#"{"jsonrpc":"2.0","id":7,"params":5}"#).unwrap()).unwrap();
        assert!(reply.contains("-32600") && reply.contains("\"id\":7"), "{reply}");
    }
}

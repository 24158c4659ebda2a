//! Replies whose result the server writes as JSON text itself. tower-lsp-server turns every
//! result into a `serde_json::Value` before writing it, and a pulled diagnostic list of a
//! large module is a megabyte of JSON: building that tree of maps, writing it and dropping
//! it cost more than checking the module. A handler registers the text of its result here
//! (in pieces, so a large one it also keeps is shared, not copied) and answers a stand-in
//! that carries the token it got as its `resultId`; the transport ([`RawReplies::framed`])
//! writes the frame with the text in place of the stand-in's result, copying the text once,
//! so the client never sees the stand-in.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A text that was never claimed (its request was cancelled between the handler and the
/// writer) is dropped after this long.
const UNCLAIMED: Duration = Duration::from_secs(30);

/// Results written as text, waiting for their stand-ins to pass the transport.
pub struct RawReplies {
    /// Starts every token: unique to this process, so no other text of a reply (a user's
    /// code in a hover) can pass for a token.
    prefix: String,
    next: AtomicU64,
    pending: Mutex<VecDeque<Pending>>,
}

struct Pending {
    token: String,
    /// The result's text in pieces, written one after another: a large piece (the items
    /// of a report, which the server also keeps to compare with the next) is shared, not
    /// copied.
    pieces: Vec<Arc<Vec<u8>>>,
    at: Instant,
}

impl Default for RawReplies {
    fn default() -> Self {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        RawReplies {
            prefix: format!("bsl-assist-raw-{}-{nanos:x}-", std::process::id()),
            next: AtomicU64::new(1),
            pending: Mutex::new(VecDeque::new()),
        }
    }
}

impl RawReplies {
    /// Keeps the text of a result (a JSON value, given in pieces: see [`Pending::pieces`])
    /// and returns the token its stand-in must carry as `resultId`.
    pub fn register_pieces(&self, pieces: Vec<Arc<Vec<u8>>>) -> String {
        let token = format!("{}{}", self.prefix, self.next.fetch_add(1, Ordering::Relaxed));
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        pending.retain(|p| now.duration_since(p.at) < UNCLAIMED);
        pending.push_back(Pending { token: token.clone(), pieces, at: now });
        token
    }

    /// The frame (headers and body) that goes to the client for the reply `body`: the same
    /// body, unless it is the reply whose result is the stand-in of a registered text; then
    /// the reply with that text as its result, the text copied only into the frame.
    pub fn framed(&self, body: Vec<u8>) -> Vec<u8> {
        let Some((id, pieces)) = self.claim(&body) else { return crate::transport::frame_of(&[&body]) };
        let head = object_head(r#""jsonrpc":"2.0","id""#, &id, "result");
        let mut parts: Vec<&[u8]> = vec![&head];
        parts.extend(pieces.iter().map(|p| p.as_slice()));
        parts.push(b"}");
        crate::transport::frame_of(&parts)
    }

    /// The id and registered text of a stand-in, taken out of the pending ones.
    fn claim(&self, body: &[u8]) -> Option<(Value, Vec<Arc<Vec<u8>>>)> {
        if self.pending.lock().unwrap_or_else(|e| e.into_inner()).is_empty()
            || memchr::memmem::find(body, self.prefix.as_bytes()).is_none()
        {
            return None;
        }
        let reply: Value = serde_json::from_slice(body).ok()?;
        let token = reply.get("result")?.get("resultId")?.as_str()?;
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        let at = pending.iter().position(|p| p.token == token)?;
        let pieces = pending.remove(at).map(|p| p.pieces).unwrap_or_default();
        Some((reply.get("id").cloned().unwrap_or(Value::Null), pieces))
    }
}

/// The start of a JSON object whose last member's text is written after it:
/// `{<head>:<value>,"<key>":`.
pub fn object_head(head: &str, value: &impl serde::Serialize, key: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(head.len() + key.len() + 32);
    out.push(b'{');
    out.extend_from_slice(head.as_bytes());
    out.push(b':');
    serde_json::to_writer(&mut out, value).expect("a JSON value");
    out.extend_from_slice(b",\"");
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(b"\":");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn register(raw: &RawReplies, text: &[u8]) -> String {
        raw.register_pieces(vec![Arc::new(text.to_vec())])
    }

    /// The body of a frame, after checking that its length header is right.
    fn body(frame: &[u8]) -> Vec<u8> {
        let text = std::str::from_utf8(frame).unwrap();
        let (headers, body) = text.split_once("\r\n\r\n").unwrap();
        assert_eq!(headers, format!("Content-Length: {}", body.len()));
        body.as_bytes().to_vec()
    }

    #[test]
    fn a_stand_in_is_replaced_by_its_text_once() {
        let raw = RawReplies::default();
        // In pieces, as the diagnostics handler registers a report around its shared items.
        let items = Arc::new(br#"[{"message":"x"}]"#.to_vec());
        let token = raw.register_pieces(vec![
            Arc::new(object_head(r#""kind":"full","resultId""#, &"7", "items")),
            items,
            Arc::new(b"}".to_vec()),
        ]);
        let stand_in =
            json!({ "jsonrpc": "2.0", "id": 3, "result": { "kind": "full", "resultId": token, "items": [] } });
        let sent = serde_json::to_vec(&stand_in).unwrap();
        let reply: Value = serde_json::from_slice(&body(&raw.framed(sent.clone()))).unwrap();
        assert_eq!(
            reply,
            json!({ "jsonrpc": "2.0", "id": 3, "result": { "kind": "full", "resultId": "7", "items": [{ "message": "x" }] } })
        );
        // Claimed: the same body again goes out as it is.
        assert_eq!(body(&raw.framed(sent.clone())), sent);
    }

    #[test]
    fn other_replies_pass_unchanged() {
        let raw = RawReplies::default();
        let token = register(&raw, b"[]");
        // A reply that merely mentions the token in its text is not a stand-in.
        let hover = serde_json::to_vec(&json!({ "jsonrpc": "2.0", "id": 1, "result": { "contents": token } })).unwrap();
        assert_eq!(body(&raw.framed(hover.clone())), hover);
        let other = br#"{"jsonrpc":"2.0","id":2,"result":null}"#.to_vec();
        assert_eq!(body(&raw.framed(other.clone())), other);
        // A token of another process is not ours.
        let foreign =
            serde_json::to_vec(&json!({ "id": 4, "result": { "resultId": "bsl-assist-raw-1-2-3" } })).unwrap();
        assert_eq!(body(&raw.framed(foreign.clone())), foreign);
    }
}

//! Replies whose result the server writes as JSON text itself. tower-lsp-server turns every
//! result into a `serde_json::Value` before writing it, and a pulled diagnostic list of a
//! large module is a megabyte of JSON: building that tree of maps, writing it and dropping
//! it cost more than checking the module. A handler registers the text of its result here
//! and answers a stand-in that carries the token it got as its `resultId`; the transport
//! ([`RawReplies::splice`]) puts the text in place of the stand-in's result before the
//! frame leaves, so the client never sees the stand-in.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
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
    json: Vec<u8>,
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
    /// Keeps `json` (the whole result, a JSON value) and returns the token its stand-in
    /// must carry as `resultId`.
    pub fn register(&self, json: Vec<u8>) -> String {
        let token = format!("{}{}", self.prefix, self.next.fetch_add(1, Ordering::Relaxed));
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        pending.retain(|p| now.duration_since(p.at) < UNCLAIMED);
        pending.push_back(Pending { token: token.clone(), json, at: now });
        token
    }

    /// The frame body to send for `body`: the same body, unless it is the reply whose
    /// result is the stand-in of a registered text; then the reply with that text as its
    /// result.
    pub fn splice(&self, body: Vec<u8>) -> Vec<u8> {
        if self.pending.lock().unwrap_or_else(|e| e.into_inner()).is_empty()
            || memchr::memmem::find(&body, self.prefix.as_bytes()).is_none()
        {
            return body;
        }
        let Ok(reply) = serde_json::from_slice::<Value>(&body) else { return body };
        let Some(token) = reply.get("result").and_then(|r| r.get("resultId")).and_then(Value::as_str) else {
            return body;
        };
        let json = {
            let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            let Some(at) = pending.iter().position(|p| p.token == token) else { return body };
            pending.remove(at).map(|p| p.json).unwrap_or_default()
        };
        let id = reply.get("id").cloned().unwrap_or(Value::Null);
        object(r#""jsonrpc":"2.0","id""#, &id, "result", &json)
    }
}

/// The text of a JSON object: `{<head>:<value>,"<key>":<text>}`, where `head` is the
/// object's first members up to the last one's name, and `text` is already JSON.
pub fn object(head: &str, value: &impl serde::Serialize, key: &str, text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + head.len() + key.len() + 32);
    out.push(b'{');
    out.extend_from_slice(head.as_bytes());
    out.push(b':');
    serde_json::to_writer(&mut out, value).expect("a JSON value");
    out.extend_from_slice(b",\"");
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(b"\":");
    out.extend_from_slice(text);
    out.push(b'}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_stand_in_is_replaced_by_its_text_once() {
        let raw = RawReplies::default();
        let token = raw.register(br#"{"kind":"full","resultId":"7","items":[{"message":"x"}]}"#.to_vec());
        let stand_in =
            json!({ "jsonrpc": "2.0", "id": 3, "result": { "kind": "full", "resultId": token, "items": [] } });
        let body = serde_json::to_vec(&stand_in).unwrap();
        let sent: Value = serde_json::from_slice(&raw.splice(body.clone())).unwrap();
        assert_eq!(
            sent,
            json!({ "jsonrpc": "2.0", "id": 3, "result": { "kind": "full", "resultId": "7", "items": [{ "message": "x" }] } })
        );
        // Claimed: the same body again goes out as it is.
        assert_eq!(raw.splice(body.clone()), body);
    }

    #[test]
    fn other_replies_pass_unchanged() {
        let raw = RawReplies::default();
        let token = raw.register(b"[]".to_vec());
        // A reply that merely mentions the token in its text is not a stand-in.
        let hover = serde_json::to_vec(&json!({ "jsonrpc": "2.0", "id": 1, "result": { "contents": token } })).unwrap();
        assert_eq!(raw.splice(hover.clone()), hover);
        let other = br#"{"jsonrpc":"2.0","id":2,"result":null}"#.to_vec();
        assert_eq!(raw.splice(other.clone()), other);
        // A token of another process is not ours.
        let foreign =
            serde_json::to_vec(&json!({ "id": 4, "result": { "resultId": "bsl-assist-raw-1-2-3" } })).unwrap();
        assert_eq!(raw.splice(foreign.clone()), foreign);
    }
}

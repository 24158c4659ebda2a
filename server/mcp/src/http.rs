//! MCP's streamable HTTP transport (HTTP/1.1, hyper) and the Prometheus endpoint.
//!
//! `POST /mcp` carries one JSON-RPC message; a request is answered with `application/json`,
//! a notification or response with `202 Accepted`. `initialize` opens a session whose id
//! (`Mcp-Session-Id`) later requests must carry; `DELETE /mcp` ends it; `GET /mcp` is `405`
//! (the server never pushes messages). With a bearer token every request must carry
//! `Authorization: Bearer <token>`; without one, browsers' requests from other origins are
//! refused (DNS rebinding) and the server only listens on loopback addresses.

use std::collections::HashSet;
use std::convert::Infallible;
use std::hash::{BuildHasher, Hasher};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{ALLOW, AUTHORIZATION, CONTENT_TYPE, HeaderValue, ORIGIN, WWW_AUTHENTICATE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpListener;

use crate::server::{PARSE_ERROR, PROTOCOL_VERSIONS, Server, error_response};

/// The largest request body accepted.
const MAX_BODY: usize = 8 << 20;
const SESSION_HEADER: &str = "mcp-session-id";
const VERSION_HEADER: &str = "mcp-protocol-version";

type Body = Full<Bytes>;

struct Shared {
    server: Server,
    token: Option<String>,
    sessions: Mutex<HashSet<String>>,
}

fn respond(status: StatusCode, content_type: &str, body: impl Into<Bytes>) -> Response<Body> {
    let mut response = Response::new(Full::new(body.into()));
    *response.status_mut() = status;
    if let Ok(value) = HeaderValue::from_str(content_type) {
        response.headers_mut().insert(CONTENT_TYPE, value);
    }
    response
}

fn json_response(status: StatusCode, value: &Value) -> Response<Body> {
    respond(status, "application/json", serde_json::to_vec(value).unwrap_or_default())
}

/// A refusal before the protocol: a JSON-RPC error body (clients show its message).
fn refuse(shared: &Shared, status: StatusCode, message: &str) -> Response<Body> {
    shared.server.metrics.http_rejection(status.as_u16());
    tracing::info!(status = status.as_u16(), reason = message, "HTTP request refused");
    json_response(status, &error_response(Value::Null, -32000, message))
}

/// Compares in time independent of where the texts differ.
fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len() && given.iter().zip(expected).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

fn authorized(token: Option<&str>, request: &Request<Incoming>) -> bool {
    let Some(token) = token else { return true };
    let given = request.headers().get(AUTHORIZATION).map(HeaderValue::as_bytes).unwrap_or_default();
    let expected = format!("Bearer {token}");
    same_secret(given, expected.as_bytes())
}

/// Whether an `Origin` names this machine (`http://localhost:3000`, `http://127.0.0.1`, ...).
fn local_origin(origin: &str) -> bool {
    let rest = origin.split_once("://").map_or(origin, |(_, rest)| rest);
    let host = if let Some(bracketed) = rest.strip_prefix('[') {
        bracketed.split(']').next().unwrap_or_default()
    } else {
        rest.split([':', '/']).next().unwrap_or_default()
    };
    matches!(host, "localhost" | "127.0.0.1" | "::1")
}

/// A random session id (the standard library's hasher keys are random per process and
/// per `RandomState`).
fn new_session_id() -> String {
    let mut out = String::new();
    for _ in 0..2 {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u128(
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos(),
        );
        out.push_str(&format!("{:016x}", hasher.finish()));
    }
    out
}

async fn mcp(shared: Arc<Shared>, request: Request<Incoming>) -> Response<Body> {
    if request.uri().path() != "/mcp" {
        return refuse(&shared, StatusCode::NOT_FOUND, "not found; the MCP endpoint is /mcp");
    }
    if !authorized(shared.token.as_deref(), &request) {
        let mut response = refuse(&shared, StatusCode::UNAUTHORIZED, "missing or wrong bearer token");
        response.headers_mut().insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return response;
    }
    if shared.token.is_none()
        && let Some(origin) = request.headers().get(ORIGIN).and_then(|o| o.to_str().ok())
        && !local_origin(origin)
    {
        return refuse(&shared, StatusCode::FORBIDDEN, "requests from other origins are refused");
    }
    if let Some(version) = request.headers().get(VERSION_HEADER).and_then(|v| v.to_str().ok())
        && !PROTOCOL_VERSIONS.contains(&version)
    {
        let message =
            format!("unsupported MCP-Protocol-Version `{version}`; supported: {}", PROTOCOL_VERSIONS.join(", "));
        return refuse(&shared, StatusCode::BAD_REQUEST, &message);
    }
    let session = request.headers().get(SESSION_HEADER).and_then(|s| s.to_str().ok()).map(str::to_string);
    let known = |id: &str| shared.sessions.lock().unwrap_or_else(|e| e.into_inner()).contains(id);
    match *request.method() {
        Method::POST => {}
        Method::DELETE => {
            let Some(id) = session else {
                return refuse(&shared, StatusCode::BAD_REQUEST, "DELETE needs the Mcp-Session-Id header");
            };
            let removed = shared.sessions.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
            return if removed {
                tracing::info!("session ended");
                respond(StatusCode::OK, "text/plain", "")
            } else {
                refuse(&shared, StatusCode::NOT_FOUND, "unknown session")
            };
        }
        _ => {
            let mut response = refuse(
                &shared,
                StatusCode::METHOD_NOT_ALLOWED,
                "this endpoint takes POST (messages) and DELETE (end a session)",
            );
            response.headers_mut().insert(ALLOW, HeaderValue::from_static("POST, DELETE"));
            return response;
        }
    }
    let body = match Limited::new(request.into_body(), MAX_BODY).collect().await {
        Ok(body) => body.to_bytes(),
        Err(error) => return refuse(&shared, StatusCode::PAYLOAD_TOO_LARGE, &format!("cannot read the body: {error}")),
    };
    let message: Value = match serde_json::from_slice(&body) {
        Ok(message) => message,
        Err(error) => {
            shared.server.metrics.protocol_error(PARSE_ERROR);
            return json_response(
                StatusCode::BAD_REQUEST,
                &error_response(Value::Null, PARSE_ERROR, format!("not JSON: {error}")),
            );
        }
    };
    let initializing = message.get("method").and_then(Value::as_str) == Some("initialize");
    match &session {
        Some(id) if !known(id) => {
            return refuse(&shared, StatusCode::NOT_FOUND, "unknown or ended session; initialize again");
        }
        None if !initializing => {
            return refuse(&shared, StatusCode::BAD_REQUEST, "missing Mcp-Session-Id; send initialize first");
        }
        _ => {}
    }
    let server = shared.server.clone();
    let answer = tokio::task::spawn_blocking(move || crate::handle_message(&server, &message)).await.ok().flatten();
    let Some(answer) = answer else { return respond(StatusCode::ACCEPTED, "text/plain", "") };
    let mut response = json_response(StatusCode::OK, &answer);
    if initializing && answer.get("result").is_some() {
        let id = new_session_id();
        shared.sessions.lock().unwrap_or_else(|e| e.into_inner()).insert(id.clone());
        if let Ok(value) = HeaderValue::from_str(&id) {
            response.headers_mut().insert(SESSION_HEADER, value);
        }
        tracing::info!("session started");
    }
    response
}

async fn metrics(server: Server, request: Request<Incoming>) -> Response<Body> {
    if request.method() != Method::GET || request.uri().path() != "/metrics" {
        return respond(StatusCode::NOT_FOUND, "text/plain", "not found; metrics are at GET /metrics\n");
    }
    respond(StatusCode::OK, "text/plain; version=0.0.4; charset=utf-8", server.prometheus())
}

/// Serves HTTP/1.1 connections on `listener`, each request handled by `handler`.
async fn accept<F, Fut>(listener: TcpListener, handler: F) -> anyhow::Result<()>
where
    F: Fn(Request<Incoming>) -> Fut + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = Response<Body>> + Send + 'static,
{
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(error) => {
                // Out of file descriptors and the like: wait a little and go on.
                tracing::warn!(%error, "accept failed");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                continue;
            }
        };
        let handler = handler.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let handler = handler.clone();
                async move { Ok::<_, Infallible>(handler(request).await) }
            });
            if let Err(error) = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await {
                tracing::debug!(%peer, %error, "connection ended with an error");
            }
        });
    }
}

/// Serves MCP on `listener` until the process ends.
pub async fn serve_mcp(server: Server, listener: TcpListener, token: Option<String>) -> anyhow::Result<()> {
    let shared = Arc::new(Shared { server, token, sessions: Mutex::default() });
    accept(listener, move |request| mcp(shared.clone(), request)).await
}

/// Serves `GET /metrics` on `listener` until the process ends.
pub async fn serve_metrics(server: Server, listener: TcpListener) -> anyhow::Result<()> {
    accept(listener, move |request| metrics(server.clone(), request)).await
}

/// Binds a listener, with an error that names the address.
pub async fn bind(addr: SocketAddr) -> anyhow::Result<TcpListener> {
    TcpListener::bind(addr).await.map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_and_secrets() {
        assert!(local_origin("http://localhost:6274"));
        assert!(local_origin("http://127.0.0.1"));
        assert!(local_origin("http://[::1]:80"));
        assert!(!local_origin("http://evil.example"));
        assert!(!local_origin("http://localhost.evil.example"));
        assert!(same_secret(b"Bearer a", b"Bearer a"));
        assert!(!same_secret(b"Bearer b", b"Bearer a"));
        assert!(!same_secret(b"Bearer", b"Bearer a"));
        assert_ne!(new_session_id(), new_session_id());
    }
}

//! The `bsl-assist/status` notification: indexing progress, the number of modules and the
//! LLM's state (`off`, `local`, `remote`), for the editor's status bar.

use std::sync::{Arc, Mutex, RwLock};

use bsl_assistant::llm::LlmClient;
use serde_json::json;
use tower_lsp_server::Client;

use super::Backend;
use crate::workspace::Workspace;

/// What the status is computed from; cloned into background tasks.
#[derive(Clone)]
pub(super) struct StatusSource {
    pub client: Client,
    pub llm: Arc<RwLock<Option<Arc<LlmClient>>>>,
    pub indexing: Arc<Mutex<Option<(usize, usize)>>>,
    pub workspace: Arc<Workspace>,
}

/// `off` when no model is enabled, `local` when its endpoint is on loopback, else `remote`.
pub(super) fn llm_state(llm: &RwLock<Option<Arc<LlmClient>>>) -> &'static str {
    match llm.read().expect("llm lock").as_ref() {
        None => "off",
        Some(client) => {
            let host = client.host().trim_matches(['[', ']']);
            let local = host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
            if local { "local" } else { "remote" }
        }
    }
}

impl StatusSource {
    /// Sends the current status to the client.
    pub async fn send(&self) {
        let indexing = *self.indexing.lock().expect("indexing lock");
        let params = json!({
            "indexing": indexing.map(|(done, total)| json!({ "done": done, "total": total })),
            "llm": llm_state(&self.llm),
            "modules": self.workspace.index().module_count(),
        });
        self.client.send_notification::<Status>(params).await;
    }
}

impl Backend {
    pub(super) fn llm_state(&self) -> &'static str {
        llm_state(&self.llm)
    }

    pub(super) fn status_source(&self) -> StatusSource {
        StatusSource {
            client: self.client.clone(),
            llm: self.llm.clone(),
            indexing: self.indexing.clone(),
            workspace: self.session.workspace.clone(),
        }
    }

    pub(super) async fn send_status(&self) {
        self.status_source().send().await;
    }
}

/// The notification's type for `Client::send_notification`.
pub enum Status {}

impl tower_lsp_server::ls_types::notification::Notification for Status {
    type Params = serde_json::Value;
    const METHOD: &'static str = "bsl-assist/status";
}

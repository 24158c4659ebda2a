//! Conversations with the assistants: the `bsl-assist.chat` and
//! `bsl-assist.analyzeRequirements` commands and the custom requests `bsl-assist/chat`
//! (`{role, message, context: {uri, line}}`) and `bsl-assist/clearHistory`. Each role
//! answers from what it can find without a model (retrieval for the chat and the developer,
//! the configuration's objects for the analyst, architect and project manager); with a
//! model, those facts ground the role's prompt and the last turns of the conversation,
//! kept per workspace in the cache folder, come along.

use std::path::PathBuf;

use bsl_assistant::llm::Message;
use bsl_assistant::roles::{analyst, chat};
use bsl_knowledge::KnowledgeBase;
use serde::Deserialize;
use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::Uri;

use super::Backend;
use crate::session::{internal_error, invalid_params};

/// Turns of a conversation sent back to the model.
const MEMORY_TURNS: usize = 6;

/// `bsl-assist/chat`'s parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChatParams {
    /// `chat` (default), `developer`, `analyst`, `architect` or `project_manager`.
    #[serde(default)]
    pub role: Option<String>,
    pub message: String,
    #[serde(default)]
    pub context: Option<ChatContext>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChatContext {
    pub uri: Option<String>,
    pub line: Option<u32>,
}

/// One remembered exchange.
#[derive(Debug, serde::Serialize, Deserialize)]
struct Turn {
    role: String,
    user: String,
    assistant: String,
}

impl Backend {
    /// Where this workspace's conversation is kept: one JSON line per turn.
    fn history_path(&self) -> PathBuf {
        let root = self.session.roots.lock().expect("roots lock").first().cloned().unwrap_or_default();
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for b in root.to_string_lossy().bytes() {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        crate::settings::cache_dir().join("chat").join(format!("{hash:016x}.jsonl"))
    }

    fn history(&self) -> Vec<Turn> {
        let text = std::fs::read_to_string(self.history_path()).unwrap_or_default();
        let turns: Vec<Turn> = text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
        let skip = turns.len().saturating_sub(MEMORY_TURNS);
        turns.into_iter().skip(skip).collect()
    }

    fn remember(&self, turn: &Turn) {
        use std::io::Write as _;
        let path = self.history_path();
        let Some(parent) = path.parent() else { return };
        if std::fs::create_dir_all(parent).is_err() {
            return;
        }
        if let Ok(mut file) = std::fs::OpenOptions::new().create(true).append(true).open(&path)
            && let Ok(line) = serde_json::to_string(turn)
        {
            let _ = writeln!(file, "{line}");
        }
    }

    /// `bsl-assist/chat`.
    pub async fn chat_request(&self, params: ChatParams) -> Result<Value> {
        if params.message.trim().is_empty() {
            return Err(invalid_params("`message` is empty"));
        }
        let context = params.context.unwrap_or(ChatContext { uri: None, line: None });
        let uri = match context.uri {
            Some(u) => Some(u.parse::<Uri>().map_err(|_| invalid_params(format!("`context.uri` {u} is not a URI")))?),
            None => None,
        };
        let role = params.role.unwrap_or_else(|| "chat".into());
        self.converse(&role, params.message, uri, context.line).await
    }

    /// `bsl-assist/clearHistory`: forgets this workspace's conversation.
    pub async fn clear_history_request(&self) -> Result<Value> {
        let path = self.history_path();
        let removed = match std::fs::remove_file(&path) {
            Ok(()) => true,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => return Err(internal_error(format!("{}: {e}", path.display()))),
        };
        Ok(json!({ "cleared": removed }))
    }

    /// One turn with a role: the deterministic answer, or the model's grounded in it.
    pub(super) async fn converse(
        &self,
        role: &str,
        message: String,
        uri: Option<Uri>,
        line: Option<u32>,
    ) -> Result<Value> {
        let (prompt_role, task) = match role {
            "chat" | "developer" => ("chat", "answer"),
            "analyst" => ("analyst", "requirements"),
            "architect" => ("architect", "design"),
            "project_manager" | "pm" => ("project_manager", "estimate"),
            other => {
                return Err(invalid_params(format!(
                    "unknown role `{other}`: use chat, developer, analyst, architect or project_manager"
                )));
            }
        };
        let index = self.search_index().await?;
        let question = message.clone();
        let hits = tokio::task::spawn_blocking(move || index.search(&question, 8))
            .await
            .map_err(|e| internal_error(e.to_string()))?
            .map_err(|e| internal_error(format!("search failed: {e:?}")))?;
        let kb = KnowledgeBase::embedded();
        let mut result = json!({ "role": role, "hits": hits });
        let offline = if prompt_role == "chat" {
            chat::answer_offline(&message, &hits, kb)
        } else {
            let workspace = self.session.workspace.clone();
            let text = message.clone();
            let touched = tokio::task::spawn_blocking(move || analyst::touched(&workspace.index(), &text, 25))
                .await
                .map_err(|e| internal_error(e.to_string()))?;
            let mut glossary = analyst::glossary(&message, &touched);
            glossary.push('\n');
            glossary.push_str(&chat::answer_offline(&message, &hits, kb));
            result["touched"] = json!(touched);
            glossary
        };
        // The code around the cursor, for the model.
        let code = match (uri, line) {
            (Some(uri), Some(line)) => self
                .session
                .read(&uri, move |snap| {
                    let first = line.saturating_sub(20) as usize;
                    Ok(snap.parse.text().lines().skip(first).take(40).collect::<Vec<_>>().join("\n"))
                })
                .await
                .unwrap_or_default(),
            _ => String::new(),
        };
        let history: Vec<Message> = self
            .history()
            .into_iter()
            .flat_map(|t| [Message::user(t.user), Message { role: "assistant".into(), content: t.assistant }])
            .collect();
        let language = self.language();
        let values: Vec<(&str, &str)> = if prompt_role == "chat" {
            vec![("question", &message), ("context", &offline), ("code", &code), ("language", language)]
        } else {
            vec![("request", &message), ("context", &offline), ("language", language)]
        };
        let answer = match self.ask_llm_with(prompt_role, task, &values, &history).await {
            Ok(answer) => {
                result["llm"] = json!(true);
                chat::with_sources(&answer, &hits)
            }
            Err(why) => {
                result["llm"] = json!(false);
                result["llmNote"] = json!(why);
                offline
            }
        };
        self.remember(&Turn { role: role.to_string(), user: message, assistant: answer.clone() });
        result["markdown"] = json!(answer);
        Ok(result)
    }
}

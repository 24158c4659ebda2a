//! bsl-assistant: the assistants over BSL and OneScript code — the developer and tester roles
//! (`roles`), the OpenAI-compatible LLM client with redaction, limits and an audit log
//! (`llm`), and the defect-risk model mined from git history (`risk`).

pub mod llm;
pub mod risk;
pub mod roles;

//! bsl-assistant: assistants over BSL and OneScript code; for now the defect-risk model.

pub mod llm;
pub mod risk;
pub mod roles;

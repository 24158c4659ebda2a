//! The chat: a developer's question answered from what retrieval finds. Offline, the answer
//! is the facts themselves, ordered and quoted (a platform method's signature and
//! description, a standard's summary, the project's methods with their place); with an LLM,
//! the same facts ground the model's answer (prompt `chat/answer`), and the facts are kept
//! below it so the reader can check.

use std::fmt::Write as _;

use bsl_knowledge::{DocKind, Hit, KnowledgeBase};

use crate::llm::Message;

/// Hits used as the answer's facts.
const FACTS: usize = 6;

/// The answer without a model: the facts retrieval found, most relevant first.
pub fn answer_offline(question: &str, hits: &[Hit], kb: &KnowledgeBase) -> String {
    let mut out = String::new();
    if hits.is_empty() {
        let _ = writeln!(
            out,
            "Ничего не нашлось по вопросу «{}». Спросите иначе: назовите метод платформы, номер стандарта или \
             метод проекта.",
            question.trim()
        );
        return out;
    }
    let _ = writeln!(out, "**Что нашлось по вопросу «{}»:**\n", question.trim());
    for hit in hits.iter().take(FACTS) {
        let _ = writeln!(out, "{}", fact(hit, kb));
    }
    out
}

/// One hit as Markdown: the knowledge entry's full text where it is short, else the snippet.
fn fact(hit: &Hit, kb: &KnowledgeBase) -> String {
    let name = hit.id.split_once(':').map_or(hit.id.as_str(), |(_, n)| n);
    match hit.kind {
        DocKind::Method => match kb.method(name) {
            Some(method) => format!("{}\n", method.hover_markdown()),
            None => format!("- {}: {}\n", hit.title, hit.snippet),
        },
        DocKind::Standard => match kb.standard_by_key(name) {
            Some(s) => format!(
                "- **Стандарт {} «{}»** ({}): {} Почему: {}\n",
                s.number,
                s.title,
                s.url(),
                s.summary.trim(),
                s.reason.trim()
            ),
            None => format!("- {}: {}\n", hit.title, hit.snippet),
        },
        DocKind::Code => {
            let place = match (&hit.path, hit.lines) {
                (Some(path), Some((first, _))) => format!("{path}:{}", first + 1),
                (Some(path), None) => path.clone(),
                _ => hit.source.clone(),
            };
            format!("- метод проекта `{}` ({place}): {}\n", hit.title, hit.snippet)
        }
        _ => format!("- {} ({}): {}\n", hit.title, hit.kind.label(), hit.snippet),
    }
}

/// The messages for the model: the `chat/answer` prompt filled with the facts and the code
/// around the cursor. `None` when the prompt is missing from the knowledge base.
pub fn llm_messages(
    question: &str,
    hits: &[Hit],
    code: &str,
    kb: &KnowledgeBase,
    english: bool,
) -> Option<Vec<Message>> {
    let prompt = kb.prompt("chat", "answer")?;
    let context: String = hits.iter().take(FACTS).map(|h| fact(h, kb)).collect();
    let language = if english { "English" } else { "Russian" };
    let text =
        prompt.render(&[("question", question), ("context", &context), ("code", code), ("language", language)]).ok()?;
    Some(vec![Message::user(text)])
}

/// The model's answer followed by the facts it was given, so claims can be checked.
pub fn with_sources(answer: &str, hits: &[Hit]) -> String {
    let mut out = answer.trim().to_string();
    if !hits.is_empty() {
        out.push_str("\n\n---\nИсточники: ");
        let titles: Vec<String> = hits.iter().take(FACTS).map(|h| format!("`{}`", h.title)).collect();
        out.push_str(&titles.join(", "));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use bsl_knowledge::SearchIndex;

    #[test]
    fn offline_answer_quotes_platform_facts() {
        let kb = KnowledgeBase::embedded();
        let index = SearchIndex::in_memory(kb, &[]).unwrap();
        let hits = index.search("найти подстроку в строке", 5).unwrap();
        let answer = answer_offline("Как найти подстроку?", &hits, kb);
        assert!(answer.contains("СтрНайти"), "{answer}");
        let messages = llm_messages("Как найти подстроку?", &hits, "", kb, false).unwrap();
        assert!(messages[0].content.contains("Question: Как найти подстроку?"));
        assert!(messages[0].content.contains("СтрНайти"));
        assert!(with_sources("Ответ", &hits).contains("Источники:"));
        assert!(answer_offline("x", &[], kb).starts_with("Ничего не нашлось"));
    }
}

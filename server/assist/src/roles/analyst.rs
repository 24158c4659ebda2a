//! The analyst: a requirements text mapped onto the configuration. Finds the metadata
//! objects and common modules whose names (split into words) or synonyms the text speaks
//! of, and the attributes of those objects it names, and writes the glossary a change plan
//! starts from. Word matching compares the first five letters of words of four or more
//! letters, which is enough to let Russian endings vary ("заказы клиентов" finds
//! `Документ.ЗаказКлиента`) without a dictionary.

use std::collections::HashSet;
use std::fmt::Write as _;

use bsl_analysis::workspace::{MetadataKind, WorkspaceIndex};
use serde::Serialize;

/// The comparable stem of a word, or `None` for short words.
fn stem(word: &str) -> Option<String> {
    let lower: Vec<char> = word.chars().flat_map(char::to_lowercase).map(|c| if c == 'ё' { 'е' } else { c }).collect();
    (lower.len() >= 4).then(|| lower.iter().take(5).collect())
}

/// Words of a text (letters and digits).
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// Words of an identifier: `ЗаказКлиента` → `Заказ`, `Клиента`.
fn identifier_words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in name.chars() {
        if (c.is_uppercase() && !current.is_empty()) || c == '_' {
            out.push(std::mem::take(&mut current));
        }
        if c != '_' {
            current.push(c);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// How well a name matches the text's stems: the share of its long words found.
fn coverage(name_words: &[String], stems: &HashSet<String>) -> f64 {
    let long: Vec<String> = name_words.iter().filter_map(|w| stem(w)).collect();
    if long.is_empty() {
        return 0.0;
    }
    long.iter().filter(|s| stems.contains(*s)).count() as f64 / long.len() as f64
}

/// One object or module the text touches.
#[derive(Debug, Clone, Serialize)]
pub struct Touched {
    /// `Документ.ЗаказКлиента`, `ОбщийМодуль.Продажи`.
    pub name: String,
    pub synonym: Option<String>,
    /// Its attributes (and tabular sections) the text names.
    pub attributes: Vec<String>,
    /// 0..1: the share of the name's words found in the text.
    pub score: f64,
}

/// The objects and common modules a requirements text touches, best first.
pub fn touched(index: &WorkspaceIndex, text: &str, limit: usize) -> Vec<Touched> {
    let stems: HashSet<String> = words(text).filter_map(stem).collect();
    let mut found = Vec::new();
    for kind in MetadataKind::all() {
        for name in index.objects_of_kind(kind) {
            let metadata = index.metadata(kind, name);
            let synonym = metadata.and_then(|m| m.synonym.clone());
            let by_name = coverage(&identifier_words(name), &stems);
            let by_synonym = synonym
                .as_deref()
                .map(|s| coverage(&words(s).map(str::to_string).collect::<Vec<_>>(), &stems))
                .unwrap_or(0.0);
            let score = by_name.max(by_synonym);
            // Every word of a one- or two-word name, or most words of a longer one.
            let words_in_name = identifier_words(name).iter().filter(|w| stem(w).is_some()).count();
            let needed = if words_in_name <= 2 { 1.0 } else { 0.66 };
            if score < needed {
                continue;
            }
            let attributes = metadata
                .map(|m| {
                    m.attributes
                        .iter()
                        .map(|a| a.name.as_str())
                        .chain(m.tabular_sections.iter().map(|t| t.name.as_str()))
                        .filter(|a| coverage(&identifier_words(a), &stems) >= 1.0)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            found.push(Touched { name: format!("{}.{name}", kind.name_ru()), synonym, attributes, score });
        }
    }
    found.sort_by(|a, b| {
        b.score.total_cmp(&a.score).then(b.attributes.len().cmp(&a.attributes.len())).then(a.name.cmp(&b.name))
    });
    found.truncate(limit);
    found
}

/// The glossary as Markdown: what exists and what the text names that does not.
pub fn glossary(text: &str, touched: &[Touched]) -> String {
    let mut out = String::from("# Анализ требований\n\n");
    if touched.is_empty() {
        let _ = writeln!(
            out,
            "В конфигурации не нашлось объектов, о которых говорит текст: вероятно, нужны новые объекты метаданных."
        );
        return out;
    }
    let _ = writeln!(out, "## Затронутые объекты конфигурации\n");
    for t in touched {
        let synonym = t.synonym.as_deref().map(|s| format!(" «{s}»")).unwrap_or_default();
        let _ = write!(out, "- **{}**{synonym}", t.name);
        if !t.attributes.is_empty() {
            let _ = write!(out, "; реквизиты и табличные части из текста: {}", t.attributes.join(", "));
        }
        out.push('\n');
    }
    // Long words of the text that no object's name covers: candidates for new objects.
    let covered: HashSet<String> = touched
        .iter()
        .flat_map(|t| identifier_words(t.name.split_once('.').map_or(&t.name, |(_, n)| n)))
        .chain(touched.iter().flat_map(|t| t.synonym.iter().flat_map(|s| words(s).map(str::to_string))))
        .filter_map(|w| stem(&w))
        .collect();
    let mut seen = HashSet::new();
    let uncovered: Vec<&str> = words(text)
        .filter(|w| w.chars().count() >= 6)
        .filter(|w| stem(w).is_some_and(|s| !covered.contains(&s) && seen.insert(s)))
        .take(15)
        .collect();
    if !uncovered.is_empty() {
        let _ = writeln!(
            out,
            "\n## Понятия без объекта в конфигурации\n\n{}\n\nПроверьте, нужны ли для них новые объекты или реквизиты.",
            uncovered.join(", ")
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn finds_objects_by_name_words_and_synonyms() {
        let mut index = WorkspaceIndex::new();
        let catalog = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<mdclass:Catalog xmlns:mdclass=\"http://g5.1c.ru/v8/dt/metadata/mdclass\" uuid=\"1\">\n  <name>Контрагенты</name>\n  <synonym><key>ru</key><value>Контрагенты</value></synonym>\n  <attributes uuid=\"2\"><name>ИНН</name></attributes>\n  <attributes uuid=\"3\"><name>ОсновнойДоговор</name></attributes>\n</mdclass:Catalog>\n";
        index.add_metadata_text(Path::new("/p/src/Catalogs/Контрагенты/Контрагенты.mdo"), catalog).unwrap();
        let document = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<mdclass:Document xmlns:mdclass=\"http://g5.1c.ru/v8/dt/metadata/mdclass\" uuid=\"4\">\n  <name>ЗаказКлиента</name>\n</mdclass:Document>\n";
        index.add_metadata_text(Path::new("/p/src/Documents/ЗаказКлиента/ЗаказКлиента.mdo"), document).unwrap();
        let text = "При проведении заказов клиентов проверять основной договор контрагента и резервировать товары.";
        let found = touched(&index, text, 10);
        let names: Vec<&str> = found.iter().map(|t| t.name.as_str()).collect();
        assert!(names.contains(&"Документ.ЗаказКлиента") && names.contains(&"Справочник.Контрагенты"), "{found:?}");
        let partner = found.iter().find(|t| t.name == "Справочник.Контрагенты").unwrap();
        assert_eq!(partner.attributes, vec!["ОсновнойДоговор"]);
        let md = glossary(text, &found);
        assert!(md.contains("**Документ.ЗаказКлиента**"), "{md}");
        assert!(md.contains("резервировать"), "uncovered concepts are listed: {md}");
        assert!(touched(&index, "Погода на Марсе", 10).is_empty());
    }
}

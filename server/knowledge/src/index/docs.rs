//! The documents of the search index: one per knowledge entry, and one per method of a
//! workspace module (plus one per further chunk of a long method's body).

use std::fmt::Write as _;
use std::path::Path;

use bsl_analysis::ModuleKind;
use bsl_syntax::{MethodKind, Parse};

use crate::{KnowledgeBase, Param, Returns};

/// Body lines in one code chunk.
pub const CHUNK_LINES: usize = 60;

/// What a document is; the stored `kind` field holds [`DocKind::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// A global-context method (`СтрНайти`).
    Method,
    /// A global-context property (`ФоновыеЗадания`).
    Property,
    /// A platform type (`Запрос`).
    Type,
    /// A method of a platform type (`Запрос.Выполнить`).
    TypeMethod,
    /// A development standard (or one topic of it).
    Standard,
    /// A YAxUnit module.
    YaxunitModule,
    /// A method of a YAxUnit module.
    Yaxunit,
    /// A free-form knowledge article.
    Article,
    /// A method of a workspace module, or a chunk of a long method's body.
    Code,
}

impl DocKind {
    /// Every kind, in a fixed order.
    pub const ALL: [DocKind; 9] = [
        DocKind::Method,
        DocKind::Property,
        DocKind::Type,
        DocKind::TypeMethod,
        DocKind::Standard,
        DocKind::YaxunitModule,
        DocKind::Yaxunit,
        DocKind::Article,
        DocKind::Code,
    ];

    /// The stored name (`type_method`).
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Method => "method",
            DocKind::Property => "property",
            DocKind::Type => "type",
            DocKind::TypeMethod => "type_method",
            DocKind::Standard => "standard",
            DocKind::YaxunitModule => "yaxunit_module",
            DocKind::Yaxunit => "yaxunit",
            DocKind::Article => "article",
            DocKind::Code => "code",
        }
    }

    /// The kind by its stored name.
    pub fn from_name(name: &str) -> Option<DocKind> {
        DocKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// How a person would call it: `platform method`, `workspace code`.
    pub fn label(self) -> &'static str {
        match self {
            DocKind::Method => "platform method",
            DocKind::Property => "platform property",
            DocKind::Type => "platform type",
            DocKind::TypeMethod => "platform type method",
            DocKind::Standard => "standard",
            DocKind::YaxunitModule => "YAxUnit module",
            DocKind::Yaxunit => "YAxUnit method",
            DocKind::Article => "article",
            DocKind::Code => "code",
        }
    }
}

/// One document before it goes into tantivy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Doc {
    /// Unique: `method:СтрНайти`, `type:Запрос.Выполнить`, `standard:499`, `code:<path>#<line>`.
    pub id: String,
    pub kind: DocKind,
    /// What is shown: `СтрНайти / StrFind`, `ОбщегоНазначения.ЗначениеЗаполнено`.
    pub label: String,
    /// Indexed with the highest boost: the names.
    pub title: String,
    /// Indexed: descriptions, parameters, examples, code.
    pub body: String,
    pub path: Option<String>,
    /// Zero-based first and last line (code only).
    pub lines: Option<(u32, u32)>,
    pub module_kind: Option<&'static str>,
}

impl Doc {
    fn knowledge(id: String, kind: DocKind, label: String, title: String, body: String) -> Doc {
        Doc { id, kind, label, title, body, path: None, lines: None, module_kind: None }
    }
}

fn params_text(out: &mut String, params: &[Param]) {
    for p in params {
        let _ = write!(out, "\n{}", p.name_ru);
        if let Some(en) = &p.name_en {
            let _ = write!(out, " {en}");
        }
        if !p.types.is_empty() {
            let _ = write!(out, ": {}", p.types.join(", "));
        }
        if let Some(description) = &p.description {
            let _ = write!(out, " — {description}");
        }
    }
}

fn returns_text(out: &mut String, returns: Option<&Returns>) {
    if let Some(r) = returns {
        let _ = write!(out, "\n{}", r.types.join(", "));
        if let Some(description) = &r.description {
            let _ = write!(out, " — {description}");
        }
    }
}

/// Every entry of the knowledge base as documents (prompt templates are not searched).
pub(crate) fn knowledge_docs(kb: &KnowledgeBase) -> Vec<Doc> {
    let mut docs = Vec::new();
    for m in kb.methods() {
        let kind = match m.kind {
            crate::GlobalKind::Method => DocKind::Method,
            crate::GlobalKind::Property => DocKind::Property,
        };
        let mut body = format!("{}\n{}", m.signature(), m.description);
        params_text(&mut body, &m.params);
        returns_text(&mut body, m.returns.as_ref());
        if let Some(note) = &m.deprecated {
            let _ = write!(body, "\ndeprecated: {note}");
        }
        let label = format!("{} / {}", m.name_ru, m.name_en);
        docs.push(Doc::knowledge(format!("method:{}", m.name_ru), kind, label.clone(), label, body));
    }
    for t in kb.types() {
        let mut body = t.description.clone();
        for c in &t.constructors {
            let _ = write!(body, "\nНовый {}: {}", t.name_ru, c.description);
            params_text(&mut body, &c.params);
        }
        for m in &t.methods {
            let _ = write!(body, "\n{} {}", m.name_ru, m.name_en);
        }
        for p in &t.properties {
            let _ = write!(body, "\n{} {}: {}", p.name_ru, p.name_en, p.description);
        }
        if let Some(note) = &t.deprecated {
            let _ = write!(body, "\ndeprecated: {note}");
        }
        let label = format!("{} / {}", t.name_ru, t.name_en);
        docs.push(Doc::knowledge(format!("type:{}", t.name_ru), DocKind::Type, label.clone(), label, body));
        for m in &t.methods {
            let mut body = format!("{}\n{}", m.signature(), m.description);
            params_text(&mut body, &m.params);
            returns_text(&mut body, m.returns.as_ref());
            if let Some(note) = &m.deprecated {
                let _ = write!(body, "\ndeprecated: {note}");
            }
            let label = format!("{}.{} / {}.{}", t.name_ru, m.name_ru, t.name_en, m.name_en);
            docs.push(Doc::knowledge(
                format!("type:{}.{}", t.name_ru, m.name_ru),
                DocKind::TypeMethod,
                label.clone(),
                label,
                body,
            ));
        }
    }
    for s in kb.standards() {
        let mut body = format!("{}\n{}", s.summary, s.reason);
        if !s.rules.is_empty() {
            let _ = write!(body, "\n{}", s.rules.join(" "));
        }
        let _ = write!(body, "\n{}\n{}", s.bad.trim(), s.good.trim());
        let label = format!("#{} {}", s.key(), s.title);
        let title = format!("{} {}", s.title, s.number);
        docs.push(Doc::knowledge(format!("standard:{}", s.key()), DocKind::Standard, label, title, body));
    }
    for m in kb.yaxunit_modules() {
        let mut body = m.description.clone();
        if let Some(access) = &m.access {
            let _ = write!(body, "\n{access}");
        }
        docs.push(Doc::knowledge(
            format!("yaxunit_module:{}", m.name),
            DocKind::YaxunitModule,
            m.name.clone(),
            format!("{} yaxunit", m.name),
            body,
        ));
    }
    for m in kb.yaxunit_methods() {
        let mut body = format!("{}\n{}", m.signature(), m.description);
        params_text(&mut body, &m.params);
        returns_text(&mut body, m.returns.as_ref());
        if let Some(example) = &m.example {
            let _ = write!(body, "\n{example}");
        }
        if let Some(note) = &m.deprecated {
            let _ = write!(body, "\ndeprecated: {note}");
        }
        let label = format!("{}.{}", m.module, m.name);
        docs.push(Doc::knowledge(
            format!("yaxunit:{label}"),
            DocKind::Yaxunit,
            label.clone(),
            format!("{label} yaxunit"),
            body,
        ));
    }
    for a in kb.articles() {
        let mut body = a.body.clone();
        if let Some(example) = &a.example {
            let _ = write!(body, "\n{example}");
        }
        let title = format!("{} {}", a.title, a.tags.join(" "));
        docs.push(Doc::knowledge(format!("article:{}", a.id), DocKind::Article, a.title.clone(), title, body));
    }
    docs
}

/// Metadata collection folders of Designer and EDT dumps: the next path component names the object.
const COLLECTIONS: &[&str] = &[
    "CommonModules",
    "Catalogs",
    "Documents",
    "DataProcessors",
    "Reports",
    "InformationRegisters",
    "AccumulationRegisters",
    "AccountingRegisters",
    "CalculationRegisters",
    "ChartsOfCharacteristicTypes",
    "ChartsOfAccounts",
    "ChartsOfCalculationTypes",
    "BusinessProcesses",
    "Tasks",
    "ExchangePlans",
    "Constants",
    "DocumentJournals",
    "Enums",
    "CommonForms",
    "CommonCommands",
    "WebServices",
    "HTTPServices",
    "SettingsStorages",
    "FilterCriteria",
    "Sequences",
    "ExternalDataSources",
];

/// A short name of the module a path holds: the metadata object's name in a dump
/// (`CommonModules/ОбщегоНазначения/Ext/Module.bsl` → `ОбщегоНазначения`), with the form's
/// name for form modules; the file's stem otherwise.
pub(crate) fn module_name(path: &str) -> String {
    let components: Vec<&str> = path.split(['/', '\\']).filter(|c| !c.is_empty()).collect();
    let object = components
        .iter()
        .rposition(|c| COLLECTIONS.contains(c))
        .and_then(|i| components.get(i + 1))
        .map(|name| name.trim_end_matches(".mdo").to_string());
    let form = components.iter().rposition(|c| *c == "Forms").and_then(|i| components.get(i + 1));
    match (object, form) {
        (Some(object), Some(form)) => format!("{object}.{form}"),
        (Some(object), None) => object,
        _ => {
            let file = components.last().copied().unwrap_or(path);
            file.rsplit_once('.').map_or(file, |(stem, _)| stem).to_string()
        }
    }
}

/// The documents of one workspace module: each method with its signature, doc comment and
/// the first [`CHUNK_LINES`] lines of its body, then one document per further chunk.
pub(crate) fn code_docs(path: &str, parse: &Parse) -> Vec<Doc> {
    let text = parse.text();
    let lines = parse.line_index();
    let module = parse.module();
    let module_kind = ModuleKind::from_path(Path::new(path)).name();
    let module_name = module_name(path);
    let mut docs = Vec::new();
    for method in &module.methods {
        let keyword = match method.kind {
            MethodKind::Procedure => "Процедура",
            MethodKind::Function => "Функция",
        };
        let params: Vec<String> = method
            .parameters
            .iter()
            .map(|p| {
                let mut s = if p.by_value { format!("Знач {}", p.name) } else { p.name.clone() };
                if let Some(default) = &p.default {
                    let _ = write!(s, " = {default}");
                }
                s
            })
            .collect();
        let export = if method.export { " Экспорт" } else { "" };
        let signature = format!("{keyword} {}({}){export}", method.name, params.join(", "));
        let label = format!("{module_name}.{}", method.name);
        let first_line = lines.line_of(method.range.start);
        let last_line = lines.line_of(method.range.end.saturating_sub(1).max(method.range.start));
        let mut head = signature;
        if let Some(doc) = &method.doc_comment {
            let _ = write!(head, "\n{}", doc.text());
        }
        let body = method.body_range.clone().map(|r| &text[r]).unwrap_or("");
        let body_first = method.body_range.as_ref().map_or(first_line, |r| lines.line_of(r.start));
        let body_lines: Vec<&str> = body.lines().collect();
        let mut chunks = body_lines.chunks(CHUNK_LINES);
        let first_chunk = chunks.next().map(|c| c.join("\n")).unwrap_or_default();
        let first_end = if body_lines.len() > CHUNK_LINES { body_first + CHUNK_LINES as u32 - 1 } else { last_line };
        let doc_start = method.doc_comment.as_ref().map_or(first_line, |d| lines.line_of(d.range.start));
        docs.push(Doc {
            id: format!("code:{path}#{first_line}"),
            kind: DocKind::Code,
            label: label.clone(),
            title: format!("{} {module_name}", method.name),
            body: format!("{head}\n{first_chunk}"),
            path: Some(path.to_string()),
            lines: Some((doc_start.min(first_line), first_end.max(first_line))),
            module_kind: Some(module_kind),
        });
        for (i, chunk) in chunks.enumerate() {
            let start = body_first + ((i + 1) * CHUNK_LINES) as u32;
            let end = (start + chunk.len() as u32 - 1).min(last_line.max(start));
            docs.push(Doc {
                id: format!("code:{path}#{start}"),
                kind: DocKind::Code,
                label: label.clone(),
                title: format!("{} {module_name}", method.name),
                body: chunk.join("\n"),
                path: Some(path.to_string()),
                lines: Some((start, end)),
                module_kind: Some(module_kind),
            });
        }
    }
    docs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names() {
        let cases = [
            ("src/CommonModules/ОбщегоНазначения/Ext/Module.bsl", "ОбщегоНазначения"),
            ("Documents/Заказ/Ext/ObjectModule.bsl", "Заказ"),
            ("Documents/Заказ/Forms/ФормаДокумента/Ext/Form/Module.bsl", "Заказ.ФормаДокумента"),
            ("src/Catalogs/Товары/Forms/ФормаЭлемента/Module.bsl", "Товары.ФормаЭлемента"),
            ("lib/Классы/Парсер.os", "Парсер"),
            ("main.os", "main"),
        ];
        for (path, expected) in cases {
            assert_eq!(module_name(path), expected, "{path}");
        }
    }

    #[test]
    fn code_documents_cover_methods_and_chunks() {
        let mut text = String::from(
            "// Складывает два числа.\n// Параметры: А, Б\nФункция Сложить(А, Знач Б = 0) Экспорт\n\tВозврат А + Б;\nКонецФункции\n\n",
        );
        text.push_str("Процедура Длинная()\n");
        for i in 0..130 {
            text.push_str(&format!("\tЗначение{i} = {i};\n"));
        }
        text.push_str("КонецПроцедуры\n");
        let parse = Parse::new(text);
        let docs = code_docs("CommonModules/Математика/Ext/Module.bsl", &parse);
        type Summary = Vec<(String, String, Option<(u32, u32)>)>;
        let summary: Summary = docs.iter().map(|d| (d.id.clone(), d.label.clone(), d.lines)).collect();
        let path = "CommonModules/Математика/Ext/Module.bsl";
        assert_eq!(
            summary,
            [
                (format!("code:{path}#2"), "Математика.Сложить".to_string(), Some((0, 4))),
                (format!("code:{path}#6"), "Математика.Длинная".to_string(), Some((6, 66))),
                (format!("code:{path}#67"), "Математика.Длинная".to_string(), Some((67, 126))),
                (format!("code:{path}#127"), "Математика.Длинная".to_string(), Some((127, 136))),
            ]
        );
        assert!(
            docs[0].body.starts_with("Функция Сложить(А, Знач Б = 0) Экспорт\nСкладывает два числа."),
            "{}",
            docs[0].body
        );
        assert_eq!(docs[0].module_kind, Some("common"));
        assert!(docs[3].body.contains("Значение129 = 129;"));
    }
}

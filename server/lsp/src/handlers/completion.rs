//! Completion: parameters and locals of the current method, module variables and methods,
//! common modules and global managers, keywords in the language the file is written in,
//! and statement snippets; after a dot, the exported methods of a common, manager or
//! OneScript module, the objects of a manager (`Справочники.`), and the attributes of the
//! module's own object (`ЭтотОбъект.`, `Объект.` in its forms).

use bsl_analysis::ModuleKind;
use bsl_analysis::resolve;
use bsl_analysis::workspace::{MetadataKind, MethodInfo, ModuleInfo, WorkspaceIndex, classify};
use bsl_syntax::keywords::eq_ignore_case;
use bsl_syntax::{MethodKind, keywords};
use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, Documentation, InsertTextFormat, MarkupContent, MarkupKind, Position,
};

use super::hover;
use crate::convert;
use crate::session::Snapshot;

/// Whether the module is written with English keywords: more English than Russian keyword
/// tokens in its first 20 KB (cut at a character boundary: a Cyrillic letter is two bytes).
fn english(text: &str) -> bool {
    let text = &text[..text.floor_char_boundary(20_000)];
    let english = ["Procedure", "Function", "EndProcedure", "EndFunction", "If ", "Then"];
    let russian = ["Процедура", "Функция", "КонецПроцедуры", "КонецФункции", "Если ", "Тогда"];
    let count = |words: &[&str]| words.iter().map(|w| text.matches(w).count()).sum::<usize>();
    count(&english) > count(&russian)
}

/// `(label, snippet)` pairs for statements, in Russian and English.
const SNIPPETS_RU: &[(&str, &str)] = &[
    ("Если", "Если ${1:Условие} Тогда\n\t$0\nКонецЕсли;"),
    ("ЕслиИначе", "Если ${1:Условие} Тогда\n\t$2\nИначе\n\t$0\nКонецЕсли;"),
    ("Для Каждого", "Для Каждого ${1:Элемент} Из ${2:Коллекция} Цикл\n\t$0\nКонецЦикла;"),
    ("Для", "Для ${1:Индекс} = ${2:0} По ${3:Граница} Цикл\n\t$0\nКонецЦикла;"),
    ("Пока", "Пока ${1:Условие} Цикл\n\t$0\nКонецЦикла;"),
    ("Попытка", "Попытка\n\t$1\nИсключение\n\t$0\n\tВызватьИсключение;\nКонецПопытки;"),
    ("Процедура", "Процедура ${1:Имя}(${2})\n\t$0\nКонецПроцедуры"),
    ("Функция", "Функция ${1:Имя}(${2})\n\t$0\n\tВозврат ${3:Неопределено};\nКонецФункции"),
    ("Область", "#Область ${1:Имя}\n\n$0\n\n#КонецОбласти"),
    (
        "Транзакция",
        "НачатьТранзакцию();\nПопытка\n\t$0\n\tЗафиксироватьТранзакцию();\nИсключение\n\tОтменитьТранзакцию();\n\tВызватьИсключение;\nКонецПопытки;",
    ),
];

const SNIPPETS_EN: &[(&str, &str)] = &[
    ("If", "If ${1:Condition} Then\n\t$0\nEndIf;"),
    ("For Each", "For Each ${1:Item} In ${2:Collection} Do\n\t$0\nEndDo;"),
    ("For", "For ${1:Index} = ${2:0} To ${3:Bound} Do\n\t$0\nEndDo;"),
    ("While", "While ${1:Condition} Do\n\t$0\nEndDo;"),
    ("Try", "Try\n\t$1\nExcept\n\t$0\n\tRaise;\nEndTry;"),
    ("Procedure", "Procedure ${1:Name}(${2})\n\t$0\nEndProcedure"),
    ("Function", "Function ${1:Name}(${2})\n\t$0\n\tReturn ${3:Undefined};\nEndFunction"),
    ("Region", "#Region ${1:Name}\n\n$0\n\n#EndRegion"),
];

/// What a client fetches on its own with `completionItem/resolve`, so the list need not
/// carry it: the number the server gave the list (items of older lists are not resolved),
/// and whether the method items' signature (`detail`) may wait too.
#[derive(Debug, Clone, Copy)]
pub struct Deferred {
    pub list: u64,
    pub detail: bool,
}

/// Where the method a completion item names is defined: in the document the list was made
/// for (`module` absent) or in a workspace module. The method's name is the item's label.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct DocSource {
    /// The list the item came in (see [`Deferred`]).
    #[serde(default)]
    pub list: u64,
    /// The workspace module defining the method, when it is not the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    module: Option<std::path::PathBuf>,
}

impl DocSource {
    pub fn of(item: &CompletionItem) -> Option<DocSource> {
        serde_json::from_value(item.data.clone()?).ok()
    }
}

/// `completionItem/resolve`: fills in the signature and documentation [`completion`] left
/// out, `snap` being the document the item's list was made for. An item whose method is
/// gone comes back as it was.
pub fn resolve(snap: &Snapshot, mut item: CompletionItem) -> CompletionItem {
    let Some(source) = DocSource::of(&item) else { return item };
    let (detail, doc) = match &source.module {
        None => {
            let module = snap.parse.module();
            let Some(method) = module.methods.iter().find(|m| m.name == item.label) else { return item };
            (hover::signature(method), method.doc_comment.as_ref().map(|d| d.text()))
        }
        Some(path) => {
            let index = snap.workspace.index();
            let Some(module) = index.module(path) else { return item };
            let Some(method) = module.methods.iter().find(|m| m.name == item.label) else { return item };
            (workspace_signature(module, method), method.doc.as_deref().map(str::to_string))
        }
    };
    item.detail.get_or_insert(detail);
    if let Some(doc) = doc {
        item.documentation = Some(markdown(doc));
    }
    item
}

/// The signature, documentation and `data` of an item naming a method: all in the item, or,
/// with `deferred`, left out for [`resolve`], which the `data` leads to. They are made only
/// when they go into the item.
struct MethodParts {
    detail: Option<String>,
    documentation: Option<Documentation>,
    data: Option<serde_json::Value>,
}

impl MethodParts {
    fn new(
        deferred: Option<Deferred>,
        module: Option<&ModuleInfo>,
        detail: impl FnOnce() -> String,
        doc: impl FnOnce() -> Option<String>,
    ) -> MethodParts {
        match deferred {
            None => MethodParts { detail: Some(detail()), documentation: doc().map(markdown), data: None },
            Some(deferred) => MethodParts {
                detail: (!deferred.detail).then(detail),
                documentation: None,
                data: serde_json::to_value(DocSource { list: deferred.list, module: module.map(|m| m.path.clone()) })
                    .ok(),
            },
        }
    }
}

/// A doc comment as the item's documentation.
fn markdown(value: String) -> Documentation {
    Documentation::MarkupContent(MarkupContent { kind: MarkupKind::Markdown, value })
}

/// A workspace method's signature, with the module it is in.
fn workspace_signature(module: &ModuleInfo, method: &MethodInfo) -> String {
    format!("{}: {}", module.name, hover::info_signature(method))
}

/// An item naming a method, inserted as a call snippet (`Имя($0)`, `Имя()` when it takes no
/// parameters) and sorted after `rank`.
fn method_completion(
    name: &str,
    kind: MethodKind,
    has_parameters: bool,
    rank: char,
    parts: MethodParts,
) -> CompletionItem {
    let snippet = if has_parameters { format!("{name}($0)") } else { format!("{name}()") };
    CompletionItem {
        label: name.to_string(),
        kind: Some(match kind {
            MethodKind::Function => CompletionItemKind::FUNCTION,
            MethodKind::Procedure => CompletionItemKind::METHOD,
        }),
        detail: parts.detail,
        documentation: parts.documentation,
        insert_text: Some(snippet),
        insert_text_format: Some(InsertTextFormat::SNIPPET),
        sort_text: Some(format!("{rank}{name}")),
        data: parts.data,
        ..CompletionItem::default()
    }
}

/// The completion list at `position`. With `deferred` (the client resolves documentation
/// itself) the method items leave out their doc comments, and their signatures when the
/// client resolves those too; their `data` says where the method is (see [`resolve`]). In
/// the largest SSL module the list is then a third of its size, on every completion.
pub fn completion(snap: &Snapshot, position: Position, deferred: Option<Deferred>) -> Vec<CompletionItem> {
    let parse = &snap.parse;
    let offset = convert::offset(parse, position);
    // After a dot the names are members of another object: the workspace answers those.
    let before = parse.text()[..offset].trim_end_matches(|c: char| c.is_alphanumeric() || c == '_');
    if let Some(chain) = before.strip_suffix('.') {
        return members(snap, qualifier_chain(chain), offset, deferred);
    }
    let module = parse.module();
    let mut items = Vec::new();
    if let Some(index) = module.methods.iter().position(|m| m.range.contains(&offset)) {
        for p in &module.methods[index].parameters {
            items.push(CompletionItem {
                label: p.name.clone(),
                kind: Some(CompletionItemKind::VARIABLE),
                detail: Some("параметр".into()),
                sort_text: Some(format!("0{}", p.name)),
                ..CompletionItem::default()
            });
        }
        for (name, _) in resolve::locals(parse, &module, index) {
            items.push(CompletionItem {
                label: name.clone(),
                kind: Some(CompletionItemKind::VARIABLE),
                detail: Some("локальная переменная".into()),
                sort_text: Some(format!("0{name}")),
                ..CompletionItem::default()
            });
        }
    }
    for v in &module.variables {
        items.push(CompletionItem {
            label: v.name.clone(),
            kind: Some(CompletionItemKind::VARIABLE),
            detail: Some("переменная модуля".into()),
            sort_text: Some(format!("1{}", v.name)),
            ..CompletionItem::default()
        });
    }
    for m in &module.methods {
        let parts =
            MethodParts::new(deferred, None, || hover::signature(m), || m.doc_comment.as_ref().map(|d| d.text()));
        items.push(method_completion(&m.name, m.kind, !m.parameters.is_empty(), '2', parts));
    }
    let english = english(snap.parse.text());
    workspace_names(snap, english, deferred, &mut items);
    items.extend(super::platform::globals(english));
    for &(_, ru, en) in keywords::KEYWORDS {
        let word = if english { en } else { ru };
        items.push(CompletionItem {
            label: word.to_string(),
            kind: Some(CompletionItemKind::KEYWORD),
            sort_text: Some(format!("3{word}")),
            ..CompletionItem::default()
        });
    }
    for &(label, body) in if english { SNIPPETS_EN } else { SNIPPETS_RU } {
        items.push(CompletionItem {
            label: label.to_string(),
            kind: Some(CompletionItemKind::SNIPPET),
            insert_text: Some(body.to_string()),
            insert_text_format: Some(InsertTextFormat::SNIPPET),
            sort_text: Some(format!("4{label}")),
            ..CompletionItem::default()
        });
    }
    items
}

/// The names before the dot the cursor follows, outermost first: `Справочники.Валюты.` gives
/// `["Справочники", "Валюты"]`. Empty when something other than names and dots stands there.
fn qualifier_chain(before_dot: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = before_dot;
    loop {
        let trimmed = rest.trim_end_matches(|c: char| c.is_alphanumeric() || c == '_');
        let name = &rest[trimmed.len()..];
        if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
            return Vec::new();
        }
        parts.push(name);
        match trimmed.strip_suffix('.') {
            Some(outer) if parts.len() < 3 => rest = outer,
            Some(_) => return Vec::new(),
            None => break,
        }
    }
    parts.reverse();
    parts
}

fn method_item(module: &ModuleInfo, method: &MethodInfo, rank: char, deferred: Option<Deferred>) -> CompletionItem {
    let parts = MethodParts::new(
        deferred,
        Some(module),
        || workspace_signature(module, method),
        || method.doc.as_deref().map(str::to_string),
    );
    method_completion(&method.name, method.kind, !method.parameters.is_empty(), rank, parts)
}

fn simple_item(label: &str, kind: CompletionItemKind, detail: String, rank: char) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail: Some(detail),
        sort_text: Some(format!("{rank}{label}")),
        ..CompletionItem::default()
    }
}

/// The metadata object whose module or form module the document is, if any.
fn own_object(snap: &Snapshot) -> Option<(MetadataKind, String)> {
    let object = classify(&snap.path()?)?.object?;
    Some((object.kind, object.name))
}

fn attribute_items(index: &WorkspaceIndex, kind: MetadataKind, name: &str, out: &mut Vec<CompletionItem>) {
    for attribute in index.attributes_of(kind, name) {
        let detail = attribute.synonym.clone().unwrap_or_default();
        let types = attribute.types.join(", ");
        out.push(simple_item(
            &attribute.name,
            CompletionItemKind::FIELD,
            if types.is_empty() { detail } else { format!("{detail} ({types})") },
            '0',
        ));
    }
    for object in index.metadata_all(kind, name) {
        for section in &object.tabular_sections {
            out.push(simple_item(&section.name, CompletionItemKind::FIELD, "табличная часть".into(), '0'));
        }
    }
}

/// What may follow `chain.`.
fn members(snap: &Snapshot, chain: Vec<&str>, offset: usize, deferred: Option<Deferred>) -> Vec<CompletionItem> {
    let index = snap.workspace.index();
    let mut items = Vec::new();
    match chain.as_slice() {
        [manager] if MetadataKind::from_manager(manager).is_some() => {
            let kind = MetadataKind::from_manager(manager).expect("checked");
            for name in index.objects_of_kind(kind) {
                items.push(simple_item(name, CompletionItemKind::CLASS, kind.name_ru().to_string(), '0'));
            }
        }
        [manager, object] if MetadataKind::from_manager(manager).is_some() => {
            let kind = MetadataKind::from_manager(manager).expect("checked");
            if let Some(module) = index.object_module(kind, object, ModuleKind::Manager) {
                items.extend(module.exported_methods().map(|m| method_item(module, m, '0', deferred)));
            }
        }
        [name] if ["ЭтотОбъект", "ThisObject", "Объект", "Object"].iter().any(|s| eq_ignore_case(s, name)) =>
        {
            let own_module = ["ЭтотОбъект", "ThisObject"].iter().any(|s| eq_ignore_case(s, name));
            if let Some((kind, object)) = own_object(snap)
                && (snap.kind == ModuleKind::Form || own_module)
            {
                attribute_items(&index, kind, &object, &mut items);
            }
            if own_module {
                let module = snap.parse.module();
                for m in &module.methods {
                    items.push(simple_item(&m.name, CompletionItemKind::METHOD, hover::signature(m), '1'));
                }
            }
        }
        [name] if index.common_module(name).is_none() && index.onescript(name).is_none() => {
            drop(index);
            let before = snap.parse.text()[..offset].trim_end_matches(|c: char| c.is_alphanumeric() || c == '_');
            items.extend(super::platform::members(snap, name, before.len()));
            return items;
        }
        [name] => {
            if let Some(common) = index.common_module(name) {
                for path in common.modules {
                    if let Some(module) = index.module(path) {
                        items.extend(module.exported_methods().map(|m| method_item(module, m, '0', deferred)));
                    }
                }
            } else if let Some(module) = index.onescript(name) {
                items.extend(module.exported_methods().map(|m| method_item(module, m, '0', deferred)));
            }
        }
        _ => {}
    }
    items
}

/// Names the workspace adds at statement level: common modules, global managers and the
/// methods of global common modules.
fn workspace_names(snap: &Snapshot, english: bool, deferred: Option<Deferred>, items: &mut Vec<CompletionItem>) {
    let index = snap.workspace.index();
    for name in index.objects_of_kind(MetadataKind::CommonModule) {
        items.push(simple_item(name, CompletionItemKind::MODULE, "общий модуль".into(), '2'));
    }
    for (kind, _) in index.object_counts() {
        let manager = if english { kind.manager_en() } else { kind.manager_ru() };
        if let Some(manager) = manager {
            items.push(simple_item(manager, CompletionItemKind::MODULE, kind.name_ru().to_string(), '2'));
        }
    }
    for global in index.global_modules() {
        for path in global.modules {
            if let Some(module) = index.module(path) {
                items.extend(module.exported_methods().map(|m| method_item(module, m, '2', deferred)));
            }
        }
    }
    for module in
        index.modules().filter(|m| m.kind == ModuleKind::OneScriptModule || m.kind == ModuleKind::OneScriptClass)
    {
        let kind = if module.kind == ModuleKind::OneScriptClass {
            CompletionItemKind::CLASS
        } else {
            CompletionItemKind::MODULE
        };
        items.push(simple_item(&module.name, kind, "OneScript".into(), '2'));
    }
}

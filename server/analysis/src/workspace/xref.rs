//! Cross-module references: the calls a module makes by name (`Метод(`, `Модуль.Метод(`,
//! `Справочники.Имя.Метод(`), kept compactly in the index, and what a name under the cursor
//! points at in another module.
//!
//! A call site is kept as two hashes (of the qualifier and of the method name, both folded to
//! lowercase) and a byte range, 24 bytes, so the calls of a whole configuration fit in a few
//! megabytes and a search for the callers of one method is a linear scan without parsing.
//! Hashes are only a filter: whoever shows a result re-reads the text at the range.

use bsl_syntax::NodeExt;
use std::hash::{Hash, Hasher};
use std::ops::Range;

use bsl_syntax::Parse;
use bsl_syntax::keywords::eq_ignore_case;
use tree_sitter::Node;

use super::layout::MetadataKind;

/// How a call names the module it calls into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Qualifier {
    /// `Метод(`: this module's method or a global common module's.
    Bare,
    /// `Имя.Метод(`: a common module, a OneScript module, or any object held in a variable.
    Name(String),
    /// `Справочники.Валюты.Метод(`: a manager module.
    Manager(MetadataKind, String),
}

impl Qualifier {
    /// The hash kept in call sites; `0` is the bare qualifier.
    pub fn key(&self) -> u64 {
        match self {
            Qualifier::Bare => 0,
            Qualifier::Name(name) => fold_hash(&[name]),
            Qualifier::Manager(kind, name) => fold_hash(&[kind_name(*kind), name]),
        }
    }
}

fn kind_name(kind: MetadataKind) -> &'static str {
    kind.manager_en().unwrap_or("?")
}

/// Names that call the module's own methods: `ЭтотОбъект.Метод()` is `Метод()`.
const SELF_NAMES: &[&str] = &["ЭтотОбъект", "ThisObject", "ЭтаФорма", "ThisForm"];

/// One call of a method by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallSite {
    pub qualifier: u64,
    pub name: u64,
    /// Byte range of the called method's name.
    pub start: u32,
    pub end: u32,
}

impl CallSite {
    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A hash of lowercase words joined by dots, stable within a build.
pub fn fold_hash(parts: &[&str]) -> u64 {
    let mut hasher = Fnv(0xcbf2_9ce4_8422_2325);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            '.'.hash(&mut hasher);
        }
        for c in part.chars().flat_map(char::to_lowercase) {
            hasher.write_u32(c as u32);
        }
    }
    // Never 0, which stands for the bare qualifier.
    hasher.finish().max(1)
}

/// FNV-1a: small, fast, and stable across runs (unlike the standard library's hasher).
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x100_0000_01b3);
        }
    }
}

/// The qualifier of a call's function node and the node holding the method's name, when the
/// call names a method in a way the index can follow.
fn classify_call<'t>(function: Node<'t>, text: &str) -> Option<(Qualifier, Node<'t>)> {
    match function.kind_str() {
        "identifier" => Some((Qualifier::Bare, function)),
        "member_expression" => {
            let property = function.field("property")?;
            let qualifier = qualifier_of(function.field("object")?, text)?;
            Some((qualifier, property))
        }
        _ => None,
    }
}

/// What the object part of `Объект.Метод` names, when it is a module-like name.
pub fn qualifier_of(object: Node<'_>, text: &str) -> Option<Qualifier> {
    match object.kind_str() {
        "identifier" => {
            let name = &text[object.byte_range()];
            if SELF_NAMES.iter().any(|s| eq_ignore_case(s, name)) {
                Some(Qualifier::Bare)
            } else {
                Some(Qualifier::Name(name.to_string()))
            }
        }
        "member_expression" => {
            let manager = object.field("object").filter(|o| o.kind_str() == "identifier")?;
            let kind = MetadataKind::from_manager(&text[manager.byte_range()])?;
            let name = object.field("property")?;
            Some(Qualifier::Manager(kind, text[name.byte_range()].to_string()))
        }
        _ => None,
    }
}

/// Every call of a method by name in a module, in text order.
pub fn call_sites(parse: &Parse) -> Vec<CallSite> {
    let text = parse.text();
    let mut out = Vec::new();
    let mut cursor = parse.root().walk();
    'walk: loop {
        let node = cursor.node();
        if node.kind_str() == "call_expression"
            && let Some(function) = node.field("function")
            && let Some((qualifier, name)) = classify_call(function, text)
        {
            out.push(CallSite {
                qualifier: qualifier.key(),
                name: fold_hash(&[&text[name.byte_range()]]),
                start: name.start_byte() as u32,
                end: name.end_byte() as u32,
            });
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    out
}

/// What a name under the cursor points at outside its own module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A method called through a qualifier, or bare (a global common module's method).
    Method { qualifier: Qualifier, name: String },
    /// A module itself: `ОбщийМодуль` in `ОбщийМодуль.Метод`, or `Справочники.Валюты`.
    Module(Qualifier),
    /// A OneScript class in `Новый Класс`.
    Class(String),
}

/// The cross-module target of the identifier at `offset`, with the identifier's range. Local
/// names are not answered here (see [`crate::resolve`]); callers try those first.
pub fn target_at(parse: &Parse, offset: usize) -> Option<(Target, Range<usize>)> {
    let text = parse.text();
    let node = crate::resolve::identifier_at(parse, offset)?;
    let range = node.byte_range();
    let parent = node.parent()?;
    let name = text[range.clone()].to_string();
    match parent.kind_str() {
        "member_expression" if parent.field("property") == Some(node) => {
            let object = parent.field("object")?;
            let qualifier = qualifier_of(object, text)?;
            let called = parent
                .parent()
                .is_some_and(|p| p.kind_str() == "call_expression" && p.field("function") == Some(parent));
            if called {
                Some((Target::Method { qualifier, name }, range))
            } else if let Qualifier::Name(manager) = &qualifier
                && let Some(kind) = MetadataKind::from_manager(manager)
            {
                // `Справочники.Валюты` without a call: the object.
                Some((Target::Module(Qualifier::Manager(kind, name)), range))
            } else {
                // A member used as a value: still most likely the method (`Модуль.Метод` is
                // how `ОписаниеОповещения` texts and documentation name methods).
                Some((Target::Method { qualifier, name }, range))
            }
        }
        "member_expression" if parent.field("object") == Some(node) => {
            Some((Target::Module(Qualifier::Name(name)), range))
        }
        "call_expression" if parent.field("function") == Some(node) => {
            Some((Target::Method { qualifier: Qualifier::Bare, name }, range))
        }
        "new_expression" if parent.field("type") == Some(node) => Some((Target::Class(name), range)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sites(text: &str) -> Vec<(u64, String)> {
        let parse = Parse::new(text);
        call_sites(&parse).into_iter().map(|c| (c.qualifier, text[c.range()].to_string())).collect()
    }

    #[test]
    fn calls_are_kept_with_their_qualifiers() {
        let text = "Процедура А()\n\
                    \tОбщегоНазначения.ЗначениеРеквизитаОбъекта(Ссылка, \"Код\");\n\
                    \tСправочники.Валюты.НайтиПоКоду(\"643\");\n\
                    \tБ(В(1));\n\
                    \tЭтотОбъект.Г();\n\
                    \tМассив[0].Д();\n\
                    КонецПроцедуры\n";
        let found = sites(text);
        let common = Qualifier::Name("общегоназначения".into()).key();
        let manager = Qualifier::Manager(MetadataKind::Catalog, "ВАЛЮТЫ".into()).key();
        assert_eq!(
            found,
            vec![
                (common, "ЗначениеРеквизитаОбъекта".into()),
                (manager, "НайтиПоКоду".into()),
                (0, "Б".into()),
                (0, "В".into()),
                (0, "Г".into()),
            ]
        );
        // English managers hash the same as Russian ones.
        assert_eq!(manager, Qualifier::Manager(MetadataKind::from_manager("Catalogs").unwrap(), "валюты".into()).key());
    }

    #[test]
    fn targets_under_the_cursor() {
        let text = "Процедура А()\n\tX = ОбщийМодуль.Метод(1);\n\tY = Новый Класс;\n\tZ = Справочники.Валюты;\nКонецПроцедуры\n";
        let parse = Parse::new(text);
        let at = |needle: &str| target_at(&parse, text.find(needle).unwrap() + 1).map(|(t, _)| t);
        assert_eq!(
            at("Метод"),
            Some(Target::Method {
                qualifier: Qualifier::Name("ОбщийМодуль".into()), name: "Метод".into()
            })
        );
        assert_eq!(at("ОбщийМодуль"), Some(Target::Module(Qualifier::Name("ОбщийМодуль".into()))));
        assert_eq!(at("Класс"), Some(Target::Class("Класс".into())));
        assert_eq!(at("Валюты"), Some(Target::Module(Qualifier::Manager(MetadataKind::Catalog, "Валюты".into()))));
        assert_eq!(at("X ="), None);
    }
}

//! The authored knowledge base of bsl-assist: facts about the 1C:Enterprise platform, the
//! development standards, the YAxUnit test engine and the assistants' prompt templates.
//!
//! The facts live in the workspace's `knowledge/` folder and are embedded into this crate at
//! compile time ([`KnowledgeBase::embedded`]). Users can keep their own folders in the same
//! format and load them with [`KnowledgeBase::load_dir`]; [`KnowledgeBase::extend`] puts them
//! beside ours.
//!
//! # File format
//!
//! Data files are TOML; each may hold any of these arrays of tables (the folder names
//! `platform/`, `types/`, `standards/`, `yaxunit/` are a convention, not a requirement):
//!
//! - `[[method]]` / `[[property]]`: the global context. `name_ru`, `name_en`, `description`,
//!   `params`, `returns` (methods) or `types` (properties), `availability`, `deprecated`.
//! - `[[type]]`: a platform type. `name_ru`, `name_en`, `description`, `constructors`
//!   (`{ description, params }`), `methods` (`{ name_ru, name_en, description, params, returns }`),
//!   `properties` (`{ name_ru, name_en, types, description, read_only }`), `availability`.
//!   A generic type is written `СправочникОбъект.<Имя>` and found by either part.
//! - `[[standard]]`: `number`, optional `topic` (when one standard has several entries),
//!   `title`, `summary`, `reason`, `bad`, `good`, `rules` (rule codes).
//! - `[[yaxunit_module]]` (`name`, `description`, `access`, `context`) and `[[yaxunit]]`
//!   (`module`, `name`, `description`, `params`, `returns`, `example`).
//! - `[[article]]`: free-form notes (`id`, `title`, `body`, `example`, `tags`).
//! - `[defaults]`: `availability` and the YAxUnit `module` for the entries of the file that do
//!   not set their own.
//!
//! A parameter is a table `{ name_ru, name_en, types, optional, default, description }` or
//! the shorthand `"ИмяRu|NameEn?: Тип1, Тип2 = default"` (`?` marks an optional parameter; a
//! default implies it). `returns` is a table `{ types, description }` or a string of types.
//! `availability` is a list of contexts (`server`, `thin_client`, `web_client`,
//! `mobile_client`, `mobile_server`, `external_connection`, or the aliases `all`, `client`,
//! `server_side`) or a table of `context = true/false`.
//!
//! # Search
//!
//! [`SearchIndex`] (module [`index`]) is a tantivy index over these entries and a
//! workspace's methods, with the BSL-aware analyzer of module [`analyzer`]; see the module's
//! documentation for the cache layout and the API the language server calls.
//!
//! Prompt templates are Markdown files whose TOML front matter, between `+++` lines, names the
//! `role`, the `task`, a `description` and the `variables`; the body uses `{{variable}}`.
//! `README.md` files are documentation and are never read as knowledge.

pub mod analyzer;
pub mod embed;
pub mod index;
mod load;
mod model;
mod prompt;

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

pub use embed::{EmbedError, EmbedSettings, Embedder};
pub use index::{
    DenseOptions, DenseReport, DocKind, Fusion, Hit, IndexError, IndexStats, Opened, Retrieval, Scope, SearchIndex,
    SyncReport, WorkspaceFile, default_cache_dir, retrieval_status, retrieval_status_for,
};
pub use load::LoadError;
pub use model::{
    Article, Availability, Constructor, GlobalKind, Param, PlatformMethod, PlatformType, Returns, Standard, TypeMethod,
    TypeProperty, YaxunitMethod, YaxunitModule, fold_name, same_name,
};
pub use prompt::{PromptTemplate, RenderError};

use load::Parsed;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// The knowledge files embedded at compile time: (path relative to `knowledge/`, text).
pub fn embedded_files() -> &'static [(&'static str, &'static str)] {
    embedded::FILES
}

/// Every entry, with indexes by name.
#[derive(Debug, Clone, Default)]
pub struct KnowledgeBase {
    methods: Vec<PlatformMethod>,
    types: Vec<PlatformType>,
    standards: Vec<Standard>,
    yaxunit_modules: Vec<YaxunitModule>,
    yaxunit_methods: Vec<YaxunitMethod>,
    articles: Vec<Article>,
    prompts: Vec<PromptTemplate>,
    method_index: HashMap<String, usize>,
    type_index: HashMap<String, usize>,
}

impl KnowledgeBase {
    /// The knowledge shipped with bsl-assist, parsed on first use.
    ///
    /// # Panics
    /// If the embedded files are broken; the crate's tests load them, so a release cannot be.
    pub fn embedded() -> &'static KnowledgeBase {
        static EMBEDDED: OnceLock<KnowledgeBase> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            KnowledgeBase::from_sources(embedded::FILES.iter().copied())
                .unwrap_or_else(|e| panic!("the embedded knowledge base is broken: {e}"))
        })
    }

    /// Reads a user's knowledge folder (recursively, `.toml` data and `.md` prompts).
    /// Errors name the file (as found under `dir`) and, when known, the line and the entry.
    pub fn load_dir(dir: impl AsRef<Path>) -> Result<KnowledgeBase, LoadError> {
        let dir = dir.as_ref();
        let mut sources = Vec::new();
        for path in load::files_in(dir)? {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(&path)
                .map_err(|e| LoadError::new(&name, format!("cannot read the file: {e}")))?;
            sources.push((name, text));
        }
        KnowledgeBase::from_sources(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
    }

    /// Parses files given as (name, text); the name's extension picks the format.
    pub fn from_sources<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<KnowledgeBase, LoadError> {
        let mut parsed = Parsed::default();
        for (name, text) in files {
            parsed.add_file(name, text)?;
        }
        KnowledgeBase::build(parsed, true)
    }

    /// Adds `other`'s entries beside these; an entry of `other` with the same key (a name of a
    /// method or type, a standard's key, a YAxUnit module and method, a prompt's role and
    /// task) replaces ours, so users can correct or refine the shipped facts.
    pub fn extend(&mut self, other: KnowledgeBase) {
        fn merge<T>(ours: &mut Vec<T>, theirs: Vec<T>, same: impl Fn(&T, &T) -> bool) {
            for entry in theirs {
                ours.retain(|existing| !same(existing, &entry));
                ours.push(entry);
            }
        }
        merge(&mut self.methods, other.methods, |a, b| {
            same_name(&a.name_ru, &b.name_ru) || same_name(&a.name_en, &b.name_en)
        });
        merge(&mut self.types, other.types, |a, b| {
            same_name(&a.name_ru, &b.name_ru) || same_name(&a.name_en, &b.name_en)
        });
        merge(&mut self.standards, other.standards, |a, b| a.key() == b.key());
        merge(&mut self.yaxunit_modules, other.yaxunit_modules, |a, b| same_name(&a.name, &b.name));
        merge(&mut self.yaxunit_methods, other.yaxunit_methods, |a, b| {
            same_name(&a.module, &b.module) && same_name(&a.name, &b.name)
        });
        merge(&mut self.articles, other.articles, |a, b| a.id == b.id);
        merge(&mut self.prompts, other.prompts, |a, b| a.role == b.role && a.task == b.task);
        let parsed = Parsed {
            methods: std::mem::take(&mut self.methods),
            types: std::mem::take(&mut self.types),
            standards: std::mem::take(&mut self.standards),
            yaxunit_modules: std::mem::take(&mut self.yaxunit_modules),
            yaxunit_methods: std::mem::take(&mut self.yaxunit_methods),
            articles: std::mem::take(&mut self.articles),
            prompts: std::mem::take(&mut self.prompts),
            texts: Vec::new(),
        };
        *self = KnowledgeBase::build(parsed, false).expect("merging without duplicate checks cannot fail");
    }

    /// Checks the keys are unique (when `check`) and builds the indexes.
    fn build(parsed: Parsed, check: bool) -> Result<KnowledgeBase, LoadError> {
        let duplicate = |file: &str, key: &str, what: &str, first: &str| {
            LoadError::new(file, format!("duplicate {what} (first defined in {first})"))
                .key(key)
                .near(parsed.text_of(file), key)
        };
        let mut method_index: HashMap<String, usize> = HashMap::new();
        for (i, m) in parsed.methods.iter().enumerate() {
            for name in [&m.name_ru, &m.name_en] {
                if let Some(&first) = method_index.get(&fold_name(name))
                    && check
                    && first != i
                {
                    return Err(duplicate(
                        &m.source,
                        name,
                        "global method or property name",
                        &parsed.methods[first].source,
                    ));
                }
                method_index.insert(fold_name(name), i);
            }
        }
        let mut type_index: HashMap<String, usize> = HashMap::new();
        for (i, t) in parsed.types.iter().enumerate() {
            for name in [&t.name_ru, &t.name_en] {
                if let Some(&first) = type_index.get(&fold_name(name))
                    && check
                    && first != i
                {
                    return Err(duplicate(&t.source, name, "type name", &parsed.types[first].source));
                }
                type_index.insert(fold_name(name), i);
                if let Some((head, _)) = name.split_once(".<") {
                    type_index.entry(fold_name(head)).or_insert(i);
                }
            }
        }
        if check {
            let mut seen: HashMap<String, &str> = HashMap::new();
            for s in &parsed.standards {
                if let Some(first) = seen.insert(s.key(), &s.source) {
                    return Err(duplicate(&s.source, &format!("number = {}", s.number), "standard key", first)
                        .key(format!("standard {}", s.key())));
                }
            }
            let mut seen: HashMap<String, &str> = HashMap::new();
            for m in &parsed.yaxunit_modules {
                if let Some(first) = seen.insert(fold_name(&m.name), &m.source) {
                    return Err(duplicate(&m.source, &m.name, "YAxUnit module", first));
                }
            }
            let mut seen: HashMap<String, &str> = HashMap::new();
            for m in &parsed.yaxunit_methods {
                if let Some(first) = seen.insert(fold_name(&format!("{}.{}", m.module, m.name)), &m.source) {
                    return Err(
                        duplicate(&m.source, &m.name, "YAxUnit method", first).key(format!("{}.{}", m.module, m.name))
                    );
                }
            }
            let mut seen: HashMap<String, &str> = HashMap::new();
            for a in &parsed.articles {
                if let Some(first) = seen.insert(a.id.clone(), &a.source) {
                    return Err(duplicate(&a.source, &a.id, "article id", first));
                }
            }
            let mut seen: HashMap<String, &str> = HashMap::new();
            for p in &parsed.prompts {
                if let Some(first) = seen.insert(format!("{}/{}", p.role, p.task), &p.source) {
                    return Err(duplicate(&p.source, &p.task, "prompt role and task", first));
                }
            }
        }
        Ok(KnowledgeBase {
            methods: parsed.methods,
            types: parsed.types,
            standards: parsed.standards,
            yaxunit_modules: parsed.yaxunit_modules,
            yaxunit_methods: parsed.yaxunit_methods,
            articles: parsed.articles,
            prompts: parsed.prompts,
            method_index,
            type_index,
        })
    }

    /// A global-context method or property by its Russian or English name, any case.
    pub fn method(&self, name: &str) -> Option<&PlatformMethod> {
        self.method_index.get(&fold_name(name)).map(|&i| &self.methods[i])
    }

    /// Every global-context method and property.
    pub fn methods(&self) -> &[PlatformMethod] {
        &self.methods
    }

    /// A type by its Russian or English name, any case. `СправочникОбъект.Контрагенты` and
    /// `СправочникОбъект` both find the generic `СправочникОбъект.<Имя>`.
    pub fn type_(&self, name: &str) -> Option<&PlatformType> {
        let key = fold_name(name);
        let index = self.type_index.get(&key).or_else(|| {
            let (head, _) = key.split_once('.')?;
            self.type_index.get(head).filter(|&&i| self.types[i].is_generic())
        });
        index.map(|&i| &self.types[i])
    }

    /// Every type.
    pub fn types(&self) -> &[PlatformType] {
        &self.types
    }

    /// The main entry for a standard's number (the one without a topic, else the first).
    pub fn standard(&self, number: u32) -> Option<&Standard> {
        let mut all = self.standards_numbered(number);
        let first = all.next()?;
        if first.topic.is_none() {
            return Some(first);
        }
        all.find(|s| s.topic.is_none()).or(Some(first))
    }

    /// Every entry for a standard's number (its main entry and its topics).
    pub fn standards_numbered(&self, number: u32) -> impl Iterator<Item = &Standard> {
        self.standards.iter().filter(move |s| s.number == number)
    }

    /// An entry by its key: `456` or `456/line-length`.
    pub fn standard_by_key(&self, key: &str) -> Option<&Standard> {
        self.standards.iter().find(|s| s.key() == key)
    }

    /// The standards a rule enforces.
    pub fn standards_for_rule(&self, code: &str) -> Vec<&Standard> {
        self.standards.iter().filter(|s| s.rules.iter().any(|r| r.eq_ignore_ascii_case(code))).collect()
    }

    /// Every standard entry.
    pub fn standards(&self) -> &[Standard] {
        &self.standards
    }

    /// A YAxUnit module by name, any case.
    pub fn yaxunit_module(&self, name: &str) -> Option<&YaxunitModule> {
        self.yaxunit_modules.iter().find(|m| same_name(&m.name, name))
    }

    /// Every YAxUnit module.
    pub fn yaxunit_modules(&self) -> &[YaxunitModule] {
        &self.yaxunit_modules
    }

    /// A YAxUnit method by module and name, any case.
    pub fn yaxunit_method(&self, module: &str, name: &str) -> Option<&YaxunitMethod> {
        self.yaxunit_methods.iter().find(|m| same_name(&m.module, module) && same_name(&m.name, name))
    }

    /// The methods of one YAxUnit module.
    pub fn yaxunit_methods_of<'a>(&'a self, module: &'a str) -> impl Iterator<Item = &'a YaxunitMethod> {
        self.yaxunit_methods.iter().filter(move |m| same_name(&m.module, module))
    }

    /// Every YAxUnit method.
    pub fn yaxunit_methods(&self) -> &[YaxunitMethod] {
        &self.yaxunit_methods
    }

    /// An article by id.
    pub fn article(&self, id: &str) -> Option<&Article> {
        self.articles.iter().find(|a| a.id == id)
    }

    /// Every article.
    pub fn articles(&self) -> &[Article] {
        &self.articles
    }

    /// The prompt template for a role's task.
    pub fn prompt(&self, role: &str, task: &str) -> Option<&PromptTemplate> {
        self.prompts.iter().find(|p| p.role == role && p.task == task)
    }

    /// Every prompt template.
    pub fn prompts(&self) -> &[PromptTemplate] {
        &self.prompts
    }
}

//! Reading knowledge files: TOML data files and Markdown prompt templates, with errors that
//! name the file, the line and the entry.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::model::{
    Article, Availability, Constructor, GlobalKind, Param, PlatformMethod, PlatformType, Returns, Standard, TypeMethod,
    TypeProperty, YaxunitMethod, YaxunitModule, params,
};
use crate::prompt::{FrontMatter, PromptTemplate, placeholders, split_front_matter};

/// A knowledge file that could not be read, parsed or validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The file, relative to the knowledge folder for embedded data, as given otherwise.
    pub file: String,
    /// 1-based line of the problem, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    pub column: Option<usize>,
    /// The entry the problem is in (`СтрНайти`, `standard 456`), when known.
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        f.write_str(": ")?;
        if let Some(key) = &self.key {
            write!(f, "{key}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for LoadError {}

impl LoadError {
    pub(crate) fn new(file: &str, message: impl Into<String>) -> Self {
        LoadError { file: file.to_string(), line: None, column: None, key: None, message: message.into() }
    }

    pub(crate) fn at(mut self, text: &str, offset: usize) -> Self {
        let (line, column) = line_col(text, offset);
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub(crate) fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// Points at the first line of `text` that mentions `"needle"` (where an entry is declared).
    pub(crate) fn near(mut self, text: &str, needle: &str) -> Self {
        if let Some(offset) = text.find(&format!("\"{needle}\"")).or_else(|| text.find(needle)) {
            self.line = Some(line_col(text, offset).0);
        }
        self
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// Everything read from a set of files, before the cross-file checks.
#[derive(Debug, Default, Clone)]
pub(crate) struct Parsed {
    pub methods: Vec<PlatformMethod>,
    pub types: Vec<PlatformType>,
    pub standards: Vec<Standard>,
    pub yaxunit_modules: Vec<YaxunitModule>,
    pub yaxunit_methods: Vec<YaxunitMethod>,
    pub articles: Vec<Article>,
    pub prompts: Vec<PromptTemplate>,
    /// The text of each file, by name, for pointing cross-file errors at a line.
    pub texts: Vec<(String, String)>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Defaults {
    #[serde(default)]
    availability: Option<Availability>,
    /// The YAxUnit module of the `[[yaxunit]]` entries that do not name one.
    #[serde(default)]
    module: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    defaults: Defaults,
    #[serde(default)]
    method: Vec<RawGlobal>,
    #[serde(default)]
    property: Vec<RawGlobal>,
    #[serde(default, rename = "type")]
    types: Vec<RawType>,
    #[serde(default)]
    standard: Vec<Standard>,
    #[serde(default)]
    yaxunit_module: Vec<YaxunitModule>,
    #[serde(default)]
    yaxunit: Vec<YaxunitMethod>,
    #[serde(default)]
    article: Vec<Article>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGlobal {
    name_ru: String,
    name_en: String,
    description: String,
    #[serde(default, deserialize_with = "params")]
    params: Vec<Param>,
    #[serde(default)]
    returns: Option<Returns>,
    /// The value types of a property.
    #[serde(default)]
    types: Vec<String>,
    #[serde(default)]
    availability: Option<Availability>,
    #[serde(default)]
    deprecated: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawType {
    name_ru: String,
    name_en: String,
    description: String,
    #[serde(default)]
    constructors: Vec<Constructor>,
    #[serde(default)]
    methods: Vec<TypeMethod>,
    #[serde(default)]
    properties: Vec<TypeProperty>,
    #[serde(default)]
    availability: Option<Availability>,
    #[serde(default)]
    deprecated: Option<String>,
}

impl Parsed {
    /// Reads one file. `name` is how errors refer to it; the extension picks the format.
    pub fn add_file(&mut self, name: &str, text: &str) -> Result<(), LoadError> {
        self.texts.push((name.to_string(), text.to_string()));
        if name.ends_with(".md") {
            return self.add_prompt(name, text);
        }
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let error = LoadError::new(name, e.message().trim_end().to_string());
            match e.span() {
                Some(span) => error.at(text, span.start),
                None => error,
            }
        })?;
        let topic = Path::new(name).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let fail = |key: &str, message: &str| LoadError::new(name, message).key(key).near(text, key);
        let check_names = |ru: &str, en: &str, description: &str| -> Result<(), LoadError> {
            let key = if ru.trim().is_empty() { en } else { ru };
            if ru.trim().is_empty() || en.trim().is_empty() {
                return Err(fail(key, "both name_ru and name_en must be filled"));
            }
            if description.trim().is_empty() {
                return Err(fail(key, "the description is empty"));
            }
            Ok(())
        };
        let availability = |own: Option<Availability>, key: &str| match own.or(raw.defaults.availability) {
            Some(a) if !a.is_empty() => Ok(a),
            _ => Err(fail(key, "no availability (set it on the entry or in [defaults])")),
        };

        for (kind, list) in [(GlobalKind::Method, raw.method), (GlobalKind::Property, raw.property)] {
            for entry in list {
                check_names(&entry.name_ru, &entry.name_en, &entry.description)?;
                let returns = match kind {
                    GlobalKind::Method => {
                        if !entry.types.is_empty() {
                            return Err(fail(&entry.name_ru, "a method has `returns`, not `types`"));
                        }
                        entry.returns
                    }
                    GlobalKind::Property => {
                        if !entry.params.is_empty() || entry.returns.is_some() {
                            return Err(fail(&entry.name_ru, "a property has `types`, not `params` or `returns`"));
                        }
                        Some(Returns { types: entry.types, description: None })
                    }
                };
                self.methods.push(PlatformMethod {
                    availability: availability(entry.availability, &entry.name_ru)?,
                    name_ru: entry.name_ru,
                    name_en: entry.name_en,
                    kind,
                    description: entry.description,
                    params: entry.params,
                    returns,
                    deprecated: entry.deprecated,
                    topic: topic.clone(),
                    source: name.to_string(),
                });
            }
        }

        for entry in raw.types {
            check_names(&entry.name_ru, &entry.name_en, &entry.description)?;
            for m in &entry.methods {
                check_names(&m.name_ru, &m.name_en, &m.description)
                    .map_err(|e| e.key(format!("{}.{}", entry.name_ru, m.name_ru)))?;
            }
            for p in &entry.properties {
                check_names(&p.name_ru, &p.name_en, &p.description)
                    .map_err(|e| e.key(format!("{}.{}", entry.name_ru, p.name_ru)))?;
            }
            self.types.push(PlatformType {
                availability: availability(entry.availability, &entry.name_ru)?,
                name_ru: entry.name_ru,
                name_en: entry.name_en,
                description: entry.description,
                constructors: entry.constructors,
                methods: entry.methods,
                properties: entry.properties,
                deprecated: entry.deprecated,
                topic: topic.clone(),
                source: name.to_string(),
            });
        }

        for mut standard in raw.standard {
            let key = format!("standard {}", standard.key());
            let needle = format!("number = {}", standard.number);
            for (field, value) in [
                ("title", &standard.title),
                ("summary", &standard.summary),
                ("reason", &standard.reason),
                ("bad", &standard.bad),
                ("good", &standard.good),
            ] {
                if value.trim().is_empty() {
                    return Err(LoadError::new(name, format!("`{field}` is empty")).key(key).near(text, &needle));
                }
            }
            standard.source = name.to_string();
            self.standards.push(standard);
        }

        for mut module in raw.yaxunit_module {
            if module.name.trim().is_empty() || module.description.trim().is_empty() {
                return Err(fail(&module.name, "a YAxUnit module needs a name and a description"));
            }
            module.source = name.to_string();
            self.yaxunit_modules.push(module);
        }
        for mut method in raw.yaxunit {
            if method.module.is_empty() {
                method.module = raw.defaults.module.clone().unwrap_or_default();
            }
            if method.module.is_empty() {
                return Err(fail(&method.name, "no module (set `module` on the entry or in [defaults])"));
            }
            if method.name.trim().is_empty() || method.description.trim().is_empty() {
                return Err(fail(&method.name, "a YAxUnit method needs a name and a description"));
            }
            method.source = name.to_string();
            self.yaxunit_methods.push(method);
        }
        for mut article in raw.article {
            if article.title.trim().is_empty() || article.body.trim().is_empty() {
                return Err(fail(&article.id, "an article needs a title and a body"));
            }
            article.source = name.to_string();
            self.articles.push(article);
        }
        Ok(())
    }

    fn add_prompt(&mut self, name: &str, text: &str) -> Result<(), LoadError> {
        let Some((front, body, body_line)) = split_front_matter(text) else {
            return Err(
                LoadError::new(name, "a prompt template starts with TOML front matter between `+++` lines").at(text, 0)
            );
        };
        let front_offset = text.find(front).unwrap_or(0);
        let meta: FrontMatter = toml::from_str(front).map_err(|e| {
            let error = LoadError::new(name, e.message().trim_end().to_string());
            match e.span() {
                Some(span) => error.at(text, front_offset + span.start),
                None => error,
            }
        })?;
        let key = format!("prompt {}/{}", meta.role, meta.task);
        for used in placeholders(body) {
            if !meta.variables.contains(&used) {
                let offset = body.find(&format!("{{{{{used}")).unwrap_or(0);
                let mut error =
                    LoadError::new(name, format!("the placeholder `{{{{{used}}}}}` is not declared in `variables`"))
                        .key(key);
                error.line = Some(body_line + body[..offset].matches('\n').count());
                return Err(error);
            }
        }
        let used = placeholders(body);
        if let Some(unused) = meta.variables.iter().find(|v| !used.contains(*v)) {
            return Err(LoadError::new(name, format!("the variable `{unused}` is declared but never used"))
                .key(key)
                .near(text, unused));
        }
        self.prompts.push(PromptTemplate {
            role: meta.role,
            task: meta.task,
            description: meta.description,
            variables: meta.variables,
            body: body.to_string(),
            source: name.to_string(),
        });
        Ok(())
    }

    /// The text of a file read earlier, for locating an entry.
    pub fn text_of(&self, file: &str) -> &str {
        self.texts.iter().find(|(name, _)| name == file).map(|(_, text)| text.as_str()).unwrap_or("")
    }
}

/// The knowledge files under `dir`, recursively, sorted: `.toml` data and `.md` prompts
/// (`README.md` files are documentation and are skipped).
pub(crate) fn files_in(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = std::fs::read_dir(&current)
            .map_err(|e| LoadError::new(&current.display().to_string(), format!("cannot read the folder: {e}")))?;
        for entry in entries {
            let path = entry
                .map_err(|e| LoadError::new(&current.display().to_string(), format!("cannot read the folder: {e}")))?
                .path();
            if path.is_dir() {
                pending.push(path);
            } else if is_knowledge_file(&path) {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

pub(crate) fn is_knowledge_file(path: &Path) -> bool {
    let readme = path.file_name().is_some_and(|n| n.eq_ignore_ascii_case("README.md"));
    !readme && path.extension().is_some_and(|e| e == "toml" || e == "md")
}

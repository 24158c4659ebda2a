//! The workspace index: modules' exported methods, common modules with their flags, metadata
//! objects with their modules and attributes, OneScript classes and modules, and the
//! look-ups the language server makes across files.
//!
//! Only small facts are kept (names, byte ranges, lines, parameters, doc comments of exported
//! methods), never syntax trees. Files are added, updated and removed one at a time, so the
//! same index serves the first load and every later change.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bsl_syntax::keywords::eq_ignore_case;
use bsl_syntax::{CompilationDirective, MethodKind, Parse};

use super::layout::{FileLocation, FileRole, MetadataKind, Project, ProjectFormat, classify};
use super::metadata::{Attribute, CommonModuleFlags, LibEntry, MetadataError, MetadataObject, parse_metadata};
use super::xref::{CallSite, Qualifier, call_sites, fold_hash};
use crate::ModuleKind;

/// A method parameter as the index keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParameterInfo {
    pub name: String,
    pub by_value: bool,
    /// The default value's source text, for an optional parameter.
    pub default: Option<String>,
}

/// A method as the index keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodInfo {
    pub name: String,
    pub kind: MethodKind,
    pub export: bool,
    pub is_async: bool,
    pub directive: Option<CompilationDirective>,
    /// Byte range of the whole method and of its name.
    pub range: Range<u32>,
    pub name_range: Range<u32>,
    /// 0-based line of the name, and its column in UTF-16 code units (LSP's default).
    pub line: u32,
    pub column: u32,
    pub parameters: Vec<ParameterInfo>,
    /// The doc comment's text (without `//`), kept for exported methods only.
    pub doc: Option<Box<str>>,
}

/// What the index knows of one module file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleInfo {
    pub path: PathBuf,
    pub kind: ModuleKind,
    /// Where the file sits, when its layout is known.
    pub location: Option<FileLocation>,
    /// The name other code calls it by: the common module's or the object's name, the
    /// OneScript class or module name (from `lib.config`, else the file's stem).
    pub name: String,
    pub methods: Vec<MethodInfo>,
    /// Exported module variables.
    pub exported_variables: Vec<String>,
    /// `#Использовать` targets.
    pub uses: Vec<String>,
    /// Calls of methods by name, for finding callers without parsing (see [`super::xref`]).
    pub calls: Vec<CallSite>,
}

impl ModuleInfo {
    /// Keeps the facts of a parsed module.
    pub fn new(path: &Path, parse: &Parse) -> Self {
        let text = parse.text();
        let module = parse.module();
        let location = classify(path);
        let kind = location.as_ref().and_then(FileLocation::module_kind).unwrap_or_else(|| ModuleKind::from_path(path));
        let name = location
            .as_ref()
            .and_then(|l| l.object.as_ref())
            .map(|o| o.name.clone())
            .unwrap_or_else(|| path.file_stem().and_then(|s| s.to_str()).unwrap_or("").to_string());
        let mut lines = LineCounter::new(text);
        let methods = module
            .methods
            .iter()
            .map(|m| MethodInfo {
                name: m.name.clone(),
                kind: m.kind,
                export: m.export,
                is_async: m.is_async,
                directive: m.directive(),
                range: m.range.start as u32..m.range.end as u32,
                name_range: m.name_range.start as u32..m.name_range.end as u32,
                line: lines.line_of(m.name_range.start),
                column: lines.utf16_column(m.name_range.start),
                parameters: m
                    .parameters
                    .iter()
                    .map(|p| ParameterInfo { name: p.name.clone(), by_value: p.by_value, default: p.default.clone() })
                    .collect(),
                doc: m.doc_comment.as_ref().filter(|_| m.export).map(|d| d.text().into_boxed_str()),
            })
            .collect();
        ModuleInfo {
            path: path.to_path_buf(),
            kind,
            location,
            name,
            methods,
            exported_variables: module.variables.iter().filter(|v| v.export).map(|v| v.name.clone()).collect(),
            uses: module.uses.iter().map(|u| u.target.clone()).collect(),
            calls: call_sites(parse),
        }
    }

    /// Parses the text and keeps the facts; the tree is dropped.
    pub fn from_text(path: &Path, text: &str) -> Self {
        ModuleInfo::new(path, &Parse::new(text))
    }

    /// Whether the module declares a method of that name itself.
    pub fn has_method(&self, name: &str) -> bool {
        self.methods.iter().any(|m| eq_ignore_case(&m.name, name))
    }

    /// A method by name, in any case.
    pub fn method(&self, name: &str) -> Option<&MethodInfo> {
        let name = name.to_lowercase();
        self.methods.iter().find(|m| m.name.to_lowercase() == name)
    }

    pub fn exported_methods(&self) -> impl Iterator<Item = &MethodInfo> {
        self.methods.iter().filter(|m| m.export)
    }
}

/// Lines of byte offsets given in increasing order, without storing a line table.
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: u32,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter { text: text.as_bytes(), offset: 0, line: 0 }
    }

    /// The UTF-16 column of an offset (on a char boundary) within its line.
    fn utf16_column(&self, offset: usize) -> u32 {
        let offset = offset.min(self.text.len());
        let start = self.text[..offset].iter().rposition(|&b| b == b'\n' || b == b'\r').map_or(0, |i| i + 1);
        std::str::from_utf8(&self.text[start..offset]).map_or(0, |s| s.encode_utf16().count() as u32)
    }

    fn line_of(&mut self, offset: usize) -> u32 {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            self.offset = 0;
            self.line = 0;
        }
        for (i, &b) in self.text[self.offset..offset].iter().enumerate() {
            let at = self.offset + i;
            // `\r\n` counts once, at its `\n`; a lone `\r` ends a line too.
            if b == b'\n' || (b == b'\r' && self.text.get(at + 1) != Some(&b'\n')) {
                self.line += 1;
            }
        }
        self.offset = offset;
        self.line
    }
}

/// A metadata object with everything the workspace holds for it, base and extensions
/// together.
#[derive(Debug, Default)]
struct ObjectEntry {
    name: String,
    /// Parsed descriptions, one per project that has the object.
    metadata: Vec<(PathBuf, Arc<MetadataObject>)>,
    /// Module files.
    modules: Vec<PathBuf>,
}

type ObjectKey = (MetadataKind, String);

fn key(kind: MetadataKind, name: &str) -> ObjectKey {
    (kind, name.to_lowercase())
}

/// A common module as the look-ups return it.
#[derive(Debug, Clone, Copy)]
pub struct CommonModuleView<'a> {
    pub name: &'a str,
    /// From the base configuration's description (or the first one found).
    pub flags: Option<CommonModuleFlags>,
    /// Its module files: the base configuration's first, then extensions'.
    pub modules: &'a [PathBuf],
}

/// The index over every project of the workspace.
#[derive(Debug, Default)]
pub struct WorkspaceIndex {
    projects: Vec<Project>,
    modules: HashMap<PathBuf, ModuleInfo>,
    objects: HashMap<ObjectKey, ObjectEntry>,
    /// Which object each metadata file describes, for removal.
    metadata_files: HashMap<PathBuf, ObjectKey>,
    metadata_errors: HashMap<PathBuf, MetadataError>,
    /// `lib.config` entries by the file they name.
    lib_entries: HashMap<PathBuf, (PathBuf, LibEntry)>,
    /// OneScript classes and modules by lowercase name.
    onescript: HashMap<String, Vec<PathBuf>>,
}

impl WorkspaceIndex {
    pub fn new() -> Self {
        WorkspaceIndex::default()
    }

    pub fn add_project(&mut self, project: Project) {
        self.projects.retain(|p| p.root != project.root);
        self.projects.push(project);
    }

    pub fn projects(&self) -> &[Project] {
        &self.projects
    }

    /// The deepest project whose root holds the path.
    pub fn project_of(&self, path: &Path) -> Option<&Project> {
        self.projects.iter().filter(|p| path.starts_with(&p.root)).max_by_key(|p| p.root.components().count())
    }

    fn is_extension_file(&self, path: &Path) -> bool {
        self.project_of(path).is_some_and(|p| p.is_extension)
    }

    /// Adds or replaces a module from its parse (an open document's current text).
    pub fn add_module(&mut self, path: &Path, parse: &Parse) {
        self.add_module_info(ModuleInfo::new(path, parse));
    }

    /// Adds or replaces a module from already extracted facts (what a parallel loader makes).
    pub fn add_module_info(&mut self, mut info: ModuleInfo) {
        self.remove_file(&info.path);
        if info.kind.is_onescript() {
            if let Some((_, entry)) = self.lib_entries.get(&info.path) {
                info.name = entry.name.clone();
                info.kind = if entry.is_class { ModuleKind::OneScriptClass } else { ModuleKind::OneScriptModule };
            }
            self.onescript.entry(info.name.to_lowercase()).or_default().push(info.path.clone());
        } else if let Some(object) = info.location.as_ref().and_then(|l| l.object.as_ref()) {
            let extension = self.is_extension_file(&info.path);
            let entry = self.objects.entry(key(object.kind, &object.name)).or_default();
            if entry.name.is_empty() {
                entry.name = object.name.clone();
            }
            // The base configuration's files come first.
            if extension {
                entry.modules.push(info.path.clone());
            } else {
                entry.modules.insert(0, info.path.clone());
            }
        }
        self.modules.insert(info.path.clone(), info);
    }

    /// Parses a module's text and adds it.
    pub fn add_module_text(&mut self, path: &Path, text: &str) {
        self.add_module_info(ModuleInfo::from_text(path, text));
    }

    /// Parses a metadata description and adds it; a broken file is remembered as an error
    /// (see [`WorkspaceIndex::metadata_errors`]) and returned.
    pub fn add_metadata_text(&mut self, path: &Path, text: &str) -> Result<(), MetadataError> {
        match parse_metadata(text) {
            Ok(object) => {
                self.add_metadata(path, object);
                Ok(())
            }
            Err(error) => {
                self.add_metadata_error(path, error.clone());
                Err(error)
            }
        }
    }

    /// Records that a metadata file did not parse (replacing what it described before).
    pub fn add_metadata_error(&mut self, path: &Path, error: MetadataError) {
        self.remove_file(path);
        self.metadata_errors.insert(path.to_path_buf(), error);
    }

    /// Adds or replaces a parsed metadata description.
    pub fn add_metadata(&mut self, path: &Path, object: MetadataObject) {
        self.remove_file(path);
        let extension = self.is_extension_file(path);
        let object_key = key(object.kind, &object.name);
        let entry = self.objects.entry(object_key.clone()).or_default();
        if entry.name.is_empty() {
            entry.name = object.name.clone();
        }
        let item = (path.to_path_buf(), Arc::new(object));
        if extension {
            entry.metadata.push(item)
        } else {
            entry.metadata.insert(0, item)
        }
        self.metadata_files.insert(path.to_path_buf(), object_key);
    }

    /// Reads a `lib.config` of the library at `root`; the classes and modules it names are
    /// known by those names.
    pub fn add_lib_config(&mut self, root: &Path, entries: Vec<LibEntry>) {
        self.lib_entries.retain(|_, (lib_root, _)| lib_root != root);
        for entry in entries {
            let path = root.join(&entry.file);
            self.lib_entries.insert(path, (root.to_path_buf(), entry));
        }
        self.rebuild_onescript();
    }

    fn rebuild_onescript(&mut self) {
        self.onescript.clear();
        for info in self.modules.values_mut().filter(|m| m.kind.is_onescript()) {
            if let Some((_, entry)) = self.lib_entries.get(&info.path) {
                info.name = entry.name.clone();
                info.kind = if entry.is_class { ModuleKind::OneScriptClass } else { ModuleKind::OneScriptModule };
            } else {
                // Back to what the path says.
                info.name = info.path.file_stem().and_then(|s| s.to_str()).unwrap_or("").to_string();
                info.kind = ModuleKind::from_path(&info.path);
            }
            self.onescript.entry(info.name.to_lowercase()).or_default().push(info.path.clone());
        }
    }

    /// Forgets a file: a module, a metadata description or a broken one.
    pub fn remove_file(&mut self, path: &Path) {
        self.metadata_errors.remove(path);
        if let Some(info) = self.modules.remove(path) {
            if info.kind.is_onescript() {
                let name = info.name.to_lowercase();
                if let Some(paths) = self.onescript.get_mut(&name) {
                    paths.retain(|p| p != path);
                    if paths.is_empty() {
                        self.onescript.remove(&name);
                    }
                }
            } else if let Some(object) = info.location.as_ref().and_then(|l| l.object.as_ref()) {
                self.forget(key(object.kind, &object.name), |entry| entry.modules.retain(|p| p != path));
            }
        }
        if let Some(object_key) = self.metadata_files.remove(path) {
            self.forget(object_key, |entry| entry.metadata.retain(|(p, _)| p != path));
        }
    }

    fn forget(&mut self, object_key: ObjectKey, change: impl FnOnce(&mut ObjectEntry)) {
        if let Some(entry) = self.objects.get_mut(&object_key) {
            change(entry);
            if entry.modules.is_empty() && entry.metadata.is_empty() {
                self.objects.remove(&object_key);
            }
        }
    }

    /// Re-reads a changed file of any kind the index knows, judged from its path: a module
    /// (`.bsl`, `.os`) or a metadata description (`.xml`, `.mdo`). Other files are ignored.
    pub fn update_file(&mut self, path: &Path, text: &str) -> Result<(), MetadataError> {
        match classify(path).map(|l| l.role) {
            Some(FileRole::ObjectMetadata | FileRole::ConfigurationMetadata) => self.add_metadata_text(path, text),
            Some(FileRole::LibConfig) => {
                let entries = super::metadata::parse_lib_config(text)?;
                let root = path.parent().unwrap_or(Path::new(""));
                self.add_lib_config(root, entries);
                Ok(())
            }
            Some(FileRole::PackageDef) => Ok(()),
            Some(FileRole::Module(_)) => {
                self.add_module_text(path, text);
                Ok(())
            }
            None if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("bsl")) => {
                self.add_module_text(path, text);
                Ok(())
            }
            None => Ok(()),
        }
    }

    // ----- look-ups -----

    pub fn module(&self, path: &Path) -> Option<&ModuleInfo> {
        self.modules.get(path)
    }

    pub fn modules(&self) -> impl Iterator<Item = &ModuleInfo> {
        self.modules.values()
    }

    pub fn module_count(&self) -> usize {
        self.modules.len()
    }

    /// Broken metadata files and why.
    pub fn metadata_errors(&self) -> impl Iterator<Item = (&Path, &MetadataError)> {
        self.metadata_errors.iter().map(|(p, e)| (p.as_path(), e))
    }

    /// An object's description: the base configuration's, else the first extension's.
    pub fn metadata(&self, kind: MetadataKind, name: &str) -> Option<&MetadataObject> {
        self.objects.get(&key(kind, name))?.metadata.first().map(|(_, m)| m.as_ref())
    }

    /// Every description of an object: the base configuration's first, then extensions'.
    pub fn metadata_all(&self, kind: MetadataKind, name: &str) -> impl Iterator<Item = &MetadataObject> {
        self.objects.get(&key(kind, name)).into_iter().flat_map(|e| e.metadata.iter().map(|(_, m)| m.as_ref()))
    }

    /// Every subsystem description with its file. Nested subsystems of the same name under
    /// different parents share one entry of the index; their files tell them apart (see
    /// [`super::subsystems::SubsystemTree`]).
    pub fn subsystem_descriptions(&self) -> impl Iterator<Item = (&Path, &MetadataObject)> {
        self.objects
            .iter()
            .filter(|((kind, _), _)| *kind == MetadataKind::Subsystem)
            .flat_map(|(_, entry)| entry.metadata.iter().map(|(path, object)| (path.as_path(), object.as_ref())))
    }

    /// A common module by name, in any case.
    pub fn common_module(&self, name: &str) -> Option<CommonModuleView<'_>> {
        let entry = self.objects.get(&key(MetadataKind::CommonModule, name))?;
        Some(CommonModuleView {
            name: &entry.name,
            flags: entry.metadata.iter().find_map(|(_, m)| m.common_module),
            modules: &entry.modules,
        })
    }

    /// An exported method of a common module, looked up in the base module and then in the
    /// extensions' modules.
    pub fn exported_method(&self, module_name: &str, method: &str) -> Option<(&ModuleInfo, &MethodInfo)> {
        let entry = self.objects.get(&key(MetadataKind::CommonModule, module_name))?;
        self.find_exported(&entry.modules, method)
    }

    fn find_exported<'a>(&'a self, paths: &[PathBuf], method: &str) -> Option<(&'a ModuleInfo, &'a MethodInfo)> {
        let lower = method.to_lowercase();
        paths.iter().filter_map(|p| self.modules.get(p)).find_map(|module| {
            module.methods.iter().find(|m| m.export && m.name.to_lowercase() == lower).map(|m| (module, m))
        })
    }

    /// The common modules marked Global.
    pub fn global_modules(&self) -> impl Iterator<Item = CommonModuleView<'_>> {
        self.objects.iter().filter(|((kind, _), _)| *kind == MetadataKind::CommonModule).filter_map(|(_, entry)| {
            let flags = entry.metadata.iter().find_map(|(_, m)| m.common_module)?;
            flags.global.then_some(CommonModuleView { name: &entry.name, flags: Some(flags), modules: &entry.modules })
        })
    }

    /// A method callable without a prefix: an exported method of a global common module.
    pub fn global_method(&self, name: &str) -> Option<(&ModuleInfo, &MethodInfo)> {
        self.global_modules().find_map(|module| self.find_exported(module.modules, name))
    }

    /// An object's module of the given kind (manager, object, record set, value manager).
    pub fn object_module(&self, kind: MetadataKind, object: &str, module: ModuleKind) -> Option<&ModuleInfo> {
        let entry = self.objects.get(&key(kind, object))?;
        entry.modules.iter().filter_map(|p| self.modules.get(p)).find(|m| m.kind == module)
    }

    /// The manager module of `Справочники.Валюты` or `Catalogs.Валюты`.
    pub fn manager_module(&self, manager: &str, object: &str) -> Option<&ModuleInfo> {
        self.object_module(MetadataKind::from_manager(manager)?, object, ModuleKind::Manager)
    }

    /// An object's module files: the base configuration's first.
    pub fn object_modules(&self, kind: MetadataKind, name: &str) -> &[PathBuf] {
        self.objects.get(&key(kind, name)).map_or(&[], |e| e.modules.as_slice())
    }

    /// An object's form module.
    pub fn form_module(&self, kind: MetadataKind, object: &str, form: &str) -> Option<&ModuleInfo> {
        let entry = self.objects.get(&key(kind, object))?;
        let lower = form.to_lowercase();
        entry.modules.iter().filter_map(|p| self.modules.get(p)).find(|m| {
            m.kind == ModuleKind::Form
                && m.location.as_ref().and_then(|l| l.form.as_deref()).is_some_and(|f| f.to_lowercase() == lower)
        })
    }

    /// Names of the objects of a kind, sorted.
    pub fn objects_of_kind(&self, kind: MetadataKind) -> Vec<&str> {
        let mut names: Vec<&str> =
            self.objects.iter().filter(|((k, _), _)| *k == kind).map(|(_, e)| e.name.as_str()).collect();
        names.sort_unstable();
        names
    }

    /// How many objects of each kind, by kind.
    pub fn object_counts(&self) -> Vec<(MetadataKind, usize)> {
        let mut counts: HashMap<MetadataKind, usize> = HashMap::new();
        for (kind, _) in self.objects.keys() {
            *counts.entry(*kind).or_default() += 1;
        }
        let mut counts: Vec<_> = counts.into_iter().collect();
        counts.sort();
        counts
    }

    /// An object's fields from every description (base, then extensions; a name seen
    /// before is skipped): attributes, dimensions, resources, columns, flags.
    pub fn attributes_of(&self, kind: MetadataKind, name: &str) -> Vec<&Attribute> {
        let mut seen: Vec<String> = Vec::new();
        let mut out = Vec::new();
        for object in self.metadata_all(kind, name) {
            for field in object.fields() {
                let lower = field.name.to_lowercase();
                if !seen.contains(&lower) {
                    seen.push(lower);
                    out.push(field);
                }
            }
        }
        out
    }

    /// A OneScript class or module by name, in any case.
    pub fn onescript(&self, name: &str) -> Option<&ModuleInfo> {
        self.onescript.get(&name.to_lowercase())?.iter().find_map(|p| self.modules.get(p))
    }

    /// A OneScript class by name.
    pub fn onescript_class(&self, name: &str) -> Option<&ModuleInfo> {
        self.onescript_named(name, ModuleKind::OneScriptClass)
    }

    /// A OneScript module by name.
    pub fn onescript_module(&self, name: &str) -> Option<&ModuleInfo> {
        self.onescript_named(name, ModuleKind::OneScriptModule)
    }

    fn onescript_named(&self, name: &str, kind: ModuleKind) -> Option<&ModuleInfo> {
        self.onescript.get(&name.to_lowercase())?.iter().filter_map(|p| self.modules.get(p)).find(|m| m.kind == kind)
    }

    // ----- cross-module resolution -----

    /// The module a qualifier names: a common module (its base file), a OneScript module or
    /// class, or an object's manager module.
    pub fn resolve_module(&self, qualifier: &Qualifier) -> Option<&ModuleInfo> {
        match qualifier {
            Qualifier::Bare => None,
            Qualifier::Name(name) => self
                .common_module(name)
                .and_then(|m| m.modules.iter().find_map(|p| self.modules.get(p)))
                .or_else(|| self.onescript(name)),
            Qualifier::Manager(kind, object) => self.object_module(*kind, object, ModuleKind::Manager),
        }
    }

    /// The exported method a call outside its own module lands on: a global common module's
    /// for a bare call, else the method of the module the qualifier names.
    pub fn resolve_method(&self, qualifier: &Qualifier, name: &str) -> Option<(&ModuleInfo, &MethodInfo)> {
        match qualifier {
            Qualifier::Bare => self.global_method(name),
            Qualifier::Name(module) => self.exported_method(module, name).or_else(|| {
                let info = self.onescript(module)?;
                info.exported_methods().find(|m| eq_ignore_case(&m.name, name)).map(|m| (info, m))
            }),
            Qualifier::Manager(kind, object) => {
                let entry = self.objects.get(&key(*kind, object))?;
                let managers: Vec<PathBuf> = entry
                    .modules
                    .iter()
                    .filter(|p| self.modules.get(*p).is_some_and(|m| m.kind == ModuleKind::Manager))
                    .cloned()
                    .collect();
                self.find_exported(&managers, name)
            }
        }
    }

    /// Every call of `method` of the module at `target` across the workspace: calls through
    /// the module's name (a common or OneScript module), through its manager
    /// (`Справочники.Имя.Метод`), bare calls of a global module's method where the calling
    /// module has no method of that name, and the module's own bare calls. Byte ranges of the
    /// method's name, by file, in path order.
    pub fn callers(&self, target: &Path, method: &str) -> Vec<(&Path, Vec<Range<usize>>)> {
        let Some(info) = self.modules.get(target) else { return Vec::new() };
        let object = info.location.as_ref().and_then(|l| l.object.as_ref());
        let mut qualifiers: Vec<u64> = Vec::new();
        let mut global = false;
        let exported = info.method(method).is_some_and(|m| m.export);
        if exported {
            match (info.kind, object) {
                (ModuleKind::Common, Some(object)) => {
                    qualifiers.push(Qualifier::Name(object.name.clone()).key());
                    global = self.common_module(&object.name).and_then(|m| m.flags).is_some_and(|f| f.global);
                }
                (ModuleKind::Manager, Some(object)) => {
                    qualifiers.push(Qualifier::Manager(object.kind, object.name.clone()).key())
                }
                (ModuleKind::OneScriptModule, _) => qualifiers.push(Qualifier::Name(info.name.clone()).key()),
                _ => {}
            }
        }
        let name = fold_hash(&[method]);
        let mut out: Vec<(&Path, Vec<Range<usize>>)> = Vec::new();
        for module in self.modules.values() {
            let own = module.path == info.path;
            let mut local: Option<bool> = None;
            let ranges: Vec<Range<usize>> = module
                .calls
                .iter()
                .filter(|c| c.name == name)
                .filter(|c| {
                    if c.qualifier == 0 {
                        own || (global && !*local.get_or_insert_with(|| module.has_method(method)))
                    } else {
                        qualifiers.contains(&c.qualifier)
                    }
                })
                .map(CallSite::range)
                .collect();
            if !ranges.is_empty() {
                out.push((module.path.as_path(), ranges));
            }
        }
        out.sort_by(|a, b| a.0.cmp(b.0));
        out
    }

    /// Methods whose name matches a fuzzy query (every character of the query in order, in
    /// any case), best first: a prefix match, then a match of word starts, then the shortest.
    pub fn search_methods(&self, query: &str, limit: usize) -> Vec<(&ModuleInfo, &MethodInfo)> {
        let query: Vec<char> = query.chars().flat_map(char::to_lowercase).collect();
        let mut found: Vec<(u32, &ModuleInfo, &MethodInfo)> = Vec::new();
        for module in self.modules.values() {
            for method in &module.methods {
                if let Some(score) = fuzzy_score(&query, &method.name) {
                    found.push((score, module, method));
                }
            }
        }
        found.sort_by(|a, b| {
            (a.0, a.2.name.len(), &a.1.path, a.2.line).cmp(&(b.0, b.2.name.len(), &b.1.path, b.2.line))
        });
        found.into_iter().take(limit).map(|(_, m, f)| (m, f)).collect()
    }

    /// The format of the project holding a path, judged from the registered projects or the
    /// path's layout.
    pub fn format_of(&self, path: &Path) -> Option<ProjectFormat> {
        self.project_of(path).map(|p| p.format).or_else(|| classify(path).map(|l| l.format))
    }
}

/// How well `name` matches a lowercase fuzzy query; lower is better, `None` when it does not.
pub fn fuzzy_score(query: &[char], name: &str) -> Option<u32> {
    if query.is_empty() {
        return Some(3);
    }
    let lower: Vec<char> = name.chars().flat_map(char::to_lowercase).collect();
    if lower.starts_with(query) {
        return Some(0);
    }
    let original: Vec<char> = name.chars().collect();
    let mut qi = 0;
    let mut gaps = 0;
    let mut on_word_starts = true;
    for (i, c) in lower.iter().enumerate() {
        if qi < query.len() && *c == query[qi] {
            let word_start = i == 0 || original.get(i).is_some_and(|c| c.is_uppercase()) || original[i - 1] == '_';
            on_word_starts &= word_start;
            qi += 1;
        } else if qi > 0 && qi < query.len() {
            gaps += 1;
        }
    }
    (qi == query.len()).then_some(if on_word_starts { 1 } else { 2 + (gaps > 0) as u32 })
}

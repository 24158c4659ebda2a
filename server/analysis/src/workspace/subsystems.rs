//! Subsystems as a tree: their nesting, synonyms and content (the metadata objects each one
//! holds), read off the index's subsystem descriptions when someone asks for them.
//!
//! A subsystem is named by its path from the top (`СтандартныеПодсистемы.БазоваяФункциональность`),
//! which comes from where its file sits: `Subsystems/А/Subsystems/Б.xml` in a Designer dump,
//! `src/Subsystems/А/Subsystems/Б/Б.mdo` in EDT. Descriptions of the same path in several
//! projects (a configuration and its extensions) are one subsystem with the union of their
//! content. A subsystem that a parent lists but no file describes (a dump without nested
//! files, a broken file) is still in the tree, with no content and no files; broken files are
//! listed by [`SubsystemTree::broken`]. Building never fails.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use super::index::WorkspaceIndex;
use super::layout::{MetadataKind, ObjectRef, subsystem_path};
use super::metadata::{MetadataError, MetadataObject};

/// One subsystem of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subsystem {
    /// Names from the top: `["СтандартныеПодсистемы", "БазоваяФункциональность"]`.
    pub path: Vec<String>,
    /// The Russian synonym, or the first one.
    pub synonym: Option<String>,
    /// The objects it holds directly, in the order of its descriptions.
    pub content: Vec<ObjectRef>,
    /// Content entries that name no object kind this model knows, as written.
    pub unknown_content: Vec<String>,
    pub parent: Option<usize>,
    /// Nested subsystems, by name.
    pub children: Vec<usize>,
    /// Its description files, the base configuration's first; empty when only a parent
    /// lists it.
    pub files: Vec<PathBuf>,
}

impl Subsystem {
    /// Its own name: the last one of the path.
    pub fn name(&self) -> &str {
        self.path.last().map_or("", String::as_str)
    }

    /// `СтандартныеПодсистемы.БазоваяФункциональность`.
    pub fn full_name(&self) -> String {
        self.path.join(".")
    }

    /// 1 for a top-level subsystem.
    pub fn depth(&self) -> usize {
        self.path.len()
    }

    /// Whether a file describes it (else only its parent lists it).
    pub fn is_described(&self) -> bool {
        !self.files.is_empty()
    }
}

/// How finely subsystems are told apart, for a dependency graph: each subsystem
/// [folds](SubsystemTree::fold) into the one drawn for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubsystemLevel {
    /// Subsystems down to this depth (1: the top level); deeper ones fold into their
    /// ancestor at that depth.
    Depth(usize),
    /// The subsystem `focus` and its descendants down to `depth` levels below it (deeper
    /// ones fold into their ancestor at that level); any other subsystem folds into its
    /// highest ancestor that does not contain the focus (the focus's ancestors stay
    /// themselves).
    Under { focus: usize, depth: usize },
}

/// Every subsystem of the workspace, in depth-first order of their paths (parents before
/// children, siblings by name), so ids are stable for the same descriptions.
#[derive(Debug, Default)]
pub struct SubsystemTree {
    subsystems: Vec<Subsystem>,
    /// Lowercase full names.
    by_name: HashMap<String, usize>,
    /// The subsystems holding each object directly, by kind and lowercase name.
    members: HashMap<(MetadataKind, String), Vec<usize>>,
    broken: Vec<(PathBuf, MetadataError)>,
}

/// A subsystem while the tree is put together.
#[derive(Default)]
struct Draft {
    path: Vec<String>,
    synonym: Option<String>,
    content: Vec<ObjectRef>,
    unknown_content: Vec<String>,
    files: Vec<PathBuf>,
}

fn lowercase(names: &[String]) -> Vec<String> {
    names.iter().map(|n| n.to_lowercase()).collect()
}

/// `Catalog.Валюты` (or `Справочник.Валюты`) as an object reference.
fn object_ref(item: &str) -> Option<ObjectRef> {
    let (kind, name) = item.trim().split_once('.')?;
    let kind = MetadataKind::from_name(kind).filter(|k| *k != MetadataKind::Configuration)?;
    (!name.is_empty() && !name.contains('.')).then(|| ObjectRef { kind, name: name.to_string() })
}

/// The draft at `names`, made (with its ancestors) when missing.
fn draft<'a>(drafts: &'a mut BTreeMap<Vec<String>, Draft>, names: &[String]) -> &'a mut Draft {
    for len in 1..names.len() {
        drafts
            .entry(lowercase(&names[..len]))
            .or_insert_with(|| Draft { path: names[..len].to_vec(), ..Draft::default() });
    }
    drafts.entry(lowercase(names)).or_insert_with(|| Draft { path: names.to_vec(), ..Draft::default() })
}

impl SubsystemTree {
    /// Reads the tree off the index's subsystem descriptions and broken subsystem files.
    pub fn build(index: &WorkspaceIndex) -> SubsystemTree {
        let descriptions = index.subsystem_descriptions().map(|(path, object)| {
            let extension = index.project_of(path).is_some_and(|p| p.is_extension);
            (path, object, extension)
        });
        let broken = index.metadata_errors().filter(|(path, _)| subsystem_path(path).is_some());
        SubsystemTree::from_descriptions(descriptions, broken)
    }

    /// The tree from descriptions with their files (and whether the file belongs to an
    /// extension, whose descriptions come after the base configuration's), and the
    /// subsystem files that did not parse. A description whose path is in no known layout
    /// is taken as a top-level subsystem.
    pub fn from_descriptions<'a>(
        descriptions: impl IntoIterator<Item = (&'a Path, &'a MetadataObject, bool)>,
        broken: impl IntoIterator<Item = (&'a Path, &'a MetadataError)>,
    ) -> SubsystemTree {
        let mut described: Vec<(Vec<String>, bool, &Path, &MetadataObject)> = descriptions
            .into_iter()
            .filter(|(_, object, _)| object.kind == MetadataKind::Subsystem)
            .map(|(path, object, extension)| {
                let mut names = subsystem_path(path).unwrap_or_else(|| vec![object.name.clone()]);
                // The description's own name (the same in a valid dump, but its case counts).
                if let Some(last) = names.last_mut() {
                    *last = object.name.clone();
                }
                (names, extension, path, object)
            })
            .collect();
        described.sort_by(|a, b| (lowercase(&a.0), a.1, a.2).cmp(&(lowercase(&b.0), b.1, b.2)));

        let mut drafts: BTreeMap<Vec<String>, Draft> = BTreeMap::new();
        for (names, _, path, object) in &described {
            let d = draft(&mut drafts, names);
            d.files.push(path.to_path_buf());
            if d.synonym.is_none() {
                d.synonym = object.synonym.clone();
            }
            for item in &object.content {
                match object_ref(item) {
                    Some(r) if !d.content.contains(&r) => d.content.push(r),
                    Some(_) => {}
                    None => d.unknown_content.push(item.clone()),
                }
            }
            for child in &object.subsystems {
                let mut child_path = names.clone();
                child_path.push(child.clone());
                draft(&mut drafts, &child_path);
            }
        }
        let mut broken: Vec<(PathBuf, MetadataError)> =
            broken.into_iter().map(|(p, e)| (p.to_path_buf(), e.clone())).collect();
        broken.sort_by(|a, b| a.0.cmp(&b.0));
        for (path, _) in &broken {
            if let Some(names) = subsystem_path(path) {
                draft(&mut drafts, &names);
            }
        }

        // Keys sort a parent before its children, so ids come in depth-first order.
        let mut tree = SubsystemTree { broken, ..SubsystemTree::default() };
        for (key, d) in drafts {
            let id = tree.subsystems.len();
            let parent = (key.len() > 1).then(|| tree.by_name[&key[..key.len() - 1].join(".")]);
            if let Some(parent) = parent {
                tree.subsystems[parent].children.push(id);
            }
            for object in &d.content {
                tree.members.entry((object.kind, object.name.to_lowercase())).or_default().push(id);
            }
            tree.by_name.insert(key.join("."), id);
            tree.subsystems.push(Subsystem {
                path: d.path,
                synonym: d.synonym,
                content: d.content,
                unknown_content: d.unknown_content,
                parent,
                children: Vec::new(),
                files: d.files,
            });
        }
        tree
    }

    /// Every subsystem; an id is an index into this slice.
    pub fn subsystems(&self) -> &[Subsystem] {
        &self.subsystems
    }

    pub fn get(&self, id: usize) -> &Subsystem {
        &self.subsystems[id]
    }

    pub fn len(&self) -> usize {
        self.subsystems.len()
    }

    pub fn is_empty(&self) -> bool {
        self.subsystems.is_empty()
    }

    /// The top-level subsystems.
    pub fn roots(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.subsystems.len()).filter(|&id| self.subsystems[id].parent.is_none())
    }

    /// The deepest nesting: 1 when there are only top-level subsystems, 0 when none.
    pub fn max_depth(&self) -> usize {
        self.subsystems.iter().map(Subsystem::depth).max().unwrap_or(0)
    }

    /// Subsystem files that did not parse, by path.
    pub fn broken(&self) -> &[(PathBuf, MetadataError)] {
        &self.broken
    }

    /// A subsystem by its full name (`А.Б`) in any case, else by its own name when only one
    /// subsystem has it.
    pub fn find(&self, name: &str) -> Option<usize> {
        let lower = name.trim().to_lowercase();
        if let Some(&id) = self.by_name.get(&lower) {
            return Some(id);
        }
        let mut found = self.subsystems.iter().enumerate().filter(|(_, s)| s.name().to_lowercase() == lower);
        let first = found.next()?.0;
        found.next().is_none().then_some(first)
    }

    /// The subsystems holding an object directly, in id order.
    pub fn containing(&self, kind: MetadataKind, name: &str) -> &[usize] {
        self.members.get(&(kind, name.to_lowercase())).map_or(&[], Vec::as_slice)
    }

    /// Whether `id` is `ancestor` or nested in it.
    pub fn contains(&self, ancestor: usize, id: usize) -> bool {
        let mut at = Some(id);
        while let Some(current) = at {
            if current == ancestor {
                return true;
            }
            at = self.subsystems[current].parent;
        }
        false
    }

    /// `id` itself when it is at most `depth` deep, else its ancestor at that depth.
    pub fn ancestor_at(&self, id: usize, depth: usize) -> usize {
        let mut id = id;
        while self.subsystems[id].depth() > depth.max(1) {
            match self.subsystems[id].parent {
                Some(parent) => id = parent,
                None => break,
            }
        }
        id
    }

    /// The subsystem drawn for `id` at a level (see [`SubsystemLevel`]).
    pub fn fold(&self, id: usize, level: SubsystemLevel) -> usize {
        match level {
            SubsystemLevel::Depth(depth) => self.ancestor_at(id, depth),
            SubsystemLevel::Under { focus, depth } => {
                if self.contains(focus, id) {
                    return self.ancestor_at(id, self.subsystems[focus].depth() + depth);
                }
                // From the top down, the first ancestor beside the focus's branch.
                let mut chain = vec![id];
                while let Some(parent) = self.subsystems[*chain.last().unwrap_or(&id)].parent {
                    chain.push(parent);
                }
                chain.into_iter().rev().find(|&a| !self.contains(a, focus)).unwrap_or(id)
            }
        }
    }

    /// The subsystems an object counts for at a level: those holding it, folded, each once,
    /// in id order. Empty for an object in no subsystem.
    pub fn folded_containing(&self, kind: MetadataKind, name: &str, level: SubsystemLevel) -> Vec<usize> {
        let mut out: Vec<usize> = self.containing(kind, name).iter().map(|&id| self.fold(id, level)).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The subsystems a level draws on its own account: every subsystem down to the depth,
    /// or the focus with its descendants down to the depth below it. (Others appear when
    /// something calls them or they call something.)
    pub fn drawn(&self, level: SubsystemLevel) -> Vec<usize> {
        (0..self.subsystems.len())
            .filter(|&id| match level {
                SubsystemLevel::Depth(depth) => self.subsystems[id].depth() <= depth.max(1),
                SubsystemLevel::Under { focus, depth } => {
                    self.contains(focus, id) && self.subsystems[id].depth() <= self.subsystems[focus].depth() + depth
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::parse_metadata;

    fn designer(name: &str, content: &[&str], children: &[&str]) -> MetadataObject {
        let content: String =
            content.iter().map(|c| format!("<xr:Item xsi:type=\"xr:MDObjectRef\">{c}</xr:Item>")).collect();
        let children: String = children.iter().map(|c| format!("<Subsystem>{c}</Subsystem>")).collect();
        parse_metadata(&format!(
            "<MetaDataObject><Subsystem><Properties><Name>{name}</Name><Content>{content}</Content></Properties>\
             <ChildObjects>{children}</ChildObjects></Subsystem></MetaDataObject>"
        ))
        .unwrap()
    }

    #[test]
    fn nesting_content_folding() {
        let files = [
            ("/p/Subsystems/А.xml", designer("А", &["CommonModule.Общий"], &["Б", "Пусто"])),
            ("/p/Subsystems/А/Subsystems/Б.xml", designer("Б", &["Catalog.Т", "Мусор", "CommonModule.Общий"], &["В"])),
            ("/p/Subsystems/А/Subsystems/Б/Subsystems/В.xml", designer("В", &["Справочник.Ц"], &[])),
            ("/p/Subsystems/Г.xml", designer("Г", &["Catalog.Т"], &[])),
        ];
        let tree = SubsystemTree::from_descriptions(files.iter().map(|(p, o)| (Path::new(*p), o, false)), []);
        let names: Vec<String> = tree.subsystems().iter().map(Subsystem::full_name).collect();
        assert_eq!(names, ["А", "А.Б", "А.Б.В", "А.Пусто", "Г"]);
        assert!(!tree.get(3).is_described());
        assert_eq!(tree.max_depth(), 3);
        assert_eq!(tree.get(1).unknown_content, ["Мусор"]);
        assert_eq!(tree.containing(MetadataKind::Catalog, "т"), [1, 4]);
        assert_eq!(tree.containing(MetadataKind::Catalog, "Ц"), [2]);
        assert_eq!(tree.find("а.б.в"), Some(2));
        assert_eq!(tree.find("Пусто"), Some(3));
        assert_eq!(tree.fold(2, SubsystemLevel::Depth(1)), 0);
        assert_eq!(tree.fold(2, SubsystemLevel::Depth(2)), 1);
        assert_eq!(tree.folded_containing(MetadataKind::CommonModule, "общий", SubsystemLevel::Depth(1)), [0]);
        let under_b = SubsystemLevel::Under { focus: 1, depth: 1 };
        assert_eq!(tree.fold(2, under_b), 2);
        assert_eq!(tree.fold(0, under_b), 0, "the focus's ancestor stays itself");
        assert_eq!(tree.fold(3, under_b), 3, "a sibling branch of the focus");
        assert_eq!(tree.fold(4, under_b), 4);
        assert_eq!(tree.drawn(under_b), [1, 2]);
        assert_eq!(tree.drawn(SubsystemLevel::Depth(2)), [0, 1, 3, 4]);
    }
}

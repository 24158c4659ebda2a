//! Git history mining with gix: for every commit, which BSL/OneScript files and which
//! methods it changed, by how many lines, and each touched file's method snapshot.
//!
//! Each non-merge commit is compared with its first parent (the root with the empty tree)
//! by walking both trees and skipping equal subtrees; changed `.bsl`/`.os` blobs are diffed
//! by lines with imara-diff (histogram). Added lines map onto the methods of the new
//! revision, deleted lines (and the insertion points of pure additions) onto the methods
//! of the parent revision — the latter are what SZZ blames when the commit is a fix. Each
//! blob is parsed once ([`crate::risk::metrics::module_snapshot`]) and its snapshot kept.
//!
//! A module a commit deleted and one it added with the same or similar contents are taken
//! for one module moved ([`FileChange::renamed_from`]), so its methods keep their history.
//! A method touch whose changes vanish once whitespace is ignored (a second diff of the lines
//! without their whitespace) is marked [`MethodTouch::cosmetic`].
//!
//! Merge commits are recorded (so they are not visited again) but carry no changes: their
//! content arrives through the commits of the merged branch.
//!
//! The result is cached as JSON; [`mine`] loads the cache, walks from `HEAD` and processes
//! only the commits it has not seen.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use gix::ObjectId;
use imara_diff::{Algorithm, Diff, InternedInput};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::metrics::{MethodSnapshot, module_snapshot};

/// Bumped whenever the cached layout or its meaning changes; older caches are rebuilt.
pub const HISTORY_VERSION: u32 = 2;

/// How one commit touched one method.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MethodTouch {
    pub name: String,
    pub added: u32,
    pub deleted: u32,
    /// Changed lines (or an insertion point) inside the method at the parent revision.
    pub before: bool,
    /// Whether the change is gone once whitespace is ignored (re-indentation, blank lines).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cosmetic: bool,
}

/// One changed file of a commit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileChange {
    pub path: String,
    /// The path the file had before, when the commit moved it ([`find_renames`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// The file's blob after the commit (hex); `None` when the commit deleted it.
    pub blob: Option<String>,
    pub added: u32,
    pub deleted: u32,
    pub methods: Vec<MethodTouch>,
}

/// One commit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommitRecord {
    pub id: String,
    /// Committer time, seconds since the epoch.
    pub time: i64,
    pub author: String,
    /// The message, cut to 1,000 bytes.
    pub message: String,
    pub merge: bool,
    pub files: Vec<FileChange>,
}

/// Everything mined from one repository.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct History {
    pub version: u32,
    /// Commits ordered by time (oldest first).
    pub commits: Vec<CommitRecord>,
    /// Method snapshots by blob id (hex).
    pub snapshots: HashMap<String, Vec<MethodSnapshot>>,
    /// The `HEAD` commit of the last run.
    pub head: Option<String>,
}

/// What one [`mine`] run did.
#[derive(Debug, Clone, Default)]
pub struct MineStats {
    pub new_commits: usize,
    pub total_commits: usize,
    pub parsed_blobs: usize,
    pub seconds: f64,
}

/// Whether a path is a BSL or OneScript module.
pub fn is_module_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".bsl") || lower.ends_with(".os")
}

impl History {
    /// Reads a cached history; a missing, unreadable or outdated cache gives an empty one.
    pub fn load(file: &Path) -> History {
        let Ok(bytes) = std::fs::read(file) else { return History::default() };
        match serde_json::from_slice::<History>(&bytes) {
            Ok(h) if h.version == HISTORY_VERSION => h,
            _ => History::default(),
        }
    }

    /// Writes the history through a temporary file.
    pub fn save(&self, file: &Path) -> Result<()> {
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = file.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_vec(self)?)?;
        std::fs::rename(&tmp, file)?;
        Ok(())
    }
}

/// Loads the cache at `cache_file`, processes the commits reachable from `HEAD` that it
/// does not hold yet, saves it back when anything changed.
pub fn mine(repo_root: &Path, cache_file: &Path) -> Result<(History, MineStats)> {
    let started = Instant::now();
    let mut history = History::load(cache_file);
    history.version = HISTORY_VERSION;
    let repo = gix::open(repo_root).with_context(|| format!("opening git repository {}", repo_root.display()))?;
    let head = repo.head_id().context("reading HEAD")?.detach();
    let head_hex = head.to_string();
    let mut stats = MineStats::default();
    if history.head.as_deref() == Some(head_hex.as_str()) {
        stats.total_commits = history.commits.len();
        stats.seconds = started.elapsed().as_secs_f64();
        return Ok((history, stats));
    }
    let known: HashSet<String> = history.commits.iter().map(|c| c.id.clone()).collect();
    // Walk every ancestor; stop descending at commits already mined.
    let known_ids: Vec<ObjectId> = known.iter().filter_map(|h| ObjectId::from_hex(h.as_bytes()).ok()).collect();
    let walk = repo.rev_walk([head]).with_hidden(known_ids).all().context("walking history")?;
    let mut pending: Vec<Pending> = Vec::new();
    for info in walk {
        let info = info.context("walking history")?;
        let id = info.id;
        if known.contains(&id.to_string()) {
            continue;
        }
        let commit = repo.find_commit(id)?;
        let parents: Vec<ObjectId> = commit.parent_ids().map(|p| p.detach()).collect();
        let time = commit.time().map(|t| t.seconds).unwrap_or(0);
        let author = commit.author().map(|a| a.name.to_string()).unwrap_or_default();
        let mut message = commit.message_raw_sloppy().to_string();
        if message.len() > 1000 {
            let mut cut = 1000;
            while !message.is_char_boundary(cut) {
                cut -= 1;
            }
            message.truncate(cut);
        }
        let merge = parents.len() > 1;
        let mut changes = Vec::new();
        if !merge {
            let new_tree = commit.tree_id()?.detach();
            let old_tree = match parents.first() {
                Some(p) => Some(repo.find_commit(*p)?.tree_id()?.detach()),
                None => None,
            };
            diff_trees(&repo, old_tree, Some(new_tree), "", &mut changes)?;
        }
        pending.push(Pending { id: id.to_string(), time, author, message, merge, changes });
    }
    stats.new_commits = pending.len();

    // Read every blob involved once, then parse the ones without a snapshot in parallel.
    let mut texts: HashMap<ObjectId, String> = HashMap::new();
    for p in &pending {
        for change in &p.changes {
            for id in [change.old, change.new].into_iter().flatten() {
                if let std::collections::hash_map::Entry::Vacant(slot) = texts.entry(id) {
                    let data = repo.find_object(id)?.detach().data;
                    slot.insert(bsl_syntax::source::decode(&data).unwrap_or_default());
                }
            }
        }
    }
    for p in &mut pending {
        find_renames(&mut p.changes, &texts);
    }
    let missing: Vec<(&ObjectId, &String)> =
        texts.iter().filter(|(id, _)| !history.snapshots.contains_key(&id.to_string())).collect();
    stats.parsed_blobs = missing.len();
    let parsed: Vec<(String, Vec<MethodSnapshot>)> =
        missing.par_iter().map(|(id, text)| (id.to_string(), module_snapshot(text))).collect();
    history.snapshots.extend(parsed);

    let empty: Vec<MethodSnapshot> = Vec::new();
    let records: Vec<CommitRecord> = pending
        .into_par_iter()
        .map(|p| {
            let files = p
                .changes
                .iter()
                .map(|change| {
                    let old_text = change.old.and_then(|id| texts.get(&id)).map_or("", String::as_str);
                    let new_text = change.new.and_then(|id| texts.get(&id)).map_or("", String::as_str);
                    let old_methods =
                        change.old.and_then(|id| history.snapshots.get(&id.to_string())).unwrap_or(&empty);
                    let new_methods =
                        change.new.and_then(|id| history.snapshots.get(&id.to_string())).unwrap_or(&empty);
                    let mut file = map_change(&change.path, change.new, old_text, new_text, old_methods, new_methods);
                    file.renamed_from = change.from.clone();
                    file
                })
                .collect();
            CommitRecord { id: p.id, time: p.time, author: p.author, message: p.message, merge: p.merge, files }
        })
        .collect();
    // The walk goes from HEAD back (children before parents); stored oldest first. Commits
    // made within the same second keep that order: sorting them by id would replay a file's
    // versions in a random order.
    history.commits.extend(records.into_iter().rev());
    history.commits.sort_by_key(|c| c.time);
    history.head = Some(head_hex);
    history.save(cache_file)?;
    stats.total_commits = history.commits.len();
    stats.seconds = started.elapsed().as_secs_f64();
    Ok((history, stats))
}

struct Pending {
    id: String,
    time: i64,
    author: String,
    message: String,
    merge: bool,
    changes: Vec<Change>,
}

struct Change {
    path: String,
    /// The old path of a move.
    from: Option<String>,
    old: Option<ObjectId>,
    new: Option<ObjectId>,
}

/// The least share of common lines for a deleted and an added module of one commit to be
/// taken for one module moved (and perhaps edited).
const RENAME_SIMILARITY: f64 = 0.5;
/// Commits deleting and adding more modules than this are not searched for moves by
/// similarity (the comparison is quadratic); identical contents still are.
const RENAME_SEARCH_LIMIT: usize = 100;

/// The share of lines two texts have in common (as multisets), over the longer one.
fn similarity(a: &str, b: &str) -> f64 {
    let mut counts: HashMap<&str, i64> = HashMap::new();
    let (mut na, mut nb) = (0usize, 0usize);
    for line in a.lines().map(str::trim).filter(|l| !l.is_empty()) {
        *counts.entry(line).or_default() += 1;
        na += 1;
    }
    let mut common = 0usize;
    for line in b.lines().map(str::trim).filter(|l| !l.is_empty()) {
        nb += 1;
        if let Some(c) = counts.get_mut(line)
            && *c > 0
        {
            *c -= 1;
            common += 1;
        }
    }
    if na.max(nb) == 0 { 0.0 } else { common as f64 / na.max(nb) as f64 }
}

/// Pairs the modules a commit deleted with those it added when their contents are the same
/// or similar enough ([`RENAME_SIMILARITY`]): each pair becomes one change from the old
/// path's blob to the new one, so the module keeps its history and its methods' lines are
/// diffed rather than all deleted and added again.
fn find_renames(changes: &mut Vec<Change>, texts: &HashMap<ObjectId, String>) {
    let deleted: Vec<usize> = (0..changes.len()).filter(|&i| changes[i].new.is_none()).collect();
    let added: Vec<usize> = (0..changes.len()).filter(|&i| changes[i].old.is_none()).collect();
    if deleted.is_empty() || added.is_empty() {
        return;
    }
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut used_deleted: HashSet<usize> = HashSet::new();
    let mut used_added: HashSet<usize> = HashSet::new();
    // Identical contents first, in path order.
    for &a in &added {
        if let Some(&d) = deleted.iter().find(|&&d| !used_deleted.contains(&d) && changes[d].old == changes[a].new) {
            pairs.push((d, a));
            used_deleted.insert(d);
            used_added.insert(a);
        }
    }
    if deleted.len() + added.len() <= RENAME_SEARCH_LIMIT {
        let text = |id: Option<ObjectId>| id.and_then(|id| texts.get(&id)).map_or("", String::as_str);
        let mut scored: Vec<(f64, usize, usize)> = Vec::new();
        for &d in deleted.iter().filter(|d| !used_deleted.contains(d)) {
            for &a in added.iter().filter(|a| !used_added.contains(a)) {
                let s = similarity(text(changes[d].old), text(changes[a].new));
                if s >= RENAME_SIMILARITY {
                    scored.push((s, d, a));
                }
            }
        }
        // The most similar pairs first; ties in path order.
        scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
        for (_, d, a) in scored {
            if !used_deleted.contains(&d) && !used_added.contains(&a) {
                pairs.push((d, a));
                used_deleted.insert(d);
                used_added.insert(a);
            }
        }
    }
    for &(d, a) in &pairs {
        changes[a].old = changes[d].old;
        changes[a].from = Some(changes[d].path.clone());
    }
    let kept: Vec<Change> = std::mem::take(changes)
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !used_deleted.contains(i))
        .map(|(_, c)| c)
        .collect();
    *changes = kept;
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    Tree,
    Blob,
    Other,
}

fn tree_entries(repo: &gix::Repository, id: Option<ObjectId>) -> Result<BTreeMap<Vec<u8>, (EntryKind, ObjectId)>> {
    let mut out = BTreeMap::new();
    let Some(id) = id else { return Ok(out) };
    let tree = repo.find_tree(id)?;
    let decoded = tree.decode()?;
    for entry in &decoded.entries {
        let kind = if entry.mode.is_tree() {
            EntryKind::Tree
        } else if entry.mode.is_blob() {
            EntryKind::Blob
        } else {
            EntryKind::Other
        };
        out.insert(entry.filename.to_vec(), (kind, entry.oid.to_owned()));
    }
    Ok(out)
}

/// Collects changed module blobs between two trees, skipping equal subtrees.
fn diff_trees(
    repo: &gix::Repository,
    old: Option<ObjectId>,
    new: Option<ObjectId>,
    prefix: &str,
    out: &mut Vec<Change>,
) -> Result<()> {
    if old == new {
        return Ok(());
    }
    let old_entries = tree_entries(repo, old)?;
    let new_entries = tree_entries(repo, new)?;
    let names: std::collections::BTreeSet<&Vec<u8>> = old_entries.keys().chain(new_entries.keys()).collect();
    for name in names {
        let o = old_entries.get(name).copied();
        let n = new_entries.get(name).copied();
        if o.map(|e| e.1) == n.map(|e| e.1) {
            continue;
        }
        let path = format!("{prefix}{}", String::from_utf8_lossy(name));
        let tree_of = |e: Option<(EntryKind, ObjectId)>| e.filter(|e| e.0 == EntryKind::Tree).map(|e| e.1);
        let blob_of = |e: Option<(EntryKind, ObjectId)>| e.filter(|e| e.0 == EntryKind::Blob).map(|e| e.1);
        let (ot, nt) = (tree_of(o), tree_of(n));
        if ot.is_some() || nt.is_some() {
            diff_trees(repo, ot, nt, &format!("{path}/"), out)?;
        }
        let (ob, nb) = (blob_of(o), blob_of(n));
        if (ob.is_some() || nb.is_some()) && ob != nb && is_module_path(&path) {
            out.push(Change { path, from: None, old: ob, new: nb });
        }
    }
    Ok(())
}

fn method_at(methods: &[MethodSnapshot], line: u32) -> Option<usize> {
    methods.iter().position(|m| m.first_line <= line && line <= m.last_line)
}

fn touch(touches: &mut Vec<MethodTouch>, name: &str) -> usize {
    let key = name.to_lowercase();
    match touches.iter().position(|t| t.name.to_lowercase() == key) {
        Some(i) => i,
        None => {
            touches.push(MethodTouch { name: name.to_string(), ..MethodTouch::default() });
            touches.len() - 1
        }
    }
}

/// A text with the whitespace of every line removed, line for line.
fn without_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        out.extend(line.chars().filter(|c| !c.is_whitespace()));
        out.push('\n');
    }
    out
}

/// The methods (lower-cased names) a change touches once whitespace is ignored: a diff of
/// the lines without their whitespace (same line numbers), leaving out hunks of blank lines.
fn substantive_methods(
    old_text: &str,
    new_text: &str,
    old_methods: &[MethodSnapshot],
    new_methods: &[MethodSnapshot],
) -> HashSet<String> {
    let (old, new) = (without_whitespace(old_text), without_whitespace(new_text));
    let input = InternedInput::new(old.as_str(), new.as_str());
    let diff = Diff::compute(Algorithm::Histogram, &input);
    let blank = |lines: &[u32], interned: &[imara_diff::Token]| -> bool {
        lines.iter().all(|&l| input.interner[interned[l as usize]].trim().is_empty())
    };
    let mut out = HashSet::new();
    for hunk in diff.hunks() {
        let before: Vec<u32> = hunk.before.clone().collect();
        let after: Vec<u32> = hunk.after.clone().collect();
        if blank(&before, &input.before) && blank(&after, &input.after) {
            continue;
        }
        for &line in &before {
            if let Some(m) = method_at(old_methods, line) {
                out.insert(old_methods[m].name.to_lowercase());
            }
        }
        if before.is_empty()
            && let Some(m) =
                method_at(old_methods, hunk.before.start).filter(|&m| old_methods[m].first_line < hunk.before.start)
        {
            out.insert(old_methods[m].name.to_lowercase());
        }
        for &line in &after {
            if let Some(m) = method_at(new_methods, line) {
                out.insert(new_methods[m].name.to_lowercase());
            }
        }
    }
    out
}

/// Diffs one file's two versions by lines and maps the hunks onto methods.
fn map_change(
    path: &str,
    new_blob: Option<ObjectId>,
    old_text: &str,
    new_text: &str,
    old_methods: &[MethodSnapshot],
    new_methods: &[MethodSnapshot],
) -> FileChange {
    let input = InternedInput::new(old_text, new_text);
    let diff = Diff::compute(Algorithm::Histogram, &input);
    let mut touches: Vec<MethodTouch> = Vec::new();
    let (mut added, mut deleted) = (0u32, 0u32);
    for hunk in diff.hunks() {
        added += hunk.after.end - hunk.after.start;
        deleted += hunk.before.end - hunk.before.start;
        for line in hunk.before.clone() {
            if let Some(m) = method_at(old_methods, line) {
                let i = touch(&mut touches, &old_methods[m].name);
                touches[i].deleted += 1;
                touches[i].before = true;
            }
        }
        if hunk.before.is_empty() && !old_methods.is_empty() {
            // A pure insertion: blame the method it was inserted into at the parent.
            let at = hunk.before.start;
            let inside = method_at(old_methods, at).filter(|&m| old_methods[m].first_line < at);
            if let Some(m) = inside {
                let i = touch(&mut touches, &old_methods[m].name);
                touches[i].before = true;
            }
        }
        for line in hunk.after.clone() {
            if let Some(m) = method_at(new_methods, line) {
                let i = touch(&mut touches, &new_methods[m].name);
                touches[i].added += 1;
            }
        }
    }
    if !touches.is_empty() {
        let substantive = substantive_methods(old_text, new_text, old_methods, new_methods);
        for t in &mut touches {
            t.cosmetic = !substantive.contains(&t.name.to_lowercase());
        }
    }
    FileChange {
        path: path.to_string(),
        renamed_from: None,
        blob: new_blob.map(|b| b.to_string()),
        added,
        deleted,
        methods: touches,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_hunks_onto_methods() {
        let old = "Процедура А()\n    Х = 1;\nКонецПроцедуры\n\nПроцедура Б()\n    У = 2;\nКонецПроцедуры\n";
        let new =
            "Процедура А()\n    Х = 1;\nКонецПроцедуры\n\nПроцедура Б()\n    У = 3;\n    З = 4;\nКонецПроцедуры\n";
        let change = map_change("m.os", None, old, new, &module_snapshot(old), &module_snapshot(new));
        assert_eq!((change.added, change.deleted), (2, 1));
        assert_eq!(change.methods.len(), 1);
        let b = &change.methods[0];
        assert_eq!((b.name.as_str(), b.added, b.deleted, b.before), ("Б", 2, 1, true));
        assert!(!b.cosmetic);
        // Re-indenting one method and adding a blank line inside another: both cosmetic.
        let indented = old.replace("    Х = 1;", "\tХ = 1;").replace("    У = 2;", "    У = 2;\n");
        let change = map_change("m.os", None, old, &indented, &module_snapshot(old), &module_snapshot(&indented));
        assert_eq!(change.methods.len(), 2, "{:?}", change.methods);
        assert!(change.methods.iter().all(|t| t.cosmetic), "{:?}", change.methods);
    }

    #[test]
    fn a_moved_module_is_one_change() {
        let a = ObjectId::from_hex(b"1111111111111111111111111111111111111111").unwrap();
        let b = ObjectId::from_hex(b"2222222222222222222222222222222222222222").unwrap();
        let c = ObjectId::from_hex(b"3333333333333333333333333333333333333333").unwrap();
        let mut texts = HashMap::new();
        texts.insert(a, "Процедура А()\n    Х = 1;\n    У = 2;\nКонецПроцедуры\n".to_string());
        texts.insert(b, "Процедура А()\n    Х = 1;\n    У = 3;\nКонецПроцедуры\n".to_string());
        texts.insert(c, "Функция Другая()\n    Возврат 0;\nКонецФункции\n".to_string());
        let change = |path: &str, old, new| Change { path: path.into(), from: None, old, new };
        let mut changes = vec![
            change("old/m.os", Some(a), None),
            change("new/m.os", None, Some(b)),
            change("other.os", None, Some(c)),
        ];
        find_renames(&mut changes, &texts);
        assert_eq!(changes.len(), 2);
        assert_eq!(
            (changes[0].path.as_str(), changes[0].from.as_deref(), changes[0].old),
            ("new/m.os", Some("old/m.os"), Some(a))
        );
        assert_eq!((changes[1].path.as_str(), changes[1].from.as_deref()), ("other.os", None));
    }
}

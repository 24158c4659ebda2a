//! The rules engine: rule metadata, the context a rule sees, and one walk per module that
//! hands each node to the rules subscribed to its kind.
//!
//! A rule is one file in `catalog/`: a unit struct whose doc comment is its documentation,
//! and an `impl Rule`. `build.rs` registers every file there, so nothing else is edited to
//! add a rule.

pub mod config;
pub mod config_file;
pub mod docs;
pub mod flat;
pub mod suppression;

use bsl_syntax::NodeExt;
use std::any::Any;
use std::collections::HashMap;
use std::ops::Range;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, OnceLock};

use bsl_syntax::{Module, Parse, language};
use tree_sitter::Node;

pub use crate::diagnostic::{Diagnostic, Edit, Fix, RuleType, Severity};
use crate::hashing::{FastMap, text_hash};
use crate::module_kind::ModuleKind;
pub use config::{Config, Language, ParamValue, RuleConfig};
use flat::{Flat, FlatNode};

include!(concat!(env!("OUT_DIR"), "/catalog.rs"));

/// A parameter a rule accepts, with its default.
#[derive(Debug, Clone, Copy)]
pub struct ParamMeta {
    pub name: &'static str,
    pub default: ParamDefault,
    pub description_ru: &'static str,
    pub description_en: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamDefault {
    Int(i64),
    Bool(bool),
    Str(&'static str),
}

/// Everything about a rule that does not depend on the code it checks.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable key; the BSL Language Server key where a rule does the same thing.
    pub code: &'static str,
    pub name_ru: &'static str,
    pub name_en: &'static str,
    pub rule_type: RuleType,
    pub severity: Severity,
    pub tags: &'static [&'static str],
    pub minutes_to_fix: u32,
    pub enabled_by_default: bool,
    pub params: &'static [ParamMeta],
    /// Module kinds the rule runs on; empty means every kind.
    pub module_kinds: &'static [ModuleKind],
}

/// A check. Rules see nodes of the kinds they subscribe to, in document order, then the
/// module as a whole.
pub trait Rule: Send + Sync + 'static {
    fn meta(&self) -> &'static RuleMeta;

    /// Named node kinds (`"if_statement"`, `"comment"`, ...) handed to [`Rule::check_node`].
    fn node_kinds(&self) -> &'static [&'static str] {
        &[]
    }

    fn check_node(&self, _node: Node<'_>, _ctx: &mut RuleContext<'_, '_>) {}

    /// Called once after the walk, for checks over the whole module or its text.
    fn check_module(&self, _ctx: &mut RuleContext<'_, '_>) {}

    /// What the rule's findings depend on; see [`Scope`]. Module unless a rule says
    /// otherwise, which is always correct but slower while the user types.
    fn scope(&self) -> Scope {
        Scope::Module
    }
}

/// What a rule's findings depend on, which decides what the engine may reuse after an edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Anything in the module: the rule runs over the whole module after every change.
    Module,
    /// What [`Rule::check_node`] finds on nodes inside a method depends only on that
    /// method's own text and on the module's outline (everything outside method bodies:
    /// declarations, variables, every method's signature, comments between methods), the
    /// module kind and the configuration. After an edit inside one method body, the findings
    /// of the other methods are reused. [`Rule::check_module`] still runs every time.
    Method,
    /// Like [`Scope::Method`], but the messages also name lines of the module (`repeats the
    /// branch on line 12`): a method's findings are reused only while it starts on the same
    /// line.
    MethodAtLine,
}

/// A rule with its documentation, as the catalog lists it.
pub struct RegisteredRule {
    pub rule: &'static dyn Rule,
    /// The rule's doc comment (Markdown).
    pub doc: &'static str,
}

/// Every rule of the catalog.
pub fn catalog() -> &'static [RegisteredRule] {
    CATALOG
}

/// The rule with a given code, ignoring case.
pub fn find_rule(code: &str) -> Option<&'static RegisteredRule> {
    CATALOG.iter().find(|r| r.rule.meta().code.eq_ignore_ascii_case(code))
}

/// What a rule can look at while it checks one module.
pub struct ModuleFacts<'a> {
    pub parse: &'a Parse,
    pub kind: ModuleKind,
    module: OnceLock<std::sync::Arc<Module>>,
    /// Per-method data rules derived earlier, when the caller keeps a [`CheckCache`].
    memo: Option<&'a Memo>,
    /// Which parts are not comments (see [`ModuleFacts::code_parts`]).
    code_parts: OnceLock<Vec<usize>>,
    /// Each part's nodes as a flat list, built on first use (see [`flat`]).
    flats: OnceLock<Vec<OnceLock<Flat<'a>>>>,
    /// The text cut into whole lines along methods (see [`ModuleFacts::line_pieces`]).
    line_pieces: OnceLock<Vec<LinePiece>>,
}

/// A run of whole lines of the module: the lines a method spans, or the lines between two
/// methods. Line-based rules keep what they find in each piece across edits.
#[derive(Debug, Clone)]
pub struct LinePiece {
    /// From the start of the first line to the end of the last one, its line break included.
    pub range: Range<usize>,
    /// A fingerprint of the piece's text.
    key: u64,
}

impl<'a> ModuleFacts<'a> {
    pub fn new(parse: &'a Parse, kind: ModuleKind) -> Self {
        ModuleFacts {
            parse,
            kind,
            module: OnceLock::new(),
            memo: None,
            code_parts: OnceLock::new(),
            flats: OnceLock::new(),
            line_pieces: OnceLock::new(),
        }
    }

    /// The module's text cut into runs of whole lines: each method's lines (from the line it
    /// starts on to the line it ends on; methods sharing a line share a piece) and the lines
    /// between methods. The pieces cover the text in order, without overlap.
    pub fn line_pieces(&self) -> &[LinePiece] {
        self.line_pieces.get_or_init(|| {
            let text = self.parse.text();
            let bytes = text.as_bytes();
            // Lines end at `\n` (a `\r` before it stays on its line).
            let line_start = |at: usize| memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
            let line_end = |at: usize| memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i + 1);
            // (range, the method part's index when the piece is exactly one method's lines)
            let mut methods: Vec<(Range<usize>, Option<usize>)> = Vec::new();
            for (index, part) in self.parts().iter().enumerate() {
                if part.kind_str() != "method_declaration" {
                    continue;
                }
                let range = line_start(part.start_byte())..line_end(part.end_byte().max(part.start_byte()));
                match methods.last_mut() {
                    Some((last, only)) if range.start < last.end => {
                        last.end = last.end.max(range.end);
                        *only = None;
                    }
                    _ => methods.push((range, Some(index))),
                }
            }
            let mut pieces = Vec::new();
            let mut at = 0;
            let gap = |range: Range<usize>| LinePiece { key: text_hash(&text[range.clone()]), range };
            for (range, only) in methods {
                if at < range.start {
                    pieces.push(gap(at..range.start));
                }
                at = range.end;
                let key = match only {
                    // The method's own fingerprint, and the bits of its first and last lines
                    // outside it (indentation, a trailing comment).
                    Some(index) => {
                        let part = self.parts()[index];
                        let before = text_hash(&text[range.start..part.start_byte()]);
                        let after = text_hash(&text[part.end_byte()..range.end]);
                        self.part_hash(index) ^ before.rotate_left(21) ^ after.rotate_left(42)
                    }
                    None => text_hash(&text[range.clone()]),
                };
                pieces.push(LinePiece { range, key });
            }
            if at < text.len() {
                pieces.push(gap(at..text.len()));
            }
            pieces
        })
    }

    /// The top-level parts of the module: the root's children.
    pub fn parts(&self) -> &'a [Node<'a>] {
        self.parse.parts()
    }

    /// The indices in [`ModuleFacts::parts`] of the parts that hold code: every part but
    /// the comments between methods, which in a large module outnumber the methods several
    /// times and hold no name, literal or keyword.
    pub fn code_parts(&self) -> &[usize] {
        self.code_parts.get_or_init(|| {
            let comment = language().id_for_node_kind("comment", true);
            self.parts().iter().enumerate().filter(|(_, p)| p.kind_id() != comment).map(|(i, _)| i).collect()
        })
    }

    /// The flat node list of the part at `index` of [`ModuleFacts::parts`].
    pub fn part_flat(&self, index: usize) -> &Flat<'a> {
        let flats = self.flats.get_or_init(|| (0..self.parts().len()).map(|_| OnceLock::new()).collect());
        flats[index].get_or_init(|| Flat::build(self.parts()[index]))
    }

    /// The flat list of the part holding `node` and the node's index in it; `None` for the
    /// root (or a node of another tree).
    pub fn flat_of(&self, node: Node<'_>) -> Option<(&Flat<'a>, usize)> {
        let parts = self.parts();
        let (start, end) = (node.start_byte(), node.end_byte());
        // Parts do not overlap; the last one starting at or before the node holds it (or,
        // for empty parts, one of its neighbours at the same offset).
        let after = parts.partition_point(|p| p.start_byte() <= start);
        for index in (0..after).rev() {
            let part = parts[index];
            if part.end_byte() < end {
                break;
            }
            let flat = self.part_flat(index);
            if let Some(at) = flat.index_of(node) {
                return Some((flat, at));
            }
            if part.start_byte() < start {
                break;
            }
        }
        None
    }

    /// The subtree of `node` in document order, from the shared flat lists.
    pub fn subtree(&self, node: Node<'_>) -> Option<&[FlatNode<'a>]> {
        self.flat_of(node).map(|(flat, at)| flat.subtree(at))
    }

    /// The text fingerprint of the part at `index` of [`ModuleFacts::parts`]: the parse's
    /// (see [`Parse::part_hashes`]), which hashes again after an edit only the parts it
    /// touched.
    pub fn part_hash(&self, index: usize) -> u64 {
        self.parse.part_hashes()[index]
    }

    /// A hash of a node's text: a top-level part's is looked up (by range, not by asking
    /// for the parent, which tree-sitter answers by searching down from the root).
    fn hash_of(&self, node: Node<'_>) -> u64 {
        let parts = self.parts();
        let (start, end) = (node.start_byte(), node.end_byte());
        let after = parts.partition_point(|p| p.start_byte() <= start);
        for index in (0..after).rev() {
            let part = parts[index];
            if part.start_byte() != start {
                break;
            }
            if part.end_byte() == end {
                return self.part_hash(index);
            }
        }
        text_hash(&self.parse.text()[node.byte_range()])
    }

    /// Typed views (methods, variables, regions, ...), built on first use and cached in the
    /// parse.
    pub fn module(&self) -> &Module {
        self.module.get_or_init(|| self.parse.module())
    }
}

/// The context handed to a rule: the module's facts, the rule's parameters, and where its
/// diagnostics go.
pub struct RuleContext<'a, 'f: 'a> {
    pub facts: &'a ModuleFacts<'f>,
    meta: &'static RuleMeta,
    config: Option<&'a RuleConfig>,
    language: Language,
    severity: Severity,
    out: &'a mut Vec<Diagnostic>,
    /// Where the node handed to [`Rule::check_node`] stands in its part's flat list.
    here: Option<(&'a Flat<'f>, usize)>,
}

impl<'a, 'f: 'a> RuleContext<'a, 'f> {
    pub fn parse(&self) -> &'a Parse {
        self.facts.parse
    }

    pub fn text(&self) -> &'a str {
        self.facts.parse.text()
    }

    pub fn node_text(&self, node: Node<'_>) -> &'a str {
        &self.facts.parse.text()[node.byte_range()]
    }

    pub fn module(&self) -> &'a Module {
        self.facts.module()
    }

    /// The nodes of one scope in document order: a method's subtree, or for the root the
    /// module's own statements (every top-level part but the methods, each checked on its
    /// own, and the comments between them).
    pub fn scope_nodes<'n>(&self, node: Node<'n>) -> Vec<Node<'n>>
    where
        'f: 'n,
    {
        if node.id() != self.facts.parse.root().id() {
            // The same order as a cursor walk, read from the part's flat list.
            return match self.facts.subtree(node) {
                Some(nodes) => nodes.iter().map(|entry| entry.node).collect(),
                None => bsl_syntax::walk::preorder(node).collect(),
            };
        }
        let statement = |p: &Node<'_>| !matches!(p.kind_str(), "method_declaration" | "comment");
        self.children(node).iter().filter(|p| statement(p)).flat_map(|&p| bsl_syntax::walk::preorder(p)).collect()
    }

    /// The children of `node`, in order. The root's are lent from the parse's list
    /// ([`ModuleFacts::parts`]), not copied: walking a large module's root with a cursor
    /// climbs through the hidden nodes tree-sitter keeps its repetitions in, and costs as
    /// much as a small check.
    pub fn children<'n>(&self, node: Node<'n>) -> std::borrow::Cow<'n, [Node<'n>]>
    where
        'f: 'n,
    {
        if node.id() == self.facts.parse.root().id() {
            return std::borrow::Cow::Borrowed(self.facts.parts());
        }
        if let Some((flat, at)) = self.locate(node) {
            return std::borrow::Cow::Owned(flat.children(at).map(|c| flat.nodes[c].node).collect());
        }
        let mut cursor = node.walk();
        std::borrow::Cow::Owned(node.children(&mut cursor).collect())
    }

    /// The flat list of the part holding `node` and the node's index in it: found at once
    /// for the node [`Rule::check_node`] was handed, searched for otherwise; `None` for the
    /// root.
    pub fn locate(&self, node: Node<'_>) -> Option<(&'a Flat<'f>, usize)> {
        match self.here {
            Some((flat, at)) if flat.nodes[at].node.id() == node.id() => Some((flat, at)),
            _ => self.facts.flat_of(node),
        }
    }

    pub fn module_kind(&self) -> ModuleKind {
        self.facts.kind
    }

    pub fn language(&self) -> Language {
        self.language
    }

    /// The message in the configured language.
    pub fn tr(&self, ru: impl Into<String>, en: impl Into<String>) -> String {
        match self.language {
            Language::Ru => ru.into(),
            Language::En => en.into(),
        }
    }

    fn param(&self, name: &str) -> ParamDefault {
        let meta = self
            .meta
            .params
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("rule {} reads undeclared parameter {name}", self.meta.code));
        match self.config.and_then(|c| c.params.get(name)) {
            Some(ParamValue::Int(v)) if matches!(meta.default, ParamDefault::Int(_)) => ParamDefault::Int(*v),
            Some(ParamValue::Bool(v)) if matches!(meta.default, ParamDefault::Bool(_)) => ParamDefault::Bool(*v),
            _ => meta.default,
        }
    }

    /// An integer parameter: the configured value, else the default.
    pub fn param_int(&self, name: &str) -> i64 {
        match self.param(name) {
            ParamDefault::Int(v) => v,
            _ => panic!("parameter {name} of {} is not an integer", self.meta.code),
        }
    }

    pub fn param_bool(&self, name: &str) -> bool {
        match self.param(name) {
            ParamDefault::Bool(v) => v,
            _ => panic!("parameter {name} of {} is not a boolean", self.meta.code),
        }
    }

    /// A string parameter: the configured value, else the default.
    pub fn param_str(&self, name: &str) -> String {
        let meta_default = self.meta.params.iter().find(|p| p.name == name).map(|p| p.default);
        match (self.config.and_then(|c| c.params.get(name)), meta_default) {
            (Some(ParamValue::Str(v)), _) => v.clone(),
            (_, Some(ParamDefault::Str(v))) => v.to_string(),
            _ => panic!("parameter {name} of {} is not a string", self.meta.code),
        }
    }

    /// Reports a finding; attach a fix through the returned diagnostic.
    pub fn report(&mut self, range: Range<usize>, message: String) -> &mut Diagnostic {
        self.out.push(Diagnostic {
            code: self.meta.code,
            range,
            message,
            severity: self.severity,
            rule_type: self.meta.rule_type,
            fix: None,
            related: Vec::new(),
        });
        self.out.last_mut().expect("just pushed")
    }

    /// A fix with a title in the configured language.
    pub fn fix(&self, ru: &str, en: &str, edits: Vec<Edit>) -> Fix {
        Fix { title: self.tr(ru, en), edits }
    }

    /// Data a module-scoped rule derives from one node (a method, usually) alone, kept
    /// across edits while the node's text is the same, so that a rule that needs facts from
    /// every method (which names each one mentions) redoes only the changed methods' share.
    /// `compute` must depend on nothing but the node's subtree.
    pub fn memo<T: Any + Send + Sync>(&self, node: Node<'_>, compute: impl FnOnce(Node<'_>) -> T) -> Arc<T> {
        self.memo_shared(self.meta.code, node, compute)
    }

    /// Data derived from one range of the text alone (a doc comment), kept across edits
    /// while that text is the same, under a name of the data shared by the rules that need
    /// it. `compute` must depend on nothing but the text of `range`.
    pub fn memo_text<T: Any + Send + Sync>(
        &self,
        name: &'static str,
        range: Range<usize>,
        compute: impl FnOnce() -> T,
    ) -> Arc<T> {
        let Some(memo) = self.facts.memo else { return Arc::new(compute()) };
        memo.get_or_insert((name, text_hash(&self.text()[range])), compute)
    }

    /// [`RuleContext::memo`] for the part at `index` of [`ModuleFacts::parts`], without
    /// looking the part up by its node.
    pub fn memo_part<T: Any + Send + Sync>(&self, index: usize, compute: impl FnOnce(Node<'_>) -> T) -> Arc<T> {
        self.memo_shared_part(self.meta.code, index, compute)
    }

    /// [`RuleContext::memo_shared`] for the part at `index` of [`ModuleFacts::parts`].
    pub fn memo_shared_part<T: Any + Send + Sync>(
        &self,
        name: &'static str,
        index: usize,
        compute: impl FnOnce(Node<'_>) -> T,
    ) -> Arc<T> {
        let part = self.facts.parts()[index];
        let Some(memo) = self.facts.memo.filter(|_| !part.has_error()) else { return Arc::new(compute(part)) };
        memo.get_or_insert((name, with_kind(self.facts.part_hash(index), part)), || compute(part))
    }

    /// The sum over the parts at `indices` of [`ModuleFacts::parts`] of a per-part value,
    /// kept across checks under `name`: a check adds the values of the parts that are new
    /// since the last one and takes out those of the parts that are gone, instead of
    /// adding up every part again. `of_part` gives a part's value (which must depend on
    /// the part's text alone, as for [`RuleContext::memo_shared_part`]); `add` adds a
    /// value to the sum `times` times (negative: takes it out). Without a cache the sum is
    /// added up afresh. The sum is brought up to date once per check: rules asking under
    /// the same `name` (which must mean the same parts and values) share it.
    pub fn memo_total<P, T>(
        &self,
        name: &'static str,
        indices: &[usize],
        of_part: impl Fn(usize) -> Arc<P>,
        add: impl Fn(&mut T, &P, i64),
    ) -> Arc<T>
    where
        P: Send + Sync + 'static,
        T: Clone + Default + Send + Sync + 'static,
    {
        let facts = self.facts;
        let Some(memo) = facts.memo else {
            let mut sum = T::default();
            for &index in indices {
                add(&mut sum, &of_part(index), 1);
            }
            return Arc::new(sum);
        };
        let mut totals = memo.totals.lock().unwrap_or_else(|e| e.into_inner());
        let check = memo.check.load(std::sync::atomic::Ordering::Relaxed);
        // Brought up to date by another rule during this check already.
        if let Some(total) = totals.get(name).and_then(|b| b.downcast_ref::<Total<P, T>>())
            && total.check == check
        {
            return total.sum.clone();
        }
        let stored = totals.remove(name).and_then(|b| b.downcast::<Total<P, T>>().ok());
        let Total { parts: mut old, mut sum, .. } =
            stored.map_or_else(|| Total { parts: FastMap::default(), sum: Arc::new(T::default()), check }, |b| *b);
        // How many parts have each key now, and one of them.
        let mut now: FastMap<u64, (u32, usize)> = FastMap::default();
        now.reserve(indices.len());
        for &index in indices {
            let part = facts.parts()[index];
            // A part with syntax errors is not a function of its text: never carried over.
            let key = if part.has_error() { u64::MAX - index as u64 } else { with_kind(facts.part_hash(index), part) };
            now.entry(key).or_insert((0, index)).0 += 1;
        }
        let total = Arc::make_mut(&mut sum);
        let mut parts: FastMap<u64, (u32, Arc<P>)> = FastMap::default();
        parts.reserve(now.len());
        for (key, (count, index)) in now {
            let broken = facts.parts()[index].has_error();
            let value = match old.remove(&key) {
                Some((was, value)) if !broken => {
                    if was != count {
                        add(total, &value, count as i64 - was as i64);
                    }
                    value
                }
                other => {
                    if let Some((was, value)) = other {
                        add(total, &value, -(was as i64));
                    }
                    let value = of_part(index);
                    add(total, &value, count as i64);
                    value
                }
            };
            parts.insert(key, (count, value));
        }
        for (was, value) in old.into_values() {
            add(total, &value, -(was as i64));
        }
        totals.insert(name, Box::new(Total { parts, sum: sum.clone(), check }));
        sum
    }

    /// Data a line-based rule derives from the text of one piece of
    /// [`ModuleFacts::line_pieces`] alone (offsets relative to the piece's start), kept
    /// across edits while that text is the same.
    pub fn memo_lines<T: Any + Send + Sync>(&self, piece: &LinePiece, compute: impl FnOnce(&str) -> T) -> Arc<T> {
        let text = &self.text()[piece.range.clone()];
        let Some(memo) = self.facts.memo else { return Arc::new(compute(text)) };
        memo.get_or_insert((self.meta.code, piece.key), || compute(text))
    }

    /// [`RuleContext::memo`] under a name of the data instead of the rule's code, so rules
    /// that need the same per-node data (which names a method mentions) compute it once
    /// per check, and once per edit of that node.
    pub fn memo_shared<T: Any + Send + Sync>(
        &self,
        name: &'static str,
        node: Node<'_>,
        compute: impl FnOnce(Node<'_>) -> T,
    ) -> Arc<T> {
        // A node with syntax errors is not a function of its text alone: error recovery
        // (missing tokens) depends on what surrounds it, so its data is never reused.
        let Some(memo) = self.facts.memo.filter(|_| !node.has_error()) else { return Arc::new(compute(node)) };
        memo.get_or_insert((name, with_kind(self.facts.hash_of(node), node)), || compute(node))
    }
}

/// A module-wide sum of per-part values, kept between checks of one document (see
/// [`RuleContext::memo_total`]): each part's value by the part's key with how many parts
/// have that key, and the sum.
struct Total<P, T> {
    parts: FastMap<u64, (u32, Arc<P>)>,
    sum: Arc<T>,
    /// The check that last brought the sum up to date (see [`Memo::check`]).
    check: u64,
}

/// The values rules derived from one text (a part, a piece of lines), by the name of the
/// data, and whether the last check used any of them.
#[derive(Default)]
struct Slot {
    used: bool,
    values: Vec<(&'static str, Arc<dyn Any + Send + Sync>)>,
}

/// Rules' per-text data from earlier checks, by the text's fingerprint: one slot per text,
/// so the rules asking about the same part find their values together.
#[derive(Default)]
struct Memo {
    slots: Mutex<FastMap<u64, Slot>>,
    /// Module-wide sums by name (see [`RuleContext::memo_total`]).
    totals: Mutex<FastMap<&'static str, Box<dyn Any + Send>>>,
    /// Counts checks, so that a sum two rules ask for is brought up to date once per check.
    check: std::sync::atomic::AtomicU64,
}

impl Memo {
    /// The value under `key`, computed and kept when it is not there yet.
    fn get_or_insert<T: Any + Send + Sync>(&self, key: (&'static str, u64), compute: impl FnOnce() -> T) -> Arc<T> {
        let (name, hash) = key;
        {
            let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(slot) = slots.get_mut(&hash) {
                slot.used = true;
                // Names are static strings: the same pointer, nearly always.
                if let Some((_, value)) = slot
                    .values
                    .iter()
                    .find(|(n, _)| std::ptr::eq(*n, name))
                    .or_else(|| slot.values.iter().find(|(n, _)| *n == name))
                    && let Ok(value) = value.clone().downcast::<T>()
                {
                    return value;
                }
            }
        }
        let value = Arc::new(compute());
        let stored: Arc<dyn Any + Send + Sync> = value.clone();
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        let slot = slots.entry(hash).or_default();
        slot.used = true;
        slot.values.retain(|(n, _)| *n != name);
        slot.values.push((name, stored));
        value
    }

    /// Forgets the texts the last check did not see, and clears the flags for the next one.
    fn sweep(&self) {
        self.check.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        slots.retain(|_, slot| std::mem::take(&mut slot.used));
    }
}

/// What [`RuleSet::check_cached`] keeps between checks of one document: each method's
/// findings by the method's text, valid while the module's outline and the rule set are the
/// same, and the rules' memos.
pub struct CheckCache {
    /// The rule set, module kind and outline the findings were computed under.
    key: Option<(u64, ModuleKind, u64)>,
    /// By method text: findings of method-scoped rules inside the method (offsets relative
    /// to its start), and the line the method started on with the findings of the rules
    /// whose messages name lines.
    methods: FastMap<u64, CachedMethod>,
    /// Counts checks; an entry of `methods` the current check has not met is dropped after it.
    generation: u32,
    memo: Memo,
    /// Whether the module-wide checks may run on another thread beside the walk.
    parallel: bool,
}

impl Default for CheckCache {
    fn default() -> Self {
        CheckCache { key: None, methods: FastMap::default(), generation: 0, memo: Memo::default(), parallel: true }
    }
}

impl CheckCache {
    /// A cache whose checks keep to the calling thread (for measuring a rule's CPU time).
    pub fn sequential() -> Self {
        CheckCache { parallel: false, ..CheckCache::default() }
    }
}

impl std::fmt::Debug for CheckCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckCache").field("methods", &self.methods.len()).finish()
    }
}

#[derive(Clone, Default)]
struct CachedMethod {
    findings: Vec<Diagnostic>,
    line: u32,
    line_findings: Vec<Diagnostic>,
    /// The last check that met this text (see [`CheckCache::generation`]).
    seen: u32,
}

/// A text fingerprint tied to the node kind that text was parsed as (after error recovery
/// the same text may stand as different nodes).
fn with_kind(hash: u64, node: Node<'_>) -> u64 {
    hash ^ u64::from(node.kind_id()).wrapping_mul(0xff51_afd7_ed55_8ccd).rotate_left(17)
}

fn shifted(diagnostic: &Diagnostic, from: usize, to: usize) -> Diagnostic {
    let shift = |r: &Range<usize>| (r.start - from + to)..(r.end - from + to);
    let mut moved = diagnostic.clone();
    moved.range = shift(&diagnostic.range);
    for range in &mut moved.related {
        *range = shift(range);
    }
    if let Some(fix) = &mut moved.fix {
        for edit in &mut fix.edits {
            edit.range = shift(&edit.range);
        }
    }
    moved
}

/// Starts the message of a diagnostic that reports a rule's own failure.
const INTERNAL_ERROR_MARK: &str = "[bsl-assist]";

static NEXT_RULE_SET: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// The rules to run on one module, resolved from the configuration once.
pub struct RuleSet {
    /// Unique per set, so a cache knows which set computed it.
    id: u64,
    rules: Vec<(&'static dyn Rule, Option<RuleConfig>, Severity)>,
    language: Language,
    /// For each node kind id, the indices of the rules that subscribe to it.
    by_kind: Vec<Vec<usize>>,
}

impl RuleSet {
    /// The rules enabled by `config` (defaults where it is silent).
    pub fn new(config: &Config) -> Self {
        let selected = CATALOG.iter().map(|r| r.rule).filter(|rule| config.is_enabled(rule.meta()));
        Self::from_rules(selected, config)
    }

    /// Exactly the given rules, enabled or not by default (for tests and `--rule`).
    pub fn from_rules(rules: impl IntoIterator<Item = &'static dyn Rule>, config: &Config) -> Self {
        let mut by_kind = vec![Vec::new(); language_kind_count()];
        let rules: Vec<_> = rules
            .into_iter()
            .map(|rule| {
                let meta = rule.meta();
                let rule_config = config.rules.get(meta.code).cloned();
                let severity = rule_config.as_ref().and_then(|c| c.severity).unwrap_or(meta.severity);
                (rule, rule_config, severity)
            })
            .collect();
        for (index, (rule, _, _)) in rules.iter().enumerate() {
            for kind in rule.node_kinds() {
                let id = language().id_for_node_kind(kind, true);
                assert!(id != 0, "rule {} subscribes to unknown node kind {kind}", rule.meta().code);
                by_kind[id as usize].push(index);
            }
        }
        let id = NEXT_RULE_SET.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        RuleSet { id, rules, language: config.language, by_kind }
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Runs every rule over one module: one walk of the tree, then the module-wide checks.
    /// Suppression comments are honoured; the result is sorted by position.
    pub fn check(&self, parse: &Parse, kind: ModuleKind) -> Vec<Diagnostic> {
        // Shared per-node data lives for this one check.
        let memo = Memo::default();
        let mut facts = ModuleFacts::new(parse, kind);
        facts.memo = Some(&memo);
        let mut applies = self.applies_to(kind);
        let mut out = Vec::new();
        self.visit(parse.root(), None, &mut applies, &facts, &mut out, |_| true);
        for index in 0..facts.parts().len() {
            self.walk_part(index, &mut applies, &facts, &mut out, |_| true);
        }
        self.finish(&applies, &facts, out)
    }

    /// Which rules run on a module of this kind.
    fn applies_to(&self, kind: ModuleKind) -> Vec<bool> {
        self.rules
            .iter()
            .map(|(rule, _, _)| {
                let kinds = rule.meta().module_kinds;
                kinds.is_empty() || kinds.contains(&kind)
            })
            .collect()
    }

    /// After the walk: the module-wide checks, then suppression comments, then order.
    fn finish(&self, applies: &[bool], facts: &ModuleFacts<'_>, mut out: Vec<Diagnostic>) -> Vec<Diagnostic> {
        out.extend(self.module_checks(applies, facts, false));
        self.settle(facts, out)
    }

    /// The module-wide checks ([`Rule::check_module`]) of the rules that apply, in the
    /// rules' order; spread over rayon's threads when `parallel`.
    fn module_checks(&self, applies: &[bool], facts: &ModuleFacts<'_>, parallel: bool) -> Vec<Diagnostic> {
        let one = |index: usize| {
            let mut out = Vec::new();
            let mut ctx = self.context(index, facts, &mut out);
            let rule = self.rules[index].0;
            if let Err(panic) = std::panic::catch_unwind(AssertUnwindSafe(|| rule.check_module(&mut ctx))) {
                self.internal_error(index, 0, &panic, &mut out);
            }
            out
        };
        let wanted: Vec<usize> = (0..applies.len()).filter(|&i| applies[i]).collect();
        if parallel {
            use rayon::prelude::*;
            let found: Vec<Vec<Diagnostic>> = wanted.into_par_iter().map(one).collect();
            found.into_iter().flatten().collect()
        } else {
            wanted.into_iter().flat_map(one).collect()
        }
    }

    /// Drops what suppression comments silence, then orders by position.
    fn settle(&self, facts: &ModuleFacts<'_>, mut out: Vec<Diagnostic>) -> Vec<Diagnostic> {
        let parse = facts.parse;
        let suppressions = suppression::Suppressions::parse(parse);
        out.retain(|d| !suppressions.is_suppressed(d.code, d.range.start, parse));
        out.sort_by(|a, b| (a.range.start, a.range.end, a.code).cmp(&(b.range.start, b.range.end, b.code)));
        out
    }

    /// [`RuleSet::check`] for a document that changes a little at a time: method-scoped
    /// rules' findings in methods whose text did not change are taken from `cache` (shifted
    /// to where the method now stands) instead of walking those methods again. The result
    /// is the same as [`RuleSet::check`]'s.
    pub fn check_cached(&self, parse: &Parse, kind: ModuleKind, cache: &mut CheckCache) -> Vec<Diagnostic> {
        let root = parse.root();
        let text = parse.text();
        let mut facts = ModuleFacts::new(parse, kind);
        // The outline: everything but method bodies.
        let mut outline: u64 = 0;
        for (index, &part) in facts.parts().iter().enumerate() {
            let hash = if part.kind_str() == "method_declaration" {
                let body = part.field("body").map_or(part.end_byte(), |b| b.start_byte());
                text_hash(&text[part.start_byte()..body])
            } else {
                facts.part_hash(index)
            };
            // Order-sensitive, and equal parts never cancel out.
            outline = (outline ^ hash).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(29);
        }
        let key = (self.id, kind, outline);
        if cache.key != Some(key) {
            // Memos may depend on the rules' parameters and the module kind, not the outline.
            if cache.key.is_none_or(|(id, old_kind, _)| id != self.id || old_kind != kind) {
                cache.memo = Memo::default();
            }
            cache.key = Some(key);
            cache.methods.clear();
        }
        facts.memo = Some(&cache.memo);
        let mut applies = self.applies_to(kind);
        let scopes: Vec<Scope> = self.rules.iter().map(|(rule, _, _)| rule.scope()).collect();
        let module_walk_needed = self.by_kind.iter().flatten().any(|&i| applies[i] && scopes[i] == Scope::Module);
        cache.generation = cache.generation.wrapping_add(1);
        let generation = cache.generation;
        let methods = &mut cache.methods;
        // The module-wide checks run beside the walk (on another core when one is free):
        // they read the same facts, and after a keystroke in a large module they are about
        // half of the work. A rule that fails during the walk is skipped for the rest of the
        // module, so its module-wide findings are dropped afterwards, as if never made.
        let before = applies.clone();
        let walk = || {
            let mut out = Vec::new();
            // The root itself, then each top-level part: a method, or anything between methods
            // (whose text is part of the outline, so it too is unchanged while the key holds).
            self.visit(root, None, &mut applies, &facts, &mut out, |_| true);
            for (index, &child) in facts.parts().iter().enumerate() {
                // A method's findings depend on its text (and the outline); the findings of anything
                // between methods may also depend on its neighbours (`;` after `;` is an empty
                // statement), which stay the same only in the same place of the same outline.
                let mut hash = with_kind(facts.part_hash(index), child);
                if child.kind_str() != "method_declaration" {
                    hash ^= (index as u64 + 1).wrapping_mul(0xc2b2_ae3d_27d4_eb4f);
                }
                let start = child.start_byte();
                let line = parse.line_index().line_of(start);
                // A part with syntax errors is checked afresh each time: its tree depends on its
                // surroundings (error recovery), not on its text alone.
                let reusable = !child.has_error();
                let cached = if reusable { methods.get_mut(&hash) } else { None };
                // Found: its findings, moved to where the part now starts; the line-naming
                // rules run again when the part moved to another line.
                let scoped = match cached {
                    Some(entry) => {
                        entry.seen = generation;
                        out.extend(entry.findings.iter().map(|d| shifted(d, 0, start)));
                        if entry.line == line {
                            out.extend(entry.line_findings.iter().map(|d| shifted(d, 0, start)));
                            None
                        } else {
                            Some(Scope::MethodAtLine)
                        }
                    }
                    None => Some(Scope::Method),
                };
                if module_walk_needed {
                    self.walk_part(index, &mut applies, &facts, &mut out, |i| scopes[i] == Scope::Module);
                }
                let Some(which) = scoped else { continue };
                // Fresh: both kinds of method-scoped rules; moved: the line-naming ones.
                let wanted = |i: usize| {
                    scopes[i] == Scope::MethodAtLine || (which == Scope::Method && scopes[i] == Scope::Method)
                };
                let mut mine = Vec::new();
                self.walk_part(index, &mut applies, &facts, &mut mine, wanted);
                // A rule that failed here is not cached, so the failure is reported again.
                if reusable && !mine.iter().any(|d| d.message.starts_with(INTERNAL_ERROR_MARK)) {
                    let relative = |d: &Diagnostic| shifted(d, start, 0);
                    let at_line = |d: &Diagnostic| scopes[self.index_of(d.code)] == Scope::MethodAtLine;
                    let entry = methods.entry(hash).or_default();
                    if which == Scope::Method {
                        entry.findings = mine.iter().filter(|d| !at_line(d)).map(relative).collect();
                    }
                    entry.line_findings = mine.iter().filter(|d| at_line(d)).map(relative).collect();
                    entry.line = line;
                    entry.seen = generation;
                }
                out.extend(mine);
            }
            // What this check did not meet is gone from the text.
            methods.retain(|_, entry| entry.seen == generation);
            (out, applies)
        };
        let module_checks = || self.module_checks(&before, &facts, cache.parallel);
        let ((mut out, applies), module_found) = if cache.parallel {
            rayon::join(walk, module_checks)
        } else {
            let walked = walk();
            (walked, module_checks())
        };
        out.extend(module_found.into_iter().filter(|d| applies[self.index_of(d.code)]));
        let out = self.settle(&facts, out);
        cache.memo.sweep();
        out
    }

    /// The index of the rule with this code in the set (rules report under their own code).
    fn index_of(&self, code: &str) -> usize {
        self.rules.iter().position(|(rule, _, _)| std::ptr::eq(rule.meta().code, code)).unwrap_or_else(|| {
            self.rules.iter().position(|(rule, _, _)| rule.meta().code == code).expect("a rule of this set")
        })
    }

    /// Hands one node (at `here` in its part's flat list, unless it is the root) to its
    /// subscribers among the rules `wanted` selects.
    fn visit<'f>(
        &self,
        node: Node<'_>,
        here: Option<(&Flat<'f>, usize)>,
        applies: &mut [bool],
        facts: &ModuleFacts<'f>,
        out: &mut Vec<Diagnostic>,
        wanted: impl Fn(usize) -> bool,
    ) {
        let kind = here.map_or_else(|| node.kind_id(), |(flat, at)| flat.nodes[at].kind);
        let Some(subscribers) = self.by_kind.get(kind as usize) else { return };
        for &index in subscribers {
            if applies[index] && wanted(index) {
                let mut ctx = self.context(index, facts, out);
                ctx.here = here;
                let rule = self.rules[index].0;
                if let Err(panic) = std::panic::catch_unwind(AssertUnwindSafe(|| rule.check_node(node, &mut ctx))) {
                    applies[index] = false;
                    self.internal_error(index, node.start_byte(), &panic, out);
                }
            }
        }
    }

    /// Visits a top-level part and its descendants in document order.
    fn walk_part<'f>(
        &self,
        index: usize,
        applies: &mut [bool],
        facts: &ModuleFacts<'f>,
        out: &mut Vec<Diagnostic>,
        wanted: impl Fn(usize) -> bool,
    ) {
        let flat = facts.part_flat(index);
        for (at, entry) in flat.nodes.iter().enumerate() {
            self.visit(entry.node, Some((flat, at)), applies, facts, out, &wanted);
        }
    }

    /// A rule that panicked on this module: one diagnostic says so (a bug of ours, never of
    /// the user's code), and the rule is skipped for the rest of the module. Its other
    /// findings stand.
    fn internal_error(
        &self,
        index: usize,
        at: usize,
        panic: &Box<dyn std::any::Any + Send>,
        out: &mut Vec<Diagnostic>,
    ) {
        let (rule, _, _) = &self.rules[index];
        let detail = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let message = match self.language {
            Language::Ru => format!("{INTERNAL_ERROR_MARK} Внутренняя ошибка правила {}: {detail}", rule.meta().code),
            Language::En => format!("{INTERNAL_ERROR_MARK} Internal error in rule {}: {detail}", rule.meta().code),
        };
        out.push(Diagnostic {
            code: rule.meta().code,
            range: at..at,
            message,
            severity: Severity::Info,
            rule_type: rule.meta().rule_type,
            fix: None,
            related: Vec::new(),
        });
    }

    fn context<'a, 'f>(
        &'a self,
        index: usize,
        facts: &'a ModuleFacts<'f>,
        out: &'a mut Vec<Diagnostic>,
    ) -> RuleContext<'a, 'f> {
        let (rule, config, severity) = &self.rules[index];
        RuleContext {
            facts,
            meta: rule.meta(),
            config: config.as_ref(),
            language: self.language,
            severity: *severity,
            out,
            here: None,
        }
    }
}

fn language_kind_count() -> usize {
    language().node_kind_count()
}

/// Node helpers rules share.
pub mod util {
    use bsl_syntax::NodeExt;
    use tree_sitter::Node;

    /// The nearest ancestor of one of the given kinds.
    pub fn ancestor<'t>(node: Node<'t>, kinds: &[&str]) -> Option<Node<'t>> {
        let mut current = node.parent();
        while let Some(n) = current {
            if kinds.contains(&n.kind_str()) {
                return Some(n);
            }
            current = n.parent();
        }
        None
    }

    /// The method declaration around a node.
    pub fn enclosing_method(node: Node<'_>) -> Option<Node<'_>> {
        ancestor(node, &["method_declaration"])
    }

    /// Whether the node stands inside a loop body, within the same method.
    pub fn inside_loop(node: Node<'_>) -> bool {
        let mut current = node.parent();
        while let Some(n) = current {
            match n.kind_str() {
                "while_statement" | "for_statement" | "for_each_statement" => return true,
                "method_declaration" => return false,
                _ => current = n.parent(),
            }
        }
        false
    }

    /// The called name of a call expression: `Ф` for `Ф()`, `Метод` for `А.Б.Метод()`.
    pub fn called_name<'a>(call: Node<'_>, text: &'a str) -> Option<&'a str> {
        let function = call.field("function")?;
        let name = match function.kind_str() {
            "identifier" => function,
            "member_expression" => function.field("property")?,
            _ => return None,
        };
        Some(&text[name.byte_range()])
    }

    /// The object of a member call: `А.Б` for `А.Б.Метод()`.
    pub fn call_object<'t>(call: Node<'t>) -> Option<Node<'t>> {
        let function = call.field("function")?;
        (function.kind_str() == "member_expression").then(|| function.field("object")).flatten()
    }

    /// The argument expressions of a call, skipping punctuation (left-out arguments are
    /// absent: count commas to know positions).
    pub fn arguments<'t>(call: Node<'t>) -> Vec<Node<'t>> {
        let Some(arguments) = call.field("arguments") else { return Vec::new() };
        let mut cursor = arguments.walk();
        arguments.named_children(&mut cursor).filter(|c| !c.is_extra()).collect()
    }

    /// Case-insensitive comparison with Russian and English spellings.
    pub fn is_any(name: &str, spellings: &[&str]) -> bool {
        spellings.iter().any(|s| bsl_syntax::keywords::eq_ignore_case(name, s))
    }
}

/// The rules of the catalog by code, for configuration checks.
pub fn codes() -> HashMap<&'static str, &'static RuleMeta> {
    CATALOG.iter().map(|r| (r.rule.meta().code, r.rule.meta())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rule with a bug: it panics on the second call it sees.
    struct Broken;

    static BROKEN: RuleMeta = RuleMeta {
        code: "Broken",
        name_ru: "Сломанное",
        name_en: "Broken",
        rule_type: RuleType::CodeSmell,
        severity: Severity::Major,
        tags: &[],
        minutes_to_fix: 1,
        enabled_by_default: true,
        params: &[],
        module_kinds: &[],
    };

    impl Rule for Broken {
        fn meta(&self) -> &'static RuleMeta {
            &BROKEN
        }

        fn node_kinds(&self) -> &'static [&'static str] {
            &["call_expression"]
        }

        fn check_node(&self, node: Node<'_>, ctx: &mut RuleContext<'_, '_>) {
            if ctx.node_text(node).starts_with('Б') {
                panic!("a bug");
            }
            ctx.report(node.byte_range(), "call".into());
        }

        fn check_module(&self, ctx: &mut RuleContext<'_, '_>) {
            ctx.report(0..0, "module".into());
        }
    }

    #[test]
    fn a_panicking_rule_is_reported_and_stopped_not_fatal() {
        let config = Config::default();
        let set = RuleSet::from_rules([&Broken as &dyn Rule], &config);
        let parse = Parse::new("А();\nБ();\nВ();\n");
        let found = set.check(&parse, ModuleKind::Unknown);
        let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["call", "[bsl-assist] Внутренняя ошибка правила Broken: a bug"]);
        assert_eq!(found[1].range, 6..6, "at the call it failed on");
    }

    /// With a cache, module-wide checks run beside the walk; a rule that fails in the walk
    /// still loses its module-wide findings, as when they run after it.
    #[test]
    fn a_rule_that_fails_in_the_walk_loses_its_module_findings_with_a_cache_too() {
        let config = Config::default();
        let set = RuleSet::from_rules([&Broken as &dyn Rule], &config);
        for (text, expected) in [
            ("А();\nБ();\n", vec!["call", "[bsl-assist] Внутренняя ошибка правила Broken: a bug"]),
            ("А();\nВ();\n", vec!["module", "call", "call"]),
        ] {
            let parse = Parse::new(text);
            for mut cache in [CheckCache::default(), CheckCache::sequential()] {
                let found = set.check_cached(&parse, ModuleKind::Unknown, &mut cache);
                let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
                assert_eq!(messages, expected, "{text:?}");
                assert_eq!(found, set.check(&parse, ModuleKind::Unknown));
            }
        }
    }
}

//! The architect's subsystem level: the module dependency graph folded onto subsystems and
//! drawn as a Mermaid flowchart with nested subsystems as `subgraph`s.
//!
//! Subsystem A depends on subsystem B when a module of an object A holds calls a module of an
//! object B holds (the calls [`DependencyGraph`] resolves). An object may sit in several
//! subsystems; the rule is:
//! - each subsystem is first folded into the one drawn for it at the chosen level (its
//!   ancestor at the depth, see [`SubsystemLevel`]), so an object nested deeper counts for
//!   that ancestor;
//! - a call whose caller and callee share a drawn subsystem stays inside it (it is no
//!   dependency, even if either also sits elsewhere);
//! - otherwise the call counts once for every pair of the caller's and the callee's drawn
//!   subsystems.
//!
//! A module belongs to its object (an extension's module of an adopted object too, as the
//! index keeps them). Code in no subsystem (configuration modules, objects no subsystem
//! lists) is left out and counted, or drawn as one node "Вне подсистем" on request. Nodes are styled by where their
//! modules run, with the module diagram's classes (client only, server only, server with
//! server-call modules, both, unknown); an edge that carries calls from client code into a
//! server module is drawn thick with that count in its label.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::Path;

use bsl_analysis::workspace::{SubsystemLevel, SubsystemTree, WorkspaceIndex};
use serde_json::{Value, json};

use super::architect::{DependencyGraph, Side, class_defs, side_of};

/// What the subsystem diagram shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubsystemOptions {
    /// Levels drawn: from the top (1: top-level subsystems only), or below `subsystem`.
    pub depth: usize,
    /// The subsystem to look into: its full name (`А.Б`) or its own name when unique.
    pub subsystem: Option<String>,
    /// Draw the code that belongs to no subsystem as one more node.
    pub outside: bool,
    /// At most this many nodes; the least connected are left out beyond it.
    pub limit: usize,
}

impl Default for SubsystemOptions {
    fn default() -> Self {
        SubsystemOptions { depth: 1, subsystem: None, outside: false, limit: 80 }
    }
}

impl SubsystemOptions {
    /// From a command's or a tool's arguments: `depth` (1 or more), `subsystem`, `outside`,
    /// `limit`; absent ones keep their defaults, other keys are the caller's business. An
    /// error names the argument.
    pub fn from_json(args: &Value) -> Result<SubsystemOptions, String> {
        let mut options = SubsystemOptions::default();
        let positive = |key: &str| -> Result<Option<usize>, String> {
            match args.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(value) => match value.as_u64() {
                    Some(n) if n >= 1 => Ok(Some(n as usize)),
                    _ => Err(format!("`{key}` must be a whole number of at least 1, got {value}")),
                },
            }
        };
        if let Some(depth) = positive("depth")? {
            options.depth = depth;
        }
        if let Some(limit) = positive("limit")? {
            options.limit = limit;
        }
        match args.get("subsystem") {
            None | Some(Value::Null) => {}
            Some(Value::String(name)) if !name.trim().is_empty() => options.subsystem = Some(name.trim().to_string()),
            Some(other) => return Err(format!("`subsystem` must be a subsystem's name, got {other}")),
        }
        match args.get("outside") {
            None | Some(Value::Null) => {}
            Some(Value::Bool(outside)) => options.outside = *outside,
            Some(other) => return Err(format!("`outside` must be true or false, got {other}")),
        }
        Ok(options)
    }
}

/// A node of the subsystem graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Node {
    /// A subsystem, by its id in the [`SubsystemTree`].
    Subsystem(usize),
    /// Everything that belongs to no subsystem.
    Outside,
}

/// The calls an edge carries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EdgeCalls {
    /// Call sites.
    pub calls: u32,
    /// Of them, calls from client code into a server module (server only or server call).
    pub client_to_server: u32,
}

/// Calls between subsystems at one level.
#[derive(Debug, Clone)]
pub struct SubsystemGraph {
    pub level: SubsystemLevel,
    pub edges: BTreeMap<(Node, Node), EdgeCalls>,
    /// Calls that stay inside a subsystem, by subsystem.
    pub internal: BTreeMap<Node, u32>,
    /// Calls from or to code in no subsystem, when it is not drawn as [`Node::Outside`].
    pub unassigned_calls: u32,
    /// Where each node's modules run.
    pub sides: BTreeMap<Node, Side>,
}

/// One side for a set of modules: client or server only, server with server-call modules,
/// else both (mixed); unknown when none is known.
fn combined_side(sides: &BTreeSet<u8>) -> Side {
    const CLIENT: u8 = 0;
    const SERVER: u8 = 1;
    const SERVER_CALL: u8 = 2;
    let only = |allowed: &[u8]| sides.iter().all(|s| allowed.contains(s));
    match () {
        _ if sides.is_empty() => Side::Unknown,
        _ if only(&[CLIENT]) => Side::Client,
        _ if only(&[SERVER]) => Side::Server,
        _ if only(&[SERVER, SERVER_CALL]) => Side::ServerCall,
        _ => Side::Both,
    }
}

fn side_code(side: Side) -> Option<u8> {
    match side {
        Side::Client => Some(0),
        Side::Server => Some(1),
        Side::ServerCall => Some(2),
        Side::Both => Some(3),
        Side::Unknown => None,
    }
}

impl SubsystemGraph {
    /// Folds the module graph onto the subsystems at `level`; with `outside`, code in no
    /// subsystem is [`Node::Outside`] instead of being left out.
    pub fn build(
        index: &WorkspaceIndex,
        tree: &SubsystemTree,
        graph: &DependencyGraph,
        level: SubsystemLevel,
        outside: bool,
    ) -> SubsystemGraph {
        let nodes_of = |path: &Path| -> Vec<Node> {
            let object = index.module(path).and_then(|m| m.location.as_ref()).and_then(|l| l.object.as_ref());
            let mut nodes: Vec<Node> = object
                .map(|o| tree.folded_containing(o.kind, &o.name, level).into_iter().map(Node::Subsystem).collect())
                .unwrap_or_default();
            if nodes.is_empty() && outside {
                nodes.push(Node::Outside);
            }
            nodes
        };
        let mut result = SubsystemGraph {
            level,
            edges: BTreeMap::new(),
            internal: BTreeMap::new(),
            unassigned_calls: 0,
            sides: BTreeMap::new(),
        };
        let mut nodes: HashMap<&Path, Vec<Node>> = HashMap::new();
        let mut sides: HashMap<&Path, Side> = HashMap::new();
        let mut node_sides: BTreeMap<Node, BTreeSet<u8>> = BTreeMap::new();
        for module in index.modules() {
            let path = module.path.as_path();
            let side = side_of(index, path);
            let of = nodes_of(path);
            for node in &of {
                node_sides.entry(*node).or_default().extend(side_code(side));
            }
            nodes.insert(path, of);
            sides.insert(path, side);
        }
        result.sides = node_sides.iter().map(|(node, set)| (*node, combined_side(set))).collect();
        for ((from, to), &calls) in &graph.edges {
            let (Some(callers), Some(callees)) = (nodes.get(from.as_path()), nodes.get(to.as_path())) else {
                continue;
            };
            if callers.is_empty() || callees.is_empty() {
                result.unassigned_calls += calls;
                continue;
            }
            let shared: Vec<Node> = callers.iter().filter(|n| callees.contains(n)).copied().collect();
            if !shared.is_empty() {
                for node in shared {
                    *result.internal.entry(node).or_default() += calls;
                }
                continue;
            }
            let into_server = matches!(sides.get(to.as_path()), Some(Side::Server | Side::ServerCall));
            let crossing =
                if into_server { graph.client_calls.get(&(from.clone(), to.clone())).copied().unwrap_or(0) } else { 0 };
            for &a in callers {
                for &b in callees {
                    let edge = result.edges.entry((a, b)).or_default();
                    edge.calls += calls;
                    edge.client_to_server += crossing;
                }
            }
        }
        result
    }
}

/// A subsystem diagram with what it shows and leaves out.
#[derive(Debug, Clone)]
pub struct SubsystemDiagram {
    pub mermaid: String,
    pub title: String,
    /// Subsystems in the workspace and their deepest nesting.
    pub subsystems: usize,
    pub max_depth: usize,
    /// Nodes drawn (the "outside" node included).
    pub nodes: usize,
    /// Edges drawn: full names (or `Вне подсистем`), with their calls.
    pub edges: Vec<(String, String, EdgeCalls)>,
    /// What the diagram leaves out or could not read, in words.
    pub notes: Vec<String>,
}

impl SubsystemDiagram {
    /// As the commands and tools answer it.
    pub fn to_json(&self) -> Value {
        json!({
            "mermaid": self.mermaid,
            "title": self.title,
            "level": "subsystem",
            "subsystems": self.subsystems,
            "max_depth": self.max_depth,
            "nodes": self.nodes,
            "edges": self.edges.iter().map(|(from, to, e)| json!({
                "from": from, "to": to, "calls": e.calls, "client_to_server": e.client_to_server,
            })).collect::<Vec<_>>(),
            "notes": self.notes,
        })
    }
}

const OUTSIDE_LABEL: &str = "Вне подсистем";

/// Mermaid labels go in double quotes, which they cannot hold.
fn label(text: &str) -> String {
    text.replace('"', "'")
}

/// The subsystem diagram of the workspace (see the module's documentation for the rules).
/// `Err` only for a `subsystem` that names none.
pub fn subsystem_diagram(
    index: &WorkspaceIndex,
    graph: &DependencyGraph,
    options: &SubsystemOptions,
) -> Result<SubsystemDiagram, String> {
    let tree = SubsystemTree::build(index);
    let depth = options.depth.max(1);
    let (level, title) = match &options.subsystem {
        Some(name) => {
            let focus = tree.find(name).ok_or_else(|| {
                let roots: Vec<String> = tree.roots().map(|id| tree.get(id).full_name()).collect();
                format!(
                    "there is no subsystem `{name}` (give its full name, `Родитель.Имя`); the top-level subsystems are: {}",
                    if roots.is_empty() { "none".to_string() } else { roots.join(", ") }
                )
            })?;
            let title =
                format!("Зависимости подсистем внутри {} (вложенность до {depth})", tree.get(focus).full_name());
            (SubsystemLevel::Under { focus, depth }, title)
        }
        None if depth == 1 => (SubsystemLevel::Depth(1), "Зависимости подсистем верхнего уровня".to_string()),
        None => (SubsystemLevel::Depth(depth), format!("Зависимости подсистем (вложенность до {depth})")),
    };
    let sg = SubsystemGraph::build(index, &tree, graph, level, options.outside);
    let focus = match level {
        SubsystemLevel::Under { focus, .. } => Some(focus),
        SubsystemLevel::Depth(_) => None,
    };
    let in_focus = |node: Node| match (node, focus) {
        (Node::Subsystem(id), Some(focus)) => tree.contains(focus, id),
        _ => focus.is_none(),
    };
    // Looking into a subsystem, only edges that touch it.
    let mut edges: Vec<((Node, Node), EdgeCalls)> =
        sg.edges.iter().filter(|((a, b), _)| in_focus(*a) || in_focus(*b)).map(|(k, v)| (*k, *v)).collect();

    // The nodes: what the level draws, and whatever the edges reach.
    let mut drawn: BTreeSet<Node> = tree.drawn(level).into_iter().map(Node::Subsystem).collect();
    for ((a, b), _) in &edges {
        drawn.insert(*a);
        drawn.insert(*b);
    }
    // A subsystem whose children are drawn is a subgraph (only inside the focus: the rest is
    // drawn flat, by full names); it is a node of its own too only when calls reach its own
    // content.
    let parents: BTreeSet<usize> = drawn
        .iter()
        .filter_map(|n| match n {
            Node::Subsystem(id) if in_focus(*n) => {
                tree.get(*id).parent.filter(|p| drawn.contains(&Node::Subsystem(*p)) && in_focus(Node::Subsystem(*p)))
            }
            _ => None,
        })
        .collect();
    let touched: BTreeSet<Node> = edges.iter().flat_map(|((a, b), _)| [*a, *b]).collect();
    let mut nodes: Vec<Node> = drawn
        .iter()
        .copied()
        .filter(|n| match n {
            Node::Subsystem(id) if parents.contains(id) => touched.contains(n) || sg.internal.contains_key(n),
            _ => true,
        })
        .collect();

    let mut notes = Vec::new();
    if nodes.len() > options.limit.max(1) {
        let mut weight: HashMap<Node, u32> = HashMap::new();
        for ((a, b), e) in &edges {
            *weight.entry(*a).or_default() += e.calls;
            *weight.entry(*b).or_default() += e.calls;
        }
        let mut ranked = nodes.clone();
        ranked.sort_by_key(|n| (std::cmp::Reverse(weight.get(n).copied().unwrap_or(0)), *n));
        let kept: BTreeSet<Node> = ranked.into_iter().take(options.limit.max(1)).collect();
        notes.push(format!(
            "Узлов показано {} из {}: остальные связаны меньше всего (увеличьте limit или выберите подсистему).",
            kept.len(),
            nodes.len()
        ));
        nodes.retain(|n| kept.contains(n));
        edges.retain(|((a, b), _)| kept.contains(a) && kept.contains(b));
    }
    let shown: BTreeSet<Node> = nodes.iter().copied().collect();

    // Mermaid: subgraphs for drawn parents (inside the focus), nodes inside their parent's.
    let mut text = String::from("flowchart LR\n");
    if tree.is_empty() {
        text.push_str("    none[\"Подсистем не найдено\"]:::unknown\n");
    }
    let node_id = |n: Node| match n {
        Node::Subsystem(id) => format!("s{id}"),
        Node::Outside => "outside".to_string(),
    };
    let node_line = |n: Node, own: bool| {
        let name = match n {
            Node::Subsystem(id) => {
                let s = tree.get(id);
                // Outside the focus's subtree names need their parents to be clear.
                let mut name = if in_focus(n) { s.name().to_string() } else { s.full_name() };
                if own {
                    name.push_str(" (свои объекты)");
                }
                if !s.is_described() {
                    name.push_str(" (без описания)");
                }
                name
            }
            Node::Outside => OUTSIDE_LABEL.to_string(),
        };
        let side = sg.sides.get(&n).copied().unwrap_or(Side::Unknown);
        format!("[\"{}\"]:::{}", label(&name), side.class())
    };
    let mut tops: BTreeSet<usize> = BTreeSet::new();
    let shown_ids = shown.iter().filter_map(|n| match n {
        Node::Subsystem(id) => Some(*id),
        Node::Outside => None,
    });
    for id in shown_ids.chain(parents.iter().copied()) {
        if tree.get(id).parent.is_none_or(|p| !parents.contains(&p)) {
            tops.insert(id);
        }
    }
    // Depth-first from the drawn roots of the nesting.
    for id in tops {
        emit(&tree, id, 1, &parents, &shown, &mut text, &node_line);
    }
    if shown.contains(&Node::Outside) {
        let _ = writeln!(text, "    outside{}", node_line(Node::Outside, false));
    }
    for ((a, b), e) in &edges {
        let (from, to) = (node_id(*a), node_id(*b));
        if e.client_to_server > 0 {
            let _ = writeln!(text, "    {from} ==>|\"{}, клиент→сервер {}\"| {to}", e.calls, e.client_to_server);
        } else {
            let _ = writeln!(text, "    {from} -->|{}| {to}", e.calls);
        }
    }
    text.push_str(&class_defs());

    let name_of = |n: Node| match n {
        Node::Subsystem(id) => tree.get(id).full_name(),
        Node::Outside => OUTSIDE_LABEL.to_string(),
    };
    if sg.unassigned_calls > 0 {
        notes.push(format!(
            "Вызовы из кода вне подсистем или в него не показаны: {} (outside: true рисует такой код одним узлом).",
            sg.unassigned_calls
        ));
    }
    let undescribed: Vec<String> =
        tree.subsystems().iter().filter(|s| !s.is_described()).map(|s| s.full_name()).collect();
    if !undescribed.is_empty() {
        let first: Vec<&str> = undescribed.iter().take(5).map(String::as_str).collect();
        notes.push(format!(
            "Подсистемы без файла описания, их состав неизвестен: {} ({}{}); родитель перечисляет их, а файл вложенной подсистемы ищется в Subsystems/<Родитель>/Subsystems/.",
            undescribed.len(),
            first.join(", "),
            if undescribed.len() > first.len() { ", …" } else { "" }
        ));
    }
    for (path, error) in tree.broken() {
        notes.push(format!("Файл подсистемы не прочитан: {}: {error}", path.display()));
    }
    Ok(SubsystemDiagram {
        mermaid: text,
        title,
        subsystems: tree.len(),
        max_depth: tree.max_depth(),
        nodes: shown.len(),
        edges: edges.iter().map(|((a, b), e)| (name_of(*a), name_of(*b), *e)).collect(),
        notes,
    })
}

/// Writes subsystem `id`: a node, or (for a drawn parent) a subgraph holding its own node
/// when shown and its drawn children, depth first.
fn emit(
    tree: &SubsystemTree,
    id: usize,
    indent: usize,
    parents: &BTreeSet<usize>,
    shown: &BTreeSet<Node>,
    out: &mut String,
    line: &dyn Fn(Node, bool) -> String,
) {
    let pad = "    ".repeat(indent);
    let node = Node::Subsystem(id);
    if !parents.contains(&id) {
        if shown.contains(&node) {
            let _ = writeln!(out, "{pad}s{id}{}", line(node, false));
        }
        return;
    }
    let children: Vec<usize> =
        tree.get(id).children.iter().copied().filter(|c| reaches(tree, *c, parents, shown)).collect();
    if children.is_empty() && !shown.contains(&node) {
        return;
    }
    let _ = writeln!(out, "{pad}subgraph g{id}[\"{}\"]", label(tree.get(id).name()));
    if shown.contains(&node) {
        let _ = writeln!(out, "{pad}    s{id}{}", line(node, true));
    }
    for child in children {
        emit(tree, child, indent + 1, parents, shown, out, line);
    }
    let _ = writeln!(out, "{pad}end");
}
/// Whether anything under `id` (itself included) is drawn.
fn reaches(tree: &SubsystemTree, id: usize, parents: &BTreeSet<usize>, shown: &BTreeSet<Node>) -> bool {
    shown.contains(&Node::Subsystem(id))
        || (parents.contains(&id) && tree.get(id).children.iter().any(|c| reaches(tree, *c, parents, shown)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_from_arguments() {
        let options = SubsystemOptions::from_json(&json!({"depth": 2, "subsystem": " А.Б ", "outside": true})).unwrap();
        assert_eq!(options, SubsystemOptions { depth: 2, subsystem: Some("А.Б".into()), outside: true, limit: 80 });
        assert_eq!(SubsystemOptions::from_json(&json!({"level": "subsystem"})), Ok(SubsystemOptions::default()));
        assert!(SubsystemOptions::from_json(&json!({"depth": 0})).unwrap_err().contains("`depth`"));
        assert!(SubsystemOptions::from_json(&json!({"limit": "many"})).unwrap_err().contains("`limit`"));
        assert!(SubsystemOptions::from_json(&json!({"subsystem": ""})).unwrap_err().contains("`subsystem`"));
        assert!(SubsystemOptions::from_json(&json!({"outside": 1})).unwrap_err().contains("`outside`"));
    }

    #[test]
    fn one_side_for_many_modules() {
        let set = |codes: &[u8]| codes.iter().copied().collect::<BTreeSet<u8>>();
        assert_eq!(combined_side(&set(&[])), Side::Unknown);
        assert_eq!(combined_side(&set(&[0])), Side::Client);
        assert_eq!(combined_side(&set(&[1])), Side::Server);
        assert_eq!(combined_side(&set(&[1, 2])), Side::ServerCall);
        assert_eq!(combined_side(&set(&[0, 1])), Side::Both);
        assert_eq!(combined_side(&set(&[3])), Side::Both);
    }
}

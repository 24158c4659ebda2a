//! The architect: who calls whom across the workspace. Builds the module dependency graph
//! from the index's call sites (common, manager and OneScript modules called by name, and
//! bare calls of global common modules' methods), finds dependency cycles, and draws a
//! module's neighbourhood or the workspace's core as a Mermaid diagram, each module styled
//! by where its code runs (client, server, server call, both) so the boundary shows. The
//! same graph folded onto subsystems is in [`super::subsystems`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use bsl_analysis::ModuleKind;
use bsl_analysis::workspace::xref::fold_hash;
use bsl_analysis::workspace::{ModuleInfo, Qualifier, WorkspaceIndex};
use bsl_syntax::CompilationDirective;

/// Calls between modules: `edges[(from, to)]` counts the call sites in `from` that reach
/// `to`. Only calls that leave a module are kept.
#[derive(Debug, Default, Clone)]
pub struct DependencyGraph {
    pub edges: BTreeMap<(PathBuf, PathBuf), u32>,
    /// Of those, the call sites in client code: a client-only module, or a method marked
    /// `&НаКлиенте` (forms, commands). Edges without any are absent.
    pub client_calls: BTreeMap<(PathBuf, PathBuf), u32>,
}

/// Whether the call at `offset` is made from client code of `module`, whose side is `side`.
fn called_from_client(module: &ModuleInfo, side: Side, offset: u32) -> bool {
    if side == Side::Client {
        return true;
    }
    let methods = &module.methods;
    let i = methods.partition_point(|m| m.range.start <= offset);
    i > 0 && methods[i - 1].range.contains(&offset) && methods[i - 1].directive == Some(CompilationDirective::AtClient)
}

/// How a module is named in diagrams and reports: `ОбщегоНазначения`,
/// `Справочник.Валюты (менеджер)`, `Документ.Заказ (объект)`, a OneScript module's name.
pub fn display_name(module: &ModuleInfo) -> String {
    let object = module.location.as_ref().and_then(|l| l.object.as_ref());
    match (module.kind, object) {
        (ModuleKind::Common, Some(o)) => o.name.clone(),
        (kind, Some(o)) => format!("{}.{} ({})", o.kind.name_ru(), o.name, kind_label(kind)),
        _ => module.name.clone(),
    }
}

fn kind_label(kind: ModuleKind) -> &'static str {
    match kind {
        ModuleKind::Manager => "менеджер",
        ModuleKind::Object => "объект",
        ModuleKind::Form => "форма",
        ModuleKind::Command => "команда",
        ModuleKind::RecordSet => "набор записей",
        ModuleKind::ValueManager => "менеджер значения",
        _ => "модуль",
    }
}

impl DependencyGraph {
    /// Reads the graph off the index: no module is parsed.
    pub fn build(index: &WorkspaceIndex) -> DependencyGraph {
        // Which module a qualifier names, and which global module owns a bare call.
        let mut by_qualifier: HashMap<u64, &Path> = HashMap::new();
        let mut global_methods: HashMap<u64, &Path> = HashMap::new();
        for module in index.modules() {
            let object = module.location.as_ref().and_then(|l| l.object.as_ref());
            match (module.kind, object) {
                (ModuleKind::Common, Some(o)) => {
                    by_qualifier.insert(Qualifier::Name(o.name.clone()).key(), &module.path);
                    if index.common_module(&o.name).and_then(|m| m.flags).is_some_and(|f| f.global) {
                        for m in module.exported_methods() {
                            global_methods.insert(fold_hash(&[&m.name]), &module.path);
                        }
                    }
                }
                (ModuleKind::Manager, Some(o)) => {
                    by_qualifier.insert(Qualifier::Manager(o.kind, o.name.clone()).key(), &module.path);
                }
                (ModuleKind::OneScriptModule, _) => {
                    by_qualifier.insert(Qualifier::Name(module.name.clone()).key(), &module.path);
                }
                _ => {}
            }
        }
        let mut graph = DependencyGraph::default();
        for module in index.modules() {
            let own: HashSet<u64> = module.methods.iter().map(|m| fold_hash(&[&m.name])).collect();
            let side = side_of(index, &module.path);
            for call in &module.calls {
                let target = if call.qualifier == 0 {
                    if own.contains(&call.name) {
                        continue;
                    }
                    global_methods.get(&call.name)
                } else {
                    by_qualifier.get(&call.qualifier)
                };
                let Some(target) = target else { continue };
                if *target == module.path.as_path() {
                    continue;
                }
                let key = (module.path.clone(), target.to_path_buf());
                if called_from_client(module, side, call.start) {
                    *graph.client_calls.entry(key.clone()).or_default() += 1;
                }
                *graph.edges.entry(key).or_default() += 1;
            }
        }
        graph
    }

    /// Modules that call into `path`, with the number of call sites, most first.
    pub fn callers_of(&self, path: &Path) -> Vec<(&Path, u32)> {
        let mut out: Vec<_> =
            self.edges.iter().filter(|((_, to), _)| to == path).map(|((f, _), n)| (f.as_path(), *n)).collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        out
    }

    /// Modules `path` calls into, with the number of call sites, most first.
    pub fn callees_of(&self, path: &Path) -> Vec<(&Path, u32)> {
        let mut out: Vec<_> =
            self.edges.iter().filter(|((f, _), _)| f == path).map(|((_, t), n)| (t.as_path(), *n)).collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        out
    }

    /// Distinct modules calling each module (fan-in), most first.
    pub fn fan_in(&self) -> Vec<(&Path, usize)> {
        let mut counts: BTreeMap<&Path, usize> = BTreeMap::new();
        for (_, to) in self.edges.keys() {
            *counts.entry(to.as_path()).or_default() += 1;
        }
        let mut out: Vec<_> = counts.into_iter().collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        out
    }

    /// Distinct modules each module calls (fan-out), most first.
    pub fn fan_out(&self) -> Vec<(&Path, usize)> {
        let mut counts: BTreeMap<&Path, usize> = BTreeMap::new();
        for (from, _) in self.edges.keys() {
            *counts.entry(from.as_path()).or_default() += 1;
        }
        let mut out: Vec<_> = counts.into_iter().collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        out
    }

    /// Groups of modules that depend on each other in a circle (strongly connected
    /// components of two or more modules), largest first. Tarjan's algorithm, iterative so
    /// a long chain cannot overflow the stack.
    pub fn cycles(&self) -> Vec<Vec<&Path>> {
        let mut nodes: Vec<&Path> = Vec::new();
        let mut id: HashMap<&Path, usize> = HashMap::new();
        for (from, to) in self.edges.keys() {
            for p in [from.as_path(), to.as_path()] {
                if !id.contains_key(p) {
                    id.insert(p, nodes.len());
                    nodes.push(p);
                }
            }
        }
        let mut adjacency = vec![Vec::new(); nodes.len()];
        for (from, to) in self.edges.keys() {
            adjacency[id[from.as_path()]].push(id[to.as_path()]);
        }
        let n = nodes.len();
        let (mut index, mut low, mut on_stack) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
        let (mut stack, mut next, mut components) = (Vec::new(), 0, Vec::new());
        for root in 0..n {
            if index[root] != usize::MAX {
                continue;
            }
            let mut work = vec![(root, 0usize)];
            while let Some(&mut (v, ref mut child)) = work.last_mut() {
                if *child == 0 && index[v] == usize::MAX {
                    index[v] = next;
                    low[v] = next;
                    next += 1;
                    stack.push(v);
                    on_stack[v] = true;
                }
                if let Some(&w) = adjacency[v].get(*child) {
                    *child += 1;
                    if index[w] == usize::MAX {
                        work.push((w, 0));
                    } else if on_stack[w] {
                        low[v] = low[v].min(index[w]);
                    }
                    continue;
                }
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    let mut component = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        component.push(nodes[w]);
                        if w == v {
                            break;
                        }
                    }
                    if component.len() > 1 {
                        component.sort();
                        components.push(component);
                    }
                }
            }
        }
        components.sort_by(|a: &Vec<&Path>, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        components
    }
}

/// A Mermaid flowchart builder with safe node ids and quoted labels.
struct Mermaid {
    lines: Vec<String>,
    ids: HashMap<PathBuf, String>,
}

impl Mermaid {
    fn new() -> Self {
        Mermaid { lines: vec!["flowchart LR".into()], ids: HashMap::new() }
    }

    fn node(&mut self, index: &WorkspaceIndex, path: &Path, emphasis: bool) -> String {
        if let Some(id) = self.ids.get(path) {
            return id.clone();
        }
        let id = format!("m{}", self.ids.len());
        let label = index.module(path).map(display_name).unwrap_or_else(|| path.display().to_string());
        let label = label.replace('"', "'");
        let side = side_of(index, path);
        let shape = if emphasis { format!("[[\"{label}\"]]") } else { format!("[\"{label}\"]") };
        self.lines.push(format!("    {id}{shape}:::{}", side.class()));
        self.ids.insert(path.to_path_buf(), id.clone());
        id
    }

    fn edge(&mut self, from: &str, to: &str, calls: u32) {
        self.lines.push(format!("    {from} -->|{calls}| {to}"));
    }

    /// The diagram with the client/server legend: each node is styled by where its code runs.
    fn finish(self) -> String {
        let mut text = self.lines.join("\n");
        text.push('\n');
        text.push_str(&class_defs());
        text
    }
}

/// The Mermaid class of each side, one `classDef` line each: the legend every diagram shares.
pub(crate) fn class_defs() -> String {
    [Side::Client, Side::Server, Side::ServerCall, Side::Both, Side::Unknown]
        .iter()
        .map(|side| format!("    classDef {} {}\n", side.class(), side.style()))
        .collect()
}

/// Where a module's code runs, for the diagram's client/server boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Client only: client common modules, the application module, commands.
    Client,
    /// Server only, not callable from the client.
    Server,
    /// A server module the client may call (`Вызов сервера`).
    ServerCall,
    /// Client and server: forms, client-server common modules.
    Both,
    Unknown,
}

impl Side {
    /// The Mermaid class that styles it.
    pub fn class(self) -> &'static str {
        match self {
            Side::Client => "client",
            Side::Server => "server",
            Side::ServerCall => "servercall",
            Side::Both => "both",
            Side::Unknown => "unknown",
        }
    }

    fn style(self) -> &'static str {
        match self {
            Side::Client => "fill:#e3f2fd,stroke:#1565c0",
            Side::Server => "fill:#fff3e0,stroke:#e65100",
            Side::ServerCall => "fill:#fff3e0,stroke:#e65100,stroke-width:3px,stroke-dasharray:4 2",
            Side::Both => "fill:#ede7f6,stroke:#4527a0",
            Side::Unknown => "fill:#f5f5f5,stroke:#757575",
        }
    }
}

/// Where the module at `path` runs, from its kind and, for common modules, their flags.
pub fn side_of(index: &WorkspaceIndex, path: &Path) -> Side {
    let Some(module) = index.module(path) else { return Side::Unknown };
    match module.kind {
        ModuleKind::Common => match index.common_module(&module.name).and_then(|m| m.flags) {
            Some(f) => {
                let client = f.client_managed_application || f.client_ordinary_application;
                match (client, f.server, f.server_call) {
                    (true, true, _) => Side::Both,
                    (true, false, _) => Side::Client,
                    (false, true, true) => Side::ServerCall,
                    (false, true, false) => Side::Server,
                    _ => Side::Unknown,
                }
            }
            None => Side::Unknown,
        },
        ModuleKind::ManagedApplication | ModuleKind::OrdinaryApplication | ModuleKind::Command => Side::Client,
        ModuleKind::Form => Side::Both,
        ModuleKind::Object
        | ModuleKind::Manager
        | ModuleKind::RecordSet
        | ModuleKind::ValueManager
        | ModuleKind::Session
        | ModuleKind::ExternalConnection => Side::Server,
        _ => Side::Unknown,
    }
}

/// The module at `path`, the modules that call it and those it calls (at most `limit`
/// each, by number of call sites), as a Mermaid flowchart. Edge labels count call sites.
pub fn module_diagram(index: &WorkspaceIndex, graph: &DependencyGraph, path: &Path, limit: usize) -> String {
    let mut m = Mermaid::new();
    let center = m.node(index, path, true);
    for (caller, calls) in graph.callers_of(path).into_iter().take(limit) {
        let id = m.node(index, caller, false);
        m.edge(&id, &center, calls);
    }
    for (callee, calls) in graph.callees_of(path).into_iter().take(limit) {
        let id = m.node(index, callee, false);
        m.edge(&center, &id, calls);
    }
    m.finish()
}

/// The workspace's core: the `limit` modules most modules depend on, and the calls among
/// them, as a Mermaid flowchart.
pub fn workspace_diagram(index: &WorkspaceIndex, graph: &DependencyGraph, limit: usize) -> String {
    let core: HashSet<&Path> = graph.fan_in().into_iter().take(limit).map(|(p, _)| p).collect();
    let mut m = Mermaid::new();
    let mut ordered: Vec<&Path> = core.iter().copied().collect();
    ordered.sort();
    for p in &ordered {
        m.node(index, p, false);
    }
    for ((from, to), calls) in &graph.edges {
        if core.contains(from.as_path()) && core.contains(to.as_path()) {
            let (a, b) = (m.node(index, from, false), m.node(index, to, false));
            m.edge(&a, &b, *calls);
        }
    }
    m.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index_of(files: &[(&str, &str)]) -> WorkspaceIndex {
        let mut index = WorkspaceIndex::new();
        for (path, text) in files {
            index.add_module_text(Path::new(path), text);
        }
        index
    }

    #[test]
    fn builds_edges_between_named_modules_and_finds_cycles() {
        let index = index_of(&[
            ("/p/CommonModules/А/Ext/Module.bsl", "Процедура Ф() Экспорт\n Б.Г();\n Б.Г();\nКонецПроцедуры\n"),
            ("/p/CommonModules/Б/Ext/Module.bsl", "Процедура Г() Экспорт\n А.Ф();\n В.Х();\nКонецПроцедуры\n"),
            ("/p/CommonModules/В/Ext/Module.bsl", "Процедура Х() Экспорт\n Х();\nКонецПроцедуры\n"),
        ]);
        let graph = DependencyGraph::build(&index);
        let a = Path::new("/p/CommonModules/А/Ext/Module.bsl");
        let b = Path::new("/p/CommonModules/Б/Ext/Module.bsl");
        assert_eq!(graph.edges.get(&(a.to_path_buf(), b.to_path_buf())), Some(&2));
        assert_eq!(graph.edges.len(), 3, "{:?}", graph.edges);
        assert_eq!(graph.cycles(), vec![vec![a, b]]);
        let diagram = module_diagram(&index, &graph, b, 10);
        assert!(diagram.starts_with("flowchart LR\n"), "{diagram}");
        assert!(diagram.contains("[[\"Б\"]]:::unknown"), "{diagram}");
        assert!(diagram.contains("classDef servercall "), "{diagram}");
        assert!(diagram.contains("-->|2|"), "{diagram}");
        assert!(workspace_diagram(&index, &graph, 10).contains("-->|1|"));
    }

    #[test]
    fn counts_calls_from_client_code() {
        let form = "/p/Catalogs/Т/Forms/Ф/Ext/Form/Module.bsl";
        let index = index_of(&[
            ("/p/CommonModules/А/Ext/Module.bsl", "Процедура Ф() Экспорт\nКонецПроцедуры\n"),
            (
                form,
                "&НаКлиенте\nПроцедура К()\n А.Ф();\n А.Ф();\nКонецПроцедуры\n\n&НаСервере\nПроцедура С()\n А.Ф();\nКонецПроцедуры\n",
            ),
        ]);
        let graph = DependencyGraph::build(&index);
        let key = (PathBuf::from(form), PathBuf::from("/p/CommonModules/А/Ext/Module.bsl"));
        assert_eq!(graph.edges.get(&key), Some(&3));
        assert_eq!(graph.client_calls.get(&key), Some(&2));
    }
}

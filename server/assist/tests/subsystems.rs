//! The architect's subsystem diagrams on data: the fixture workspaces with nested subsystems
//! (`server/analysis/tests/fixtures/workspace/subsystems/{designer,edt}`) loaded by the real
//! loader and drawn at several levels, compared with `tests/fixtures/subsystems/*.expected`
//! (`UPDATE_EXPECT=1` rewrites them); then the shared corpus: SSL 3.1, whose dump keeps only
//! the top-level subsystems' files, and YAxUnit, whose EDT projects keep all of them.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use bsl_analysis::workspace::WorkspaceIndex;
use bsl_assistant::roles::architect::DependencyGraph;
use bsl_assistant::roles::subsystems::{SubsystemDiagram, SubsystemOptions, subsystem_diagram};

fn manifest() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn load(root: &Path) -> WorkspaceIndex {
    let root = root.canonicalize().unwrap_or_else(|e| panic!("{}: {e}", root.display()));
    let projects = bsl_workspace::discover(&[root]);
    bsl_workspace::load(&projects, |_, _| {})
}

/// Compares with `tests/fixtures/subsystems/<name>`, or writes it under `UPDATE_EXPECT`.
fn check_expected(name: &str, actual: &str) {
    let path = manifest().join("tests/fixtures/subsystems").join(name);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != actual {
        panic!("{name} differs (UPDATE_EXPECT=1 rewrites it):\n--- expected\n{expected}\n--- actual\n{actual}");
    }
}

fn options(depth: usize, subsystem: Option<&str>, outside: bool) -> SubsystemOptions {
    SubsystemOptions { depth, subsystem: subsystem.map(String::from), outside, ..SubsystemOptions::default() }
}

fn render(diagram: &SubsystemDiagram, root: &Path) -> String {
    let mut out = format!("# {}\n{}", diagram.title, diagram.mermaid);
    for note in &diagram.notes {
        // Paths in notes are the machine's; keep them relative.
        let note = note.replace(&format!("{}/", root.display()), "");
        writeln!(out, "note: {note}").unwrap();
    }
    out
}

/// The edge between two subsystems: (calls, of them from client code into the server).
fn edge(diagram: &SubsystemDiagram, from: &str, to: &str) -> Option<(u32, u32)> {
    diagram.edges.iter().find(|(a, b, _)| a == from && b == to).map(|(_, _, e)| (e.calls, e.client_to_server))
}

fn fixture(layout: &str) -> (PathBuf, WorkspaceIndex) {
    let root = manifest().join("../analysis/tests/fixtures/workspace/subsystems").join(layout).canonicalize().unwrap();
    let index = load(&root);
    (root, index)
}

#[test]
fn designer_fixture_at_every_level() {
    let (root, index) = fixture("designer");
    let graph = DependencyGraph::build(&index);
    let mut out = String::new();
    let variants = [
        options(1, None, false),
        options(2, None, false),
        options(3, None, true),
        options(1, Some("Торговля"), false),
        options(2, Some("торговля.продажи"), false),
    ];
    for variant in &variants {
        let diagram = subsystem_diagram(&index, &graph, variant).unwrap();
        writeln!(out, "{}", render(&diagram, &root)).unwrap();
    }
    check_expected("designer.expected", &out);

    let top = subsystem_diagram(&index, &graph, &options(1, None, false)).unwrap();
    assert_eq!((top.subsystems, top.max_depth, top.nodes), (8, 3, 2));
    // Sales' client module and its form's `&НаКлиенте` method call the server-call module.
    assert_eq!(edge(&top, "Торговля", "Сервис"), Some((6, 2)));
    assert_eq!(top.edges.len(), 1, "{:?}", top.edges);
    let second = subsystem_diagram(&index, &graph, &options(2, None, false)).unwrap();
    // `ОбщегоНазначения` sits in both Сервис and Торговля.Закупки: the log module's call of it
    // counts for both, a call from Закупки stays inside Закупки.
    assert_eq!(edge(&second, "Сервис.Журнал", "Сервис"), Some((1, 0)));
    assert_eq!(edge(&second, "Сервис.Журнал", "Торговля.Закупки"), Some((1, 0)));
    assert_eq!(edge(&second, "Торговля.Закупки", "Сервис"), None);
    let outside = subsystem_diagram(&index, &graph, &options(3, None, true)).unwrap();
    assert_eq!(edge(&outside, "Торговля.Продажи", "Вне подсистем"), Some((1, 0)));
    assert_eq!(edge(&outside, "Вне подсистем", "Сервис.Журнал"), Some((1, 0)));
    let error = subsystem_diagram(&index, &graph, &options(1, Some("Нет"), false)).unwrap_err();
    assert!(error.contains("Сервис, Торговля"), "{error}");
}

#[test]
fn edt_fixture_at_every_level() {
    let (root, index) = fixture("edt");
    let graph = DependencyGraph::build(&index);
    let mut out = String::new();
    for variant in [options(1, None, false), options(3, None, false), options(2, Some("Склад"), false)] {
        let diagram = subsystem_diagram(&index, &graph, &variant).unwrap();
        writeln!(out, "{}", render(&diagram, &root)).unwrap();
    }
    check_expected("edt.expected", &out);

    // `Учет` sits in Склад.Учет and Финансы.Учет; `Деньги` in Финансы.
    let top = subsystem_diagram(&index, &graph, &options(1, None, false)).unwrap();
    assert_eq!(top.subsystems, 5);
    // The client module calls Финансы' server-call module.
    assert_eq!(edge(&top, "Склад", "Финансы"), Some((4, 1)), "{:?}", top.edges);
    assert_eq!(edge(&top, "Финансы", "Склад"), None);
    let deep = subsystem_diagram(&index, &graph, &options(3, None, false)).unwrap();
    assert!(edge(&deep, "Склад.Учет.Партии", "Финансы").is_some(), "{:?}", deep.edges);
}

fn corpus(name: &str) -> Option<PathBuf> {
    let dir = manifest().join("../../../shared/corpus").join(name);
    if dir.exists() {
        Some(dir)
    } else {
        eprintln!("no corpus at {}", dir.display());
        None
    }
}

/// SSL's dump has files for the three top-level subsystems only; only Администрирование
/// lists content (94 objects). The nested ones are drawn from their parents' lists, and the
/// calls into code outside any subsystem show with `outside`.
#[test]
fn ssl_subsystem_diagram() {
    let Some(dir) = corpus("ssl_3_1") else { return };
    let index = load(&dir);
    let started = Instant::now();
    let graph = DependencyGraph::build(&index);
    let modules = started.elapsed();
    let top = subsystem_diagram(&index, &graph, &options(1, None, false)).unwrap();
    let subsystems = started.elapsed() - modules;
    let second = subsystem_diagram(&index, &graph, &options(2, None, false)).unwrap();
    let with_outside = subsystem_diagram(&index, &graph, &options(1, None, true)).unwrap();
    eprintln!(
        "SSL: {} subsystems, depth {}, module graph {modules:?}, subsystem diagram {subsystems:?}; top level {} nodes {} edges, depth 2 {} nodes {} edges, with outside {} edges",
        top.subsystems,
        top.max_depth,
        top.nodes,
        top.edges.len(),
        second.nodes,
        second.edges.len(),
        with_outside.edges.len()
    );
    assert_eq!((top.subsystems, top.max_depth), (74, 2));
    assert_eq!(top.nodes, 3);
    // Every subsystem; СтандартныеПодсистемы is only a subgraph (it holds nothing itself).
    assert_eq!(second.nodes, 73);
    assert!(second.mermaid.contains("БазоваяФункциональность (без описания)"), "{}", second.mermaid);
    assert!(second.notes.iter().any(|n| n.contains("неизвестен: 71 (")), "{:?}", second.notes);
    // No two subsystems with content: no edges between them, the rest is outside.
    assert!(top.edges.is_empty(), "{:?}", top.edges);
    let (calls_out, _) = edge(&with_outside, "Администрирование", "Вне подсистем").unwrap();
    let (calls_in, _) = edge(&with_outside, "Вне подсистем", "Администрирование").unwrap();
    assert!(calls_out > 100 && calls_in > 10, "{calls_out} {calls_in}");
    assert!(subsystems.as_secs_f64() < 5.0, "{subsystems:?}");
}

/// YAxUnit's extension keeps nested subsystems with their content: its engine's parts call
/// each other, and the public API calls the engine.
#[test]
fn yaxunit_subsystem_diagram() {
    let Some(dir) = corpus("yaxunit") else { return };
    let index = load(&dir);
    let graph = DependencyGraph::build(&index);
    let top = subsystem_diagram(&index, &graph, &options(1, None, false)).unwrap();
    let second = subsystem_diagram(&index, &graph, &options(2, None, false)).unwrap();
    let engine = subsystem_diagram(&index, &graph, &options(1, Some("ЮТДвижок"), false)).unwrap();
    eprintln!(
        "YAxUnit: {} subsystems, depth {}; top level {} edges, depth 2 {} edges, inside ЮТДвижок {} edges",
        top.subsystems,
        top.max_depth,
        top.edges.len(),
        second.edges.len(),
        engine.edges.len()
    );
    assert_eq!((top.subsystems, top.max_depth), (34, 3));
    assert!(edge(&top, "ЮТПубличный", "ЮТДвижок").is_some_and(|(calls, _)| calls > 10), "{:?}", top.edges);
    assert!(edge(&second, "ЮТДвижок.ЮТИсполнитель", "ЮТДвижок.ЮТСервис").is_some(), "{:?}", second.edges);
    assert!(engine.mermaid.contains("subgraph"), "{}", engine.mermaid);
    assert!(engine.edges.iter().any(|(a, b, _)| a.starts_with("ЮТДвижок.") && b.starts_with("ЮТДвижок.")));
}

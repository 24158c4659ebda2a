//! b_metrics: per-method metrics from the tree: cyclomatic and cognitive complexity, the
//! deepest nesting of control-flow statements, lines and parameters.
//!
//! # Cyclomatic complexity
//!
//! The number of independent paths through a method: 1, plus one for every place where
//! execution may take one of two ways:
//!
//! * `Если` and each `ИначеЕсли` (`Иначе` adds no decision: it is the other way of the
//!   last condition);
//! * each loop: `Пока`, `Для`, `Для Каждого`;
//! * `Исключение`: the handler is a second path out of every statement of the `Попытка`
//!   body, so it counts as one decision (as BSL Language Server and most tools for
//!   languages with `catch` do);
//! * each ternary `?(...)`;
//! * each `И`/`ИЛИ`, wherever it stands: the platform evaluates them lazily, so each one
//!   is a branch, in a condition or in an assignment alike.
//!
//! `Перейти` adds nothing: an unconditional jump opens no new path. `Прервать`,
//! `Продолжить`, `Возврат` and `ВызватьИсключение` add nothing either.
//!
//! # Cognitive complexity
//!
//! SonarSource's definition (G. Ann Campbell, "Cognitive Complexity", 2017) applied to BSL:
//!
//! * **+1** for each `Если`, ternary `?(...)`, loop (`Пока`, `Для`, `Для Каждого`) and
//!   `Исключение`, plus **the current nesting level** on top of it;
//! * **+1** for each `ИначеЕсли` and `Иначе`, without a nesting increment (the reader is
//!   already in the structure);
//! * **+1** for each `Перейти ~Метка` (a jump breaks the linear reading);
//! * **+1** for each sequence of like boolean operators: `А И Б И В` is +1, `А И Б ИЛИ В`
//!   is +2, `А ИЛИ Б И В` is +2. Parentheses do not end a sequence (`А И (Б И В)` is +1);
//!   `НЕ` does (`А И НЕ (Б И В)` is +2), as in Sonar's reference implementation;
//! * **+1** for each direct recursive call (a call by the method's own name, not through a
//!   module or object: `Модуль.Имя()` is another method);
//! * the nesting level grows inside the bodies of `Если`/`ИначеЕсли`/`Иначе`, of loops and
//!   of `Исключение`, and inside the arguments of a ternary. The `Попытка` body does not
//!   nest: it is read as straight code, exactly as Sonar treats `try`. Conditions are read
//!   at the level of their statement.
//!
//! `Прервать`, `Продолжить`, `Возврат` and `ВызватьИсключение` add nothing. Preprocessor
//! lines (`#Если`) are not counted: they are outside the tree's statements and rarely
//! stand inside methods.
//!
//! # Nesting
//!
//! The nesting depth of control-flow statements (`Если`, `Пока`, `Для`, `Для Каждого`,
//! `Попытка`): a method whose body holds one `Если` has depth 1, an `Если` inside a loop
//! makes 2. `ИначеЕсли`/`Иначе` branches are part of their `Если`. This is the measure of
//! Sonar's RSPEC-134 that the NestedStatements rule checks.
//!
//! # Lines and parameters
//!
//! Lines are counted from the `Процедура`/`Функция` (or `Асинх`) keyword to the end
//! keyword, both included, blank and comment lines too. Parameters are all declared
//! parameters; optional ones are those with a default value.
//!
//! Everything here is one iterative walk of the method (no recursion on the tree, so a
//! long chain of `+` cannot exhaust the stack) and never panics on incomplete trees.

use bsl_syntax::NodeExt;
use std::ops::Range;

use bsl_syntax::keywords::eq_ignore_case;
use tree_sitter::Node;

use crate::rules::flat::Flat;

/// The measures of one method.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MethodMetrics {
    pub cyclomatic: u32,
    pub cognitive: u32,
    /// The deepest nesting of control-flow statements (0 for straight code).
    pub max_nesting: u32,
    pub lines: u32,
    pub parameters: u32,
    /// Parameters with a default value.
    pub optional_parameters: u32,
}

/// What a cognitive-complexity increment is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncrementKind {
    If,
    ElseIf,
    Else,
    Loop,
    Except,
    Ternary,
    Goto,
    /// A sequence of like boolean operators (`И` or `ИЛИ`).
    BooleanSequence,
    Recursion,
}

impl IncrementKind {
    /// Whether the structure pays for the nesting level it stands at.
    pub fn takes_nesting(self) -> bool {
        matches!(self, Self::If | Self::Loop | Self::Except | Self::Ternary)
    }
}

/// One cognitive-complexity increment, where it happens and how much it costs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CognitiveIncrement {
    /// The keyword or operator that causes it.
    pub range: Range<usize>,
    pub kind: IncrementKind,
    /// The nesting level at that place.
    pub nesting: u32,
}

impl CognitiveIncrement {
    pub fn amount(&self) -> u32 {
        if self.kind.takes_nesting() { 1 + self.nesting } else { 1 }
    }
}

/// The node kinds that count for nesting depth.
pub const CONTROL_FLOW_KINDS: &[&str] =
    &["if_statement", "while_statement", "for_statement", "for_each_statement", "try_statement"];

/// Every metric of a `method_declaration` node. `text` is the module's text.
pub fn method_metrics(method: Node<'_>, text: &str) -> MethodMetrics {
    let flat = Flat::build(method);
    let mut walk = Walk::new(&flat, 0, text, false);
    walk.run();
    let (parameters, optional_parameters) = parameter_counts(method);
    MethodMetrics {
        cyclomatic: walk.cyclomatic,
        cognitive: walk.cognitive,
        max_nesting: walk.max_depth,
        lines: method_lines(method, text),
        parameters,
        optional_parameters,
    }
}

/// The cognitive-complexity increments of a method, in document order (their amounts add
/// up to [`MethodMetrics::cognitive`]): what a code lens or a hover explains.
pub fn cognitive_increments(method: Node<'_>, text: &str) -> Vec<CognitiveIncrement> {
    let flat = Flat::build(method);
    let mut walk = Walk::new(&flat, 0, text, true);
    walk.run();
    let mut increments = walk.increments;
    increments.sort_by_key(|i| (i.range.start, i.range.end));
    increments
}

/// The cyclomatic complexity and the cognitive increments of a method from one walk, the
/// increments' ranges relative to the method's start (so the value can be kept while the
/// method moves): what [`method_metrics`] and [`cognitive_increments`] would say.
pub fn complexities(method: Node<'_>, text: &str) -> (u32, Vec<CognitiveIncrement>) {
    complexities_flat(&Flat::build(method), 0, text)
}

/// [`complexities`] of the method at `at` of a flat list (read from the list, not walked).
pub fn complexities_flat(flat: &Flat<'_>, at: usize, text: &str) -> (u32, Vec<CognitiveIncrement>) {
    let mut walk = Walk::new(flat, at, text, true);
    walk.run();
    let mut increments = walk.increments;
    increments.sort_by_key(|i| (i.range.start, i.range.end));
    let start = flat.nodes[at].node.start_byte();
    for increment in &mut increments {
        increment.range = increment.range.start - start..increment.range.end - start;
    }
    (walk.cyclomatic, increments)
}

/// The key of the memo of [`complexities`] shared by the complexity rules.
pub const COMPLEXITIES: &str = "b_metrics::complexities";

/// [`complexities`] of a method handed to a rule, shared by the complexity rules (one
/// walk per method text), read from the method's flat list.
pub fn shared_complexities(
    ctx: &crate::rules::RuleContext<'_, '_>,
    method: Node<'_>,
) -> std::sync::Arc<(u32, Vec<CognitiveIncrement>)> {
    let here = ctx.locate(method);
    let text = ctx.text();
    ctx.memo_shared(COMPLEXITIES, method, |n| match here {
        Some((flat, at)) => complexities_flat(flat, at, text),
        None => complexities(n, text),
    })
}

/// The lines of a method from its `Процедура`/`Функция` (or `Асинх`) keyword to its end.
pub fn method_lines(method: Node<'_>, text: &str) -> u32 {
    let start = method
        .field("async")
        .or_else(|| method.field("kind"))
        .map_or(method.start_byte(), |n| n.start_byte());
    let end = method.end_byte().min(text.len());
    let start = start.min(end);
    text.get(start..end).map_or(1, |s| s.bytes().filter(|&b| b == b'\n').count() as u32 + 1)
}

/// All parameters and those with a default value.
pub fn parameter_counts(method: Node<'_>) -> (u32, u32) {
    let Some(parameters) = method.field("parameters") else { return (0, 0) };
    let mut cursor = parameters.walk();
    let mut all = 0;
    let mut optional = 0;
    for parameter in parameters.named_children(&mut cursor).filter(|p| p.kind_str() == "parameter") {
        all += 1;
        if parameter.field("default").is_some() {
            optional += 1;
        }
    }
    (all, optional)
}

/// How many control-flow statements (see [`CONTROL_FLOW_KINDS`]) enclose a node within its
/// method, the node itself included.
/// [`control_depth`] of the node at `at` of a flat list.
pub fn control_depth_flat(flat: &crate::rules::flat::Flat<'_>, at: usize) -> u32 {
    let mut depth = u32::from(CONTROL_FLOW_KINDS.contains(&flat.nodes[at].kind_str()));
    let mut current = flat.parent(at);
    while let Some(n) = current {
        let kind = flat.nodes[n].kind_str();
        if kind == "method_declaration" {
            break;
        }
        if CONTROL_FLOW_KINDS.contains(&kind) {
            depth += 1;
        }
        current = flat.parent(n);
    }
    depth
}

pub fn control_depth(node: Node<'_>) -> u32 {
    let mut depth = u32::from(CONTROL_FLOW_KINDS.contains(&node.kind_str()));
    let mut current = node.parent();
    while let Some(n) = current {
        if n.kind_str() == "method_declaration" {
            break;
        }
        if CONTROL_FLOW_KINDS.contains(&n.kind_str()) {
            depth += 1;
        }
        current = n.parent();
    }
    depth
}

/// Whether a binary expression is `И`/`ИЛИ`, and which.
pub fn logical_operator(node: Node<'_>) -> Option<&'static str> {
    if node.kind_str() != "binary_expression" {
        return None;
    }
    match node.field("operator")?.kind_str() {
        "and" => Some("and"),
        "or" => Some("or"),
        _ => None,
    }
}

/// The number of `И`/`ИЛИ` operators anywhere in an expression (through parentheses, `НЕ`,
/// call arguments and ternaries).
pub fn boolean_operator_count(expression: Node<'_>) -> u32 {
    let mut count = 0;
    let mut stack = vec![expression];
    while let Some(node) = stack.pop() {
        if logical_operator(node).is_some() {
            count += 1;
        }
        let mut cursor = node.walk();
        stack.extend(node.named_children(&mut cursor).filter(|c| !c.is_extra()));
    }
    count
}

/// The walk behind the complexities, over a method's flat list: nodes are indices.
struct Walk<'f, 't, 's> {
    flat: &'f Flat<'t>,
    /// The method's index.
    method: usize,
    text: &'s str,
    name: Option<&'s str>,
    detailed: bool,
    cyclomatic: u32,
    cognitive: u32,
    max_depth: u32,
    increments: Vec<CognitiveIncrement>,
    /// Nodes still to visit: (index, cognitive nesting, control-flow depth).
    stack: Vec<(usize, u32, u32)>,
}

impl<'f, 't, 's> Walk<'f, 't, 's> {
    fn new(flat: &'f Flat<'t>, method: usize, text: &'s str, detailed: bool) -> Self {
        let name = flat.nodes[method].node.field("name").and_then(|n| text.get(n.byte_range()));
        Walk {
            flat,
            method,
            text,
            name,
            detailed,
            cyclomatic: 1,
            cognitive: 0,
            max_depth: 0,
            increments: Vec::new(),
            stack: Vec::new(),
        }
    }

    fn node(&self, at: usize) -> Node<'t> {
        self.flat.nodes[at].node
    }

    /// The index of the child of the node at `at` standing in `field`.
    fn field(&self, at: usize, field: &str) -> Option<usize> {
        let child = self.node(at).field(field)?;
        self.flat.children(at).find(|&c| self.flat.nodes[c].node.id() == child.id())
    }

    fn add(&mut self, range: Range<usize>, kind: IncrementKind, nesting: u32) {
        let increment = CognitiveIncrement { range, kind, nesting };
        self.cognitive += increment.amount();
        if self.detailed {
            self.increments.push(increment);
        }
    }

    /// The range of a statement's first keyword (the whole node if it has none): its first
    /// child, the next entry of the list.
    fn keyword(&self, at: usize) -> Range<usize> {
        let first = if self.flat.nodes[at].end as usize > at + 1 { at + 1 } else { at };
        self.node(first).byte_range()
    }

    fn push(&mut self, at: Option<usize>, nesting: u32, depth: u32) {
        if let Some(at) = at {
            self.stack.push((at, nesting, depth));
        }
    }

    /// The named children of the node at `at`, comments and preprocessor lines aside.
    fn named_children(&self, at: usize) -> impl Iterator<Item = usize> + use<'f, 't> {
        let flat = self.flat;
        flat.children(at).filter(move |&c| flat.nodes[c].named && !flat.nodes[c].extra)
    }

    fn push_children(&mut self, at: usize, nesting: u32, depth: u32) {
        // Pushed in reverse so that they are visited in document order.
        let from = self.stack.len();
        let named = self.named_children(at);
        self.stack.extend(named.map(|c| (c, nesting, depth)));
        self.stack[from..].reverse();
    }

    fn run(&mut self) {
        let body = self.field(self.method, "body");
        self.push(body, 0, 0);
        while let Some((at, nesting, depth)) = self.stack.pop() {
            self.visit(at, nesting, depth);
        }
    }

    /// Whether the node at `at` is an `И`/`ИЛИ` binary expression.
    fn is_logical(&self, at: usize) -> bool {
        self.flat.nodes[at].kind_str() == "binary_expression" && logical_operator(self.node(at)).is_some()
    }

    fn visit(&mut self, at: usize, nesting: u32, depth: u32) {
        let node = self.node(at);
        match self.flat.nodes[at].kind_str() {
            "if_statement" => {
                let inner = depth + 1;
                self.max_depth = self.max_depth.max(inner);
                self.cyclomatic += 1;
                self.add(self.keyword(at), IncrementKind::If, nesting);
                let mut cursor = node.walk();
                let alternatives: Vec<Node<'t>> = node.children_by_field_name("alternative", &mut cursor).collect();
                let alternatives: Vec<usize> = self
                    .flat
                    .children(at)
                    .filter(|&c| alternatives.iter().any(|a| a.id() == self.flat.nodes[c].node.id()))
                    .collect();
                for clause in alternatives.into_iter().rev() {
                    let kind = if self.flat.nodes[clause].kind_str() == "elsif_clause" {
                        self.cyclomatic += 1;
                        IncrementKind::ElseIf
                    } else {
                        IncrementKind::Else
                    };
                    self.add(self.keyword(clause), kind, nesting);
                    self.push(self.field(clause, "body"), nesting + 1, inner);
                    self.push(self.field(clause, "condition"), nesting, depth);
                }
                self.push(self.field(at, "consequence"), nesting + 1, inner);
                self.push(self.field(at, "condition"), nesting, depth);
            }
            "while_statement" | "for_statement" | "for_each_statement" => {
                let inner = depth + 1;
                self.max_depth = self.max_depth.max(inner);
                self.cyclomatic += 1;
                self.add(self.keyword(at), IncrementKind::Loop, nesting);
                self.push(self.field(at, "body"), nesting + 1, inner);
                for field in ["collection", "end", "start", "condition"] {
                    self.push(self.field(at, field), nesting, depth);
                }
            }
            "try_statement" => {
                let inner = depth + 1;
                self.max_depth = self.max_depth.max(inner);
                if let Some(handler) = self.field(at, "handler") {
                    self.cyclomatic += 1;
                    self.add(self.keyword(handler), IncrementKind::Except, nesting);
                    self.push(self.field(handler, "body"), nesting + 1, inner);
                }
                self.push(self.field(at, "body"), nesting, inner);
            }
            "ternary_expression" => {
                self.cyclomatic += 1;
                self.add(self.keyword(at), IncrementKind::Ternary, nesting);
                self.push_children(at, nesting + 1, depth);
            }
            "goto_statement" => {
                self.add(self.keyword(at), IncrementKind::Goto, nesting);
            }
            "binary_expression" if self.is_logical(at) => self.boolean_sequence(at, nesting, depth),
            "call_expression" => {
                if let (Some(name), Some(function)) = (self.name, node.field("function"))
                    && function.kind_str() == "identifier"
                    && self.text.get(function.byte_range()).is_some_and(|f| eq_ignore_case(f, name))
                {
                    self.add(function.byte_range(), IncrementKind::Recursion, nesting);
                }
                self.push_children(at, nesting, depth);
            }
            _ => self.push_children(at, nesting, depth),
        }
    }

    /// A maximal tree of `И`/`ИЛИ` (through parentheses): every operator is a decision;
    /// each change of operator in reading order starts a new sequence. Operands that are
    /// not part of it are walked on their own.
    fn boolean_sequence(&mut self, root: usize, nesting: u32, depth: u32) {
        // In-order traversal: operands and operators as they are read.
        let mut previous: Option<&'static str> = None;
        let mut operands = Vec::new();
        let mut pending = vec![root];
        while let Some(at) = pending.pop() {
            if self.is_logical(at) {
                // Visit left, operator, right: push in reverse.
                for field in ["right", "operator", "left"] {
                    if let Some(child) = self.field(at, field) {
                        pending.push(child);
                    }
                }
                continue;
            }
            match self.flat.nodes[at].kind_str() {
                operator @ ("and" | "or") => {
                    self.cyclomatic += 1;
                    if previous != Some(operator) {
                        self.add(self.node(at).byte_range(), IncrementKind::BooleanSequence, nesting);
                    }
                    previous = Some(operator);
                }
                "parenthesized_expression" => match self.named_children(at).next() {
                    Some(inner) if self.is_logical(inner) => pending.push(inner),
                    _ => operands.push(at),
                },
                _ => operands.push(at),
            }
        }
        for operand in operands.into_iter().rev() {
            self.stack.push((operand, nesting, depth));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bsl_syntax::Parse;

    fn with_method<T>(code: &str, f: impl FnOnce(Node<'_>, &str) -> T) -> T {
        let parse = Parse::new(code);
        let root = parse.root();
        let mut cursor = root.walk();
        let method = root.named_children(&mut cursor).find(|n| n.kind_str() == "method_declaration").expect("a method");
        f(method, parse.text())
    }

    fn metrics(code: &str) -> MethodMetrics {
        with_method(code, method_metrics)
    }

    #[test]
    fn straight_code() {
        let m = metrics("Процедура П()\n\tА = 1;\n\tБ = 2;\nКонецПроцедуры\n");
        assert_eq!(m, MethodMetrics { cyclomatic: 1, cognitive: 0, max_nesting: 0, lines: 4, ..Default::default() });
    }

    #[test]
    fn if_chain() {
        let code = "Функция Ф(А)
	Если А = 1 Тогда
		Возврат 1;
	ИначеЕсли А = 2 Тогда
		Возврат 2;
	Иначе
		Возврат 3;
	КонецЕсли;
КонецФункции";
        let m = metrics(code);
        assert_eq!(m.cyclomatic, 3);
        assert_eq!(m.cognitive, 3); // if +1, elsif +1, else +1
        assert_eq!(m.max_nesting, 1);
        assert_eq!(m.parameters, 1);
    }

    #[test]
    fn nesting_increments() {
        let code = "Процедура П(Список)
	Для Каждого Элемент Из Список Цикл     // +1
		Если Элемент = 1 Тогда              // +2 (nesting 1)
			Пока Истина Цикл                  // +3 (nesting 2)
				Х = ?(Элемент, 1, 2);          // +4 (nesting 3)
			КонецЦикла;
		КонецЕсли;
	КонецЦикла;
КонецПроцедуры";
        let m = metrics(code);
        assert_eq!(m.cognitive, 1 + 2 + 3 + 4);
        assert_eq!(m.cyclomatic, 5);
        assert_eq!(m.max_nesting, 3);
    }

    #[test]
    fn boolean_sequences() {
        let m = metrics("Процедура П()\n\tЕсли А И Б И В Тогда\n\tКонецЕсли;\nКонецПроцедуры");
        assert_eq!((m.cognitive, m.cyclomatic), (2, 4));
        let m = metrics("Процедура П()\n\tЕсли А И Б ИЛИ В Тогда\n\tКонецЕсли;\nКонецПроцедуры");
        assert_eq!((m.cognitive, m.cyclomatic), (3, 4));
        let m = metrics("Procedure P()\n\tIf A Or B And C Then\n\tEndIf;\nEndProcedure");
        assert_eq!((m.cognitive, m.cyclomatic), (3, 4));
        let m = metrics("Процедура П()\n\tЕсли А И (Б И В) Тогда\n\tКонецЕсли;\nКонецПроцедуры");
        assert_eq!(m.cognitive, 2);
        let m = metrics("Процедура П()\n\tЕсли А И НЕ (Б И В) Тогда\n\tКонецЕсли;\nКонецПроцедуры");
        assert_eq!(m.cognitive, 3);
        // Outside conditions too, and a comparison between them is an operand.
        let m = metrics("Процедура П()\n\tХ = А = 1 ИЛИ Б = 2 ИЛИ Ф(В И Г);\nКонецПроцедуры");
        assert_eq!((m.cognitive, m.cyclomatic), (2, 4));
    }

    #[test]
    fn try_except_and_goto() {
        let code = "Процедура П()
	Попытка
		Если А Тогда      // +1: the try body does not nest
			Б();
		КонецЕсли;
	Исключение           // +1
		Если В Тогда      // +2
			Перейти ~Конец; // +1
		КонецЕсли;
	КонецПопытки;
	~Конец:
КонецПроцедуры";
        let m = metrics(code);
        assert_eq!(m.cognitive, 5);
        assert_eq!(m.cyclomatic, 4);
        assert_eq!(m.max_nesting, 2);
    }

    #[test]
    fn recursion() {
        let code = "Функция Факториал(Н)
	Возврат ?(Н <= 1, 1, Н * факториал(Н - 1)) + Модуль.Факториал(1);
КонецФункции";
        let increments = with_method(code, cognitive_increments);
        let kinds: Vec<_> = increments.iter().map(|i| (i.kind, i.amount())).collect();
        assert_eq!(kinds, vec![(IncrementKind::Ternary, 1), (IncrementKind::Recursion, 1)]);
        assert_eq!(metrics(code).cognitive, 2);
    }

    #[test]
    fn increments_add_up() {
        let code = "Процедура П()
	Если А ИЛИ Б Тогда
		Для Сч = 1 По 2 Цикл
			Если В И Г Тогда
			ИначеЕсли Д Тогда
			КонецЕсли;
		КонецЦикла;
	КонецЕсли;
КонецПроцедуры";
        let total: u32 = with_method(code, cognitive_increments).iter().map(CognitiveIncrement::amount).sum();
        assert_eq!(total, metrics(code).cognitive);
        assert_eq!(total, 1 + 1 + 2 + 3 + 1 + 1);
    }

    #[test]
    fn parameters_and_lines() {
        let m = metrics("&НаСервере\nАсинх Функция Ф(А, Знач Б = 1, В = \"\")\nКонецФункции");
        assert_eq!((m.parameters, m.optional_parameters, m.lines), (3, 2, 2));
    }

    #[test]
    fn broken_code_does_not_panic() {
        for code in ["Процедура П(\n", "Функция Ф()\n\tЕсли Тогда\nКонецФункции", "Процедура П()\n\tА = 1 И;\n"]
        {
            let parse = Parse::new(code);
            let root = parse.root();
            let mut stack = vec![root];
            while let Some(node) = stack.pop() {
                if node.kind_str() == "method_declaration" {
                    let _ = method_metrics(node, parse.text());
                    let _ = cognitive_increments(node, parse.text());
                }
                let mut cursor = node.walk();
                stack.extend(node.children(&mut cursor));
            }
        }
    }

    #[test]
    fn control_depth_counts_enclosing_statements() {
        let code = "Процедура П()\n\tПопытка\n\t\tЕсли А Тогда\n\t\t\tБ();\n\t\tКонецЕсли;\n\tИсключение\n\tКонецПопытки;\nКонецПроцедуры";
        let parse = Parse::new(code);
        let mut stack = vec![parse.root()];
        let mut found = None;
        while let Some(node) = stack.pop() {
            if node.kind_str() == "call_statement" {
                found = Some(node);
            }
            let mut cursor = node.walk();
            stack.extend(node.children(&mut cursor));
        }
        assert_eq!(control_depth(found.expect("a call")), 2);
    }
}

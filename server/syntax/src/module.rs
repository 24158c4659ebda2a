//! Typed views of a module: methods with parameters, annotations and doc comments, module
//! variables, regions, preprocessor blocks, extension blocks and `#Использовать` lines.
//!
//! Everything here is plain data with byte ranges into the module's text, computed once from
//! a [`Parse`]. Preprocessor lines are flat extras in the tree; this module pairs them
//! (`#Область` with `#КонецОбласти`, `#Если` with its branches and `#КонецЕсли`).

use crate::NodeExt;
use std::ops::Range;
use std::sync::Arc;

use tree_sitter::Node;

use crate::errors::{SyntaxError, SyntaxErrorKind};
use crate::keywords::eq_ignore_case;
use crate::parse::{Changed, Parse};
use crate::preproc::{PreprocExpr, parse_condition};

/// Procedure or function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodKind {
    Procedure,
    Function,
}

/// The five compilation directives of managed forms and common modules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompilationDirective {
    AtClient,
    AtServer,
    AtServerNoContext,
    AtClientAtServerNoContext,
    AtClientAtServer,
}

const DIRECTIVES: &[(CompilationDirective, &str, &str)] = &[
    (CompilationDirective::AtClient, "НаКлиенте", "AtClient"),
    (CompilationDirective::AtServer, "НаСервере", "AtServer"),
    (CompilationDirective::AtServerNoContext, "НаСервереБезКонтекста", "AtServerNoContext"),
    (CompilationDirective::AtClientAtServerNoContext, "НаКлиентеНаСервереБезКонтекста", "AtClientAtServerNoContext"),
    (CompilationDirective::AtClientAtServer, "НаКлиентеНаСервере", "AtClientAtServer"),
];

impl CompilationDirective {
    pub fn from_name(name: &str) -> Option<Self> {
        DIRECTIVES.iter().find(|(_, ru, en)| eq_ignore_case(name, ru) || eq_ignore_case(name, en)).map(|&(d, _, _)| d)
    }

    /// The Russian and English spelling.
    pub fn names(self) -> (&'static str, &'static str) {
        let &(_, ru, en) = DIRECTIVES.iter().find(|(d, _, _)| *d == self).expect("every directive is listed");
        (ru, en)
    }
}

/// The annotations a configuration extension puts on a method of the base configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExtensionAnnotation {
    Before,
    After,
    Around,
    ChangeAndValidate,
}

const EXTENSION_ANNOTATIONS: &[(ExtensionAnnotation, &str, &str)] = &[
    (ExtensionAnnotation::Before, "Перед", "Before"),
    (ExtensionAnnotation::After, "После", "After"),
    (ExtensionAnnotation::Around, "Вместо", "Around"),
    (ExtensionAnnotation::ChangeAndValidate, "ИзменениеИКонтроль", "ChangeAndValidate"),
];

impl ExtensionAnnotation {
    pub fn from_name(name: &str) -> Option<Self> {
        EXTENSION_ANNOTATIONS
            .iter()
            .find(|(_, ru, en)| eq_ignore_case(name, ru) || eq_ignore_case(name, en))
            .map(|&(a, _, _)| a)
    }
}

/// What an annotation means to the platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnnotationKind {
    Directive(CompilationDirective),
    /// An extension annotation with the name of the method it intercepts.
    Extension(ExtensionAnnotation, Option<String>),
    /// Any other annotation (OneScript's `&Желудь`, `&Пластилин`, ...).
    Custom,
}

/// `&Имя` or `&Имя(Параметр = Значение, ...)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    pub name: String,
    pub range: Range<usize>,
    pub kind: AnnotationKind,
    pub arguments: Vec<AnnotationArgument>,
}

/// One argument of an annotation: `Имя = Значение`, `Имя`, or a bare value. Values keep
/// their source text (strings with their quotes); a nested annotation is kept whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnotationArgument {
    pub name: Option<String>,
    pub value: Option<String>,
    pub nested: Option<Box<Annotation>>,
    pub range: Range<usize>,
}

/// A method parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    pub name: String,
    pub range: Range<usize>,
    pub name_range: Range<usize>,
    /// `Знач`: passed by value.
    pub by_value: bool,
    /// The default value's source text, when the parameter is optional.
    pub default: Option<String>,
    pub annotations: Vec<Annotation>,
}

/// The `//` lines right above a method, without the slashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocComment {
    pub range: Range<usize>,
    pub lines: Vec<String>,
}

impl DocComment {
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }
}

/// A procedure or function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Method {
    pub name: String,
    pub kind: MethodKind,
    /// From the first annotation to the end keyword.
    pub range: Range<usize>,
    pub name_range: Range<usize>,
    /// From `Процедура`/`Функция` (or `Асинх`) to the end keyword.
    pub declaration_range: Range<usize>,
    pub body_range: Option<Range<usize>>,
    pub export: bool,
    pub is_async: bool,
    pub parameters: Vec<Parameter>,
    pub annotations: Vec<Annotation>,
    pub doc_comment: Option<DocComment>,
}

impl Method {
    /// Moves every range of the method by `delta` bytes.
    fn shift(&mut self, delta: isize) {
        let by = |range: &mut Range<usize>| *range = shifted(range, delta);
        by(&mut self.range);
        by(&mut self.name_range);
        by(&mut self.declaration_range);
        if let Some(body) = &mut self.body_range {
            by(body);
        }
        for parameter in &mut self.parameters {
            by(&mut parameter.range);
            by(&mut parameter.name_range);
            parameter.annotations.iter_mut().for_each(|a| a.shift(delta));
        }
        self.annotations.iter_mut().for_each(|a| a.shift(delta));
        if let Some(doc) = &mut self.doc_comment {
            by(&mut doc.range);
        }
    }

    /// The method's compilation directive, if it has one.
    pub fn directive(&self) -> Option<CompilationDirective> {
        self.annotations.iter().find_map(|a| match a.kind {
            AnnotationKind::Directive(d) => Some(d),
            _ => None,
        })
    }

    /// The extension annotation and the intercepted method's name, if any.
    pub fn extension(&self) -> Option<(ExtensionAnnotation, Option<&str>)> {
        self.annotations.iter().find_map(|a| match &a.kind {
            AnnotationKind::Extension(kind, target) => Some((*kind, target.as_deref())),
            _ => None,
        })
    }
}

/// One name declared by `Перем` at module level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleVariable {
    pub name: String,
    pub range: Range<usize>,
    pub name_range: Range<usize>,
    pub export: bool,
    pub annotations: Vec<Annotation>,
}

impl ModuleVariable {
    pub fn directive(&self) -> Option<CompilationDirective> {
        self.annotations.iter().find_map(|a| match a.kind {
            AnnotationKind::Directive(d) => Some(d),
            _ => None,
        })
    }
}

/// `#Область Имя ... #КонецОбласти`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub name: String,
    /// From the start of the `#Область` line to the end of the `#КонецОбласти` line.
    pub range: Range<usize>,
    pub name_range: Range<usize>,
    /// How many regions enclose this one.
    pub depth: u32,
}

/// One branch of a preprocessor conditional.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreprocBranch {
    /// The `#Если`, `#ИначеЕсли` or `#Иначе` line.
    pub directive_range: Range<usize>,
    /// `None` for `#Иначе`, and for a condition that does not parse (reported as an error).
    pub condition: Option<PreprocExpr>,
    /// From the end of the directive line to the start of the next directive.
    pub body_range: Range<usize>,
}

/// `#Если ... [#ИначеЕсли ...] [#Иначе ...] #КонецЕсли`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreprocBlock {
    pub range: Range<usize>,
    pub branches: Vec<PreprocBranch>,
    pub depth: u32,
}

/// `#Вставка ... #КонецВставки` or `#Удаление ... #КонецУдаления` in an extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtensionBlockKind {
    Insert,
    Delete,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionBlock {
    pub kind: ExtensionBlockKind,
    pub range: Range<usize>,
}

/// OneScript's `#Использовать имя` or `#Использовать "путь"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UseDirective {
    /// The library name or the path, without quotes.
    pub target: String,
    pub range: Range<usize>,
}

impl Annotation {
    fn shift(&mut self, delta: isize) {
        self.range = shifted(&self.range, delta);
        for argument in &mut self.arguments {
            argument.range = shifted(&argument.range, delta);
            if let Some(nested) = &mut argument.nested {
                nested.shift(delta);
            }
        }
    }
}

fn shifted(range: &Range<usize>, delta: isize) -> Range<usize> {
    (range.start as isize + delta) as usize..(range.end as isize + delta) as usize
}

/// The typed view of a whole module.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Module {
    pub methods: Vec<Method>,
    pub variables: Vec<ModuleVariable>,
    pub regions: Vec<Region>,
    pub preproc_blocks: Vec<PreprocBlock>,
    pub extension_blocks: Vec<ExtensionBlock>,
    pub uses: Vec<UseDirective>,
    /// Unpaired or malformed preprocessor lines, reported with the syntax errors.
    pub preprocessor_errors: Vec<SyntaxError>,
}

impl Module {
    pub(crate) fn new(parse: &Parse) -> Self {
        let mut module = Module::default();
        for &child in parse.parts().iter().filter(|c| c.is_named()) {
            collect_declaration(parse, child, &mut module);
        }
        PreprocessorPass::run(parse, &mut module);
        module
    }

    /// The view of `parse` built from the view of an earlier version of its text, `old`:
    /// a method whose node and doc comment lie wholly in text `changed` left alone is
    /// taken from `old` (moved to where it now stands) instead of being read again from
    /// the tree. The result equals [`Module::new`]'s.
    pub(crate) fn updated(parse: &Parse, old: Arc<Module>, changed: Changed) -> Self {
        let delta = changed.new_end as isize - changed.old_end as isize;
        // Taken out of `old` when this is its only holder; otherwise each method reused is
        // copied (and only those).
        let (mut owned, shared): (Vec<Option<Method>>, Option<Arc<Module>>) = match Arc::try_unwrap(old) {
            Ok(old) => (old.methods.into_iter().map(Some).collect(), None),
            Err(shared) => (Vec::new(), Some(shared)),
        };
        // The earlier method that stood at `was_at` with this length.
        let mut earlier = |was_at: usize, len: usize| -> Option<Method> {
            let same = |m: &Method| m.range == (was_at..was_at + len);
            if let Some(shared) = &shared {
                let at = shared.methods.partition_point(|m| m.range.start < was_at);
                return shared.methods.get(at).filter(|m| same(m)).cloned();
            }
            // Slots already taken stand before `was_at`: starts only grow along the loop.
            let at = owned.partition_point(|m| m.as_ref().is_none_or(|m| m.range.start < was_at));
            owned.get_mut(at)?.take_if(|m| same(m))
        };
        let mut module = Module::default();
        let text = parse.text();
        // Where the last part that is not a comment started: a doc comment never reaches
        // above that part's line, unless the line reads as a comment line all the same (a
        // NUL byte ends a comment token, and code may follow it on a `//` line).
        let mut code_above: Option<usize> = None;
        for &child in parse.parts().iter().filter(|c| c.is_named()) {
            let (start, end) = (child.start_byte(), child.end_byte());
            let below_code = code_above;
            if child.kind_str() != "comment" {
                code_above = Some(start);
            }
            let was_at = if end <= changed.start {
                Some(start)
            } else if start >= changed.new_end {
                Some((start as isize - delta) as usize)
            } else {
                None
            };
            let reused = was_at
                .filter(|_| child.kind_str() == "method_declaration" && !child.has_error())
                .filter(|_| {
                    end <= changed.start
                        || below_code.is_some_and(|above| {
                            let line = text[..above].rfind(['\n', '\r']).map_or(0, |i| i + 1);
                            line > changed.new_end
                                && !text[line..].trim_start_matches(|c: char| c.is_whitespace()).starts_with("//")
                        })
                        || scan_doc_comment(text, start, |_, _, _| {}) >= changed.new_end
                })
                .and_then(|was_at| earlier(was_at, end - start));
            match reused {
                Some(mut method) => {
                    if start != method.range.start {
                        method.shift(delta);
                    }
                    module.methods.push(method);
                }
                None => collect_declaration(parse, child, &mut module),
            }
        }
        PreprocessorPass::run(parse, &mut module);
        module
    }

    /// The method whose range holds `offset`.
    pub fn method_at(&self, offset: usize) -> Option<&Method> {
        self.methods.iter().find(|m| m.range.contains(&offset))
    }

    /// The innermost region holding `offset`.
    pub fn region_at(&self, offset: usize) -> Option<&Region> {
        self.regions.iter().filter(|r| r.range.contains(&offset)).max_by_key(|r| r.depth)
    }

    /// The preprocessor branches enclosing `offset`, outermost first.
    pub fn preproc_branches_at(&self, offset: usize) -> Vec<&PreprocBranch> {
        let mut blocks: Vec<&PreprocBlock> = self.preproc_blocks.iter().filter(|b| b.range.contains(&offset)).collect();
        blocks.sort_by_key(|b| b.depth);
        blocks.into_iter().filter_map(|b| b.branches.iter().find(|br| br.body_range.contains(&offset))).collect()
    }
}

fn collect_declaration(parse: &Parse, node: Node<'_>, module: &mut Module) {
    match node.kind_str() {
        "method_declaration" => module.methods.push(method(parse, node)),
        "var_declaration" => {
            let annotations = annotations_of(parse, node);
            let mut cursor = node.walk();
            for item in node.named_children(&mut cursor).filter(|c| c.kind_str() == "var_item") {
                let Some(name) = item.field("name") else {
                    continue;
                };
                module.variables.push(ModuleVariable {
                    name: parse.node_text(name).to_string(),
                    range: item.byte_range(),
                    name_range: name.byte_range(),
                    export: item.field("export").is_some(),
                    annotations: annotations.clone(),
                });
            }
        }
        // Error recovery may wrap declarations in an ERROR node; look one level inside.
        "ERROR" => {
            let mut cursor = node.walk();
            for child in node.named_children(&mut cursor) {
                if matches!(child.kind_str(), "method_declaration" | "var_declaration") {
                    collect_declaration(parse, child, module);
                }
            }
        }
        _ => {}
    }
}

fn annotations_of(parse: &Parse, node: Node<'_>) -> Vec<Annotation> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).filter(|c| c.kind_str() == "annotation").map(|a| annotation(parse, a)).collect()
}

fn annotation(parse: &Parse, node: Node<'_>) -> Annotation {
    let name = node.field("name").map(|n| parse.node_text(n).to_string()).unwrap_or_default();
    let mut arguments = Vec::new();
    if let Some(list) = node.field("arguments") {
        let mut cursor = list.walk();
        for argument in list.named_children(&mut cursor).filter(|c| c.kind_str() == "annotation_argument") {
            let value = argument.field("value");
            arguments.push(AnnotationArgument {
                name: argument.field("name").map(|n| parse.node_text(n).to_string()),
                value: value.filter(|v| v.kind_str() != "annotation").map(|v| parse.node_text(v).to_string()),
                nested: value.filter(|v| v.kind_str() == "annotation").map(|v| Box::new(annotation(parse, v))),
                range: argument.byte_range(),
            });
        }
    }
    let kind = if let Some(directive) = CompilationDirective::from_name(&name) {
        AnnotationKind::Directive(directive)
    } else if let Some(extension) = ExtensionAnnotation::from_name(&name) {
        // The target is the first string argument; a lone argument is parsed as a value.
        let target =
            arguments.iter().find_map(|a| a.value.as_deref()).map(|v| v.trim_matches('"').replace("\"\"", "\""));
        AnnotationKind::Extension(extension, target)
    } else {
        AnnotationKind::Custom
    };
    Annotation { name, range: node.byte_range(), kind, arguments }
}

fn method(parse: &Parse, node: Node<'_>) -> Method {
    let name_node = node.field("name");
    let kind = match node.field("kind").map(|k| k.kind_str()) {
        Some("function") => MethodKind::Function,
        _ => MethodKind::Procedure,
    };
    let declaration_start =
        node.field("async").or_else(|| node.field("kind")).map_or(node.start_byte(), |n| n.start_byte());
    let mut parameters = Vec::new();
    if let Some(list) = node.field("parameters") {
        let mut cursor = list.walk();
        for p in list.named_children(&mut cursor).filter(|c| c.kind_str() == "parameter") {
            let Some(name) = p.field("name") else {
                continue;
            };
            parameters.push(Parameter {
                name: parse.node_text(name).to_string(),
                range: p.byte_range(),
                name_range: name.byte_range(),
                by_value: p.field("val").is_some(),
                default: p.field("default").map(|d| parse.node_text(d).to_string()),
                annotations: annotations_of(parse, p),
            });
        }
    }
    Method {
        name: name_node.map(|n| parse.node_text(n).to_string()).unwrap_or_default(),
        kind,
        range: node.byte_range(),
        name_range: name_node.map_or(node.start_byte()..node.start_byte(), |n| n.byte_range()),
        declaration_range: declaration_start..node.end_byte(),
        body_range: node.field("body").map(|b| b.byte_range()),
        export: node.field("export").is_some(),
        is_async: node.field("async").is_some(),
        parameters,
        annotations: annotations_of(parse, node),
        doc_comment: doc_comment(parse.text(), node.start_byte()),
    }
}

/// The contiguous `//` lines ending right above the line that holds `start`.
fn doc_comment(text: &str, start: usize) -> Option<DocComment> {
    let mut lines = Vec::new();
    let mut first = start;
    let mut last_end = None;
    scan_doc_comment(text, start, |line_first, line_end, comment| {
        lines.push(comment.strip_prefix(' ').unwrap_or(comment).trim_end().to_string());
        last_end.get_or_insert(line_end);
        first = line_first;
    });
    let end = last_end?;
    lines.reverse();
    Some(DocComment { range: first..end, lines })
}

/// Walks up over the `//` lines right above the line holding `start` (when that line is
/// blank before `start`), handing each, bottom-up, to `line` as its first non-blank
/// offset, its end and the text after `//`. Returns the lowest offset it read: the doc
/// comment depends on the text from there to `start` alone.
fn scan_doc_comment(text: &str, start: usize, mut line: impl FnMut(usize, usize, &str)) -> usize {
    let mut line_start = text[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let mut reach = line_start.saturating_sub(1);
    if !text[line_start..start].trim().is_empty() {
        return reach;
    }
    while line_start > 0 {
        let prev_end = line_start - 1;
        let bytes = text.as_bytes();
        let prev_end = if prev_end > 0 && bytes[prev_end] == b'\n' && bytes[prev_end - 1] == b'\r' {
            prev_end - 1
        } else {
            prev_end
        };
        let prev_start = text[..prev_end].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        reach = prev_start.saturating_sub(1);
        let trimmed = text[prev_start..prev_end].trim_start_matches(|c: char| c.is_whitespace());
        let Some(comment) = trimmed.strip_prefix("//") else {
            break;
        };
        line(prev_start + (prev_end - prev_start - trimmed.len()), prev_end, comment);
        line_start = prev_start;
    }
    reach
}

/// Pairs the flat preprocessor lines into regions and conditional blocks.
struct PreprocessorPass<'a> {
    parse: &'a Parse,
    open_regions: Vec<(String, Range<usize>, usize)>,
    open_blocks: Vec<PreprocBlock>,
    open_inserts: Vec<Range<usize>>,
}

impl<'a> PreprocessorPass<'a> {
    fn run(parse: &'a Parse, module: &mut Module) {
        let mut pass =
            PreprocessorPass { parse, open_regions: Vec::new(), open_blocks: Vec::new(), open_inserts: Vec::new() };
        for node in preprocessor_lines(parse) {
            pass.line(node, module);
        }
        for (name, range, _) in pass.open_regions.drain(..) {
            module
                .preprocessor_errors
                .push(preproc_error(range, format!("`#Область {name}` is never closed by `#КонецОбласти`")));
        }
        for block in pass.open_blocks.drain(..) {
            let start = block.range.start;
            let end = block.branches[0].directive_range.end;
            module
                .preprocessor_errors
                .push(preproc_error(start..end, "`#Если` is never closed by `#КонецЕсли`".into()));
        }
        for range in pass.open_inserts.drain(..) {
            module
                .preprocessor_errors
                .push(preproc_error(range, "`#Вставка` is never closed by `#КонецВставки`".into()));
        }
        module.regions.sort_by_key(|r| r.range.start);
        module.preproc_blocks.sort_by_key(|b| b.range.start);
    }

    fn line(&mut self, node: Node<'_>, module: &mut Module) {
        let text = self.parse.node_text(node);
        let range = node.byte_range();
        // The text after `#` and the directive word.
        let rest = || {
            let after_hash = text.trim_start_matches('#').trim_start();
            let word_end = after_hash.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(after_hash.len());
            let offset = text.len() - after_hash.len() + word_end;
            (offset, &text[offset..])
        };
        match node.kind_str() {
            "preproc_region" => {
                let (offset, rest) = rest();
                let name = rest.split("//").next().unwrap_or("").trim();
                let name_start = range.start + offset + (rest.len() - rest.trim_start().len());
                let depth = self.open_regions.len();
                if name.is_empty() {
                    module.preprocessor_errors.push(preproc_error(range.clone(), "`#Область` needs a name".into()));
                }
                self.open_regions.push((name.to_string(), name_start..name_start + name.len(), depth));
            }
            "preproc_endregion" => match self.open_regions.pop() {
                Some((name, name_range, depth)) => {
                    let start = line_start(self.parse.text(), name_range.start);
                    module.regions.push(Region { name, range: start..range.end, name_range, depth: depth as u32 });
                }
                None => module
                    .preprocessor_errors
                    .push(preproc_error(range, "`#КонецОбласти` without a matching `#Область`".into())),
            },
            "preproc_if" => {
                let branch = self.branch(range.clone(), true, module);
                let depth = self.open_blocks.len() as u32;
                self.open_blocks.push(PreprocBlock { range: range.clone(), branches: vec![branch], depth });
            }
            "preproc_elsif" | "preproc_else" => {
                let conditional = node.kind_str() == "preproc_elsif";
                let branch = self.branch(range.clone(), conditional, module);
                match self.open_blocks.last_mut() {
                    Some(block) => {
                        if let Some(previous) = block.branches.last_mut() {
                            previous.body_range.end = range.start;
                        }
                        block.branches.push(branch);
                    }
                    None => {
                        let word = if conditional { "#ИначеЕсли" } else { "#Иначе" };
                        module
                            .preprocessor_errors
                            .push(preproc_error(range, format!("`{word}` without a matching `#Если`")));
                    }
                }
            }
            "preproc_endif" => match self.open_blocks.pop() {
                Some(mut block) => {
                    if let Some(last) = block.branches.last_mut() {
                        last.body_range.end = range.start;
                    }
                    block.range.end = range.end;
                    module.preproc_blocks.push(block);
                }
                None => module
                    .preprocessor_errors
                    .push(preproc_error(range, "`#КонецЕсли` without a matching `#Если`".into())),
            },
            "preproc_insert" => self.open_inserts.push(range),
            "preproc_endinsert" => match self.open_inserts.pop() {
                Some(open) => module
                    .extension_blocks
                    .push(ExtensionBlock { kind: ExtensionBlockKind::Insert, range: open.start..range.end }),
                None => module
                    .preprocessor_errors
                    .push(preproc_error(range, "`#КонецВставки` without a matching `#Вставка`".into())),
            },
            "preproc_delete" => {
                let closed = text.lines().count() > 1 && {
                    let last = text.lines().last().unwrap_or("").trim_start().trim_start_matches('#').trim_start();
                    let word: String = last.chars().take_while(|c| c.is_alphanumeric()).collect();
                    eq_ignore_case(&word, "КонецУдаления") || eq_ignore_case(&word, "EndDelete")
                };
                if !closed {
                    module.preprocessor_errors.push(preproc_error(
                        range.start..range.start + text.lines().next().unwrap_or("").len(),
                        "`#Удаление` is never closed by `#КонецУдаления`".into(),
                    ));
                }
                module.extension_blocks.push(ExtensionBlock { kind: ExtensionBlockKind::Delete, range });
            }
            "preproc_use" => {
                let (_, rest) = rest();
                let target = rest.split("//").next().unwrap_or("").trim().trim_matches('"').to_string();
                module.uses.push(UseDirective { target, range });
            }
            _ => {}
        }
    }

    fn branch(&self, range: Range<usize>, conditional: bool, module: &mut Module) -> PreprocBranch {
        let text = &self.parse.text()[range.clone()];
        let condition = if conditional {
            let after_hash = text.trim_start_matches('#').trim_start();
            let word_end = after_hash.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(after_hash.len());
            match parse_condition(&after_hash[word_end..]) {
                Ok(expr) => Some(expr),
                Err(message) => {
                    module.preprocessor_errors.push(preproc_error(range.clone(), message));
                    None
                }
            }
        } else {
            None
        };
        PreprocBranch { directive_range: range.clone(), condition, body_range: range.end..range.end }
    }
}

/// The bodies of the `#ИначеЕсли`/`#Иначе` branches of every conditional block.
pub(crate) fn alternative_branches(parse: &Parse) -> Vec<Range<usize>> {
    let mut module = Module::default();
    PreprocessorPass::run(parse, &mut module);
    let mut ranges: Vec<Range<usize>> = module
        .preproc_blocks
        .iter()
        .flat_map(|block| block.branches.iter().skip(1).map(|branch| branch.body_range.clone()))
        .collect();
    ranges.sort_by_key(|r| r.start);
    ranges
}

fn preproc_error(range: Range<usize>, message: String) -> SyntaxError {
    SyntaxError { range, kind: SyntaxErrorKind::Preprocessor(message), expected: Vec::new(), context: None }
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1)
}

/// The preprocessor nodes of a module in text order. They are extras and may hang anywhere
/// in the tree, so they are found from the text: every line whose first non-blank character
/// is `#` is looked up in the tree (a `#` line inside a multi-line string is string text).
fn preprocessor_lines(parse: &Parse) -> Vec<Node<'_>> {
    let text = parse.text();
    let bytes = text.as_bytes();
    let root = parse.root();
    let mut nodes = Vec::new();
    // `#` is rare in code, so jump from one to the next and look back along its line.
    for hash in memchr::memchr_iter(b'#', bytes) {
        let line_begin = memchr::memrchr2(b'\n', b'\r', &bytes[..hash]).map_or(0, |i| i + 1);
        // Only blanks may stand before it (the BOM and NBSP are rare, but blank too).
        if !text[line_begin..hash].chars().all(|c| c.is_whitespace()) {
            continue;
        }
        if let Some(node) = root.descendant_for_byte_range(hash, hash + 1)
            && node.start_byte() == hash
            && node.kind_str().starts_with("preproc_")
        {
            nodes.push(node);
        }
    }
    nodes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preproc::PreprocSymbol;

    #[test]
    fn methods_with_everything() {
        let text = "#Область Программный\n// Делает дело.\n//\n// Параметры:\n//  А - Число\n&НаСервере\nАсинх Функция Сделать(Знач А, Б = -1, &Пластилин В = \"x\") Экспорт\n\tВозврат А;\nКонецФункции\n#КонецОбласти\n";
        let module = Parse::new(text).module();
        let [method] = module.methods.as_slice() else { panic!("{module:?}") };
        assert_eq!(method.name, "Сделать");
        assert_eq!(method.kind, MethodKind::Function);
        assert!(method.export && method.is_async);
        assert_eq!(method.directive(), Some(CompilationDirective::AtServer));
        let names: Vec<_> =
            method.parameters.iter().map(|p| (p.name.as_str(), p.by_value, p.default.as_deref())).collect();
        assert_eq!(names, [("А", true, None), ("Б", false, Some("-1")), ("В", false, Some("\"x\""))]);
        assert_eq!(method.parameters[2].annotations[0].name, "Пластилин");
        let doc = method.doc_comment.as_ref().unwrap();
        assert_eq!(doc.lines, ["Делает дело.", "", "Параметры:", " А - Число"]);
        assert_eq!(&text[doc.range.clone()], "// Делает дело.\n//\n// Параметры:\n//  А - Число");
        assert_eq!(module.regions.len(), 1);
        assert_eq!(module.regions[0].name, "Программный");
        assert!(module.preprocessor_errors.is_empty());
    }

    #[test]
    fn module_variables_and_extension_annotations() {
        let text = "&НаКлиенте\nПерем А Экспорт, Б;\n&Вместо(\"ПередЗаписью\")\nПроцедура Расш_ПередЗаписью(Отказ)\nКонецПроцедуры";
        let module = Parse::new(text).module();
        let vars: Vec<_> = module.variables.iter().map(|v| (v.name.as_str(), v.export, v.directive())).collect();
        assert_eq!(
            vars,
            [("А", true, Some(CompilationDirective::AtClient)), ("Б", false, Some(CompilationDirective::AtClient))]
        );
        assert_eq!(module.methods[0].extension(), Some((ExtensionAnnotation::Around, Some("ПередЗаписью"))));
        assert!(module.methods[0].doc_comment.is_none());
    }

    #[test]
    fn preprocessor_blocks_and_regions_pair_up() {
        let text = "#Если Сервер Тогда\n#Область А\nПроцедура П()\n#Если Клиент Тогда\n\tБ();\n#Иначе\n\tВ();\n#КонецЕсли\nКонецПроцедуры\n#КонецОбласти\n#Иначе\nВызватьИсключение \"Нет\";\n#КонецЕсли\n";
        let parse = Parse::new(text);
        assert!(parse.errors().is_empty(), "{:?}", parse.errors());
        let module = parse.module();
        assert_eq!(module.preproc_blocks.len(), 2);
        let outer = &module.preproc_blocks[0];
        assert_eq!(outer.branches.len(), 2);
        assert_eq!(outer.branches[0].condition, Some(PreprocExpr::Symbol(PreprocSymbol::Server)));
        let call = text.find("В()").unwrap();
        let branches = module.preproc_branches_at(call);
        assert_eq!(branches.len(), 2);
        assert_eq!(branches[1].condition, None, "В() stands in the #Иначе branch");
        assert_eq!(module.region_at(call).map(|r| r.name.as_str()), Some("А"));
    }

    #[test]
    fn unpaired_preprocessor_lines_are_errors() {
        let parse = Parse::new("#КонецОбласти\n#Область А\n#Если Бла Тогда\n#Иначе\n");
        let messages: Vec<_> = parse.errors().iter().map(|e| e.to_string()).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].contains("#КонецОбласти"));
    }

    #[test]
    fn an_edited_view_equals_a_fresh_one_whether_or_not_the_old_view_is_still_held() {
        let text = "// А.\nПроцедура А(П)\n\tБ();\nКонецПроцедуры\n\n// Б.\n&НаСервере\nФункция Б() Экспорт\n\tВозврат 1;\nКонецФункции\n\n// В.\nПроцедура В()\nКонецПроцедуры\n";
        let edits = [("\tБ();", "\tБ(1, 2);"), ("// Б.", "// Бэ, с описанием."), ("Возврат 1;", "Возврат;")];
        for hold in [false, true] {
            let mut parse = Parse::new(text);
            for (from, to) in edits {
                let held = parse.module();
                let at = parse.text().find(from).unwrap();
                parse.edit(&crate::TextEdit::new(at..at + from.len(), to));
                if !hold {
                    drop(held);
                }
                assert_eq!(parse.module(), Parse::new(parse.text()).module(), "after {from:?} -> {to:?}, held: {hold}");
            }
        }
    }

    /// A NUL byte ends a comment token, so code may start in the middle of a line that
    /// still reads as a `//` line, inside a method's doc comment. An edit above that code
    /// reaches the doc comment all the same (found by the `rules` fuzz target; the input is
    /// kept in `fuzz/regressions/rules/doc-comment-over-code-after-nul`).
    #[test]
    fn code_after_a_nul_inside_a_doc_comment_does_not_shelter_it_from_edits() {
        let text = "Х = 0;\n// Описание процедуры.\n// а\0 Х = 1;\n// б\nПроцедура П()\nКонецПроцедуры\n";
        let mut parse = Parse::new(text);
        let before = parse.module();
        assert!(before.methods[0].doc_comment.is_some(), "{before:?}");
        let at = parse.text().find(" процедуры").unwrap();
        parse.edit(&crate::TextEdit::new(at..at + " процедуры".len(), ""));
        assert_eq!(parse.module(), Parse::new(parse.text()).module());
    }

    #[test]
    fn uses_and_extension_blocks() {
        let text = "#Использовать logos\n#Использовать \"../core\"\n&ИзменениеИКонтроль(\"П\")\nПроцедура Расш_П()\n#Удаление\n\tЕсли Тогда Тогда\n#КонецУдаления\n#Вставка\n\tА = 1;\n#КонецВставки\nКонецПроцедуры\n";
        let parse = Parse::new(text);
        assert!(parse.errors().is_empty(), "{:?}", parse.errors());
        let module = parse.module();
        let uses: Vec<_> = module.uses.iter().map(|u| u.target.as_str()).collect();
        assert_eq!(uses, ["logos", "../core"]);
        let kinds: Vec<_> = module.extension_blocks.iter().map(|b| b.kind).collect();
        assert_eq!(kinds, [ExtensionBlockKind::Delete, ExtensionBlockKind::Insert]);
    }
}

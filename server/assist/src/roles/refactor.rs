//! The developer's deterministic refactorings: extract method, wrap statements in a
//! transaction (standard 783) and create a method from its description comment. Each one
//! returns the text edits, or the reason it is refused; every result is parsed before it
//! is offered and refused when it would add a syntax error.
//!
//! **Extract method** moves whole statements of a method into a new method placed right
//! after it, with the enclosing method's compilation directive, and calls it in their
//! place. Parameters are the enclosing method's parameters and locals that the statements
//! read (in order of first use); a variable the statements assign and the method reads
//! afterwards (or in the next turn of an enclosing loop, or a parameter of the method) is
//! an output. One output becomes the function's return value (`Х = НовыйМетод(...)`);
//! several outputs are passed as parameters, which BSL passes by reference unless `Знач`,
//! so the new procedure assigns the caller's variables (an output assigned nowhere else in
//! the method is set to `Неопределено` before the call so that it stays a local there).
//! Refused: parts of statements or of a line; `Возврат`, `Перейти`, labels, `Прервать` or
//! `Продолжить` leaving the selection (inside a loop that is selected whole they are
//! fine); `Перем`; `Выполнить`/`Вычислить` (their code strings may name locals);
//! `ПродолжитьВызов` (valid only in the `&Вместо` method); lines of the preprocessor or
//! regions, and statements inside a `#Если` or `#Вставка` block of the method (the new
//! method would lose the condition) or in a `&ИзменениеИКонтроль` method (whose text the
//! extension checks against the base configuration, as for the wrap); several outputs of an `Асинх` method
//! (its parameters are passed by value) or inside a loop when one is assigned only there.
//!
//! **Wrap in a transaction** puts `НачатьТранзакцию();` right before `Попытка`, the
//! statements and `ЗафиксироватьТранзакцию();` inside it, and `ОтменитьТранзакцию();`, an
//! event log entry with `ПодробноеПредставлениеОшибки(ИнформацияОбОшибке())` (standards 498
//! and 499) and `ВызватьИсключение;` in `Исключение`. Refused when the statements begin,
//! commit or roll back a transaction themselves, lie inside a `Попытка` that belongs to one,
//! or can leave the block early (`Возврат`, `Перейти`, an outer `Прервать`), which would
//! leave the transaction open.
//!
//! **Method from its description** is offered on a module-level comment in the standard
//! format that no method follows: a description and a `Параметры:` or `Возвращаемое
//! значение:` section. A return section makes a function. The name is the first line when
//! it is one identifier; otherwise the first clause of the description in CamelCase, at
//! most four words: a leading `Возвращает`/`Получает`/`Returns`/`Gets` is dropped and the
//! accusative that followed it is put back in the nominative (`сумму` → `Сумма`, `пустую`
//! → `Пустая`); another leading verb becomes an infinitive (`Заполняет` → `Заполнить`,
//! `Формирует` → `Формировать`, `Создает` → `Создать`, `Fills` → `Fill`). Parameters come
//! from the `Имя - Тип - описание` lines of the section (nested `*` lines skipped); the
//! body returns an empty value of the documented type (`Неопределено` when unknown). The
//! method is exported inside a `ПрограммныйИнтерфейс` or `СлужебныйПрограммныйИнтерфейс`
//! region and takes the compilation directive of the nearest method above (else below).

use std::ops::Range;

use bsl_analysis::Edit;
use bsl_analysis::resolve::{self, Access, Symbol};
use bsl_syntax::keywords::eq_ignore_case;
use bsl_syntax::{AnnotationKind, ExtensionAnnotation, Method, Module, NodeExt, Parse};
use tree_sitter::Node;

use super::{Lang, method_lang, name_phrase};

/// A refactoring ready to apply: the edits (non-overlapping, in text order) and the name of
/// the method it creates, when it creates one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refactoring {
    pub name: Option<String>,
    pub edits: Vec<Edit>,
}

/// Why a refactoring is not offered.
pub type Refusal = &'static str;

const LOOPS: &[&str] = &["while_statement", "for_statement", "for_each_statement"];

/// The line break the text uses.
fn eol(text: &str) -> &'static str {
    if text.contains("\r\n") { "\r\n" } else { "\n" }
}

fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// The end of the line holding `offset`, before its line break.
fn line_end(text: &str, offset: usize) -> usize {
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    if end > offset && text.as_bytes()[end - 1] == b'\r' { end - 1 } else { end }
}

/// Whole statements selected in one block of a method.
struct Selection<'t> {
    method: usize,
    statements: Vec<Node<'t>>,
    /// From the first statement's start to the last one's end.
    range: Range<usize>,
    /// The selected lines: from the first line's start to the last line's end (before the
    /// line break).
    lines: Range<usize>,
    /// The first line's indentation.
    indent: String,
}

impl Selection<'_> {
    /// Every node of the selected statements.
    fn nodes(&self) -> impl Iterator<Item = Node<'_>> + '_ {
        self.statements.iter().flat_map(|s| bsl_syntax::walk::preorder(*s))
    }
}

fn select<'t>(parse: &'t Parse, module: &Module, selection: Range<usize>) -> Result<Selection<'t>, Refusal> {
    let text = parse.text();
    let mut start = selection.start.min(text.len());
    let mut end = selection.end.min(text.len()).max(start);
    while start < end && text.as_bytes()[start].is_ascii_whitespace() {
        start += 1;
    }
    while end > start && text.as_bytes()[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    if start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
        return Err("nothing is selected");
    }
    let method = module
        .methods
        .iter()
        .position(|m| m.body_range.as_ref().is_some_and(|b| b.start <= start && end <= b.end))
        .ok_or("the selection is not inside a method's body")?;
    let m = &module.methods[method];
    let mut block = parse.root().descendant_for_byte_range(start, end).ok_or("no statements")?;
    while block.kind_str() != "block" {
        block = block.parent().ok_or("no statements")?;
    }
    let mut cursor = block.walk();
    let mut statements = Vec::new();
    for child in block.children(&mut cursor) {
        if child.end_byte() <= start || child.start_byte() >= end {
            continue;
        }
        match child.kind_str() {
            "comment" | ";" => {}
            "var_declaration" => return Err("the selection declares variables (Перем)"),
            kind if kind.starts_with("preproc") => return Err("the selection crosses a preprocessor or region line"),
            _ if child.is_error() || child.is_missing() => return Err("the selection has syntax errors"),
            _ => statements.push(child),
        }
    }
    let (Some(&first), Some(&last)) = (statements.first(), statements.last()) else {
        return Err("no statements are selected");
    };
    if start > first.start_byte() || end < last.end_byte() {
        return Err("the selection is not whole statements");
    }
    let first_line = line_start(text, start);
    if !text[first_line..start].trim().is_empty() {
        return Err("the first selected line holds other code");
    }
    let last_line = line_end(text, end.max(last.end_byte()));
    let rest = text[last.end_byte()..last_line].trim_start_matches([' ', '\t', ';']);
    if !rest.is_empty() && !rest.starts_with("//") {
        return Err("the last selected line holds other code");
    }
    let lines = first_line..last_line;
    if text[lines.clone()].lines().any(|l| l.trim_start().starts_with('#')) {
        return Err("the selection crosses a preprocessor or region line");
    }
    let inside = |r: &Range<usize>| r.start <= lines.start && lines.end <= r.end;
    if module.preproc_blocks.iter().any(|b| m.range.contains(&b.range.start) && inside(&b.range))
        || module
            .extension_blocks
            .iter()
            .any(|b| inside(&b.range) || (b.range.start < lines.end && lines.start < b.range.end))
        || parse.masked().iter().any(|r| r.start < m.range.end && m.range.start < r.end)
    {
        return Err("the statements are inside a preprocessor or extension block of the method");
    }
    if super::method_node(parse, m).is_none_or(|n| n.has_error()) {
        return Err("the method has syntax errors");
    }
    if matches!(m.extension(), Some((ExtensionAnnotation::ChangeAndValidate, _))) {
        return Err("the method's text is controlled by &ИзменениеИКонтроль");
    }
    let indent = text[first_line..start].to_string();
    Ok(Selection { method, statements, range: first.start_byte()..last.end_byte(), lines, indent })
}

/// Refuses statements that can leave the selection other than at its end.
fn check_jumps(sel: &Selection<'_>) -> Result<(), Refusal> {
    for n in sel.nodes() {
        match n.kind_str() {
            "return_statement" => return Err("the selection returns (Возврат)"),
            "goto_statement" | "label_statement" => return Err("the selection has a goto or a label"),
            "break_statement" | "continue_statement" => {
                let mut up = n.parent();
                while let Some(p) = up {
                    if p.start_byte() < sel.range.start {
                        return Err("Прервать or Продолжить leaves the selection");
                    }
                    if LOOPS.contains(&p.kind_str()) {
                        break;
                    }
                    up = p.parent();
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The name of the function a call calls, when it is a bare identifier.
fn called_name<'t>(parse: &'t Parse, call: Node<'_>) -> Option<&'t str> {
    let function = call.field("function").filter(|f| f.kind_str() == "identifier")?;
    Some(parse.node_text(function))
}

/// The indentation unit next to `indent`: a tab unless the code is indented with spaces.
fn unit(indent: &str) -> &'static str {
    if indent.contains(' ') && !indent.contains('\t') { "    " } else { "\t" }
}

/// The selected lines with `from` replaced by `to` at their start.
fn reindent(text: &str, from: &str, to: &str) -> Vec<String> {
    text.split('\n')
        .map(|line| {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim().is_empty() {
                String::new()
            } else if let Some(rest) = line.strip_prefix(from) {
                format!("{to}{rest}")
            } else {
                format!("{to}{}", line.trim_start())
            }
        })
        .collect()
}

/// The compilation directive line of a method (`&НаСервере`), in `lang`, if it has one.
fn directive_line(method: &Method, lang: Lang) -> Option<String> {
    method.annotations.iter().find_map(|a| match a.kind {
        AnnotationKind::Directive(d) => {
            let (ru, en) = d.names();
            Some(format!("&{}", lang.pick(ru, en)))
        }
        _ => None,
    })
}

/// Whether applying `edits` (all inside `scope`) to the text keeps the number of syntax
/// errors of `scope`'s text, parsed on its own.
fn parses(text: &str, scope: Range<usize>, edits: &[Edit]) -> bool {
    let before = &text[scope.clone()];
    let shifted: Vec<Edit> = edits
        .iter()
        .map(|e| Edit { range: e.range.start - scope.start..e.range.end - scope.start, new_text: e.new_text.clone() })
        .collect();
    let after = bsl_analysis::apply_edits(before, &shifted);
    Parse::new(after).errors().len() <= Parse::new(before).errors().len()
}

/// A name no method, module variable or variable of `method` has: `base`, `base1`, ...
fn free_name(parse: &Parse, module: &Module, method: usize, base: &str) -> String {
    let locals = resolve::locals(parse, module, method);
    let taken = |name: &str| {
        module.methods.iter().any(|m| eq_ignore_case(&m.name, name))
            || module.variables.iter().any(|v| eq_ignore_case(&v.name, name))
            || module.methods[method].parameters.iter().any(|p| eq_ignore_case(&p.name, name))
            || locals.iter().any(|(n, _)| eq_ignore_case(n, name))
    };
    (0..)
        .map(|i| if i == 0 { base.to_string() } else { format!("{base}{i}") })
        .find(|n| !taken(n))
        .expect("some suffix is free")
}

/// How one variable of the enclosing method is used around the selection.
struct Flow {
    name: String,
    /// Where it first appears in the selection, for the parameters' order.
    first_use: usize,
    input: bool,
    output: bool,
    /// Assigned (or a parameter) somewhere outside the selection.
    kept: bool,
}

fn flows(parse: &Parse, module: &Module, sel: &Selection<'_>) -> Vec<Flow> {
    let mi = sel.method;
    let method = &module.methods[mi];
    let used: Vec<String> =
        sel.nodes().filter(|n| n.kind_str() == "identifier").map(|n| parse.node_text(n).to_lowercase()).collect();
    let mut symbols: Vec<(String, Symbol, bool)> = method
        .parameters
        .iter()
        .enumerate()
        .map(|(index, p)| (p.name.clone(), Symbol::Parameter { method: mi, index }, true))
        .collect();
    for (name, range) in resolve::locals(parse, module, mi) {
        symbols.push((name.clone(), Symbol::Local { method: mi, name, range }, false));
    }
    // The outermost loop around the selection inside the method: what the selection
    // assigns there may be read again in the next turn.
    let mut outer_loop: Option<Range<usize>> = None;
    let mut up = sel.statements[0].parent();
    while let Some(p) = up {
        if LOOPS.contains(&p.kind_str()) {
            outer_loop = Some(p.byte_range());
        }
        if p.kind_str() == "method_declaration" {
            break;
        }
        up = p.parent();
    }
    let in_sel = |r: &Range<usize>| sel.range.start <= r.start && r.end <= sel.range.end;
    let in_loop = |r: &Range<usize>| outer_loop.as_ref().is_some_and(|l| l.start <= r.start && r.end <= l.end);
    let mut out = Vec::new();
    for (name, symbol, is_param) in symbols {
        let key = name.to_lowercase();
        if !used.contains(&key) {
            continue;
        }
        let refs = resolve::references(parse, module, &symbol);
        let inside: Vec<&resolve::Reference> = refs.iter().filter(|r| in_sel(&r.range)).collect();
        let Some(first) = inside.first() else { continue };
        let read_in = inside.iter().any(|r| r.access == Access::Read);
        // A local's first assignment is its declaration: a write too.
        let write_in = inside.iter().any(|r| r.access != Access::Read);
        let outside = || refs.iter().filter(|r| !in_sel(&r.range));
        let defined_before = is_param
            || outside().any(|r| r.access != Access::Read && r.range.end <= sel.range.start)
            || (outer_loop.is_some() && refs.iter().any(|r| r.access != Access::Read && in_loop(&r.range)));
        let read_after =
            outside().any(|r| r.access == Access::Read && (r.range.start >= sel.range.end || in_loop(&r.range)));
        let output = write_in && (read_after || is_param);
        let input = (read_in && (defined_before || !write_in)) || (output && defined_before);
        let kept = is_param || outside().any(|r| r.access != Access::Read);
        out.push(Flow { name, first_use: first.range.start, input, output, kept });
    }
    out.sort_by_key(|f| f.first_use);
    out
}

/// Extract method: the selected whole statements become a new method after the enclosing
/// one and a call in their place.
pub fn extract_method(parse: &Parse, selection: Range<usize>) -> Result<Refactoring, Refusal> {
    let module = parse.module();
    let sel = select(parse, &module, selection)?;
    check_jumps(&sel)?;
    let mut is_async = false;
    for n in sel.nodes() {
        match n.kind_str() {
            "execute_statement" => return Err("the selection runs code from a string (Выполнить)"),
            "call_expression"
                if called_name(parse, n)
                    .is_some_and(|f| eq_ignore_case(f, "Вычислить") || eq_ignore_case(f, "Eval")) =>
            {
                return Err("the selection evaluates code from a string (Вычислить)");
            }
            "call_expression"
                if called_name(parse, n)
                    .is_some_and(|f| eq_ignore_case(f, "ПродолжитьВызов") || eq_ignore_case(f, "ProceedWithCall")) =>
            {
                return Err("ПродолжитьВызов works only in the intercepting method");
            }
            "await_expression" => is_async = true,
            _ => {}
        }
    }
    let text = parse.text();
    let method = &module.methods[sel.method];
    let lang = method_lang(parse, method);
    let flows = flows(parse, &module, &sel);
    let outputs: Vec<&Flow> = flows.iter().filter(|f| f.output).collect();
    let in_loop = {
        let mut up = sel.statements[0].parent();
        let mut found = false;
        while let Some(p) = up {
            found |= LOOPS.contains(&p.kind_str());
            up = p.parent();
        }
        found
    };
    let by_reference = outputs.len() > 1;
    if by_reference && is_async {
        return Err("several values are assigned and an Асинх method takes parameters by value");
    }
    if by_reference && in_loop && outputs.iter().any(|f| !f.kept) {
        return Err("several values are assigned inside a loop and one of them only here");
    }
    let params: Vec<&str> =
        flows.iter().filter(|f| f.input || (by_reference && f.output)).map(|f| f.name.as_str()).collect();
    let name = free_name(parse, &module, sel.method, lang.pick("НовыйМетод", "NewMethod"));
    let eol = eol(text);
    let returned = (outputs.len() == 1).then(|| outputs[0].name.as_str());
    let function = returned.is_some() || is_async;

    // The call in place of the statements.
    let mut call = String::new();
    if by_reference {
        for f in outputs.iter().filter(|f| !f.kept) {
            call.push_str(&format!("{}{} = {};{eol}", sel.indent, f.name, lang.pick("Неопределено", "Undefined")));
        }
    }
    call.push_str(&sel.indent);
    if let Some(r) = returned {
        call.push_str(&format!("{r} = "));
    }
    if is_async {
        call.push_str(lang.pick("Ждать ", "Await "));
    }
    call.push_str(&format!("{name}({});", params.join(", ")));

    // The new method after the enclosing one.
    let method_line = line_start(text, method.range.start);
    let method_indent = &text[method_line..method.range.start];
    let method_indent = if method_indent.trim().is_empty() { method_indent } else { "" };
    let body_indent = format!("{method_indent}{}", unit(&sel.indent));
    let mut new = String::new();
    new.push_str(eol);
    new.push_str(eol);
    if let Some(d) = directive_line(method, lang) {
        new.push_str(&format!("{method_indent}{d}{eol}"));
    }
    new.push_str(method_indent);
    if is_async {
        new.push_str(lang.pick("Асинх ", "Async "));
    }
    let (kw, end_kw) = if function {
        (lang.pick("Функция", "Function"), lang.pick("КонецФункции", "EndFunction"))
    } else {
        (lang.pick("Процедура", "Procedure"), lang.pick("КонецПроцедуры", "EndProcedure"))
    };
    new.push_str(&format!("{kw} {name}({}){eol}", params.join(", ")));
    for line in reindent(&text[sel.lines.clone()], &sel.indent, &body_indent) {
        new.push_str(&line);
        new.push_str(eol);
    }
    if let Some(r) = returned {
        new.push_str(&format!("{eol}{body_indent}{} {r};{eol}", lang.pick("Возврат", "Return")));
    }
    new.push_str(&format!("{method_indent}{end_kw}"));

    let method_end = line_end(text, method.range.end);
    let edits =
        vec![Edit { range: sel.lines.clone(), new_text: call }, Edit { range: method_end..method_end, new_text: new }];
    if !parses(text, method_line..method_end, &edits) {
        return Err("the result would not parse");
    }
    Ok(Refactoring { name: Some(name), edits })
}

const TRANSACTION_CALLS: &[&str] = &[
    "НачатьТранзакцию",
    "BeginTransaction",
    "ЗафиксироватьТранзакцию",
    "CommitTransaction",
    "ОтменитьТранзакцию",
    "RollbackTransaction",
];

fn is_transaction_call(parse: &Parse, node: Node<'_>) -> bool {
    node.kind_str() == "call_expression"
        && called_name(parse, node).is_some_and(|f| TRANSACTION_CALLS.iter().any(|t| eq_ignore_case(t, f)))
}

/// Wrap the selected whole statements in a transaction, the standard way.
pub fn wrap_in_transaction(parse: &Parse, selection: Range<usize>) -> Result<Refactoring, Refusal> {
    let module = parse.module();
    let sel = select(parse, &module, selection)?;
    check_jumps(&sel)?;
    if sel.nodes().any(|n| is_transaction_call(parse, n)) {
        return Err("the statements already manage a transaction");
    }
    // Inside the Попытка of a transaction: the try is preceded by НачатьТранзакцию or has
    // one inside.
    let mut up = sel.statements[0].parent();
    while let Some(p) = up {
        if p.kind_str() == "method_declaration" {
            break;
        }
        if p.kind_str() == "try_statement" {
            let mut before = p.prev_named_sibling();
            while let Some(b) = before.filter(|b| b.kind_str() == "comment") {
                before = b.prev_named_sibling();
            }
            let begins = before.is_some_and(|b| {
                b.kind_str() == "call_statement" && bsl_syntax::walk::preorder(b).any(|n| is_transaction_call(parse, n))
            });
            if begins || bsl_syntax::walk::preorder(p).any(|n| is_transaction_call(parse, n)) {
                return Err("the statements are already inside a transaction");
            }
        }
        up = p.parent();
    }
    let text = parse.text();
    let method = &module.methods[sel.method];
    let lang = method_lang(parse, method);
    let eol = eol(text);
    let i = &sel.indent;
    let u = unit(i);
    let event = name_phrase(&method.name);
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push_str(eol);
    };
    line(format!("{i}{}();", lang.pick("НачатьТранзакцию", "BeginTransaction")));
    line(format!("{i}{}", lang.pick("Попытка", "Try")));
    for l in reindent(&text[sel.lines.clone()], i, &format!("{i}{u}")) {
        line(l);
    }
    line(format!("{i}{u}{}();", lang.pick("ЗафиксироватьТранзакцию", "CommitTransaction")));
    line(format!("{i}{}", lang.pick("Исключение", "Except")));
    line(format!("{i}{u}{}();", lang.pick("ОтменитьТранзакцию", "RollbackTransaction")));
    line(match lang {
        Lang::Russian => {
            format!(
                "{i}{u}ЗаписьЖурналаРегистрации(НСтр(\"ru = '{event}'\", \"ru\"), УровеньЖурналаРегистрации.Ошибка, , ,"
            )
        }
        Lang::English => format!("{i}{u}WriteLogEvent(NStr(\"en = '{event}'\", \"en\"), EventLogLevel.Error, , ,"),
    });
    line(format!(
        "{i}{u}{u}{}",
        lang.pick("ПодробноеПредставлениеОшибки(ИнформацияОбОшибке()));", "DetailErrorDescription(ErrorInfo()));")
    ));
    line(format!("{i}{u}{};", lang.pick("ВызватьИсключение", "Raise")));
    out.push_str(&format!("{i}{};", lang.pick("КонецПопытки", "EndTry")));
    let edits = vec![Edit { range: sel.lines.clone(), new_text: out }];
    let method_line = line_start(text, method.range.start);
    if !parses(text, method_line..line_end(text, method.range.end), &edits) {
        return Err("the result would not parse");
    }
    Ok(Refactoring { name: None, edits })
}

/// A description comment in the standard format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Description {
    pub description: Vec<String>,
    /// Name and first type of each parameter.
    pub parameters: Vec<(String, Option<String>)>,
    /// `Some` when there is a return section: its first type.
    pub returns: Option<Option<String>>,
    pub english: bool,
}

#[derive(PartialEq)]
enum Section {
    Description,
    Parameters,
    Returns,
    Other,
}

fn section_of(line: &str) -> Option<Section> {
    let head = line.trim().trim_end_matches(':').trim().to_lowercase();
    match head.as_str() {
        "параметры" | "parameters" => Some(Section::Parameters),
        "возвращаемое значение" | "returns" | "return value" => Some(Section::Returns),
        "пример" | "example" | "варианты вызова" | "call options" | "см. также" | "see also" => {
            Some(Section::Other)
        }
        _ if line.trim_end().ends_with(':') && (head.starts_with("пример") || head.starts_with("example")) => {
            Some(Section::Other)
        }
        _ => None,
    }
}

fn is_identifier(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_') && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// The first type of `Строка, Число - описание`-style text.
fn first_type(types: &str) -> Option<String> {
    let t = types.split(',').next()?.trim().trim_end_matches('.').trim();
    let t = t.split_whitespace().next()?;
    is_identifier(&t.replace('.', "_")).then(|| t.to_string())
}

/// Reads a comment's lines (without the slashes) in the standard format.
pub fn parse_description(lines: &[String]) -> Description {
    let mut section = Section::Description;
    let mut description = Vec::new();
    let mut params: Vec<(usize, String, Option<String>)> = Vec::new();
    let mut returns: Option<Option<String>> = None;
    let mut english = false;
    let mut returns_read = false;
    for line in lines {
        if let Some(s) = section_of(line) {
            english |= line.is_ascii();
            if s == Section::Returns {
                returns = Some(None);
            }
            section = s;
            continue;
        }
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        match section {
            Section::Description => description.push(trimmed.to_string()),
            Section::Parameters => {
                if trimmed.starts_with('*') {
                    continue;
                }
                let mut parts = trimmed.splitn(3, " - ");
                let (Some(name), Some(types)) = (parts.next(), parts.next()) else { continue };
                let name = name.trim();
                if is_identifier(name) {
                    let depth = line.len() - line.trim_start().len();
                    params.push((depth, name.to_string(), first_type(types)));
                }
            }
            Section::Returns => {
                if !returns_read && !trimmed.starts_with('*') {
                    returns_read = true;
                    let head = trimmed.split(" - ").next().unwrap_or(trimmed);
                    let plain = head.split(',').all(|t| t.split_whitespace().count() == 1);
                    returns = Some(first_type(head).filter(|_| plain));
                }
            }
            Section::Other => {}
        }
    }
    // Lines of nested descriptions are indented deeper than the parameters themselves.
    let depth = params.iter().map(|(d, _, _)| *d).min().unwrap_or(0);
    let parameters = params.into_iter().filter(|(d, _, _)| *d == depth).map(|(_, n, t)| (n, t)).collect();
    Description { description, parameters, returns, english }
}

/// The accusative of a feminine adjective or noun put back in the nominative.
fn nominative(word: &str) -> Option<String> {
    for (from, to) in [("ую", "ая"), ("юю", "яя")] {
        if let Some(stem) = word.strip_suffix(from) {
            return Some(format!("{stem}{to}"));
        }
    }
    None
}

fn nominative_noun(word: &str) -> String {
    if word.chars().count() > 3 {
        for (from, to) in [("у", "а"), ("ю", "я")] {
            if let Some(stem) = word.strip_suffix(from) {
                return format!("{stem}{to}");
            }
        }
    }
    word.to_string()
}

/// A verb in the third person (`Заполняет`, `Fills`) as an infinitive, else `None`.
fn infinitive(word: &str) -> Option<String> {
    let lower = word.to_lowercase();
    for (from, to) in [("яет", "ить"), ("ует", "овать"), ("ает", "ать")] {
        if lower.chars().count() > 5
            && let Some(stem) = word.strip_suffix(from)
        {
            return Some(format!("{stem}{to}"));
        }
    }
    if word.is_ascii() && word.len() > 3 {
        if let Some(stem) = word.strip_suffix("ies") {
            return Some(format!("{stem}y"));
        }
        for suffix in ["sses", "shes", "ches", "xes"] {
            if word.ends_with(suffix) {
                return Some(word[..word.len() - 2].to_string());
            }
        }
        if let Some(stem) = word.strip_suffix('s').filter(|s| !s.ends_with('s')) {
            return Some(stem.to_string());
        }
    }
    None
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The method name a description suggests (see the module's documentation for the rule).
pub fn name_from_description(line: &str) -> Option<String> {
    let line = line.trim();
    let single = line.trim_end_matches(['.', ':']);
    if is_identifier(single) {
        return Some(single.to_string());
    }
    let clause = line.split(['.', ',', ':', ';', '(', '«', '"']).next().unwrap_or("");
    let mut words: Vec<String> = clause
        .split_whitespace()
        .map(|w| w.chars().filter(|c| c.is_alphanumeric() || *c == '_').collect::<String>())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return None;
    }
    const DROPPED: &[&str] = &["возвращает", "получает", "returns", "gets", "return", "get"];
    if words.len() > 1 && DROPPED.contains(&words[0].to_lowercase().as_str()) {
        words.remove(0);
        for word in &mut words {
            if let Some(n) = nominative(word) {
                *word = n;
                continue;
            }
            *word = nominative_noun(word);
            break;
        }
    } else if words.len() > 1
        && let Some(v) = infinitive(&words[0])
    {
        words[0] = v;
    }
    let name: String = words.iter().take(4).map(|w| capitalize(w)).collect();
    is_identifier(&name).then_some(name)
}

/// An empty value of a documented type, in `lang`.
fn empty_value(ty: Option<&str>, lang: Lang) -> String {
    let t = ty.unwrap_or("").to_lowercase();
    let (ru, en) = match t.as_str() {
        "число" | "number" => ("0", "0"),
        "строка" | "string" => ("\"\"", "\"\""),
        "булево" | "boolean" => ("Ложь", "False"),
        "дата" | "date" => ("'00010101'", "'00010101'"),
        "массив" | "array" => ("Новый Массив", "New Array"),
        "структура" | "structure" => ("Новый Структура", "New Structure"),
        "соответствие" | "map" => ("Новый Соответствие", "New Map"),
        "таблицазначений" | "valuetable" => ("Новый ТаблицаЗначений", "New ValueTable"),
        "списокзначений" | "valuelist" => ("Новый СписокЗначений", "New ValueList"),
        "фиксированныймассив" | "fixedarray" => {
            ("Новый ФиксированныйМассив(Новый Массив)", "New FixedArray(New Array)")
        }
        "фиксированнаяструктура" | "fixedstructure" => {
            ("Новый ФиксированнаяСтруктура", "New FixedStructure")
        }
        _ => ("Неопределено", "Undefined"),
    };
    lang.pick(ru, en).to_string()
}

const PUBLIC_REGIONS: &[&str] = &["ПрограммныйИнтерфейс", "СлужебныйПрограммныйИнтерфейс", "Public", "Internal"];

/// The module-level `//` lines around `offset`: their range (first line's start to last
/// line's end) and their text without the slashes.
fn comment_block(parse: &Parse, offset: usize) -> Option<(Range<usize>, Vec<String>)> {
    let text = parse.text();
    let offset = offset.min(text.len());
    let is_comment_line = |start: usize| {
        let end = line_end(text, start);
        let line = text[start..end].trim_start();
        line.starts_with("//").then(|| start + (text[start..end].len() - line.len()))
    };
    let here = line_start(text, offset);
    let at = is_comment_line(here)?;
    let node = parse.root().descendant_for_byte_range(at, at + 2)?;
    if node.kind_str() != "comment" || node.parent().is_none_or(|p| p.kind_str() != "source_file") {
        return None;
    }
    let mut first = here;
    while first > 0 {
        let prev = line_start(text, first - 1);
        if is_comment_line(prev).is_none() {
            break;
        }
        first = prev;
    }
    let mut last = here;
    loop {
        let end = line_end(text, last);
        let next = text[end..].find('\n').map(|i| end + i + 1);
        match next {
            Some(n) if n < text.len() && is_comment_line(n).is_some() => last = n,
            _ => break,
        }
    }
    let range = first..line_end(text, last);
    let lines = text[range.clone()]
        .split('\n')
        .map(|l| {
            let l = l.trim_end_matches('\r').trim_start();
            let l = l.strip_prefix("//").unwrap_or(l);
            l.strip_prefix(' ').unwrap_or(l).trim_end().to_string()
        })
        .collect();
    Some((range, lines))
}

/// Method from its description: the comment under the cursor, in the standard format and
/// followed by no method, gets the method's skeleton below it.
pub fn method_from_description(parse: &Parse, offset: usize) -> Result<Refactoring, Refusal> {
    let text = parse.text();
    let module = parse.module();
    if module.methods.iter().any(|m| m.range.start <= offset && offset < m.range.end) {
        return Err("the cursor is inside a method");
    }
    let (range, lines) = comment_block(parse, offset).ok_or("the cursor is not on a module-level comment")?;
    if module
        .methods
        .iter()
        .any(|m| m.doc_comment.as_ref().is_some_and(|d| d.range.end >= range.start && d.range.start <= range.end))
    {
        return Err("the comment describes a method already");
    }
    let doc = parse_description(&lines);
    if doc.parameters.is_empty() && doc.returns.is_none() {
        return Err("the comment has neither a Параметры nor a Возвращаемое значение section");
    }
    let first = doc.description.first().ok_or("the comment has no description")?;
    let base = name_from_description(first).ok_or("no method name follows from the description")?;
    let name = (0..)
        .map(|i| if i == 0 { base.clone() } else { format!("{base}{i}") })
        .find(|n| {
            !module.methods.iter().any(|m| eq_ignore_case(&m.name, n))
                && !module.variables.iter().any(|v| eq_ignore_case(&v.name, n))
        })
        .expect("some suffix is free");
    // Methods go after the module's variables and before its body.
    let root = parse.root();
    let mut cursor = root.walk();
    for child in root.named_children(&mut cursor) {
        let kind = child.kind_str();
        if kind == "var_declaration" && child.start_byte() > range.end {
            return Err("module variables follow the comment");
        }
        if kind.ends_with("_statement") && child.start_byte() < range.start {
            return Err("the comment is in the module's body");
        }
    }
    let lang = match module.methods.first() {
        Some(m) => method_lang(parse, m),
        None if doc.english || first.is_ascii() => Lang::English,
        None => Lang::Russian,
    };
    let directive = module
        .methods
        .iter()
        .rev()
        .find(|m| m.range.end <= range.start)
        .or_else(|| module.methods.iter().find(|m| m.range.start >= range.end))
        .and_then(|m| directive_line(m, lang));
    let export =
        module.region_at(range.start).is_some_and(|r| PUBLIC_REGIONS.iter().any(|p| eq_ignore_case(p, &r.name)));
    let eol = eol(text);
    let function = doc.returns.is_some();
    let (kw, end_kw) = if function {
        (lang.pick("Функция", "Function"), lang.pick("КонецФункции", "EndFunction"))
    } else {
        (lang.pick("Процедура", "Procedure"), lang.pick("КонецПроцедуры", "EndProcedure"))
    };
    let params: Vec<&str> = doc.parameters.iter().map(|(n, _)| n.as_str()).collect();
    let mut method = String::new();
    if let Some(d) = directive {
        method.push_str(&format!("{d}{eol}"));
    }
    let export_kw = if export { lang.pick(" Экспорт", " Export") } else { "" };
    method.push_str(&format!("{kw} {name}({}){export_kw}{eol}", params.join(", ")));
    method.push_str(&format!("\t{}{eol}", lang.pick("// Реализуйте метод.", "// Implement the method.")));
    if let Some(t) = &doc.returns {
        method.push_str(&format!("\t{} {};{eol}", lang.pick("Возврат", "Return"), empty_value(t.as_deref(), lang)));
    }
    method.push_str(end_kw);
    // Inserted on the line after the comment; a blank line keeps it apart from what follows.
    let next_line = text[range.end..].find('\n').map(|i| range.end + i + 1);
    let (at, new_text) = match next_line {
        Some(n) => {
            let following = &text[n..line_end(text, n)];
            let gap = if following.trim().is_empty() { "" } else { eol };
            (n, format!("{method}{eol}{gap}"))
        }
        None => (text.len(), format!("{eol}{method}{eol}")),
    };
    // The comment and the method on their own must parse, and the comment must describe it.
    let check = Parse::new(format!("{}{eol}{method}{eol}", &text[range.clone()]));
    let ok = check.is_valid() && check.module().methods.len() == 1 && check.module().methods[0].doc_comment.is_some();
    if !ok {
        return Err("the result would not parse");
    }
    Ok(Refactoring { name: Some(name), edits: vec![Edit { range: at..at, new_text }] })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text without the `⟦`/`⟧` markers and the range between them.
    fn marked(text: &str) -> (String, Range<usize>) {
        let start = text.find('⟦').expect("start marker");
        let clean = text.replacen('⟦', "", 1);
        let end = clean.find('⟧').expect("end marker");
        (clean.replacen('⟧', "", 1), start..end)
    }

    fn run(f: fn(&Parse, Range<usize>) -> Result<Refactoring, Refusal>, text: &str) -> Result<String, Refusal> {
        let (clean, range) = marked(text);
        let parse = Parse::new(clean.clone());
        assert!(parse.is_valid(), "the fixture parses: {clean}");
        let done = f(&parse, range)?;
        let after = bsl_analysis::apply_edits(&clean, &done.edits);
        assert!(Parse::new(after.clone()).is_valid(), "the result parses:\n{after}");
        Ok(after)
    }

    fn extract(text: &str) -> Result<String, Refusal> {
        run(extract_method, text)
    }

    fn wrap(text: &str) -> Result<String, Refusal> {
        run(wrap_in_transaction, text)
    }

    fn generate(text: &str) -> Result<String, Refusal> {
        let offset = text.find('⟦').expect("cursor marker");
        let clean = text.replacen('⟦', "", 1);
        let parse = Parse::new(clean.clone());
        let done = method_from_description(&parse, offset)?;
        let after = bsl_analysis::apply_edits(&clean, &done.edits);
        assert!(Parse::new(after.clone()).is_valid(), "the result parses:\n{after}");
        Ok(after)
    }

    #[test]
    fn extract_a_procedure_with_parameters() {
        let before = "&НаСервере\nПроцедура Провести(Документ)\n\tСумма = Документ.Сумма;\n\
                      ⟦\tСообщить(Сумма);\n\tДокумент.Записать();\n⟧\tВозврат;\nКонецПроцедуры\n";
        assert_eq!(
            extract(before).unwrap(),
            "&НаСервере\nПроцедура Провести(Документ)\n\tСумма = Документ.Сумма;\n\tНовыйМетод(Сумма, Документ);\n\
             \tВозврат;\nКонецПроцедуры\n\n&НаСервере\nПроцедура НовыйМетод(Сумма, Документ)\n\tСообщить(Сумма);\n\
             \tДокумент.Записать();\nКонецПроцедуры\n"
        );
    }

    #[test]
    fn extract_a_function_returning_the_one_value_read_after() {
        let before = "Функция Итог(А, Б)\n\t⟦Временная = А * 2;\n\tРезультат = Временная + Б;⟧\n\
                      \tВозврат Результат;\nКонецФункции\n";
        assert_eq!(
            extract(before).unwrap(),
            "Функция Итог(А, Б)\n\tРезультат = НовыйМетод(А, Б);\n\tВозврат Результат;\nКонецФункции\n\n\
             Функция НовыйМетод(А, Б)\n\tВременная = А * 2;\n\tРезультат = Временная + Б;\n\n\
             \tВозврат Результат;\nКонецФункции\n"
        );
    }

    #[test]
    fn a_value_assigned_before_and_maybe_reassigned_is_passed_in_and_returned() {
        let before = "Процедура П(Флаг)\n\tЗначение = 1;\n\t⟦Если Флаг Тогда\n\t\tЗначение = 2;\n\tКонецЕсли;⟧\n\
                      \tСообщить(Значение);\nКонецПроцедуры\n";
        let after = extract(before).unwrap();
        assert!(after.contains("\tЗначение = НовыйМетод(Флаг, Значение);\n"), "{after}");
        assert!(after.contains("Функция НовыйМетод(Флаг, Значение)\n"), "{after}");
    }

    #[test]
    fn several_outputs_are_passed_by_reference() {
        let before = "Процедура П(Таблица)\n⟦\tСумма = 0;\n\tКоличество = 0;\n\
                      \tДля Каждого Строка Из Таблица Цикл\n\t\tСумма = Сумма + Строка.Сумма;\n\
                      \t\tКоличество = Количество + 1;\n\tКонецЦикла;\n⟧\tСообщить(Сумма / Количество);\n\
                      КонецПроцедуры\n";
        assert_eq!(
            extract(before).unwrap(),
            "Процедура П(Таблица)\n\tСумма = Неопределено;\n\tКоличество = Неопределено;\n\
             \tНовыйМетод(Сумма, Количество, Таблица);\n\tСообщить(Сумма / Количество);\nКонецПроцедуры\n\n\
             Процедура НовыйМетод(Сумма, Количество, Таблица)\n\tСумма = 0;\n\tКоличество = 0;\n\
             \tДля Каждого Строка Из Таблица Цикл\n\t\tСумма = Сумма + Строка.Сумма;\n\
             \t\tКоличество = Количество + 1;\n\tКонецЦикла;\nКонецПроцедуры\n"
        );
    }

    #[test]
    fn a_parameter_assigned_in_the_selection_is_an_output() {
        let before = "Процедура П(Значение)\n\t⟦Значение = Значение + 1;⟧\nКонецПроцедуры\n";
        let after = extract(before).unwrap();
        assert!(after.contains("\tЗначение = НовыйМетод(Значение);\n"), "{after}");
    }

    #[test]
    fn a_value_carried_to_the_next_turn_of_a_loop_is_passed_in() {
        let before = "Процедура П(Массив)\n\tДля Каждого Э Из Массив Цикл\n\t\tСообщить(Предыдущее);\n\
                      \t\t⟦Если Э > 0 Тогда\n\t\t\tПредыдущее = Э;\n\t\tКонецЕсли;⟧\n\tКонецЦикла;\nКонецПроцедуры\n";
        let after = extract(before).unwrap();
        assert!(after.contains("\t\tПредыдущее = НовыйМетод(Э, Предыдущее);\n"), "{after}");
    }

    #[test]
    fn extract_keeps_english_keywords_directives_and_takes_a_free_name() {
        let before = "&AtClient\nProcedure Run(X)\n\t⟦Message(X);⟧\nEndProcedure\n\n\
                      &AtClient\nProcedure NewMethod()\nEndProcedure\n";
        let after = extract(before).unwrap();
        assert!(after.contains("\tNewMethod1(X);\n"), "{after}");
        assert!(after.contains("&AtClient\nProcedure NewMethod1(X)\n\tMessage(X);\nEndProcedure"), "{after}");
    }

    #[test]
    fn extract_in_crlf_text_with_an_await() {
        let before = "&НаКлиенте\r\nАсинх Процедура П()\r\n\t⟦Ответ = Ждать ВопросАсинх(\"?\", РежимДиалогаВопрос.ДаНет);⟧\r\n\
                      \tСообщить(Ответ);\r\nКонецПроцедуры\r\n";
        let after = extract(before).unwrap();
        assert!(after.contains("\tОтвет = Ждать НовыйМетод();\r\n"), "{after}");
        assert!(after.contains("&НаКлиенте\r\nАсинх Функция НовыйМетод()\r\n"), "{after}");
        assert!(!after.replace("\r\n", "").contains('\n'), "CRLF kept: {after:?}");
    }

    #[test]
    fn a_loop_with_its_own_break_can_be_extracted() {
        let before = "Процедура П(М)\n\t⟦Для Каждого Э Из М Цикл\n\t\tЕсли Э = 0 Тогда\n\t\t\tПрервать;\n\
                      \t\tКонецЕсли;\n\tКонецЦикла;⟧\nКонецПроцедуры\n";
        assert!(extract(before).unwrap().contains("\tНовыйМетод(М);\n"));
    }

    #[test]
    fn extract_refusals() {
        let cases = [
            ("Процедура П(А)\n\tЕсли А Тогда\n\t\t⟦Возврат;⟧\n\tКонецЕсли;\nКонецПроцедуры\n", "returns"),
            (
                "Процедура П(М)\n\tДля Каждого Э Из М Цикл\n\t\t⟦Прервать;⟧\n\tКонецЦикла;\nКонецПроцедуры\n",
                "leaves the selection",
            ),
            (
                "Процедура П(М)\n\tПока М Цикл\n\t\t⟦Продолжить;⟧\n\tКонецЦикла;\nКонецПроцедуры\n",
                "leaves the selection",
            ),
            ("Процедура П()\n\t⟦Перейти ~Метка;⟧\n\t~Метка:\nКонецПроцедуры\n", "goto"),
            ("Процедура П()\n\t⟦~Метка:⟧\n\tА = 1;\nКонецПроцедуры\n", "label"),
            ("Процедура П(А)\n\tБ = ⟦А + 1⟧;\nКонецПроцедуры\n", "not whole statements"),
            ("Процедура П(А)\n\t⟦Б = А;⟧ В = Б;\n\tСообщить(В);\nКонецПроцедуры\n", "last selected line"),
            ("Процедура П(А)\n\tЕсли А Тогда ⟦Б = 1;⟧ КонецЕсли;\nКонецПроцедуры\n", "first selected line"),
            (
                "Процедура П(А)\n\t⟦Б = 1;\n\tЕсли А Тогда⟧\n\t\tБ = 2;\n\tКонецЕсли;\nКонецПроцедуры\n",
                "not whole statements",
            ),
            (
                "Процедура П(А)\n\tБ = 0;\n⟦\tБ = 1;\n#Область О\n\tБ = 2;\n⟧#КонецОбласти\n\tСообщить(Б);\nКонецПроцедуры\n",
                "preprocessor or region line",
            ),
            (
                "Процедура П(А)\n#Если Сервер Тогда\n\t⟦Б = 1;⟧\n#КонецЕсли\nКонецПроцедуры\n",
                "preprocessor or extension block",
            ),
            ("Процедура П(А)\n\t⟦Выполнить(\"Б = А\");⟧\nКонецПроцедуры\n", "Выполнить"),
            ("Процедура П(А)\n\t⟦Б = Вычислить(\"А\");⟧\n\tСообщить(Б);\nКонецПроцедуры\n", "Вычислить"),
            ("⟦А = 1;⟧\n", "not inside a method"),
            ("&Вместо(\"П\")\nПроцедура Расш_П(А)\n\t⟦ПродолжитьВызов(А);⟧\nКонецПроцедуры\n", "ПродолжитьВызов"),
            (
                "&ИзменениеИКонтроль(\"П\")\nПроцедура Расш_П(А)\n\t⟦Б = А;⟧\n#Вставка\n\tСообщить(Б);\n#КонецВставки\nКонецПроцедуры\n",
                "ИзменениеИКонтроль",
            ),
            ("Процедура П(А)\n\tБ = 1;\n⟦⟧КонецПроцедуры\n", "nothing"),
            (
                "&НаКлиенте\nАсинх Процедура П()\n\t⟦А = Ждать Ф();\n\tБ = Ждать Ф();⟧\n\tСообщить(А + Б);\nКонецПроцедуры\n",
                "Асинх",
            ),
            (
                "Процедура П(М)\n\tПока М Цикл\n\t\t⟦А = 1;\n\t\tБ = 2;⟧\n\t\tСообщить(А + Б);\n\tКонецЦикла;\nКонецПроцедуры\n",
                "inside a loop",
            ),
        ];
        for (text, why) in cases {
            let refusal = extract(text).expect_err(text);
            assert!(refusal.contains(why), "{why}: {refusal}");
        }
    }

    #[test]
    fn wrap_in_a_transaction_the_standard_way() {
        let before = "Процедура ЗаписатьНабор(Набор)\n\tЕсли Набор.Количество() > 0 Тогда\n\
                      ⟦\t\tНабор.Записать();\n\t\tСообщить(\"|\n\t\t|\");\n⟧\tКонецЕсли;\nКонецПроцедуры\n";
        assert_eq!(
            wrap(before).unwrap(),
            "Процедура ЗаписатьНабор(Набор)\n\tЕсли Набор.Количество() > 0 Тогда\n\t\tНачатьТранзакцию();\n\
             \t\tПопытка\n\t\t\tНабор.Записать();\n\t\t\tСообщить(\"|\n\t\t\t|\");\n\t\t\tЗафиксироватьТранзакцию();\n\
             \t\tИсключение\n\t\t\tОтменитьТранзакцию();\n\
             \t\t\tЗаписьЖурналаРегистрации(НСтр(\"ru = 'Записать набор'\", \"ru\"), УровеньЖурналаРегистрации.Ошибка, , ,\n\
             \t\t\t\tПодробноеПредставлениеОшибки(ИнформацияОбОшибке()));\n\t\t\tВызватьИсключение;\n\
             \t\tКонецПопытки;\n\tКонецЕсли;\nКонецПроцедуры\n"
        );
    }

    #[test]
    fn wrap_in_english() {
        let before = "Procedure Save(Set)\n    ⟦Set.Write();⟧\nEndProcedure\n";
        assert_eq!(
            wrap(before).unwrap(),
            "Procedure Save(Set)\n    BeginTransaction();\n    Try\n        Set.Write();\n        CommitTransaction();\n\
             \x20   Except\n        RollbackTransaction();\n\
             \x20       WriteLogEvent(NStr(\"en = 'Save'\", \"en\"), EventLogLevel.Error, , ,\n\
             \x20           DetailErrorDescription(ErrorInfo()));\n        Raise;\n    EndTry;\nEndProcedure\n"
        );
    }

    #[test]
    fn wrap_refusals() {
        let cases = [
            ("Процедура П(Н)\n\t⟦НачатьТранзакцию();\n\tН.Записать();⟧\nКонецПроцедуры\n", "already manage"),
            (
                "Процедура П(Н)\n\tНачатьТранзакцию();\n\tПопытка\n\t\t⟦Н.Записать();⟧\n\t\tЗафиксироватьТранзакцию();\n\
                 \tИсключение\n\t\tОтменитьТранзакцию();\n\t\tВызватьИсключение;\n\tКонецПопытки;\nКонецПроцедуры\n",
                "already inside",
            ),
            ("Процедура П(Н)\n\t⟦Н.Записать();\n\tВозврат;⟧\nКонецПроцедуры\n", "returns"),
            ("Процедура П(Н)\n\tН.⟦Записать()⟧;\nКонецПроцедуры\n", "not whole statements"),
            (
                "&ИзменениеИКонтроль(\"П\")\nПроцедура Расш_П(Н)\n\t⟦Н.Записать();⟧\nКонецПроцедуры\n",
                "ИзменениеИКонтроль",
            ),
        ];
        for (text, why) in cases {
            let refusal = wrap(text).expect_err(text);
            assert!(refusal.contains(why), "{why}: {refusal}");
        }
    }

    #[test]
    fn a_method_from_its_description() {
        let before = "#Область ПрограммныйИнтерфейс\n\n// Возвращает сумму документа по строкам.\n//\n\
                      // Параметры:\n//  Документ - ДокументСсылка.Заказ - документ.\n//  Строки   - Массив - строки:\n\
                      //    * Сумма - Число - сумма строки.\n//\n// Возвращаемое значение:\n//  Число - сумма.\n⟦\n\
                      #КонецОбласти\n";
        let before = before.replace("⟦\n", "\n");
        let offset = before.find("// Возвращает").unwrap() + 5;
        let marked = format!("{}⟦{}", &before[..offset], &before[offset..]);
        assert_eq!(
            generate(&marked).unwrap(),
            "#Область ПрограммныйИнтерфейс\n\n// Возвращает сумму документа по строкам.\n//\n\
             // Параметры:\n//  Документ - ДокументСсылка.Заказ - документ.\n//  Строки   - Массив - строки:\n\
             //    * Сумма - Число - сумма строки.\n//\n// Возвращаемое значение:\n//  Число - сумма.\n\
             Функция СуммаДокументаПоСтрокам(Документ, Строки) Экспорт\n\t// Реализуйте метод.\n\tВозврат 0;\n\
             КонецФункции\n\n#КонецОбласти\n"
        );
    }

    #[test]
    fn a_procedure_from_its_description_takes_the_directive_above() {
        let before = "&НаСервере\nПроцедура А()\nКонецПроцедуры\n\n// Заполняет табличную часть.\n//\n\
                      // Параметры:\n//  Отбор - Структура - отбор.\n⟦\nПроцедура Б()\nКонецПроцедуры\n";
        let before = before.replace("⟦", "");
        let offset = before.find("// Параметры").unwrap();
        let marked = format!("{}⟦{}", &before[..offset], &before[offset..]);
        let after = generate(&marked).unwrap();
        assert!(
            after.contains(
                "//  Отбор - Структура - отбор.\n&НаСервере\nПроцедура ЗаполнитьТабличнуюЧасть(Отбор)\n\
                            \t// Реализуйте метод.\nКонецПроцедуры\n\nПроцедура Б()"
            ),
            "{after}"
        );
    }

    #[test]
    fn names_from_descriptions() {
        let cases = [
            ("Возвращает сумму документа", Some("СуммаДокумента")),
            ("Получает пустую структуру настроек.", Some("ПустаяСтруктураНастроек")),
            ("Формирует печатную форму", Some("ФормироватьПечатнуюФорму")),
            ("Создает новый элемент", Some("СоздатьНовыйЭлемент")),
            ("ПолучитьСумму", Some("ПолучитьСумму")),
            ("Returns the document total", Some("TheDocumentTotal")),
            ("Fills the table.", Some("FillTheTable")),
            ("Массив строк, разделенных запятой", Some("МассивСтрок")),
            ("Признак НДС в цене документа и прочее", Some("ПризнакНДСВЦене")),
            ("...", None),
        ];
        for (line, name) in cases {
            assert_eq!(name_from_description(line).as_deref(), name, "{line}");
        }
    }

    #[test]
    fn description_refusals() {
        let cases = [
            (
                "// Описание.\n//\n// Параметры:\n//  А - Число - а.\nПроцедура П(А)\nКонецПроцедуры\n",
                "describes a method",
            ),
            ("// Просто ⟦комментарий.\n\nПроцедура П()\nКонецПроцедуры\n", "neither"),
            (
                "Процедура П()\n\t// Возвращает ⟦сумму.\n\t//\n\t// Возвращаемое значение:\n\t//  Число - сумма.\nКонецПроцедуры\n",
                "inside a method",
            ),
            (
                "Процедура П()\nКонецПроцедуры\n\nА = 1;\n// Возвращает ⟦сумму.\n// Возвращаемое значение:\n//  Число.\n",
                "module's body",
            ),
            ("// Возвращает ⟦сумму.\n// Возвращаемое значение:\n//  Число.\n\nПерем А;\n", "variables follow"),
        ];
        for (text, why) in cases {
            let text = if text.contains('⟦') { text.to_string() } else { text.replacen("//", "//⟦", 1) };
            let refusal = generate(&text).expect_err(&text);
            assert!(refusal.contains(why), "{why}: {refusal}");
        }
    }

    #[test]
    fn descriptions_are_read() {
        let lines: Vec<String> = [
            "Описание.",
            "",
            "Параметры:",
            "  А - Строка, Число - а",
            "    продолжение - текст",
            "  Б - Массив из Строка - б",
            "",
            "Возвращаемое значение:",
            "  Булево - Истина, если да.",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let doc = parse_description(&lines);
        assert_eq!(
            doc.parameters,
            [("А".to_string(), Some("Строка".to_string())), ("Б".to_string(), Some("Массив".to_string()))]
        );
        assert_eq!(doc.returns, Some(Some("Булево".to_string())));
        assert_eq!(empty_value(Some("Булево"), Lang::Russian), "Ложь");
        assert_eq!(empty_value(None, Lang::English), "Undefined");
    }
}

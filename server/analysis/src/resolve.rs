//! Name resolution inside one module: what a name at a position refers to (a method, a
//! module variable, a parameter or a local variable) and every place that refers to the
//! same thing. Names are compared case-insensitively, as the platform does. Member names
//! (`Объект.Имя`) are not resolved here: they belong to other modules or to platform
//! objects, which the workspace index answers for.

use bsl_syntax::NodeExt;
use std::ops::Range;

use bsl_syntax::{Module, Parse, keywords::eq_ignore_case};
use tree_sitter::Node;

/// What a name refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Symbol {
    /// A method of this module, by index in `Module::methods`.
    Method(usize),
    /// A module variable, by index in `Module::variables`.
    ModuleVariable(usize),
    /// A parameter: the method's index and the parameter's index.
    Parameter { method: usize, index: usize },
    /// A local variable of a method: declared with `Перем` or created by its first
    /// assignment (`range` is that declaration or first assignment target).
    Local { method: usize, name: String, range: Range<usize> },
}

/// How a name is used at one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The declaration itself.
    Declaration,
    /// The target of an assignment or loop variable.
    Write,
    Read,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub range: Range<usize>,
    pub access: Access,
}

fn lower(text: &str) -> String {
    text.to_lowercase()
}

/// The identifier node at an offset (at its end too, where the cursor stands after typing).
pub fn identifier_at(parse: &Parse, offset: usize) -> Option<Node<'_>> {
    let root = parse.root();
    let at = |o: usize| root.descendant_for_byte_range(o, o).filter(|n| n.kind_str() == "identifier");
    at(offset).or_else(|| offset.checked_sub(1).and_then(at))
}

/// Whether an identifier is the member name of `А.Имя` (or an annotation name, label or
/// annotation parameter): such names are not variables of this module.
fn is_member_like(node: Node<'_>) -> bool {
    let Some(parent) = node.parent() else { return false };
    match parent.kind_str() {
        "member_expression" => parent.field("property") == Some(node),
        "annotation" | "annotation_argument" | "label" => true,
        "new_expression" => parent.field("type") == Some(node),
        _ => false,
    }
}

/// Whether the identifier is the called name of a call: `Имя(...)`.
fn is_called(node: Node<'_>) -> bool {
    node.parent().is_some_and(|p| p.kind_str() == "call_expression" && p.field("function") == Some(node))
}

fn method_index_at(module: &Module, offset: usize) -> Option<usize> {
    module.methods.iter().position(|m| m.range.contains(&offset))
}

/// The locals of a method in declaration order: `Перем` names, then names first assigned
/// (`А = ...`, `Для А = ...`, `Для Каждого А Из ...`) that are neither parameters nor module
/// variables.
pub fn locals(parse: &Parse, module: &Module, method: usize) -> Vec<(String, Range<usize>)> {
    let text = parse.text();
    let m = &module.methods[method];
    let Some(body) = m.body_range.clone() else { return Vec::new() };
    let Some(body_node) = parse.root().descendant_for_byte_range(body.start, body.end) else { return Vec::new() };
    let is_parameter = |name: &str| m.parameters.iter().any(|p| eq_ignore_case(&p.name, name));
    let is_module_variable = |name: &str| module.variables.iter().any(|v| eq_ignore_case(&v.name, name));
    let mut out: Vec<(String, Range<usize>)> = Vec::new();
    let add = |node: Node<'_>, out: &mut Vec<(String, Range<usize>)>| {
        let name = &text[node.byte_range()];
        if !is_parameter(name) && !out.iter().any(|(n, _)| eq_ignore_case(n, name)) {
            out.push((name.to_string(), node.byte_range()));
        }
    };
    for node in bsl_syntax::walk::preorder(body_node) {
        match node.kind_str() {
            "var_item" => {
                if let Some(name) = node.field("name") {
                    add(name, &mut out);
                }
            }
            "assignment_statement" => {
                if let Some(left) = node.field("left").filter(|l| l.kind_str() == "identifier")
                    && !is_module_variable(&text[left.byte_range()])
                {
                    add(left, &mut out);
                }
            }
            "for_statement" | "for_each_statement" => {
                if let Some(variable) = node.field("variable")
                    && !is_module_variable(&text[variable.byte_range()])
                {
                    add(variable, &mut out);
                }
            }
            _ => {}
        }
    }
    out
}

/// What the identifier at `offset` refers to in this module.
pub fn symbol_at(parse: &Parse, module: &Module, offset: usize) -> Option<Symbol> {
    let node = identifier_at(parse, offset)?;
    if is_member_like(node) {
        return None;
    }
    let name = &parse.text()[node.byte_range()];
    // A method's own name in its declaration.
    if let Some(index) = module.methods.iter().position(|m| m.name_range == node.byte_range()) {
        return Some(Symbol::Method(index));
    }
    if is_called(node) {
        return module.methods.iter().position(|m| eq_ignore_case(&m.name, name)).map(Symbol::Method);
    }
    if let Some(method) = method_index_at(module, offset) {
        let m = &module.methods[method];
        if let Some(index) = m.parameters.iter().position(|p| eq_ignore_case(&p.name, name)) {
            return Some(Symbol::Parameter { method, index });
        }
        if let Some((local, range)) = locals(parse, module, method).into_iter().find(|(n, _)| eq_ignore_case(n, name)) {
            return Some(Symbol::Local { method, name: local, range });
        }
    }
    if let Some(index) = module.variables.iter().position(|v| eq_ignore_case(&v.name, name)) {
        return Some(Symbol::ModuleVariable(index));
    }
    // A method name used as a value (rare, but `ОписаниеОповещения` takes names as strings,
    // so a bare name is still most likely the method).
    module.methods.iter().position(|m| eq_ignore_case(&m.name, name)).map(Symbol::Method)
}

/// The name and the declaration range of a symbol.
pub fn declaration(module: &Module, symbol: &Symbol) -> (String, Range<usize>) {
    match symbol {
        Symbol::Method(i) => (module.methods[*i].name.clone(), module.methods[*i].name_range.clone()),
        Symbol::ModuleVariable(i) => (module.variables[*i].name.clone(), module.variables[*i].name_range.clone()),
        Symbol::Parameter { method, index } => {
            let p = &module.methods[*method].parameters[*index];
            (p.name.clone(), p.name_range.clone())
        }
        Symbol::Local { name, range, .. } => (name.clone(), range.clone()),
    }
}

fn access_of(node: Node<'_>) -> Access {
    let Some(parent) = node.parent() else { return Access::Read };
    match parent.kind_str() {
        "assignment_statement" if parent.field("left") == Some(node) => Access::Write,
        "for_statement" | "for_each_statement" if parent.field("variable") == Some(node) => Access::Write,
        "var_item" | "parameter" | "method_declaration" => Access::Declaration,
        _ => Access::Read,
    }
}

/// Every place in the module that refers to `symbol`, declaration included, in order.
pub fn references(parse: &Parse, module: &Module, symbol: &Symbol) -> Vec<Reference> {
    let text = parse.text();
    let (name, declared) = declaration(module, symbol);
    let key = lower(&name);
    // Where to look: the method for parameters and locals, the whole module otherwise.
    let scope: Range<usize> = match symbol {
        Symbol::Parameter { method, .. } | Symbol::Local { method, .. } => module.methods[*method].range.clone(),
        _ => 0..text.len(),
    };
    let mut out = Vec::new();
    let in_scope = |node: Node<'_>| node.end_byte() > scope.start && node.start_byte() < scope.end;
    for node in bsl_syntax::walk::preorder_where(parse.root(), in_scope) {
        let range = node.byte_range();
        if in_scope(node)
            && node.kind_str() == "identifier"
            && lower(&text[range.clone()]) == key
            && !is_member_like(node)
        {
            let same = match symbol {
                Symbol::Method(_) => {
                    is_called(node) || module.methods.iter().any(|m| m.name_range == range) || {
                        // A bare use of the name where no variable shadows it.
                        symbol_at(parse, module, range.start).as_ref() == Some(symbol)
                    }
                }
                Symbol::ModuleVariable(_) => {
                    !is_called(node) && symbol_at(parse, module, range.start).as_ref() == Some(symbol)
                }
                Symbol::Parameter { .. } | Symbol::Local { .. } => !is_called(node),
            };
            if same {
                let access = if range == declared { Access::Declaration } else { access_of(node) };
                out.push(Reference { range, access });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Перем Счетчик;\n\nПроцедура Увеличить(Шаг) Экспорт\n\tПерем Итог;\n\tИтог = Счетчик + Шаг;\n\tСчетчик = Итог;\n\tДля Каждого Элемент Из Коллекция Цикл\n\t\tЭлемент.Шаг = шаг;\n\tКонецЦикла;\n\tСбросить();\nКонецПроцедуры\n\nПроцедура Сбросить()\n\tСчетчик = 0;\n\tИтог = 1;\nКонецПроцедуры\n";

    fn at(text: &str, needle: &str, nth: usize) -> usize {
        text.match_indices(needle).nth(nth).unwrap().0
    }

    fn names(parse: &Parse, refs: &[Reference]) -> Vec<(String, Access)> {
        refs.iter().map(|r| (parse.text()[r.range.clone()].to_string(), r.access)).collect()
    }

    #[test]
    fn parameters_locals_and_module_variables() {
        let parse = Parse::new(TEXT);
        let module = parse.module();
        let step = symbol_at(&parse, &module, at(TEXT, "Шаг", 1)).unwrap();
        assert_eq!(step, Symbol::Parameter { method: 0, index: 0 });
        let refs = references(&parse, &module, &step);
        // `Элемент.Шаг` is a member, not the parameter; `шаг` in lower case is.
        assert_eq!(
            names(&parse, &refs),
            [("Шаг".into(), Access::Declaration), ("Шаг".into(), Access::Read), ("шаг".into(), Access::Read)]
        );
        let counter = symbol_at(&parse, &module, at(TEXT, "Счетчик", 3)).unwrap();
        assert_eq!(counter, Symbol::ModuleVariable(0));
        assert_eq!(references(&parse, &module, &counter).len(), 4);
        // `Итог` in the second method is another local of that method.
        let total = symbol_at(&parse, &module, at(TEXT, "Итог", 3)).unwrap();
        assert!(matches!(total, Symbol::Local { method: 1, .. }));
        assert_eq!(references(&parse, &module, &total).len(), 1);
        let first_total = symbol_at(&parse, &module, at(TEXT, "Итог", 1)).unwrap();
        assert_eq!(
            names(&parse, &references(&parse, &module, &first_total)).iter().map(|(_, a)| *a).collect::<Vec<_>>(),
            [Access::Declaration, Access::Write, Access::Read]
        );
    }

    #[test]
    fn methods_from_calls_and_declarations() {
        let parse = Parse::new(TEXT);
        let module = parse.module();
        let call = symbol_at(&parse, &module, at(TEXT, "Сбросить", 0)).unwrap();
        assert_eq!(call, Symbol::Method(1));
        let refs = references(&parse, &module, &call);
        assert_eq!(refs.len(), 2);
        assert_eq!(refs[1].access, Access::Declaration);
        assert_eq!(symbol_at(&parse, &module, at(TEXT, "Элемент.", 0) + "Элемент.".len()), None, "a member");
    }
}

; Scopes, definitions and references of names. A method is a scope; its parameters, `Перем`
; names and plain assignment targets are its definitions. Names are case-insensitive in BSL,
; which tree-sitter's locals matching does not know: editors match them as written.
(source_file) @local.scope
(method_declaration) @local.scope

(method_declaration
  name: (identifier) @local.definition.function)

(parameter
  name: (identifier) @local.definition.parameter)

(var_item
  name: (identifier) @local.definition.var)

(assignment_statement
  left: (identifier) @local.definition.var)

(for_statement
  variable: (identifier) @local.definition.var)

(for_each_statement
  variable: (identifier) @local.definition.var)

(identifier) @local.reference

; Syntax highlighting for BSL and OneScript. Keywords are anonymous nodes named in
; English whatever language the code is written in. The tree-sitter highlighter lets a
; later pattern override an earlier one for the same node, so the catch-all comes first.

(identifier) @variable

(comment) @comment @spell
(shebang) @keyword.directive

[
  (preproc_if)
  (preproc_elsif)
  (preproc_else)
  (preproc_endif)
  (preproc_line)
] @keyword.directive

[
  (preproc_region)
  (preproc_endregion)
] @keyword.directive

[
  (preproc_insert)
  (preproc_endinsert)
] @keyword.directive

(preproc_delete) @comment
(preproc_use) @keyword.import

[
  "if"
  "then"
  "elsif"
  "else"
  "endif"
] @keyword.conditional

[
  "for"
  "each"
  "in"
  "to"
  "while"
  "do"
  "enddo"
  "break"
  "continue"
] @keyword.repeat

[
  "try"
  "except"
  "endtry"
  "raise"
] @keyword.exception

[
  "procedure"
  "function"
  "endprocedure"
  "endfunction"
] @keyword.function

"return" @keyword.return

[
  "var"
  "export"
  "val"
  "goto"
  "execute"
  "addhandler"
  "removehandler"
] @keyword

"new" @keyword.operator

[
  "async"
  "await"
] @keyword.coroutine

[
  "and"
  "or"
  "not"
] @keyword.operator

[
  "="
  "<>"
  "<"
  ">"
  "<="
  ">="
  "+"
  "-"
  "*"
  "/"
  "%"
  "?"
] @operator

[
  "("
  ")"
  "["
  "]"
] @punctuation.bracket

[
  ","
  ";"
  "."
  ":"
] @punctuation.delimiter

(string) @string
(date) @string.special
(number) @number
(boolean) @boolean
[
  (undefined)
  (null)
] @constant.builtin

(annotation
  "&" @attribute
  name: (identifier) @attribute)

(annotation_argument
  name: (identifier) @variable.parameter)

(label) @label

(method_declaration
  name: (identifier) @function)

(parameter
  name: (identifier) @variable.parameter)

(member_expression
  property: (identifier) @property)

(call_expression
  function: (identifier) @function.call)

(call_expression
  function: (member_expression
    property: (identifier) @function.method.call))


(new_expression
  type: (identifier) @type)

(var_item
  name: (identifier) @variable)


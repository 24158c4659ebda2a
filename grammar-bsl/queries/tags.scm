; Code navigation tags: method definitions (with the comment above them as documentation)
; and calls.
(
  (comment)* @doc
  .
  (method_declaration
    name: (identifier) @name) @definition.function
  (#strip! @doc "(?m)^[ \\t]*//[ \\t]*")
  (#select-adjacent! @doc @definition.function)
)

(call_expression
  function: (identifier) @name) @reference.call

(call_expression
  function: (member_expression
    property: (identifier) @name)) @reference.call

(new_expression
  type: (identifier) @name) @reference.class

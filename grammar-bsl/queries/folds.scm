; Folding for editors that fold with tree-sitter. Regions (`#Область ... #КонецОбласти`)
; and `#Если` blocks are flat preprocessor lines in the tree; the language server pairs them
; and sends their folding ranges itself.
[
  (method_declaration)
  (if_statement)
  (elsif_clause)
  (else_clause)
  (while_statement)
  (for_statement)
  (for_each_statement)
  (try_statement)
  (except_clause)
  (string)
  (preproc_delete)
  (arguments)
] @fold

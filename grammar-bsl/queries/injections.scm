; The 1C query language inside strings: a string whose text starts (after the quote, blanks
; and `|`) with ВЫБРАТЬ/SELECT or УНИЧТОЖИТЬ/DROP is a query.
((string) @injection.content
  (#match? @injection.content "^\"[\\s|]*([Вв][Ыы][Бб][Рр][Аа][Тт][Ьь]|[Ss][Ee][Ll][Ee][Cc][Tt]|[Уу][Нн][Ии][Чч][Тт][Оо][Жж][Ии][Тт][Ьь]|[Dd][Rr][Oo][Pp])")
  (#set! injection.language "sdbl"))

; The text of comments, for editors that highlight TODO markers in comments.
((comment) @injection.content
  (#set! injection.language "comment"))

/**
 * @file Tree-sitter grammar for 1C:Enterprise's built-in language (BSL) and OneScript.
 *
 * One grammar for both keyword languages: every keyword is a case-insensitive regex
 * matching the Russian and the English spelling. Preprocessor lines (`#Если`, `#Область`,
 * `#Вставка`, ...) are extras produced by the external scanner, so they may stand between
 * any two tokens, as they do in real code; the syntax layer pairs them into regions and
 * conditional blocks afterwards. `#Удаление ... #КонецУдаления` is one extra token: the
 * deleted text is not code. Strings are scanned externally because a multi-line string
 * may have comment and preprocessor lines between its `|` continuation lines.
 */

/* eslint-disable no-undef */

// Operator priorities, lowest first, as the platform documents them. Note that `НЕ`
// binds looser than the comparisons: `НЕ А = Б` is `НЕ (А = Б)`.
const PREC = {
  or: 1,
  and: 2,
  not: 3,
  compare: 4,
  add: 5,
  multiply: 6,
  unary: 7,
  postfix: 8,
};

// Russian and English spelling of each keyword; the key is the node name editors see.
const KEYWORDS = {
  if: ['Если', 'If'],
  then: ['Тогда', 'Then'],
  elsif: ['ИначеЕсли', 'ElsIf'],
  else: ['Иначе', 'Else'],
  endif: ['КонецЕсли', 'EndIf'],
  for: ['Для', 'For'],
  each: ['Каждого', 'Each'],
  in: ['Из', 'In'],
  to: ['По', 'To'],
  while: ['Пока', 'While'],
  do: ['Цикл', 'Do'],
  enddo: ['КонецЦикла', 'EndDo'],
  break: ['Прервать', 'Break'],
  continue: ['Продолжить', 'Continue'],
  procedure: ['Процедура', 'Procedure'],
  endprocedure: ['КонецПроцедуры', 'EndProcedure'],
  function: ['Функция', 'Function'],
  endfunction: ['КонецФункции', 'EndFunction'],
  var: ['Перем', 'Var'],
  export: ['Экспорт', 'Export'],
  val: ['Знач', 'Val'],
  return: ['Возврат', 'Return'],
  try: ['Попытка', 'Try'],
  except: ['Исключение', 'Except'],
  endtry: ['КонецПопытки', 'EndTry'],
  raise: ['ВызватьИсключение', 'Raise'],
  goto: ['Перейти', 'Goto'],
  new: ['Новый', 'New'],
  execute: ['Выполнить', 'Execute'],
  and: ['И', 'And'],
  or: ['ИЛИ', 'Or'],
  not: ['НЕ', 'Not'],
  true: ['Истина', 'True'],
  false: ['Ложь', 'False'],
  undefined: ['Неопределено', 'Undefined'],
  null: ['NULL', 'NULL'],
  addhandler: ['ДобавитьОбработчик', 'AddHandler'],
  removehandler: ['УдалитьОбработчик', 'RemoveHandler'],
};

// The lexical token of a keyword: both spellings, any case.
const KEYWORD_TOKENS = Object.fromEntries(
  Object.entries(KEYWORDS).map(([name, [ru, en]]) => {
    const source = ru === en ? ru : `${ru}|${en}`;
    return [name, new RegExp(source, 'i')];
  }),
);

// A keyword as it appears in the tree: an anonymous node named in English.
const kw = (name) => alias(KEYWORD_TOKENS[name], name);

// Every Unicode space the platform treats as blank, including NBSP and the BOM.
const BLANK = /[ \t\r\n\f\v\u00A0\u1680\u2000-\u200B\u2028\u2029\u202F\u205F\u3000\uFEFF]/;

module.exports = grammar({
  name: 'bsl',

  word: ($) => $.identifier,

  externals: ($) => [
    $._string_part,
    $.preproc_if,
    $.preproc_elsif,
    $.preproc_else,
    $.preproc_endif,
    $.preproc_region,
    $.preproc_endregion,
    $.preproc_insert,
    $.preproc_endinsert,
    $.preproc_delete,
    $.preproc_use,
    $.preproc_line,
    $.shebang,
    $._async_keyword,
    $._await_keyword,
    // Zero-width, before `Процедура`/`Функция` of a method that is not `Асинх`: it tells
    // the scanner that `Ждать` is an ordinary name until the next `Асинх` method.
    $._method_start,
    // Zero-width, right after `КонецПроцедуры`/`КонецФункции`: it closes the method for the
    // scanner. It also makes the method's last child an external token, so tree-sitter
    // finds a reused method's last external token at once instead of searching its whole
    // body on every incremental re-parse.
    $._method_end,
    // Never valid in the grammar: tells the scanner that the parser is recovering.
    $._error_sentinel,
  ],

  extras: ($) => [
    BLANK,
    $.comment,
    $.preproc_if,
    $.preproc_elsif,
    $.preproc_else,
    $.preproc_endif,
    $.preproc_region,
    $.preproc_endregion,
    $.preproc_insert,
    $.preproc_endinsert,
    $.preproc_delete,
    $.preproc_use,
    $.preproc_line,
    $.shebang,
  ],

  // Keywords are reserved everywhere except where the language lets any word stand:
  // after `.`, in labels and in annotation names (`Запрос.Выполнить()`, `~Если:`).
  reserved: {
    global: (_) => Object.values(KEYWORD_TOKENS),
    member: (_) => [],
  },

  supertypes: ($) => [$._statement, $._expression],

  // `ВызватьИсключение (Текст)` may be a parenthesised message or the start of the
  // extended form `ВызватьИсключение(Текст, Категория, ...)`: the comma decides, so no
  // conflict needs declaring. The grammar is LR(1) without GLR branches.
  conflicts: (_) => [],

  rules: {
    source_file: ($) => repeat($._module_item),

    _module_item: ($) => choice($.method_declaration, $._statement_item),

    // ----- Declarations -----------------------------------------------------

    _annotations: ($) => repeat1($.annotation),

    annotation: ($) =>
      seq(
        '&',
        field('name', reserved('member', $.identifier)),
        optional(field('arguments', $.annotation_arguments)),
      ),

    annotation_arguments: ($) =>
      seq('(', commaSep($.annotation_argument), ')'),

    annotation_argument: ($) =>
      choice(
        seq(
          field('name', reserved('member', $.identifier)),
          optional(seq('=', field('value', $._annotation_value))),
        ),
        field('value', choice($._literal, $.unary_expression, $.annotation)),
      ),

    _annotation_value: ($) => choice($._literal, $.unary_expression, $.annotation, $.identifier),

    var_declaration: ($) =>
      seq(
        optional($._annotations),
        kw('var'),
        commaSep1($.var_item),
      ),

    var_item: ($) => seq(field('name', $.identifier), optional(field('export', kw('export')))),

    method_declaration: ($) =>
      seq(
        optional($._annotations),
        choice(field('async', alias($._async_keyword, 'async')), $._method_start),
        choice(
          seq(
            field('kind', kw('procedure')),
            $._method_signature,
            optional(field('body', $.block)),
            field('end', kw('endprocedure')),
          ),
          seq(
            field('kind', kw('function')),
            $._method_signature,
            optional(field('body', $.block)),
            field('end', kw('endfunction')),
          ),
        ),
        optional($._method_end),
      ),

    _method_signature: ($) =>
      seq(
        field('name', $.identifier),
        field('parameters', $.parameters),
        optional(field('export', kw('export'))),
      ),

    parameters: ($) => seq('(', commaSep($.parameter), ')'),

    parameter: ($) =>
      seq(
        optional($._annotations),
        optional(field('val', kw('val'))),
        field('name', $.identifier),
        optional(seq('=', field('default', $._default_value))),
      ),

    _default_value: ($) => choice($._literal, $.unary_expression),

    // ----- Statements -------------------------------------------------------

    block: ($) => repeat1($._statement_item),

    _statement_item: ($) => choice($._statement, $.var_declaration, ';'),

    _statement: ($) =>
      choice(
        $.assignment_statement,
        $.call_statement,
        $.if_statement,
        $.while_statement,
        $.for_statement,
        $.for_each_statement,
        $.try_statement,
        $.return_statement,
        $.raise_statement,
        $.break_statement,
        $.continue_statement,
        $.goto_statement,
        $.label_statement,
        $.add_handler_statement,
        $.remove_handler_statement,
        $.execute_statement,
        $.await_statement,
      ),

    assignment_statement: ($) =>
      seq(field('left', $._lvalue), '=', field('right', $._expression)),

    _lvalue: ($) => choice($.identifier, $.member_expression, $.index_expression),

    // A statement ends where its expression cannot go on: `Ф() (А).Б()` is one chain.
    call_statement: ($) => prec(-1, $.call_expression),

    await_statement: ($) => $.await_expression,

    if_statement: ($) =>
      seq(
        kw('if'),
        field('condition', $._expression),
        kw('then'),
        optional(field('consequence', $.block)),
        repeat(field('alternative', $.elsif_clause)),
        optional(field('alternative', $.else_clause)),
        kw('endif'),
      ),

    elsif_clause: ($) =>
      seq(kw('elsif'), field('condition', $._expression), kw('then'), optional(field('body', $.block))),

    else_clause: ($) => seq(kw('else'), optional(field('body', $.block))),

    while_statement: ($) =>
      seq(kw('while'), field('condition', $._expression), $._loop_body),

    for_statement: ($) =>
      seq(
        kw('for'),
        field('variable', $.identifier),
        '=',
        field('start', $._expression),
        kw('to'),
        field('end', $._expression),
        $._loop_body,
      ),

    for_each_statement: ($) =>
      seq(
        kw('for'),
        kw('each'),
        field('variable', $.identifier),
        kw('in'),
        field('collection', $._expression),
        $._loop_body,
      ),

    _loop_body: ($) => seq(kw('do'), optional(field('body', $.block)), kw('enddo')),

    try_statement: ($) =>
      seq(
        kw('try'),
        optional(field('body', $.block)),
        field('handler', $.except_clause),
        kw('endtry'),
      ),

    except_clause: ($) => seq(kw('except'), optional(field('body', $.block))),

    return_statement: ($) => prec.right(seq(kw('return'), optional(field('value', $._expression)))),

    raise_statement: ($) =>
      prec.right(
        seq(
          kw('raise'),
          optional(choice(field('message', $._expression), field('arguments', $.raise_arguments))),
        ),
      ),

    // The extended form: message, category, code, additional info, cause.
    raise_arguments: ($) =>
      seq('(', optional($._expression), ',', optionalList($._expression), ')'),

    break_statement: (_) => kw('break'),

    continue_statement: (_) => kw('continue'),

    goto_statement: ($) => seq(kw('goto'), field('label', $.label)),

    label_statement: ($) => seq(field('label', $.label), ':'),

    label: ($) => seq('~', reserved('member', $.identifier)),

    add_handler_statement: ($) =>
      seq(kw('addhandler'), field('event', $._expression), ',', field('handler', $._expression)),

    remove_handler_statement: ($) =>
      seq(kw('removehandler'), field('event', $._expression), ',', field('handler', $._expression)),

    execute_statement: ($) => seq(kw('execute'), field('code', $._expression)),

    // ----- Expressions ------------------------------------------------------

    _expression: ($) =>
      choice(
        $.binary_expression,
        $.not_expression,
        $.unary_expression,
        $.await_expression,
        $._primary_expression,
      ),

    _primary_expression: ($) =>
      choice(
        $.identifier,
        $._literal,
        $.member_expression,
        $.index_expression,
        $.call_expression,
        $.new_expression,
        $.ternary_expression,
        $.parenthesized_expression,
      ),

    binary_expression: ($) =>
      choice(
        binary($, PREC.or, kw('or')),
        binary($, PREC.and, kw('and')),
        binary($, PREC.compare, choice('=', '<>', '<', '>', '<=', '>=')),
        binary($, PREC.add, choice('+', '-')),
        binary($, PREC.multiply, choice('*', '/', '%')),
      ),

    not_expression: ($) => prec(PREC.not, seq(field('operator', kw('not')), field('operand', $._expression))),

    unary_expression: ($) =>
      prec(PREC.unary, seq(field('operator', choice('-', '+')), field('operand', $._expression))),

    await_expression: ($) =>
      prec.right(PREC.unary, seq(alias($._await_keyword, 'await'), field('operand', $._expression))),

    member_expression: ($) =>
      prec(
        PREC.postfix,
        seq(field('object', $._primary_expression), '.', field('property', reserved('member', $.identifier))),
      ),

    index_expression: ($) =>
      prec(PREC.postfix, seq(field('object', $._primary_expression), '[', field('index', $._expression), ']')),

    call_expression: ($) =>
      prec(PREC.postfix, seq(field('function', $._primary_expression), field('arguments', $.arguments))),

    // Arguments may be left out: `Ф(, 2)`.
    arguments: ($) => seq('(', optionalList($._expression), ')'),

    // `Новый Массив`, `Новый Структура("А", 1)`, and `Новый("Массив", Параметры)`.
    new_expression: ($) =>
      prec.right(
        PREC.postfix,
        seq(
          kw('new'),
          choice(
            seq(field('type', $.identifier), optional(field('arguments', $.arguments))),
            field('arguments', $.arguments),
          ),
        ),
      ),

    ternary_expression: ($) =>
      seq(
        '?',
        '(',
        field('condition', $._expression),
        ',',
        field('consequence', $._expression),
        ',',
        field('alternative', $._expression),
        ')',
      ),

    parenthesized_expression: ($) => seq('(', $._expression, ')'),

    // ----- Literals ---------------------------------------------------------

    _literal: ($) => choice($.number, $.string, $.date, $.boolean, $.undefined, $.null),

    number: (_) => /\d+(\.\d*)?/,

    // Adjacent literals `"а" "б"` form one value.
    string: ($) => prec.right(repeat1($._string_part)),

    date: (_) => /'[^'\r\n]*'/,

    boolean: (_) => choice(kw('true'), kw('false')),

    undefined: (_) => kw('undefined'),

    null: (_) => kw('null'),

    identifier: (_) => /[\p{L}_][\p{L}\p{Nd}_]*/,

    comment: (_) => token(seq('//', /[^\r\n]*/, repeat(seq(/\r?\n[ \t]*\/\//, /[^\r\n]*/)))),
  },
});

/**
 * A left-associative binary operation at the given priority.
 */
function binary($, priority, operator) {
  return prec.left(
    priority,
    seq(field('left', $._expression), field('operator', operator), field('right', $._expression)),
  );
}

/**
 * One or more rules separated by commas.
 */
function commaSep1(rule) {
  return seq(rule, repeat(seq(',', rule)));
}

/**
 * A comma-separated list whose items may each be left out, as call arguments may.
 */
function optionalList(rule) {
  return seq(optional(rule), repeat(seq(',', optional(rule))));
}

/**
 * Zero or more rules separated by commas.
 */
function commaSep(rule) {
  return optional(commaSep1(rule));
}

// External scanner for the BSL grammar: strings, preprocessor lines, and the contextual
// keywords `Асинх`/`Async` and `Ждать`/`Await`.
//
// Strings are scanned here because a multi-line string may have blank, comment and
// preprocessor lines between its `|` continuation lines. Preprocessor lines are extras,
// so they may stand between any two tokens; `#Удаление ... #КонецУдаления` is consumed as
// one token because the deleted text is not code. `Асинх` is a keyword only right before
// `Процедура`/`Функция`, and `Ждать` only when an operand follows it; elsewhere both are
// ordinary identifiers; `Ждать` is a keyword only inside an `Асинх` method. The one piece of
// state is whether the current method is asynchronous: set by the `Асинх` token, cleared by
// the zero-width token that starts every other method and by the one that ends every method.

#include "tree_sitter/alloc.h"
#include "tree_sitter/parser.h"

#include <stdbool.h>
#include <stdint.h>
#include <uchar.h>

enum TokenType {
  STRING_PART,
  PREPROC_IF,
  PREPROC_ELSIF,
  PREPROC_ELSE,
  PREPROC_ENDIF,
  PREPROC_REGION,
  PREPROC_ENDREGION,
  PREPROC_INSERT,
  PREPROC_ENDINSERT,
  PREPROC_DELETE,
  PREPROC_USE,
  PREPROC_LINE,
  SHEBANG,
  ASYNC_KEYWORD,
  AWAIT_KEYWORD,
  METHOD_START,
  METHOD_END,
  ERROR_SENTINEL,
};

// Longest word the scanner needs to compare ("КонецУдаления", "конецобласти", ...).
#define WORD_CAPACITY 24

typedef struct {
  int32_t chars[WORD_CAPACITY];
  unsigned length;
  bool truncated;
} Word;

static inline void advance(TSLexer *lexer) { lexer->advance(lexer, false); }

static inline void skip(TSLexer *lexer) { lexer->advance(lexer, true); }

static inline bool is_newline(int32_t c) { return c == '\n' || c == '\r'; }

// Blanks inside a line, including NBSP and the other Unicode spaces found in real code.
static bool is_inline_blank(int32_t c) {
  switch (c) {
    case ' ':
    case '\t':
    case '\f':
    case '\v':
    case 0x00A0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
    case 0xFEFF:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200B;
  }
}

static inline bool is_blank(int32_t c) { return is_newline(c) || is_inline_blank(c); }

static bool is_letter(int32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         (c >= 0x0400 && c <= 0x04FF) || (c > 0x7F && !is_inline_blank(c) && c != 0x2028 && c != 0x2029);
}

static inline bool is_word_char(int32_t c) { return is_letter(c) || (c >= '0' && c <= '9'); }

// Case folding for the letters keywords are made of: Latin and Russian Cyrillic.
static int32_t fold(int32_t c) {
  if (c >= 'A' && c <= 'Z') return c + ('a' - 'A');
  if (c >= 0x0410 && c <= 0x042F) return c + 0x20;
  if (c == 0x0401) return 0x0451;
  return c;
}

static void read_word(TSLexer *lexer, Word *word) {
  word->length = 0;
  word->truncated = false;
  while (is_word_char(lexer->lookahead)) {
    if (word->length < WORD_CAPACITY) {
      word->chars[word->length++] = fold(lexer->lookahead);
    } else {
      word->truncated = true;
    }
    advance(lexer);
  }
}

// Whether `word` is `expected`, which must be written in lower case.
static bool word_is(const Word *word, const char32_t *expected) {
  if (word->truncated) return false;
  unsigned i = 0;
  for (; expected[i] != 0; i++) {
    if (i >= word->length || word->chars[i] != (int32_t)expected[i]) return false;
  }
  return i == word->length;
}

static bool word_is_any(const Word *word, const char32_t *russian, const char32_t *english) {
  return word_is(word, russian) || word_is(word, english);
}

static void consume_line(TSLexer *lexer) {
  while (!is_newline(lexer->lookahead) && !lexer->eof(lexer)) advance(lexer);
}

static void skip_inline_blanks(TSLexer *lexer) {
  while (is_inline_blank(lexer->lookahead)) advance(lexer);
}

// `#Удаление` was read: the token runs to the end of the matching `#КонецУдаления` line.
static void consume_deleted_block(TSLexer *lexer) {
  Word word;
  for (;;) {
    consume_line(lexer);
    if (lexer->eof(lexer)) return;
    while (is_blank(lexer->lookahead)) advance(lexer);
    if (lexer->lookahead != '#') continue;
    advance(lexer);
    skip_inline_blanks(lexer);
    read_word(lexer, &word);
    if (word_is_any(&word, U"конецудаления", U"enddelete")) {
      consume_line(lexer);
      return;
    }
  }
}

// The lexer stands on `#`.
static bool scan_preprocessor(TSLexer *lexer) {
  advance(lexer);
  if (lexer->lookahead == '!') {
    consume_line(lexer);
    lexer->result_symbol = SHEBANG;
    return true;
  }
  skip_inline_blanks(lexer);
  Word word;
  read_word(lexer, &word);
  enum TokenType token = PREPROC_LINE;
  if (word_is_any(&word, U"если", U"if")) {
    token = PREPROC_IF;
  } else if (word_is_any(&word, U"иначеесли", U"elsif")) {
    token = PREPROC_ELSIF;
  } else if (word_is_any(&word, U"иначе", U"else")) {
    token = PREPROC_ELSE;
  } else if (word_is_any(&word, U"конецесли", U"endif")) {
    token = PREPROC_ENDIF;
  } else if (word_is_any(&word, U"область", U"region")) {
    token = PREPROC_REGION;
  } else if (word_is_any(&word, U"конецобласти", U"endregion")) {
    token = PREPROC_ENDREGION;
  } else if (word_is_any(&word, U"вставка", U"insert")) {
    token = PREPROC_INSERT;
  } else if (word_is_any(&word, U"конецвставки", U"endinsert")) {
    token = PREPROC_ENDINSERT;
  } else if (word_is_any(&word, U"удаление", U"delete")) {
    consume_deleted_block(lexer);
    lexer->result_symbol = PREPROC_DELETE;
    return true;
  } else if (word_is_any(&word, U"использовать", U"use")) {
    token = PREPROC_USE;
  }
  consume_line(lexer);
  lexer->result_symbol = token;
  return true;
}

// The lexer stands on the opening `"`. Returns false for an unterminated string, so that
// the parser reports it as an error.
static bool scan_string(TSLexer *lexer) {
  advance(lexer);
  for (;;) {
    int32_t c = lexer->lookahead;
    if (lexer->eof(lexer)) return false;
    if (c == '"') {
      advance(lexer);
      if (lexer->lookahead == '"') {
        advance(lexer);
        continue;
      }
      lexer->result_symbol = STRING_PART;
      return true;
    }
    if (!is_newline(c)) {
      advance(lexer);
      continue;
    }
    // A line break inside a string: the next line that is not blank, a comment or a
    // preprocessor line must continue the string with `|`.
    for (;;) {
      while (is_blank(lexer->lookahead)) advance(lexer);
      if (lexer->eof(lexer)) return false;
      c = lexer->lookahead;
      if (c == '|') {
        advance(lexer);
        break;
      }
      if (c == '#') {
        // A preprocessor line between continuation lines. `#Удаление` removes the
        // original lines up to `#КонецУдаления`, and they may hold the string's old end
        // (`|б";`), so they are skipped as a whole, as outside strings.
        advance(lexer);
        skip_inline_blanks(lexer);
        Word word;
        read_word(lexer, &word);
        if (word_is_any(&word, U"удаление", U"delete")) {
          consume_deleted_block(lexer);
        } else {
          consume_line(lexer);
        }
        continue;
      }
      if (c == '/') {
        advance(lexer);
        if (lexer->lookahead != '/') return false;
        consume_line(lexer);
        continue;
      }
      return false;
    }
  }
}

typedef struct {
  bool in_async;
} Scanner;

static bool starts_contextual_keyword(int32_t c) {
  int32_t f = fold(c);
  // ж (Ждать), а/a (Асинх, Async, Await), п/p and ф/f (Процедура, Функция, Procedure, Function).
  return f == 0x0436 || f == 0x0430 || f == 'a' || f == 0x043F || f == 0x0444 || f == 'p' || f == 'f';
}

static bool is_method_keyword(const Word *word) {
  return word_is_any(word, U"процедура", U"procedure") || word_is_any(word, U"функция", U"function");
}

// `Асинх` counts as a keyword only right before `Процедура`/`Функция`.
static bool scan_async(TSLexer *lexer, const Word *word) {
  if (!word_is_any(word, U"асинх", U"async")) return false;
  lexer->mark_end(lexer);
  while (is_blank(lexer->lookahead)) advance(lexer);
  Word next;
  read_word(lexer, &next);
  if (is_method_keyword(&next)) {
    lexer->result_symbol = ASYNC_KEYWORD;
    return true;
  }
  return false;
}

// `Ждать` counts as a keyword only when an operand follows it: `Ждать Промис`,
// `Ждать (Промис)`, not `Ждать = 1`, `Ждать.Свойство`, `А = Ждать;` or `Ждать + 1`.
// Only a word, `(` or `?` starts an operand: awaiting a literal or a signed value is
// meaningless (a promise is never a literal), so `Ждать - 1` and `Ждать + 1` keep
// `Ждать` as a variable. A following word is an operand unless it is an operator or a
// keyword that can only come after a complete expression (`Ждать Тогда`,
// `Возврат Ждать КонецФункции` without a semicolon).
static bool scan_await(TSLexer *lexer, const Word *word) {
  if (!word_is_any(word, U"ждать", U"await")) return false;
  lexer->mark_end(lexer);
  while (is_blank(lexer->lookahead)) advance(lexer);
  int32_t c = lexer->lookahead;
  bool operand = c == '(' || c == '?';
  if (!operand && is_letter(c)) {
    Word next;
    read_word(lexer, &next);
    operand = !(word_is_any(&next, U"и", U"and") || word_is_any(&next, U"или", U"or") ||
                word_is_any(&next, U"тогда", U"then") || word_is_any(&next, U"цикл", U"do") ||
                word_is_any(&next, U"по", U"to") || word_is_any(&next, U"иначе", U"else") ||
                word_is_any(&next, U"иначеесли", U"elsif") || word_is_any(&next, U"конецесли", U"endif") ||
                word_is_any(&next, U"конеццикла", U"enddo") || word_is_any(&next, U"исключение", U"except") ||
                word_is_any(&next, U"конецпопытки", U"endtry") ||
                word_is_any(&next, U"конецпроцедуры", U"endprocedure") ||
                word_is_any(&next, U"конецфункции", U"endfunction"));
  }
  if (operand) lexer->result_symbol = AWAIT_KEYWORD;
  return operand;
}

void *tree_sitter_bsl_external_scanner_create(void) { return ts_calloc(1, sizeof(Scanner)); }

void tree_sitter_bsl_external_scanner_destroy(void *payload) { ts_free(payload); }

unsigned tree_sitter_bsl_external_scanner_serialize(void *payload, char *buffer) {
  buffer[0] = ((Scanner *)payload)->in_async ? 1 : 0;
  return 1;
}

void tree_sitter_bsl_external_scanner_deserialize(void *payload, const char *buffer, unsigned length) {
  ((Scanner *)payload)->in_async = length > 0 && buffer[0] == 1;
}

bool tree_sitter_bsl_external_scanner_scan(void *payload, TSLexer *lexer, const bool *valid_symbols) {
  Scanner *scanner = (Scanner *)payload;
  bool recovering = valid_symbols[ERROR_SENTINEL];
  if (!recovering && valid_symbols[METHOD_END]) {
    // Zero-width, before any blank, comment or preprocessor line: the method ends with
    // its `КонецПроцедуры`/`КонецФункции` keyword.
    scanner->in_async = false;
    lexer->result_symbol = METHOD_END;
    return true;
  }
  while (is_blank(lexer->lookahead)) skip(lexer);
  int32_t c = lexer->lookahead;
  if (c == '#') return scan_preprocessor(lexer);
  if (c == '"') return valid_symbols[STRING_PART] && scan_string(lexer);
  if (recovering || !starts_contextual_keyword(c)) return false;
  bool at_method = valid_symbols[ASYNC_KEYWORD] || valid_symbols[METHOD_START];
  bool may_await = valid_symbols[AWAIT_KEYWORD] && scanner->in_async;
  if (!at_method && !may_await) return false;
  // The zero-width method start ends here, before the word.
  lexer->mark_end(lexer);
  Word word;
  read_word(lexer, &word);
  if (at_method && valid_symbols[METHOD_START] && is_method_keyword(&word)) {
    scanner->in_async = false;
    lexer->result_symbol = METHOD_START;
    return true;
  }
  if (valid_symbols[ASYNC_KEYWORD] && scan_async(lexer, &word)) {
    scanner->in_async = true;
    return true;
  }
  return may_await && scan_await(lexer, &word);
}

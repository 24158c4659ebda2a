// The TextMate grammar tokenized by the same engine VS Code uses (vscode-textmate with the
// Oniguruma WebAssembly build).
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, test } from "node:test";
import * as oniguruma from "vscode-oniguruma";
import * as textmate from "vscode-textmate";

const root = path.join(__dirname, "..", "..", "..");
let grammar: textmate.IGrammar;

before(async () => {
  const wasm = fs.readFileSync(path.join(root, "node_modules", "vscode-oniguruma", "release", "onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () =>
      textmate.parseRawGrammar(fs.readFileSync(path.join(root, "syntaxes", "bsl.tmLanguage.json"), "utf8"), "bsl.tmLanguage.json"),
  });
  const loaded = await registry.loadGrammar("source.bsl");
  assert.ok(loaded);
  grammar = loaded;
});

/** Each token's text with the innermost scope, for the lines of `source`. */
function tokens(source: string): Array<[string, string]> {
  let state = textmate.INITIAL;
  const out: Array<[string, string]> = [];
  for (const line of source.split("\n")) {
    const result = grammar.tokenizeLine(line, state);
    for (const token of result.tokens) {
      const text = line.slice(token.startIndex, token.endIndex);
      if (text.trim() !== "") {
        out.push([text, token.scopes[token.scopes.length - 1]]);
      }
    }
    state = result.ruleStack;
  }
  return out;
}

function scopeOf(source: string, text: string): string | undefined {
  return tokens(source).find(([t]) => t === text)?.[1];
}

test("keywords in both languages and any case", () => {
  const source = "ЕСЛИ а Тогда\nиначе\nКонецЕсли;\nIf a Then\nendif;";
  for (const word of ["ЕСЛИ", "Тогда", "иначе", "КонецЕсли", "If", "Then", "endif"]) {
    assert.equal(scopeOf(source, word), "keyword.control.bsl", word);
  }
});

test("a method declaration", () => {
  const source = "Асинх Функция ПолучитьДанные(Знач Параметр) Экспорт";
  assert.equal(scopeOf(source, "Асинх"), "storage.modifier.async.bsl");
  assert.equal(scopeOf(source, "Функция"), "storage.type.function.bsl");
  assert.equal(scopeOf(source, "ПолучитьДанные"), "entity.name.function.bsl");
  assert.equal(scopeOf(source, "Знач"), "storage.modifier.bsl");
  assert.equal(scopeOf(source, "Экспорт"), "storage.modifier.bsl");
});

test("a word after a dot is a member, not a keyword", () => {
  assert.equal(scopeOf("Запрос.Выполнить();", "Выполнить"), "entity.name.function.call.bsl");
  assert.equal(scopeOf("Выполнить(Текст);", "Выполнить"), "keyword.control.bsl");
});

test("multi-line strings with | continuations and comment lines between", () => {
  const source = 'Текст = "ВЫБРАТЬ\n//комментарий\n\t|  Поле ""в кавычках""\n\t|ИЗ Таблица";\nЕсли';
  const all = tokens(source);
  assert.deepEqual(all.find(([t]) => t === "//комментарий"), ["//комментарий", "comment.line.double-slash.bsl"]);
  assert.equal(scopeOf(source, "|"), "punctuation.separator.continuation.bsl");
  assert.equal(scopeOf(source, '""'), "constant.character.escape.bsl");
  assert.equal(scopeOf(source, "Если"), "keyword.control.bsl");
});

test("an unclosed string ends where a line starts with code", () => {
  assert.equal(scopeOf('А = "незакрытая\nВозврат;', "Возврат"), "keyword.control.bsl");
});

test("dates, numbers, constants, comments", () => {
  const source = "Д = '20240101120000'; Ч = 12.5; Б = Истина; Н = Неопределено; // итог";
  assert.equal(scopeOf(source, "'20240101120000'"), "string.quoted.single.date.bsl");
  assert.equal(scopeOf(source, "12.5"), "constant.numeric.bsl");
  assert.equal(scopeOf(source, "Истина"), "constant.language.bsl");
  assert.equal(scopeOf(source, "Неопределено"), "constant.language.bsl");
  assert.equal(scopeOf(source, " итог"), "comment.line.double-slash.bsl");
});

test("preprocessor lines and annotations", () => {
  const source = "#Область ПрограммныйИнтерфейс\n#Если Сервер Или ТолстыйКлиентОбычноеПриложение Тогда\n&НаСервере\n&Перед(\"Записать\")";
  assert.equal(scopeOf(source, "Область"), "keyword.control.directive.bsl");
  assert.equal(scopeOf(source, "ПрограммныйИнтерфейс"), "entity.name.section.bsl");
  assert.equal(scopeOf(source, "Или"), "keyword.operator.logical.bsl");
  assert.equal(scopeOf(source, "НаСервере"), "storage.type.annotation.bsl");
  assert.equal(scopeOf(source, "Перед"), "storage.type.annotation.bsl");
});

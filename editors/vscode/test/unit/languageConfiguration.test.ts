// The language configuration's patterns, compiled the way VS Code compiles them.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";

interface Pattern {
  pattern: string;
  flags?: string;
}
const configuration = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "language-configuration.json"), "utf8"));
const regex = (p: Pattern) => new RegExp(p.pattern, p.flags);
const increase = regex(configuration.indentationRules.increaseIndentPattern);
const decrease = regex(configuration.indentationRules.decreaseIndentPattern);
const foldStart = regex(configuration.folding.markers.start);
const foldEnd = regex(configuration.folding.markers.end);

test("blocks indent their bodies, in both languages and any case", () => {
  for (const line of ["Процедура Тест() Экспорт", "асинх функция Ф()", "  Если А Тогда", "ИначеЕсли Б Тогда", "Иначе", "Для Каждого Х Из У Цикл", "Пока Истина Цикл", "Попытка", "Исключение", "If A Then", "PROCEDURE Test()", "Try"]) {
    assert.ok(increase.test(line), line);
  }
});

test("a block closed on its own line, or a word that only starts like a keyword, does not indent", () => {
  for (const line of ["Если А Тогда Б = 1; КонецЕсли;", "ПопыткаСвязи = 1;", "Процедуры = Новый Массив;", "Форма = 1", "// Если"]) {
    assert.ok(!increase.test(line), line);
  }
});

test("end keywords and the middle of a block outdent", () => {
  for (const line of ["КонецПроцедуры", "  КонецЕсли;", "ИначеЕсли Б Тогда", "Иначе", "Исключение", "КонецПопытки;", "EndDo;", "endfunction"]) {
    assert.ok(decrease.test(line), line);
  }
  assert.ok(!decrease.test("ИначеЕслиНет = 1;"));
});

test("regions fold", () => {
  assert.ok(foldStart.test("#Область ПрограммныйИнтерфейс"));
  assert.ok(foldStart.test("  #region Public"));
  assert.ok(foldEnd.test("#КонецОбласти"));
  assert.ok(foldEnd.test("#EndRegion"));
  assert.ok(!foldStart.test("#ОбластьВидимости"));
  assert.ok(!foldStart.test("#КонецОбласти"));
});

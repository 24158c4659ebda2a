import assert from "node:assert/strict";
import { test } from "node:test";
import { declaredMethods, methodAtLine } from "../../src/methodAtCursor";

const MODULE = [
  "Перем МодульнаяПеременная;", // 0
  "", // 1
  "// Описание", // 2
  "&НаСервере", // 3
  "Процедура ЗаполнитьДанные(Параметр) Экспорт", // 4
  "\tЕсли Параметр Тогда", // 5
  "\t\tВозврат;", // 6
  "\tКонецЕсли;", // 7
  "КонецПроцедуры", // 8
  "", // 9
  "асинх функция ПолучитьЗначение()", // 10
  "\tТекст = \"", // 11
  "\t|Процедура НеМетод()\";", // 12
  "\tВозврат Ждать Текст;", // 13
  "КонецФункции", // 14
  "", // 15
  "Function EnglishName(Value) Export", // 16
  "    Return Value;", // 17
  "EndFunction", // 18
  "Сообщить(1);", // 19
].join("\r\n");

test("the declaration line and the body belong to the method", () => {
  assert.equal(methodAtLine(MODULE, 4), "ЗаполнитьДанные");
  assert.equal(methodAtLine(MODULE, 6), "ЗаполнитьДанные");
});

test("the end line still belongs to its method", () => {
  assert.equal(methodAtLine(MODULE, 8), "ЗаполнитьДанные");
  assert.equal(methodAtLine(MODULE, 14), "ПолучитьЗначение");
});

test("keywords in any case, Асинх, English", () => {
  assert.equal(methodAtLine(MODULE, 11), "ПолучитьЗначение");
  assert.equal(methodAtLine(MODULE, 17), "EnglishName");
});

test("a continuation line of a string is not a declaration", () => {
  assert.equal(methodAtLine(MODULE, 13), "ПолучитьЗначение");
});

test("outside every method there is no method", () => {
  assert.equal(methodAtLine(MODULE, 0), undefined);
  assert.equal(methodAtLine(MODULE, 3), undefined);
  assert.equal(methodAtLine(MODULE, 9), undefined);
  assert.equal(methodAtLine(MODULE, 19), undefined);
  assert.equal(methodAtLine(MODULE, 100), undefined);
  assert.equal(methodAtLine("", 0), undefined);
});

test("a half-typed declaration without parentheses is not a method yet", () => {
  assert.equal(methodAtLine("Процедура Недописанная", 0), undefined);
});

test("the module's methods, in order", () => {
  assert.deepEqual(declaredMethods(MODULE), ["ЗаполнитьДанные", "ПолучитьЗначение", "EnglishName"]);
});

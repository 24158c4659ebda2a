import assert from "node:assert/strict";
import { test } from "node:test";
import {
  chatArguments,
  describeCommandError,
  diagramArguments,
  subsystemDiagramArguments,
  formatStats,
  generateTestsArguments,
  methodArguments,
  methodFromArguments,
  parseAuditLog,
  parseDiagram,
  parseGeneratedTests,
  parseMarkdown,
  parseReport,
  UnexpectedAnswer,
} from "../../src/commands";

const uri = "file:///ws/CommonModules/Общий/Ext/Module.bsl";

test("arguments of the method commands", () => {
  assert.deepEqual(methodArguments(uri, "Метод"), [uri, "Метод"]);
  assert.deepEqual(generateTestsArguments(uri, "Метод"), [uri, "Метод"]);
  assert.deepEqual(generateTestsArguments(uri, undefined), [uri, ""]);
});

test("arguments of the diagram and the chat", () => {
  assert.deepEqual(diagramArguments(uri), [uri]);
  assert.deepEqual(diagramArguments(undefined), []);
  assert.deepEqual(subsystemDiagramArguments(2), [{ level: "subsystem", depth: 2 }]);
  assert.deepEqual(subsystemDiagramArguments(0), [{ level: "subsystem", depth: 1 }]);
  assert.deepEqual(chatArguments("Что делает метод?"), [{ question: "Что делает метод?" }]);
  assert.deepEqual(chatArguments("q", uri, 12), [{ question: "q", uri, line: 12 }]);
  assert.deepEqual(JSON.parse(JSON.stringify(chatArguments("q", undefined, 0))), [{ question: "q", line: 0 }]);
});

test("a code action's arguments name the method; a menu's do not", () => {
  assert.deepEqual(methodFromArguments([uri, "Метод"]), { uri, methodName: "Метод" });
  assert.equal(methodFromArguments([]), undefined);
  assert.equal(methodFromArguments([{ path: "/x" }]), undefined);
});

test("answers are checked", () => {
  assert.equal(parseMarkdown("bsl-assist.review", { markdown: "# Обзор" }), "# Обзор");
  assert.throws(() => parseMarkdown("bsl-assist.review", { text: "x" }), UnexpectedAnswer);
  assert.throws(() => parseMarkdown("bsl-assist.review", null), /unexpected answer to bsl-assist.review/);
  assert.deepEqual(parseGeneratedTests({ text: "Процедура", suggestedName: "ОМ_Общий.bsl" }), {
    text: "Процедура",
    suggestedName: "ОМ_Общий.bsl",
    uri: undefined,
    applied: false,
  });
  assert.deepEqual(parseGeneratedTests({ text: "", suggestedName: "a.bsl", uri, applied: true }), { text: "", suggestedName: "a.bsl", uri, applied: true });
  assert.deepEqual(parseDiagram({ mermaid: "graph TD; A-->B", title: "Вызовы" }), { mermaid: "graph TD; A-->B", title: "Вызовы" });
  assert.deepEqual(parseReport({ markdown: "r" }), { markdown: "r", mermaid: undefined });
  assert.equal(parseAuditLog({ path: "/tmp/audit.jsonl" }), "/tmp/audit.jsonl");
});

test("an older server's unknown command is said plainly", () => {
  assert.match(describeCommandError("bsl-assist.review", new Error("unknown command `bsl-assist.review`")), /does not support `bsl-assist.review`/);
  assert.match(describeCommandError("bsl-assist.review", { message: "boom", code: -32602 }), /bsl-assist.review failed: boom/);
});

test("statistics are pretty-printed", () => {
  assert.equal(formatStats({ modules: 2, nested: { a: 1 } }), '{\n  "modules": 2,\n  "nested": {\n    "a": 1\n  }\n}\n');
});

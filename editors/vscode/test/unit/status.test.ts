import assert from "node:assert/strict";
import { test } from "node:test";
import { parseStatus, statusView } from "../../src/status";

test("indexing shows a spinner and the count", () => {
  assert.equal(statusView({ indexing: { done: 120, total: 2197 }, llm: "off", modules: 0 }).text, "$(sync~spin) BSL 120/2197");
});

test("after indexing: modules and the LLM state", () => {
  assert.equal(statusView({ indexing: null, llm: "off", modules: 2197 }).text, "BSL ✓ 2197 · LLM off");
  assert.equal(statusView({ indexing: null, llm: "local", modules: 5 }).text, "BSL ✓ 5 · LLM local");
  assert.match(statusView({ indexing: null, llm: "remote", modules: 5 }).tooltip, /remote model/);
});

test("notification params from the server are checked", () => {
  assert.deepEqual(parseStatus({ indexing: { done: 1, total: 2 }, llm: "local", modules: 3 }), { indexing: { done: 1, total: 2 }, llm: "local", modules: 3 });
  assert.deepEqual(parseStatus({ indexing: null, llm: "weird" }), { indexing: null, llm: "off", modules: 0 });
  assert.equal(parseStatus(null), undefined);
  assert.equal(parseStatus("x"), undefined);
});

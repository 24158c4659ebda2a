// package.json against the code: every contributed command is registered, every menu entry
// names a contributed command, and the grammar and configuration files it names exist.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { SERVER } from "../../src/commands";

const root = path.join(__dirname, "..", "..", "..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const extension = fs.readFileSync(path.join(root, "src", "extension.ts"), "utf8");
const contributed: string[] = pkg.contributes.commands.map((c: { command: string }) => c.command);

test("every contributed command is registered by the extension", () => {
  const registered = [...extension.matchAll(/command\("([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual([...registered].sort(), [...contributed].sort());
});

test("the commands the brief names are all there", () => {
  for (const id of ["generateTests", "explainMethod", "addDocComment", "review", "diagram", "report", "chat", "showAuditLog", "restartServer", "showStats"]) {
    assert.ok(contributed.includes(`bsl-assist.${id}`), id);
  }
  // The server's commands that are also editor commands keep the same ids, so the server's
  // code actions run ours.
  for (const id of [SERVER.explainMethod, SERVER.generateTests, SERVER.review]) {
    assert.ok(contributed.includes(id), id);
  }
});

test("menu entries name contributed commands", () => {
  for (const [menu, entries] of Object.entries(pkg.contributes.menus as Record<string, Array<{ command: string }>>)) {
    for (const entry of entries) {
      assert.ok(contributed.includes(entry.command), `${menu}: ${entry.command}`);
    }
  }
});

test("the files the manifest names exist", () => {
  for (const language of pkg.contributes.languages) {
    assert.ok(fs.existsSync(path.join(root, language.configuration)), language.configuration);
  }
  for (const grammar of pkg.contributes.grammars) {
    assert.ok(fs.existsSync(path.join(root, grammar.path)), grammar.path);
  }
  assert.equal(pkg.main, "./dist/extension.js");
  assert.equal(pkg.engines.vscode, "^1.90.0");
});

test("package.json is indented by two spaces, as the settings generator writes it", () => {
  const text = fs.readFileSync(path.join(root, "package.json"), "utf8");
  assert.ok(text.endsWith("}\n"));
  assert.match(text, /^\{\n {2}"name"/);
  for (const line of text.split("\n")) {
    assert.equal((/^ */.exec(line)?.[0].length ?? 0) % 2, 0, line);
    assert.doesNotMatch(line, /\t/);
  }
});

import assert from "node:assert/strict";
import * as path from "node:path";
import { test } from "node:test";
import { bundledServerPath, expandPath, findServer, ServerLookup } from "../../src/serverPath";

const extensionPath = "/ext";
const bundled = path.join(extensionPath, "server", "bsl-assist");

function lookup(overrides: Partial<ServerLookup>, files: string[] = []): ServerLookup {
  return { env: {}, extensionPath, platform: "linux", exists: (f) => files.includes(f), ...overrides };
}

test("the setting comes first", () => {
  const found = findServer(lookup({ setting: "/opt/bsl", env: { BSL_ASSIST_SERVER: "/env/bsl" } }, ["/opt/bsl", "/env/bsl", bundled]));
  assert.deepEqual(found, { ok: true, path: "/opt/bsl", source: "setting" });
});

test("the environment variable comes second", () => {
  const found = findServer(lookup({ setting: "", env: { BSL_ASSIST_SERVER: "/env/bsl" } }, ["/env/bsl", bundled]));
  assert.deepEqual(found, { ok: true, path: "/env/bsl", source: "environment" });
});

test("the bundled binary comes last", () => {
  assert.deepEqual(findServer(lookup({ setting: null }, [bundled])), { ok: true, path: bundled, source: "bundled" });
  assert.equal(bundledServerPath("/ext", "win32"), path.join("/ext", "server", "bsl-assist.exe"));
});

test("a setting naming a missing file is an error, not a fall-through", () => {
  const found = findServer(lookup({ setting: "/nowhere/bsl" }, [bundled]));
  assert.equal(found.ok, false);
  assert.match(!found.ok ? found.message : "", /bsl-assist\.server\.path.*\/nowhere\/bsl/);
});

test("a bare command name is left to the PATH search", () => {
  assert.deepEqual(findServer(lookup({ env: { BSL_ASSIST_SERVER: "bsl-assist" } })), { ok: true, path: "bsl-assist", source: "environment" });
});

test("nothing found says where to put the binary", () => {
  const found = findServer(lookup({}));
  assert.equal(found.ok, false);
  assert.match(!found.ok ? found.message : "", /BSL_ASSIST_SERVER/);
});

test("home, ${workspaceFolder} and relative paths are expanded", () => {
  assert.equal(expandPath("~/bin/bsl", { HOME: "/home/u" }), path.join("/home/u", "bin/bsl"));
  assert.equal(expandPath("${workspaceFolder}/tools/bsl", {}, "/ws"), "/ws/tools/bsl");
  assert.equal(expandPath("tools/bsl", {}, "/ws"), path.join("/ws", "tools/bsl"));
  assert.equal(expandPath(" bsl-assist ", {}, "/ws"), "bsl-assist");
});

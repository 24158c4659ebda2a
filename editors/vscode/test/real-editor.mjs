// The real-editor test: installs the packaged extension into code-server (VS Code in the
// browser), opens an SSL module in headless Chromium through Playwright, and checks what a
// person would see: the status bar item, our diagnostics in the Problems panel, a hover on a
// method, "Generate Tests" from the command palette, the webviews of "Explain Method",
// "Review Module", "Show Diagram" (the bundled Mermaid), the chat and "Project Report", then
// "Show Server Statistics" and "Restart Server". Saves screenshots.
//
// Environment (test.sh sets it): NODE24 (Node for code-server), CODE_SERVER (its bin), VSIX,
// CORPUS (the shared corpus folder), SCREENSHOT_DIR. Exit codes: 0 passed, or the editor could
// not be brought up here (said on a line starting "REAL-EDITOR TEST NOT RUN"; set
// REAL_EDITOR_STRICT=1 to fail then too); 1 a check of our extension failed. The temporary
// folder (workspace, profiles, logs) is removed after a pass unless REAL_EDITOR_KEEP=1.

import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { chromium } from "playwright-core";

const env = (name) => {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set (run editors/vscode/test.sh)`);
  }
  return value;
};
const NODE24 = env("NODE24");
const CODE_SERVER = env("CODE_SERVER");
const VSIX = env("VSIX");
const CORPUS = env("CORPUS");
const SCREENSHOT_DIR = env("SCREENSHOT_DIR");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

// A small SSL common module with a few findings, and a larger one beside it.
const MODULE = "ЗагрузкаДанныхИзФайлаКлиентСервер";
const NEIGHBOUR = "СтроковыеФункцииКлиентСервер";
const METHOD = "ОписаниеКолонкиМакета";
// The module's path in the workspace.
const MODULE_PATH = `/CommonModules/${MODULE}/Ext/Module.bsl`;

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const log = (message) => console.log(`[real-editor ${elapsed()}] ${message}`);

/** A failure of the environment, not of the extension. */
class NotRun extends Error {}
/** A failure that waiting longer will not mend. */
class ExtensionFailure extends Error {}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bsl-assist-vscode-"));
const workspace = path.join(tmp, "workspace");
const userData = path.join(tmp, "user-data");
const extensions = path.join(tmp, "extensions");
const browserProfile = path.join(tmp, "chromium");
// code-server writes its config under XDG_CONFIG_HOME; keep it in the temporary folder.
const childEnv = {
  ...process.env,
  PATH: `${path.dirname(NODE24)}:${process.env.PATH}`,
  XDG_CONFIG_HOME: path.join(tmp, "config"),
  XDG_DATA_HOME: path.join(tmp, "data"),
};

let codeServer;
let context;

function prepareWorkspace() {
  const source = path.join(CORPUS, "ssl_3_1", "src", "cf", "CommonModules");
  if (!fs.existsSync(path.join(source, MODULE))) {
    throw new NotRun(`the corpus module ${path.join(source, MODULE)} is missing`);
  }
  const target = path.join(workspace, "CommonModules");
  fs.mkdirSync(target, { recursive: true });
  for (const name of [MODULE, NEIGHBOUR]) {
    fs.cpSync(path.join(source, name), path.join(target, name), { recursive: true });
    fs.copyFileSync(path.join(source, `${name}.xml`), path.join(target, `${name}.xml`));
  }
  fs.mkdirSync(path.join(userData, "User"), { recursive: true });
  fs.writeFileSync(
    path.join(userData, "User", "settings.json"),
    JSON.stringify(
      {
        // Without this the extension stays disabled in an untrusted folder (a banner, no dialog).
        "security.workspace.trust.enabled": false,
        "workbench.startupEditor": "none",
        "workbench.tips.enabled": false,
        "telemetry.telemetryLevel": "off",
        "extensions.autoCheckUpdates": false,
        "extensions.autoUpdate": false,
        "chat.disableAIFeatures": true,
        "workbench.secondarySideBar.defaultVisibility": "hidden",
        "editor.minimap.enabled": false,
      },
      null,
      2,
    ),
  );
}

function installExtension() {
  const result = spawnSync(CODE_SERVER, ["--install-extension", VSIX, "--extensions-dir", extensions, "--user-data-dir", userData], {
    env: childEnv,
    encoding: "utf8",
    timeout: 120_000,
  });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  if (result.status !== 0 || !/successfully installed/i.test(output)) {
    throw new Error(`code-server --install-extension failed (exit ${result.status}):\n${output}`);
  }
  log(`installed ${path.basename(VSIX)}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startCodeServer(port) {
  const args = [
    "--auth", "none",
    "--bind-addr", `127.0.0.1:${port}`,
    "--disable-telemetry",
    "--disable-update-check",
    "--disable-workspace-trust",
    "--user-data-dir", userData,
    "--extensions-dir", extensions,
    workspace,
  ];
  const logFile = fs.openSync(path.join(tmp, "code-server.log"), "w");
  // Its own process group, so that stopping it reaches its children (the file watcher).
  codeServer = spawn(CODE_SERVER, args, { env: childEnv, detached: true, stdio: ["ignore", logFile, logFile] });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (codeServer.exitCode !== null) {
      throw new NotRun(`code-server exited with ${codeServer.exitCode}:\n${tail(path.join(tmp, "code-server.log"))}`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) {
        log(`code-server answers on 127.0.0.1:${port}`);
        return;
      }
    } catch {
      // Not listening yet.
    }
    await sleep(250);
  }
  throw new NotRun(`code-server did not answer /healthz within 60 s:\n${tail(path.join(tmp, "code-server.log"))}`);
}

function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

function findFiles(dir, pattern) {
  const out = [];
  if (!fs.existsSync(dir)) {
    return out;
  }
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && pattern.test(entry.name)) {
      out.push(path.join(entry.parentPath ?? entry.path, entry.name));
    }
  }
  return out;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for a condition, with a message that says what was awaited when it never holds. */
async function waitFor(what, check, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) {
        return value;
      }
    } catch (error) {
      if (error instanceof ExtensionFailure) {
        throw error;
      }
      last = error;
    }
    await sleep(250);
  }
  throw new Error(`timed out after ${timeout / 1000} s waiting for ${what}${last ? ` (last error: ${last.message})` : ""}`);
}

/** The visible text of the elements matching `selector`, joined. */
async function textOf(page, selector) {
  return (await page.locator(selector).allInnerTexts()).join("\n").replace(/\u00a0/g, " ");
}

/** Puts the cursor on a line (1-based) of the active editor with Go to Line. */
async function goToLine(page, line) {
  await page.locator(".monaco-editor .view-lines").first().click();
  await page.keyboard.press("Control+G");
  await page.keyboard.type(String(line));
  await page.keyboard.press("Enter");
}

/**
 * Makes the module the active editor with Quick Open, and checks that it is: the generated
 * test module ОМ_<module> matches the same query, and is ranked first once it was opened.
 */
async function openModule(page, timeout = 20_000) {
  await waitFor(`Quick Open to open ${MODULE_PATH}`, async () => {
    await page.keyboard.press("Escape");
    await page.keyboard.press("Control+P");
    const input = page.locator(".quick-input-widget input");
    await input.waitFor({ state: "visible", timeout: 5_000 });
    await input.fill(MODULE_PATH.slice(1));
    const rows = page.locator(".quick-input-list .monaco-list-row");
    await rows.first().waitFor({ state: "visible", timeout: 10_000 });
    const all = await rows.all();
    for (const [index, row] of all.entries()) {
      const text = (await row.textContent()) ?? "";
      if (new RegExp(`(?<![\\p{L}_])${MODULE}[/\\\\]`, "u").test(text)) {
        // The list is drawn again as file search results come in, which can take the row
        // away under the click: give up on it soon and pick it with the keys instead (the
        // breadcrumbs below tell whether that opened the module, else `waitFor` starts over).
        try {
          await row.click({ timeout: 3_000 });
        } catch {
          for (let step = 0; step < index; step++) await page.keyboard.press("ArrowDown");
          await page.keyboard.press("Enter");
        }
        break;
      }
    }
    // The active editor's breadcrumbs: "CommonModules › <module> › Ext › Module.bsl".
    const crumbs = await textOf(page, ".editor-group-container.active .breadcrumbs-control");
    return crumbs.includes(MODULE) && !crumbs.includes(`ОМ_${MODULE}`);
  }, timeout);
}

/** Types into Quick Open or the command palette and picks the row that contains `row`. */
async function pick(page, key, query, row) {
  await page.keyboard.press(key);
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible", timeout: 10_000 });
  await input.fill(key === "F1" ? `>${query}` : query);
  const option = page.locator(".quick-input-list .monaco-list-row", { hasText: row }).first();
  await option.waitFor({ state: "visible", timeout: 20_000 });
  await option.click();
}

async function run() {
  prepareWorkspace();
  const moduleText = fs.readFileSync(path.join(workspace, "CommonModules", MODULE, "Ext", "Module.bsl"), "utf8");
  const declarationLine = moduleText.split(/\r?\n/).findIndex((line) => line.startsWith(`Функция ${METHOD}(`)) + 1;
  if (declarationLine === 0) {
    throw new NotRun(`${MODULE} no longer declares ${METHOD}: pick another method for this test`);
  }
  installExtension();
  const port = await freePort();
  await startCodeServer(port);

  try {
    context = await chromium.launchPersistentContext(browserProfile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
      ],
    });
  } catch (error) {
    throw new NotRun(`Chromium (${CHROMIUM}) did not start: ${error.message}`);
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
  await page.goto(url);
  await waitFor("the workbench", () => page.locator(".monaco-workbench .part.editor").isVisible(), 60_000);
  log("the workbench is up");

  // 1. Open the module with Quick Open.
  await openModule(page, 60_000);
  await waitFor("the module in an editor", async () => (await textOf(page, ".monaco-editor .view-lines")).includes("ПрограммныйИнтерфейс"));
  log(`opened ${MODULE}/Ext/Module.bsl`);

  // 2. Our status bar item: the extension is active and its server started.
  const status = await waitFor("the bsl-assist status bar item to say the server runs", async () => {
    const item = page.locator(".statusbar-item", { hasText: /^\s*BSL/ }).first();
    if (!(await item.isVisible())) {
      return undefined;
    }
    if ((await item.locator(".codicon-error").count()) > 0) {
      throw new ExtensionFailure(`the status bar item shows an error: ${await item.getAttribute("aria-label")}`);
    }
    const text = (await item.innerText()).replace(/\u00a0/g, " ").trim();
    return text.includes("✓") ? text : undefined;
  }, 60_000);
  log(`status bar: ${status}`);

  // 3. Our diagnostics in the Problems panel.
  await page.keyboard.press("Control+Shift+M");
  const problem = await waitFor("a bsl-assist diagnostic in the Problems panel", async () => {
    const rows = await page.locator(".markers-panel .monaco-list-row").allInnerTexts();
    return rows.map((row) => row.replace(/\s+/g, " ").trim()).find((row) => /bsl-assist/.test(row));
  }, 60_000);
  log(`Problems panel: "${problem}"`);

  // 4. A hover on a method name: go to its declaration and point at the name.
  const declaration = page.locator(".monaco-editor .view-line", { hasText: `Функция ${METHOD}(` }).first();
  await goToLine(page, declarationLine);
  await declaration.waitFor({ state: "visible", timeout: 10_000 });
  const name = declaration.locator("span > span", { hasText: new RegExp(`^${METHOD}$`) }).first();
  const hover = await waitFor(`a hover on ${METHOD}`, async () => {
    await name.hover();
    await sleep(1200);
    const text = (await textOf(page, ".monaco-hover:not(.hidden) .monaco-hover-content")).trim();
    if (text === "") {
      await page.mouse.move(5, 5);
      return undefined;
    }
    return text;
  }, 40_000);
  log(`hover: "${hover.split("\n").slice(0, 3).join(" / ").slice(0, 160)}"`);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, "vscode-hover.png") });
  await page.mouse.move(5, 5);
  await page.keyboard.press("Escape");

  // 5. "Generate Tests" from the palette, the cursor inside the method.
  await goToLine(page, declarationLine + 3);
  await pick(page, "F1", "bsl-assist: Generate Tests", "Generate Tests");
  const notification = await waitFor("the “Tests generated” notification", async () => {
    const text = await textOf(page, ".notifications-toasts .notification-toast");
    const error = /bsl-assist:[^\n]*/.exec(text);
    if (error && !/Tests generated/.test(text)) {
      throw new ExtensionFailure(`the command reported: ${error[0]}`);
    }
    return /Tests generated: [^\n]*/.exec(text)?.[0];
  }, 30_000);
  await waitFor("an editor with ИсполняемыеСценарии", async () => (await textOf(page, ".monaco-editor .view-lines")).includes("ИсполняемыеСценарии"));
  log(`${notification}; the new editor holds ИсполняемыеСценарии`);

  // Not a check: errors the server reports anywhere (the generated files included) are shown.
  const errors = await page.locator(".markers-panel .monaco-list-row:has(.codicon-error)").allInnerTexts();
  for (const row of errors.slice(0, 5)) {
    log(`note: an error in the Problems panel: "${row.replace(/\s+/g, " ").trim()}"`);
  }
  await page.mouse.move(5, 450); // no tooltip over the picture
  await sleep(300);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, "vscode.png") });
  log(`screenshot: ${path.join(SCREENSHOT_DIR, "vscode.png")}`);

  // 6. "Explain Method": the explanation in a webview (Markdown rendered by the extension).
  await dismissNotifications(page);
  await openModule(page);
  await goToLine(page, declarationLine + 3);
  await pick(page, "F1", "bsl-assist: Explain Method", "Explain Method");
  const explanation = await waitFor("the explanation webview", async () => {
    await failOnErrorNotification(page);
    const text = await webviewText(page, `Explain: ${METHOD}`);
    return text && text.includes(METHOD) ? text : undefined;
  }, 30_000);
  log(`explanation webview: "${explanation.replace(/\s+/g, " ").slice(0, 120)}…"`);

  // 7. "Review Module": a new webview with the review of the module.
  const review = await commandWebview(page, "Review Module", "h1", (heading) => heading.includes(MODULE), 30_000);
  log(`review webview: "${review.heading}; ${await review.frame.locator("h2, h3").count()} sections"`);

  // 8. "Show Diagram": Mermaid, bundled in the VSIX, draws an SVG inside the webview's CSP.
  // The server gained this command late; an older one answers that it does not know it.
  await openModule(page);
  await pick(page, "F1", "bsl-assist: Show Diagram", "Show Diagram");
  const diagram = await waitFor("the diagram webview with an SVG", async () => {
    const toasts = await textOf(page, ".notifications-toasts .notification-toast");
    if (/does not support `bsl-assist\.diagram`/.test(toasts)) {
      return "the server does not support bsl-assist.diagram yet";
    }
    await failOnErrorNotification(page);
    for (const frame of webviewFrames(page)) {
      const nodes = await frame.locator("pre.mermaid svg .node").count().catch(() => 0);
      if (nodes > 0) {
        return `Mermaid drew an SVG with ${nodes} nodes`;
      }
    }
    return undefined;
  }, 30_000);
  log(`diagram: ${diagram}`);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, "vscode-webview.png") });

  // 9. The chat panel: a question typed into the webview gets an answer in the history.
  await pick(page, "F1", "bsl-assist: Chat", "Chat");
  const chat = await waitFor("the chat panel's input box", async () => {
    for (const frame of webviewFrames(page)) {
      // The page's script has attached its handlers once it marks the body ready.
      if ((await frame.locator("body[data-ready] textarea#question").count().catch(() => 0)) > 0) {
        return frame;
      }
    }
    return undefined;
  }, 20_000);
  await chat.locator("textarea#question").fill(`Что делает ${METHOD}?`);
  await chat.locator("textarea#question").press("Enter");
  const answer = await waitFor("an answer in the chat", async () => {
    const text = (await chat.locator(".message.assistant").allInnerTexts()).join("\n").trim();
    return text === "" ? undefined : text;
  }, 60_000);
  const answerKind = (await chat.locator(".message.assistant.error").count()) > 0 ? "an error" : "an answer";
  log(`chat: ${answerKind}: "${answer.replace(/\s+/g, " ").slice(0, 120)}"`);
  if (answerKind === "an error" && !/does not support/.test(answer)) {
    throw new ExtensionFailure(`the chat answered with an error: ${answer}`);
  }
  await page.mouse.move(5, 450);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, "vscode-chat.png") });

  // 10. "Project Report": a webview with the report's Markdown.
  const report = await commandWebview(page, "Project Report", "h1, h2", (heading) => heading !== "", 60_000);
  log(`report webview: "${report.heading}"`);

  // 11. "Show Server Statistics": the stats request's JSON in an editor.
  await pick(page, "F1", "bsl-assist: Show Server Statistics", "Show Server Statistics");
  await waitFor("the statistics in a JSON editor", async () => {
    await failOnErrorNotification(page);
    return (await textOf(page, ".editor-group-container.active .monaco-editor .view-lines")).trim().startsWith("{");
  }, 20_000);
  log("statistics: a JSON editor opened");

  // 12. "Restart Server": the status bar item comes back to ✓ with a new server.
  await pick(page, "F1", "bsl-assist: Restart Server", "Restart Server");
  const serverStarts = () =>
    findFiles(path.join(userData, "logs"), /-bsl-assist\.log$/)
      .map((file) => fs.readFileSync(file, "utf8").split("\n").filter((line) => line.startsWith("bsl-assist: starting")).length)
      .reduce((a, b) => a + b, 0);
  const restarted = await waitFor("a second server start and the status bar item back at ✓", async () => {
    await failOnErrorNotification(page);
    const item = page.locator(".statusbar-item", { hasText: /^\s*BSL/ }).first();
    if ((await item.locator(".codicon-error").count()) > 0) {
      throw new ExtensionFailure(`after the restart the status bar item shows an error: ${await item.getAttribute("aria-label")}`);
    }
    const text = (await item.innerText()).replace(/\u00a0/g, " ").trim();
    return text.includes("✓") && serverStarts() >= 2 ? text : undefined;
  }, 30_000);
  const starts = serverStarts();
  log(`restart: ${restarted}, the server was started ${starts} times`);
}

/**
 * Runs a command from the palette and waits for a webview it opens: a frame that was not there
 * before, whose first `selector` heading `accept`s.
 */
async function commandWebview(page, title, selector, accept, timeout) {
  const before = new Set(webviewFrames(page));
  await pick(page, "F1", `bsl-assist: ${title}`, title);
  return waitFor(`the webview of ${title}`, async () => {
    await failOnErrorNotification(page);
    for (const frame of webviewFrames(page).filter((f) => !before.has(f))) {
      const heading = (await frame.locator(selector).first().innerText().catch(() => "")).trim();
      if (accept(heading)) {
        return { frame, heading };
      }
    }
    return undefined;
  }, timeout);
}

/** The frames of webview contents (code-server nests two iframes per webview). */
function webviewFrames(page) {
  return page.frames().filter((frame) => frame.name() === "active-frame" || frame.url().includes("fake.html"));
}

/** The text of the webview whose tab has this title, once that tab is active. */
async function webviewText(page, title) {
  const tab = page.locator(".tab.active", { hasText: title });
  if ((await tab.count()) === 0) {
    return undefined;
  }
  const texts = [];
  for (const frame of webviewFrames(page)) {
    texts.push(await frame.locator("body").innerText().catch(() => ""));
  }
  return texts.find((text) => text.includes(title.replace(/^\w+: /, ""))) ?? undefined;
}

async function failOnErrorNotification(page) {
  const text = await textOf(page, ".notifications-toasts .notification-toast");
  const error = /bsl-assist: [^\n]*(failed|not running|does not support)[^\n]*/.exec(text);
  if (error) {
    throw new ExtensionFailure(`the command reported: ${error[0]}`);
  }
}

async function dismissNotifications(page) {
  await page.keyboard.press("Escape");
  for (const close of await page.locator(".notifications-toasts .codicon-notifications-clear").all()) {
    await close.click().catch(() => {});
  }
}

/** Stops code-server's process group, then any of its processes that left the group. */
function stopCodeServer() {
  if (!codeServer || codeServer.pid === undefined) {
    return;
  }
  try {
    process.kill(-codeServer.pid, "SIGTERM");
  } catch {
    // Already gone.
  }
  // The file watcher (`bootstrap-fork --type=fileWatcher`) can outlive code-server: find what
  // still runs with our temporary folder on its command line and end it by its id.
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) {
      continue;
    }
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (cmdline.includes(tmp)) {
        process.kill(Number(entry), "SIGKILL");
      }
    } catch {
      // It ended meanwhile.
    }
  }
}

async function main() {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Interrupted (Ctrl+C, a CI time-out): code-server still goes; Playwright closes Chromium.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.once(signal, () => {
      console.error(`REAL-EDITOR TEST FAILED: interrupted by ${signal}`);
      stopCodeServer();
      process.exit(1);
    });
  }
  let code = 0;
  const guard = setTimeout(() => {
    console.error("REAL-EDITOR TEST FAILED: it ran longer than 240 s");
    stopCodeServer();
    process.exit(1);
  }, 240_000);
  try {
    await run();
    log("passed");
  } catch (error) {
    if (error instanceof NotRun) {
      console.error(`REAL-EDITOR TEST NOT RUN: ${error.message}`);
      code = process.env.REAL_EDITOR_STRICT === "1" ? 1 : 0;
    } else {
      console.error(`REAL-EDITOR TEST FAILED: ${error.message}`);
      code = 1;
    }
    const page = context?.pages()[0];
    if (page) {
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, "vscode-failure.png") }).catch(() => {});
      console.error(`a screenshot of the failure: ${path.join(SCREENSHOT_DIR, "vscode-failure.png")}`);
    }
    for (const file of findFiles(path.join(userData, "logs"), /-bsl-assist\.log$/)) {
      console.error(`the extension's output (${file}), last lines:\n${tail(file, 15)}`);
    }
    console.error(`code-server's log (${path.join(tmp, "code-server.log")}), last lines:\n${tail(path.join(tmp, "code-server.log"), 15)}`);
  } finally {
    await context?.close().catch(() => {});
    stopCodeServer();
    clearTimeout(guard);
  }
  if (code === 0 && process.env.REAL_EDITOR_KEEP !== "1") {
    fs.rmSync(tmp, { recursive: true, force: true });
  } else {
    console.error(`the workspace, profiles and logs are kept in ${tmp}`);
  }
  process.exit(code);
}

await main();

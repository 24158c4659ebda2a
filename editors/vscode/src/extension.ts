// The extension's entry point: the status bar item, the commands and the language client.

import * as vscode from "vscode";
import { ExecuteCommandRequest, LanguageClient, State } from "vscode-languageclient/node";
import { createClient, locateServer, SECTION } from "./client";
import {
  describeCommandError,
  diagramArguments,
  subsystemDiagramArguments,
  formatStats,
  generateTestsArguments,
  methodArguments,
  methodFromArguments,
  parseApplied,
  parseAuditLog,
  parseDiagram,
  parseGeneratedTests,
  parseMarkdown,
  parseReport,
  SERVER,
  STATS_REQUEST,
  STATUS_NOTIFICATION,
} from "./commands";
import { declaredMethods, methodAtLine } from "./methodAtCursor";
import { Panels } from "./panels";
import { parseStatus, startingView, statusView, StatusView, stoppedView } from "./status";

const LANGUAGES = new Set(["bsl", "os"]);

let client: LanguageClient | undefined;
let lastModuleEditor: vscode.TextEditor | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel("bsl-assist");
  const status = vscode.window.createStatusBarItem("bsl-assist.status", vscode.StatusBarAlignment.Left, 10);
  status.name = "bsl-assist";
  status.command = "bsl-assist.showStats";
  const panels = new Panels(context.extensionUri);
  context.subscriptions.push(output, status, panels);

  const showStatus = (view: StatusView) => {
    status.text = view.text;
    status.tooltip = view.tooltip;
    status.show();
  };

  const track = (editor: vscode.TextEditor | undefined) => {
    if (editor && LANGUAGES.has(editor.document.languageId)) {
      lastModuleEditor = editor;
    }
  };
  track(vscode.window.activeTextEditor);
  context.subscriptions.push(vscode.window.onDidChangeActiveTextEditor(track));

  const start = async (): Promise<void> => {
    showStatus(startingView());
    const found = locateServer(context);
    if (!found.ok) {
      showStatus(stoppedView(found.message));
      void vscode.window.showErrorMessage(found.message);
      return;
    }
    output.appendLine(`bsl-assist: starting ${found.path} lsp (from the ${found.source})`);
    const next = createClient(found.path, output);
    client = next;
    next.onNotification(STATUS_NOTIFICATION, (params: unknown) => {
      const parsed = parseStatus(params);
      if (parsed && client === next) {
        showStatus(statusView(parsed));
      }
    });
    next.onDidChangeState((event) => {
      if (event.newState === State.Stopped && client === next) {
        showStatus(stoppedView("the language server has stopped; run “bsl-assist: Restart Server”"));
      }
    });
    try {
      await next.start();
      if (status.text === startingView().text) {
        status.text = "BSL ✓";
        status.tooltip = "bsl-assist: the language server is running";
      }
    } catch (error) {
      const message = `bsl-assist: the language server did not start: ${error instanceof Error ? error.message : String(error)}`;
      showStatus(stoppedView(message));
      void vscode.window.showErrorMessage(message);
    }
  };

  const stop = async (): Promise<void> => {
    const old = client;
    client = undefined;
    if (old) {
      await old.dispose().catch((error: unknown) => output.appendLine(`bsl-assist: stopping the server: ${String(error)}`));
    }
  };

  const running = (): LanguageClient => {
    if (!client || client.state === State.Stopped) {
      throw new Error("the language server is not running (see the “bsl-assist” output; “bsl-assist: Restart Server” starts it again)");
    }
    return client;
  };

  const execute = async (command: string, args: unknown[]): Promise<unknown> =>
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `bsl-assist: ${command}` }, () =>
      running().sendRequest(ExecuteCommandRequest.type, { command, arguments: args }),
    );

  /** Registers a command whose failures end in one error message. */
  const command = (id: string, run: (...args: unknown[]) => Promise<void>) => {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          await run(...args);
        } catch (error) {
          void vscode.window.showErrorMessage(describeCommandError(id, error));
        }
      }),
    );
  };

  const moduleEditor = (): vscode.TextEditor | undefined => {
    const active = vscode.window.activeTextEditor;
    if (active && LANGUAGES.has(active.document.languageId)) {
      return active;
    }
    if (lastModuleEditor && !lastModuleEditor.document.isClosed) {
      return lastModuleEditor;
    }
    void vscode.window.showWarningMessage("bsl-assist: open a BSL or OneScript module first.");
    return undefined;
  };

  /**
   * The method a command is about: the arguments of the server's code action, else the method
   * around the cursor, else (when the module as a whole will not do) one picked from a list.
   */
  const methodTarget = async (args: unknown[], wholeModule: boolean): Promise<{ uri: string; methodName: string } | undefined> => {
    const given = methodFromArguments(args);
    if (given) {
      return given;
    }
    const editor = moduleEditor();
    if (!editor) {
      return undefined;
    }
    const text = editor.document.getText();
    const uri = editor.document.uri.toString();
    const methodName = methodAtLine(text, editor.selection.active.line);
    if (methodName !== undefined) {
      return { uri, methodName };
    }
    if (wholeModule) {
      return { uri, methodName: "" };
    }
    const methods = declaredMethods(text);
    if (methods.length === 0) {
      void vscode.window.showWarningMessage("bsl-assist: this module declares no methods.");
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(methods, { placeHolder: "Which method?" });
    return picked === undefined ? undefined : { uri, methodName: picked };
  };

  command("bsl-assist.explainMethod", async (...args) => {
    const target = await methodTarget(args, false);
    if (target) {
      const markdown = parseMarkdown(SERVER.explainMethod, await execute(SERVER.explainMethod, methodArguments(target.uri, target.methodName)));
      panels.showMarkdown("explain", `Explain: ${target.methodName}`, markdown);
    }
  });

  command("bsl-assist.generateTests", async (...args) => {
    const target = await methodTarget(args, true);
    if (!target) {
      return;
    }
    const result = parseGeneratedTests(await execute(SERVER.generateTests, generateTestsArguments(target.uri, target.methodName)));
    if (result.applied && result.uri) {
      // The server has written the file through workspace/applyEdit already.
      await vscode.window.showTextDocument(vscode.Uri.parse(result.uri), { preview: false });
    } else {
      const document = await vscode.workspace.openTextDocument({ language: "bsl", content: result.text });
      await vscode.window.showTextDocument(document, { preview: false });
    }
    void vscode.window.showInformationMessage(`Tests generated: ${result.suggestedName}`);
  });

  command("bsl-assist.addDocComment", async (...args) => {
    const target = await methodTarget(args, false);
    if (target && !parseApplied(SERVER.addDocComment, await execute(SERVER.addDocComment, methodArguments(target.uri, target.methodName)))) {
      void vscode.window.showInformationMessage(`bsl-assist: ${target.methodName} was left as it is (it may have a description already).`);
    }
  });

  command("bsl-assist.review", async (...args) => {
    // The server's code action passes the module's URI; the palette and menus pass nothing.
    const uri = typeof args[0] === "string" ? vscode.Uri.parse(args[0]) : moduleEditor()?.document.uri;
    if (uri) {
      const markdown = parseMarkdown(SERVER.review, await execute(SERVER.review, [uri.toString()]));
      panels.showMarkdown("review", `Review: ${baseName(uri)}`, markdown);
    }
  });

  command("bsl-assist.diagram", async (...args) => {
    // From an explorer or editor menu VS Code passes the file's URI (a code action: its
    // string); from the palette, the
    // active module if there is one, else the whole workspace.
    const fromMenu = args[0] instanceof vscode.Uri ? args[0] : typeof args[0] === "string" ? vscode.Uri.parse(args[0]) : undefined;
    const active = vscode.window.activeTextEditor;
    const uri = fromMenu ?? (active && LANGUAGES.has(active.document.languageId) ? active.document.uri : undefined);
    const diagram = parseDiagram(await execute(SERVER.diagram, diagramArguments(uri?.toString())));
    panels.showDiagram(diagram.title, diagram.mermaid);
  });

  command("bsl-assist.subsystemDiagram", async () => {
    const picked = await vscode.window.showQuickPick(
      [
        { label: "1", description: "top-level subsystems" },
        { label: "2", description: "down to their children" },
        { label: "3", description: "three levels" },
      ],
      { title: "Subsystem diagram: how deep" },
    );
    if (picked === undefined) {
      return;
    }
    const diagram = parseDiagram(await execute(SERVER.diagram, subsystemDiagramArguments(Number(picked.label))));
    panels.showDiagram(diagram.title, diagram.mermaid);
  });

  command("bsl-assist.report", async () => {
    const report = parseReport(await execute(SERVER.report, []));
    panels.showMarkdown("report", "bsl-assist report", report.markdown, report.mermaid);
  });

  command("bsl-assist.analyzeRequirements", async () => {
    // The analyst: a requirements text (the selection, else typed in) mapped onto the
    // configuration's objects.
    const editor = vscode.window.activeTextEditor;
    const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : "";
    const text =
      selected ||
      (await vscode.window.showInputBox({ prompt: "Requirements to map onto the configuration", ignoreFocusOut: true }));
    if (text && text.trim()) {
      const markdown = parseMarkdown(SERVER.analyzeRequirements, await execute(SERVER.analyzeRequirements, [text]));
      panels.showMarkdown("requirements", "Requirements analysis", markdown);
    }
  });

  command("bsl-assist.chat", async () => {
    panels.openChat(
      async (args) => {
        try {
          return parseMarkdown(SERVER.chat, await execute(SERVER.chat, args));
        } catch (error) {
          throw new Error(describeCommandError(SERVER.chat, error));
        }
      },
      () => {
        const editor = lastModuleEditor && !lastModuleEditor.document.isClosed ? lastModuleEditor : undefined;
        return editor ? { uri: editor.document.uri.toString(), line: editor.selection.active.line } : {};
      },
    );
  });

  command("bsl-assist.showAuditLog", async () => {
    const path = parseAuditLog(await execute(SERVER.auditLog, []));
    try {
      await vscode.window.showTextDocument(vscode.Uri.file(path), { preview: false });
    } catch {
      void vscode.window.showInformationMessage(`bsl-assist: the audit log ${path} is empty so far (no assistant has called a model yet).`);
    }
  });

  command("bsl-assist.showStats", async () => {
    const stats = await running().sendRequest(STATS_REQUEST);
    const document = await vscode.workspace.openTextDocument({ language: "json", content: formatStats(stats) });
    await vscode.window.showTextDocument(document, { preview: true });
  });

  command("bsl-assist.restartServer", async () => {
    await stop();
    await start();
  });

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SECTION}.server.path`)) {
        void vscode.commands.executeCommand("bsl-assist.restartServer");
      }
    }),
    { dispose: () => void stop() },
  );

  // Not awaited: activation (and so every command) does not wait for the server to start.
  void start();
}

export async function deactivate(): Promise<void> {
  const old = client;
  client = undefined;
  await old?.dispose();
}

function baseName(uri: vscode.Uri): string {
  return uri.path.split("/").pop() ?? uri.path;
}

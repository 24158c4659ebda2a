// Starting the language server: find the binary, run `<bin> lsp` over stdio, and pass the
// `bsl-assist` settings section as initialization options.

import * as fs from "fs";
import * as vscode from "vscode";
import {
  DynamicFeature,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  StaticFeature,
} from "vscode-languageclient/node";
import { findServer, ServerFound } from "./serverPath";

export const SECTION = "bsl-assist";

/**
 * The server lists its commands in `executeCommandProvider`, and the stock client would register
 * VS Code commands of the same ids, clashing with ours (VS Code refuses a second registration).
 * Our commands send `workspace/executeCommand` themselves and show the results, so the stock
 * feature is left out.
 */
class BslLanguageClient extends LanguageClient {
  override registerFeature(feature: StaticFeature | DynamicFeature<unknown>): void {
    const method = (feature as { registrationType?: { method?: string } }).registrationType?.method;
    if (method === ExecuteCommandRequest.method) {
      return;
    }
    super.registerFeature(feature);
  }
}

/** The `bsl-assist` settings as a plain JSON object (what the server reads). */
export function settingsObject(): Record<string, unknown> {
  return JSON.parse(JSON.stringify(vscode.workspace.getConfiguration(SECTION))) as Record<string, unknown>;
}

export function locateServer(context: vscode.ExtensionContext): ServerFound {
  const found = findServer({
    setting: vscode.workspace.getConfiguration(SECTION).get<string | null>("server.path"),
    env: process.env,
    extensionPath: context.extensionPath,
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    platform: process.platform,
    exists: (file) => fs.existsSync(file),
  });
  if (found.ok && found.source === "bundled" && process.platform !== "win32") {
    // A VSIX unpacked by a tool that drops file modes leaves the binary without its run bit.
    try {
      fs.accessSync(found.path, fs.constants.X_OK);
    } catch {
      try {
        fs.chmodSync(found.path, 0o755);
      } catch {
        // Spawning will fail with the reason; the client reports it.
      }
    }
  }
  return found;
}

export function createClient(serverPath: string, output: vscode.OutputChannel): LanguageClient {
  // No `transport`: the client would append `--stdio`, which `bsl-assist lsp` does not take.
  const run = { command: serverPath, args: ["lsp"] };
  const serverOptions: ServerOptions = { run, debug: run };
  const languages = ["bsl", "os"];
  const clientOptions: LanguageClientOptions = {
    documentSelector: languages.flatMap((language) => [
      { scheme: "file", language },
      { scheme: "untitled", language },
    ]),
    initializationOptions: settingsObject(),
    synchronize: { configurationSection: SECTION },
    outputChannel: output,
  };
  return new BslLanguageClient(SECTION, "bsl-assist", serverOptions, clientOptions);
}

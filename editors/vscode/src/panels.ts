// The webview panels: one reusable panel per kind of result (explanation, review, report,
// diagram) and the chat. Everything a page loads comes from the extension's `media/` folder.

import * as vscode from "vscode";
import { chatArguments } from "./commands";
import { mermaidBlock, nonce, page, renderMarkdown } from "./html";

export type PanelKind = "explain" | "review" | "report" | "diagram" | "requirements";

export class Panels implements vscode.Disposable {
  private readonly panels = new Map<PanelKind, vscode.WebviewPanel>();
  private chat: ChatPanel | undefined;

  constructor(private readonly extensionUri: vscode.Uri) {}

  private media(...parts: string[]): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, "media", ...parts);
  }

  /** Options every panel shares: scripts on, and only `media/` readable. */
  webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [this.media()], retainContextWhenHidden: true };
  }

  /**
   * A page with our stylesheet and the given scripts; Mermaid (2.7 MB) is loaded only for a
   * page that has a diagram, or may get one (the chat).
   */
  html(webview: vscode.Webview, title: string, body: string, scripts?: string[]): string {
    const uri = (...parts: string[]) => webview.asWebviewUri(this.media(...parts)).toString();
    const diagrams = body.includes('<pre class="mermaid">');
    const own = scripts ?? (diagrams ? ["mermaid-render.js"] : []);
    const mermaid = diagrams || scripts !== undefined ? [uri("vendor", "mermaid.min.js")] : [];
    return page({
      title,
      body,
      cspSource: webview.cspSource,
      nonce: nonce(),
      styles: [uri("panel.css")],
      scripts: [...mermaid, ...own.map((s) => uri(s))],
    });
  }

  /** Shows HTML in the panel of this kind, reusing it when it is open. */
  show(kind: PanelKind, title: string, body: string): vscode.WebviewPanel {
    let panel = this.panels.get(kind);
    if (panel) {
      panel.title = title;
      panel.reveal(vscode.ViewColumn.Beside, true);
    } else {
      panel = vscode.window.createWebviewPanel(`bsl-assist.${kind}`, title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.webviewOptions());
      panel.onDidDispose(() => this.panels.delete(kind));
      this.panels.set(kind, panel);
    }
    panel.webview.html = this.html(panel.webview, title, body);
    return panel;
  }

  showMarkdown(kind: PanelKind, title: string, markdown: string, mermaid?: string): void {
    this.show(kind, title, renderMarkdown(markdown) + (mermaid ? mermaidBlock(mermaid) : ""));
  }

  showDiagram(title: string, mermaid: string): void {
    this.show("diagram", title, `<h2>${escapeText(title)}</h2>\n${mermaidBlock(mermaid)}`);
  }

  openChat(ask: (args: unknown[]) => Promise<string>, context: () => { uri?: string; line?: number }): void {
    if (this.chat) {
      this.chat.panel.reveal(vscode.ViewColumn.Beside);
      return;
    }
    const panel = vscode.window.createWebviewPanel("bsl-assist.chat", "bsl-assist chat", vscode.ViewColumn.Beside, this.webviewOptions());
    this.chat = new ChatPanel(panel, this, ask, context);
    panel.onDidDispose(() => {
      this.chat = undefined;
    });
  }

  dispose(): void {
    for (const panel of this.panels.values()) {
      panel.dispose();
    }
    this.chat?.panel.dispose();
  }
}

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

type ChatItem = { role: "user"; text: string } | { role: "assistant" | "assistant error"; html: string };

/** The chat: the history lives here, so a reloaded page gets it back. */
class ChatPanel {
  private readonly history: ChatItem[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    panels: Panels,
    private readonly ask: (args: unknown[]) => Promise<string>,
    private readonly context: () => { uri?: string; line?: number },
  ) {
    const body = `<div id="history"></div>
<form id="ask"><textarea id="question" rows="2" placeholder="Ask about this code (Enter sends, Shift+Enter for a new line)"></textarea><button type="submit">Ask</button></form>`;
    panel.webview.html = panels.html(panel.webview, "bsl-assist chat", body, ["chat.js"]).replace("<body>", '<body class="chat">');
    panel.webview.onDidReceiveMessage((message: { type: string; question?: string }) => {
      if (message.type === "ready") {
        void panel.webview.postMessage({ type: "history", items: this.history });
      } else if (message.type === "ask" && typeof message.question === "string") {
        void this.answer(message.question);
      }
    });
  }

  private async answer(question: string): Promise<void> {
    this.history.push({ role: "user", text: question });
    void this.panel.webview.postMessage({ type: "pending", text: "Thinking…" });
    const { uri, line } = this.context();
    try {
      const markdown = await this.ask(chatArguments(question, uri, line));
      const html = renderMarkdown(markdown);
      this.history.push({ role: "assistant", html });
      void this.panel.webview.postMessage({ type: "answer", html });
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      this.history.push({ role: "assistant error", html: escapeText(text) });
      void this.panel.webview.postMessage({ type: "error", text });
    }
  }
}

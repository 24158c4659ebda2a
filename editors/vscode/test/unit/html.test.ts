import assert from "node:assert/strict";
import { test } from "node:test";
import { contentSecurityPolicy, nonce, page, renderMarkdown } from "../../src/html";

test("raw HTML in Markdown is escaped", () => {
  const html = renderMarkdown("# Заголовок\n\n<script>alert(1)</script>");
  assert.match(html, /<h1>Заголовок<\/h1>/);
  assert.doesNotMatch(html, /<script>/);
});

test("mermaid fences become blocks for the bundled Mermaid", () => {
  const html = renderMarkdown("```mermaid\ngraph TD\n  A-->B\n```\n\n```bsl\nВозврат;\n```");
  assert.match(html, /<pre class="mermaid">graph TD\n  A--&gt;B<\/pre>/);
  assert.match(html, /<code class="language-bsl">Возврат;/);
});

test("the policy allows only the webview's own resources and the page's nonce", () => {
  const csp = contentSecurityPolicy("https://webview.example", "abc");
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'nonce-abc' https:\/\/webview.example/);
  assert.doesNotMatch(csp, /https?:\/\/(?!webview\.example)/);
  const html = page({ title: "t", body: "<p>b</p>", cspSource: "vscode-resource:", nonce: "n1", styles: ["s.css"], scripts: ["m.js"] });
  assert.match(html, /<script nonce="n1" src="m.js"><\/script>/);
  assert.equal(nonce().length, 32);
});

// HTML for the webviews (explanations, reviews, reports, diagrams and the chat). Markdown is
// rendered here, in the extension host, with raw HTML escaped; ```mermaid fences become
// `<pre class="mermaid">` blocks that the bundled Mermaid turns into pictures. No VS Code API.

import MarkdownIt from "markdown-it";

const markdown = new MarkdownIt({ html: false, linkify: true, breaks: false });
const defaultFence = markdown.renderer.rules.fence;
markdown.renderer.rules.fence = (tokens, index, options, env, self) => {
  const token = tokens[index];
  if (token.info.trim().toLowerCase() === "mermaid") {
    return mermaidBlock(token.content);
  }
  return defaultFence ? defaultFence(tokens, index, options, env, self) : self.renderToken(tokens, index, options);
};

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** A Mermaid source as a block the webview script renders (the text stays escaped until then). */
export function mermaidBlock(source: string): string {
  return `<pre class="mermaid">${escapeHtml(source.trim())}</pre>\n`;
}

export function renderMarkdown(text: string): string {
  return markdown.render(text);
}

/** A random token for the Content-Security-Policy's script nonce. */
export function nonce(random: () => number = Math.random): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let out = "";
  for (let i = 0; i < 32; i++) {
    out += alphabet.charAt(Math.floor(random() * alphabet.length));
  }
  return out;
}

export interface PageOptions {
  title: string;
  /** The HTML of the page's body. */
  body: string;
  /** `webview.cspSource`: the only origin scripts, styles, fonts and images may come from. */
  cspSource: string;
  nonce: string;
  /** Webview URIs of the stylesheets and scripts, in order. */
  styles: string[];
  scripts: string[];
}

/**
 * The Content-Security-Policy: nothing from the network, scripts only from the extension's own
 * files with this page's nonce. Inline styles are allowed because Mermaid writes its SVG's
 * styles inline.
 */
export function contentSecurityPolicy(cspSource: string, nonceValue: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    `style-src ${cspSource} 'unsafe-inline'`,
    `script-src 'nonce-${nonceValue}' ${cspSource}`,
  ].join("; ");
}

export function page(options: PageOptions): string {
  const styles = options.styles.map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}">`).join("\n");
  const scripts = options.scripts
    .map((src) => `<script nonce="${options.nonce}" src="${escapeHtml(src)}"></script>`)
    .join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(options.cspSource, options.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(options.title)}</title>
${styles}
</head>
<body>
${options.body}
${scripts}
</body>
</html>
`;
}

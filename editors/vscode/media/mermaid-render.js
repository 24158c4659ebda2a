// Renders every <pre class="mermaid"> block of the page with the bundled Mermaid.
(function () {
  "use strict";
  const blocks = document.querySelectorAll("pre.mermaid");
  if (blocks.length === 0 || typeof mermaid === "undefined") {
    return;
  }
  const dark = document.body.classList.contains("vscode-dark") || document.body.classList.contains("vscode-high-contrast");
  mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: dark ? "dark" : "default" });
  mermaid.run({ nodes: blocks, suppressErrors: true }).catch(function (error) {
    const note = document.createElement("p");
    note.className = "error";
    note.textContent = "Mermaid could not draw this diagram: " + (error && error.message ? error.message : error);
    document.body.appendChild(note);
  });
})();

// The chat panel: a history of questions and answers and an input box. The extension keeps
// the history and sends the rendered HTML of each answer (Markdown rendered with raw HTML
// escaped); this script only shows it and passes questions on.
(function () {
  "use strict";
  const vscode = acquireVsCodeApi();
  const history = document.getElementById("history");
  const form = document.getElementById("ask");
  const question = document.getElementById("question");

  function add(role, html, text) {
    const div = document.createElement("div");
    div.className = "message " + role;
    if (html !== undefined) {
      div.innerHTML = html;
    } else {
      div.textContent = text;
    }
    history.appendChild(div);
    history.scrollTop = history.scrollHeight;
    return div;
  }

  function renderMermaid(root) {
    const blocks = root.querySelectorAll("pre.mermaid");
    if (blocks.length > 0 && typeof mermaid !== "undefined") {
      mermaid.run({ nodes: blocks, suppressErrors: true }).catch(function () {});
    }
  }

  if (typeof mermaid !== "undefined") {
    const dark = document.body.classList.contains("vscode-dark") || document.body.classList.contains("vscode-high-contrast");
    mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: dark ? "dark" : "default" });
  }

  let pending;
  window.addEventListener("message", function (event) {
    const message = event.data;
    switch (message.type) {
      case "history":
        history.textContent = "";
        for (const item of message.items) {
          const div = item.role === "user" ? add("user", undefined, item.text) : add(item.role, item.html);
          renderMermaid(div);
        }
        break;
      case "pending":
        pending = add("pending", undefined, message.text);
        break;
      case "answer":
      case "error":
        if (pending) {
          pending.remove();
          pending = undefined;
        }
        renderMermaid(message.type === "answer" ? add("assistant", message.html) : add("assistant error", undefined, message.text));
        break;
    }
  });

  function send() {
    const text = question.value.trim();
    if (text === "") {
      return;
    }
    add("user", undefined, text);
    question.value = "";
    vscode.postMessage({ type: "ask", question: text });
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    send();
  });
  question.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      send();
    }
  });
  vscode.postMessage({ type: "ready" });
  // Tells a test driving the page that Enter now sends.
  document.body.dataset.ready = "true";
  question.focus();
})();

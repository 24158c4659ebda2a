#!/usr/bin/env python3
"""Hover latency while the language server indexes a big workspace.

Starts `bsl-assist lsp` on a folder, opens one module right after `initialized` and sends a
hover every ~20 ms (alternating a call into another common module, answered from the
workspace index, and a call of the module's own method) until the server logs
"N modules indexed", then for a few seconds more. Prints hover p50/p99/max during indexing
and after it, the indexing time and the server's peak memory (VmHWM).

    scripts/lsp-hover-load.py BSL_ASSIST_BINARY WORKSPACE_FOLDER [--module PATH]
        [--interval-ms 20] [--after-s 5] [--json OUT]

Exit status 0 when every hover was answered; the figures are for a person (or
`scripts/scale.sh`) to judge against the target (p99 <= 50 ms).
"""

import argparse
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse


def uri(path):
    return "file://" + urllib.parse.quote(os.path.abspath(path))


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def position_of(text, offset):
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    column = sum(2 if ord(c) > 0xFFFF else 1 for c in text[start:offset])
    return {"line": line, "character": column}


def hover_positions(text):
    """A call into another common module (`Модуль.Метод(`) and a call of a method of the
    module itself, as positions on the method names."""
    positions = []
    marker = "ОбщегоНазначенияКлиентСервер."
    at = text.find(marker)
    if at >= 0:
        positions.append(position_of(text, at + len(marker) + 2))
    # A local call: the name of the first exported function, found again further down.
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("Функция ") and "(" in stripped:
            name = stripped[len("Функция "):stripped.index("(")].strip()
            call = text.find(name + "(", text.find(stripped) + len(stripped))
            if call >= 0:
                positions.append(position_of(text, call + 2))
                break
    if not positions:
        positions.append({"line": 0, "character": 0})
    return positions


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("workspace")
    parser.add_argument("--module", help="the module to open (default: the largest common module found)")
    parser.add_argument("--interval-ms", type=float, default=20.0)
    parser.add_argument("--after-s", type=float, default=5.0)
    parser.add_argument("--timeout-s", type=float, default=1800.0)
    parser.add_argument("--json", help="write the figures here too")
    args = parser.parse_args()

    module = args.module
    if module is None:
        for dirpath, _, files in os.walk(args.workspace):
            if dirpath.endswith(os.path.join("CommonModules", "ОбщегоНазначения", "Ext")) and "Module.bsl" in files:
                module = os.path.join(dirpath, "Module.bsl")
                break
    if module is None:
        sys.exit("no module to open: pass --module")
    with open(module, "rb") as f:
        text = f.read().decode("utf-8-sig")
    positions = hover_positions(text)

    server = subprocess.Popen(
        [args.binary, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    write_lock = threading.Lock()

    def send(message):
        body = json.dumps(message, ensure_ascii=False).encode()
        with write_lock:
            server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            server.stdin.flush()

    sent = {}
    answered = {}
    errors = []
    indexed = threading.Event()
    indexed_message = []
    initialized = threading.Event()

    def reader():
        stream = server.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            message = json.loads(stream.read(length))
            now = time.perf_counter()
            if "id" in message and "method" in message:
                # A request from the server (progress token, registration): accept it.
                send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            elif "id" in message:
                answered[message["id"]] = now
                if "error" in message:
                    errors.append(message)
                if message["id"] == 0:
                    initialized.set()
            elif message.get("method") == "window/logMessage":
                text_ = message["params"]["message"]
                if "modules indexed" in text_:
                    indexed_message.append((now, text_))
                    indexed.set()

    threading.Thread(target=reader, daemon=True).start()
    started = time.perf_counter()
    root = os.path.abspath(args.workspace)
    send({
        "jsonrpc": "2.0", "id": 0, "method": "initialize",
        "params": {
            "processId": os.getpid(), "rootUri": uri(root),
            "workspaceFolders": [{"uri": uri(root), "name": "scale"}],
            "capabilities": {"window": {"workDoneProgress": True}},
        },
    })
    if not initialized.wait(60):
        sys.exit("no initialize response in 60 s")
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    initialized_at = time.perf_counter()
    doc = uri(module)
    send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
          "params": {"textDocument": {"uri": doc, "languageId": "bsl", "version": 1, "text": text}}})

    next_id = 1
    during = []  # ids sent before the index was loaded
    after = []
    after_deadline = None
    interval = args.interval_ms / 1000
    tick = time.perf_counter()
    while True:
        now = time.perf_counter()
        if now - started > args.timeout_s:
            sys.exit(f"indexing did not finish in {args.timeout_s} s")
        if indexed.is_set() and after_deadline is None:
            after_deadline = now + args.after_s
        if after_deadline is not None and now >= after_deadline:
            break
        position = positions[next_id % len(positions)]
        sent[next_id] = time.perf_counter()
        (after if indexed.is_set() else during).append(next_id)
        send({"jsonrpc": "2.0", "id": next_id, "method": "textDocument/hover",
              "params": {"textDocument": {"uri": doc}, "position": position}})
        next_id += 1
        tick += interval
        time.sleep(max(0.0, tick - time.perf_counter()))

    deadline = time.perf_counter() + 60
    while len([i for i in sent if i in answered]) < len(sent) and time.perf_counter() < deadline:
        time.sleep(0.05)
    missing = [i for i in sent if i not in answered]

    peak_kb = None
    try:
        with open(f"/proc/{server.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    peak_kb = int(line.split()[1])
    except OSError:
        pass
    send({"jsonrpc": "2.0", "id": 10**9, "method": "shutdown", "params": None})
    time.sleep(0.2)
    send({"jsonrpc": "2.0", "method": "exit", "params": None})
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        server.kill()

    def figures(ids):
        latencies = [(answered[i] - sent[i]) * 1000 for i in ids if i in answered]
        return {
            "hovers": len(latencies),
            "p50_ms": round(percentile(latencies, 50), 2),
            "p99_ms": round(percentile(latencies, 99), 2),
            "max_ms": round(max(latencies), 2) if latencies else None,
        }

    index_s = indexed_message[0][0] - initialized_at if indexed_message else None
    report = {
        "during_indexing": figures(during),
        "after_indexing": figures(after),
        "indexing_s": round(index_s, 2) if index_s is not None else None,
        "server_log": indexed_message[0][1] if indexed_message else None,
        "peak_rss_mb": round(peak_kb / 1024) if peak_kb else None,
        "errors": len(errors),
        "unanswered": len(missing),
    }
    d, a = report["during_indexing"], report["after_indexing"]
    print(f"indexing: {report['indexing_s']} s after initialized ({report['server_log']})")
    print(f"hover during indexing: {d['hovers']} hovers, p50 {d['p50_ms']} ms, p99 {d['p99_ms']} ms, max {d['max_ms']} ms")
    print(f"hover after indexing:  {a['hovers']} hovers, p50 {a['p50_ms']} ms, p99 {a['p99_ms']} ms, max {a['max_ms']} ms")
    print(f"server peak memory: {report['peak_rss_mb']} MB; errors {len(errors)}, unanswered {len(missing)}")
    if errors:
        print("first error:", json.dumps(errors[0], ensure_ascii=False), file=sys.stderr)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=2)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())

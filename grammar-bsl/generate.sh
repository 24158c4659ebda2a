#!/usr/bin/env bash
# Regenerates src/ from grammar.js with the tree-sitter CLI and records the grammar's hash,
# which tests/fresh.rs compares so that a stale parser fails an ordinary test.
set -euo pipefail
cd "$(dirname "$0")"
tools="${BSL_ASSIST_TOOLS:-$HOME/.cache/bsl-assist/tools}"
export PATH="$tools/bin:$PATH"
command -v tree-sitter >/dev/null || {
  echo "tree-sitter CLI not found: cargo install tree-sitter-cli --version 0.27.1 --locked --root $tools" >&2
  exit 1
}
tree-sitter generate
sha256sum grammar.js | cut -d' ' -f1 > src/grammar.js.sha256

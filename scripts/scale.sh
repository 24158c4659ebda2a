#!/usr/bin/env bash
# Scale test: a synthetic workspace of N modules (default 25,000), made by replicating the
# modules of ../shared/corpus/ssl_3_1 under new object names (Catalogs/Foo -> Catalogs/Foo_2,
# ...) in a temporary folder, checked by `bsl-assist check --format json -o /dev/null --stats`.
# Prints the module count, the check's own figures (wall, CPU, peak memory) and the wall
# time and peak memory measured from outside. Then the language server is started on the
# same folder and `scripts/lsp-hover-load.py` sends a hover every 20 ms while it indexes:
# hover p50/p99/max during and after indexing, the indexing time and the server's peak
# memory (target: hover p99 <= 50 ms while indexing).
#
#   scripts/scale.sh [N]            # release binary from $CARGO_TARGET_DIR (built if missing)
#   BSL_ASSIST=path/to/bsl-assist scripts/scale.sh 5000
#   KEEP=1 scripts/scale.sh         # keep the generated folder
#   SKIP_CHECK=1 scripts/scale.sh   # only the language server part
#   SKIP_LSP=1 scripts/scale.sh     # only the check
set -euo pipefail

n="${1:-25000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="${BSL_SSL:-$root/../shared/corpus/ssl_3_1}"
target="${CARGO_TARGET_DIR:-$root/target}"
bin="${BSL_ASSIST:-$target/release/bsl-assist}"

[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 2; }
if [ ! -x "$bin" ]; then
    (cd "$root" && cargo build --release -p bsl-assist)
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/bsl-scale.XXXXXX")"
if [ -z "${KEEP:-}" ]; then
    trap 'rm -rf "$work"' EXIT
fi

# Hard links where the file system allows them (the text is the same, only the name is
# new), copies otherwise.
python3 - "$corpus" "$work/ws" "$n" <<'EOF'
import os, shutil, sys
corpus, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
modules = []
for dirpath, dirs, files in os.walk(corpus):
    dirs.sort()
    for f in sorted(files):
        if f.endswith((".bsl", ".os")):
            modules.append(os.path.relpath(os.path.join(dirpath, f), corpus))
if not modules:
    sys.exit("no modules in " + corpus)
link = True
for i in range(n):
    rel = modules[i % len(modules)]
    copy = i // len(modules)
    parts = rel.split(os.sep)
    if copy:
        # The object folder (src/cf/<Kind>/<Object>/...) gets a new name; modules outside
        # such a folder get a numbered file name.
        if len(parts) > 4:
            parts[3] = f"{parts[3]}_{copy + 1}"
        else:
            stem, ext = os.path.splitext(parts[-1])
            parts[-1] = f"{stem}_{copy + 1}{ext}"
    dest = os.path.join(out, *parts)
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    src = os.path.join(corpus, rel)
    if link:
        try:
            os.link(src, dest)
            continue
        except OSError:
            link = False
    shutil.copyfile(src, dest)
# The configuration's description, so that the language server sees a Designer project.
for dirpath, dirs, files in os.walk(corpus):
    dirs.sort()
    if "Configuration.xml" in files:
        rel = os.path.relpath(os.path.join(dirpath, "Configuration.xml"), corpus)
        dest = os.path.join(out, rel)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copyfile(os.path.join(corpus, rel), dest)
print(f"{n} modules ({len(modules)} distinct) in {out}", file=sys.stderr)
EOF

count="$(find "$work/ws" -type f \( -name '*.bsl' -o -name '*.os' \) | wc -l)"
# -l: hard links count once per name, as the check reads them.
bytes="$(find "$work/ws" -type f -name '*.bsl' -print0 | du -clb --files0-from=- 2>/dev/null | tail -1 | cut -f1)"
echo "workspace: $count modules, $((bytes / 1048576)) MB of text"

if [ -z "${SKIP_CHECK:-}" ]; then
    start="$(date +%s.%N)"
    status=0
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f "outside: %e s wall, %U s user, %S s system, peak memory %M KB" \
            "$bin" check "$work/ws" --format json -o /dev/null --stats 2>"$work/stats" || status=$?
    else
        "$bin" check "$work/ws" --format json -o /dev/null --stats 2>"$work/stats" || status=$?
    fi
    end="$(date +%s.%N)"
    # The per-rule counts are long: show the figures only.
    grep -E "Time:|outside:|error|panick" "$work/stats" || tail -5 "$work/stats"
    awk -v s="$start" -v e="$end" 'BEGIN { printf "wall (script): %.2f s\n", e - s }'
    # `check` exits 1 when it finds something: only a crash (> 1) fails the script.
    if [ "$status" -gt 1 ]; then
        echo "check failed with status $status" >&2
        exit "$status"
    fi
fi

if [ -z "${SKIP_LSP:-}" ]; then
    echo "language server: hover every 20 ms while the workspace is indexed"
    python3 "$root/scripts/lsp-hover-load.py" "$bin" "$work/ws" ${HOVER_JSON:+--json "$HOVER_JSON"}
fi

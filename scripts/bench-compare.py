#!/usr/bin/env python3
"""Compares two `bsl-assist bench --json` results and flags regressions over 20%.

Usage: scripts/bench-compare.py bench/baseline-ssl_3_1.json new.json [--threshold 0.2]
A tool for developers, not a CI gate: figures move with the machine.
"""
import json
import sys

HIGHER_IS_BETTER = {"parse_mb_per_s"}
# Counts that describe the run (how many findings each report carried, how many answers
# were full reports), shown but never a regression.
COUNTS = {"edit_diagnostics", "edit_full_reports", "risk_hover_count"}


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    threshold = 0.2
    if "--threshold" in sys.argv:
        threshold = float(sys.argv[sys.argv.index("--threshold") + 1])
        args = [a for a in args if a != str(threshold)]
    if len(args) != 2:
        print(__doc__)
        return 2
    with open(args[0]) as f:
        baseline = json.load(f)
    with open(args[1]) as f:
        current = json.load(f)
    regressions = 0
    print(f"{'measure':<28} {'baseline':>10} {'now':>10} {'change':>8}")
    for key in sorted(baseline):
        if key not in current:
            continue
        old, new = float(baseline[key]), float(current[key])
        change = (new - old) / old if old else 0.0
        worse = -change if key in HIGHER_IS_BETTER else change
        flag = "  REGRESSION" if worse > threshold and key not in COUNTS else ""
        regressions += bool(flag)
        print(f"{key:<28} {old:>10.2f} {new:>10.2f} {change:>+8.0%}{flag}")
    return 1 if regressions else 0


if __name__ == "__main__":
    sys.exit(main())

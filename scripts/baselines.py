"""Score every offline built-in system on the corpus and write the table into README.md.

Run after `corpus build` whenever the data or a system changes:
    python scripts/baselines.py [--root .] [--check]
--check exits 1 if README.md's tables were made on another corpus version (the test suite
runs the same check, which re-runs no system).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from corpus.eval.baselines import baseline_tables, stale_reason, update_readme_text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, default=Path("."))
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    readme = args.root / "README.md"
    text = readme.read_text(encoding="utf-8")
    if args.check:
        reason = stale_reason(text, args.root)
        if reason:
            print(reason, file=sys.stderr)
            return 1
        return 0
    new = update_readme_text(text, baseline_tables(args.root))
    readme.write_text(new, encoding="utf-8")
    print(new.split("<!-- baselines: start", 1)[1].split("-->", 1)[1].split("<!--")[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())

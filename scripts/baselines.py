"""Score every offline built-in system on the corpus and write the table into README.md.

Run after `corpus build` whenever the data or a system changes:
    python scripts/baselines.py [--root .] [--check]
--check exits 1 if README.md is not up to date (the test suite runs the same check).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from corpus.eval.baselines import baseline_tables, update_readme_text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, default=Path("."))
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    readme = args.root / "README.md"
    text = readme.read_text(encoding="utf-8")
    new = update_readme_text(text, baseline_tables(args.root))
    if args.check:
        if new != text:
            print(
                "README.md baselines are stale; fix: python scripts/baselines.py", file=sys.stderr
            )
            return 1
        return 0
    readme.write_text(new, encoding="utf-8")
    print(new.split("<!-- baselines: start", 1)[1].split("-->", 1)[1].split("<!--")[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Score every built-in system on the corpus; write the leaderboard into README.md and its chart.

Run after `corpus build` whenever the data or a system changes:
    python scripts/baselines.py [--root .] [--sources ../shared/sources] [--jobs N]
    python scripts/baselines.py --scheduler tcp://host:8786    # uncached pages on a Dask cluster
    python scripts/baselines.py --check
HTML systems read the pages' original HTML from the benchmark archives under --sources.
Outputs are cached per document in .cache/systems.sqlite, so a second run only scores.
--check exits 1 if README.md's leaderboard was made on another corpus version (the test
suite and `corpus build --check` run the same check, which re-runs no system).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from corpus.eval.baselines import (
    CHART,
    baseline_tables,
    run_board,
    stale_reason,
    update_readme_text,
)
from corpus.eval.chart import leaderboard_chart
from corpus.eval.run_system import DEFAULT_SOURCES


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, default=Path("."))
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--check", action="store_true")
    parser.add_argument(
        "--scheduler",
        help="run the systems' uncached pages on a Dask cluster: its scheduler address "
        "(tcp://host:8786), or 'local' for a LocalCluster of --jobs workers",
    )
    args = parser.parse_args()
    readme = args.root / "README.md"
    if args.check:
        reason = stale_reason(readme.read_text(encoding="utf-8"), args.root)
        if reason:
            print(reason, file=sys.stderr)
            return 1
        return 0
    start = time.perf_counter()
    board = run_board(
        args.root,
        args.sources,
        args.jobs,
        lambda s: print(s, file=sys.stderr),
        scheduler=args.scheduler,
    )
    leaderboard_chart([r.data for r in board.extraction.values()], args.root / CHART)
    text = readme.read_text(encoding="utf-8")  # read now: it may have been edited meanwhile
    readme.write_text(update_readme_text(text, baseline_tables(board)), encoding="utf-8")
    for name, seconds in board.seconds.items():
        print(f"{seconds:8.1f} s  {name}", file=sys.stderr)
    print(f"leaderboard written in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Draw trafilatura's evaluation pages for hand segmentation and write them as drafts.

    python scripts/prepare_hand_segmentation.py --from ../shared/sources [--root .]

Pages are drawn at random per language with the seed and plan below (kept in
imports/trafilatura-eval-sample.json with the ids chosen and every page skipped, with its
reason); each chosen page becomes raw/<id>.txt and a draft annotation with no segments and the
source's snippets. Segment them with `corpus export lines` / `corpus import lines --gold`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from corpus.importers.trafilatura_eval import NAME, prepare

SEED = 20261124
PLAN = {"de": 104, "es": 37, "fr": 22, "pl": 16}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="sources", type=Path, default=Path("../shared/sources"))
    parser.add_argument("--root", type=Path, default=Path("."))
    args = parser.parse_args()
    record = prepare(args.sources, args.root, PLAN, SEED)
    out = args.root / "imports" / f"{NAME}-sample.json"
    out.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    chosen = {k: len(v) for k, v in record["chosen"].items()}
    print(
        f"chosen {chosen}; skipped {len(record['skipped'])}; pages {record['pages_per_language']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Draw the pages to annotate with entities by hand: per language, stratified by source and site.

    python scripts/sample_entity_pages.py [--root .] [--per-language 30]

For every language with at least 20 released documents, `--per-language` pages (all of them
where the language has fewer) among the documents without entity gold: each source gets a share
proportional to its documents (at least one), and within a source pages are taken one site at a
time, in a seeded random order, so that no site dominates. Writes reviews/entities/sample.json
(seed, plan, ids), which the annotation and the agreement figures refer to.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

from corpus.build import read_records

SEED = 20261126
MIN_DOCUMENTS = 20


def allocate(sizes: dict[str, int], total: int) -> dict[str, int]:
    """`total` split over sources in proportion to `sizes` (largest remainder), each at least 1."""
    n = sum(sizes.values())
    share = {k: max(1, total * v // n) for k, v in sizes.items()}
    rest = sorted(sizes, key=lambda k: (-(total * sizes[k] % n), k))
    i = 0
    while sum(share.values()) < total and rest:
        k = rest[i % len(rest)]
        if share[k] < sizes[k]:
            share[k] += 1
        i += 1
    while sum(share.values()) > total:
        k = max(share, key=lambda k: (share[k], k))
        share[k] -= 1
    return share


def draw(records: list[dict], per_language: int, seed: int) -> dict[str, list[str]]:
    """The ids drawn per language (see the module's docstring)."""
    rng = random.Random(seed)
    by_language: dict[str, dict[str, dict[str, list[str]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )
    counts: dict[str, int] = defaultdict(int)
    for r in sorted(records, key=lambda r: r["id"]):
        counts[r["language"]] += 1
        if r["provenance"]["layers"]["entities"] is not None:
            continue
        source = r["provenance"]["benchmark"] or "original"
        by_language[r["language"]][source][r["source"]["publisher"]].append(r["id"])
    out = {}
    for language in sorted(by_language):
        if counts[language] < MIN_DOCUMENTS:
            continue
        sources = by_language[language]
        sizes = {s: sum(len(v) for v in sites.values()) for s, sites in sorted(sources.items())}
        chosen: list[str] = []
        for source, k in allocate(sizes, min(per_language, sum(sizes.values()))).items():
            sites = sorted(sources[source])
            rng.shuffle(sites)
            pools = {site: sorted(sources[source][site]) for site in sites}
            for pool in pools.values():
                rng.shuffle(pool)
            taken = 0
            while taken < k:
                for site in sites:
                    if pools[site] and taken < k:
                        chosen.append(pools[site].pop())
                        taken += 1
        out[language] = sorted(chosen)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=Path("."))
    parser.add_argument("--per-language", type=int, default=30)
    args = parser.parse_args()
    ids = draw(read_records(args.root), args.per_language, SEED)
    out = args.root / "reviews" / "entities" / "sample.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    record = {"seed": SEED, "per_language": args.per_language, "ids": ids}
    out.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    print({k: len(v) for k, v in ids.items()})
    return 0


if __name__ == "__main__":
    sys.exit(main())

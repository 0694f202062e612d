"""Draw the blind check of a newly imported source: a seeded sample stratified by genre.

    python scripts/draw_source_check.py --source wcxb --per-genre 3 --seed 20261208
    python scripts/draw_source_check.py --source wcxb --per-genre 6 --seed 20261209 \
        --genres article documentation forum service --name wcxb-2 --exclude wcxb

Among the released documents of `--source` that no one has reviewed, `--per-genre` pages of
every genre (all of them where a genre has fewer), in a seeded random order of the ids, one site
at most once (`--genres`: only these; `--exclude`: not the documents of an earlier sample
folder). Writes reviews/source-check/<name, default the source>/sample.json (seed, plan,
ids) and, for the
annotators, each page's text with line numbers in `--pages` (outside the repository: the
annotators see the text and the guidelines only, never the imported segments). Their line-range
readings go to reviews/source-check/<source>/<id>.tsv; scripts/review_agreement.py --folder
compares them with the imported gold.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

from corpus.build import read_records
from corpus.importers.base import host_of


def draw(records: list[dict], per_genre: int, seed: int) -> dict[str, list[str]]:
    """genre -> the sampled ids: a seeded shuffle of the sorted ids, one page per site."""
    by_genre: dict[str, list[dict]] = defaultdict(list)
    for r in sorted(records, key=lambda r: r["id"]):
        by_genre[r["source"]["genre"]].append(r)
    rng = random.Random(seed)
    out: dict[str, list[str]] = {}
    for genre in sorted(by_genre):
        pool = by_genre[genre]
        rng.shuffle(pool)
        sites: set[str] = set()
        chosen = []
        for r in pool:
            site = host_of(r["source"]["url"]) or r["source"]["publisher"]
            if site in sites:
                continue
            sites.add(site)
            chosen.append(r["id"])
            if len(chosen) == per_genre:
                break
        out[genre] = chosen
    return out


def numbered(text: str) -> str:
    """The text with a 1-based line number and a tab before every line."""
    lines = text.split("\n")
    if text.endswith("\n"):
        lines = lines[:-1]
    return "".join(f"{i}\t{line}\n" for i, line in enumerate(lines, 1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=Path("."))
    parser.add_argument("--source", required=True)
    parser.add_argument("--per-genre", type=int, default=3)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--pages", type=Path, default=Path("/tmp/source-check"))
    parser.add_argument("--genres", nargs="+", help="only these genres")
    parser.add_argument("--name", help="the sample's folder name (default: the source)")
    parser.add_argument("--exclude", nargs="*", default=[], help="earlier samples' folders")
    args = parser.parse_args()
    checks = args.root / "reviews" / "source-check"
    seen = {
        d["id"]
        for name in args.exclude
        for d in json.loads((checks / name / "sample.json").read_text())["documents"]
    }
    records = [
        r
        for r in read_records(args.root)
        if r["provenance"]["benchmark"] == args.source
        and not r["provenance"]["reviewed"]
        and r["id"] not in seen
        and (not args.genres or r["source"]["genre"] in args.genres)
    ]
    if not records:
        sys.exit(f"no unreviewed released document of source {args.source!r}")
    chosen = draw(records, args.per_genre, args.seed)
    folder = checks / (args.name or args.source)
    folder.mkdir(parents=True, exist_ok=True)
    by_id = {r["id"]: r for r in records}
    documents = [
        {"benchmark": args.source, "genre": g, "id": i} for g in sorted(chosen) for i in chosen[g]
    ]
    sample = {"seed": args.seed, "per_genre": args.per_genre, "documents": documents}
    (folder / "sample.json").write_text(json.dumps(sample, indent=1) + "\n", encoding="utf-8")
    args.pages.mkdir(parents=True, exist_ok=True)
    for doc in documents:
        text = by_id[doc["id"]]["text"]
        (args.pages / f"{doc['id']}.txt").write_text(numbered(text), encoding="utf-8")
    print(f"{len(documents)} documents: {folder / 'sample.json'}; pages in {args.pages}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

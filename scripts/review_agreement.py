"""Agreement between imported (aligned or converted) gold and an independent hand reading.

The hand readings are line-range files `reviews/import-sample/<id>.tsv` (`START-END<TAB>LABEL`
or `N<TAB>LABEL` for one line,
1-based line numbers, LABEL `body` or a boilerplate kind) made by annotators who saw the page
text only. For each document of `reviews/import-sample/sample.json` it compares, on the lines
with text, body vs boilerplate per line and per code point, and prints per source and overall:
documents, lines, line agreement, character agreement, Cohen's kappa (characters), and the
share of body characters on each side. `--disagreements` lists the lines read differently.

`--apply` then makes the hand reading the document's gold (after the disagreements have been
adjudicated by reading them): segments from the line labels (blank lines join the segment
above, as the guidelines say), provenance `layers.segments: manual`, `reviewed: true`. Imports
never overwrite a reviewed document.

    python scripts/review_agreement.py [--root .] [--disagreements] [--apply]
    python scripts/review_agreement.py --folder reviews/source-check/wcxb

`--folder` names another sample folder of the same layout (`sample.json` and `<id>.tsv`); rows
per genre are added when the sample's documents name one. `pages wrong` is the share of
documents with at least one line read differently.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from corpus.core.annotation_io import AnnotationReader, dump_annotation
from corpus.core.model import Segment
from corpus.core.normalize import normalize_bytes


def read_ranges(path: Path, n_lines: int) -> list[str]:
    """The label of every line from a ranges file; exits on a gap, overlap or bad line."""
    labels: list[str | None] = [None] * n_lines
    for k, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        span, label, *_ = line.split("\t")
        first, _, last = span.partition("-")
        a, b = int(first), int(last or first)  # "N" is the range N-N
        if not 1 <= a <= b <= n_lines or any(x is not None for x in labels[a - 1 : b]):
            sys.exit(f"{path}:{k}: range {span} overlaps or leaves 1-{n_lines}")
        labels[a - 1 : b] = [label] * (b - a + 1)
    if None in labels:
        sys.exit(f"{path}: line {labels.index(None) + 1} has no label")
    return [x for x in labels if x is not None]


def gold_lines(text: str, segments: list[dict]) -> list[tuple[int, int, str]]:
    """(start, end, label-or-kind) of every line of `text` under the gold segments."""
    out, pos = [], 0
    for line in text.split("\n")[: text.count("\n") + (0 if text.endswith("\n") else 1)]:
        end = pos + len(line)
        seg = next(s for s in segments if s["start"] <= pos < s["end"] or s["end"] == len(text))
        label = "body" if seg["label"] == "body" else seg.get("kind") or "boilerplate"
        out.append((pos, end, label))
        pos = end + 1
    return out


def hand_segments(text: str, labels: list[str]) -> tuple[Segment, ...]:
    """Segments from one label per line: blank lines join the segment above (the first
    segment takes leading blank lines), runs of one label are one segment."""
    segments: list[Segment] = []
    pos = 0
    for line, label in zip(text.split("\n"), labels, strict=False):
        end = min(pos + len(line) + 1, len(text))
        lab, kind = ("body", None) if label == "body" else ("boilerplate", label)
        if segments and (
            not line.strip() or (segments[-1].label, segments[-1].kind) == (lab, kind)
        ):
            segments[-1] = replace(segments[-1], end=end)
        else:
            segments.append(Segment(pos, end, lab, kind))
        pos = end
    return tuple(segments)


def apply_reading(root: Path, ident: str, text: str, labels: list[str]) -> None:
    """Make the hand reading the gold of `ident`, reviewed, segments layer manual (a draft
    becomes gold: it has now been read line by line)."""
    path = root / "annotations" / f"{ident}.json"
    reader = AnnotationReader(path.read_text(encoding="utf-8"), str(path))
    ann = reader.read()
    if ann is None:
        sys.exit(f"{path}: cannot read: {reader.problems[0].format()}")
    provenance = replace(ann.provenance, segments="manual", corrections=(), reviewed=True)
    new = replace(ann, segments=hand_segments(text, labels), provenance=provenance, status="gold")
    path.write_text(dump_annotation(new), encoding="utf-8")


def kappa(pairs: dict[tuple[bool, bool], int]) -> float | None:
    """Cohen's kappa of two binary labelings from their 2x2 counts."""
    n = sum(pairs.values())
    if not n:
        return None
    observed = (pairs[(True, True)] + pairs[(False, False)]) / n
    a = (pairs[(True, True)] + pairs[(True, False)]) / n
    b = (pairs[(True, True)] + pairs[(False, True)]) / n
    expected = a * b + (1 - a) * (1 - b)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=Path("."))
    parser.add_argument("--disagreements", action="store_true")
    parser.add_argument("--apply", action="store_true", help="make the hand readings gold")
    parser.add_argument("--folder", type=Path, help="the sample folder, under --root")
    args = parser.parse_args()
    folder = args.root / (args.folder or Path("reviews") / "import-sample")
    sample = json.loads((folder / "sample.json").read_text())["documents"]
    totals: dict[str, dict] = defaultdict(
        lambda: {"docs": 0, "lines": 0, "lines_agree": 0, "wrong": 0, "pairs": defaultdict(int)}
    )
    for doc in sample:
        ident = doc["id"]
        ann = json.loads((args.root / "annotations" / f"{ident}.json").read_text())
        text = normalize_bytes((args.root / "raw" / f"{ident}.txt").read_bytes())
        lines = gold_lines(text, ann["segments"])
        hand = read_ranges(folder / f"{ident}.tsv", len(lines))
        if args.apply:
            apply_reading(args.root, ident, text, hand)
        keys = [ann["provenance"]["benchmark"], "all"]
        if "genre" in doc:
            keys.insert(1, f"genre {doc['genre']}")
        for key in keys:
            t = totals[key]
            t["docs"] += 1
            before = t["lines_agree"] - t["lines"]
            for (start, end, gold), mine in zip(lines, hand, strict=True):
                content = text[start:end].strip()
                if not content:
                    continue
                g, m = gold == "body", mine == "body"
                t["lines"] += 1
                t["lines_agree"] += g == m
                t["pairs"][(g, m)] += len(content)
                if key == "all" and g != m and args.disagreements:
                    n = text.count("\n", 0, start) + 1
                    print(f"{ident}:{n}: gold {gold} / hand {mine}: {content[:90]}")
            t["wrong"] += t["lines_agree"] - t["lines"] != before
    print(
        "| source | documents | lines | line agreement | char agreement | char kappa "
        "| body share gold | body share hand | pages wrong |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for key in sorted(totals, key=lambda k: (k == "all", k.startswith("genre"), k)):
        t = totals[key]
        p = t["pairs"]
        chars = sum(p.values())
        agree = (p[(True, True)] + p[(False, False)]) / chars
        gold_body = (p[(True, True)] + p[(True, False)]) / chars
        hand_body = (p[(True, True)] + p[(False, True)]) / chars
        print(
            f"| {key} | {t['docs']} | {t['lines']} | {t['lines_agree'] / t['lines']:.4f} | "
            f"{agree:.4f} | {kappa(p):.4f} | {gold_body:.3f} | {hand_body:.3f} | "
            f"{t['wrong']}/{t['docs']} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""WCXB, the Web Content eXtraction Benchmark (2025-26): `{dev,test}/ground-truth/<id>.json`
(`url`, `ground_truth.main_content` full text, `with`/`without` snippets, `publish_date`,
`_internal.page_type`), pages in `{dev,test}/html/<id>.html`, `metadata.json` (page type,
domain and split per id).

The gold was drafted by a language model and reviewed by models and people (WCXB's README); it
is full text but not always verbatim (a specification list may be reformatted). The alignment
copes because it compares word tokens only (punctuation, bullets and line breaks do not count)
and labels a line body when 2/3 of its words align; a page whose gold does not land in its body
(gold_in_body < 0.95, e.g. content that lives in JSON-LD and not in the visible page) is held
back by the quality gate. Forum and documentation pages repeat text (a quoted post, a code
sample shown twice), so a gold run counts as ambiguous only when the page has more copies of it
than the gold itself (`repeats`). The snippets are kept in the provenance and checked by
`corpus validate` like trafilatura-eval's; each one on the other side of the aligned segments
is recorded as a disagreement at import (not reviewed). One document per URL: a URL in both
splits (or crawled twice) is written once (run.drop_duplicates).

Every page is written as a **draft** (left out of the released data): a blind check of a seeded
sample by AI annotators found line agreement 0.92 with the aligned gold (below the 0.95 that a
source must reach; reviews/source-check/wcxb, DATASHEET.md): WCXB's gold often stops before a
product grid or leaves out a product's specifications. A page becomes gold when it is reviewed
line by line (`reviewed: true`), which imports keep.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from corpus.core.labels import GENRES
from corpus.core.langid import detect_language
from corpus.core.model import Disagreement, Segment, Snippets
from corpus.core.snippets import snippet_verdicts
from corpus.importers.base import (
    ImportedDocument,
    archive_files,
    host_of,
    make_document,
    read_origin,
)
from corpus.importers.corrections import aligned_segments
from corpus.importers.dates import published_year, year_of
from corpus.importers.render import RENDERER_VERSION, parse, render_tree

NAME = "wcxb"
LICENSE = (
    "(c) the publisher; page from WCXB (CC-BY-4.0 repository: annotations), included verbatim "
    "for research and evaluation only, no licence granted by the publisher"
)
DISAGREE = (
    "import, not reviewed: WCXB's main_content gold, aligned to the page, puts this line on "
    "the other side"
)
ABSENT = "import, not reviewed: not in the page's Resiliparse rendering"


@dataclass(frozen=True)
class WcxbItem:
    item: str  # the page's path in the archive
    html: bytes
    truth: dict[str, Any]  # the ground-truth file as WCXB wrote it
    page_type: str | None  # metadata.json's, for files whose ground truth lacks one
    origin: str


def page_type(truth: dict[str, Any], fallback: str | None) -> str | None:
    """The page type WCXB gives the page: `_internal.page_type.primary`, else metadata's."""
    internal = truth.get("_internal") or {}
    found = internal.get("page_type") if isinstance(internal, dict) else None
    if isinstance(found, dict):
        found = found.get("primary")
    return found if isinstance(found, str) else fallback


def snippets_with_disagreements(
    text: str, segments: list[dict[str, Any]], keep: tuple[str, ...], drop: tuple[str, ...]
) -> Snippets:
    """WCXB's snippets, each one on the other side of the aligned segments (or a `with`
    snippet missing from the rendering) recorded as a disagreement with its reason."""
    segs = tuple(Segment(s["start"], s["end"], s["label"], s.get("kind")) for s in segments)
    found = []
    for snippet, side, verdict, _ in snippet_verdicts(text, segs, Snippets(keep, drop)):
        if verdict == "disagree":
            found.append(Disagreement(snippet, side, DISAGREE))
        elif verdict == "absent" and side == "body":
            found.append(Disagreement(snippet, side, ABSENT))
    return Snippets(keep, drop, tuple(dict.fromkeys(found)))


def build(it: WcxbItem) -> ImportedDocument:
    tree = parse(it.html)
    text = render_tree(tree)
    gt = it.truth.get("ground_truth") or {}
    gold = gt.get("main_content") or ""
    segments, q, corrections = aligned_segments(tree, text, gold, repeats=True)
    url = it.truth.get("url") if isinstance(it.truth.get("url"), str) else None
    url = url.strip() or None if url else None
    kind = page_type(it.truth, it.page_type)
    keep = tuple(s for s in gt.get("with") or () if isinstance(s, str) and s.strip())
    drop = tuple(s for s in gt.get("without") or () if isinstance(s, str) and s.strip())
    date = gt.get("publish_date") if isinstance(gt.get("publish_date"), str) else None
    year = year_of(date) or published_year(tree) or year_of(it.truth.get("downloaded_at"))
    host = host_of(url) or "unknown"
    page_id = it.item.rsplit("/", 1)[-1].split(".")[0]
    source = {
        "publisher": host,
        "license": LICENSE,
        "url": url,
        "date": date,
        "genre": kind if kind in GENRES else "other",
        "year": year,
        "note": (
            f"WCXB ({it.origin}) {it.item.split('/')[1]} page {page_id}, page type {kind}; "
            "text rendered from its HTML with Resiliparse; body lines aligned to WCXB's "
            "main_content gold (drafted by a language model, reviewed by models and people, as "
            "WCXB's README says), then corrected to our guidelines (provenance: corrections); "
            "date: WCXB's publish_date; year: of that date, else as the page's markup states "
            "its publication, else of WCXB's download"
        ),
    }
    doc = make_document(
        prefix="wcxb",
        benchmark=NAME,
        item=it.item,
        text=text,
        language=detect_language(gold or text)[0],
        source=source,
        host=host,
        segments=segments,
        layer="aligned:wcxb",
        quality=q,
        corrections=corrections,
        renderer_version=RENDERER_VERSION,
        snippets=snippets_with_disagreements(text, segments, keep, drop),
    )
    reasons = [
        reason
        for reason, holds in (
            ("empty-gold", not gold.strip()),
            ("no-url", url is None),
            (f"page-type {kind}", kind not in GENRES),
            (doc.review_reason, doc.review_reason is not None and gold.strip()),
        )
        if holds
    ]
    if reasons:
        doc = replace(doc, released=False, review_reason="; ".join(map(str, reasons)))
    return replace(doc, status="draft")


def iter_items(archive_path: Path) -> Iterator[WcxbItem]:
    """One sequential pass: pages come before their ground truth and metadata.json last, so
    pages are kept in memory until the end; items in (split, id) order."""
    pages: dict[str, tuple[str, bytes]] = {}
    truths: dict[str, dict[str, Any]] = {}
    types: dict[str, str] = {}
    origin = ""
    for name, data in archive_files(archive_path):
        parts = name.split("/")
        if len(parts) >= 4 and parts[-2] == "html" and parts[-1].endswith(".html"):
            pages[f"{parts[-3]}/{parts[-1][: -len('.html')]}"] = (name, data)
        elif len(parts) >= 4 and parts[-2] == "ground-truth" and parts[-1].endswith(".json"):
            truths[f"{parts[-3]}/{parts[-1][: -len('.json')]}"] = json.loads(data)
        elif parts[-1] == "metadata.json":
            files = json.loads(data).get("files") or {}
            types = {k: v.get("page_type") for k, v in files.items() if isinstance(v, dict)}
        elif parts[-1] == "ORIGIN.txt":
            origin = read_origin(data)
    for key in sorted(truths):
        if key in pages:
            name, html = pages[key]
            yield WcxbItem(name, html, truths[key], types.get(key.split("/")[1]), origin)


class WcxbImporter:
    name = NAME
    prefix = "wcxb"
    archive = "wcxb.tar.xz"
    build = staticmethod(build)
    iter_items = staticmethod(iter_items)

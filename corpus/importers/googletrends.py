"""GoogleTrends-2017 (BoilerNet's dataset): 180 pages of mixed kinds crawled in 2017 from
Google Trends queries; `raw_html/<name>.html` the pages as crawled, `prepared_html/gt_N.html` the
same pages prettified with every text node wrapped in a span labelled by hand
(`__boilernet_label` 1 = content, 0 = not).

The corpus text is the rendering of the page **as crawled** (what HTML systems read). The labels
are carried to it from the labelled copy (carry.py): the prepared page is rendered with a class
marker before every text node, and its word tokens are aligned to the crawled page's; a line is
body when most of its aligned word tokens are content (lines with no aligned token, such as
text BoilerNet's preparation removed, are boilerplate). Then the corrections every aligned
source gets (headline, dateline, credit lines). Quality: gold_in_body is the share of the
content tokens of the labelled copy that land in body lines, body_is_gold the share of body
tokens that are content; the usual gate. The genre of each page was decided by an AI
annotator reading its text (`genres/googletrends-2017.tsv`); the year is the page's markup's
publication year, else 2017 (the crawl).

Every page is written as a **draft** (left out of the released data): a blind check of a seeded
sample by AI annotators found line agreement 0.92 with the converted labels, below the 0.95 a
source must reach (reviews/source-check/googletrends-2017, DATASHEET.md): BoilerNet's labels
count customer reviews, bylines and sellers' names as content and leave out a product's
variants and a listing's entries. A page becomes gold when it is reviewed line by line.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from resiliparse.parse.html import HTMLTree

from corpus.core.langid import detect_language
from corpus.importers.align import BODY, BOILERPLATE, quality, segments_from_lines
from corpus.importers.base import (
    ImportedDocument,
    archive_files,
    host_of,
    make_document,
    read_origin,
)
from corpus.importers.carry import carried_classes, classify, line_labels, mark_source
from corpus.importers.corrections import correct, headline_candidates
from corpus.importers.dates import published_year
from corpus.importers.pages import decode_html
from corpus.importers.render import RENDERER_VERSION, parse, render_tree

NAME = "googletrends-2017"
LICENSE = (
    "(c) the publisher; page from BoilerNet's GoogleTrends-2017 set (GPL-3.0 repository), "
    "included verbatim for research and evaluation only, no licence granted by the publisher"
)
CRAWL_YEAR = 2017
OUTSIDE = 2  # text outside any labelled span (0 = not content, 1 = content)
GENRES_FILE = Path(__file__).parent / "genres" / f"{NAME}.tsv"
URL_RE = re.compile(
    r"""<link[^>]*rel=["']canonical["'][^>]*href=["']([^"']+)"""
    r"""|<meta[^>]*property=["']og:url["'][^>]*content=["']([^"']+)"""
)


@dataclass(frozen=True)
class GoogleTrendsItem:
    item: str  # the crawled page's path in the archive
    html: bytes
    prepared: bytes  # the labelled copy
    origin: str


@cache
def genres() -> dict[str, str]:
    """Page number -> genre, as the AI annotator read it (genres/googletrends-2017.tsv)."""
    with GENRES_FILE.open(encoding="utf-8", newline="") as f:
        return {row["id"]: row["genre"] for row in csv.DictReader(f, delimiter="\t")}


# A labelled text: BoilerNet wraps every text node in such a span, with nothing else inside.
LABELLED_RE = re.compile(r'(<span __boilernet_label="(\d)"[^>]*>)([^<]*)(</span>)')


def _label_of(value: str) -> int:
    return int(value) if value in ("0", "1") else OUTSIDE


def page_url(html: bytes) -> str | None:
    """The page's canonical URL or og:url, as its markup states it."""
    m = URL_RE.search(html.decode("utf-8", errors="replace"))
    url = (m.group(1) or m.group(2)).strip() if m else ""
    return url if url.startswith(("http://", "https://")) else None


def build(it: GoogleTrendsItem) -> ImportedDocument:
    tree = parse(it.html)
    text = render_tree(tree)
    marked = mark_source(decode_html(it.prepared), LABELLED_RE, _label_of, OUTSIDE)
    source_text, source_classes = classify(render_tree(HTMLTree.parse(marked)), 3, OUTSIDE)
    classes, source_token_classes = carried_classes(source_text, source_classes, text)
    lines, labels = line_labels(
        text, classes, {0: BOILERPLATE, 1: BODY, 2: BOILERPLATE}, BOILERPLATE
    )
    is_gold = [c == 1 for c in classes]
    q = quality(lines, labels, is_gold, sum(c == 1 for c in source_token_classes), False)
    corrections = correct(text, lines, labels, headline_candidates(tree))
    number = it.item.rsplit("/", 1)[-1].split(".")[0]
    url = page_url(it.html)
    host = host_of(url) or "unknown"
    genre = genres().get(number)
    body = "\n".join(
        text[ln.start : ln.end] for ln, lab in zip(lines, labels, strict=True) if lab == BODY
    )
    source = {
        "publisher": host,
        "license": LICENSE,
        "url": url,
        "date": None,
        "genre": genre or "other",
        "year": published_year(tree, CRAWL_YEAR) or CRAWL_YEAR,
        "note": (
            f"GoogleTrends-2017 ({it.origin}) page {number}; text rendered from the page as "
            "crawled with Resiliparse; segments converted from the hand labels of BoilerNet's "
            "prepared copy, carried over by word-token alignment, then corrected to our "
            "guidelines (provenance: corrections); genre: decided by an AI annotator (a "
            "language-model session) reading the page text; year: as the page's markup states "
            "its publication, else 2017 (the crawl)"
        ),
    }
    doc = make_document(
        prefix="gt17",
        benchmark=NAME,
        item=it.item,
        text=text,
        language=detect_language(body or text)[0],
        source=source,
        host=host,
        segments=segments_from_lines(lines, labels),
        layer=f"converted:{NAME}",
        quality=q,
        corrections=corrections,
        renderer_version=RENDERER_VERSION,
    )
    if genre is None:
        reason = "; ".join(r for r in ("no-genre", doc.review_reason) if r)
        doc = replace(doc, released=False, review_reason=reason)
    return replace(doc, status="draft")


def iter_items(archive_path: Path) -> Iterator[GoogleTrendsItem]:
    """One sequential pass. BoilerNet's preparation numbered the crawled pages in the sorted
    order of their file names: `prepared_html/gt_N.html` is the N-th of `raw_html/` (titles and
    the alignment's coverage confirm it; a wrong pair would fail the quality gate)."""
    raw: dict[str, tuple[str, bytes]] = {}
    prepared: dict[int, bytes] = {}
    origin = ""
    for name, data in archive_files(archive_path):
        parts = name.split("/")
        if len(parts) >= 2 and parts[-2] == "raw_html" and parts[-1].endswith(".html"):
            raw[parts[-1]] = (name, data)
        elif len(parts) >= 2 and parts[-2] == "prepared_html" and parts[-1].startswith("gt_"):
            stem = parts[-1][len("gt_") : -len(".html")]
            if stem.isdigit():
                prepared[int(stem)] = data
        elif parts[-1] == "ORIGIN.txt":
            origin = read_origin(data)
    for number, key in enumerate(sorted(raw), 1):
        if number in prepared:
            name, html = raw[key]
            yield GoogleTrendsItem(name, html, prepared[number], origin)


class GoogleTrendsImporter:
    name = NAME
    prefix = "gt17"
    archive = "googletrends-2017.tar.xz"
    build = staticmethod(build)
    iter_items = staticmethod(iter_items)

"""L3S-GN1 (Kohlschütter et al., WSDM 2010): `annotated/<uuid>.html` pages whose text blocks are
wrapped in spans of classes `x-nc-sel0`..`x-nc-sel5`; `url-mapping.txt` gives each page's URL.

Labels are carried THROUGH the rendering: before rendering, a private-use marker character for
the block's class is put in front of the first visible character of every text node (and of
every `alt` text), the page is rendered with Resiliparse, each character takes the class of the
last marker before it, and the markers are removed. The stripped text must equal the rendering
of the same page without markers; a page where it does not is not released (`marker-mismatch`).

Class -> our label: sel1 headline and sel2 full text -> body; sel4 related content ->
`related-links`; sel5 comments -> `comment`; sel0 and text outside any class -> boilerplate
(no kind: it mixes navigation, adverts, notices...). sel3 "supplemental" (L3S: "text which
belongs to the article but is not fulltext, such as image captions etc.") -> boilerplate, as
our guidelines make captions, bylines, datelines and credits boilerplate. By eye (25 random sel3
lines) sel3 is mostly datelines, bylines and copyright/agency lines, fewer captions; so a sel3
line is `metadata` when it looks like one (a date or clock time, `By ...`, a copyright sign or
`All rights reserved`, `Editor:`/`Source:`), otherwise `caption`. The label (boilerplate) is
certain; the kind is a heuristic.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from resiliparse.parse.html import HTMLTree, NodeType

from corpus.core.tokenize import word_tokens
from corpus.importers.align import (
    BODY,
    BOILERPLATE,
    Label,
    fill_wordless,
    quality,
    segments_from_lines,
    split_lines,
)
from corpus.importers.base import (
    ImportedDocument,
    archive_files,
    host_of,
    make_document,
    read_origin,
)
from corpus.importers.dates import published_year
from corpus.importers.render import RENDERER_VERSION, parse, render_tree

# The Readme: "monitoring the Google News search engine during the first half of 2008".
CRAWL_YEAR = 2008

NAME = "l3s-gn1"
LICENSE = (
    "(c) the publisher; page from L3S-GN1 (L3S Research Center: research use only, see "
    "Readme-L3S-GN1.txt), included verbatim for research and evaluation only"
)
MARK0 = 0xE000  # U+E000 + class number; U+E006 for text outside any classed span
NONE = 6
MARKERS = {chr(MARK0 + k): k for k in range(7)}
MARKER_RE = re.compile("[\ue000-\ue006]")
CLASS_RE = re.compile(r"^x-nc-sel([0-5])$")
LABELS: dict[int, Label] = {
    0: BOILERPLATE,
    1: BODY,
    2: BODY,
    3: ("boilerplate", "caption"),
    4: ("boilerplate", "related-links"),
    5: ("boilerplate", "comment"),
    NONE: BOILERPLATE,
}
WORD_CHAR_RE = re.compile(r"\w")
MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
METADATA_RE = re.compile(
    r"\b\d{1,2}:\d{2}\b|\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b"
    rf"|\b(?:{MONTHS})[a-z]*\.? \d{{1,2}}\b|\b\d{{1,2}} (?:{MONTHS})[a-z]* \d{{4}}\b"
    r"|^\s*(?:by|editor:|source:)\s|©|\(c\)|copyright|all rights reserved",
    re.I,
)
CAPTION: Label = ("boilerplate", "caption")
METADATA: Label = ("boilerplate", "metadata")


@dataclass(frozen=True)
class L3sItem:
    item: str
    html: bytes
    url: str | None
    origin: str


def _class_of(node: Any, inherited: int) -> int:
    for c in node.class_list:
        m = CLASS_RE.match(c)
        if m:
            return int(m.group(1))
    return inherited


def mark(tree: HTMLTree) -> None:
    """Put the class marker before the first non-blank character of every text node and alt."""
    stack = [(tree.document, NONE)]
    while stack:
        node, cls = stack.pop()
        if node.type == NodeType.ELEMENT:
            cls = _class_of(node, cls)
            alt = node.getattr("alt")
            if alt and alt.strip():
                node.setattr("alt", chr(MARK0 + cls) + alt)
        elif node.type == NodeType.TEXT:
            t = node.text
            stripped = t.lstrip()
            if stripped:
                node.text = t[: len(t) - len(stripped)] + chr(MARK0 + cls) + stripped
            continue
        stack.extend((child, cls) for child in reversed(list(node.child_nodes)))


def classify(marked: str) -> tuple[str, list[int]]:
    """Strip the markers; return the text and each character's class."""
    chars: list[str] = []
    classes: list[int] = []
    cls = NONE
    for ch in marked:
        k = MARKERS.get(ch)
        if k is not None:
            cls = k
        else:
            chars.append(ch)
            classes.append(cls)
    return "".join(chars), classes


def build(it: L3sItem) -> ImportedDocument:
    text = render_tree(parse(it.html))
    tree = parse(it.html)
    mark(tree)
    stripped, classes = classify(render_tree(tree))
    mismatch = stripped != text
    if mismatch:  # keep the unmarked rendering; labels from the marked one are unusable
        classes = [NONE] * len(text)
    spans = word_tokens(text)
    lines = split_lines(text, spans)
    labels: list[Label | None] = []
    for ln in lines:
        if ln.blank or not ln.n_tokens:
            labels.append(None)
            continue
        votes: Counter[Label] = Counter()
        for i in range(ln.start, ln.end):
            if WORD_CHAR_RE.match(text[i]):
                votes[LABELS[classes[i]]] += 1
        # majority of word characters; ties go to the label seen first on the line
        lab = votes.most_common(1)[0][0]
        if lab == CAPTION and METADATA_RE.search(text[ln.start : ln.end]):
            lab = METADATA
        labels.append(lab)
    labels = fill_wordless(labels, lines)
    is_gold = [classes[s] in (1, 2) for s, _ in spans]
    q = quality(lines, labels, is_gold, sum(is_gold), False)
    host = host_of(it.url) or "unknown"
    page = it.item.rsplit("/", 1)[-1]
    source = {
        "publisher": host,
        "license": LICENSE,
        "url": it.url,
        "date": None,
        "genre": "article",
        "year": published_year(tree, CRAWL_YEAR) or CRAWL_YEAR,
        "note": (
            f"L3S-GN1 ({it.origin}) page {page}, crawled from Google News in the first half of "
            "2008; text rendered from the annotated page with Resiliparse, segments converted "
            "from the assessors' x-nc-sel classes; year: as the page's markup states its "
            "publication, else the crawl's"
        ),
    }
    doc = make_document(
        prefix="l3s",
        benchmark=NAME,
        item=it.item,
        text=text,
        language="en",
        source=source,
        host=host,
        segments=segments_from_lines(lines, labels),
        layer="converted:l3s-gn1",
        quality=q,
        corrections=[],
        renderer_version=RENDERER_VERSION,
    )
    if mismatch:
        reason = "; ".join(r for r in ("marker-mismatch", doc.review_reason) if r)
        doc = replace(doc, released=False, review_reason=reason)
    return doc


def _wanted(name: str) -> bool:
    """The members the import reads: the annotated pages, the URL mapping, ORIGIN.txt (the
    original pages are skipped unread)."""
    parts = name.split("/")
    annotated = len(parts) >= 2 and parts[-2] == "annotated" and parts[-1].endswith(".html")
    return annotated or parts[-1] in ("ORIGIN.txt", "url-mapping.txt")


def iter_items(archive_path: Path) -> Iterator[L3sItem]:
    """One sequential pass: url-mapping.txt comes before the annotated pages."""
    urls: dict[str, str] = {}
    origin = ""
    items = []
    for name, data in archive_files(archive_path, _wanted):
        parts = name.split("/")
        if parts[-1] == "ORIGIN.txt":
            origin = read_origin(data)
        elif parts[-1] == "url-mapping.txt":
            for line in data.decode("utf-8").splitlines():
                if "\t" in line:
                    uuid, url = line.split("\t", 1)
                    urls[uuid.strip().removeprefix("<urn:uuid:").rstrip(">")] = url.strip()
        else:
            items.append((name, data))
    for name, data in sorted(items):
        uuid = name.rsplit("/", 1)[-1][: -len(".html")]
        yield L3sItem(name, data, urls.get(uuid), origin)


class L3sImporter:
    name = NAME
    prefix = "l3s"
    archive = "l3s-gn1.tar.xz"
    build = staticmethod(build)
    iter_items = staticmethod(iter_items)

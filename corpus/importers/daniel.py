"""DAnIEL v2.1 (rundimeco/waddle): `corpora/Corpus_daniel_v2.1/html/<id>` pages,
`reference/<id>` gold main text as `<p>` paragraphs, `doc_lg.json` languages.

The gold includes the headline (its first paragraph), as our guidelines do; where the headline
line did not align (the gold's headline differs from the page's) the line equal to the page's
<h1>/<title> headline is added as for AEB (`headline-added`)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from corpus.importers.base import (
    ImportedDocument,
    archive_files,
    make_document,
    normalize_host,
    read_origin,
)
from corpus.importers.corrections import aligned_segments
from corpus.importers.dates import published_year, year_of
from corpus.importers.render import RENDERER_VERSION, parse, render_tree

NAME = "daniel"
LICENSE = (
    "(c) the publisher; page from the DAnIEL v2.1 corpus (GPL-3.0 repository, no separate data "
    "licence), included verbatim for research and evaluation only, no licence granted by the "
    "publisher"
)
LANGUAGES = {"English": "en", "Chinese": "zh", "Polish": "pl", "Greek": "el", "Russian": "ru"}
ITEM_RE = re.compile(r"^(\d{8})_([^_]+)_")
PARA_RE = re.compile(r"<p[^>]*>(.*?)</p>", re.S | re.I)
TAG_RE = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class DanielItem:
    item: str
    html: bytes
    reference: str
    language: str
    origin: str


def gold_text(reference: str) -> str:
    """The reference's paragraphs as plain text, one blank line between paragraphs."""
    paras = PARA_RE.findall(reference) or [reference]
    return "\n\n".join(html.unescape(TAG_RE.sub(" ", p)).strip() for p in paras)


def build(it: DanielItem) -> ImportedDocument:
    tree = parse(it.html)
    text = render_tree(tree)
    segments, q, corrections = aligned_segments(tree, text, gold_text(it.reference))
    name = it.item.rsplit("/", 1)[-1]
    m = ITEM_RE.match(name)
    host = normalize_host(m.group(2)) if m else "unknown"
    date = f"{name[:4]}-{name[4:6]}-{name[6:8]}" if m else None
    crawled = year_of(date)
    year = published_year(tree, crawled) if crawled else published_year(tree)
    year = year or crawled
    source = {
        "publisher": host,
        "license": LICENSE,
        "url": None,
        "date": None,
        "genre": "article",
        "year": year,
        "note": (
            f"DAnIEL v2.1 corpus ({it.origin}) page {name}; no URL in the corpus; the file name's "
            f"date {date} is the crawl date, not necessarily the publication date; text rendered "
            "with Resiliparse, body lines aligned to the corpus's reference text; year: as the "
            "page's markup states its publication, else the crawl's"
        ),
    }
    return make_document(
        prefix="daniel",
        benchmark=NAME,
        item=it.item,
        text=text,
        language=it.language,
        source=source,
        host=host,
        segments=segments,
        layer="aligned:daniel",
        quality=q,
        corrections=corrections,
        renderer_version=RENDERER_VERSION,
    )


def iter_items(archive_path: Path) -> Iterator[DanielItem]:
    """One sequential pass; pages come before doc_lg.json and the references, so pages are
    kept in memory until the end."""
    pages: dict[str, tuple[str, bytes]] = {}
    refs: dict[str, str] = {}
    langs: dict[str, str] = {}
    origin = ""
    for name, data in archive_files(archive_path):
        parts = name.split("/")
        if len(parts) >= 2 and parts[-2] == "html":
            pages[parts[-1]] = (name, data)
        elif len(parts) >= 2 and parts[-2] == "reference":
            refs[parts[-1]] = data.decode("utf-8", errors="replace")
        elif parts[-1] == "doc_lg.json":
            langs = json.loads(data)
        elif parts[-1] == "ORIGIN.txt":
            origin = read_origin(data)
    for key in sorted(pages):
        if key not in refs or key not in langs:
            continue
        name, data = pages[key]
        yield DanielItem(name, data, refs[key], LANGUAGES[langs[key]], origin)


class DanielImporter:
    name = NAME
    prefix = "daniel"
    archive = "daniel-v2.1.tar.xz"
    build = staticmethod(build)
    iter_items = staticmethod(iter_items)

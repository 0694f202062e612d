"""Article Extraction Benchmark (scrapinghub): `ground-truth.json` (id -> articleBody, url) and
`html/<id>.html.gz`. The gold is the article body without its headline; our guidelines count the
headline as body, so the headline line is added (correction `headline-added`)."""

from __future__ import annotations

import gzip
import json
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.core.langid import detect_language
from corpus.importers.align import align_gold, quality, segments_from_lines
from corpus.importers.base import ImportedDocument, host_of, make_document, read_origin
from corpus.importers.corrections import correct, headline_candidates
from corpus.importers.render import RENDERER_VERSION, parse, render_tree

NAME = "aeb"
LICENSE = (
    "(c) the publisher; page from the Article Extraction Benchmark (MIT-licensed repository), "
    "included verbatim for research and evaluation only, no licence granted by the publisher"
)

# langdetect (seeded) on the gold text, checked by eye for every page it did not call English.
# Overrides for pages where it was wrong: item id prefix -> language.
LANGUAGE_OVERRIDES: dict[str, str] = {}


@dataclass(frozen=True)
class AebItem:
    item: str
    html: bytes  # gzip-compressed page
    gold: str
    url: str | None
    origin: str


def build(it: AebItem) -> ImportedDocument:
    tree = parse(gzip.decompress(it.html))
    text = render_tree(tree)
    a = align_gold(text, it.gold)
    # Quality figures measure the alignment, so they are taken before the corrections (which
    # deliberately move a headline into, or a dateline out of, the body).
    q = quality(a.lines, a.labels, a.aligned, a.gold_tokens, a.ambiguous)
    labels = list(a.labels)
    corrections = correct(text, a.lines, labels, headline_candidates(tree))
    page_id = it.item.rsplit("/", 1)[-1].split(".")[0]
    language = LANGUAGE_OVERRIDES.get(page_id[:8]) or detect_language(it.gold)[0]
    host = host_of(it.url) or "unknown"
    source = {
        "publisher": host,
        "license": LICENSE,
        "url": it.url,
        "date": None,
        "note": (
            f"Article Extraction Benchmark ({it.origin}) page {page_id}; text rendered from its "
            "HTML with Resiliparse; body lines aligned to the benchmark's articleBody gold, "
            "then corrected to our guidelines (provenance: corrections)"
        ),
    }
    return make_document(
        prefix="aeb",
        benchmark=NAME,
        item=it.item,
        text=text,
        language=language,
        source=source,
        host=host,
        segments=segments_from_lines(a.lines, labels),
        layer="aligned:aeb",
        quality=q,
        corrections=corrections,
        renderer_version=RENDERER_VERSION,
    )


def iter_items(archive_path: Path) -> Iterator[AebItem]:
    """One sequential pass: pages come before ground-truth.json, so they are kept (compressed)
    in memory until the gold is read."""
    pages: dict[str, tuple[str, bytes]] = {}
    truth: dict[str, Any] = {}
    origin = ""
    with tarfile.open(archive_path, "r:xz") as tar:
        for m in tar:
            if not m.isfile():
                continue
            data = tar.extractfile(m).read()  # type: ignore[union-attr]
            if m.name.endswith(".html.gz") and "/html/" in m.name:
                pages[m.name.rsplit("/", 1)[-1][: -len(".html.gz")]] = (m.name, data)
            elif m.name.endswith("/ground-truth.json"):
                truth = json.loads(data)
            elif m.name.endswith("/ORIGIN.txt"):
                origin = read_origin(data)
    for page_id in sorted(truth):
        if page_id not in pages:
            continue
        name, html = pages[page_id]
        gold = truth[page_id]
        yield AebItem(name, html, gold.get("articleBody") or "", gold.get("url"), origin)


class AebImporter:
    name = NAME
    prefix = "aeb"
    archive = "aeb.tar.xz"
    build = staticmethod(build)
    iter_items = staticmethod(iter_items)

"""trafilatura's evaluation pages: rendered like every source, segmented BY HAND.

The source (`tests/evaldata.json` of github:adbar/trafilatura, pages in `tests/eval/` and
`tests/cache/`) gives for each page a few snippets a good extractor keeps (`with`) and drops
(`without`): partial gold, not a segmentation. `prepare` draws pages per language at random
(seeded), renders them with Resiliparse, leaves out pages whose rendering lost the article (a
`with` snippet missing, or almost no text), and writes each chosen page as a **draft with no
segments** (every line unlabelled) whose provenance keeps the snippets. People segment the
pages in the line format (`corpus export lines`, `corpus import lines --gold`); `corpus
validate` then checks every snippet against their segments. No system drafts these pages.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.core.annotation_io import dump_annotation, url_error
from corpus.core.langid import detect_language
from corpus.core.model import Annotation, Provenance, Snippets, Source
from corpus.core.normalize import sha256_text
from corpus.core.snippets import snippet_spans
from corpus.importers.base import archive_files, document_id, host_of, read_origin, split_for
from corpus.importers.dates import published_year
from corpus.importers.render import RENDERER_VERSION, parse, render_tree

NAME = "trafilatura-eval"
PREFIX = "teval"
ARCHIVE = "trafilatura-eval.tar.xz"
LICENSE = (
    "(c) the publisher; page from trafilatura's evaluation set (Apache-2.0 repository), "
    "included verbatim for research and evaluation only, no licence granted by the publisher"
)
MIN_CHARACTERS = 300  # a rendering shorter than this lost the page (JavaScript, paywall)


@dataclass(frozen=True)
class Page:
    """One page of the evaluation set with its snippets and rendering."""

    url: str
    item: str
    text: str
    keep: tuple[str, ...]
    drop: tuple[str, ...]
    language: str
    origin: str
    year: int | None  # as the page's markup states its publication


def read_pages(archive: Path) -> Iterator[Page]:
    """Every page of the archive, rendered (one sequential pass over the archive)."""
    files: dict[str, tuple[str, bytes]] = {}
    evaldata: dict[str, Any] = {}
    origin = NAME
    for name, data in archive_files(archive):
        if "/tests/eval/" in name or "/tests/cache/" in name:
            files[name.rsplit("/", 1)[-1]] = (name, data)
        elif name.endswith("/tests/evaldata.json"):
            evaldata = json.loads(data)
        elif name.endswith("/ORIGIN.txt"):
            origin = read_origin(data)
    for url in sorted(evaldata):
        entry = evaldata[url]
        if entry.get("file") not in files:
            continue
        item, html = files[entry["file"]]
        tree = parse(html)
        text = render_tree(tree)
        keep, drop = tuple(entry.get("with") or ()), tuple(entry.get("without") or ())
        language = language_of(text, keep)
        yield Page(url, item, text, keep, drop, language, origin, published_year(tree))


def language_of(text: str, keep: tuple[str, ...]) -> str:
    """The page's language: langdetect on the snippets to keep (article text) when they have
    at least 40 characters, else on the rendering."""
    sample = " ".join(keep)
    return detect_language(sample if len(sample) >= 40 else text[:2000])[0]


def skip_reason(page: Page) -> str | None:
    """Why a page cannot be segmented (its rendering lost the article), or None."""
    if len(page.text.strip()) < MIN_CHARACTERS:
        return f"rendering has fewer than {MIN_CHARACTERS} characters"
    missing = [s for s in page.keep if not snippet_spans(page.text, s)]
    if missing:
        return f'snippet to keep not in the rendering: "{missing[0][:60]}"'
    return None


def draft(page: Page) -> Annotation:
    """The page as an unsegmented draft, its snippets in the provenance."""
    ident = document_id(PREFIX, NAME, page.item)
    # the set's keys are URLs, but a few are "hard::<file>" or "recall::<file>"
    url = page.url if url_error(page.url) is None else None
    host = host_of(url) or "unknown"
    provenance = Provenance(
        "manual",
        None,
        benchmark=NAME,
        item=page.item,
        license=LICENSE,
        url=url,
        renderer="resiliparse",
        renderer_version=RENDERER_VERSION,
        snippets=Snippets(page.keep, page.drop),
    )
    source = Source(
        host,
        LICENSE,
        url,
        None,
        f"trafilatura evaluation set ({page.origin}); text rendered with Resiliparse; "
        "segmented by hand; genre: set by the annotator who segments it; year: as the page's "
        "markup states its publication, else null",
        genre="other",
        year=page.year,
    )
    return Annotation(
        ident,
        page.language,
        source,
        split_for(host),
        sha256_text(page.text),
        (),
        status="draft",
        provenance=provenance,
    )


def prepare(sources: Path, root: Path, plan: dict[str, int], seed: int) -> dict[str, Any]:
    """Draw `plan[language]` pages per language (seeded), write them as drafts, and return the
    sample record: seed, plan, chosen ids and skipped pages with their reasons."""
    by_language: dict[str, list[Page]] = {}
    for page in read_pages(Path(sources) / ARCHIVE):
        by_language.setdefault(page.language, []).append(page)
    rng = random.Random(seed)
    record: dict[str, Any] = {"seed": seed, "plan": plan, "chosen": {}, "skipped": []}
    for language in sorted(plan):
        pages = sorted(by_language.get(language, []), key=lambda p: p.url)
        rng.shuffle(pages)
        chosen = []
        for page in pages:
            if len(chosen) == plan[language]:
                break
            reason = skip_reason(page)
            if reason:
                record["skipped"].append({"url": page.url, "item": page.item, "reason": reason})
                continue
            annotation = draft(page)
            (root / "raw" / f"{annotation.id}.txt").write_bytes(page.text.encode("utf-8"))
            path = root / "annotations" / f"{annotation.id}.json"
            path.write_text(dump_annotation(annotation), encoding="utf-8")
            chosen.append({"id": annotation.id, "url": page.url, "item": page.item})
        record["chosen"][language] = chosen
    record["pages_per_language"] = {k: len(v) for k, v in sorted(by_language.items())}
    return record

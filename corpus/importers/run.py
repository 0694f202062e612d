"""Import one benchmark: read its archive once, render and align in a process pool, write."""

from __future__ import annotations

import time
from dataclasses import replace
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from corpus.core.normalize import sha256_text
from corpus.importers import REGISTRY
from corpus.importers.base import ImportedDocument
from corpus.importers.write import write_source


def drop_duplicates(docs: list[ImportedDocument]) -> list[ImportedDocument]:
    """Hold back a released page whose text equals another's (a page crawled twice): the one
    with the smallest item path is released, the others go to the review list."""
    first: dict[str, ImportedDocument] = {}
    for d in sorted((d for d in docs if d.released), key=lambda d: d.provenance.item or ""):
        first.setdefault(sha256_text(d.text), d)
    out = []
    for d in docs:
        kept = first.get(sha256_text(d.text)) if d.released else None
        if kept is not None and kept.id != d.id:
            d = replace(d, released=False, review_reason=f"duplicate of {kept.id}")
        out.append(d)
    return out


def import_source(name: str, sources_dir: Path, root: Path, jobs: int = 2) -> dict[str, Any]:
    """Import benchmark `name` from `sources_dir/<archive>` into `root`; return its summary.
    Output order follows the archive's item order whatever `jobs` is."""
    importer = REGISTRY[name]
    start = time.perf_counter()
    archive = Path(sources_dir) / importer.archive
    if not archive.is_file():
        raise FileNotFoundError(
            f"{archive}: no such archive; fix: give --from the folder holding {importer.archive}"
            " (see README, 'Sources')"
        )
    items = importer.iter_items(archive)
    if jobs > 1:
        with get_context("fork").Pool(jobs) as pool:
            docs = list(pool.imap(importer.build, items, chunksize=4))
    else:
        docs = [importer.build(it) for it in items]
    summary = write_source(name, importer.prefix, drop_duplicates(docs), Path(root))
    summary["seconds"] = round(time.perf_counter() - start, 1)
    return summary

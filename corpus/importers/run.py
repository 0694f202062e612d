"""Import one benchmark: read its archive once, render and align in a process pool, hold back
duplicates, write."""

from __future__ import annotations

import json
import lzma
import tarfile
import time
from dataclasses import replace
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from corpus.core.normalize import normalize_text, sha256_text
from corpus.importers import REGISTRY
from corpus.importers.base import ImportedDocument
from corpus.importers.dedup import near_pairs, shingles
from corpus.importers.write import is_reviewed, write_source


def _hold(d: ImportedDocument, reason: str) -> ImportedDocument:
    return replace(d, released=False, review_reason=reason)


def drop_duplicates(
    docs: list[ImportedDocument], reviewed: frozenset[str] = frozenset()
) -> list[ImportedDocument]:
    """Hold back a released page whose text equals another's (a page crawled twice: the one
    reviewed here, else with the smallest item path, is released), then one of two released
    pages with the same URL or whose texts are near copies (dedup.NEAR): the reviewed one, else
    the one with the better gold, else the smaller item is released. The others go to the
    review list as "duplicate of <id>"."""

    def rank(d: ImportedDocument) -> tuple[bool, float, float, str]:
        q = d.provenance.quality
        gold = (-q.gold_in_body, -q.body_is_gold) if q else (0.0, 0.0)
        return (d.id not in reviewed, *gold, d.provenance.item or "")

    first: dict[str, ImportedDocument] = {}
    ordered = sorted(
        (d for d in docs if d.released),
        key=lambda d: (d.id not in reviewed, d.provenance.item or ""),
    )
    for d in ordered:
        first.setdefault(sha256_text(d.text), d)
    out = []
    for d in docs:
        kept = first.get(sha256_text(d.text)) if d.released else None
        if kept is not None and kept.id != d.id:
            d = _hold(d, f"duplicate of {kept.id}")
        out.append(d)
    released = sorted((d for d in out if d.released), key=rank)
    winner: dict[str, str] = {}  # id -> the id of the copy released in its place
    by_url: dict[str, str] = {}
    for d in released:
        url = d.source.get("url")
        if url and url in by_url:
            winner[d.id] = by_url[url]
        elif url:
            by_url[url] = d.id
    order = {d.id: i for i, d in enumerate(released)}
    sets = {d.id: shingles(d.text) for d in released if d.id not in winner}
    for a, b, _ in near_pairs(sets):
        lose, keep = (a, b) if order[a] > order[b] else (b, a)
        winner.setdefault(lose, keep)
    return [_hold(d, f"duplicate of {winner[d.id]}") if d.id in winner else d for d in out]


def corpus_pages(root: Path, prefix: str) -> dict[str, tuple[str | None, str]]:
    """id -> (URL, text) of the documents in `root` that another source (or a person) made."""
    pages = {}
    for path in sorted((root / "annotations").glob("*.json")):
        if path.stem.startswith(f"{prefix}_"):
            continue
        raw = root / "raw" / f"{path.stem}.txt"
        try:
            url = json.loads(path.read_bytes())["source"].get("url")
            text = normalize_text(raw.read_bytes().decode("utf-8"))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue  # a broken file is corpus validate's to report, not the import's
        pages[path.stem] = (url, text)
    return pages


def drop_corpus_duplicates(
    docs: list[ImportedDocument], others: dict[str, tuple[str | None, str]]
) -> list[ImportedDocument]:
    """Hold back a released page whose URL, text or near copy (dedup.NEAR) is already in the
    corpus from another source: the document already there stays, so importing the sources in
    registry order gives the same corpus every time."""
    urls = {url: ident for ident, (url, _) in others.items() if url}
    sets = {ident: shingles(text) for ident, (_, text) in others.items()}
    texts = {sha256_text(text): ident for ident, (_, text) in others.items()}
    mine = {d.id: shingles(d.text) for d in docs if d.released}
    clash: dict[str, str] = {}
    for a, b, _ in near_pairs({**sets, **mine}):
        if (a in mine) != (b in mine):
            clash.setdefault(a if a in mine else b, b if a in mine else a)
    out = []
    for d in docs:
        if d.released:
            other = urls.get(d.source.get("url") or "") or texts.get(sha256_text(d.text))
            other = other or clash.get(d.id)
            if other:
                d = _hold(d, f"duplicate of {other}")
        out.append(d)
    return out


def import_source(
    name: str, sources_dir: Path, root: Path, jobs: int = 2, allow_deletions: bool = False
) -> dict[str, Any]:
    """Import benchmark `name` from `sources_dir/<archive>` into `root`; return its summary.
    Output order follows the archive's item order whatever `jobs` is. An archive that cannot
    be read, or gives no page, is a ValueError naming it (nothing written); so is a run that
    would delete many documents (write.ImportRefused)."""
    importer = REGISTRY[name]
    start = time.perf_counter()
    archive = Path(sources_dir) / importer.archive
    if not archive.is_file():
        raise FileNotFoundError(
            f"{archive}: no such archive; fix: give --from the folder holding {importer.archive}"
            " (see README, 'Sources')"
        )
    try:
        items = importer.iter_items(archive)
        if jobs > 1:
            with get_context("fork").Pool(jobs) as pool:
                docs = list(pool.imap(importer.build, items, chunksize=4))
        else:
            docs = [importer.build(it) for it in items]
    except (tarfile.TarError, lzma.LZMAError, EOFError, OSError, ValueError) as err:
        raise ValueError(
            f"{archive}: not a readable {importer.archive} archive ({type(err).__name__}: "
            f"{str(err)[:200]}); nothing written; fix: fetch the archive again (README, "
            "'Sources')"
        ) from None
    if not docs:
        raise ValueError(
            f"{archive}: no page read (the archive lacks the files the {name} importer reads, "
            "or its index is empty); nothing written; fix: check the archive's layout "
            "(../shared/sources/README.md)"
        )
    others = corpus_pages(Path(root), importer.prefix)
    reviewed = frozenset(
        p.stem
        for p in (Path(root) / "annotations").glob(f"{importer.prefix}_*.json")
        if is_reviewed(p)
    )
    docs = drop_corpus_duplicates(drop_duplicates(docs, reviewed), others)
    summary = write_source(name, importer.prefix, docs, Path(root), allow_deletions)
    summary["seconds"] = round(time.perf_counter() - start, 1)
    return summary

"""The build's one SQLite store: the cache of document results and shard manifests (kept in
`.cache/corpus.sqlite`, not committed) and, on the same connection, the ledger of one scan.

Cache: a document's entry is keyed by corpus.build.pipeline.document_key (its bytes and the
code version), so an edited document, or a change to the code that makes records, misses the
cache; nothing else needs invalidating.

Ledger: the scan lists the file names into one temporary table and writes each document's
metadata into another (validity, status, language, split, text hash, problems, statistics);
the checks across documents, the shard plan and the card's figures are queries on it in id
order. Python memory therefore holds no per-document object, and a build's peak memory does
not grow with the number of documents. BuildCache owns the connection; Ledger borrows it.
"""

from __future__ import annotations

import pickle
import sqlite3
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import pyarrow as pa

from corpus.build.checks import CorpusChecks
from corpus.build.pipeline import DocMeta, record_batch
from corpus.build.repository import document_paths, iter_stems
from corpus.build.stats import finish_stats
from corpus.core.cache_db import open_cache_db
from corpus.core.labels import ENTITY_LABELS
from corpus.core.problems import Problem

CACHE_FILE = Path(".cache") / "corpus.sqlite"
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS docs (key TEXT PRIMARY KEY, meta BLOB, record BLOB);"
    "CREATE TABLE IF NOT EXISTS shards (name TEXT PRIMARY KEY, keys TEXT,"
    " sha256 TEXT, nbytes INTEGER);"
)


class BuildCache:
    """Document results (meta and record stored apart) and written shards' manifests."""

    def __init__(self, path: Path, write: bool = True) -> None:
        self.write = write
        self.db = open_cache_db(path, SCHEMA, "docs")  # a damaged cache starts anew

    def meta(self, key: str) -> DocMeta | None:
        """The cached metadata of a document key, or None on a miss."""
        row = self.db.execute("SELECT meta FROM docs WHERE key = ?", (key,)).fetchone()
        return pickle.loads(row[0]) if row else None

    def put(self, key: str, meta: bytes, record: bytes | None) -> None:
        """Store a document's pickled metadata and record (see corpus.build.pipeline.pack)."""
        if self.write:
            self.db.execute("INSERT OR REPLACE INTO docs VALUES (?, ?, ?)", (key, meta, record))

    def records(self, keys: list[str]) -> list[pa.RecordBatch]:
        """The records of `keys`, in that order, as one-row Arrow record batches."""
        out = []
        for key in keys:
            row = self.db.execute("SELECT record FROM docs WHERE key = ?", (key,)).fetchone()
            if row is None or row[0] is None:
                raise KeyError(f"no cached record for {key}")
            out.append(record_batch(row[0]))
        return out

    def shard(self, name: str) -> tuple[str, str, int] | None:
        return self.db.execute(
            "SELECT keys, sha256, nbytes FROM shards WHERE name = ?", (name,)
        ).fetchone()

    def put_shard(self, name: str, keys: str, sha256: str, nbytes: int) -> None:
        if self.write:
            self.db.execute(
                "INSERT OR REPLACE INTO shards VALUES (?, ?, ?, ?)", (name, keys, sha256, nbytes)
            )

    def ledger(self) -> Ledger:
        """A fresh ledger for one scan, in temporary tables of this store's connection."""
        return Ledger(self.db)

    def commit(self) -> None:
        self.db.commit()

    def close(self) -> None:
        self.db.commit()
        self.db.close()


PAGE = 1000  # rows fetched per query when walking a table in id order
FOLDERS = (("raw", ".txt", "raw"), ("annotations", ".json", "ann"))
_SUMS = ("characters", "body_characters", "tokens", "ner_documents", *ENTITY_LABELS)
_COLUMNS = (
    "id", "key", "ok", "status", "language", "split", "sha", "problems", "collection", "genre",
    "year_band", *_SUMS,
)  # fmt: skip
GROUP_COLUMNS = {
    "language": "language",
    "source": "collection",
    "genre": "genre",
    "year": "year_band",
}
RELEASED = "ok = 1 AND status = 'gold'"


class Ledger:
    """Per-document rows of one scan, in a TEMP table of the cache's SQLite connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        db.create_function("casefold", 1, str.casefold, deterministic=True)
        db.execute("PRAGMA temp_store = FILE")
        db.execute("DROP TABLE IF EXISTS temp.ledger")
        sums = ", ".join(f'"{c}" INTEGER' for c in _SUMS)
        db.execute(
            "CREATE TEMP TABLE ledger (id TEXT PRIMARY KEY, key TEXT, ok INTEGER, status TEXT,"
            " language TEXT, split TEXT, sha TEXT, problems BLOB, collection TEXT, genre TEXT,"
            f" year_band TEXT, {sums})"
        )
        self._insert = f"INSERT INTO temp.ledger VALUES ({', '.join('?' * len(_COLUMNS))})"
        db.execute("DROP TABLE IF EXISTS temp.files")
        db.execute(
            "CREATE TEMP TABLE files (id TEXT PRIMARY KEY, raw INTEGER DEFAULT 0,"
            " ann INTEGER DEFAULT 0, miss INTEGER DEFAULT 0)"
        )
        self.bad_names: list[str] = []

    def list_files(self, root: Path) -> None:
        """Note every id with a file in raw/ or annotations/ (names that are not UTF-8 aside)."""
        for folder, suffix, column in FOLDERS:
            sql = (
                f"INSERT INTO temp.files (id, {column}) VALUES (?, 1)"
                f" ON CONFLICT(id) DO UPDATE SET {column} = 1"
            )
            stems = iter_stems(root / folder, suffix)
            while chunk := list(islice(stems, PAGE)):
                good = []
                for stem in chunk:
                    try:
                        stem.encode("utf-8")
                    except UnicodeEncodeError:
                        self.bad_names.append(f"{folder}/{stem}{suffix}")
                        continue
                    good.append((stem,))
                self.db.executemany(sql, good)

    def documents(
        self, root: Path, missing_only: bool = False
    ) -> Iterator[tuple[str, Path | None, Path | None]]:
        """(id, raw path, annotation path) in id order, as corpus.build.checks.iter_documents."""
        where = "miss = 1 AND id > ?" if missing_only else "id > ?"
        last = ""
        while True:
            rows = self.db.execute(
                f"SELECT id, raw, ann FROM temp.files WHERE {where} ORDER BY id LIMIT ?",
                (last, PAGE),
            ).fetchall()
            if not rows:
                return
            for ident, raw, ann in rows:
                yield ident, *document_paths(root, ident, bool(raw), bool(ann))
            last = rows[-1][0]

    def mark_missing(self, ident: str) -> None:
        """Note that the cache does not hold `ident`, so documents(missing_only=True) yields it."""
        self.db.execute("UPDATE temp.files SET miss = 1 WHERE id = ?", (ident,))

    def add(self, ident: str, key: str, meta: DocMeta) -> None:
        """Record one document's scan result."""
        stats = meta.stats
        sums: list[Any] = [None] * len(_SUMS)
        collection = genre = band = None
        if stats is not None:
            collection, genre, band = stats["collection"], stats["genre"], stats["year_band"]
            sums = [stats[c] for c in _SUMS[:4]]
            sums += [stats["labels"][label] for label in ENTITY_LABELS]
        problems = pickle.dumps(meta.problems, protocol=5) if meta.problems else None
        self.db.execute(
            self._insert,
            (ident, key, int(meta.ok), meta.status, meta.language, meta.split,
             meta.text_sha256, problems, collection, genre, band, *sums),
        )  # fmt: skip

    def problems(self) -> list[Problem]:
        """Every per-document problem, in id order."""
        rows = self.db.execute(
            "SELECT problems FROM temp.ledger WHERE problems IS NOT NULL ORDER BY id"
        )
        return [p for (blob,) in rows for p in pickle.loads(blob)]

    def cross_check(self) -> list[Problem]:
        """Duplicate texts and ids (case-insensitive) and drafts, as CorpusChecks finds them.

        Only documents that can be involved (a shared text hash or folded id, or a draft) are
        passed to CorpusChecks, in id order; a refused document is marked not ok.
        """
        rows = self.db.execute(
            "SELECT id, sha, status FROM temp.ledger WHERE ok = 1 AND (status = 'draft'"
            " OR sha IN (SELECT sha FROM temp.ledger WHERE ok = 1 GROUP BY sha"
            "  HAVING COUNT(*) > 1)"
            " OR casefold(id) IN (SELECT casefold(id) FROM temp.ledger WHERE ok = 1"
            "  GROUP BY casefold(id) HAVING COUNT(*) > 1)) ORDER BY id"
        ).fetchall()
        checks, problems, refused = CorpusChecks(), [], []
        for ident, sha, status in rows:
            admitted = checks.admit(ident, sha or "", status or "gold")
            problems += admitted
            if any(p.severity == "error" for p in admitted):
                refused.append((ident,))
        self.db.executemany("UPDATE temp.ledger SET ok = 0 WHERE id = ?", refused)
        return problems

    def count(self, where: str = "1") -> int:
        """Documents matching an SQL condition on the ledger's columns."""
        sql = f"SELECT COUNT(*) FROM temp.ledger WHERE {where}"
        return int(self.db.execute(sql).fetchone()[0])

    def groups(self) -> list[tuple[str, str, str, int]]:
        """(source, language, split, released documents), sorted."""
        return self.db.execute(
            f"SELECT collection, language, split, COUNT(*) FROM temp.ledger WHERE {RELEASED}"
            " GROUP BY collection, language, split ORDER BY collection, language, split"
        ).fetchall()

    def released(
        self, collection: str, language: str, split: str, size: int
    ) -> Iterator[list[tuple[str, str]]]:
        """The (id, cache key) pairs of one source, language and split, in id order, `size`
        at a time."""
        last = ""
        while True:
            chunk = self.db.execute(
                f"SELECT id, key FROM temp.ledger WHERE {RELEASED} AND collection = ?"
                " AND language = ? AND split = ? AND id > ? ORDER BY id LIMIT ?",
                (collection, language, split, last, size),
            ).fetchall()
            if not chunk:
                return
            yield chunk
            last = chunk[-1][0]

    def stats(self, by: str = "language") -> dict[str, dict[str, Any]]:
        """corpus.build.stats figures of the released documents, per language (or per another
        GROUP_COLUMNS heading: source, genre, year band) and for "all"."""
        column = GROUP_COLUMNS[by]
        sums = ", ".join(f'SUM("{c}")' for c in _SUMS)
        query = f"SELECT {column}, COUNT(*), {sums} FROM temp.ledger WHERE {RELEASED}"
        out = {}
        for name, *figures in self.db.execute(f"{query} GROUP BY {column} ORDER BY {column}"):
            out[name] = finish_stats(*figures)
        out["all"] = finish_stats(*(v or 0 for v in self.db.execute(query).fetchone()[1:]))
        return out

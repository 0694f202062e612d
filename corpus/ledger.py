"""The build's ledger: one row per document in an SQLite temporary table, not in memory.

The scan lists the file names into one temporary table and writes each document's metadata
into another (validity, status, language, split, text hash,
problems, statistics); the checks across documents, the shard plan and the card's figures are
queries on it in id order. Python memory therefore holds no per-document object, and a build's
peak memory does not grow with the number of documents.
"""

from __future__ import annotations

import pickle
import sqlite3
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from corpus.labels import ENTITY_LABELS
from corpus.pipeline import DocMeta
from corpus.problems import Problem
from corpus.stats import finish_stats
from corpus.validate import CorpusChecks, document_paths, iter_stems

PAGE = 1000  # rows fetched per query when walking a table in id order
FOLDERS = (("raw", ".txt", "raw"), ("annotations", ".json", "ann"))
_SUMS = ("characters", "body_characters", "tokens", *ENTITY_LABELS)
_COLUMNS = ("id", "key", "ok", "status", "language", "split", "sha", "problems", *_SUMS)
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
            f" language TEXT, split TEXT, sha TEXT, problems BLOB, {sums})"
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
        """(id, raw path, annotation path) in id order, as corpus.validate.iter_documents."""
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
        if stats is not None:
            sums = [stats["characters"], stats["body_characters"], stats["tokens"]]
            sums += [stats["labels"][label] for label in ENTITY_LABELS]
        problems = pickle.dumps(meta.problems, protocol=5) if meta.problems else None
        self.db.execute(
            self._insert,
            (ident, key, int(meta.ok), meta.status, meta.language, meta.split,
             meta.text_sha256, problems, *sums),
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

    def groups(self) -> list[tuple[str, str, int]]:
        """(language, split, released documents), sorted."""
        return self.db.execute(
            f"SELECT language, split, COUNT(*) FROM temp.ledger WHERE {RELEASED}"
            " GROUP BY language, split ORDER BY language, split"
        ).fetchall()

    def released(self, language: str, split: str, size: int) -> Iterator[list[tuple[str, str]]]:
        """The (id, cache key) pairs of one language and split, in id order, `size` at a time."""
        last = ""
        while True:
            chunk = self.db.execute(
                f"SELECT id, key FROM temp.ledger WHERE {RELEASED}"
                " AND language = ? AND split = ? AND id > ? ORDER BY id LIMIT ?",
                (language, split, last, size),
            ).fetchall()
            if not chunk:
                return
            yield chunk
            last = chunk[-1][0]

    def stats(self) -> dict[str, dict[str, Any]]:
        """corpus.stats figures of the released documents, per language and for "all"."""
        sums = ", ".join(f'SUM("{c}")' for c in _SUMS)
        query = f"SELECT language, COUNT(*), {sums} FROM temp.ledger WHERE {RELEASED}"
        out = {}
        for language, *figures in self.db.execute(f"{query} GROUP BY language ORDER BY language"):
            out[language] = finish_stats(*figures)
        out["all"] = finish_stats(*(v or 0 for v in self.db.execute(query).fetchone()[1:]))
        return out

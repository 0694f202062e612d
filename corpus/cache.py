"""The build cache: per-document results and per-shard manifests in one SQLite file.

Kept in `.cache/corpus.sqlite` (not committed). A document's entry is keyed by
corpus.pipeline.document_key (its bytes and the code version), so an edited document, or a
change to the code that makes records, misses the cache; nothing else needs invalidating.
"""

from __future__ import annotations

import pickle
import sqlite3
from pathlib import Path

import pyarrow as pa

from corpus.pipeline import DocMeta, record_batch

CACHE_FILE = Path(".cache") / "corpus.sqlite"


class BuildCache:
    """Document results (meta and record stored apart) and written shards' manifests."""

    def __init__(self, path: Path, write: bool = True) -> None:
        self.write = write
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path)
        self.db.executescript(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            "CREATE TABLE IF NOT EXISTS docs (key TEXT PRIMARY KEY, meta BLOB, record BLOB);"
            "CREATE TABLE IF NOT EXISTS shards (name TEXT PRIMARY KEY, keys TEXT, sha256 TEXT,"
            " nbytes INTEGER);"
        )

    def meta(self, key: str) -> DocMeta | None:
        """The cached metadata of a document key, or None on a miss."""
        row = self.db.execute("SELECT meta FROM docs WHERE key = ?", (key,)).fetchone()
        return pickle.loads(row[0]) if row else None

    def put(self, key: str, meta: bytes, record: bytes | None) -> None:
        """Store a document's pickled metadata and record (see corpus.pipeline.pack)."""
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

    def commit(self) -> None:
        self.db.commit()

    def close(self) -> None:
        self.db.commit()
        self.db.close()

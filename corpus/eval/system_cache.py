"""The cache of system outputs: one prediction per (system, version, document content), and
of per-document extraction rows (one per text, gold segments and prediction).

Kept in `.cache/systems.sqlite` (not committed). A key hashes the system's name and version
and everything the system sees of a document (id, language, text, and for HTML systems the
archive item the page comes from), so a leaderboard after a corpus change runs a system only
on the documents that changed, and a new library release runs again everywhere. Each entry
keeps the seconds the page took, so pages per second are reported from the cache too. A page
a system failed on is kept under a key that also names the installed packages (the failure
may come from a package missing here). A damaged cache is only a cache: it is replaced,
never fatal.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
from collections.abc import Iterable
from functools import lru_cache
from importlib.metadata import distributions
from pathlib import Path
from typing import Any

from corpus.core.cache_db import open_cache_db

CACHE_FILE = Path(".cache") / "systems.sqlite"
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS outputs (key TEXT PRIMARY KEY, line TEXT, seconds REAL,"
    " failure TEXT);"
    "CREATE TABLE IF NOT EXISTS rows (key TEXT PRIMARY KEY, row TEXT);"
)
Entry = tuple[str, float, str | None]  # prediction JSON line, seconds, failure message


@lru_cache(maxsize=1 << 18)
def part_digest(part: str) -> bytes:
    """SHA-256 of one part of a key (a page text is hashed once per process, not per system)."""
    return hashlib.sha256(part.encode()).digest()


def output_key(name: str, version: str, parts: Iterable[str]) -> str:
    """SHA-256 of a system's name and version and the document's visible parts."""
    digest = hashlib.sha256(f"{name}\x00{version}".encode())
    for part in parts:
        digest.update(b"\x00" + part_digest(part))
    return digest.hexdigest()


@lru_cache(maxsize=1)
def environment_digest() -> str:
    """SHA-256 of the installed distributions and their versions: a failure (a missing
    package, say) is reused only in the same environment."""
    names = sorted(f"{d.metadata['Name']} {d.version}" for d in distributions())
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:16]


_WARNED: set[Path] = set()  # caches already warned about in this process


class SystemCache:
    """Cached system outputs in SQLite (WAL, so concurrent runs only wait for each other).

    A cache is only a cache: when it cannot be written (a full disk, a read-only folder), the
    run carries on without storing, after one warning on stderr, instead of ending in a
    traceback; a read that fails is a miss."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.failed = False
        try:
            self.db: sqlite3.Connection | None = open_cache_db(path, SCHEMA, "outputs", timeout=60)
        except (sqlite3.Error, OSError) as err:
            self.db = None
            self._warn(err)

    def _warn(self, err: Exception) -> None:
        if not self.failed and self.path not in _WARNED:
            _WARNED.add(self.path)
            print(
                f"warning: {self.path}: {err}; carrying on without the cache; fix: free disk "
                "space or make .cache/ writable",
                file=sys.stderr,
            )
        self.failed = True

    def _write(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if self.db is None or self.failed:
            return
        try:
            with self.db:
                self.db.executemany(sql, rows)
        except (sqlite3.OperationalError, sqlite3.DatabaseError) as err:
            self._warn(err)

    def _read(self, sql: str, keys: list[str]) -> list[tuple[Any, ...]]:
        if self.db is None:
            return []
        try:
            return self.db.execute(sql, keys).fetchall()
        except sqlite3.DatabaseError as err:
            self._warn(err)
            return []

    def get_many(self, keys: list[str]) -> dict[str, Entry]:
        """The cached entries among `keys`."""
        out: dict[str, Entry] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for key, line, seconds, failure in self._read(
                f"SELECT key, line, seconds, failure FROM outputs WHERE key IN ({marks})", chunk
            ):
                out[key] = (line, seconds, failure)
        return out

    def put_many(self, entries: dict[str, Entry]) -> None:
        """Store entries (one transaction)."""
        self._write(
            "INSERT OR REPLACE INTO outputs VALUES (?, ?, ?, ?)",
            [(k, *v) for k, v in entries.items()],
        )

    def get_rows(self, keys: list[str]) -> dict[str, list[float]]:
        """Cached per-document extraction rows (corpus.eval.results.row_key) among `keys`."""
        out: dict[str, list[float]] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for key, row in self._read(f"SELECT key, row FROM rows WHERE key IN ({marks})", chunk):
                out[key] = json.loads(row)
        return out

    def put_rows(self, rows: dict[str, list[float]]) -> None:
        """Store per-document rows (floats round-trip exactly through JSON)."""
        self._write(
            "INSERT OR REPLACE INTO rows VALUES (?, ?)",
            [(k, json.dumps(v)) for k, v in rows.items()],
        )

    def close(self) -> None:
        if self.db is not None:
            self.db.close()

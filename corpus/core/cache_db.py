"""Opening a SQLite cache that may be damaged: a cache is only a cache, so a file that is not
a database (a killed write, a disk error) is replaced by an empty one, never fatal."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def open_cache_db(path: Path, schema: str, probe: str, timeout: float = 5.0) -> sqlite3.Connection:
    """A connection to the cache at `path` in WAL mode with `schema` applied; `probe` (a table
    name) is read to prove the file is a database. A damaged file and its WAL are removed and
    a new cache is made."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return _open(path, schema, probe, timeout)
    except sqlite3.DatabaseError:
        for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            stale.unlink(missing_ok=True)
        return _open(path, schema, probe, timeout)


def _open(path: Path, schema: str, probe: str, timeout: float) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=timeout)
    try:
        db.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;" + schema)
        db.execute(f"SELECT COUNT(*) FROM {probe}").fetchone()
    except sqlite3.DatabaseError:
        db.close()
        raise
    return db

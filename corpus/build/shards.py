"""The build's output side: the shard plan, writing shards, and swapping data/ atomically."""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from corpus.build.store import BuildCache, Ledger
from corpus.core.digest import sha256_file
from corpus.core.record import ARROW_SCHEMA, DATA_DIR

ROWS_PER_SHARD = 1000
STAGING_PREFIX = ".data.tmp-"

ShardWriter = Callable[[Path, list[pa.RecordBatch]], int]


def shard_plan(
    ledger: Ledger, rows_per_shard: int = ROWS_PER_SHARD
) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """Shards (`<source>/<language>/<split>-0000i-of-0000N.parquet`) with their (id, key) pairs.

    Released documents grouped by source, language and split, in id order, `rows_per_shard` a
    shard.
    """
    for source, lang, split, count in ledger.groups():
        n = (count + rows_per_shard - 1) // rows_per_shard
        chunks = ledger.released(source, lang, split, rows_per_shard)
        for i, chunk in enumerate(chunks):
            yield f"{source}/{lang}/{split}-{i:05d}-of-{n:05d}.parquet", chunk


def write_shard(path: Path, batches: list[pa.RecordBatch]) -> int:
    """Write one shard with the fixed schema (zstd, reproducible bytes); return its Arrow size.

    The one-row batches are combined first, so the bytes do not depend on how they came.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_batches(batches, schema=ARROW_SCHEMA).combine_chunks()
    pq.write_table(table, path, compression="zstd", row_group_size=max(len(table), 1))
    return table.nbytes


def write_shards(
    root: Path,
    staging: Path,
    ledger: Ledger,
    cache: BuildCache,
    rows_per_shard: int = ROWS_PER_SHARD,
    writer: ShardWriter = write_shard,
) -> dict[str, int]:
    """Write (or copy unchanged) every planned shard into `staging`; return Arrow sizes."""
    sizes = {}
    for name, rows in shard_plan(ledger, rows_per_shard):
        keys = [key for _, key in rows]
        shard_keys = hashlib.sha256("\n".join(keys).encode()).hexdigest()
        target, previous = staging / name, root / DATA_DIR / name
        known = cache.shard(name)
        if (
            known
            and known[0] == shard_keys
            and previous.exists()
            and sha256_file(previous) == known[1]
        ):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(previous, target)
            sizes[name] = known[2]
        else:
            sizes[name] = writer(target, cache.records(keys))
            cache.put_shard(name, shard_keys, sha256_file(target), sizes[name])
    cache.commit()
    return sizes


def stale_files(staging: Path, root: Path, readme: str) -> list[str]:
    """Files under data/ and README.md that differ from a fresh build (missing or extra too)."""
    fresh = {p.relative_to(staging).as_posix(): p for p in staging.rglob("*.parquet")}
    data = root / DATA_DIR
    current = {p.relative_to(data).as_posix(): p for p in data.rglob("*.parquet")}
    stale = [
        f"{DATA_DIR}/{name}"
        for name in sorted(fresh.keys() | current.keys())
        if name not in fresh
        or name not in current
        or fresh[name].read_bytes() != current[name].read_bytes()
    ]
    readme_path = root / "README.md"
    if not readme_path.exists() or readme_path.read_text(encoding="utf-8") != readme:
        stale.append("README.md")
    return stale


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    done = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return done == 0


def replace_dir(staging: Path, target: Path) -> None:
    """Swap `staging` in for `target` so that at every instant `target` holds either the old or
    the new tree: one atomic exchange where the system has it (Linux), else two renames with
    the old folder kept as `.<name>.old` until the new one is in place (recover() restores it)."""
    if target.exists() and _exchange(staging, target):
        shutil.rmtree(staging)  # now the old tree
        return
    backup = target.with_name(f".{target.name}.old")
    if backup.exists():
        shutil.rmtree(backup)
    if target.exists():
        os.replace(target, backup)
    try:
        os.replace(staging, target)
    except OSError:
        if backup.exists():
            os.replace(backup, target)
        raise
    if backup.exists():
        shutil.rmtree(backup)


def new_staging(root: Path) -> Path:
    """A fresh staging folder for data/, with the permissions of a normal folder (mkdtemp's
    are 0700, which data/ would keep after the swap)."""
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)
    return staging


def clean_stale(root: Path) -> None:
    """Remove staging folders left by killed builds (under the build lock, none is live)."""
    for old in root.glob(f"{STAGING_PREFIX}*"):
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)


def recover(root: Path) -> None:
    """Restore `data/` from a backup left by a build that died between the two renames."""
    target = root / DATA_DIR
    backup = root / f".{DATA_DIR}.old"
    if backup.exists() and not target.exists():
        os.replace(backup, target)

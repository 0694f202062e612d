"""The build: raw/ + annotations/ -> sharded Parquet under data/, in parallel, cached, atomic.

1. Scan: every document goes through corpus.pipeline.process_document — in this process, a
   local process pool, or any concurrent.futures executor such as a Dask cluster's — unless
   the cache already holds its result. Workers send back the record as Arrow IPC bytes, which
   go to the cache on disk; the document's metadata goes to the ledger (an SQLite temporary
   table), so memory holds no per-document object and does not grow with the corpus.
2. Write: released documents (valid, status gold) are grouped by language and split, sorted by
   id and cut into shards of ROWS_PER_SHARD; a shard whose documents are unchanged is copied
   from the previous data/, the others are concatenated from the cached Arrow records. Output
   goes to a staging folder that replaces data/ only when complete, so a failed or interrupted
   build leaves the previous corpus as it was. Bytes do not depend on the executor.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from corpus.arrow_schema import ARROW_SCHEMA
from corpus.cache import CACHE_FILE, BuildCache
from corpus.executors import make_executor
from corpus.ledger import RELEASED, Ledger
from corpus.pipeline import Packed, code_version, document_key, process_packed
from corpus.problems import Problem, ProblemsFound
from corpus.validate import layout_problems, name_problems, sort_problems

ROWS_PER_SHARD = 1000
BATCH = 128
DATA_DIR = "data"

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Scan:
    """The outcome of scanning every document: the ledger (rows in SQLite), problems, counts."""

    ledger: Ledger
    problems: list[Problem]
    valid: int
    drafts: int
    released: int


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote (or, with check, would write): shards, problems, stale files."""

    released: int
    shards: list[str]
    problems: list[Problem]
    stale: list[str]


def _batches(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _read(path: Path | None) -> bytes | None:
    return path.read_bytes() if path is not None else None


def scan(
    root: Path,
    cache: BuildCache,
    executor: Executor | None = None,
    progress: Progress | None = None,
    in_flight: int = 8,
    jobs: int | None = None,
    scheduler: str | None = None,
) -> Scan:
    """Validate and make records of every document, using and filling the cache.

    Documents the cache holds are not processed again. The others run on `executor` if one
    is given, else on make_executor(misses, jobs, scheduler): worker processes start only
    when there are enough cache misses to pay for them. File names, each document's metadata
    and the list of cache misses go to the ledger, records to the cache: nothing per
    document stays in memory.
    """
    ledger = Ledger(cache.db)
    ledger.list_files(root)
    misses = 0
    for ident, raw, ann in ledger.documents(root):
        key = document_key(ident, _read(raw), _read(ann))
        hit = cache.meta(key)
        if hit is None:
            ledger.mark_missing(ident)
            misses += 1
            continue
        ledger.add(ident, key, hit)
        if progress:
            progress(1)

    sent: deque[tuple[str, str]] = deque()  # (id, key) of documents in flight, in order

    def collect(done: list[Packed]) -> None:
        for result in done:
            ident, key = sent.popleft()
            if result.code_version != code_version() or result.id != ident:
                raise RuntimeError(
                    f"{result.id}: a worker runs other corpus code; fix: install "
                    "the same corpus version on every worker"
                )
            cache.put(key, result.meta, result.record)
            ledger.add(ident, key, pickle.loads(result.meta))
        cache.commit()
        if progress:
            progress(len(done))

    def inputs() -> Iterator[tuple[str, bytes | None, bytes | None]]:
        for ident, raw_path, ann_path in ledger.documents(root, missing_only=True):
            raw, ann = _read(raw_path), _read(ann_path)
            sent.append((ident, document_key(ident, raw, ann)))  # the bytes actually processed
            yield ident, raw, ann

    def run(pool: Executor | None) -> None:
        queue: deque[Future[list[Packed]]] = deque()
        for batch in _batches(inputs(), BATCH):
            if pool is None:
                collect(process_packed(batch))
                continue
            queue.append(pool.submit(process_packed, batch))
            while len(queue) >= in_flight:
                collect(queue.popleft().result())
        while queue:
            collect(queue.popleft().result())

    if misses and executor is not None:
        run(executor)
    elif misses:
        with make_executor(misses, jobs, scheduler) as pool:
            run(pool)

    problems = layout_problems(root) + name_problems(ledger.bad_names)
    problems += ledger.problems() + ledger.cross_check()
    return Scan(
        ledger,
        sort_problems(problems),
        ledger.count("ok = 1"),
        ledger.count("ok = 1 AND status = 'draft'"),
        ledger.count(RELEASED),
    )


def shard_plan(ledger: Ledger) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """Shards (`<language>/<split>-0000i-of-0000N.parquet`) with their (id, key) pairs.

    Released documents grouped by language and split, in id order, ROWS_PER_SHARD a shard.
    """
    for lang, split, count in ledger.groups():
        n = (count + ROWS_PER_SHARD - 1) // ROWS_PER_SHARD
        chunks = ledger.released(lang, split, ROWS_PER_SHARD)
        for i, chunk in enumerate(chunks):
            yield f"{lang}/{split}-{i:05d}-of-{n:05d}.parquet", chunk


def write_shard(path: Path, batches: list[pa.RecordBatch]) -> int:
    """Write one shard with the fixed schema (zstd, reproducible bytes); return its Arrow size.

    The one-row batches are combined first, so the bytes do not depend on how they came.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_batches(batches, schema=ARROW_SCHEMA).combine_chunks()
    pq.write_table(table, path, compression="zstd", row_group_size=ROWS_PER_SHARD)
    return table.nbytes


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_shards(
    root: Path,
    staging: Path,
    ledger: Ledger,
    cache: BuildCache,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Write (or copy unchanged) every planned shard into `staging`; return Arrow sizes."""
    sizes = {}
    for name, rows in shard_plan(ledger):
        keys = [key for _, key in rows]
        shard_keys = hashlib.sha256("\n".join(keys).encode()).hexdigest()
        target, previous = staging / name, root / DATA_DIR / name
        known = cache.shard(name)
        if known and known[0] == shard_keys and previous.exists() and _sha256(previous) == known[1]:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(previous, target)
            sizes[name] = known[2]
        else:
            sizes[name] = write_shard(target, cache.records(keys))
            cache.put_shard(name, shard_keys, _sha256(target), sizes[name])
        if progress:
            progress(len(rows))
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


def replace_dir(staging: Path, target: Path) -> None:
    """Swap `staging` in for `target`; the old folder is kept until the new one is in place."""
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


def recover(root: Path) -> None:
    """Restore `data/` from a backup left by a build that died between the two renames."""
    target = root / DATA_DIR
    backup = root / f".{DATA_DIR}.old"
    if backup.exists() and not target.exists():
        os.replace(backup, target)


def open_cache(root: Path, write: bool = True) -> BuildCache:
    """The build cache of the repository at `root`."""
    return BuildCache(root / CACHE_FILE, write=write)


def build(
    root: Path,
    executor: Executor | None = None,
    check: bool = False,
    progress: Progress | None = None,
    jobs: int | None = None,
    scheduler: str | None = None,
) -> BuildResult:
    """Validate everything under `root` and write `data/` and the README card.

    Raise ProblemsFound on any error (data/ untouched). With `check`, nothing is replaced and
    the result lists the files a build would change.
    """
    from corpus.card import update_readme

    recover(root)
    cache = open_cache(root)
    try:
        found = scan(root, cache, executor, progress, jobs=jobs, scheduler=scheduler)
        problems = found.problems
        if any(p.severity == "error" for p in problems):
            raise ProblemsFound(problems)
        if not found.released:
            raise ProblemsFound(
                [
                    *problems,
                    Problem(
                        "annotations/",
                        None,
                        None,
                        "error",
                        "empty",
                        "no gold document to release",
                        "review a draft and mark it gold",
                    ),
                ]
            )
        staging = Path(tempfile.mkdtemp(prefix=".data.tmp-", dir=root))
        try:
            sizes = write_shards(root, staging, found.ledger, cache)
            readme = update_readme(root, found.ledger.stats(), found.ledger.groups(), sizes)
            stale = stale_files(staging, root, readme)
            if not check:
                replace_dir(staging, root / DATA_DIR)
        finally:
            if staging.exists():
                shutil.rmtree(staging)
    finally:
        cache.close()
    if not check:
        tmp_readme = root / "README.md.tmp"
        tmp_readme.write_text(readme, encoding="utf-8")
        os.replace(tmp_readme, root / "README.md")
    return BuildResult(found.released, [f"{DATA_DIR}/{s}" for s in sizes], problems, stale)


def read_records(root: Path) -> list[dict[str, Any]]:
    """Read every released record back from `data/` with pyarrow, sorted by id."""
    files = sorted((root / DATA_DIR).glob("*/*.parquet"))
    rows = [r for f in files for r in pq.read_table(f).to_pylist()]
    return sorted(rows, key=lambda r: r["id"])

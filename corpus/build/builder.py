"""The build: raw/ + annotations/ -> sharded Parquet under data/, in parallel, cached, atomic.

1. Scan: every document goes through corpus.build.pipeline.process_document — in this process, a
   local process pool, or any concurrent.futures executor such as a Dask cluster's — unless
   the cache already holds its result. Workers send back the record as Arrow IPC bytes, which
   go to the cache on disk; the document's metadata goes to the ledger (an SQLite temporary
   table), so memory holds no per-document object and does not grow with the corpus.
2. Write (corpus.build.shards): released documents (valid, status gold) are grouped by language
   and split, sorted by id and cut into shards; a shard whose documents are unchanged is copied
   from the previous data/, the others are concatenated from the cached Arrow records. Output
   goes to a staging folder that replaces data/ only when complete, so a failed or interrupted
   build leaves the previous corpus as it was. Bytes do not depend on the executor.
"""

from __future__ import annotations

import fcntl
import os
import pickle
import shutil
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.build.checks import name_problems, sort_problems
from corpus.build.pipeline import Packed, code_version, document_key, process_packed
from corpus.build.repository import layout_problems
from corpus.build.shards import (
    ROWS_PER_SHARD,
    ShardWriter,
    clean_stale,
    new_staging,
    recover,
    replace_dir,
    stale_files,
    write_shard,
    write_shards,
)
from corpus.build.stats import GROUPS
from corpus.build.store import CACHE_FILE, RELEASED, BuildCache, Ledger
from corpus.core.executors import make_executor
from corpus.core.problems import Problem, ProblemsFound
from corpus.core.record import DATA_DIR, read_shard

BATCH = 128

Progress = Callable[[int], None]
Worker = Callable[[list[tuple[str, bytes | None, bytes | None]]], list[Packed]]


@dataclass(frozen=True)
class BuildSettings:
    """Knobs of a build that change how it runs, never what it writes.

    `rows_per_shard` is the exception that proves the rule: it decides the shard files, so a
    corpus is only comparable with another built at the same value (the default).
    """

    rows_per_shard: int = ROWS_PER_SHARD
    batch_size: int = BATCH  # documents per task sent to a worker
    in_flight: int = 8  # tasks queued per executor before waiting for results
    worker: Worker = process_packed  # the task run on workers (batch in, packed results out)
    write_shard: ShardWriter = write_shard


DEFAULT_SETTINGS = BuildSettings()


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
    jobs: int | None = None,
    scheduler: str | None = None,
    settings: BuildSettings = DEFAULT_SETTINGS,
) -> Scan:
    """Validate and make records of every document, using and filling the cache.

    Documents the cache holds are not processed again. The others run on `executor` if one
    is given, else on make_executor(misses, jobs, scheduler): worker processes start only
    when there are enough cache misses to pay for them. File names, each document's metadata
    and the list of cache misses go to the ledger, records to the cache: nothing per
    document stays in memory.
    """
    ledger = cache.ledger()
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
        for batch in _batches(inputs(), settings.batch_size):
            if pool is None:
                collect(settings.worker(batch))
                continue
            queue.append(pool.submit(settings.worker, batch))
            while len(queue) >= settings.in_flight:
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
    settings: BuildSettings = DEFAULT_SETTINGS,
) -> BuildResult:
    """Validate everything under `root` and write `data/` and the README card.

    Raise ProblemsFound on any error (data/ untouched). With `check`, nothing is replaced and
    the result lists the files a build would change. A second build of the same repository
    at the same time waits for the first (build_lock).
    """
    with build_lock(root):
        return _build(root, executor, check, progress, jobs, scheduler, settings)


@contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """Hold the repository's build lock (`.cache/build.lock`): a second build at the same time
    waits until the first one is done, instead of racing it for the cache and data/."""
    path = root / CACHE_FILE.parent / "build.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build(
    root: Path,
    executor: Executor | None,
    check: bool,
    progress: Progress | None,
    jobs: int | None,
    scheduler: str | None,
    settings: BuildSettings,
) -> BuildResult:
    from corpus.build.card import update_readme  # yaml is loaded only when a card is written

    recover(root)
    clean_stale(root)
    data = root / DATA_DIR
    if not check and data.exists() and not os.access(data, os.W_OK | os.X_OK):
        raise PermissionError(f"{data} is read-only; fix: chmod -R u+w {data} (nothing written)")
    cache = open_cache(root)
    try:
        found = scan(root, cache, executor, progress, jobs, scheduler, settings)
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
        staging = new_staging(root)
        try:
            sizes = write_shards(
                root, staging, found.ledger, cache, settings.rows_per_shard, settings.write_shard
            )
            stats = {by: found.ledger.stats(by) for by in GROUPS}
            readme = update_readme(root, stats, found.ledger.groups(), sizes)
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
    """Read every released record back from `data/` with pyarrow, sorted by id.

    Raise ValueError naming the file and the fix if a shard is not readable Parquet."""
    rows = []
    for f in sorted((root / DATA_DIR).glob("*/*/*.parquet")):
        rows += read_shard(f).to_pylist()
    return sorted(rows, key=lambda r: r["id"])

"""Run a built-in system over the gold pages it can see, through the output cache.

An HTML system sees only the documents imported from a benchmark (their original page is read
from the source archive); a system made for some languages (natasha: Russian) sees only
those. The others are not scored as empty: the run names how many were left out and why.
Pages missing from the cache run on worker processes; each page's seconds are kept, so pages
per second (on one core) are the same whether the outputs were cached or not.
"""

from __future__ import annotations

import hashlib
import inspect
import io
import json
import os
import time
import weakref
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager, redirect_stderr, redirect_stdout, suppress
from dataclasses import dataclass, field
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from corpus.core.digest import sha256_file
from corpus.core.executors import make_executor
from corpus.eval.gold import Gold
from corpus.eval.system_cache import Entry, SystemCache, environment_digest, output_key
from corpus.importers.pages import PAGE_SOURCES, has_page_source, read_pages
from corpus.systems import System, get_system
from corpus.systems.base import Page

DEFAULT_SOURCES = Path("../shared/sources")
CHUNK = 16  # pages per task sent to a worker
_WORKER_SYSTEMS: dict[tuple[str, str], System] = {}
_HTML: dict[Path, dict[tuple[str, str], str]] = {}  # HTML read so far, per sources folder
_WARM: weakref.WeakSet[Any] = weakref.WeakSet()  # systems already warmed up in this process


@dataclass(frozen=True)
class SystemRun:
    """A system's predictions on the documents it ran on (`gold`), and how the run went."""

    gold: Gold
    lines: list[str]
    seconds: float
    ran: int
    failures: list[tuple[str, str]] = field(default_factory=list)  # (id, error)
    excluded: dict[str, int] = field(default_factory=dict)

    def info(self, system: System) -> dict[str, Any]:
        """The `system` block of the results: name, version, input, speed, failures."""
        n = len(self.lines)
        return {
            "name": system.name,
            "version": system.version,
            "input": system.input,
            "predictions": None,
            "pages_per_second": round(n / self.seconds, 2) if self.seconds > 0 else None,
            "failures": len(self.failures),
            "failed": [{"id": ident, "error": error} for ident, error in self.failures],
        }


def has_html(gold: Gold, i: int) -> bool:
    """True if the i-th document was imported from a benchmark whose pages can be read."""
    origin = gold.origins[i] if gold.origins is not None else None
    return origin is not None and has_page_source(origin[0])


def eligible(system: System, gold: Gold) -> tuple[Gold, dict[str, int]]:
    """The documents `system` can see, and how many were left out for each reason."""
    languages = getattr(system, "languages", None)
    keep, no_html, other_language = [], 0, 0
    for i, language in enumerate(gold.languages):
        if languages is not None and language not in languages:
            other_language += 1
            continue
        if system.input == "html" and not has_html(gold, i):
            no_html += 1
            continue
        keep.append(i)
    reasons = {"no_html": no_html, "other_language": other_language}
    return gold.subset(keep), {k: v for k, v in reasons.items() if v}


def run_system(
    system: System,
    gold: Gold,
    *,
    by_name: bool = False,
    sources: Path | None = None,
    cache_path: Path | None = None,
    jobs: int | None = None,
    on_page: Callable[[int], None] | None = None,
    scheduler: str | None = None,
) -> SystemRun:
    """Run `system` on the documents of `gold` it can see, reusing cached outputs.

    by_name: the system can be rebuilt from its name in worker processes (built-in systems);
    otherwise it runs in this process. cache_path None: no cache. scheduler: a Dask scheduler
    address (or "local"), where a built-in system's pages then run (core.executors).
    """
    chosen, excluded = eligible(system, gold)
    adapter = adapter_digest(system)
    keys = [_key(system, chosen, i, adapter, sources) for i in range(len(chosen))]
    cache = SystemCache(cache_path) if cache_path is not None else None
    try:
        found = _lookup(cache, keys) if cache else {}
        todo = [i for i, k in enumerate(keys) if k not in found]
        if on_page and len(found):
            on_page(len(chosen) - len(todo))
        fresh = _run_pages(
            system, chosen, todo, by_name, sources, jobs, on_page, cache, keys, scheduler
        )
    finally:
        if cache:
            cache.close()
    entries = [found.get(k) or fresh[k] for k in keys]
    failures = [(i, e[2]) for i, e in zip(chosen.ids, entries, strict=True) if e[2]]
    seconds = sum(e[1] for e in entries)
    return SystemRun(chosen, [e[0] for e in entries], seconds, len(todo), failures, excluded)


def _failed(key: str) -> str:
    """The key a failure is kept under: the output key and the installed packages."""
    return f"{key}:{environment_digest()}"


def _lookup(cache: SystemCache, keys: list[str]) -> dict[str, Entry]:
    """Cached entries by output key: outputs, or failures made in this environment."""
    found = cache.get_many(keys)
    failed_keys = {_failed(k): k for k in keys if k not in found}
    if failed_keys:
        failed = cache.get_many(list(failed_keys))
        found.update({failed_keys[f]: entry for f, entry in failed.items()})
    return found


def _key(system: System, gold: Gold, i: int, adapter: str, sources: Path | None) -> str:
    """An HTML system sees the page (its archive, item and the page's language), not the text:
    an edited text does not run it again."""
    origin = gold.origins[i] if gold.origins is not None else None
    if system.input == "html" and origin:
        archive = _archive_stamp(sources or DEFAULT_SOURCES, origin[0])
        parts = [adapter, gold.ids[i], gold.languages[i], *origin, archive]
    else:
        parts = [adapter, gold.ids[i], gold.languages[i], gold.texts[i] or ""]
    return output_key(system.name, system.version, parts)


def _archive_stamp(sources: Path, benchmark: str) -> str:
    """The archive's file name and the SHA-256 of its content (another archive of the same
    size must not be served the old outputs), hashed once per file version."""
    path = sources / PAGE_SOURCES[benchmark].archive
    try:
        st = path.stat()
    except OSError:
        return path.name
    return f"{path.name} {_content_digest(path.resolve(), st.st_size, st.st_mtime_ns)}"


@lru_cache(maxsize=64)
def _content_digest(path: Path, size: int, mtime_ns: int) -> str:
    """SHA-256 of a file, remembered by its path, size and modification time."""
    return sha256_file(path)


def adapter_digest(system: System) -> str:
    """SHA-256 of the source of the module that defines the system's class (an edited adapter
    runs again; a system defined where no source file is found keys on its class name)."""
    try:
        source = inspect.getsource(inspect.getmodule(type(system)))  # type: ignore[arg-type]
    except (OSError, TypeError):
        source = type(system).__qualname__
    return hashlib.sha256(source.encode()).hexdigest()


def _run_pages(
    system: System,
    gold: Gold,
    todo: list[int],
    by_name: bool,
    sources: Path | None,
    jobs: int | None,
    on_page: Callable[[int], None] | None,
    cache: SystemCache | None,
    keys: list[str],
    scheduler: str | None = None,
) -> dict[str, Entry]:
    """Run the system on the pages at `todo`; their entries by key (stored as they come):
    chunks of CHUNK pages on `jobs` local processes, or on a Dask cluster (`scheduler`)."""
    if not todo:
        return {}
    html: dict[tuple[str, str], str] = {}
    out: dict[str, Entry] = {}
    if system.input == "html":
        wanted = [gold.origins[i] for i in todo if gold.origins and gold.origins[i]]
        html = _pages(sources or DEFAULT_SOURCES, wanted)  # type: ignore[arg-type]
        lost = {i for i in todo if gold.origins and gold.origins[i] not in html}
        out = {keys[i]: _lost_page(gold, i, system.task) for i in sorted(lost)}  # never cached
        todo = [i for i in todo if i not in lost]
        if on_page and lost:
            on_page(len(lost))
    pages = [_page(gold, i, html) for i in todo]
    chunks = [pages[i : i + CHUNK] for i in range(0, len(pages), CHUNK)]
    jobs = jobs or os.cpu_count() or 1
    position = 0

    def store(results: list[Entry]) -> None:
        nonlocal position
        part = {keys[todo[position + j]]: e for j, e in enumerate(results)}
        position += len(results)
        out.update(part)
        if cache:  # a failure may come from the environment (a missing package)
            cache.put_many({k if e[2] is None else _failed(k): e for k, e in part.items()})
        if on_page:
            on_page(len(results))

    if by_name and len(chunks) > 1 and (jobs > 1 or scheduler):
        tasks = [(system.task, system.name, chunk) for chunk in chunks]
        with _executor(jobs, scheduler) as pool:
            for results in pool.map(_run_chunk, tasks):
                store(results)
    else:
        for chunk in chunks:
            store(run_pages(system, chunk))
    return out


@contextmanager
def _executor(jobs: int, scheduler: str | None) -> Iterator[Executor]:
    """`jobs` forkserver processes, or the Dask cluster at `scheduler` (core.executors)."""
    if scheduler:
        with make_executor(0, jobs, scheduler) as pool:
            assert pool is not None
            yield pool
        return
    with ProcessPoolExecutor(jobs, mp_context=get_context("forkserver")) as pool:
        yield pool


def _pages(sources: Path, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The HTML of the wanted pages, read once per process for every HTML system."""
    memo = _HTML.setdefault(sources.resolve(), {})
    missing = [w for w in wanted if w not in memo]
    if missing:
        memo.update(read_pages(sources, missing))
    return {w: memo[w] for w in wanted if w in memo}


def _lost_page(gold: Gold, i: int, task: str) -> Entry:
    """A page its archive does not hold: a failure, named, never an empty extraction scored
    as if the system had produced it (nor a cached output: the archive may be mended)."""
    benchmark, item = gold.origins[i]  # type: ignore[index, misc]
    empty = {"entities": []} if task == "ner" else {"body_text": ""}
    line = json.dumps({"id": gold.ids[i], **empty}, ensure_ascii=False)
    return line, 0.0, f"PageMissing: {item} is not in the {benchmark} archive"


def _page(gold: Gold, i: int, html: dict[tuple[str, str], str]) -> Page:
    origin = gold.origins[i] if gold.origins is not None else None
    page_html = html.get(origin) if origin else None
    return Page(gold.ids[i], gold.texts[i] or "", gold.languages[i], page_html)


def _run_chunk(task: tuple[str, str, list[Page]]) -> list[Entry]:
    """Worker side: rebuild the system once per process, then run it on the pages."""
    kind, name, pages = task
    if (kind, name) not in _WORKER_SYSTEMS:
        _WORKER_SYSTEMS[(kind, name)] = get_system(kind, name)
    return run_pages(_WORKER_SYSTEMS[(kind, name)], pages)


def _warm_up(system: System, first: Page | None) -> None:
    """One untimed call on a small page, once per system and process, so that loading a
    model or a dictionary (natasha, jieba) is not counted as the first page's time."""
    if first is None or system in _WARM:
        return
    with suppress(TypeError):  # an object without weak references warms up every time
        _WARM.add(system)
    html = "<html><body><h1>Warm up</h1><p>A short page to warm up.</p></body></html>"
    page = Page("warm-up", "Warm up.\nA short page to warm up.", first.language, html)
    with suppress(Exception):  # the real pages will show any failure
        _quiet_predict(system, page)


def _quiet_predict(system: System, page: Page) -> dict[str, Any]:
    """The system's prediction, with what the library prints or logs meanwhile swallowed."""
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        return system.predict(page)


def run_pages(system: System, pages: list[Page]) -> list[Entry]:
    """(prediction line, seconds, failure) per page. A page the library fails on is predicted
    empty and its error kept (benchmarks count a failure as an empty extraction); what the
    library prints or logs while it runs is swallowed."""
    out: list[Entry] = []
    _warm_up(system, pages[0] if pages else None)
    for page in pages:
        start = time.perf_counter()
        failure = None
        try:
            prediction = _quiet_predict(system, page)  # libraries print warnings per page
        except Exception as err:  # a library's failure on one page is a result, not a crash
            failure = f"{type(err).__name__}: {str(err)[:200]}"
            empty = {"entities": []} if system.task == "ner" else {"body_text": ""}
            prediction = {"id": page.id, **empty}
        seconds = time.perf_counter() - start
        out.append((json.dumps(prediction, ensure_ascii=False), seconds, failure))
    return out

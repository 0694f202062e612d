"""The original HTML of imported documents, read back from the benchmark archives.

A document's provenance names its benchmark and the archive member it was rendered from;
HTML systems are run on that page (for L3S-GN1 the `original/` page, not the `annotated/` copy
whose markup carries the gold). HTML is decoded with the encoding Resiliparse detects, as the
import did; nothing of it is ever written into the repository.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from resiliparse.parse.encoding import detect_encoding

from corpus.importers.base import archive_files, gunzip


@dataclass(frozen=True)
class PageSource:
    """Where a benchmark's pages are: its archive, and how an item becomes a member's bytes."""

    archive: str
    member: Callable[[str], str]
    unpack: Callable[[bytes], bytes]


def _same(item: str) -> str:
    return item


def _raw(data: bytes) -> bytes:
    return data


PAGE_SOURCES: dict[str, PageSource] = {
    "aeb": PageSource("aeb.tar.xz", _same, lambda data: gunzip(data, "an aeb page")),
    "daniel": PageSource("daniel-v2.1.tar.xz", _same, _raw),
    "l3s-gn1": PageSource(
        "l3s-gn1.tar.xz", lambda item: item.replace("/annotated/", "/original/"), _raw
    ),
    "trafilatura-eval": PageSource("trafilatura-eval.tar.xz", _same, _raw),
    "wcxb": PageSource("wcxb.tar.xz", _same, _raw),
    "googletrends-2017": PageSource("googletrends-2017.tar.xz", _same, _raw),
}


def decode_html(data: bytes) -> str:
    """HTML bytes as text, in the encoding Resiliparse detects (bad bytes replaced)."""
    encoding = detect_encoding(data) or "utf-8"
    try:
        return data.decode(encoding, errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def has_page_source(benchmark: str | None) -> bool:
    """True if documents from `benchmark` have an original page to read."""
    return benchmark in PAGE_SOURCES


def read_pages(sources: Path, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """(benchmark, item) -> the page's HTML, for every wanted pair whose archive is under
    `sources` (one sequential pass per archive). Raise FileNotFoundError naming a missing
    archive and the fix."""
    by_benchmark: dict[str, dict[str, str]] = {}
    for benchmark, item in wanted:
        source = PAGE_SOURCES[benchmark]
        by_benchmark.setdefault(benchmark, {})[source.member(item)] = item
    out: dict[tuple[str, str], str] = {}
    for benchmark, members in sorted(by_benchmark.items()):
        source = PAGE_SOURCES[benchmark]
        path = sources / source.archive
        if not path.is_file():
            raise FileNotFoundError(
                f"{path}: no such archive (the HTML of {len(members)} {benchmark} documents); "
                "fix: give --sources the folder of the benchmark archives (see README, Sources)"
            )
        for name, data in archive_files(path, members.__contains__):
            out[(benchmark, members[name])] = decode_html(source.unpack(data))
    return out

"""What a built-in system sees (a page's id, text, language and HTML, never gold) and helpers."""

from __future__ import annotations

import hashlib
import html
import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

MIB = 1 << 20


@dataclass(frozen=True)
class Page:
    """The input of every system: the normalized text, its (gold) language code and, for
    documents imported from a benchmark, the page's original HTML (None otherwise)."""

    id: str
    text: str
    language: str
    html: str | None = None


class System(Protocol):
    """A built-in system: one prediction line (a JSON-ready dict) per page.

    `input` is "text" (the page text, as a pretraining pipeline sees a WET record) or "html"
    (the page's original HTML; scored only on documents that have it). `version` names the
    library release that made the predictions (it keys the output cache).
    """

    name: str
    task: str
    input: str
    version: str

    def predict(self, page: Page) -> dict[str, Any]: ...


def package_version(distribution: str) -> str:
    """`<distribution> <installed version>`, or `<distribution> (not installed)`."""
    try:
        return f"{distribution} {version(distribution)}"
    except PackageNotFoundError:
        return f"{distribution} (not installed)"


def require(module: str, extra: str = "systems") -> ModuleType:
    """Import `module`, or raise ImportError naming the extra that installs it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(f'{module} is not installed; fix: pip install -e ".[{extra}]"') from None


def line_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every line's content without its newline, in order (empty lines too)."""
    start = 0
    for line in text.split("\n"):
        yield start, start + len(line)
        start += len(line) + 1


def stripped(text: str, start: int, end: int) -> tuple[int, int]:
    """The span [start, end) with leading and trailing white space removed."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def lines_as_html(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The page as an HTML document with one <p> per non-blank line, and those lines' spans.

    Extraction libraries expect HTML; the corpus has text with one block per line.
    """
    spans = [stripped(text, s, e) for s, e in line_spans(text)]
    spans = [(s, e) for s, e in spans if s < e]
    body = "\n".join(f"<p>{html.escape(text[s:e])}</p>" for s, e in spans)
    return f'<html><head><meta charset="utf-8"></head><body>\n{body}\n</body></html>', spans


def own_version(module_file: str) -> str:
    """`corpus <version>+<first 8 hex of the module's SHA-256>`: the version of a system written
    here, which changes whenever its code does (so cached outputs of older code are not reused)."""
    from corpus import __version__

    with open(module_file, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:8]
    return f"corpus {__version__}+{digest}"


def model_digest(folder: Path) -> str:
    """First 16 hex of a SHA-256 over a model folder's files: names, sizes and content (of
    files over 64 MiB, the first and last MiB only, so a run does not re-read gigabytes)."""
    digest = hashlib.sha256()
    for f in sorted(p for p in folder.rglob("*") if p.is_file()):
        size = f.stat().st_size
        digest.update(f"{f.relative_to(folder)} {size}\n".encode())
        with f.open("rb") as handle:
            if size <= 64 * MIB:
                digest.update(handle.read())
            else:
                digest.update(handle.read(MIB))
                handle.seek(size - MIB)
                digest.update(handle.read(MIB))
    return digest.hexdigest()[:16]

"""What a built-in system sees (a page's id, text and language, never gold) and shared helpers."""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Page:
    """The input of every system: the normalized text and its (gold) language code."""

    id: str
    text: str
    language: str


class System(Protocol):
    """A built-in system: one prediction line (a JSON-ready dict) per page."""

    name: str
    task: str

    def predict(self, page: Page) -> dict[str, Any]: ...


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

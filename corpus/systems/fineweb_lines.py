"""fineweb-lines: FineWeb's quality filters (Penedo et al. 2024) on the page text, via datatrove.

The filters FineWeb runs after text extraction, with datatrove's own classes and FineWeb's
settings, in FineWeb's order: Gopher repetition, Gopher quality, C4 quality (line removal
without the terminal-punctuation rule) and the FineWeb quality filter. A page any
document-level filter drops is predicted empty; otherwise the lines the C4 step keeps are the
body. Deviations, for languages FineWeb (English) was not made for: the Gopher stop-word rule
(English stop words) applies to English pages only, and word tokenization uses datatrove's
tokenizer of the page's language, or its English one where that tokenizer's package
(Japanese: SudachiPy, Korean: Kiwi) is not installed.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from corpus.systems.base import Page, package_version, require


@lru_cache(maxsize=64)
def _filters(language: str) -> tuple[Any, ...]:
    """FineWeb's filter steps for one language (built once per language)."""
    filters = require("datatrove.pipeline.filters")
    tokenizers = require("datatrove.utils.word_tokenizers")
    try:  # datatrove loads a tokenizer's package on first use
        tokenizers.load_word_tokenizer(language).word_tokenize("a b")
    except (ImportError, OSError, ValueError):
        language = "en"
    stop = {} if language == "en" else {"min_stop_words": None}
    return (
        filters.GopherRepetitionFilter(language=language),
        filters.GopherQualityFilter(language=language, **stop),
        filters.C4QualityFilter(filter_no_terminal_punct=False, language=language),
        filters.FineWebQualityFilter(language=language),
    )


def fineweb_text(text: str, language: str, doc_id: str = "") -> str:
    """The text FineWeb's filters keep of a page: its kept lines, or "" if a filter drops it."""
    data = require("datatrove.data")
    doc = data.Document(text=text, id=doc_id, metadata={})
    for step in _filters(language):
        verdict = step.filter(doc)
        if verdict is False or (isinstance(verdict, tuple) and not verdict[0]):
            return ""
    return doc.text


class FineWebLines:
    """Predicts the text FineWeb's filters keep."""

    name = "fineweb-lines"
    task = "extraction"
    input = "text"
    version = package_version("datatrove")

    def predict(self, page: Page) -> dict[str, Any]:
        return {"id": page.id, "body_text": fineweb_text(page.text, page.language, page.id)}

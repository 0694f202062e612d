"""c4-lines against datatrove's C4QualityFilter, a well-kept implementation of the same rules.

Ours follows TensorFlow Datasets' `clean_page`; datatrove's filter, given TFDS's parameters,
differs from it in two documented ways: it also ends sentences with an apostrophe, and it
counts sentences with spaCy (TFDS: NLTK punkt; ours: a regex, see corpus.systems.c4_lines).
With those two aligned, both must keep exactly the same lines of every released record, bar
pages with a line separator other than "\\n" (U+2028, U+0085, ...), where `str.splitlines`
cuts lines that the corpus (and so c4-lines) keeps whole.
"""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest
from conftest import REPO

from corpus.systems.c4_lines import CITATION_RE, END_MARKS, count_sentences, kept_lines

c4_filters = pytest.importorskip(
    "datatrove.pipeline.filters.c4_filters", reason="datatrove not installed (extra: systems)"
)
from datatrove.data import Document  # noqa: E402

CASES = [
    "Short line.\nThis line has enough words to be kept. It has two sentences!\n"
    "Another kept line with five words.\nAnd a third one, also long enough?",
    "Please enable JavaScript to read this page now.\n" * 2 + "Three sentences. Here. Now.",
    "A line with a citation at the very end.[1]\nA {curly} bracket drops the whole page here.",
    "Only one sentence here, not enough for a page.",
    "Lorem ipsum dolor sit amet is filler text.\nOne. Two. Three sentences in a line here.",
]


def datatrove_c4(text: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Lines datatrove's filter keeps, with TFDS's parameters and the two deviations aligned."""
    monkeypatch.setattr(c4_filters, "END_PUNCTUATION", END_MARKS)
    monkeypatch.setattr(
        c4_filters, "split_into_sentences", lambda line, lang: [None] * count_sentences(line)
    )
    doc = Document(text=text, id="x")
    verdict = c4_filters.C4QualityFilter(min_words_per_line=5, min_num_sentences=3).filter(doc)
    kept = verdict is True or (isinstance(verdict, tuple) and verdict[0])
    return doc.text.split("\n") if kept and doc.text else []


def ours(text: str) -> list[str]:
    return [CITATION_RE.sub("", text[s:e]) for s, e in kept_lines(text)]


@pytest.mark.parametrize("text", CASES)
def test_same_lines_as_datatrove_on_cases(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert ours(text) == datatrove_c4(text, monkeypatch)


def test_same_lines_as_datatrove_on_every_released_record(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = sorted((REPO / "data").glob("*/*/*.parquet"))
    if not files:
        pytest.skip("no data/ in the repository (run corpus build)")
    checked, other_breaks = 0, 0
    for f in files:
        for text in pq.read_table(f, columns=["text"]).column("text").to_pylist():
            if len(text.splitlines()) != text.count("\n") + (not text.endswith("\n")):
                other_breaks += 1
                continue
            assert ours(text) == datatrove_c4(text, monkeypatch), text[:200]
            checked += 1
    assert checked > 0 and other_breaks <= checked / 20

"""c4-lines: the line heuristics used to clean Common Crawl for C4 (Raffel et al. 2020).

As in TensorFlow Datasets' `c4_utils.clean_page`: a line is kept if, after stripping and
removing citation markers, it ends in . ? ! or " (but not "..."), has at least 5 words, has no
word over 1000 characters, does not mention "javascript" and none of the policy phrases. The
whole page is dropped (empty prediction) if a line has "lorem ipsum" or a curly bracket, or if
the kept lines hold fewer than 3 sentences. One deviation: sentences are counted by a regex
split after . ? ! instead of NLTK's punkt model, which would need a download.
"""

from __future__ import annotations

import re
from typing import Any

from corpus.systems.base import Page, line_spans, own_version, stripped

CITATION_RE = re.compile(r"\[\d*\]|\[edit\]|\[citation needed\]")
END_MARKS = (".", "?", "!", '"')
ELLIPSIS = "..."
POLICY_SUBSTRINGS = ("terms of use", "privacy policy", "cookie policy", "uses cookies",
                     "use of cookies", "use cookies")  # fmt: skip
MIN_WORDS_PER_LINE = 5
MIN_NUM_SENTENCES = 3
MAX_WORD_LENGTH = 1000
SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+")


def count_sentences(line: str) -> int:
    """Number of sentences in a line: pieces of a split after . ? ! and white space."""
    return len([p for p in SENTENCE_END_RE.split(line) if p.strip()])


def kept_lines(text: str) -> list[tuple[int, int]]:
    """Spans of the lines C4's rules keep; empty if the rules drop the whole page."""
    kept, sentences = [], 0
    for s, e in line_spans(text):
        s, e = stripped(text, s, e)
        line = text[s:e]
        if any(len(word) > MAX_WORD_LENGTH for word in line.split()):
            continue
        line = CITATION_RE.sub("", line)
        if not line.endswith(END_MARKS) or line.endswith(ELLIPSIS):
            continue
        if len(line.split()) < MIN_WORDS_PER_LINE:
            continue
        lower = line.lower()
        if "lorem ipsum" in lower or "{" in line:
            return []
        if "javascript" in lower or any(p in lower for p in POLICY_SUBSTRINGS):
            continue
        sentences += count_sentences(line)
        kept.append((s, e))
    return kept if sentences >= MIN_NUM_SENTENCES else []


class C4Lines:
    """Predicts the spans of the lines C4's heuristics keep."""

    name = "c4-lines"
    task = "extraction"
    input = "text"
    version = own_version(__file__)

    def predict(self, page: Page) -> dict[str, Any]:
        return {"id": page.id, "body_spans": [list(x) for x in kept_lines(page.text)]}

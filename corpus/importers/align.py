"""Pure functions: align gold text to rendered page text and label whole lines.

Tokens are the project's word tokens (`corpus.core.tokenize`), compared case-sensitively after NFC.
The alignment is difflib's SequenceMatcher on the two token lists (autojunk off): it takes the
longest common run first and recurses left and right of it, so a gold text that also appears
in a teaser is matched to its longest copy. A non-blank line is body when at least 2/3 of its
word tokens are aligned to gold tokens. Blank lines belong to the preceding segment.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from corpus.core.tokenize import word_strings, word_tokens

BODY_SHARE = 2 / 3
AMBIGUOUS_RUN = 20

# A line label: ("body", None) or ("boilerplate", kind); None for a blank line.
Label = tuple[str, "str | None"]
BODY: Label = ("body", None)
BOILERPLATE: Label = ("boilerplate", None)


@dataclass(frozen=True)
class Line:
    start: int
    end: int  # including the line's "\n"
    blank: bool
    first_token: int  # index into the page's word tokens
    n_tokens: int


def split_lines(text: str, spans: Sequence[tuple[int, int]]) -> list[Line]:
    """Every line of `text` (with its newline) and the range of word tokens it holds."""
    lines = []
    start, t = 0, 0
    n = len(text)
    while start < n:
        nl = text.find("\n", start)
        end = n if nl < 0 else nl + 1
        first = t
        while t < len(spans) and spans[t][0] < end:
            t += 1
        lines.append(Line(start, end, not text[start:end].strip(), first, t - first))
        start = end
    return lines


def align(gold: Sequence[str], page: Sequence[str]) -> list[tuple[int, int, int]]:
    """Matching blocks (gold index, page index, size) of a sequence alignment of two token lists."""
    ids: dict[str, int] = {}
    a = [ids.setdefault(w, len(ids)) for w in gold]
    b = [ids.setdefault(w, len(ids)) for w in page]
    sm = SequenceMatcher(None, a, b, autojunk=False)
    return [tuple(m) for m in sm.get_matching_blocks() if m.size]  # type: ignore[misc]


def is_ambiguous(
    gold: Sequence[str], page: Sequence[str], run: int = AMBIGUOUS_RUN, repeats: bool = False
) -> bool:
    """True when the gold (if shorter than `run` tokens) or any run of `run` consecutive gold
    tokens occurs more than once in the page, so the alignment could pick the wrong copy.

    With `repeats`, a run counts only when the page has more copies of it than the gold
    itself: a forum post quoted in a later post, in both the gold and the page, leaves the
    alignment nothing to choose."""
    if not gold:
        return False
    k = min(run, len(gold))
    in_gold = Counter(tuple(gold[i : i + k]) for i in range(len(gold) - k + 1))
    counts: Counter[tuple[str, ...]] = Counter()
    for i in range(len(page) - k + 1):
        g = tuple(page[i : i + k])
        if g in in_gold:
            counts[g] += 1
            if counts[g] > (in_gold[g] if repeats else 1):
                return True
    return False


def fill_wordless(labels: list[Label | None], lines: Sequence[Line]) -> list[Label | None]:
    """Non-blank lines without word tokens (`* * *`, `•  /`): body only between two body
    lines, otherwise the label of the nearest preceding worded line's boilerplate (or plain
    boilerplate)."""
    out = list(labels)
    worded = [i for i, ln in enumerate(lines) if not ln.blank and ln.n_tokens]
    prev: Label | None = None
    j = 0
    for i, ln in enumerate(lines):
        if ln.blank:
            out[i] = None
            continue
        if ln.n_tokens:
            prev = out[i]
            j += 1
            continue
        nxt = out[worded[j]] if j < len(worded) else None
        if prev == BODY and nxt == BODY:
            out[i] = BODY
        elif prev is not None and prev != BODY:
            out[i] = prev
        else:
            out[i] = nxt if nxt is not None and nxt != BODY else BOILERPLATE
    return out


def segments_from_lines(
    lines: Sequence[Line], labels: Sequence[Label | None]
) -> list[dict[str, Any]]:
    """Merge labelled lines into segments: blank lines join the preceding segment (leading
    blank lines the first one), consecutive lines with the same label and kind are one segment."""
    first = next((lab for lab in labels if lab is not None), BOILERPLATE)
    segments: list[dict[str, Any]] = []
    current: Label = first
    for ln, lab in zip(lines, labels, strict=True):
        if not segments:
            current = lab or first
            segments.append(_segment(ln.start, ln.end, current))
        elif lab is None or lab == current:
            segments[-1]["end"] = ln.end
        else:
            current = lab
            segments.append(_segment(ln.start, ln.end, lab))
    return segments


def _segment(start: int, end: int, lab: Label) -> dict[str, Any]:
    d: dict[str, Any] = {"start": start, "end": end, "label": lab[0]}
    if lab[1] is not None:
        d["kind"] = lab[1]
    return d


@dataclass(frozen=True)
class Alignment:
    """The page's lines, each line's label, and per-token alignment flags."""

    lines: list[Line]
    labels: list[Label | None]
    aligned: list[bool]  # per page word token: aligned to a gold token
    gold_tokens: int
    ambiguous: bool


def align_gold(text: str, gold: str, repeats: bool = False) -> Alignment:
    """Align `gold` to the page `text` and label each line body/boilerplate (2/3 rule);
    `repeats` as is_ambiguous takes it."""
    spans = word_tokens(text)
    page = [text[s:e] for s, e in spans]
    gold_words = word_strings(unicodedata.normalize("NFC", gold))
    aligned = [False] * len(page)
    for _, j, size in align(gold_words, page):
        for k in range(j, j + size):
            aligned[k] = True
    lines = split_lines(text, spans)
    labels: list[Label | None] = []
    for ln in lines:
        if ln.blank or not ln.n_tokens:
            labels.append(None)
            continue
        hits = sum(aligned[ln.first_token : ln.first_token + ln.n_tokens])
        labels.append(BODY if hits >= BODY_SHARE * ln.n_tokens else BOILERPLATE)
    labels = fill_wordless(labels, lines)
    ambiguous = is_ambiguous(gold_words, page, repeats=repeats)
    return Alignment(lines, labels, aligned, len(gold_words), ambiguous)


def quality(
    lines: Sequence[Line],
    labels: Sequence[Label | None],
    is_gold: Sequence[bool],
    gold_tokens: int,
    ambiguous: bool,
) -> dict[str, Any]:
    """gold_in_body: share of gold word tokens in body lines; body_is_gold: share of body-line
    word tokens that are gold. `is_gold` flags each page word token."""
    in_body = body_tokens = 0
    for ln, lab in zip(lines, labels, strict=True):
        if lab is not None and lab[0] == "body":
            body_tokens += ln.n_tokens
            in_body += sum(is_gold[ln.first_token : ln.first_token + ln.n_tokens])
    return {
        "gold_in_body": round(in_body / gold_tokens, 4) if gold_tokens else 0.0,
        "body_is_gold": round(in_body / body_tokens, 4) if body_tokens else 0.0,
        "ambiguous": ambiguous,
    }

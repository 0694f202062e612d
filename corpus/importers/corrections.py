"""Corrections that bring a source's gold to ANNOTATION_GUIDELINES.md, applied to the line
labels of an aligned page. Each is deterministic, recorded by its code in the document's
provenance (`corrections`) and counted in the import summary.

- `headline-added`: the headline is body under our guidelines; AEB's gold never has it and
  DAnIEL's sometimes differs from the page's.
- `dateline-removed`: datelines and bylines with a date are boilerplate (`metadata`).
- `credit-removed`: copyright, rights, source and contributor lines are boilerplate
  (`metadata`); benchmarks' gold often keeps them at the article's end.
"""

from __future__ import annotations

import re
from typing import Any

from corpus.core.tokenize import word_strings
from corpus.importers.align import (
    BODY,
    Label,
    Line,
    align_gold,
    quality,
    segments_from_lines,
)

TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•»]{1,2}\s+")
MIN_HEADLINE_WORDS = 3
# A dateline in the gold (`Poniedziałek, 2 stycznia 2012 (17:42)`): a short line with a clock
# time or a numeric date. Our guidelines make datelines boilerplate (`metadata`).
DATELINE_RE = re.compile(r"\b\d{1,2}:\d{2}\b|\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b")
DATELINE_MAX_WORDS = 10
# Copyright, rights, source and contributor lines, in the corpus's languages: a line that starts
# with a copyright sign or word or a source/contributor label, or states that rights are reserved.
CREDIT_RE = re.compile(
    r"^(copyright\s*(©|\(c\)|\d{4})|©|ⓒ|\(c\)\s*\d{4})"
    r"|all rights reserved|alle rechte vorbehalten|todos os direitos reservados"
    r"|tutti i diritti riservati|wszelkie prawa zastrzeżone|все права защищены"
    r"|무단전재|無断転載|版權所有|版权所有"
    r"|^(contributing|sources?|quelle|źródło|fonte|fuente|источник|πηγή|資料來源|资料来源)\s*[:：]",
    re.IGNORECASE,
)
CREDIT_MAX_WORDS = 25
METADATA: Label = ("boilerplate", "metadata")


def squash(s: str) -> str:
    return " ".join(s.split())


def headline_candidates(tree: Any) -> list[str]:
    """The page's headline as the HTML states it: <h1> texts, og:title, <title> and its parts
    split at site-name separators (` | `, ` - `, ...). Only candidates of 3+ words."""
    doc = tree.document
    cands = [squash(h.text) for h in doc.query_selector_all("h1")]
    for sel in ('meta[property="og:title"]', 'meta[name="twitter:title"]'):
        m = doc.query_selector(sel)
        if m is not None and m.getattr("content"):
            cands.append(squash(m.getattr("content")))
    if tree.title:
        title = squash(tree.title)
        cands.append(title)
        cands.extend(squash(p) for p in TITLE_SEPARATORS.split(title))
    return [c for c in dict.fromkeys(cands) if len(word_strings(c)) >= MIN_HEADLINE_WORDS]


def add_headline(
    text: str, lines: list[Line], labels: list[Label | None], candidates: list[str]
) -> bool:
    """Mark as body the line equal to a headline candidate nearest before the first body line
    (case-insensitive, white space squashed), unless a body line already is the headline.
    Returns True if a line was changed."""
    first_body = next((i for i, lab in enumerate(labels) if lab == BODY), None)
    if first_body is None or not candidates:
        return False
    wanted = {c.casefold() for c in candidates}
    for i, lab in enumerate(labels):
        ln = lines[i]
        if lab == BODY and squash(text[ln.start : ln.end]).casefold() in wanted:
            return False  # the gold already has the headline
    for i in range(first_body - 1, -1, -1):
        ln = lines[i]
        if not ln.blank and squash(text[ln.start : ln.end]).casefold() in wanted:
            labels[i] = BODY
            return True
    return False


def remove_datelines(text: str, lines: list[Line], labels: list[Label | None]) -> bool:
    """Body lines of at most 10 words holding a clock time or numeric date, and not ending like
    a sentence, become `metadata` boilerplate. Returns True if any line changed."""
    changed = False
    for i, (ln, lab) in enumerate(zip(lines, labels, strict=True)):
        line = text[ln.start : ln.end].strip()
        if (
            lab == BODY
            and 0 < ln.n_tokens <= DATELINE_MAX_WORDS
            and DATELINE_RE.search(line)
            and not line.endswith((".", "!", "?", "。"))
        ):
            labels[i] = METADATA
            changed = True
    return changed


def remove_credits(text: str, lines: list[Line], labels: list[Label | None]) -> bool:
    """Short body lines that are copyright, rights, source or contributor lines become
    `metadata` boilerplate. Returns True if any line changed."""
    changed = False
    for i, (ln, lab) in enumerate(zip(lines, labels, strict=True)):
        line = text[ln.start : ln.end].strip()
        if lab == BODY and 0 < ln.n_tokens <= CREDIT_MAX_WORDS and CREDIT_RE.search(line):
            labels[i] = METADATA
            changed = True
    return changed


def aligned_segments(
    tree: Any, text: str, gold: str, repeats: bool = False
) -> tuple[list[dict[str, Any]], dict[str, Any], list[str]]:
    """A page's segments from a benchmark's gold text: aligned line labels, then the
    corrections to our guidelines. Returns the segments, the quality figures (taken before the
    corrections, which deliberately move a headline into or a dateline out of the body: the
    figures measure the alignment) and the codes of the corrections applied."""
    a = align_gold(text, gold, repeats)
    figures = quality(a.lines, a.labels, a.aligned, a.gold_tokens, a.ambiguous)
    labels = list(a.labels)
    corrections = correct(text, a.lines, labels, headline_candidates(tree))
    return segments_from_lines(a.lines, labels), figures, corrections


def correct(
    text: str, lines: list[Line], labels: list[Label | None], headlines: list[str]
) -> list[str]:
    """Apply every correction to `labels` in place; return the codes of those that changed
    something, sorted."""
    applied = []
    if add_headline(text, lines, labels, headlines):
        applied.append("headline-added")
    if remove_datelines(text, lines, labels):
        applied.append("dateline-removed")
    if remove_credits(text, lines, labels):
        applied.append("credit-removed")
    return sorted(applied)

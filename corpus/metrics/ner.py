"""NER scores under the four SemEval-2013 task 9.1 schemes, with nervaluate's matching rules.

Spans are half-open code-point offsets. Per document, predictions are visited in order of start
offset and each is matched greedily against the gold entities not yet matched, exactly as
nervaluate 1.x does (an "overlap" needs at least 1% of the gold span, nervaluate's minimum):

- strict: correct if same boundaries and label; else incorrect if it overlaps a gold entity.
- exact: correct if same boundaries (any label); else incorrect if it overlaps.
- partial: correct if same boundaries (any label); else partial if it overlaps.
- type: correct if it overlaps a gold entity of the same label (the closest boundaries win);
  else incorrect if it overlaps one of another label.
Otherwise a prediction is spurious; unmatched gold entities are missed. Then
precision = (correct + w * partial) / actual and recall = (correct + w * partial) / possible,
with w = 0.5 for partial and type (whose partial count is always 0) and 0 for strict and exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

SCHEMES: tuple[str, ...] = ("strict", "exact", "partial", "type")
COUNTS: tuple[str, ...] = ("correct", "incorrect", "partial", "missed", "spurious")
MIN_OVERLAP_PERCENT = 1.0


class Span(NamedTuple):
    """A labelled half-open span [start, end) (a tuple: cheap to make, hash and sort)."""

    start: int
    end: int
    label: str


def _overlaps(pred: Span, gold: Span) -> bool:
    shared = min(pred.end, gold.end) - max(pred.start, gold.start)
    return shared > 0 and shared * 100.0 >= MIN_OVERLAP_PERCENT * (gold.end - gold.start)


def _window(gold: Sequence[Span], pred: Span, lo: int) -> range:
    """Indices of gold spans that can overlap `pred`, given sorted gold and a start hint."""
    hi = lo
    while hi < len(gold) and gold[hi].start < pred.end:
        hi += 1
    return range(lo, hi)


def match_counts(gold: Sequence[Span], pred: Sequence[Span], scheme: str) -> list[int]:
    """[correct, incorrect, partial, missed, spurious] of one document under `scheme`.

    `gold` and `pred` must each be sorted by start and free of overlaps (the predictions
    reader and the validator guarantee it); this keeps the greedy scan local.
    """
    counts = [0, 0, 0, 0, 0]
    matched = [False] * len(gold)
    lo = 0
    for p in pred:
        while lo < len(gold) and gold[lo].end <= p.start:
            lo += 1
        candidates = [i for i in _window(gold, p, lo) if not matched[i]]
        hit: int | None = None
        kind = 4  # spurious
        if scheme == "type":
            best = None
            for i in candidates:
                g = gold[i]
                if not _overlaps(p, g):
                    continue
                if g.label == p.label:
                    distance = abs(p.start - g.start) + abs(p.end - g.end)
                    if best is None or distance < best:
                        best, hit, kind = distance, i, 0
                elif kind == 4:
                    hit, kind = i, 1
        else:
            for i in candidates:
                g = gold[i]
                same = p.start == g.start and p.end == g.end
                if same and (scheme != "strict" or p.label == g.label):
                    hit, kind = i, 0
                    break
                if kind == 4 and _overlaps(p, g):
                    hit, kind = i, 2 if scheme == "partial" else 1
        counts[kind] += 1
        if hit is not None:
            matched[hit] = True
    counts[3] = matched.count(False)
    return counts


def _div0(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den, 0 where den == 0 (nervaluate's and seqeval's convention)."""
    return np.where(den > 0, num / np.where(den > 0, den, 1), 0.0)


def _prf(
    correct: Any, incorrect: Any, partial: Any, missed: Any, spurious: Any, scheme: str
) -> dict[str, Any]:
    """Precision, recall, F1 from counts (scalars or arrays); 0 where undefined, as nervaluate."""
    weight = 0.5 if scheme in ("partial", "type") else 0.0
    tp = correct + weight * partial
    precision = _div0(tp, correct + incorrect + partial + spurious)
    recall = _div0(tp, correct + incorrect + partial + missed)
    return {
        "precision": precision,
        "recall": recall,
        "f1": _div0(2 * precision * recall, precision + recall),
    }


def scores(counts: Sequence[float], scheme: str) -> dict[str, float]:
    """Precision, recall, F1, tp/fp/fn and the five counts from one group's summed counts."""
    correct, incorrect, partial, missed, spurious = counts
    actual = correct + incorrect + partial + spurious
    possible = correct + incorrect + partial + missed
    tp = correct + (0.5 if scheme in ("partial", "type") else 0.0) * partial
    values = {k: float(v) for k, v in _prf(*counts, scheme).items()}
    return {
        **values,
        "tp": tp,
        "fp": actual - tp,
        "fn": possible - tp,
        **dict(zip(COUNTS, counts, strict=True)),
        "actual": actual,
        "possible": possible,
    }


def document_counts(
    gold: Sequence[Span], pred: Sequence[Span], labels: Sequence[str]
) -> dict[str, dict[str, list[int]]]:
    """Counts of one document: {"all" or label: {scheme: [5 counts]}}.

    Per-label counts score only that label's gold and predicted spans, as nervaluate does.
    """
    out = {"all": {s: match_counts(gold, pred, s) for s in SCHEMES}}
    for label in labels:
        g = [x for x in gold if x.label == label]
        p = [x for x in pred if x.label == label]
        out[label] = {s: match_counts(g, p, s) for s in SCHEMES}
    return out


class NerLayout:
    """Column layout of a document's counts row: groups ("all", labels) x schemes x counts."""

    def __init__(self, labels: Sequence[str]) -> None:
        self.groups = ("all", *labels)
        self.labels = tuple(labels)
        self.width = len(self.groups) * len(SCHEMES) * len(COUNTS)

    def column(self, group: str, scheme: str) -> int:
        """Index of the first (correct) count of `group` under `scheme`."""
        return (self.groups.index(group) * len(SCHEMES) + SCHEMES.index(scheme)) * len(COUNTS)

    def row(self, counts: dict[str, dict[str, list[int]]]) -> list[int]:
        """Flatten document_counts() output into one row."""
        return [c for g in self.groups for s in SCHEMES for c in counts[g][s]]

    def prf(self, sums: np.ndarray, group: str, scheme: str) -> dict[str, np.ndarray]:
        """Vectorized precision, recall and F1 of `group` under `scheme` from summed rows."""
        i = self.column(group, scheme)
        return _prf(*(sums[..., i + k] for k in range(len(COUNTS))), scheme)

    def macro(self, sums: np.ndarray, scheme: str, labels: Sequence[str]) -> dict[str, np.ndarray]:
        """Unweighted mean over `labels` of the per-label precision, recall and F1."""
        if not labels:
            nan = np.full(sums.shape[:-1], np.nan)
            return {"precision": nan, "recall": nan, "f1": nan}
        per = [self.prf(sums, label, scheme) for label in labels]
        return {m: sum(p[m] for p in per) / len(per) for m in ("precision", "recall", "f1")}

    def statistics(self, labels_used: Sequence[str]) -> dict[str, Any]:
        """Named statistics for bootstrap intervals: micro and macro P/R/F1 per scheme."""
        stats: dict[str, Any] = {}
        for scheme in SCHEMES:
            for metric in ("precision", "recall", "f1"):
                stats[f"micro.{scheme}.{metric}"] = lambda s, sc=scheme, m=metric: self.prf(
                    s, "all", sc
                )[m]
                stats[f"macro.{scheme}.{metric}"] = lambda s, sc=scheme, m=metric: self.macro(
                    s, sc, labels_used
                )[m]
        return stats

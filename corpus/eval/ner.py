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

match_counts is the per-document reference; count_rows counts a whole corpus at once in numpy.
All gold and predicted spans become flat arrays, merged in order of (document, start), and cut
into components of spans linked by overlaps (shared code points). Predictions and gold spans
interact only within a component: a lone gold span is missed, a lone prediction spurious, a
gold span and a prediction that overlap only each other have closed-form counts (an exact
match is such a pair), and the rare larger components go through the greedy matcher
(ner.match_counts) one by one. Tests compare the result with the per-document reference.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from operator import itemgetter
from typing import Any, NamedTuple

import numpy as np

from corpus.core.labels import ENTITY_LABELS
from corpus.core.model import Span

SCHEMES: tuple[str, ...] = ("strict", "exact", "partial", "type")
COUNTS: tuple[str, ...] = ("correct", "incorrect", "partial", "missed", "spurious")
MIN_OVERLAP_PERCENT = 1.0


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


class NerLayout:
    """Column layout of a document's counts row: groups ("all", labels) x schemes x counts."""

    def __init__(self, labels: Sequence[str]) -> None:
        self.groups = ("all", *labels)
        self.labels = tuple(labels)
        self.width = len(self.groups) * len(SCHEMES) * len(COUNTS)

    def column(self, group: str, scheme: str) -> int:
        """Index of the first (correct) count of `group` under `scheme`."""
        return (self.groups.index(group) * len(SCHEMES) + SCHEMES.index(scheme)) * len(COUNTS)

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


CORRECT, INCORRECT, PARTIAL, MISSED, SPURIOUS = range(len(COUNTS))


class SpanArrays(NamedTuple):
    """Spans of many documents as parallel arrays; `label` indexes the layout's labels."""

    doc: np.ndarray
    start: np.ndarray
    end: np.ndarray
    label: np.ndarray

    def select(self, mask: np.ndarray) -> SpanArrays:
        """The spans where `mask` is true (or at the positions `mask` lists)."""
        return SpanArrays(self.doc[mask], self.start[mask], self.end[mask], self.label[mask])

    def documents(self, first: int, last: int) -> SpanArrays:
        """The spans of documents first..last-1, renumbered from 0 (`doc` must be sorted)."""
        lo, hi = np.searchsorted(self.doc, [first, last])
        return SpanArrays(
            self.doc[lo:hi] - first, self.start[lo:hi], self.end[lo:hi], self.label[lo:hi]
        )

    def of_documents(self, keep: Sequence[int]) -> SpanArrays:
        """The spans of the documents at positions `keep`, renumbered 0, 1, ... in that order."""
        positions = np.asarray(keep, dtype=np.int64)
        size = max(int(self.doc.max(initial=-1)), int(positions.max(initial=-1))) + 1
        new = np.full(size, -1, dtype=np.int64)
        new[positions] = np.arange(len(positions))
        doc = new[self.doc]
        mask = doc >= 0
        if mask.all():
            out = SpanArrays(doc, self.start, self.end, self.label)
        else:
            out = SpanArrays(doc[mask], self.start[mask], self.end[mask], self.label[mask])
        if np.all(out.doc[1:] >= out.doc[:-1]):
            return out
        return out.select(np.argsort(out.doc, kind="stable"))


NO_SPANS = SpanArrays(*(np.zeros(0, dtype=np.int64) for _ in range(4)))


class DocSpans(NamedTuple):
    """Entity spans of named documents: `spans.doc` k is document `ids[k]`, `spans.label`
    indexes ENTITY_LABELS; a document's spans are sorted by start and do not overlap."""

    ids: list[str]
    spans: SpanArrays

    @classmethod
    def from_lists(cls, entities: dict[str, Sequence[Span]]) -> DocSpans:
        """From per-document lists of Span tuples (each sorted by start)."""
        return cls(list(entities), span_arrays(list(entities.values()), ENTITY_LABELS))

    def in_order_of(self, ids: Sequence[str]) -> SpanArrays:
        """The spans of `ids`' documents, numbered by position in `ids` and sorted by it."""
        where = {ident: k for k, ident in enumerate(self.ids)}
        return self.spans.of_documents([where.get(ident, len(self.ids)) for ident in ids])

    def lists(self) -> dict[str, list[Span]]:
        """id -> list of Span tuples (for error reports and small inputs)."""
        out: dict[str, list[Span]] = {ident: [] for ident in self.ids}
        doc, start, end, label = (a.tolist() for a in self.spans)
        for d, s, e, lab in zip(doc, start, end, label, strict=True):
            out[self.ids[d]].append(Span(s, e, ENTITY_LABELS[lab]))
        return out


def span_arrays(
    docs: Sequence[Sequence[Any]], labels: Sequence[str], keys: tuple[Any, Any, Any] = (0, 1, 2)
) -> SpanArrays:
    """Flatten per-document spans (Span tuples, or dicts with keys=("start", "end", "label")).

    Iteration stays in C (map over itemgetter), so a corpus of millions of spans converts in
    about a second without making a Python object per span.
    """
    sizes = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
    total = int(sizes.sum())
    flat = list(chain.from_iterable(docs))
    index = {label: k for k, label in enumerate(labels)}

    def column(key: Any) -> np.ndarray:
        return np.fromiter(map(itemgetter(key), flat), dtype=np.int64, count=total)

    label = np.fromiter(
        map(index.__getitem__, map(itemgetter(keys[2]), flat)), dtype=np.int64, count=total
    )
    doc = np.repeat(np.arange(len(docs), dtype=np.int64), sizes)
    return SpanArrays(doc, column(keys[0]), column(keys[1]), label)


def overlap_mask(spans: SpanArrays, ranges: SpanArrays) -> np.ndarray:
    """For each span, whether it shares a code point with a range of the same document.

    The ranges of a document must not overlap each other (body segments do not).
    """
    if not len(ranges.doc) or not len(spans.doc):
        return np.zeros(len(spans.doc), dtype=bool)
    size = int(max(spans.end.max(), ranges.end.max())) + 1
    r_start = ranges.doc * size + ranges.start
    order = np.argsort(r_start, kind="stable")
    r_start, r_end = r_start[order], (ranges.doc * size + ranges.end)[order]
    s_start, s_end = spans.doc * size + spans.start, spans.doc * size + spans.end
    k = np.searchsorted(r_end, s_start, side="right")  # first range ending after the start
    inside = k < len(r_end)
    return inside & (r_start[np.minimum(k, len(r_end) - 1)] < s_end)


def count_rows(layout: NerLayout, n_docs: int, gold: SpanArrays, pred: SpanArrays) -> np.ndarray:
    """The (n_docs x layout.width) integer matrix of per-document counts.

    Within each document, gold spans must not overlap each other, nor predicted spans each
    other (the validator and the predictions reader guarantee it), as for match_counts.
    """
    shape = (n_docs, len(layout.groups), len(SCHEMES), len(COUNTS))
    rows = np.zeros(shape, dtype=np.int64)
    n_gold = len(gold.doc)
    if n_gold + len(pred.doc):
        size = int(max(gold.end.max(initial=0), pred.end.max(initial=0))) + 1
        if n_docs * size >= 2**62:
            raise ValueError("documents too long for one int64 position key")
        doc = np.concatenate([gold.doc, pred.doc])
        start = np.concatenate([gold.start, pred.start])
        end = np.concatenate([gold.end, pred.end])
        label = np.concatenate([gold.label, pred.label])
        order = np.argsort(doc * size + start, kind="stable")  # gold first on equal starts
        doc, start, end, label = doc[order], start[order], end[order], label[order]
        is_pred = order >= n_gold
        reach = np.maximum.accumulate(doc * size + end)
        first = np.ones(len(doc), dtype=bool)
        first[1:] = doc[1:] * size + start[1:] >= reach[:-1]
        comp = np.cumsum(first) - 1
        heads = np.flatnonzero(first)
        preds_in = np.bincount(comp, weights=is_pred).astype(np.int64)
        golds_in = np.diff(np.append(heads, len(doc))) - preds_in

        def lone(kind: int, who: np.ndarray) -> None:
            _add_all_schemes(rows, doc[who], label[who], kind)

        lone(MISSED, heads[(golds_in == 1) & (preds_in == 0)])
        lone(SPURIOUS, heads[(golds_in == 0) & (preds_in == 1)])
        pairs = heads[(golds_in == 1) & (preds_in == 1)]
        g = np.where(is_pred[pairs], pairs + 1, pairs)
        p = np.where(is_pred[pairs], pairs, pairs + 1)
        shared = np.minimum(end[p], end[g]) - np.maximum(start[p], start[g])
        overlaps = shared * 100.0 >= MIN_OVERLAP_PERCENT * (end[g] - start[g])
        lone(MISSED, g[~overlaps])
        lone(SPURIOUS, p[~overlaps])
        g, p = g[overlaps], p[overlaps]
        _add_pairs(rows, doc[g], label[g], label[p], (start[g] == start[p]) & (end[g] == end[p]))
        for c in np.flatnonzero((golds_in > 1) | (preds_in > 1)):
            members = range(heads[c], heads[c] + golds_in[c] + preds_in[c])
            spans = [Span(int(start[i]), int(end[i]), layout.labels[label[i]]) for i in members]
            _add_component(
                rows[doc[heads[c]]],
                layout,
                [s for s, i in zip(spans, members, strict=True) if not is_pred[i]],
                [s for s, i in zip(spans, members, strict=True) if is_pred[i]],
            )
    return rows.reshape(n_docs, layout.width)


def _add_all_schemes(rows: np.ndarray, doc: np.ndarray, label: np.ndarray, kind: int) -> None:
    """Add one `kind` count per span to its document's "all" group and its label's group."""
    rows[:, 0, :, kind] += np.bincount(doc, minlength=rows.shape[0])[:, None]
    _add_all_label_groups(rows, doc, label, kind)


def _add_pairs(
    rows: np.ndarray, doc: np.ndarray, g_label: np.ndarray, p_label: np.ndarray, same: np.ndarray
) -> None:
    """Counts of one-to-one overlapping pairs, in closed form (what match_counts gives them).

    A pair's outcome under every scheme follows from two facts: same boundaries, same label.
    So each document's pairs are counted once per combination, then summed into the schemes.
    """
    n_docs, n_labels = rows.shape[0], rows.shape[1] - 1
    label_eq = g_label == p_label
    # "all" group: per document, pairs with [neither, same label only, same bounds only, both]
    kinds = np.bincount(doc * 4 + same * 2 + label_eq, minlength=n_docs * 4).reshape(n_docs, 4)
    neither, label_only, bounds_only, both = kinds.T
    every = rows[:, 0]  # (docs x schemes x counts) view
    strict, exact, partial, typed = (
        SCHEMES.index(s) for s in ("strict", "exact", "partial", "type")
    )
    every[:, strict, CORRECT] += both
    every[:, strict, INCORRECT] += neither + label_only + bounds_only
    every[:, exact, CORRECT] += both + bounds_only
    every[:, exact, INCORRECT] += neither + label_only
    every[:, partial, CORRECT] += both + bounds_only
    every[:, partial, PARTIAL] += neither + label_only
    every[:, typed, CORRECT] += both + label_only
    every[:, typed, INCORRECT] += neither + bounds_only
    # same label: scored in its label's group as in "all" (strict = exact there)
    cell = (doc[label_eq] * n_labels + g_label[label_eq]) * 2 + same[label_eq]
    per = np.bincount(cell, minlength=n_docs * n_labels * 2).reshape(n_docs, n_labels, 2)
    moved, kept = per[..., 0], per[..., 1]
    groups = rows[:, 1:]  # (docs x labels x schemes x counts) view
    groups[:, :, strict, CORRECT] += kept
    groups[:, :, strict, INCORRECT] += moved
    groups[:, :, exact, CORRECT] += kept
    groups[:, :, exact, INCORRECT] += moved
    groups[:, :, partial, CORRECT] += kept
    groups[:, :, partial, PARTIAL] += moved
    groups[:, :, typed, CORRECT] += kept + moved
    # different labels: in the label groups they never meet (missed gold, spurious prediction)
    differ = ~label_eq
    _add_all_label_groups(rows, doc[differ], g_label[differ], MISSED)
    _add_all_label_groups(rows, doc[differ], p_label[differ], SPURIOUS)


def _add_all_label_groups(rows: np.ndarray, doc: np.ndarray, label: np.ndarray, kind: int) -> None:
    """Add one `kind` count per span to its label's group only, under every scheme."""
    n_docs, n_labels = rows.shape[0], rows.shape[1] - 1
    per_label = np.bincount(doc * n_labels + label, minlength=n_docs * n_labels)
    rows[:, 1:, :, kind] += per_label.reshape(n_docs, n_labels)[:, :, None]


def _add_component(row: np.ndarray, layout: NerLayout, gold: list[Span], pred: list[Span]) -> None:
    """Counts of a component with several spans on one side, by the greedy matcher, added to
    one document's (groups x schemes x counts) block."""
    for group in ("all", *{x.label for x in (*gold, *pred)}):
        g = [x for x in gold if group in ("all", x.label)]
        p = [x for x in pred if group in ("all", x.label)]
        for k, scheme in enumerate(SCHEMES):
            row[layout.groups.index(group), k, :] += match_counts(g, p, scheme)

"""NER count rows of a whole corpus at once, in numpy: NerLayout.row(document_counts(...)) for
every document, without a Python object per span.

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

from corpus.metrics.ner import COUNTS, MIN_OVERLAP_PERCENT, SCHEMES, NerLayout, Span, match_counts

CORRECT, INCORRECT, PARTIAL, MISSED, SPURIOUS = range(len(COUNTS))


class SpanArrays(NamedTuple):
    """Spans of many documents as parallel arrays; `label` indexes the layout's labels."""

    doc: np.ndarray
    start: np.ndarray
    end: np.ndarray
    label: np.ndarray

    def select(self, mask: np.ndarray) -> SpanArrays:
        """The spans where `mask` is true."""
        return SpanArrays(self.doc[mask], self.start[mask], self.end[mask], self.label[mask])


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
    """Counts of one-to-one overlapping pairs, in closed form (what match_counts gives them)."""
    n_docs, n_groups = rows.shape[0], rows.shape[1]
    n_counts = rows.shape[3]
    label_eq = g_label == p_label
    outcomes = {  # scheme -> count index of the pair in the "all" group
        "strict": np.where(same & label_eq, CORRECT, INCORRECT),
        "exact": np.where(same, CORRECT, INCORRECT),
        "partial": np.where(same, CORRECT, PARTIAL),
        "type": np.where(label_eq, CORRECT, INCORRECT),
    }
    for k, scheme in enumerate(SCHEMES):
        flat = np.bincount(doc * n_counts + outcomes[scheme], minlength=n_docs * n_counts)
        rows[:, 0, k, :] += flat.reshape(n_docs, n_counts)
        # same label: the pair is scored in its label's group as in "all", and type is correct
        kind = outcomes["exact" if scheme == "strict" else scheme][label_eq]
        if scheme == "type":
            kind = np.full(int(label_eq.sum()), CORRECT)
        cell = (doc[label_eq] * (n_groups - 1) + g_label[label_eq]) * n_counts + kind
        flat = np.bincount(cell, minlength=n_docs * (n_groups - 1) * n_counts)
        rows[:, 1:, k, :] += flat.reshape(n_docs, n_groups - 1, n_counts)
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

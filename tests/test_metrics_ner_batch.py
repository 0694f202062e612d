"""The corpus-at-once NER counts equal the per-document reference (NerLayout.row of
document_counts, the greedy matcher checked against nervaluate in test_metrics_ner)."""

from __future__ import annotations

import random
from itertools import pairwise

import numpy as np
import pytest
from reference_metrics import document_counts, layout_row

from corpus.core.labels import ENTITY_LABELS
from corpus.core.model import Span
from corpus.eval.gold import Gold
from corpus.eval.ner import NerLayout, count_rows, overlap_mask, span_arrays
from corpus.eval.predictions import Predictions
from corpus.eval.results import in_body, ner_counts

LAYOUT = NerLayout(ENTITY_LABELS)


def disjoint_spans(rng: random.Random, length: int, density: float) -> list[Span]:
    """Random non-overlapping character spans, some long (so 1% overlaps can be tiny)."""
    out, i = [], rng.randint(0, 5)
    while i < length:
        size = rng.choice([1, 2, 3, 5, 8, 150, 400]) if rng.random() < density else 0
        if size:
            out.append(Span(i, min(length, i + size), rng.choice(ENTITY_LABELS)))
        i += max(size, 1) + rng.choice([0, 0, 1, 2, 7])
    return out


def random_corpus(rng: random.Random) -> tuple[list[list[Span]], list[list[Span]]]:
    golds, preds = [], []
    for _ in range(rng.randint(1, 25)):
        length = rng.choice([0, 10, 60, 1000])
        gold = disjoint_spans(rng, length, rng.random())
        pred = disjoint_spans(rng, length, rng.random())
        if rng.random() < 0.5:  # mostly copies of gold, as real systems produce
            pred = [
                g if rng.random() < 0.6 else Span(g.start, g.end, rng.choice(ENTITY_LABELS))
                for g in gold
                if rng.random() < 0.8
            ]
        golds.append(gold)
        preds.append(pred)
    return golds, preds


def reference_rows(golds: list[list[Span]], preds: list[list[Span]]) -> np.ndarray:
    rows = [
        layout_row(LAYOUT, document_counts(g, p, ENTITY_LABELS))
        for g, p in zip(golds, preds, strict=True)
    ]
    return np.asarray(rows, dtype=np.int64).reshape(len(golds), LAYOUT.width)


def batch_rows(golds: list[list[Span]], preds: list[list[Span]]) -> np.ndarray:
    return count_rows(
        LAYOUT, len(golds), span_arrays(golds, ENTITY_LABELS), span_arrays(preds, ENTITY_LABELS)
    )


@pytest.mark.parametrize("seed", range(60))
def test_batch_rows_equal_the_greedy_reference(seed: int) -> None:
    golds, preds = random_corpus(random.Random(9000 + seed))
    np.testing.assert_array_equal(batch_rows(golds, preds), reference_rows(golds, preds))


@pytest.mark.parametrize(
    ("gold", "pred"),
    [
        ([Span(0, 300, "MISC")], [Span(299, 310, "MISC")]),  # overlap under 1%: no match
        ([Span(0, 300, "MISC")], [Span(290, 310, "PER")]),  # overlap, other label
        ([Span(0, 5, "PER")], [Span(0, 5, "ORG")]),  # same boundaries, other label
        ([Span(0, 5, "PER")], [Span(0, 5, "PER")]),  # exact match
        (  # a chain: two gold spans and two predictions in one component
            [Span(0, 300, "MISC"), Span(310, 320, "PER"), Span(330, 340, "PER")],
            [Span(299, 312, "PER"), Span(315, 335, "PER"), Span(400, 410, "LOC")],
        ),
        ([], [Span(3, 4, "LOC")]),
        ([Span(3, 4, "LOC")], []),
        ([], []),
    ],
)
def test_batch_rows_hand_cases(gold: list[Span], pred: list[Span]) -> None:
    np.testing.assert_array_equal(batch_rows([gold], [pred]), reference_rows([gold], [pred]))


def test_no_spans_at_all_gives_zero_rows() -> None:
    assert batch_rows([[], []], [[], []]).shape == (2, LAYOUT.width)
    assert not batch_rows([[], []], [[], []]).any()


@pytest.mark.parametrize("seed", range(20))
def test_overlap_mask_equals_in_body(seed: int) -> None:
    rng = random.Random(seed)
    golds, _ = random_corpus(rng)
    records = []
    for gold in golds:
        length = max([x.end for x in gold], default=0) + rng.randint(1, 20)
        cuts = sorted({0, length, *(rng.randrange(length) for _ in range(rng.randint(0, 6)))})
        segments = [
            {"start": a, "end": b, "label": rng.choice(["body", "boilerplate"])}
            for a, b in pairwise(cuts)
        ]
        records.append({"segments": segments})
    body = span_arrays(
        [[s for s in r["segments"] if s["label"] == "body"] for r in records],
        ["body"],
        ("start", "end", "label"),
    )
    spans = span_arrays(golds, ENTITY_LABELS)
    expected = [
        in_body(r["segments"], x.start, x.end)
        for r, g in zip(records, golds, strict=True)
        for x in g
    ]
    assert overlap_mask(spans, body).tolist() == expected


@pytest.mark.parametrize("scope", ["page", "body"])
def test_blocks_do_not_change_the_counts(scope: str) -> None:
    rng = random.Random(7)
    golds, preds = random_corpus(rng)
    n = len(golds)
    gold = Gold(
        [f"d{k}" for k in range(n)],
        ["und"] * n,
        [None] * n,
        [[{"start": 0, "end": 500, "label": "body"}] for _ in range(n)],
        [[x._asdict() for x in g] for g in golds],
    )
    predictions = Predictions.of_entities({f"d{k}": p for k, p in enumerate(preds)})
    one, used_one = ner_counts(LAYOUT, gold, predictions, scope)
    small, used_small = ner_counts(LAYOUT, gold, predictions, scope, block=3)
    np.testing.assert_array_equal(one, small)
    np.testing.assert_array_equal(used_one, used_small)
    if scope == "page":
        np.testing.assert_array_equal(one, reference_rows(golds, preds))

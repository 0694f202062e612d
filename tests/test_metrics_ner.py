"""NER metrics: hand-computed cases and randomized equality with nervaluate, seqeval, conlleval."""

from __future__ import annotations

import random
from typing import ClassVar

import pytest
from nervaluate import Evaluator
from reference_metrics import document_counts, layout_row
from seqeval.metrics import f1_score as seqeval_f1
from seqeval.scheme import IOB2

from corpus.core.bio import bio_tags, spans_from_tags
from corpus.core.labels import ENTITY_LABELS
from corpus.core.model import Span
from corpus.eval.ner import COUNTS, SCHEMES, NerLayout, match_counts
from corpus.eval.ner import scores as ner_scores


def f1_of(gold: list[Span], pred: list[Span], scheme: str) -> float:
    return ner_scores(match_counts(gold, pred, scheme), scheme)["f1"]


class TestHandComputed:
    gold: ClassVar = [Span(0, 5, "PER"), Span(10, 15, "ORG")]
    pred: ClassVar = [Span(0, 5, "PER"), Span(10, 12, "ORG"), Span(20, 22, "LOC")]

    def test_counts(self) -> None:
        assert match_counts(self.gold, self.pred, "strict") == [1, 1, 0, 0, 1]
        assert match_counts(self.gold, self.pred, "exact") == [1, 1, 0, 0, 1]
        assert match_counts(self.gold, self.pred, "partial") == [1, 0, 1, 0, 1]
        assert match_counts(self.gold, self.pred, "type") == [2, 0, 0, 0, 1]

    def test_scores(self) -> None:
        # strict: P = 1/3, R = 1/2 -> F1 = 2 * (1/6) / (5/6) = 0.4
        assert f1_of(self.gold, self.pred, "strict") == pytest.approx(0.4)
        # partial: P = 1.5/3, R = 1.5/2 -> F1 = 0.6
        s = ner_scores(match_counts(self.gold, self.pred, "partial"), "partial")
        assert (s["precision"], s["recall"], s["f1"]) == pytest.approx((0.5, 0.75, 0.6))
        assert (s["tp"], s["fp"], s["fn"]) == (1.5, 1.5, 0.5)
        # type: P = 2/3, R = 1 -> F1 = 0.8
        assert f1_of(self.gold, self.pred, "type") == pytest.approx(0.8)

    def test_wrong_label_same_boundaries(self) -> None:
        gold, pred = [Span(0, 5, "PER")], [Span(0, 5, "ORG")]
        assert match_counts(gold, pred, "strict") == [0, 1, 0, 0, 0]
        assert match_counts(gold, pred, "exact") == [1, 0, 0, 0, 0]
        assert match_counts(gold, pred, "partial") == [1, 0, 0, 0, 0]
        assert match_counts(gold, pred, "type") == [0, 1, 0, 0, 0]

    @pytest.mark.parametrize("scheme", SCHEMES)
    def test_no_predictions(self, scheme: str) -> None:
        s = ner_scores(match_counts(self.gold, [], scheme), scheme)
        assert (s["precision"], s["recall"], s["f1"], s["missed"]) == (0, 0, 0, 2)

    @pytest.mark.parametrize("scheme", SCHEMES)
    def test_no_gold(self, scheme: str) -> None:
        s = ner_scores(match_counts([], self.pred, scheme), scheme)
        assert (s["precision"], s["recall"], s["f1"], s["spurious"]) == (0, 0, 0, 3)

    @pytest.mark.parametrize("scheme", SCHEMES)
    def test_empty_document(self, scheme: str) -> None:
        s = ner_scores(match_counts([], [], scheme), scheme)
        assert (s["precision"], s["recall"], s["f1"], s["actual"], s["possible"]) == (0,) * 5

    def test_overlap_below_one_percent_of_gold_is_no_overlap(self) -> None:
        gold, pred = [Span(0, 300, "MISC")], [Span(299, 310, "MISC")]
        assert match_counts(gold, pred, "partial") == [0, 0, 0, 1, 1]
        assert match_counts(gold, [Span(290, 310, "MISC")], "partial") == [0, 0, 1, 0, 0]

    def test_per_label_scores_only_that_label(self) -> None:
        counts = document_counts(self.gold, self.pred, ENTITY_LABELS)
        assert counts["ORG"]["strict"] == [0, 1, 0, 0, 0]
        assert counts["LOC"]["strict"] == [0, 0, 0, 0, 1]
        assert counts["MISC"]["strict"] == [0, 0, 0, 0, 0]


def random_document(rng: random.Random) -> tuple[list[tuple[int, int]], list[Span], list[Span]]:
    """Token-aligned gold and perturbed predictions over n two-character tokens."""
    n = rng.randint(0, 30)
    tokens = [(3 * i, 3 * i + 2) for i in range(n)]

    def spans(p_start: float) -> list[Span]:
        out, i = [], 0
        while i < n:
            if rng.random() < p_start:
                j = min(n - 1, i + rng.randint(0, 3))
                out.append(Span(tokens[i][0], tokens[j][1], rng.choice(ENTITY_LABELS)))
                i = j + 1 + rng.randint(0, 1)
            else:
                i += 1
        return out

    gold = spans(0.3)
    pred: list[Span] = []

    def add(x: Span) -> None:  # predictions files may not hold overlapping spans
        if all(x.end <= p.start or p.end <= x.start for p in pred):
            pred.append(x)

    for g in gold:
        r = rng.random()
        if r < 0.4:
            add(g)
        elif r < 0.55:
            add(Span(g.start, g.end, rng.choice(ENTITY_LABELS)))
        elif r < 0.75:
            i = tokens.index(next(t for t in tokens if t[0] == g.start))
            j = min(n - 1, i + rng.randint(0, 2))
            add(Span(tokens[i][0], tokens[j][1], g.label))
    for x in spans(0.1):
        add(x)
    return tokens, sorted(gold), sorted(pred)


def nervaluate_counts(golds: list[list[Span]], preds: list[list[Span]]) -> dict:
    def dicts(docs: list[list[Span]]) -> list[list[dict]]:
        return [[{"label": s.label, "start": s.start, "end": s.end - 1} for s in d] for d in docs]

    return Evaluator(dicts(golds), dicts(preds), tags=list(ENTITY_LABELS), loader="dict").evaluate()


NERVALUATE_NAME = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}


@pytest.mark.parametrize("seed", range(25))
def test_all_schemes_equal_nervaluate(seed: int) -> None:
    rng = random.Random(seed)
    docs = [random_document(rng) for _ in range(rng.randint(1, 12))]
    golds, preds = [d[1] for d in docs], [d[2] for d in docs]
    if not any(golds) and not any(preds):
        golds[0] = [Span(0, 2, "PER")]
    reference = nervaluate_counts(golds, preds)
    layout = NerLayout(ENTITY_LABELS)
    rows = [
        layout_row(layout, document_counts(g, p, ENTITY_LABELS))
        for g, p in zip(golds, preds, strict=True)
    ]
    sums = [sum(col) for col in zip(*rows, strict=True)]
    for scheme in SCHEMES:
        theirs = reference["overall"][NERVALUATE_NAME[scheme]]
        i = layout.column("all", scheme)
        ours = ner_scores(sums[i : i + 5], scheme)
        for name in COUNTS:
            assert ours[name] == getattr(theirs, name), (scheme, name)
        for m in ("precision", "recall", "f1"):
            assert ours[m] == pytest.approx(getattr(theirs, m), abs=1e-12), (scheme, m)
        for label, per_scheme in reference["entities"].items():
            i = layout.column(label, scheme)
            ours = ner_scores(sums[i : i + 5], scheme)
            theirs = per_scheme[NERVALUATE_NAME[scheme]]
            assert [ours[c] for c in COUNTS] == [getattr(theirs, c) for c in COUNTS]
            assert ours["f1"] == pytest.approx(theirs.f1, abs=1e-12)


def conlleval_chunks(tags: list[str]) -> set[tuple[int, int, str]]:
    """Chunks by conlleval.pl's startOfChunk/endOfChunk rules (an independent transcription)."""
    chunks, start, prev_tag, prev_type = set(), None, "O", ""
    for i, tag in enumerate([*tags, "O"]):
        t, typ = [*tag.split("-", 1), ""][:2] if tag != "O" else ("O", "")
        end = prev_tag in ("B", "I") and (t in ("B", "O") or (t == "I" and typ != prev_type))
        begin = t == "B" or (t == "I" and (prev_tag == "O" or typ != prev_type))
        if end and start is not None:
            chunks.add((start, i, prev_type))
            start = None
        if begin:
            start = i
        prev_tag, prev_type = t, typ
    return chunks


@pytest.mark.parametrize("seed", range(25))
def test_strict_micro_f1_equals_seqeval_and_conlleval(seed: int) -> None:
    rng = random.Random(1000 + seed)
    docs = [random_document(rng) for _ in range(rng.randint(1, 12))]
    y_true = [bio_tags(t, g) for t, g, _ in docs]
    y_pred = [bio_tags(t, p) for t, _, p in docs]
    if not any(t != "O" for seq in y_true + y_pred for t in seq):
        return
    counts = [0] * 5
    for _, g, p in docs:
        counts = [a + b for a, b in zip(counts, match_counts(g, p, "strict"), strict=True)]
    ours = ner_scores(counts, "strict")["f1"]
    assert ours == pytest.approx(seqeval_f1(y_true, y_pred, mode="strict", scheme=IOB2))
    assert ours == pytest.approx(seqeval_f1(y_true, y_pred))
    correct = found = gold = 0
    for t, p in zip(y_true, y_pred, strict=True):
        ct, cp = conlleval_chunks(t), conlleval_chunks(p)
        correct, found, gold = correct + len(ct & cp), found + len(cp), gold + len(ct)
    precision = correct / found if found else 0.0
    recall = correct / gold if gold else 0.0
    conll = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    assert ours == pytest.approx(conll)


@pytest.mark.parametrize("seed", range(10))
def test_bio_round_trip(seed: int) -> None:
    tokens, gold, _ = random_document(random.Random(seed))
    decoded = spans_from_tags(tokens, bio_tags(tokens, gold))
    assert decoded == [(g.start, g.end, g.label) for g in gold]


def test_decoding_follows_conlleval_for_invalid_sequences() -> None:
    tokens = [(i, i + 1) for i in range(0, 12, 2)]
    tags = ["I-PER", "I-PER", "B-PER", "I-ORG", "O", "I-LOC"]
    assert spans_from_tags(tokens, tags) == [
        (0, 3, "PER"),
        (4, 5, "PER"),
        (6, 7, "ORG"),
        (10, 11, "LOC"),
    ]
    assert {(a, b, c) for a, b, c in conlleval_chunks(tags)} == {
        (0, 2, "PER"),
        (2, 3, "PER"),
        (3, 4, "ORG"),
        (5, 6, "LOC"),
    }

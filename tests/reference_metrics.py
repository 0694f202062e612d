"""Reference implementations kept only for the tests: slower per-document forms of what the
package computes in bulk, and small helpers the tests compare against."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from corpus.core.model import Span
from corpus.core.normalize import normalize_text
from corpus.core.tokenize import Offsets, word_strings
from corpus.eval.extraction import _grams, lcs_pairs, shingle_tokens
from corpus.eval.ner import SCHEMES, NerLayout, match_counts


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


def layout_row(layout: NerLayout, counts: dict[str, dict[str, list[int]]]) -> list[int]:
    """Flatten document_counts() output into one row of `layout`."""
    return [c for g in layout.groups for s in SCHEMES for c in counts[g][s]]


def tokens_from_text(text: str, tokens: Sequence[Offsets], predicted: str) -> set[int]:
    """Indices of the document's word tokens aligned to the predicted text's word tokens."""
    return aligned_tokens([text[s:e] for s, e in tokens], predicted_words(predicted))


def predicted_words(predicted: str) -> list[str]:
    """The word tokens of a predicted text, normalized like raw files first."""
    return word_strings(normalize_text(predicted))


def aligned_tokens(doc_words: Sequence[str], pred_words: Sequence[str]) -> set[int]:
    """Indices of the document's words in the LCS alignment with the predicted words."""
    return {j for _, j in lcs_pairs(pred_words, doc_words)}


def token_counts(gold: set[int], predicted: set[int]) -> tuple[int, int, int]:
    """(tp, fp, fn) of predicted body token positions against gold body token positions."""
    tp = len(gold & predicted)
    return tp, len(predicted) - tp, len(gold) - tp


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Multiset of n-token shingles; a text of 1..n-1 tokens is one short shingle."""
    return _grams(shingle_tokens(text), n)

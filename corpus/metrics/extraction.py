"""Extraction scores: body tokens by position, and the article-extraction benchmark's shingles.

Token scores count the shared tokenizer's word tokens (corpus.tokenize.word_tokens). A
prediction given as spans marks every word token it overlaps as body; a prediction given as
text is first aligned to the document's word tokens by a longest common subsequence, so each
predicted token is credited to at most one position, in order, and a line that appears twice on
a page is credited once unless the system output it twice.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from corpus.metrics.bootstrap import Statistic
from corpus.normalize import normalize_text
from corpus.tokenize import WORD_RE, Span

SHINGLE_TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


def lcs_pairs(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Index pairs (i, j) of a longest common subsequence of `a` and `b`, in order.

    Bit-parallel LCS (Hyyrö 2004) with Python integers as bit vectors: bit j-1 of row i is 0
    exactly when L[i][j] = L[i][j-1] + 1. The trace-back from (len(a), len(b)) moves left
    whenever that bit is 1 (b[j-1] is not needed), so among equally long alignments the one
    using the earliest positions of `b` is taken; otherwise it takes the match on the diagonal,
    or moves up.
    """
    n, m = len(a), len(b)
    if not n or not m:
        return []
    embedded = _leftmost_embedding(a, b)
    if embedded is not None:
        return embedded
    masks: dict[str, int] = {}
    for j, tok in enumerate(b):
        masks[tok] = masks.get(tok, 0) | (1 << j)
    full = (1 << m) - 1
    rows = [full]
    v = full
    for tok in a:
        u = v & masks.get(tok, 0)
        v = ((v + u) | (v - u)) & full
        rows.append(v)
    pairs = []
    i, j = n, m
    while i and j:
        if (rows[i] >> (j - 1)) & 1:  # skip the whole run of 1-bits below j at once
            zeros = ~rows[i] & ((1 << j) - 1)
            j = zeros.bit_length()
        elif a[i - 1] == b[j - 1]:
            i, j = i - 1, j - 1
            pairs.append((i, j))
        else:
            i -= 1
    pairs.reverse()
    return pairs


def _leftmost_embedding(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]] | None:
    """If `a` is a subsequence of `b`, the pairs of its greedy leftmost embedding, else None.

    That embedding is the alignment lcs_pairs would trace back (each a[i] at the smallest
    position where a[:i+1] fits), found by C-level scans; extractors that copy the page's text
    produce such predictions, so the bit-parallel pass is only needed when words differ.
    """
    pairs = []
    index = b.index if isinstance(b, list) else list(b).index
    j = 0
    try:
        for i, tok in enumerate(a):
            j = index(tok, j)
            pairs.append((i, j))
            j += 1
    except ValueError:
        return None
    return pairs


def tokens_from_spans(tokens: Sequence[Span], spans: Sequence[tuple[int, int]]) -> set[int]:
    """Indices of the word tokens that overlap any of the (sorted, disjoint) spans."""
    chosen: set[int] = set()
    k = 0
    ordered = sorted(spans)
    for idx, (s, e) in enumerate(tokens):
        while k < len(ordered) and ordered[k][1] <= s:
            k += 1
        if k < len(ordered) and ordered[k][0] < e:
            chosen.add(idx)
    return chosen


def tokens_from_text(text: str, tokens: Sequence[Span], predicted: str) -> set[int]:
    """Indices of the document's word tokens aligned to the predicted text's word tokens."""
    return aligned_tokens([text[s:e] for s, e in tokens], predicted_words(predicted))


def predicted_words(predicted: str) -> list[str]:
    """The word tokens of a predicted text, normalized like raw files first."""
    return WORD_RE.findall(normalize_text(predicted))


def aligned_tokens(doc_words: Sequence[str], pred_words: Sequence[str]) -> set[int]:
    """Indices of the document's words in the LCS alignment with the predicted words."""
    return {j for _, j in lcs_pairs(pred_words, doc_words)}


def token_counts(gold: set[int], predicted: set[int]) -> tuple[int, int, int]:
    """(tp, fp, fn) of predicted body token positions against gold body token positions."""
    tp = len(gold & predicted)
    return tp, len(predicted) - tp, len(gold) - tp


def shingle_tokens(text: str) -> list[str]:
    """Tokens of the shingle measure: the benchmark's `\\w+` regex, case kept."""
    return SHINGLE_TOKEN_RE.findall(text or "")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Multiset of n-token shingles; a text of 1..n-1 tokens is one short shingle."""
    return _grams(shingle_tokens(text), n)


def _grams(tokens: list[str], n: int) -> Counter[tuple[str, ...]]:
    if len(tokens) < n:
        return Counter([tuple(tokens)] if tokens else [])
    return Counter(zip(*(tokens[k:] for k in range(n)), strict=False))  # n-grams


def shingle_counts(gold: str, predicted: str, n: int = 4) -> tuple[float, float, float]:
    """Per-document (tp, fp, fn) over shingle multisets, normalized to sum to 1 (if non-zero)."""
    return shingle_counts_of(shingle_tokens(gold), shingle_tokens(predicted), n)


def shingle_counts_of(
    gold: list[str], predicted: list[str], n: int = 4
) -> tuple[float, float, float]:
    """shingle_counts from the two texts' `\\w+` tokens."""
    g, p = _grams(gold, n), _grams(predicted, n)
    common = g.keys() & p.keys()
    # tp = sum of min(g[k], p[k]) over common keys: 1 each, plus the excess of keys that
    # occur more than once on both sides
    small, large = (g, p) if len(g) < len(p) else (p, g)
    tp = float(
        len(common)
        + sum(min(c, large[k]) - 1 for k, c in small.items() if c > 1 and large.get(k, 0) > 1)
    )
    fp = float(p.total()) - tp
    fn = float(g.total()) - tp
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (tp, fp, fn)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def shingle_accuracy(gold: str, predicted: str) -> float:
    """1.0 if the two texts have the same `\\w+` token sequence, else 0.0 (benchmark accuracy)."""
    return float(shingle_tokens(gold) == shingle_tokens(predicted))


def _defined(value: float | None) -> list[float]:
    return [0.0, 0.0] if value is None else [value, 1.0]


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


# One row per document; corpus figures are functions of the column sums (see bootstrap.py).
COLUMNS: tuple[str, ...] = (
    "tp", "fp", "fn",
    "p_sum", "p_n", "r_sum", "r_n", "f1_sum", "f1_n",
    "sp_sum", "sp_n", "sr_sum", "sr_n", "accuracy_sum", "documents",
)  # fmt: skip


def document_row(
    token: tuple[int, int, int], shingle: tuple[float, float, float], accuracy: float
) -> list[float]:
    """A document's contribution: token counts, its defined per-document token P/R/F1 (for
    macro means), its shingle P/R where the benchmark defines them, and its accuracy."""
    tp, fp, fn = token
    p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    f1 = None if p is None or r is None else (2 * p * r / (p + r) if p + r else 0.0)
    sp = _precision(*shingle) if shingle[0] + shingle[1] > 0 else None
    sr = _recall(*shingle) if shingle[0] + shingle[2] > 0 else None
    return [tp, fp, fn, *_defined(p), *_defined(r), *_defined(f1), *_defined(sp),
            *_defined(sr), accuracy, 1.0]  # fmt: skip


def _col(sums: np.ndarray, name: str) -> np.ndarray:
    return sums[..., COLUMNS.index(name)]


def _nan_div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def _f1(p: np.ndarray, r: np.ndarray) -> np.ndarray:
    return np.where(
        p + r > 0, 2 * p * r / np.where(p + r > 0, p + r, 1), np.where(np.isnan(p + r), np.nan, 0.0)
    )


def statistics() -> dict[str, Statistic]:
    """Named corpus figures as functions of summed document rows (nan where undefined)."""

    def micro_p(s: np.ndarray) -> np.ndarray:
        return _nan_div(_col(s, "tp"), _col(s, "tp") + _col(s, "fp"))

    def micro_r(s: np.ndarray) -> np.ndarray:
        return _nan_div(_col(s, "tp"), _col(s, "tp") + _col(s, "fn"))

    def mean_of(name: str) -> Statistic:
        return lambda s: _nan_div(_col(s, f"{name}_sum"), _col(s, f"{name}_n"))

    sp, sr = mean_of("sp"), mean_of("sr")
    return {
        "token.micro.precision": micro_p,
        "token.micro.recall": micro_r,
        "token.micro.f1": lambda s: _f1(micro_p(s), micro_r(s)),
        "token.macro.precision": mean_of("p"),
        "token.macro.recall": mean_of("r"),
        "token.macro.f1": mean_of("f1"),
        "shingle4.precision": sp,
        "shingle4.recall": sr,
        "shingle4.f1": lambda s: _f1(sp(s), sr(s)),
        "shingle4.accuracy": lambda s: _nan_div(_col(s, "accuracy_sum"), _col(s, "documents")),
    }


def figures(sums: np.ndarray) -> dict[str, float | None]:
    """Every named statistic on one vector of sums, nan turned into None."""
    out = {}
    for name, stat in statistics().items():
        value = float(stat(sums))
        out[name] = None if np.isnan(value) else value
    return out


def score_texts(
    predicted: dict[str, str], gold: dict[str, str], measure: str = "shingle4"
) -> dict[str, float | None]:
    """Score extracted texts against gold body texts, keyed by document id.

    measure="shingle4" reproduces the article-extraction benchmark: precision, recall, F1 and
    accuracy, comparable with its published tables. The two dicts must have the same keys.
    """
    if measure != "shingle4":
        raise ValueError(f'unknown measure "{measure}"; use "shingle4"')
    if predicted.keys() != gold.keys():
        missing = sorted(gold.keys() - predicted.keys())
        extra = sorted(predicted.keys() - gold.keys())
        raise ValueError(f"ids differ: missing {missing[:5]}, unknown {extra[:5]}")
    rows = [
        document_row(
            (0, 0, 0),
            shingle_counts(gold[k], predicted[k]),
            shingle_accuracy(gold[k], predicted[k]),
        )
        for k in sorted(gold)
    ]
    sums = np.asarray(rows, dtype=float).sum(axis=0) if rows else np.zeros(len(COLUMNS))
    values = figures(sums)
    return {m: values[f"shingle4.{m}"] for m in ("precision", "recall", "f1", "accuracy")}

"""Extraction scores: body tokens by position, and the article-extraction benchmark's shingles.

Token scores count the shared tokenizer's word tokens (corpus.core.tokenize.word_tokens). A
prediction given as spans marks every word token it overlaps as body; a prediction given as
text is first aligned to the document's word tokens by a longest common subsequence, so each
predicted token is credited to at most one position, in order, and a line that appears twice on
a page is credited once unless the system output it twice.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from corpus.core.normalize import normalize_text
from corpus.core.tokenize import Offsets, has_cjk, word_strings, word_tokens
from corpus.eval.bootstrap import Statistic

SHINGLE_TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


def lcs_pairs(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """Index pairs (i, j) of a longest common subsequence of `a` and `b`, in order.

    Bit-parallel LCS (Hyyrö 2004) with Python integers as bit vectors: bit j-1 of row i is 0
    exactly when L[i][j] = L[i][j-1] + 1. The trace-back from (len(a), len(b)) moves left
    whenever that bit is 1 (b[j-1] is not needed), so among equally long alignments the one
    using the earliest positions of `b` is taken; otherwise it takes the match on the diagonal,
    or moves up. Two shortcuts give the same pairs: words of `a` that `b` lacks are dropped
    first (their bit rows equal the row before, so the trace-back passes them by), and when
    what is left is a subsequence of `b` its greedy leftmost embedding is the trace-back.
    """
    kept, runs = _align(a, b)
    if runs is None:
        return [(kept[i], j) for i, j in _bit_parallel_pairs([a[i] for i in kept], b)]
    return [(kept[i + t], j + t) for i, j, length in runs for t in range(length)]


def aligned_runs(doc_words: Sequence[str], pred_words: Sequence[str]) -> list[tuple[int, int]]:
    """The document word positions of lcs_pairs(pred_words, doc_words), as sorted disjoint
    [start, stop) runs (a prediction that copies whole lines is a few runs, not many pairs)."""
    kept, runs = _align(pred_words, doc_words)
    if runs is None:
        pairs = _bit_parallel_pairs([pred_words[i] for i in kept], doc_words)
        runs = [(i, j, 1) for i, j in pairs]
    out: list[tuple[int, int]] = []
    for _, j, length in runs:
        add_run(out, j, j + length)
    return out


def _align(
    a: Sequence[str], b: Sequence[str]
) -> tuple[list[int], list[tuple[int, int, int]] | None]:
    """Indices of the words of `a` that occur in `b`, and their leftmost embedding runs
    (index into those kept words, position in `b`, length) if they are a subsequence of `b`."""
    a, b = list(a), list(b)
    runs = _leftmost_runs(a, b)
    if runs is not None:
        return list(range(len(a))), runs
    present = set(b)
    kept = [i for i, w in enumerate(a) if w in present]
    if len(kept) == len(a):
        return kept, None
    return kept, _leftmost_runs([a[i] for i in kept], b)


def _leftmost_runs(a: list[str], b: list[str]) -> list[tuple[int, int, int]] | None:
    """If `a` is a subsequence of `b`, its greedy leftmost embedding as runs (i, j, length):
    a[i:i+length] sits at b[j:j+length]. Else None.

    Each a[i] goes to the first b position after the previous one where it occurs; once a[i]
    sits at j, a[i+1] sits at j+1 whenever b[j+1] equals it, so runs are extended by
    comparing list slices (galloping, then halving) instead of word by word.
    """
    runs = []
    i = j = 0
    n = len(a)
    try:
        while i < n:
            j = b.index(a[i], j)
            limit = min(n - i, len(b) - j)
            k, step = 1, 1
            while k + step <= limit and a[i + k : i + k + step] == b[j + k : j + k + step]:
                k += step
                step *= 2
            while step > 1:
                step //= 2
                if k + step <= limit and a[i + k : i + k + step] == b[j + k : j + k + step]:
                    k += step
            runs.append((i, j, k))
            i += k
            j += k
    except ValueError:
        return None
    return runs


def _bit_parallel_pairs(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int]]:
    """lcs_pairs without the shortcuts: the bit-parallel rows and their trace-back."""
    n, m = len(a), len(b)
    if not n or not m:
        return []
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


def tokens_from_spans(tokens: Sequence[Offsets], spans: Sequence[tuple[int, int]]) -> set[int]:
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


def run_counts(
    gold: Sequence[tuple[int, int]], predicted: Sequence[tuple[int, int]]
) -> tuple[int, int, int]:
    """token_counts of positions given as sorted disjoint [start, stop) runs."""
    tp, k = 0, 0
    for start, stop in predicted:
        while k < len(gold) and gold[k][1] <= start:
            k += 1
        t = k
        while t < len(gold) and gold[t][0] < stop:
            tp += min(stop, gold[t][1]) - max(start, gold[t][0])
            t += 1
    n_pred = sum(b - a for a, b in predicted)
    n_gold = sum(b - a for a, b in gold)
    return tp, n_pred - tp, n_gold - tp


def add_run(runs: list[tuple[int, int]], start: int, stop: int) -> None:
    """Append [start, stop) to sorted disjoint runs ending at or before `start`, merging it
    with the last run when they touch."""
    if runs and runs[-1][1] == start:
        runs[-1] = (runs[-1][0], stop)
    else:
        runs.append((start, stop))


def runs_of(positions: set[int]) -> list[tuple[int, int]]:
    """Sorted disjoint [start, stop) runs covering exactly `positions`."""
    out: list[tuple[int, int]] = []
    for p in sorted(positions):
        add_run(out, p, p + 1)
    return out


def positions_of(runs: Sequence[tuple[int, int]]) -> set[int]:
    """The positions the runs cover (the inverse of runs_of)."""
    return {i for start, stop in runs for i in range(start, stop)}


def shingle_tokens(text: str) -> list[str]:
    """Tokens of the shingle measure: the benchmark's `\\w+` regex, case kept."""
    return SHINGLE_TOKEN_RE.findall(text or "")


def _gram_iter(tokens: list[str], n: int) -> Iterator[tuple[str, ...]]:
    if len(tokens) < n:
        return iter([tuple(tokens)] if tokens else [])
    return zip(*(tokens[k:] for k in range(n)), strict=False)  # n-grams


def _grams(tokens: list[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(_gram_iter(tokens, n))


def shingle_counts(gold: str, predicted: str, n: int = 4) -> tuple[float, float, float]:
    """Per-document (tp, fp, fn) over shingle multisets, normalized to sum to 1 (if non-zero)."""
    return shingle_counts_of(shingle_tokens(gold), shingle_tokens(predicted), n)


def shingle_counts_of(
    gold: list[str], predicted: list[str], n: int = 4
) -> tuple[float, float, float]:
    """shingle_counts from the two texts' `\\w+` tokens.

    tp is the size of the multiset intersection, the sum over shingles of the smaller of the
    two counts: 1 for every shingle both sides have, plus, for a shingle both sides repeat,
    the smaller of the two numbers of repeats.
    """
    n_gold, n_pred = _n_grams(len(gold), n), _n_grams(len(predicted), n)
    g, p = set(_gram_iter(gold, n)), set(_gram_iter(predicted, n))
    tp = float(len(g & p))
    if len(g) < n_gold and len(p) < n_pred:
        g_repeats, p_repeats = _repeats(gold, n), _repeats(predicted, n)
        tp += sum(min(c, p_repeats[k]) for k, c in g_repeats.items() if k in p_repeats)
    fp = n_pred - tp
    fn = n_gold - tp
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (tp, fp, fn)


def _repeats(tokens: list[str], n: int) -> Counter[tuple[str, ...]]:
    """For each shingle that occurs more than once, how many times more."""
    return Counter({k: c - 1 for k, c in _grams(tokens, n).items() if c > 1})


def _n_grams(tokens: int, n: int) -> int:
    """How many shingles a text of `tokens` tokens has (one short one below n tokens)."""
    return tokens - n + 1 if tokens >= n else min(tokens, 1)


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


def _zero_division(num: float, den: float, other: float) -> float | None:
    """num / den; 0 when den is 0 but the other side is not (a page with gold body and an
    empty prediction has precision 0, not none); None when both sides are empty."""
    if den:
        return num / den
    return 0.0 if other else None


def score_document(
    ident: str,
    text: str,
    segments: Sequence[dict[str, Any]],
    body_text: str | None,
    body_spans: list[tuple[int, int]] | None,
    with_errors: bool = False,
) -> tuple[list[float], list[dict]]:
    """One document's contribution row (see COLUMNS) and, if asked, its error records.

    Word tokens are found segment by segment: segments start at line starts, so no word
    crosses a boundary and this equals tokenizing the whole text. Body positions on both
    sides are kept as runs of consecutive word positions. Shingles use the benchmark's own
    `\\w+` tokens, which equal the word tokens except in Han and kana text.
    """
    words: list[str] = []
    gold_runs: list[tuple[int, int]] = []
    for s in segments:
        found = word_strings(text[s["start"] : s["end"]])
        if s["label"] == "body" and found:
            add_run(gold_runs, len(words), len(words) + len(found))
        words += found
    cjk = has_cjk(text)
    if cjk:
        bodies = (text[s["start"] : s["end"]] for s in segments if s["label"] == "body")
        gold_shingle = [t for body in bodies for t in shingle_tokens(body)]
    else:
        gold_shingle = [w for a, b in gold_runs for w in words[a:b]]
    spans = word_tokens(text) if body_text is None or with_errors else []
    if body_text is not None:
        normalized = normalize_text(body_text)
        pred_words = word_strings(normalized)
        pred_runs = aligned_runs(words, pred_words)
        # shingles tokenize the text as given (the benchmark does not normalize)
        same = normalized == body_text and not (cjk or has_cjk(body_text))
        pred_shingle = pred_words if same else shingle_tokens(body_text)
    else:
        pred_runs = runs_of(tokens_from_spans(spans, body_spans or []))
        pred_shingle = shingle_tokens("\n".join(text[a:b] for a, b in body_spans or []))
    row = document_row(
        run_counts(gold_runs, pred_runs),
        shingle_counts_of(gold_shingle, pred_shingle),
        float(gold_shingle == pred_shingle),
    )
    if not with_errors:
        return row, []
    gold_idx, pred_idx = positions_of(gold_runs), positions_of(pred_runs)
    return row, _token_errors(ident, text, spans, gold_idx, pred_idx)


def score_chunk(items: list[tuple[Any, ...]]) -> list[tuple[list[float], list[dict]]]:
    """score_document over a chunk of argument tuples (the task sent to worker processes)."""
    return [score_document(*item) for item in items]


def _token_errors(
    ident: str, text: str, tokens: list[tuple[int, int]], gold: set[int], pred: set[int]
) -> list[dict]:
    """Runs of consecutive word tokens wrongly kept (false_positive) or dropped (false_negative)."""
    out: list[dict] = []
    for kind, wrong in (("false_positive", pred - gold), ("false_negative", gold - pred)):
        run: list[int] = []
        for i in [*sorted(wrong), None]:
            if run and (i is None or i != run[-1] + 1):
                s, e = tokens[run[0]][0], tokens[run[-1]][1]
                out.append(
                    {
                        "id": ident,
                        "kind": kind,
                        "start": s,
                        "end": e,
                        "tokens": len(run),
                        "text": text[s:e],
                    }
                )
                run = []
            if i is not None:
                run.append(i)
    return sorted(out, key=lambda e: (e["start"], e["kind"]))


# One row per document; corpus figures are functions of the column sums (see bootstrap.py).
COLUMNS: tuple[str, ...] = (
    "tp", "fp", "fn",
    "p_sum", "p_n", "r_sum", "r_n", "f1_sum", "f1_n",
    "sp_sum", "sp_n", "sr_sum", "sr_n", "accuracy_sum", "documents",
)  # fmt: skip


def document_row(
    token: tuple[int, int, int], shingle: tuple[float, float, float], accuracy: float
) -> list[float]:
    """A document's contribution: token counts, its per-document token P/R/F1 (for macro
    means: an empty side against a non-empty one scores 0, as sklearn's zero_division=0; only a
    page with neither gold body nor predicted body leaves them undefined), its shingle P/R
    where the benchmark defines them, and its accuracy."""
    tp, fp, fn = token
    p, r = _zero_division(tp, tp + fp, tp + fn), _zero_division(tp, tp + fn, tp + fp)
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

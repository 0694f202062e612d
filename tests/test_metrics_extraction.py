"""Extraction metrics: LCS alignment, token scores by position, the shingle4 benchmark measure."""

from __future__ import annotations

import random
import re
import statistics
from collections import Counter
from itertools import pairwise

import numpy as np
import pytest
import reference_metrics as reference
from hypothesis import given
from hypothesis import strategies as st

from corpus.core.tokenize import word_tokens
from corpus.eval import extraction as ex
from corpus.eval import score_texts


def dp_lcs_length(a: list[str], b: list[str]) -> int:
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            table[i + 1][j + 1] = (
                table[i][j] + 1 if x == y else max(table[i][j + 1], table[i + 1][j])
            )
    return table[-1][-1]


@given(
    st.lists(st.sampled_from("abcd"), max_size=25), st.lists(st.sampled_from("abcd"), max_size=25)
)
def test_lcs_is_a_longest_common_subsequence(a: list[str], b: list[str]) -> None:
    pairs = ex.lcs_pairs(a, b)
    assert len(pairs) == dp_lcs_length(a, b)
    assert all(a[i] == b[j] for i, j in pairs)
    assert all(i1 < i2 and j1 < j2 for (i1, j1), (i2, j2) in pairwise(pairs))


def test_lcs_prefers_the_earliest_copy() -> None:
    assert ex.lcs_pairs(["x"], ["x", "y", "x"]) == [(0, 0)]


def test_repeated_caption_line_is_credited_once() -> None:
    text = "Foto von Paris\nFoto von Paris\nDer Text des Artikels.\n"
    tokens = word_tokens(text)
    chosen = reference.tokens_from_text(text, tokens, "Foto von Paris\n\nDer Text des Artikels.")
    assert [text[tokens[i][0] : tokens[i][1]] for i in sorted(chosen)] == [
        "Foto",
        "von",
        "Paris",
        "Der",
        "Text",
        "des",
        "Artikels",
    ]
    assert sorted(chosen)[:3] == [0, 1, 2]


def test_alignment_ignores_whitespace_and_line_breaks() -> None:
    text = "Eins zwei\n  drei vier\nMenü\n"
    tokens = word_tokens(text)
    assert reference.tokens_from_text(text, tokens, "Eins   zwei drei\nvier") == {0, 1, 2, 3}


def test_tokens_from_spans_counts_overlapped_words() -> None:
    text = "ab cd ef"
    tokens = word_tokens(text)
    assert ex.tokens_from_spans(tokens, [(1, 4)]) == {0, 1}
    assert ex.tokens_from_spans(tokens, [(2, 3)]) == set()
    assert ex.tokens_from_spans(tokens, [(0, 2), (6, 8)]) == {0, 2}


def figures(rows: list[list[float]]) -> dict[str, float | None]:
    return ex.figures(np.asarray(rows, dtype=float).sum(axis=0))


def test_token_micro_and_macro_by_hand() -> None:
    # doc 1: tp 3, fp 1, fn 0 -> P .75 R 1; doc 2: tp 1, fp 0, fn 3 -> P 1 R .25
    rows = [ex.document_row((3, 1, 0), (0, 0, 0), 0), ex.document_row((1, 0, 3), (0, 0, 0), 0)]
    f = figures(rows)
    assert f["token.micro.precision"] == pytest.approx(4 / 5)
    assert f["token.micro.recall"] == pytest.approx(4 / 7)
    assert f["token.micro.f1"] == pytest.approx(2 * (4 / 5) * (4 / 7) / (4 / 5 + 4 / 7))
    assert f["token.macro.precision"] == pytest.approx((0.75 + 1) / 2)
    assert f["token.macro.recall"] == pytest.approx((1 + 0.25) / 2)
    assert f["token.macro.f1"] == pytest.approx((2 * 0.75 / 1.75 + 2 * 0.25 / 1.25) / 2)


def test_all_boilerplate_document_and_empty_prediction() -> None:
    # gold has no body tokens and the system predicts none: P and R undefined for it
    rows = [ex.document_row((0, 0, 0), (0, 0, 0), 1.0), ex.document_row((2, 0, 2), (0, 0, 0), 0)]
    f = figures(rows)
    assert f["token.macro.precision"] == 1.0 and f["token.macro.recall"] == 0.5
    only_empty = figures([ex.document_row((0, 0, 0), (0, 0, 0), 1.0)])
    assert only_empty["token.micro.precision"] is None and only_empty["token.micro.f1"] is None


def test_an_empty_prediction_on_a_page_with_body_scores_zero_in_the_macro_means() -> None:
    """Macro means cannot be gamed by blanking pages (issue 23.6): a page with gold body and
    no predicted body has P = R = F1 = 0 (sklearn's zero_division=0), a page with no gold
    body and a predicted body too; only a page empty on both sides is left out."""
    good = ex.document_row((8, 2, 0), (0, 0, 0), 0)  # P .8, R 1, F1 8/9
    blank = ex.document_row((0, 0, 6), (0, 0, 0), 0)  # gold body, nothing predicted
    spurious = ex.document_row((0, 3, 0), (0, 0, 0), 0)  # no gold body, 3 tokens predicted
    empty = ex.document_row((0, 0, 0), (0, 0, 0), 1.0)  # nothing on either side
    f = figures([good, blank, spurious, empty])
    assert f["token.macro.precision"] == pytest.approx((0.8 + 0 + 0) / 3)
    assert f["token.macro.recall"] == pytest.approx((1 + 0 + 0) / 3)
    assert f["token.macro.f1"] == pytest.approx((16 / 18 + 0 + 0) / 3)
    # blanking the worst page can only lower the macro F1
    assert figures([good, blank])["token.macro.f1"] < figures([good])["token.macro.f1"]
    assert figures([good, blank])["token.macro.f1"] <= max(
        figures([good, blank])["token.macro.precision"],
        figures([good, blank])["token.macro.recall"],
    )


def test_macro_means_equal_sklearns_with_zero_division_0() -> None:
    """An independent reference: per page, sklearn's binary P/R/F1 on token membership with
    zero_division=0, averaged over the pages that have gold or predicted body."""
    metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(7)
    rows, ps, rs, fs = [], [], [], []
    for _ in range(200):
        n = int(rng.integers(1, 30))
        gold = rng.random(n) < rng.choice([0.0, 0.3, 0.8])
        pred = rng.random(n) < rng.choice([0.0, 0.3, 0.8])
        tp, fp, fn = int((gold & pred).sum()), int((~gold & pred).sum()), int((gold & ~pred).sum())
        rows.append(ex.document_row((tp, fp, fn), (0, 0, 0), 0))
        if gold.any() or pred.any():
            p, r, f, _ = metrics.precision_recall_fscore_support(
                gold, pred, average="binary", zero_division=0
            )
            ps.append(p), rs.append(r), fs.append(f)
    f = figures(rows)
    assert f["token.macro.precision"] == pytest.approx(float(np.mean(ps)))
    assert f["token.macro.recall"] == pytest.approx(float(np.mean(rs)))
    assert f["token.macro.f1"] == pytest.approx(float(np.mean(fs)))


def reference_shingle4(predicted: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    """The benchmark's definition, written independently from its description."""

    def grams(text: str) -> Counter:
        words = re.findall(r"\w+", text)
        if len(words) < 4:
            return Counter([tuple(words)] if words else [])
        return Counter(tuple(words[k : k + 4]) for k in range(len(words) - 3))

    ps, rs, acc = [], [], []
    for key in gold:
        g, p = grams(gold[key]), grams(predicted[key])
        tp = sum(min(g[x], p[x]) for x in set(g) | set(p))
        fp = sum(max(0, p[x] - g[x]) for x in set(g) | set(p))
        fn = sum(max(0, g[x] - p[x]) for x in set(g) | set(p))
        if tp + fp + fn:
            tp, fp, fn = tp / (tp + fp + fn), fp / (tp + fp + fn), fn / (tp + fp + fn)
        if tp + fp > 0:
            ps.append(1.0 if fp == fn == 0 else tp / (tp + fp))
        if tp + fn > 0:
            rs.append(1.0 if fp == fn == 0 else tp / (tp + fn))
        acc.append(float(re.findall(r"\w+", gold[key]) == re.findall(r"\w+", predicted[key])))
    p, r = statistics.mean(ps), statistics.mean(rs)
    f1 = 2 * p * r / (p + r) if p + r else 0.0  # the benchmark script divides by zero here
    return {"precision": p, "recall": r, "f1": f1, "accuracy": statistics.mean(acc)}


def test_shingle4_by_hand() -> None:
    gold = {"a": "one two three four six", "b": "x y"}
    pred = {"a": "one two three four five", "b": ""}
    # a: 1 shared of 2 shingles each -> P = R = .5; b: nothing predicted -> R = 0, P undefined
    assert score_texts(pred, gold) == pytest.approx(
        {"precision": 0.5, "recall": 0.25, "f1": 2 * 0.5 * 0.25 / 0.75, "accuracy": 0.0}
    )


@pytest.mark.parametrize("seed", range(20))
def test_shingle4_equals_the_reference_definition(seed: int) -> None:
    rng = random.Random(seed)
    vocab = ["Lüttich", "die", "VSSE", "Alibaba", "w", "GPT-4", "i", "zł", "—", "dane"]
    gold, pred = {}, {}
    for k in range(rng.randint(1, 8)):
        words = [rng.choice(vocab) for _ in range(rng.randint(1, 30))]
        gold[str(k)] = " ".join(words)
        cut = words[rng.randint(0, len(words)) :] + [rng.choice(vocab) for _ in range(3)]
        pred[str(k)] = " ".join(cut) if rng.random() < 0.9 else gold[str(k)]
    ours = score_texts(pred, gold)
    assert ours == pytest.approx(reference_shingle4(pred, gold))


def test_score_texts_rejects_mismatched_ids() -> None:
    with pytest.raises(ValueError, match="missing"):
        score_texts({"a": "x"}, {"a": "x", "b": "y"})
    with pytest.raises(ValueError, match="unknown measure"):
        score_texts({"a": "x"}, {"a": "x"}, measure="rouge")


def reference_lcs_pairs(a: list[str], b: list[str]) -> list[tuple[int, int]]:
    """Full-table LCS with the documented tie rule (skip b[j-1] when that keeps the length)."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            table[i + 1][j + 1] = (
                table[i][j] + 1 if x == y else max(table[i][j + 1], table[i + 1][j])
            )
    pairs, i, j = [], len(a), len(b)
    while i and j:
        if table[i][j - 1] == table[i][j]:
            j -= 1
        elif a[i - 1] == b[j - 1]:
            i, j = i - 1, j - 1
            pairs.append((i, j))
        else:
            i -= 1
    return pairs[::-1]


@given(st.lists(st.sampled_from("abc"), max_size=30), st.lists(st.sampled_from("abc"), max_size=30))
def test_bit_parallel_lcs_equals_the_full_table(a: list[str], b: list[str]) -> None:
    assert ex.lcs_pairs(a, b) == reference_lcs_pairs(a, b)


@given(st.text(alphabet="ab ,.-\n\u00a0żü1_", max_size=60))
def test_word_tokens_are_the_word_tokens_of_the_tokenizer(text: str) -> None:
    from corpus.core.tokenize import is_word, tokenize

    assert word_tokens(text) == [(s, e) for s, e in tokenize(text) if is_word(text[s:e])]


@given(st.lists(st.sampled_from("abcd"), max_size=30), st.data())
def test_subsequence_fast_path_equals_the_full_table(b: list[str], data: st.DataObject) -> None:
    keep = data.draw(st.lists(st.booleans(), min_size=len(b), max_size=len(b)))
    a = [x for x, k in zip(b, keep, strict=True) if k]
    assert ex.lcs_pairs(a, b) == reference_lcs_pairs(a, b)


@given(st.lists(st.sampled_from("ab"), max_size=40), st.lists(st.sampled_from("abc"), max_size=40))
def test_shingle_counts_with_repeated_shingles_equal_counters(g: list[str], p: list[str]) -> None:
    def grams(words: list[str]) -> Counter:
        if len(words) < 4:
            return Counter([tuple(words)] if words else [])
        return Counter(tuple(words[k : k + 4]) for k in range(len(words) - 3))

    cg, cp = grams(g), grams(p)
    tp = sum((cg & cp).values())
    fp, fn = sum(cp.values()) - tp, sum(cg.values()) - tp
    total = tp + fp + fn
    expected = (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)
    assert ex.shingle_counts_of(g, p) == expected


@given(
    st.lists(st.sampled_from("abcd"), max_size=40), st.lists(st.sampled_from("abcde"), max_size=40)
)
def test_aligned_runs_cover_the_lcs_positions(b: list[str], a: list[str]) -> None:
    runs = ex.aligned_runs(b, a)
    assert [j for start, stop in runs for j in range(start, stop)] == [
        j for _, j in reference_lcs_pairs(a, b)
    ]
    assert all(stop < start2 for (_, stop), (start2, _) in pairwise(runs))


@given(
    st.lists(st.sampled_from("abc"), max_size=30), st.lists(st.sampled_from("abcxy"), max_size=30)
)
def test_words_the_page_lacks_do_not_change_the_alignment(b: list[str], a: list[str]) -> None:
    assert ex.lcs_pairs(a, b) == reference_lcs_pairs(a, b)


@given(st.sets(st.integers(0, 60)), st.sets(st.integers(0, 60)))
def test_run_counts_equal_set_counts(gold: set[int], pred: set[int]) -> None:
    assert ex.run_counts(ex.runs_of(gold), ex.runs_of(pred)) == reference.token_counts(gold, pred)


def test_shingles_of_han_text_use_the_benchmarks_tokens() -> None:
    """Extraction scoring's shingle4 on Chinese equals the benchmark's measure (\\w+ tokens,
    a run of Han characters is one token), though the corpus tokenizer splits each character."""
    from corpus.eval import in_memory_gold, score

    text = "阿里巴巴集团 在 比利时 列日 的 物流 中心\n菜单 首页 新闻\n"
    body_end = text.index("\n") + 1
    segments = [
        {"start": 0, "end": body_end, "label": "body", "kind": None},
        {"start": body_end, "end": len(text), "label": "boilerplate", "kind": None},
    ]
    gold = in_memory_gold([text], segments=[segments])
    for predicted in (
        "阿里巴巴集团 在 比利时 列日",
        "阿里巴巴集团 在 比利时 列日 的 物流 中心\n菜单",
    ):
        result = score("extraction", [{"id": gold.ids[0], "body_text": predicted}], gold=gold)
        expected = score_texts({"d": predicted}, {"d": text[:body_end]})
        got = result.data["overall"]["shingle4"]
        assert got == pytest.approx(expected)

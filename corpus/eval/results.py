"""Results: gold and checked predictions in, the results dict every report is made of.

`evaluate_ner` and `evaluate_extraction` count per document (the metric code is in
corpus.eval.ner and corpus.eval.extraction) and summarize: overall, per label, per language,
bootstrap intervals, and the per-document rows that paired comparisons need. Every figure is
defined in docs/metrics.md.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from corpus import __version__
from corpus.core.labels import ENTITY_LABELS
from corpus.core.model import Span
from corpus.eval import extraction
from corpus.eval.bootstrap import SAMPLES, SEED, confidence_intervals
from corpus.eval.extraction import COLUMNS, figures, score_chunk, statistics
from corpus.eval.gold import Gold
from corpus.eval.ner import SCHEMES, NerLayout, count_rows, overlap_mask, scores, span_arrays
from corpus.eval.predictions import Predictions
from corpus.eval.system_cache import part_digest


def _base(task: str, gold: Gold, scope: str, system: dict[str, Any]) -> dict[str, Any]:
    return {
        "task": task,
        "scope": scope,
        "split": gold.split,
        "language": gold.language,
        "n_documents": len(gold),
        "corpus_version": gold.corpus_version,
        "system": system,
        "bootstrap": {"samples": SAMPLES, "seed": SEED, "interval": "percentile 95%"},
        "harness_version": __version__,
    }


def _clean(value: Any) -> Any:
    """Floats from numpy as plain floats (None for nan), recursively."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    return value


def in_body(segments: Sequence[dict[str, Any]], start: int, end: int) -> bool:
    """True if [start, end) overlaps a body segment."""
    return any(s["label"] == "body" and s["start"] < end and start < s["end"] for s in segments)


def _by_language(languages: list[str]) -> list[tuple[str, np.ndarray]]:
    """(value, mask of its documents) for each distinct value (language or source), sorted."""
    return [(lang, np.asarray([x == lang for x in languages])) for lang in sorted(set(languages))]


def _column(gold: Gold, values: list[str] | None) -> list[str]:
    """A per-document column of `gold` (its source, genre or year band), "unknown" for
    in-memory gold that lacks it."""
    return values if values is not None else ["unknown"] * len(gold)


def _groups(gold: Gold) -> dict[str, list[tuple[str, np.ndarray]]]:
    """(value, mask) per results key: per_language, per_source, per_genre, per_year."""
    return {
        "per_language": _by_language(gold.languages),
        "per_source": _by_language(_column(gold, gold.sources)),
        "per_genre": _by_language(_column(gold, gold.genres)),
        "per_year": _by_language(_column(gold, gold.year_bands)),
    }


def evaluate_ner(
    gold: Gold,
    preds: Predictions,
    scope: str = "page",
    system: dict[str, Any] | None = None,
    with_errors: bool = False,
) -> tuple[dict[str, Any], list[dict]]:
    """NER results (four schemes; micro, macro, per label, per language) and, if asked, the
    strict-scheme error records. Only documents with entity gold are scored; `n_documents`
    counts them and `excluded` says how many were left out and why."""
    selected = len(gold)
    gold = gold.with_entity_gold()
    layout = NerLayout(ENTITY_LABELS)
    counts, used = ner_counts(layout, gold, preds, scope)
    contrib = counts.astype(float)
    errors = []
    if with_errors:
        for ident, text, segments, entities in zip(
            gold.ids, gold.texts, gold.segments, gold.entities, strict=True
        ):
            gs = [Span(e["start"], e["end"], e["label"]) for e in entities]
            ps = preds.entities.get(ident, [])
            if scope == "body":
                gs = [x for x in gs if in_body(segments, x.start, x.end)]
                ps = [x for x in ps if in_body(segments, x.start, x.end)]
            errors += _ner_errors(ident, text, gs, ps)
    labels_used = [lab for lab, n in zip(ENTITY_LABELS, used, strict=True) if n]

    def group_scores(sums: np.ndarray, group: str) -> dict[str, Any]:
        return {
            s: scores(sums[layout.column(group, s) : layout.column(group, s) + 5].tolist(), s)
            for s in SCHEMES
        }

    sums = contrib.sum(axis=0)
    macro = {
        s: {
            **{k: float(v) for k, v in layout.macro(sums, s, labels_used).items()},
            "labels": labels_used,
        }
        for s in SCHEMES
    }

    def group(mask: np.ndarray) -> dict[str, Any]:
        micro = group_scores(contrib[mask].sum(0), "all")
        return {
            "n_documents": int(mask.sum()),
            "n_entities": int(micro["strict"]["possible"]),  # gold entities scored
            "micro": micro,
        }

    grouped = {
        key: {value: group(mask) for value, mask in masks} for key, masks in _groups(gold).items()
    }
    result = _base("ner", gold, scope, system or {})
    result["excluded"] = {"no_entity_gold": selected - len(gold)}
    result |= {
        "overall": {"micro": group_scores(sums, "all"), "macro": macro},
        "per_label": {lab: group_scores(sums, lab) for lab in labels_used},
        **grouped,
        "confidence": confidence_intervals(contrib, layout.statistics(labels_used)),
    }
    result = _clean(result)  # per-document rows are plain ints already: kept out of _clean
    result["documents"] = {
        "columns": layout.width,
        "labels": list(ENTITY_LABELS),
        "rows": dict(zip(gold.ids, _rows(counts), strict=True)),
    }
    return result, errors


def _rows(counts: np.ndarray) -> list[list[int]]:
    """The count matrix as one list per document, with the cyclic garbage collector paused:
    the lists hold only ints, and the collector's passes over the gold's millions of objects
    cost more than making them (0.9 s instead of 0.05 s for 100,000 documents)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return counts.tolist()
    finally:
        if paused:
            gc.enable()


def ner_counts(
    layout: NerLayout,
    gold: Gold,
    preds: Predictions,
    scope: str,
    block: int = 8192,
) -> tuple[np.ndarray, np.ndarray]:
    """Per-document NER count rows (see ner.count_rows) and how often each label occurs.

    Documents are taken in blocks so that numpy's temporary arrays stay a few MB: on this VM,
    arrays of hundreds of MB cost three times as much per element (fresh pages from the OS).
    Blocks are counted on one thread per core (numpy releases the GIL in the array work:
    twice as fast on two cores); each block fills its own rows, so the result is the same.
    """
    n = len(gold)
    counts = np.zeros((n, layout.width), dtype=np.int64)
    keys = ("start", "end", "label")
    gold_spans, pred_spans = gold.entity_arrays(), preds.spans.in_order_of(gold.ids)

    def count_block(first: int) -> np.ndarray:
        last = min(first + block, n)
        g, p = gold_spans.documents(first, last), pred_spans.documents(first, last)
        if scope == "body":
            segments = [[s for s in d if s["label"] == "body"] for d in gold.segments[first:last]]
            body = span_arrays(segments, ["body"], keys)
            g, p = g.select(overlap_mask(g, body)), p.select(overlap_mask(p, body))
        counts[first:last] = count_rows(layout, last - first, g, p)
        return np.bincount(np.concatenate([g.label, p.label]), minlength=len(layout.labels))

    starts = range(0, n, block)
    with ThreadPoolExecutor(max(1, min(os.cpu_count() or 1, len(starts)))) as pool:
        used = sum(pool.map(count_block, starts), np.zeros(len(layout.labels), dtype=np.int64))
    return counts, used


def _ner_errors(ident: str, text: str, gold: list[Span], pred: list[Span]) -> list[dict]:
    """Strict-scheme errors of one document: missed gold and wrong predicted entities."""
    out = []
    for kind, spans, other in (("false_negative", gold, pred), ("false_positive", pred, gold)):
        for x in sorted(set(spans) - set(other)):
            out.append(
                {
                    "id": ident,
                    "kind": kind,
                    "start": x.start,
                    "end": x.end,
                    "label": x.label,
                    "text": text[x.start : x.end],
                    "context": text[max(0, x.start - 40) : x.end + 40],
                }
            )
    return sorted(out, key=lambda e: (e["start"], e["kind"]))


def evaluate_extraction(
    gold: Gold,
    preds: Predictions,
    system: dict[str, Any] | None = None,
    executor: Executor | None = None,
    with_errors: bool = False,
    chunk: int = 500,
    rows_cache: RowCache | None = None,
    rows: list[list[float]] | None = None,
) -> tuple[dict[str, Any], list[dict]]:
    """Extraction results (token micro/macro, shingle4) and, if asked, error records.

    rows_cache: per-document rows already computed for the same text, gold segments and
    prediction (the leaderboard re-scores unchanged outputs in a blink); not used with errors.
    rows: the per-document rows, already computed as the predictions streamed in (RowScorer).
    """
    if rows is not None:
        return _extraction_summary(gold, rows, system), []
    items = [
        (
            ident,
            text,
            segments,
            preds.body_text.get(ident),
            preds.body_spans.get(ident),
            with_errors,
        )
        for ident, text, segments in zip(gold.ids, gold.texts, gold.segments, strict=True)
    ]
    keys = [row_key(item) for item in items] if rows_cache and not with_errors else []
    known = rows_cache.get_rows(keys) if rows_cache and keys else {}
    todo = [i for i in range(len(items)) if not keys or keys[i] not in known]
    chunks = [[items[i] for i in todo[j : j + chunk]] for j in range(0, len(todo), chunk)]
    mapped = executor.map(score_chunk, chunks) if executor else map(score_chunk, chunks)
    fresh, errors = [], []
    for part in mapped:
        for row, errs in part:
            fresh.append(row)
            errors += errs
    if rows_cache and keys:
        rows_cache.put_rows({keys[i]: row for i, row in zip(todo, fresh, strict=True)})
    computed = dict(zip(todo, fresh, strict=True))
    listed = [computed[i] if i in computed else known[keys[i]] for i in range(len(items))]
    return _extraction_summary(gold, listed, system), errors


def _extraction_summary(
    gold: Gold, rows: list[list[float]], system: dict[str, Any] | None
) -> dict[str, Any]:
    """The results dict from the per-document rows (one per gold document, in gold order)."""
    contrib = np.asarray(rows, dtype=float).reshape(len(rows), len(COLUMNS))
    grouped = {
        key: {
            value: {"n_documents": int(mask.sum()), **_extraction_report(contrib[mask].sum(0))}
            for value, mask in masks
        }
        for key, masks in _groups(gold).items()
    }
    result = _base("extraction", gold, "page", system or {})
    result |= {
        "overall": _extraction_report(contrib.sum(axis=0)),
        "per_label": {},
        **grouped,
        "confidence": confidence_intervals(contrib, statistics()),
    }
    result = _clean(result)
    result["documents"] = {
        "columns": list(COLUMNS),
        "rows": dict(zip(gold.ids, rows, strict=True)),
    }
    return result


class RowScorer:
    """Per-document extraction rows computed as predictions stream in: chunks go to the
    executor with at most two chunks per worker in flight, so memory holds a few chunks of
    predictions and one row per document, never the whole predictions file."""

    def __init__(
        self, gold: Gold, executor: Executor | None, workers: int, chunk: int = 500
    ) -> None:
        self.gold, self.executor, self.chunk = gold, executor, chunk
        self.position = {ident: i for i, ident in enumerate(gold.ids)}
        self.rows: list[list[float] | None] = [None] * len(gold)
        self.added: set[int] = set()
        self.pending: list[tuple[Any, ...]] = []
        self.flight: deque[tuple[list[int], Future[Any]]] = deque()
        self.limit = 2 * max(1, workers)

    def add(self, ident: str, body_text: str | None, body_spans: Any) -> None:
        """Queue one document's prediction (the predictions reader's sink)."""
        i = self.position[ident]
        self.added.add(i)
        self.pending.append(
            (ident, self.gold.texts[i], self.gold.segments[i], body_text, body_spans, False)
        )
        if len(self.pending) >= self.chunk:
            self._send()

    def _send(self) -> None:
        if not self.pending:
            return
        items, self.pending = self.pending, []
        places = [self.position[item[0]] for item in items]
        if self.executor is None:
            self._store(places, score_chunk(items))
            return
        while len(self.flight) >= self.limit:
            self._collect()
        self.flight.append((places, self.executor.submit(score_chunk, items)))

    def _collect(self) -> None:
        """Wait for the oldest chunk in flight and keep its rows."""
        places, future = self.flight.popleft()
        self._store(places, future.result())

    def _store(self, places: list[int], results: list[tuple[list[float], list[dict]]]) -> None:
        for i, (row, _) in zip(places, results, strict=True):
            self.rows[i] = row

    def finish(self) -> list[list[float]]:
        """Every row, in gold order (documents never added are scored as empty predictions)."""
        for i, ident in enumerate(self.gold.ids):
            if i not in self.added:
                self.add(ident, None, [])
        self._send()
        while self.flight:
            self._collect()
        return [row for row in self.rows if row is not None]


class RowCache(Protocol):
    """Where per-document rows are kept between runs (corpus.eval.system_cache)."""

    def get_rows(self, keys: list[str]) -> dict[str, list[float]]: ...

    def put_rows(self, rows: dict[str, list[float]]) -> None: ...


@lru_cache(maxsize=1)
def _row_code() -> bytes:
    """SHA-256 of the module that computes a row (corpus.eval.extraction): a change to a
    metric must not be served rows computed by the old code from the cache."""
    return hashlib.sha256(Path(extraction.__file__).read_bytes()).digest()


def row_key(item: tuple[Any, ...]) -> str:
    """SHA-256 of what a document's extraction row depends on: text, segments, prediction, and
    the code that computes it."""
    _, text, segments, body_text, body_spans, _ = item
    digest = hashlib.sha256(_row_code() + part_digest(text or ""))
    digest.update(part_digest(body_text) if body_text is not None else b"-")
    spans = [[s["start"], s["end"], s["label"]] for s in segments]
    digest.update(json.dumps([spans, body_spans]).encode())
    return digest.hexdigest()


def _extraction_report(sums: np.ndarray) -> dict[str, Any]:
    f = figures(sums)
    col = dict(zip(COLUMNS, sums.tolist(), strict=True))
    return {
        "token": {
            "micro": {m: f[f"token.micro.{m}"] for m in ("precision", "recall", "f1")}
            | {k: int(col[k]) for k in ("tp", "fp", "fn")},
            "macro": {m: f[f"token.macro.{m}"] for m in ("precision", "recall", "f1")}
            | {
                "n_precision": int(col["p_n"]),
                "n_recall": int(col["r_n"]),
                "n_f1": int(col["f1_n"]),
            },
        },
        "shingle4": {m: f[f"shingle4.{m}"] for m in ("precision", "recall", "f1", "accuracy")},
    }

"""Scoring a system's predictions against the gold corpus: the results every report is made of.

`load_gold` reads the released Parquet; `evaluate_ner` and `evaluate_extraction` turn gold
records and checked predictions into a results dict (see docs/metrics.md for every figure).
"""

from __future__ import annotations

import hashlib
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq

from corpus import __version__
from corpus.build import DATA_DIR
from corpus.labels import ENTITY_LABELS
from corpus.metrics import extraction as ex
from corpus.metrics.bootstrap import SAMPLES, SEED, confidence_intervals
from corpus.metrics.ner import SCHEMES, NerLayout, Span, scores
from corpus.metrics.ner_batch import count_rows, overlap_mask, span_arrays
from corpus.normalize import normalize_text
from corpus.predictions import Predictions
from corpus.tokenize import word_strings, word_tokens

GOLD_COLUMNS = ("id", "language", "text", "segments", "entities", "body")


@dataclass(frozen=True)
class Gold:
    """The gold documents selected for scoring, and the version of the whole corpus."""

    records: list[dict[str, Any]]
    all_ids: set[str]
    corpus_version: str
    split: str
    language: str | None


def corpus_version(rows: list[tuple[str, dict[str, Any]]]) -> str:
    """SHA-256 over the gold content of every record, in id order.

    Per record: split, id, language, the SHA-256 of the text, and every segment's and entity's
    offsets and labels. It changes whenever any gold text or annotation changes, and does not
    depend on the Parquet writer, so results from different corpus versions are never mixed
    silently.
    """
    digest = hashlib.sha256()
    for split, r in sorted(rows, key=lambda x: (x[1]["id"], x[0])):
        parts = [split, r["id"], r["language"], hashlib.sha256(r["text"].encode()).hexdigest()]
        parts += [f"{s['start']} {s['end']} {s['label']} {s['kind']}" for s in r["segments"]]
        parts.append("|")
        parts += [f"{e['start']} {e['end']} {e['label']}" for e in r["entities"]]
        digest.update("\n".join(parts).encode())
        digest.update(b"\x00")
    return "sha256:" + digest.hexdigest()


def load_gold(root: Path, split: str = "test", language: str | None = None) -> Gold:
    """Read the released records of `split` (optionally one language) from data/."""
    rows = []
    for f in sorted((root / DATA_DIR).glob("*/*.parquet")):
        file_split = f.name.split("-", 1)[0]
        table = pq.read_table(f, columns=list(GOLD_COLUMNS))
        rows += [(file_split, r) for r in table.to_pylist()]
    if not rows:
        raise FileNotFoundError(f"no Parquet under {root / DATA_DIR}; fix: run `corpus build`")
    splits = {s for s, _ in rows}
    if split not in splits:
        raise ValueError(f'split "{split}" not in the corpus; fix: use one of {sorted(splits)}')
    chosen = [r for s, r in rows if s == split and language in (None, r["language"])]
    if not chosen:
        langs = sorted({r["language"] for _, r in rows})
        raise ValueError(f'no documents in language "{language}"; fix: use one of {langs}')
    chosen.sort(key=lambda r: r["id"])
    return Gold(chosen, {r["id"] for _, r in rows}, corpus_version(rows), split, language)


def in_body(record: dict[str, Any], start: int, end: int) -> bool:
    """True if [start, end) overlaps a body segment of the record."""
    return any(
        s["label"] == "body" and s["start"] < end and start < s["end"] for s in record["segments"]
    )


def _base(task: str, gold: Gold, scope: str, n: int, system: dict[str, Any]) -> dict[str, Any]:
    return {
        "task": task,
        "scope": scope,
        "split": gold.split,
        "language": gold.language,
        "n_documents": n,
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


def evaluate_ner(
    gold: Gold,
    preds: Predictions,
    scope: str = "page",
    system: dict[str, Any] | None = None,
    with_errors: bool = False,
) -> tuple[dict[str, Any], list[dict]]:
    """NER results (four schemes; micro, macro, per label, per language) and, if asked, the
    strict-scheme error records."""
    layout = NerLayout(ENTITY_LABELS)
    counts, used = _ner_counts(layout, gold.records, preds, scope)
    contrib = counts.astype(float)
    languages = [r["language"] for r in gold.records]
    errors = []
    if with_errors:
        for r in gold.records:
            gs = [Span(e["start"], e["end"], e["label"]) for e in r["entities"]]
            ps = preds.entities.get(r["id"], [])
            if scope == "body":
                gs = [x for x in gs if in_body(r, x.start, x.end)]
                ps = [x for x in ps if in_body(r, x.start, x.end)]
            errors += _ner_errors(r, gs, ps)
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
    per_language = {}
    for lang in sorted(set(languages)):
        mask = np.asarray([x == lang for x in languages])
        per_language[lang] = {
            "n_documents": int(mask.sum()),
            "micro": group_scores(contrib[mask].sum(axis=0), "all"),
        }
    result = _base("ner", gold, scope, len(gold.records), system or {})
    result |= {
        "overall": {"micro": group_scores(sums, "all"), "macro": macro},
        "per_label": {lab: group_scores(sums, lab) for lab in labels_used},
        "per_language": per_language,
        "confidence": confidence_intervals(contrib, layout.statistics(labels_used)),
    }
    result = _clean(result)  # per-document rows are plain ints already: kept out of _clean
    result["documents"] = {
        "columns": layout.width,
        "labels": list(ENTITY_LABELS),
        "rows": dict(zip((r["id"] for r in gold.records), counts.tolist(), strict=True)),
    }
    return result, errors


def _ner_counts(
    layout: NerLayout,
    records: list[dict[str, Any]],
    preds: Predictions,
    scope: str,
    block: int = 8192,
) -> tuple[np.ndarray, np.ndarray]:
    """Per-document NER count rows (see ner_batch.count_rows) and how often each label occurs.

    Documents are taken in blocks so that numpy's temporary arrays stay a few MB: on this VM,
    arrays of hundreds of MB cost three times as much per element (fresh pages from the OS).
    """
    counts = np.zeros((len(records), layout.width), dtype=np.int64)
    used = np.zeros(len(layout.labels), dtype=np.int64)
    keys = ("start", "end", "label")
    for first in range(0, len(records), block):
        part = records[first : first + block]
        g = span_arrays([r["entities"] for r in part], layout.labels, keys)
        p = span_arrays([preds.entities.get(r["id"], ()) for r in part], layout.labels)
        if scope == "body":
            segments = [[s for s in r["segments"] if s["label"] == "body"] for r in part]
            body = span_arrays(segments, ["body"], keys)
            g, p = g.select(overlap_mask(g, body)), p.select(overlap_mask(p, body))
        counts[first : first + len(part)] = count_rows(layout, len(part), g, p)
        used += np.bincount(np.concatenate([g.label, p.label]), minlength=len(used))
    return counts, used


def _ner_errors(record: dict[str, Any], gold: list[Span], pred: list[Span]) -> list[dict]:
    """Strict-scheme errors of one document: missed gold and wrong predicted entities."""
    text, out = record["text"], []
    for kind, spans, other in (("false_negative", gold, pred), ("false_positive", pred, gold)):
        for x in sorted(set(spans) - set(other)):
            out.append(
                {
                    "id": record["id"],
                    "kind": kind,
                    "start": x.start,
                    "end": x.end,
                    "label": x.label,
                    "text": text[x.start : x.end],
                    "context": text[max(0, x.start - 40) : x.end + 40],
                }
            )
    return sorted(out, key=lambda e: (e["start"], e["kind"]))


def score_extraction_document(
    record: dict[str, Any],
    body_text: str | None,
    body_spans: list[tuple[int, int]] | None,
    with_errors: bool = False,
) -> tuple[list[float], list[dict]]:
    """One document's contribution row (see metrics.extraction.COLUMNS) and error records.

    Word tokens are found segment by segment: segments start at line starts, so no word
    crosses a boundary and this equals tokenizing the whole text. Body positions on both
    sides are kept as runs of consecutive word positions.
    """
    text = record["text"]
    words: list[str] = []
    gold_runs: list[tuple[int, int]] = []
    for s in record["segments"]:
        found = word_strings(text[s["start"] : s["end"]])
        if s["label"] == "body" and found:
            ex.add_run(gold_runs, len(words), len(words) + len(found))
        words += found
    gold_words = [w for a, b in gold_runs for w in words[a:b]]
    spans = word_tokens(text) if body_text is None or with_errors else []
    if body_text is not None:
        normalized = normalize_text(body_text)
        pred_words = word_strings(normalized)
        pred_runs = ex.aligned_runs(words, pred_words)
        # shingles tokenize the text as given (the benchmark does not normalize)
        pred_shingle = pred_words if normalized == body_text else ex.shingle_tokens(body_text)
    else:
        pred_runs = ex.runs_of(ex.tokens_from_spans(spans, body_spans or []))
        pred_shingle = ex.shingle_tokens("\n".join(text[a:b] for a, b in body_spans or []))
    row = ex.document_row(
        ex.run_counts(gold_runs, pred_runs),
        ex.shingle_counts_of(gold_words, pred_shingle),
        float(gold_words == pred_shingle),
    )
    if not with_errors:
        return row, []
    gold_idx, pred_idx = ex.positions_of(gold_runs), ex.positions_of(pred_runs)
    return row, _token_errors(record, spans, gold_idx, pred_idx)


def _score_extraction_chunk(
    items: list[tuple[dict[str, Any], str | None, Any, bool]],
) -> list[tuple[list[float], list[dict]]]:
    return [score_extraction_document(*item) for item in items]


def evaluate_extraction(
    gold: Gold,
    preds: Predictions,
    system: dict[str, Any] | None = None,
    executor: Executor | None = None,
    with_errors: bool = False,
    chunk: int = 500,
) -> tuple[dict[str, Any], list[dict]]:
    """Extraction results (token micro/macro, shingle4) and, if asked, error records."""
    keys = ("id", "text", "segments", "language")
    items = [
        (
            {k: r[k] for k in keys},
            preds.body_text.get(r["id"]),
            preds.body_spans.get(r["id"]),
            with_errors,
        )
        for r in gold.records
    ]
    chunks = [items[i : i + chunk] for i in range(0, len(items), chunk)]
    mapped = (
        executor.map(_score_extraction_chunk, chunks)
        if executor
        else map(_score_extraction_chunk, chunks)
    )
    rows, errors = [], []
    for part in mapped:
        for row, errs in part:
            rows.append(row)
            errors += errs
    languages = [r["language"] for r in gold.records]
    contrib = np.asarray(rows, dtype=float).reshape(len(rows), len(ex.COLUMNS))

    def report(sums: np.ndarray) -> dict[str, Any]:
        f = ex.figures(sums)
        col = dict(zip(ex.COLUMNS, sums.tolist(), strict=True))
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

    per_language = {}
    for lang in sorted(set(languages)):
        mask = np.asarray([x == lang for x in languages])
        per_language[lang] = {"n_documents": int(mask.sum()), **report(contrib[mask].sum(0))}
    result = _base("extraction", gold, "page", len(rows), system or {})
    result |= {
        "overall": report(contrib.sum(axis=0)),
        "per_label": {},
        "per_language": per_language,
        "confidence": confidence_intervals(contrib, ex.statistics()),
    }
    result = _clean(result)
    result["documents"] = {
        "columns": list(ex.COLUMNS),
        "rows": {r["id"]: row for r, row in zip(gold.records, rows, strict=True)},
    }
    return result, errors


def _token_errors(
    record: dict[str, Any], tokens: list[tuple[int, int]], gold: set[int], pred: set[int]
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
                        "id": record["id"],
                        "kind": kind,
                        "start": s,
                        "end": e,
                        "tokens": len(run),
                        "text": record["text"][s:e],
                    }
                )
                run = []
            if i is not None:
                run.append(i)
    return sorted(out, key=lambda e: (e["start"], e["kind"]))

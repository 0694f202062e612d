"""The scoring functions behind the `evaluate` modules in metrics/, on in-memory inputs.

They build the same gold and prediction objects as `corpus eval` and call the same
evaluation functions, so the numbers are those of the command line, digit for digit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from corpus.evaluation import Gold, evaluate_extraction, evaluate_ner
from corpus.metrics.ner import SCHEMES, Span
from corpus.model import Segment
from corpus.predictions import Predictions
from corpus.records import body_text

Entities = Sequence[dict[str, Any]]


def _gold(records: list[dict[str, Any]]) -> Gold:
    return Gold(records, {r["id"] for r in records}, "in-memory", "in-memory", None)


def ner_scores(predictions: Sequence[Entities], references: Sequence[Entities]) -> dict[str, Any]:
    """Micro and macro P/R/F1 under the four schemes, with the 95% intervals of `corpus eval`."""
    if len(predictions) != len(references):
        raise ValueError("predictions and references must have the same number of documents")
    records, preds = [], Predictions("ner")
    for i, (p, g) in enumerate(zip(predictions, references, strict=True)):
        ident = f"{i:08d}"
        records.append(
            {
                "id": ident,
                "text": "",
                "language": "und",
                "segments": [],
                "entities": [dict(e) for e in g],
            }
        )
        preds.entities[ident] = sorted(Span(e["start"], e["end"], e["label"]) for e in p)
    result, _ = evaluate_ner(_gold(records), preds)
    out: dict[str, Any] = {}
    for avg in ("micro", "macro"):
        for s in SCHEMES:
            for m in ("precision", "recall", "f1"):
                out[f"{avg}.{s}.{m}"] = result["overall"][avg][s][m]
    out["confidence"] = result["confidence"]
    out["per_label"] = result["per_label"]
    return out


def partition(text: str, body: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """Segments covering `text`: the body spans and the boilerplate between them.

    Every boundary must fall between words (as corpus segments do), so that scoring by
    segment sees the same words as the whole text.
    """
    segments, position = [], 0
    for start, end in sorted(body):
        for cut in (start, end):
            if 0 < cut < len(text) and text[cut - 1].isalnum() and text[cut].isalnum():
                raise ValueError(
                    f"body span boundary {cut} falls inside a word; "
                    "fix: give spans that start and end between words"
                )
        if start < position or not 0 <= start < end <= len(text):
            raise ValueError(f"body span [{start}, {end}) overlaps or leaves the text")
        if position < start:
            segments.append({"start": position, "end": start, "label": "boilerplate", "kind": None})
        segments.append({"start": start, "end": end, "label": "body", "kind": None})
        position = end
    if position < len(text):
        segments.append({"start": position, "end": len(text), "label": "boilerplate", "kind": None})
    return segments


def extraction_scores(
    predictions: Sequence[str], texts: Sequence[str], body_spans: Sequence[Sequence[Sequence[int]]]
) -> dict[str, Any]:
    """Token micro/macro and shingle4 scores of extracted texts against gold body spans."""
    if not len(predictions) == len(texts) == len(body_spans):
        raise ValueError("predictions, texts and body_spans must have the same length")
    records, preds = [], Predictions("extraction")
    for i, (p, text, spans) in enumerate(zip(predictions, texts, body_spans, strict=True)):
        ident = f"{i:08d}"
        segments = partition(text, [(s, e) for s, e in spans])
        body = body_text(text, [Segment(s["start"], s["end"], s["label"]) for s in segments])
        records.append(
            {
                "id": ident,
                "text": text,
                "language": "und",
                "segments": segments,
                "entities": [],
                "body": body,
            }
        )
        preds.body_text[ident] = p
    result, _ = evaluate_extraction(_gold(records), preds)
    o = result["overall"]
    out: dict[str, Any] = {
        f"token.{avg}.{m}": o["token"][avg][m]
        for avg in ("micro", "macro")
        for m in ("precision", "recall", "f1")
    }
    out |= {f"shingle4.{m}": o["shingle4"][m] for m in ("precision", "recall", "f1", "accuracy")}
    out["confidence"] = result["confidence"]
    return out

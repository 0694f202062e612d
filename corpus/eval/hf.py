"""The scoring functions behind the `evaluate` modules in metrics/, on plain lists.

They call corpus.eval.score on gold made from the lists, so the numbers are those of the
command line, digit for digit, and predictions get the command line's checks and messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from corpus.eval.gold import in_memory_gold
from corpus.eval.ner import SCHEMES
from corpus.eval.score import score

Entities = Sequence[dict[str, Any]]


def ner_scores(predictions: Sequence[Entities], references: Sequence[Entities]) -> dict[str, Any]:
    """Micro and macro P/R/F1 under the four schemes, with the 95% intervals of `corpus eval`."""
    if len(predictions) != len(references):
        raise ValueError("predictions and references must have the same number of documents")
    gold = in_memory_gold([None] * len(references), entities=[list(g) for g in references])
    lines = [{"id": i, "entities": list(p)} for i, p in zip(gold.ids, predictions, strict=True)]
    result = score("ner", lines, gold=gold).data
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
    segments = [
        partition(t, [(s, e) for s, e in b]) for t, b in zip(texts, body_spans, strict=True)
    ]
    gold = in_memory_gold(list(texts), segments=segments)
    lines = [{"id": i, "body_text": p} for i, p in zip(gold.ids, predictions, strict=True)]
    o = score("extraction", lines, gold=gold, jobs=1).data
    out: dict[str, Any] = {
        f"token.{avg}.{m}": o["overall"]["token"][avg][m]
        for avg in ("micro", "macro")
        for m in ("precision", "recall", "f1")
    }
    out |= {
        f"shingle4.{m}": o["overall"]["shingle4"][m]
        for m in ("precision", "recall", "f1", "accuracy")
    }
    out["confidence"] = o["confidence"]
    return out

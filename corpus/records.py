"""Turning a validated document into the record written to Parquet (pure functions)."""

from __future__ import annotations

from typing import Any

from corpus.bio import bio_tags
from corpus.labels import NER_TAG_IDS
from corpus.model import Annotation, Segment
from corpus.tokenize import tokenize


def body_text(text: str, segments: tuple[Segment, ...] | list[Segment]) -> str:
    """The body: each body segment's text without trailing white space, joined by one newline."""
    parts = [text[s.start : s.end].rstrip() for s in segments if s.label == "body"]
    return "\n".join(p for p in parts if p)


def make_record(text: str, annotation: Annotation, detected: tuple[str, float]) -> dict[str, Any]:
    """The Parquet record of one document (see corpus.schema for the types)."""
    tokens = tokenize(text)
    src = annotation.source
    return {
        "id": annotation.id,
        "language": annotation.language,
        "language_detected": detected[0],
        "language_confidence": detected[1],
        "source": {
            "publisher": src.publisher,
            "url": src.url,
            "date": src.date,
            "license": src.license,
            "note": src.note,
        },
        "text": text,
        "segments": [
            {"start": s.start, "end": s.end, "label": s.label, "kind": s.kind}
            for s in annotation.segments
        ],
        "entities": [
            {"start": e.start, "end": e.end, "label": e.label, "text": e.text}
            for e in annotation.entities
        ],
        "body": body_text(text, annotation.segments),
        "tokens": [text[s:e] for s, e in tokens],
        "ner_tags": [NER_TAG_IDS[t] for t in bio_tags(tokens, annotation.entities)],
    }

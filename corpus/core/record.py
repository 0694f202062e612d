"""The released record: its fields (one description giving the Arrow schema, the Hugging Face
metadata and the card's features, without importing `datasets`) and how a validated document
becomes one (pure functions). tests/schema_oracle.py checks the schema against `datasets`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from corpus.core.bio import bio_tags
from corpus.core.labels import NER_TAG_IDS, NER_TAGS
from corpus.core.model import Annotation, Segment
from corpus.core.tokenize import tokenize

# Where `corpus build` writes the records: data/<language>/<split>-0000i-of-0000N.parquet.
DATA_DIR = "data"

# A field type is a dtype name, a dict (struct), a one-element list (a list of that type),
# or a tuple of class names (a ClassLabel, stored as int64).
_SPAN = {"start": "int32", "end": "int32", "label": "string"}
FIELDS: dict[str, Any] = {
    "id": "string",
    "language": "string",
    "language_detected": "string",
    "language_confidence": "float64",
    "source": {
        **{name: "string" for name in ("publisher", "url", "date", "license", "note", "genre")},
        "year": "int32",
    },
    "provenance": {
        **{k: "string" for k in ("benchmark", "item", "license", "url")},
        **{k: "string" for k in ("renderer", "renderer_version")},
        "layers": {"segments": "string", "entities": "string"},
        "quality": {"gold_in_body": "float64", "body_is_gold": "float64", "ambiguous": "bool"},
        "corrections": ["string"],
        "reviewed": "bool",
        "snippets": {
            "with": ["string"],
            "without": ["string"],
            "disagreements": [{"snippet": "string", "expected": "string", "reason": "string"}],
        },
    },
    "text": "string",
    "segments": [{**_SPAN, "kind": "string"}],
    "entities": [{**_SPAN, "text": "string"}],
    "body": "string",
    "tokens": ["string"],
    "ner_tags": [NER_TAGS],
}


def _arrow(kind: Any) -> pa.DataType:
    if isinstance(kind, dict):
        return pa.struct([(name, _arrow(k)) for name, k in kind.items()])
    if isinstance(kind, list):
        return pa.list_(_arrow(kind[0]))
    if isinstance(kind, tuple):
        return pa.int64()
    return pa.type_for_alias(kind)


def _hf(kind: Any) -> dict[str, Any]:
    if isinstance(kind, dict):
        return {name: _hf(k) for name, k in kind.items()}
    if isinstance(kind, list):
        return {"feature": _hf(kind[0]), "_type": "List"}
    if isinstance(kind, tuple):
        return {"names": list(kind), "_type": "ClassLabel"}
    return {"dtype": kind, "_type": "Value"}


def _yaml(name: str, kind: Any) -> dict[str, Any]:
    if isinstance(kind, dict):
        return {"name": name, "struct": [_yaml(n, k) for n, k in kind.items()]}
    if isinstance(kind, list):
        inner = kind[0]
        if isinstance(inner, dict):
            return {"name": name, "list": [_yaml(n, k) for n, k in inner.items()]}
        if isinstance(inner, tuple):
            names = {str(i): label for i, label in enumerate(inner)}
            return {"name": name, "list": {"class_label": {"names": names}}}
        return {"name": name, "list": inner}
    return {"name": name, "dtype": kind}


# What `datasets` stores under the "huggingface" key: the Features, ClassLabel names included.
HF_METADATA = json.dumps({"info": {"features": _hf(FIELDS)}})

ARROW_SCHEMA: pa.Schema = pa.schema(
    [(name, _arrow(kind)) for name, kind in FIELDS.items()],
    metadata={"huggingface": HF_METADATA},
)

# The `dataset_info.features` list of the dataset card.
FEATURES_YAML: list[dict[str, Any]] = [_yaml(name, kind) for name, kind in FIELDS.items()]


def body_text(text: str, segments: tuple[Segment, ...] | list[Segment]) -> str:
    """The body: each body segment's text without trailing white space, joined by one newline."""
    parts = [text[s.start : s.end].rstrip() for s in segments if s.label == "body"]
    return "\n".join(p for p in parts if p)


def make_record(text: str, annotation: Annotation, detected: tuple[str, float]) -> dict[str, Any]:
    """The Parquet record of one document (types: FIELDS above)."""
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
            "genre": src.genre,
            "year": src.year,
        },
        "provenance": {"snippets": None, **annotation.provenance.to_json_dict()},
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
        # null, not all-O, when the page has no entity gold
        "ner_tags": (
            [NER_TAG_IDS[t] for t in bio_tags(tokens, annotation.entities)]
            if annotation.provenance.entities is not None
            else None
        ),
    }


def read_shard(path: Path, columns: list[str] | None = None) -> pa.Table:
    """One released shard; ValueError naming the file and the fix if it is not readable
    Parquet (truncated by a full disk, or edited by hand)."""
    try:
        return pq.read_table(path, columns=columns)
    except (pa.ArrowInvalid, OSError) as err:
        raise ValueError(
            f"{path}: not a readable Parquet shard ({err}); "
            "fix: run `corpus build` to write it again"
        ) from None

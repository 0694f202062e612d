"""The Parquet schema of the records and the card's feature list, without importing `datasets`.

One plain description of the fields (FIELDS) gives the pyarrow schema, the Hugging Face
metadata it carries and the card's `dataset_info.features`, so `corpus build` starts fast;
tests check all three against what `datasets` derives from corpus.schema.FEATURES.
"""

from __future__ import annotations

import json
from typing import Any

import pyarrow as pa

from corpus.labels import NER_TAGS

# A field type is a dtype name, a dict (struct), a one-element list (a list of that type),
# or a tuple of class names (a ClassLabel, stored as int64).
_SPAN = {"start": "int32", "end": "int32", "label": "string"}
FIELDS: dict[str, Any] = {
    "id": "string",
    "language": "string",
    "language_detected": "string",
    "language_confidence": "float64",
    "source": {name: "string" for name in ("publisher", "url", "date", "license", "note")},
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

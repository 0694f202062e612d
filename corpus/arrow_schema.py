"""The Parquet schema of the records and the card's feature list, without importing `datasets`.

The build uses these constants so that `corpus build` starts fast; tests check that they equal
what `datasets` derives from corpus.schema.FEATURES, so they cannot drift apart.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

_SEGMENT = pa.struct(
    [("start", pa.int32()), ("end", pa.int32()), ("label", pa.string()), ("kind", pa.string())]
)
_ENTITY = pa.struct(
    [("start", pa.int32()), ("end", pa.int32()), ("label", pa.string()), ("text", pa.string())]
)
_SOURCE = pa.struct(
    [(name, pa.string()) for name in ("publisher", "url", "date", "license", "note")]
)

# What `datasets` stores under the "huggingface" key: the Features, ClassLabel names included.
HF_METADATA = (
    '{"info": {"features": {"id": {"dtype": "string", "_type": "Value"}, "language": {"dtype"'
    ': "string", "_type": "Value"}, "language_detected": {"dtype": "string", "_type": "Value"'
    '}, "language_confidence": {"dtype": "float64", "_type": "Value"}, "source": {"publisher"'
    ': {"dtype": "string", "_type": "Value"}, "url": {"dtype": "string", "_type": "Value"}, "'
    'date": {"dtype": "string", "_type": "Value"}, "license": {"dtype": "string", "_type": "V'
    'alue"}, "note": {"dtype": "string", "_type": "Value"}}, "text": {"dtype": "string", "_ty'
    'pe": "Value"}, "segments": {"feature": {"start": {"dtype": "int32", "_type": "Value"}, "'
    'end": {"dtype": "int32", "_type": "Value"}, "label": {"dtype": "string", "_type": "Value'
    '"}, "kind": {"dtype": "string", "_type": "Value"}}, "_type": "List"}, "entities": {"feat'
    'ure": {"start": {"dtype": "int32", "_type": "Value"}, "end": {"dtype": "int32", "_type":'
    ' "Value"}, "label": {"dtype": "string", "_type": "Value"}, "text": {"dtype": "string", "'
    '_type": "Value"}}, "_type": "List"}, "body": {"dtype": "string", "_type": "Value"}, "tok'
    'ens": {"feature": {"dtype": "string", "_type": "Value"}, "_type": "List"}, "ner_tags": {'
    '"feature": {"names": ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC'
    '", "I-MISC"], "_type": "ClassLabel"}, "_type": "List"}}}}'
)

ARROW_SCHEMA: pa.Schema = pa.schema(
    [
        ("id", pa.string()),
        ("language", pa.string()),
        ("language_detected", pa.string()),
        ("language_confidence", pa.float64()),
        ("source", _SOURCE),
        ("text", pa.string()),
        ("segments", pa.list_(_SEGMENT)),
        ("entities", pa.list_(_ENTITY)),
        ("body", pa.string()),
        ("tokens", pa.list_(pa.string())),
        ("ner_tags", pa.list_(pa.int64())),
    ],
    metadata={"huggingface": HF_METADATA},
)

# The `dataset_info.features` list of the dataset card.
FEATURES_YAML: list[dict[str, Any]] = [
    {"name": "id", "dtype": "string"},
    {"name": "language", "dtype": "string"},
    {"name": "language_detected", "dtype": "string"},
    {"name": "language_confidence", "dtype": "float64"},
    {
        "name": "source",
        "struct": [
            {"name": "publisher", "dtype": "string"},
            {"name": "url", "dtype": "string"},
            {"name": "date", "dtype": "string"},
            {"name": "license", "dtype": "string"},
            {"name": "note", "dtype": "string"},
        ],
    },
    {"name": "text", "dtype": "string"},
    {
        "name": "segments",
        "list": [
            {"name": "start", "dtype": "int32"},
            {"name": "end", "dtype": "int32"},
            {"name": "label", "dtype": "string"},
            {"name": "kind", "dtype": "string"},
        ],
    },
    {
        "name": "entities",
        "list": [
            {"name": "start", "dtype": "int32"},
            {"name": "end", "dtype": "int32"},
            {"name": "label", "dtype": "string"},
            {"name": "text", "dtype": "string"},
        ],
    },
    {"name": "body", "dtype": "string"},
    {"name": "tokens", "list": "string"},
    {
        "name": "ner_tags",
        "list": {
            "class_label": {
                "names": {
                    "0": "O",
                    "1": "B-PER",
                    "2": "I-PER",
                    "3": "B-ORG",
                    "4": "I-ORG",
                    "5": "B-LOC",
                    "6": "I-LOC",
                    "7": "B-MISC",
                    "8": "I-MISC",
                }
            }
        },
    },
]

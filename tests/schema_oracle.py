"""The fixed schema of the released records, as `datasets` Features and as a pyarrow schema."""

from __future__ import annotations

import pyarrow as pa
from datasets import ClassLabel, Features, List, Value

from corpus.core.labels import NER_TAGS

FEATURES = Features(
    {
        "id": Value("string"),
        "language": Value("string"),
        "language_detected": Value("string"),
        "language_confidence": Value("float64"),
        "source": {
            "publisher": Value("string"),
            "url": Value("string"),
            "date": Value("string"),
            "license": Value("string"),
            "note": Value("string"),
            "genre": Value("string"),
            "year": Value("int32"),
        },
        "provenance": {
            "benchmark": Value("string"),
            "item": Value("string"),
            "license": Value("string"),
            "url": Value("string"),
            "renderer": Value("string"),
            "renderer_version": Value("string"),
            "layers": {"segments": Value("string"), "entities": Value("string")},
            "quality": {
                "gold_in_body": Value("float64"),
                "body_is_gold": Value("float64"),
                "ambiguous": Value("bool"),
            },
            "corrections": List(Value("string")),
            "reviewed": Value("bool"),
            "snippets": {
                "with": List(Value("string")),
                "without": List(Value("string")),
                "disagreements": List(
                    {
                        "snippet": Value("string"),
                        "expected": Value("string"),
                        "reason": Value("string"),
                    }
                ),
            },
        },
        "text": Value("string"),
        "segments": List(
            {
                "start": Value("int32"),
                "end": Value("int32"),
                "label": Value("string"),
                "kind": Value("string"),
            }
        ),
        "entities": List(
            {
                "start": Value("int32"),
                "end": Value("int32"),
                "label": Value("string"),
                "text": Value("string"),
            }
        ),
        "body": Value("string"),
        "tokens": List(Value("string")),
        "ner_tags": List(ClassLabel(names=list(NER_TAGS))),
    }
)

# Carries the Features as Hugging Face metadata, so ClassLabel survives a plain Parquet read.
# The build uses the same schema from corpus.core.record, which does not import `datasets`.
ARROW_SCHEMA: pa.Schema = FEATURES.arrow_schema

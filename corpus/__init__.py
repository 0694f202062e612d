"""A multilingual gold corpus of web pages and the harness that scores systems against it.

The names a user needs, loaded on first use (so `corpus build` does not pay for the scoring
side's imports): `build`, `validate_corpus`, `read_records` (build side); `score`, `Results`,
`load_gold`, `score_texts` (scoring side); `normalize_bytes`, `tokenize` (core);
`get_system`, `Page` (built-in systems).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.3.0"

_EXPORTS = {
    "build": "corpus.build",
    "validate_corpus": "corpus.build",
    "read_records": "corpus.build",
    "score": "corpus.eval",
    "Results": "corpus.eval",
    "load_gold": "corpus.eval",
    "score_texts": "corpus.eval",
    "normalize_bytes": "corpus.core",
    "tokenize": "corpus.core",
    "get_system": "corpus.systems",
    "Page": "corpus.systems",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'corpus' has no attribute {name!r}")

"""The core both sides share: the data model, labels, normalization, the tokenizer, the
released record's schema, problems and their codes. Nothing here reads the repository."""

from corpus.core.model import Annotation, Document, Entity, Segment, Source, Span
from corpus.core.normalize import NormalizationError, normalize_bytes, normalize_text, sha256_text
from corpus.core.problems import CODES, Problem, ProblemsFound
from corpus.core.tokenize import tokenize, word_tokens

__all__ = [
    "CODES",
    "Annotation",
    "Document",
    "Entity",
    "NormalizationError",
    "Problem",
    "ProblemsFound",
    "Segment",
    "Source",
    "Span",
    "normalize_bytes",
    "normalize_text",
    "sha256_text",
    "tokenize",
    "word_tokens",
]

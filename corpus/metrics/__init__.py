"""Metric definitions (see docs/metrics.md): NER schemes, extraction scores, bootstrap."""

from corpus.metrics.extraction import score_texts

__all__ = ["score_texts"]

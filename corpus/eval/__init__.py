"""The scoring side: gold loading, predictions, the metrics, bootstrap, reports.

`score` is the one entry point (used by `corpus eval`, scripts/baselines.py and the `evaluate`
modules); `score_texts` gives the article-extraction benchmark's shingle measure on plain texts.
Nothing here imports the build side.
"""

from corpus.eval.extraction import score_texts
from corpus.eval.gold import Gold, in_memory_gold, load_gold
from corpus.eval.predictions import Predictions, read_predictions
from corpus.eval.score import Results, score

__all__ = [
    "Gold",
    "Predictions",
    "Results",
    "in_memory_gold",
    "load_gold",
    "read_predictions",
    "score",
    "score_texts",
]

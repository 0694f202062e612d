"""Duplicates across documents: the same URL, or near copies (word 5-shingles).

Two pages are near copies when the Jaccard similarity of their sets of word 5-shingles
(case-folded word tokens, five in a row) is at least NEAR. Candidates come from a bottom-k
sketch (the K smallest shingle hashes of each page: pages that similar share one of them with
near certainty), and every candidate pair is measured exactly, so the answer does not depend
on the sketch. Hashes are CRC-32 of the shingle's UTF-8 bytes: stable across runs.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Mapping

import numpy as np

from corpus.core.tokenize import word_strings

SHINGLE = 5
NEAR = 0.9
K = 16


def shingles(text: str) -> np.ndarray:
    """The sorted, distinct hashes of the text's word 5-shingles (uint32)."""
    words = [w.casefold() for w in word_strings(text)]
    grams = (" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))
    return np.unique(np.fromiter((zlib.crc32(g.encode()) for g in grams), dtype=np.uint32))


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """|a ∩ b| / |a ∪ b| of two sorted distinct hash arrays (0.0 when both are empty)."""
    inter = np.intersect1d(a, b, assume_unique=True).size
    union = a.size + b.size - inter
    return inter / union if union else 0.0


def near_pairs(
    sets: Mapping[str, np.ndarray], threshold: float = NEAR
) -> list[tuple[str, str, float]]:
    """(id, id, Jaccard) of every pair of near copies among `sets` (id -> shingles), the ids
    of a pair in sorted order, pairs sorted."""
    index: dict[int, list[str]] = defaultdict(list)
    for ident in sorted(sets):
        for h in sets[ident][:K].tolist():
            index[h].append(ident)
    candidates = {(a, b) for ids in index.values() for i, a in enumerate(ids) for b in ids[i + 1 :]}
    found = []
    for a, b in sorted(candidates):
        j = jaccard(sets[a], sets[b])
        if j >= threshold:
            found.append((a, b, round(j, 4)))
    return found

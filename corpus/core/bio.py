"""IOB2 tags from entity spans over tokens, and entity spans back from tags (conlleval rules)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from corpus.core.tokenize import Offsets


class Labelled(Protocol):
    start: int
    end: int
    label: str


def bio_tags(tokens: Sequence[Offsets], entities: Sequence[Labelled]) -> list[str]:
    """IOB2 tags for `tokens`: B- on an entity's first token, I- on the rest, else O.

    Entities must start on a token start (the validator guarantees it for gold).
    """
    tags = ["O"] * len(tokens)
    starts = {s: i for i, (s, _) in enumerate(tokens)}
    for e in entities:
        i = starts[e.start]
        tags[i] = f"B-{e.label}"
        i += 1
        while i < len(tokens) and tokens[i][1] <= e.end:
            tags[i] = f"I-{e.label}"
            i += 1
    return tags


def spans_from_tags(tokens: Sequence[Offsets], tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Entity (start, end, label) from per-token tags, decoded as conlleval does.

    A chunk starts at B-X, or at I-X after O or after a chunk of another type; it ends before
    O, B-, or an I- of another type. Plain "X" tags (no prefix) count as I-X.
    """
    out: list[tuple[int, int, str]] = []
    current: list[int] | None = None  # [start, end]
    label = ""
    for (s, e), tag in zip(tokens, tags, strict=True):
        prefix, _, kind = tag.partition("-") if "-" in tag else ("I", "", tag)
        if tag == "O" or prefix not in ("B", "I"):
            if current:
                out.append((current[0], current[1], label))
            current = None
            continue
        if prefix == "B" or current is None or kind != label:
            if current:
                out.append((current[0], current[1], label))
            current, label = [s, e], kind
        else:
            current[1] = e
    if current:
        out.append((current[0], current[1], label))
    return out

"""rules: a transparent capitalization baseline for NER, no lists of names, no training.

1. Candidates are runs of capitalized word tokens (first letter upper case), separated only by
   single spaces; name particles (van, von, der, de, di, la, le, du) may join two of them.
2. A one-token candidate is dropped at a sentence start (start of a line, or after . ! ? :),
   and, in languages that capitalize every noun (de, lb), unless it is an acronym or has an
   inner capital or a digit.
3. Label: ORG if a token is an acronym (2+ capitals), has an inner capital (AliExpress) or is
   a company suffix; MISC if a token has a digit; PER for 2-3 tokens; LOC otherwise.
It is meant as a floor that anyone can read and predict, not as a competitive system.
"""

from __future__ import annotations

from typing import Any

from corpus.core.tokenize import tokenize
from corpus.systems.base import Page, own_version

PARTICLES = frozenset({"van", "von", "der", "de", "di", "la", "le", "du"})
COMPANY_SUFFIXES = frozenset({"AG", "GmbH", "Inc", "Ltd", "Limited", "Group", "Holding", "SA",
                              "Corp", "LLC", "plc", "S.A."})  # fmt: skip
NOUN_CAPITALIZING = frozenset({"de", "lb"})
SENTENCE_END = frozenset({".", "!", "?", ":"})


def _capitalized(token: str) -> bool:
    return token[:1].isupper()


def _strong(token: str) -> bool:
    """An acronym, a word with an inner capital, or one with a digit."""
    upper = sum(ch.isupper() for ch in token)
    return upper >= 2 or any(ch.isdigit() for ch in token)


def _label(words: list[str]) -> str:
    if any(w in COMPANY_SUFFIXES or sum(ch.isupper() for ch in w) >= 2 for w in words):
        return "ORG"
    if any(any(ch.isdigit() for ch in w) for w in words):
        return "MISC"
    return "PER" if 2 <= len(words) <= 3 else "LOC"


def rule_entities(text: str, language: str) -> list[dict[str, Any]]:
    """Entities found by the rules above, as prediction dicts."""
    tokens = tokenize(text)
    out = []
    i = 0
    while i < len(tokens):
        s, e = tokens[i]
        if not _capitalized(text[s:e]) or not text[s:e][0].isalpha():
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and text[tokens[j][1] : tokens[j + 1][0]] == " ":
            nxt = text[tokens[j + 1][0] : tokens[j + 1][1]]
            if _capitalized(nxt) and nxt[0].isalpha():
                j += 1
            elif (
                nxt in PARTICLES
                and j + 2 < len(tokens)
                and text[tokens[j + 1][1] : tokens[j + 2][0]] == " "
                and _capitalized(text[tokens[j + 2][0] : tokens[j + 2][1]])
            ):
                j += 2
            else:
                break
        words = [text[a:b] for a, b in tokens[i : j + 1]]
        prev = text[tokens[i - 1][0] : tokens[i - 1][1]] if i else ""
        at_start = i == 0 or "\n" in text[tokens[i - 1][1] : s] or prev in SENTENCE_END
        single_weak = len(words) == 1 and not _strong(words[0])
        if not (single_weak and (at_start or language in NOUN_CAPITALIZING)):
            out.append({"start": s, "end": tokens[j][1], "label": _label(words)})
        i = j + 1
    return out


class RuleNer:
    """The capitalization baseline as a system."""

    name = "rules"
    task = "ner"
    input = "text"
    version = own_version(__file__)

    def predict(self, page: Page) -> dict[str, Any]:
        return {"id": page.id, "entities": rule_entities(page.text, page.language)}

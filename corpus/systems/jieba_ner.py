"""jieba: the proper-name part-of-speech tags of jieba's segmenter as Chinese NER.

jieba's dictionary and HMM ship inside its wheel. Words tagged nr, nrfg, nrt (person names),
ns (place names), nt (organizations) and nz (other proper names) are predicted with jieba's
own tag as label; scoring maps them with a label map (LABEL_MAP: nr/nrfg/nrt -> PER,
ns -> LOC, nt -> ORG, nz dropped). Runs on Chinese pages only (`languages`).
"""

from __future__ import annotations

from typing import Any

from corpus.systems.base import Page, package_version, require

NAME_TAGS = ("nr", "nrfg", "nrt", "ns", "nt", "nz")
LABEL_MAP = {"nr": "PER", "nrfg": "PER", "nrt": "PER", "ns": "LOC", "nt": "ORG", "nz": ""}


class JiebaNer:
    """Predicts the words jieba tags as proper names, with character offsets."""

    name = "jieba"
    task = "ner"
    input = "text"
    languages = ("zh",)
    version = package_version("jieba")
    label_map = LABEL_MAP

    def predict(self, page: Page) -> dict[str, Any]:
        jieba = require("jieba")
        jieba.setLogLevel(60)
        posseg = require("jieba.posseg")
        entities, position = [], 0
        for pair in posseg.cut(page.text):
            start, position = position, position + len(pair.word)
            if pair.flag in NAME_TAGS and pair.word.strip() == pair.word:
                entities.append({"start": start, "end": position, "label": pair.flag})
        if position != len(page.text):  # jieba never drops characters; fail loudly if it did
            raise RuntimeError(f"{page.id}: jieba's words do not cover the page text")
        return {"id": page.id, "entities": entities}

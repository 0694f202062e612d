"""natasha: Russian NER with the slovnet news model that ships inside the natasha wheel.

Natasha tags PER, LOC and ORG (no MISC); it runs on Russian pages only (`languages`).
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from corpus.systems.base import Page, package_version, require, stripped


class NatashaNer:
    """Predicts natasha's entity spans (character offsets into the page text)."""

    name = "natasha"
    task = "ner"
    input = "text"
    languages = ("ru",)
    version = package_version("natasha")

    @cached_property
    def _pipeline(self) -> tuple[Any, Any, Any]:
        natasha = require("natasha")
        embedding = natasha.NewsEmbedding()
        return natasha, natasha.Segmenter(), natasha.NewsNERTagger(embedding)

    def predict(self, page: Page) -> dict[str, Any]:
        natasha, segmenter, tagger = self._pipeline
        doc = natasha.Doc(page.text)
        doc.segment(segmenter)
        doc.tag_ner(tagger)
        entities = []
        for span in doc.spans:
            start, end = stripped(page.text, span.start, span.stop)
            if start < end:
                entities.append({"start": start, "end": end, "label": span.type})
        return {"id": page.id, "entities": entities}

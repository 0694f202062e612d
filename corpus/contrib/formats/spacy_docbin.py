"""spaCy DocBin: one Doc per document, `doc.ents` for entities, `doc.spans["segments"]`.

Docs are made from the shared tokenizer's tokens plus white-space tokens (each newline its own
token), so `doc.text` is the corpus text exactly and every offset carries over.
"""

from __future__ import annotations

import re
from pathlib import Path

from corpus.contrib.formats.common import segment_label
from corpus.core.model import Document
from corpus.core.tokenize import tokenize

GAP_RE = re.compile(r"\n|[^\S\n]+")


def words_and_spaces(text: str) -> tuple[list[str], list[bool]]:
    """spaCy words/spaces that rebuild `text` exactly, with a token boundary at every line start."""
    words: list[str] = []
    spaces: list[bool] = []
    position = 0
    for s, e in [*tokenize(text), (len(text), len(text))]:
        gap = text[position:s]
        if gap == " " and words:
            spaces[-1] = True
        else:
            for piece in GAP_RE.findall(gap):
                words.append(piece)
                spaces.append(False)
        if s < e:
            words.append(text[s:e])
            spaces.append(False)
        position = e
    return words, spaces


def export(documents: list[Document], path: Path) -> None:
    """Write a .spacy DocBin file (needs spaCy)."""
    import spacy
    from spacy.tokens import Doc, DocBin

    vocab = spacy.blank("xx").vocab
    docbin = DocBin(store_user_data=True)
    for d in documents:
        words, spaces = words_and_spaces(d.text)
        doc = Doc(vocab, words=words, spaces=spaces)
        doc.ents = [doc.char_span(e.start, e.end, label=e.label) for e in d.annotation.entities]
        doc.spans["segments"] = [
            doc.char_span(s.start, s.end, label=segment_label(s)) for s in d.annotation.segments
        ]
        doc.user_data["id"] = d.id
        doc.user_data["language"] = d.annotation.language
        docbin.add(doc)
    docbin.to_disk(path)

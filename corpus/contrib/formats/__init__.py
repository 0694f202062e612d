"""Import and export of the formats annotators use: Label Studio, doccano, brat, CoNLL, spaCy,
the line format (segments in a text editor) and the inline markup (entities in a text editor).

The two registries are what `corpus export FORMAT` and `corpus import FORMAT` offer; a new
format is one module here plus a line in each registry it supports.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from corpus.contrib.formats import (
    brat,
    conll,
    doccano,
    label_studio,
    lines,
    markup,
    spacy_docbin,
)
from corpus.contrib.formats.common import Imported
from corpus.core.model import Document

Exporter = Callable[[list[Document], Path], object]
Reader = Callable[[Path, dict[str, str]], list[Imported]]


def _text_file(export: Callable[[list[Document]], str]) -> Exporter:
    """An exporter that writes the format's text to one UTF-8 file."""
    return lambda documents, out: out.write_text(export(documents), encoding="utf-8")


EXPORTERS: dict[str, Exporter] = {
    "label-studio": _text_file(label_studio.export),
    "doccano": _text_file(doccano.export),
    "brat": brat.export,  # a folder
    "conll": _text_file(conll.export),
    "spacy": spacy_docbin.export,  # a DocBin file
    "lines": lines.export,  # a folder of <id>.lines
    "markup": markup.export,  # a folder of <id>.markup
}
READERS: dict[str, Reader] = {
    "label-studio": label_studio.read,
    "doccano": doccano.read,
    "brat": brat.read,  # a folder
    "lines": lines.read,  # a .lines file or a folder of them
    "markup": markup.read,  # a .markup file or a folder of them
}

"""CoNLL-style columns: token, IOB2 NER tag, and segment label, one token per line.

Each document starts with `-DOCSTART- <id>`; each line of the text is a "sentence" followed by
a blank line (the corpus has no sentence annotation). Tokens are the shared tokenizer's.
"""

from __future__ import annotations

from corpus.contrib.formats.common import segment_label
from corpus.core.bio import bio_tags
from corpus.core.model import Document
from corpus.core.tokenize import tokenize


def export(documents: list[Document]) -> str:
    """The documents as `token<TAB>ner<TAB>segment` lines; documents without entity gold are
    left out (their tags would claim that the page names nothing)."""
    out = []
    for d in documents:
        if d.annotation.provenance.entities is None:
            continue
        tokens = tokenize(d.text)
        tags = bio_tags(tokens, d.annotation.entities)
        segs = d.annotation.segments
        out.append(f"-DOCSTART- {d.id}\tO\tO\n")
        k, previous_end = 0, 0
        for (s, e), tag in zip(tokens, tags, strict=True):
            if "\n" in d.text[previous_end:s] and previous_end:
                out.append("\n")
            while segs[k].end <= s:
                k += 1
            out.append(f"{d.text[s:e]}\t{tag}\t{segment_label(segs[k])}\n")
            previous_end = e
        out.append("\n")
    return "".join(out)

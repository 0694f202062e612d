"""The inline markup: annotate entities in any text editor, `[Alibaba Group|ORG]`.

    # corpus markup: 004_2abd353871a51506 (language de)
    # labels: PER ORG LOC MISC; write [surface|LABEL]; escape [ ] \\ (and | inside ...
    [Lüttich|LOC]: Belgische Staatssicherheit überwacht [Alibaba|ORG]-Warenlager

The file is the page text with each entity written as `[surface|LABEL]`, after the two
comment lines that export writes. Page text that holds a markup character is escaped with a
backslash: `\\[`, `\\]`, `\\\\`, and `\\|` inside an entity (an escaped `|` elsewhere is read
correctly too). Without the markup and the escapes, the file must equal the page text
exactly; the import names the line and column of the first difference. The markup carries
entities only: segments stay as they are. Importing sets the document's entity layer to
`manual`: the file is a person's annotation of every entity of the page.
"""

from __future__ import annotations

from pathlib import Path

from corpus.contrib.formats.common import (
    Imported,
    read_document_files,
    write_document_files,
)
from corpus.core.labels import ENTITY_LABELS
from corpus.core.model import Document, Entity
from corpus.core.problems import Problem

SUFFIX = ".markup"
HEADER_PREFIXES = ("# corpus markup:", "# labels:")  # the two comment lines export writes
SPECIAL = "\\[]|"


def escape(text: str, inside: bool = False) -> str:
    """Page text with its markup characters escaped (`|` only inside an entity)."""
    special = SPECIAL if inside else "\\[]"
    return "".join("\\" + ch if ch in special else ch for ch in text)


def to_markup(doc: Document) -> str:
    """One document in the markup (its entities, if any, already marked)."""
    out = [
        f"# corpus markup: {doc.id} (language {doc.annotation.language})\n"
        "# labels: PER ORG LOC MISC; write [surface|LABEL]; escape [ ] \\ (and | inside an "
        "entity) with a backslash\n"
    ]
    pos = 0
    for e in doc.annotation.entities:
        out.append(escape(doc.text[pos : e.start]))
        out.append(f"[{escape(doc.text[e.start : e.end], inside=True)}|{e.label}]")
        pos = e.end
    out.append(escape(doc.text[pos:]))
    return "".join(out)


def export(documents: list[Document], out: Path) -> list[Path]:
    """Write `<id>.markup` for each document into the folder `out`."""
    return write_document_files(documents, out, SUFFIX, to_markup)


class _Parser:
    """Reads markup into plain text and entities, remembering where each text character was;
    after a mistake it reads on, so that one run reports every mistake of the file."""

    def __init__(self, file: str, content: str) -> None:
        self.file, self.content = file, content
        self.problems: list[Problem] = []
        self.chars: list[str] = []
        self.where: list[int] = []  # content offset of each plain-text character
        self.entities: list[Entity] = []

    def position(self, offset: int) -> tuple[int, int]:
        line = self.content.count("\n", 0, offset) + 1
        return line, offset - (self.content.rfind("\n", 0, offset) + 1) + 1

    def error(self, offset: int, message: str, fix: str) -> None:
        line, column = self.position(offset)
        self.problems.append(Problem(self.file, line, column, "error", "import", message, fix))

    def parse(self, start: int) -> None:
        c, i, n = self.content, start, len(self.content)
        entity_at: int | None = None  # content offset of the open "["
        entity_start = 0
        while i < n:
            ch = c[i]
            if ch == "\\" and i + 1 < n and c[i + 1] in SPECIAL:
                self.chars.append(c[i + 1])
                self.where.append(i)
                i += 2
                continue
            if ch == "[" and entity_at is None:
                entity_at, entity_start = i, len(self.chars)
            elif ch == "[":  # report, then read on from this "[" (every mistake in one run)
                if "\n" in c[entity_at:i]:  # an earlier line left its entity open
                    self.error(entity_at, "an entity is not closed", "write [surface|LABEL]")
                else:
                    fix = "close the first entity with |LABEL]"
                    self.error(i, "an entity inside an entity", fix)
                entity_at, entity_start = i, len(self.chars)
            elif ch == "|" and entity_at is not None:
                end = c.find("]", i)
                label = c[i + 1 : end] if end >= 0 else ""
                if end < 0 or "\n" in label:
                    self.error(entity_at, "an entity is not closed", "write [surface|LABEL]")
                    entity_at = None
                    i += 1
                    continue
                if label not in ENTITY_LABELS:
                    self.error(
                        i + 1,
                        f'unknown entity label "{label}"',
                        f"use one of {', '.join(ENTITY_LABELS)}",
                    )
                elif entity_start == len(self.chars):
                    self.error(entity_at, "an empty entity", "write the name before the |")
                else:
                    surface = "".join(self.chars[entity_start:])
                    self.entities.append(Entity(entity_start, len(self.chars), label, surface))
                entity_at = None
                i = end + 1
                continue
            elif ch == "]" and entity_at is None:
                self.error(i, 'a "]" outside an entity', r"escape it as \] if it is page text")
            elif ch == "]":
                self.error(i, "an entity without a label", "write [surface|LABEL]")
                entity_at = None
            else:
                self.chars.append(ch)
                self.where.append(i)
            i += 1
        if entity_at is not None:
            self.error(entity_at, "an entity is not closed", "write [surface|LABEL]")


def parse(file: str, content: str, ident: str, text: str) -> tuple[Imported, list[Problem]]:
    """The entities a markup file gives document `ident`, whose normalized text is `text`."""
    item = Imported(ident, file, entity_layer="manual")
    start = 0
    for prefix in HEADER_PREFIXES:
        if content.startswith(prefix, start):
            start = content.find("\n", start) + 1
    p = _Parser(file, content)
    p.parse(start)
    plain = "".join(p.chars)
    if not p.problems and plain != text:
        k = next((i for i, (a, b) in enumerate(zip(plain, text, strict=False)) if a != b), None)
        k = min(len(plain), len(text)) if k is None else k
        at = p.where[k] if k < len(p.where) else len(content)
        line = text.count("\n", 0, k) + 1
        p.error(
            at,
            f"the text differs from raw/{ident}.txt (its line {line}): "
            f'"{plain[k : k + 20]}" instead of "{text[k : k + 20]}"',
            "change only the markup, never the page text (escape [ ] | \\ with a backslash)",
        )
    item.entities = p.entities
    return item, p.problems


def read(path: Path, texts: dict[str, str]) -> list[Imported]:
    """Read one `.markup` file or a folder of them (the id is the file name's stem)."""
    return read_document_files(path, texts, SUFFIX, parse)

"""What every format shares: label encodings, imported spans, and merging them into the corpus.

Segments travel as labels next to entities: "body", "boilerplate", or "boilerplate/<kind>"
("boilerplate-<kind>" in brat, whose type names cannot hold "/").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from corpus.build.checks import check_document
from corpus.build.repository import validate_corpus
from corpus.core.annotation_io import AnnotationReader, dump_annotation
from corpus.core.files import write_atomic
from corpus.core.labels import BOILERPLATE_KINDS, ENTITY_LABELS
from corpus.core.model import Annotation, Document, Entity, Segment
from corpus.core.problems import Problem, ProblemsFound


def segment_label(segment: Segment, sep: str = "/") -> str:
    """The label a segment travels under."""
    return segment.label if segment.kind is None else f"{segment.label}{sep}{segment.kind}"


def parse_segment_label(label: str, sep: str = "/") -> tuple[str, str | None] | None:
    """(label, kind) for a segment label, or None if `label` is not one."""
    if label == "body":
        return "body", None
    if label == "boilerplate":
        return "boilerplate", None
    prefix = f"boilerplate{sep}"
    if label.startswith(prefix) and label[len(prefix) :] in BOILERPLATE_KINDS:
        return "boilerplate", label[len(prefix) :]
    return None


def import_error(file: str, message: str, fix: str, line: int | None = None) -> Problem:
    """An import problem: which item of which file, what is wrong, and how to fix it."""
    return Problem(file, line, None, "error", "import", message, fix)


@dataclass
class Imported:
    """Spans read from one item of an annotation tool's export, for one corpus document."""

    id: str
    where: str  # e.g. "task 3" or "line 12", for messages
    segments: list[Segment] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    keep_entities: bool = False  # a format without entities (lines) leaves them as they are
    entity_layer: str | None = None  # a format of complete entity annotation sets the layer


class SpanCollector:
    """Checks spans of one item against the corpus text and sorts them into segments/entities."""

    def __init__(self, file: str, item: Imported, text: str, sep: str = "/") -> None:
        self.file, self.item, self.text, self.sep = file, item, text, sep
        self.problems: list[Problem] = []

    def error(self, where: str, message: str, fix: str) -> None:
        message = f"{self.item.where} (id {self.item.id}), {where}: {message}"
        self.problems.append(import_error(self.file, message, fix))

    def add(
        self, where: str, start: object, end: object, label: object, covered: object = None
    ) -> None:
        n = len(self.text)
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= n):
            self.error(
                where,
                f"offsets [{start}, {end}) do not fit the text ({n} code points)",
                "export again from the same text as raw/<id>.txt (normalized)",
            )
            return
        if covered is not None and covered != self.text[start:end]:
            self.error(
                where,
                f'text "{covered}" differs from the corpus text '
                f'"{self.text[start:end]}" at [{start}, {end})',
                "the tool's text differs from the corpus text; re-import the raw file",
            )
            return
        if label in ENTITY_LABELS:
            self.item.entities.append(Entity(start, end, str(label), self.text[start:end]))
            return
        seg = parse_segment_label(str(label), self.sep) if isinstance(label, str) else None
        if seg is None:
            self.error(
                where,
                f'unknown label "{label}"',
                f"use {', '.join(ENTITY_LABELS)}, body, boilerplate or boilerplate{self.sep}<kind>",
            )
            return
        self.item.segments.append(Segment(start, end, seg[0], seg[1]))


FileParser = Callable[[str, str, str, str], "tuple[Imported, list[Problem]]"]


def write_document_files(
    documents: list[Document], out: Path, suffix: str, render: Callable[[Document], str]
) -> list[Path]:
    """Write `render(document)` to `out/<id><suffix>` for each document; return the paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for doc in documents:
        path = out / f"{doc.id}{suffix}"
        path.write_text(render(doc), encoding="utf-8")
        paths.append(path)
    return paths


def read_document_files(
    path: Path, texts: dict[str, str], suffix: str, parse: FileParser
) -> list[Imported]:
    """Read one `<id><suffix>` file or a folder of them, each with `parse(file, content, id,
    text)`; raise ProblemsFound listing every problem of every file."""
    files = sorted(path.glob(f"*{suffix}")) if path.is_dir() else [path]
    items, problems = [], []
    for f in files:
        ident = f.name.removesuffix(suffix)
        if ident not in texts:
            example = f" (e.g. {min(texts)}{suffix})" if texts else ""
            fix = f"name the file <id>{suffix} after a document of raw/{example}"
            message = f'the file name says id "{ident}", and no corpus document has that id'
            problems.append(import_error(str(f), message, fix))
            continue
        item, found = parse(str(f), f.read_text(encoding="utf-8"), ident, texts[ident])
        items.append(item)
        problems += found
    if not files:
        problems.append(import_error(str(path), f"no {suffix} file", f"give a <id>{suffix} file"))
    if problems:
        raise ProblemsFound(problems)
    return items


def corpus_documents(root: Path) -> dict[str, Document]:
    """The valid documents of the corpus, drafts included, keyed by id (errors raise; a
    snippet disagreement does not: the document is sound, only its release waits)."""
    documents, problems = validate_corpus(root)
    if any(p.severity == "error" and p.code != "snippet" for p in problems):
        raise ProblemsFound(problems)
    return {d.id: d for d in documents}


def merge(root: Path, file: str, items: list[Imported], gold: bool = False) -> list[Path]:
    """Write the imported spans into the documents' annotations, all or nothing; return the
    annotation files that changed.

    Entities replace the annotation's entities (unless the format has none); segments, when
    the item has any, replace its segments, and if they differ the segments layer becomes
    "manual" (so a re-import keeps them); `gold` marks the documents gold (no longer drafts)
    and reviewed (an annotator read every line). Everything is validated first; on any
    problem nothing is written; files are written atomically. Snippet constraints are left to
    `corpus validate`, which lists each disagreement with the source so it can be settled
    after the import.
    """
    documents = corpus_documents(root)
    problems: list[Problem] = []
    merged: list[tuple[Path, Annotation]] = []
    for item in items:
        doc = documents.get(item.id)
        if doc is None:
            problems.append(
                import_error(
                    file,
                    f"{item.where}: no corpus document {item.id}",
                    "add the raw file with `corpus add` first",
                )
            )
            continue
        a = doc.annotation
        segments = tuple(sorted(item.segments)) if item.segments else a.segments
        new = replace(
            a,
            entities=a.entities if item.keep_entities else tuple(sorted(item.entities)),
            segments=segments,
            status="gold" if gold else a.status,
            provenance=replace(
                a.provenance,
                reviewed=a.provenance.reviewed or gold,
                entities=item.entity_layer or a.provenance.entities,
                # segments changed by hand are no longer the source's alignment: the layer
                # says so, and imports keep the document as they keep a reviewed one
                segments="manual" if segments != a.segments else a.provenance.segments,
            ),
        )
        reader = AnnotationReader(dump_annotation(new), doc.annotation_file)
        reader.read()
        for p in check_document(reader, new, doc.text, doc.raw_file, doc.id):
            problems.append(
                replace(
                    p,
                    file=file,
                    line=None,
                    column=None,
                    message=f"{item.where} (id {item.id}): {p.message}",
                )
            )
        merged.append((root / doc.annotation_file, new))
    if problems:
        raise ProblemsFound(problems)
    changed = []
    for path, annotation in merged:
        text = dump_annotation(annotation)
        if path.read_text(encoding="utf-8") != text:
            write_atomic(path, text.encode("utf-8"))
            changed.append(path)
    return changed

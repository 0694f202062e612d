"""Adding a document: a stable id, a copy of the raw file, and a draft annotation to review.

Id rule: `NNN_HHHHHHHHHHHHHHHH` — a sequence number one above the highest in raw/ (three digits,
more once past 999), an underscore, and the first 16 hex digits of the SHA-256 of the source URL
(UTF-8), or of the normalized text when there is no URL. The hash makes an id say where a
document came from; the sequence number keeps raw/ in the order documents were added.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from corpus.build.repository import read_raw
from corpus.core.annotation_io import dump_annotation
from corpus.core.model import Annotation, Entity, Provenance, Segment, Source
from corpus.core.normalize import NormalizationError, normalize_bytes, sha256_text
from corpus.core.problems import Problem, ProblemsFound, byte_line_col
from corpus.systems.base import Page, line_spans, stripped
from corpus.systems.c4_lines import C4Lines
from corpus.systems.rule_ner import RuleNer

# The best built-in extraction system on the corpus (README, "Scores of the built-in systems").
DRAFT_EXTRACTOR = C4Lines
DRAFT_NER = RuleNer
SEQUENCE_RE = re.compile(r"^(\d+)_")


@dataclass(frozen=True)
class Added:
    """What `add_document` wrote."""

    id: str
    raw_file: Path
    annotation_file: Path


def new_id(root: Path, key: str) -> str:
    """The next id: sequence number above the highest in raw/, then 16 hex of SHA-256(key)."""
    numbers = [
        int(m.group(1)) for p in (root / "raw").glob("*.txt") if (m := SEQUENCE_RE.match(p.stem))
    ]
    sequence = max(numbers, default=-1) + 1
    return f"{sequence:03d}_{hashlib.sha256(key.encode('utf-8')).hexdigest()[:16]}"


def segments_from_body_lines(text: str, body: list[tuple[int, int]]) -> tuple[Segment, ...]:
    """A line-based partition: lines overlapping a body span are body, the rest boilerplate.

    Blank lines join the preceding segment and consecutive lines with the same label are
    merged, as ANNOTATION_GUIDELINES.md requires.
    """
    body_set = sorted(body)
    segments: list[list] = []  # [start, end, label]
    for start, end in line_spans(text):
        s, e = stripped(text, start, end)
        line_end = min(end + 1, len(text))
        if s == e:
            if segments:
                segments[-1][1] = line_end
            else:
                segments.append([start, line_end, "boilerplate"])
            continue
        label = "body" if any(a < e and s < b for a, b in body_set) else "boilerplate"
        if segments and (segments[-1][2] == label or segments[-1][1] == start == 0):
            segments[-1][1], segments[-1][2] = line_end, label
        else:
            segments.append([start, line_end, label])
    segments[-1][1] = len(text)
    return tuple(Segment(s, e, lab) for s, e, lab in segments if s < e)


def draft_annotation(
    ident: str, text: str, language: str, source: Source, split: str = "test"
) -> Annotation:
    """A draft pre-filled by the built-in systems, for a person to correct and mark gold."""
    page = Page(ident, text, language)
    spans = [tuple(x) for x in DRAFT_EXTRACTOR().predict(page)["body_spans"]]
    segments = segments_from_body_lines(text, spans)
    ends = sorted(s.end for s in segments)
    entities = []
    for e in DRAFT_NER().predict(page)["entities"]:
        if not any(e["start"] < end < e["end"] for end in ends):
            entities.append(Entity(e["start"], e["end"], e["label"], text[e["start"] : e["end"]]))
    return Annotation(
        ident,
        language,
        source,
        split,
        sha256_text(text),
        segments,
        tuple(entities),
        status="draft",
        provenance=Provenance("manual", "manual"),
    )


def add_document(
    root: Path, file: Path, language: str, source: Source, split: str = "test"
) -> Added:
    """Copy `file` into raw/ under a new id and write its draft annotation.

    Refuses (ProblemsFound) a file that is not UTF-8, is empty, or has the same normalized text
    as a document already in raw/.
    """
    data = file.read_bytes()
    try:
        text = normalize_bytes(data)
    except NormalizationError as err:
        line, col = byte_line_col(data, err.byte_offset)
        raise ProblemsFound(
            [
                Problem(
                    str(file),
                    line,
                    col,
                    "error",
                    "encoding",
                    str(err),
                    "convert the file to UTF-8 first",
                )
            ]
        ) from None
    if not text.strip():
        raise ProblemsFound(
            [
                Problem(
                    str(file),
                    None,
                    None,
                    "error",
                    "empty",
                    "the file has no text",
                    "add the page's text",
                )
            ]
        )
    for existing in sorted((root / "raw").glob("*.txt")):
        other, _ = read_raw(existing, f"raw/{existing.name}")
        if other == text:
            raise ProblemsFound(
                [
                    Problem(
                        str(file),
                        None,
                        None,
                        "error",
                        "duplicate-document",
                        f"same normalized text as raw/{existing.name}",
                        "this page is already in the corpus",
                    )
                ]
            )
    ident = new_id(root, source.url or text)
    raw_path = root / "raw" / f"{ident}.txt"
    ann_path = root / "annotations" / f"{ident}.json"
    if raw_path.exists() or ann_path.exists():
        raise ProblemsFound(
            [
                Problem(
                    str(raw_path),
                    None,
                    None,
                    "error",
                    "duplicate-id",
                    f"{ident} exists already",
                    "remove the stale file",
                )
            ]
        )
    annotation = draft_annotation(ident, text, language, source, split)
    raw_path.write_bytes(data)
    ann_path.write_text(dump_annotation(annotation), encoding="utf-8")
    return Added(ident, raw_path, ann_path)

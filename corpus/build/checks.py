"""The checks of a document and of a corpus, as pure functions: bytes in, problems out.

`validate_bytes` checks one id's raw and annotation bytes (decoding, structure, offsets,
labels); `CorpusChecks` the rules across documents (duplicate texts and ids, drafts). The file
I/O around them is in corpus.build.repository.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from corpus.core.annotation_io import AnnotationReader
from corpus.core.jsonpos import Path as JsonPath
from corpus.core.labels import (
    BOILERPLATE_KINDS,
    ENTITY_LABELS,
    ISO_639_1,
    SEGMENT_LABELS,
    SPLITS,
    STATUSES,
)
from corpus.core.model import Annotation, Document
from corpus.core.normalize import (
    NormalizationError,
    normalize_bytes,
    sha256_text,
)
from corpus.core.problems import Problem, byte_line_col, line_col
from corpus.core.snippets import snippet_verdicts
from corpus.core.tokenize import tokenize

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class _Checker:
    """Collects the problems of one document; positions come from the annotation file."""

    def __init__(self, reader: AnnotationReader, text: str, raw_file: str) -> None:
        self.reader = reader
        self.text = text
        self.raw_file = raw_file
        self.problems: list[Problem] = []

    def raw_at(self, offset: int) -> str:
        line, col = line_col(self.text, offset)
        return f"{self.raw_file}:{line}:{col}"

    def error(self, path: JsonPath, code: str, message: str, fix: str) -> None:
        line, col = self.reader.at(path)
        self.problems.append(Problem(self.reader.file, line, col, "error", code, message, fix))


def check_document(
    reader: AnnotationReader, annotation: Annotation, text: str, raw_file: str, expected_id: str
) -> list[Problem]:
    """Check an annotation against its normalized text; return every problem found."""
    c = _Checker(reader, text, raw_file)
    a = annotation
    if a.id != expected_id:
        c.error(
            ("id",),
            "id-mismatch",
            f'id "{a.id}" differs from the file name "{expected_id}"',
            f'set "id": "{expected_id}" (the id is the file name without extension)',
        )
    if (wrong := language_error(a.language)) is not None:
        c.error(("language",), "language", *wrong)
    if a.status not in STATUSES:
        c.error(
            ("status",),
            "status",
            f'unknown status "{a.status}"',
            'use "draft" (not yet reviewed) or "gold" (reviewed; the default)',
        )
    if (wrong := split_error(a.split)) is not None:
        c.error(("split",), "split", *wrong)
    actual = sha256_text(text)
    if a.text_sha256 != actual:
        c.error(
            ("text_sha256",),
            "stale-sha",
            f"text_sha256 does not match {raw_file} (the raw file changed since annotation)",
            f'check every offset against the new text, then set "text_sha256": "{actual}"',
        )
    _check_provenance(c, a)
    _check_segments(c, a)
    _check_entities(c, a)
    return c.problems


def snippet_problems(
    reader: AnnotationReader, annotation: Annotation, text: str, raw_file: str
) -> list[Problem]:
    """Snippets of the source on the other side of a (structurally valid) document's segments,
    with no disagreement recorded. Kept apart from check_document: the document is sound and
    usable by the tools; only its release waits until each disagreement is settled."""
    if annotation.provenance.snippets is None or not annotation.segments:
        return []
    c = _Checker(reader, text, raw_file)
    _check_snippets(c, annotation)
    return c.problems


def _check_snippets(c: _Checker, a: Annotation) -> None:
    snippets = a.provenance.snippets
    assert snippets is not None
    recorded = {(d.snippet, d.expected) for d in snippets.disagreements}
    for snippet, side, verdict, at in snippet_verdicts(c.text, a.segments, snippets):
        if verdict == "agree" or (snippet, side) in recorded:
            continue
        if verdict == "absent" and side == "boilerplate":
            continue  # text to drop that the rendering does not even have: not in the body
        where = f" ({c.raw_at(at)})" if at is not None else ""
        kind = "with" if side == "body" else "without"
        c.error(
            ("provenance", "snippets", kind),
            "snippet",
            f'the source puts "{snippet}" in {side}, our segments do not{where}'
            + (" (not found in the text)" if verdict == "absent" else ""),
            f"label that line {side}, or record a disagreement with a one-line reason in "
            "provenance.snippets.disagreements",
        )


SEGMENT_LAYER_RE = re.compile(
    r"^(manual|aligned:[a-z0-9][a-z0-9.-]*|converted:[a-z0-9][a-z0-9.-]*)$"
)
ENTITY_LAYERS = ("manual",)


def _check_provenance(c: _Checker, a: Annotation) -> None:
    p = a.provenance
    if not SEGMENT_LAYER_RE.match(p.segments):
        c.error(
            ("provenance", "layers", "segments"),
            "layer",
            f'unknown segments layer "{p.segments}"',
            'use "manual", "aligned:<source>" or "converted:<source>"',
        )
    if p.entities is not None and p.entities not in ENTITY_LAYERS:
        c.error(
            ("provenance", "layers", "entities"),
            "layer",
            f'unknown entities layer "{p.entities}"',
            'use "manual", or null when the document has no entity gold',
        )
    if p.entities is None and a.entities:
        c.error(
            ("provenance", "layers", "entities"),
            "entities-without-layer",
            f"{len(a.entities)} entities, but the entities layer is null (no entity gold)",
            'set "entities": "manual" once every entity of the page is annotated',
        )


def _check_segments(c: _Checker, a: Annotation) -> None:
    text, n = c.text, len(c.text)
    if not a.segments and a.status == "draft":
        return  # not segmented yet (unlabelled lines); drafts are never released
    if not a.segments:
        c.error(
            ("segments",),
            "no-segments",
            "no segments: every character must be in one",
            f'add {{"start": 0, "end": {n}, "label": "body"}} and split it into blocks',
        )
        return
    expected = 0
    for i, s in enumerate(a.segments):
        path: JsonPath = ("segments", i)
        if s.label not in SEGMENT_LABELS:
            c.error(
                (*path, "label"),
                "unknown-label",
                f'unknown segment label "{s.label}"',
                f"use one of: {', '.join(SEGMENT_LABELS)}",
            )
        if s.kind is not None and s.label != "boilerplate":
            c.error(
                (*path, "kind"),
                "kind-on-body",
                '"kind" is only for boilerplate segments',
                'remove "kind" or change "label" to "boilerplate"',
            )
        elif s.kind is not None and s.kind not in BOILERPLATE_KINDS:
            c.error(
                (*path, "kind"),
                "unknown-kind",
                f'unknown boilerplate kind "{s.kind}"',
                f"use one of: {', '.join(BOILERPLATE_KINDS)}",
            )
        if s.end > n:
            c.error(
                (*path, "end"),
                "out-of-range",
                f"segment ends at {s.end}, past the end of the text ({n} code points)",
                f"set end to at most {n}",
            )
            return
        if s.start >= s.end:
            c.error(
                path,
                "empty-span",
                f"segment [{s.start}, {s.end}) is empty or reversed",
                "make start smaller than end, or delete the segment",
            )
            return
        if s.start > expected:
            c.error(
                (*path, "start"),
                "gap",
                f"gap [{expected}, {s.start}) between segments ({c.raw_at(expected)})",
                f"set start to {expected}, or add a segment covering the gap",
            )
        elif s.start < expected:
            c.error(
                (*path, "start"),
                "overlap",
                f"segment starts at {s.start}, inside the previous one ending at {expected}",
                f"set start to {expected} (segments must follow each other in order)",
            )
        elif i > 0 and text[s.start - 1] != "\n":
            c.error(
                (*path, "start"),
                "mid-line",
                f"segment boundary at {s.start} is inside a line ({c.raw_at(s.start)})",
                "move the boundary to the start of a line",
            )
        elif i > 0 and text[s.start] == "\n":
            c.error(
                (*path, "start"),
                "blank-start",
                f"segment starts with a blank line ({c.raw_at(s.start)}); blank lines belong "
                "to the preceding segment",
                "move the start past the blank lines to the first line with text",
            )
        expected = s.end
    if expected != n:
        c.error(
            ("segments", len(a.segments) - 1, "end"),
            "gap",
            f"segments end at {expected} but the text has {n} code points",
            f"extend the last segment to end at {n}",
        )


def _check_entities(c: _Checker, a: Annotation) -> None:
    text, n = c.text, len(c.text)
    tokens = tokenize(text)
    starts = {s for s, _ in tokens}
    ends = {e for _, e in tokens}
    seg_ends = [s.end for s in a.segments]
    previous_end, previous_start = -1, -1
    for i, e in enumerate(a.entities):
        path: JsonPath = ("entities", i)
        if e.label not in ENTITY_LABELS:
            c.error(
                (*path, "label"),
                "unknown-label",
                f'unknown entity label "{e.label}"',
                f"use one of: {', '.join(ENTITY_LABELS)}",
            )
        if e.end > n or e.start >= e.end:
            c.error(
                path,
                "out-of-range",
                f"entity [{e.start}, {e.end}) is empty or outside the text ({n} code points)",
                "correct start and end (code-point offsets into the normalized text)",
            )
            continue
        covered = text[e.start : e.end]
        if covered != e.text:
            c.error(
                (*path, "text"),
                "text-mismatch",
                f'entity text "{e.text}" differs from the covered text "{covered}" '
                f"({c.raw_at(e.start)})",
                "correct start/end so they cover the name, or correct text to match",
            )
        elif e.start not in starts or e.end not in ends:
            c.error(
                path,
                "token-boundary",
                f'entity "{covered}" starts or ends inside a token ({c.raw_at(e.start)})',
                "extend the span to whole tokens (see the tokenizer in ANNOTATION_GUIDELINES.md)",
            )
        if e.start < previous_start:
            c.error(
                (*path, "start"),
                "order",
                f"entity at {e.start} comes after one at {previous_start}",
                "sort entities by start offset",
            )
        elif e.start < previous_end:
            c.error(
                (*path, "start"),
                "overlap",
                f"entity [{e.start}, {e.end}) overlaps the previous entity ending at "
                f"{previous_end}",
                "keep only one of the two overlapping entities",
            )
        k = bisect_left(seg_ends, e.start + 1)
        if k < len(seg_ends) and e.end > seg_ends[k]:
            c.error(
                path,
                "crosses-segment",
                f"entity [{e.start}, {e.end}) crosses the segment boundary at {seg_ends[k]}",
                "shorten the entity or move the segment boundary",
            )
        previous_start, previous_end = e.start, max(previous_end, e.end)


def decode_raw(data: bytes, display: str) -> tuple[str | None, list[Problem]]:
    """Normalize raw file bytes; an undecodable or empty file is an error."""
    try:
        text = normalize_bytes(data)
    except NormalizationError as err:
        line, col = byte_line_col(data, err.byte_offset)
        fix = "re-save the file as UTF-8 (e.g. iconv -f cp1252 -t utf-8)"
        return None, [Problem(display, line, col, "error", "encoding", str(err), fix)]
    if not text.strip():
        fix = "delete the file or put the page's text in it"
        return None, [Problem(display, 1, 1, "error", "empty", "the raw file has no text", fix)]
    control = CONTROL_RE.search(text)
    if control:
        line, col = line_col(text, control.start())
        code = f"U+{ord(control.group()):04X}"
        message = f"control character {code} in the text (a binary file, or a stray byte)"
        fix = "remove it: control characters other than tab and newline are never page text"
        return None, [Problem(display, line, col, "error", "control-character", message, fix)]
    return text, []


# C0 control characters other than tab and newline (CR is normalized away before).
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f]")


def language_error(language: str) -> tuple[str, str] | None:
    """(message, fix) if `language` is not an ISO 639-1 code."""
    if language in ISO_639_1:
        return None
    return (
        f'"{language}" is not an ISO 639-1 code',
        'use a two-letter lower-case code such as "de" or "pl"',
    )


def split_error(split: str) -> tuple[str, str] | None:
    """(message, fix) if `split` is not one of the splits."""
    if split in SPLITS:
        return None
    return f'unknown split "{split}"', f"use one of: {', '.join(SPLITS)}"


def name_problems(names: list[str]) -> list[Problem]:
    """Errors for files whose names are not valid UTF-8 (they cannot be ids)."""
    return [
        Problem(
            name.encode("utf-8", "backslashreplace").decode("utf-8"),
            None,
            None,
            "error",
            "file-name",
            "the file name is not valid UTF-8",
            "rename it to <id>.txt / <id>.json with letters, digits, '_', '-' and '.'",
        )
        for name in names
    ]


def validate_bytes(
    ident: str, raw: bytes | None, ann: bytes | None
) -> tuple[Document | None, list[Problem]]:
    """Validate one id's raw bytes and annotation bytes (None: file absent); no file I/O.

    Returns the Document if it has no error, and every problem found.
    """
    raw_name, ann_name = f"raw/{ident}.txt", f"annotations/{ident}.json"
    if not ID_RE.match(ident):
        where = raw_name if raw is not None else ann_name
        fix = "use letters, digits, '_', '-' and '.' only"
        return None, [
            Problem(where, None, None, "error", "bad-id", f'"{ident}" is not a valid id', fix)
        ]
    if raw is None:
        return None, [
            Problem(
                ann_name,
                None,
                None,
                "error",
                "orphan-annotation",
                f"no raw file {raw_name} for this annotation",
                f"add {raw_name} or delete {ann_name}",
            )
        ]
    text, problems = decode_raw(raw, raw_name)
    if ann is None:
        return None, [
            *problems,
            Problem(
                raw_name,
                None,
                None,
                "error",
                "missing-annotation",
                f"no annotation {ann_name} for this raw file",
                f"write {ann_name} (see ANNOTATION_GUIDELINES.md)",
            ),
        ]
    try:
        ann_text = ann.decode("utf-8")
    except UnicodeDecodeError as err:
        line, col = byte_line_col(ann, err.start)
        return None, [
            *problems,
            Problem(
                ann_name,
                line,
                col,
                "error",
                "encoding",
                f"invalid UTF-8 at byte {err.start}",
                "re-save the annotation as UTF-8",
            ),
        ]
    reader = AnnotationReader(ann_text, ann_name)
    annotation = reader.read()
    problems += reader.problems
    if annotation is None or text is None:
        return None, problems
    problems += check_document(reader, annotation, text, raw_name, ident)
    if any(p.severity == "error" for p in problems):
        return None, problems
    problems += snippet_problems(reader, annotation, text, raw_name)
    return Document(ident, text, annotation, raw_name, ann_name), problems


class CorpusChecks:
    """Checks across documents: duplicate texts and ids (case-insensitive), drafts."""

    def __init__(self) -> None:
        self.seen_text: dict[str, str] = {}
        self.seen_id: dict[str, str] = {}

    def admit(self, ident: str, text_sha: str, status: str) -> list[Problem]:
        """Problems of adding this document to those seen; an error means it is refused."""
        raw_name, ann_name = f"raw/{ident}.txt", f"annotations/{ident}.json"
        if text_sha in self.seen_text:
            return [
                Problem(
                    raw_name,
                    None,
                    None,
                    "error",
                    "duplicate-document",
                    f"same normalized text as {self.seen_text[text_sha]}",
                    "delete one of the two documents",
                )
            ]
        if ident.casefold() in self.seen_id:
            return [
                Problem(
                    ann_name,
                    None,
                    None,
                    "error",
                    "duplicate-id",
                    f'id "{ident}" is also used by {self.seen_id[ident.casefold()]}',
                    "give one of the documents another id",
                )
            ]
        self.seen_text[text_sha] = raw_name
        self.seen_id[ident.casefold()] = ann_name
        if status == "draft":
            return [
                Problem(
                    ann_name,
                    None,
                    None,
                    "warning",
                    "draft",
                    "draft annotation: left out of the released data",
                    "review it by ANNOTATION_GUIDELINES.md, then delete the "
                    '"status": "draft" line (or set "gold")',
                )
            ]
        return []


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Problems in file, line, column order."""
    return sorted(problems, key=lambda p: (p.file, p.line or 0, p.column or 0))

"""Reading predictions files (JSON Lines) and checking them against the gold documents.

NER: {"id": ..., "entities": [{"start": 0, "end": 7, "label": "ORG"}, ...]}
Extraction: {"id": ..., "body_spans": [[start, end], ...]} or {"id": ..., "body_text": "..."}
Offsets are code points into the record's `text`. Every problem is reported with file and line.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import pairwise
from pathlib import Path
from typing import Any

import pyarrow as pa

from corpus.core.labels import ENTITY_LABELS
from corpus.core.model import Span
from corpus.core.problems import Problem, ProblemsFound
from corpus.eval.ner import NO_SPANS, DocSpans
from corpus.eval.ner_bulk import Data, read_ner_bulk

Sink = Callable[[str, "str | None", "list[tuple[int, int]] | None"], None]


@dataclass
class Predictions:
    """Validated predictions keyed by document id, plus ids that were left out or ignored.

    NER predictions are kept as arrays (`spans`); `entities` lists them as Span tuples.
    """

    task: str
    spans: DocSpans = field(default_factory=lambda: DocSpans([], NO_SPANS))
    body_spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    body_text: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @classmethod
    def of_entities(cls, entities: dict[str, list[Span]]) -> Predictions:
        """NER predictions from per-document lists of Span tuples, each sorted by start."""
        return cls("ner", DocSpans.from_lists(entities))

    @cached_property
    def entities(self) -> dict[str, list[Span]]:
        """id -> that document's predicted entities as Span tuples, sorted by start."""
        return self.spans.lists()


def parse_label_map(items: list[str] | None) -> dict[str, str]:
    """Parse FROM=TO pairs (TO may be empty, which drops that label); check_label_map."""
    out = {}
    for item in items or []:
        if "=" not in item:
            raise ValueError(f'--label-map "{item}" is not FROM=TO; fix: write e.g. PERSON=PER')
        src, dst = item.split("=", 1)
        out[src.strip()] = dst.strip()
    return check_label_map(out)


def check_label_map(mapping: dict[str, str]) -> dict[str, str]:
    """The map, if every target is an entity label or empty (drop); else one ValueError for
    the map itself, before any prediction is read (it used to be one error per entity)."""
    wrong = sorted(f"{k}={v}" for k, v in mapping.items() if v and v not in ENTITY_LABELS)
    if wrong:
        raise ValueError(
            f"--label-map {', '.join(wrong)}: the target is not an entity label; fix: map to "
            f"one of {', '.join(ENTITY_LABELS)}, or to nothing (FROM=) to drop the label"
        )
    return mapping


class _Reader:
    def __init__(
        self,
        path: str,
        task: str,
        texts: dict[str, str | None],
        all_ids: set[str],
        label_map: dict[str, str],
        sink: Sink | None = None,
    ) -> None:
        self.path, self.task, self.texts, self.all_ids = path, task, texts, all_ids
        self.label_map = label_map
        self.sink = sink
        self.problems: list[Problem] = []
        self.out = Predictions(task)
        self.found: dict[str, list[Span]] = {}
        self.seen: dict[str, int] = {}

    def error(self, line: int, code: str, message: str, fix: str) -> None:
        self.problems.append(Problem(self.path, line, None, "error", code, message, fix))

    def line(self, n: int, raw: str) -> None:
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as err:
            self.error(
                n,
                "json",
                f"not valid JSON: {err.msg} (column {err.colno})",
                "write one JSON object per line",
            )
            return
        if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
            self.error(
                n,
                "id",
                'each line must be an object with a string "id"',
                'write {"id": "<document id>", ...}',
            )
            return
        ident = obj["id"]
        if ident in self.seen:
            self.error(
                n,
                "duplicate-id",
                f'id "{ident}" already on line {self.seen[ident]}',
                "keep one prediction per document",
            )
            return
        self.seen[ident] = n
        if ident not in self.texts:
            if ident in self.all_ids:
                self.out.ignored.append(ident)
            else:
                self.error(
                    n,
                    "unknown-id",
                    f'id "{ident}" is not a document of the corpus',
                    "remove the line or correct the id",
                )
            return
        if self.task == "ner":
            self.ner(n, ident, obj)
        else:
            self.extraction(n, ident, obj)

    def size(self, ident: str) -> int:
        """The length of the document's text; unbounded when the gold has no text (the
        `evaluate` NER module scores spans without their texts)."""
        text = self.texts[ident]
        return len(text) if text is not None else sys.maxsize

    def span(self, n: int, size: int, what: str, k: int, start: Any, end: Any) -> bool:
        """True if [start, end) is a non-empty span of a text of `size` code points; else an
        error about item k ("entity 3", "body span 0"), its text made only then."""
        if type(start) is not int or type(end) is not int:  # bool is no offset
            self.error(
                n,
                "type",
                f"{what} {k}: start and end must be integers",
                "write code-point offsets as integers",
            )
            return False
        if not 0 <= start < end <= size:
            self.error(
                n,
                "out-of-range",
                f"{what} {k} [{start}, {end}) is empty or outside the text ({size} code points)",
                f"use 0 <= start < end <= {size} (code points into the record's text)",
            )
            return False
        return True

    def disjoint(self, n: int, what: str, spans: list[Any]) -> bool:
        """True if the (start, end, ...) spans, sorted, do not overlap; else an error."""
        if all(a[1] <= b[0] for a, b in pairwise(spans)):
            return True
        for (s1, e1, *_), (s2, e2, *_) in pairwise(spans):
            if s2 < e1:
                self.error(
                    n,
                    "overlap",
                    f"{what} [{s1}, {e1}) and [{s2}, {e2}) overlap",
                    "merge or drop overlapping spans",
                )
                break
        return False

    def ner(self, n: int, ident: str, obj: dict[str, Any]) -> None:
        items = obj.get("entities")
        if not isinstance(items, list):
            self.error(
                n,
                "entities",
                '"entities" must be a list',
                'write "entities": [] for a document without entities',
            )
            return
        spans: list[Span] = []
        ok = True
        size = self.size(ident)
        for k, item in enumerate(items):
            raw = item.get("label") if isinstance(item, dict) else None
            if not isinstance(raw, str):
                self.error(
                    n,
                    "entities",
                    f"entity {k} must be an object with a string label",
                    'write {"start": 0, "end": 7, "label": "ORG"}',
                )
                ok = False
                continue
            label = self.label_map.get(raw, raw)
            if label == "":
                continue
            if label not in ENTITY_LABELS:
                self.error(
                    n,
                    "unknown-label",
                    f'entity {k} has unknown label "{raw}"',
                    f"use one of {', '.join(ENTITY_LABELS)} or map it with "
                    f"--label-map {raw}=<label> (empty drops it)",
                )
                ok = False
                continue
            start, end = item.get("start"), item.get("end")
            if not self.span(n, size, "entity", k, start, end):
                ok = False
                continue
            spans.append(Span(start, end, label))
        spans.sort()
        if ok and self.disjoint(n, "entities", spans):
            self.found[ident] = spans

    def extraction(self, n: int, ident: str, obj: dict[str, Any]) -> None:
        has_spans, has_text = "body_spans" in obj, "body_text" in obj
        if has_spans == has_text:
            self.error(
                n,
                "extraction",
                'give exactly one of "body_spans" and "body_text"',
                'write "body_spans": [[start, end], ...] or "body_text": "..."',
            )
            return
        if has_text:
            if not isinstance(obj["body_text"], str):
                self.error(n, "type", '"body_text" must be a string', "write the extracted text")
                return
            if self.sink is not None:
                self.sink(ident, obj["body_text"], None)
            else:
                self.out.body_text[ident] = obj["body_text"]
            return
        items = obj["body_spans"]
        if not isinstance(items, list):
            self.error(
                n,
                "type",
                '"body_spans" must be a list of [start, end] pairs',
                'write "body_spans": [[0, 120], [300, 480]]',
            )
            return
        spans = []
        size = self.size(ident)
        for k, item in enumerate(items):
            if not isinstance(item, list) or len(item) != 2:
                self.error(
                    n, "type", f"body span {k} must be a [start, end] pair", "write [start, end]"
                )
                return
            if not self.span(n, size, "body span", k, item[0], item[1]):
                return
            spans.append((item[0], item[1]))
        spans.sort()
        if self.disjoint(n, "body spans", spans):
            if self.sink is not None:
                self.sink(ident, None, spans)
            else:
                self.out.body_spans[ident] = spans


def _file_lines(path: Path, reader: _Reader) -> Iterator[tuple[int, str]]:
    """(line number, text) of each line of a file, read one line at a time; a line that is
    not UTF-8 is a problem naming its line and byte."""
    offset = 0
    with path.open("rb") as f:
        for n, raw in enumerate(f, start=1):
            try:
                yield n, raw.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError as err:
                reader.error(
                    n,
                    "encoding",
                    f"invalid UTF-8 at byte {offset + err.start}",
                    "write the predictions as UTF-8",
                )
            offset += len(raw)


MAX_PER_CODE = 10  # problems listed per code; the rest are counted


def capped(problems: list[Problem], limit: int = MAX_PER_CODE) -> list[Problem]:
    """The first `limit` problems of each code, then one line counting the rest of that code
    (a wrong --label-map would otherwise print one line per entity: millions on a big file)."""
    out: list[Problem] = []
    seen: dict[str, int] = {}
    for p in problems:
        seen[p.code] = seen.get(p.code, 0) + 1
        if seen[p.code] <= limit:
            out.append(p)
    for code, n in seen.items():
        if n > limit:
            first = next(p for p in problems if p.code == code)
            more = f"{n - limit:,} more problems like the ones above, not listed"
            out.append(replace(first, line=None, column=None, message=more))
    return out


def read_predictions(
    path: Path | str,
    task: str,
    texts: dict[str, str | None],
    all_ids: set[str],
    allow_missing: bool = False,
    label_map: dict[str, str] | None = None,
    lines: list[str] | None = None,
    sink: Sink | None = None,
) -> Predictions:
    """Read and check a predictions file for `task` ("ner" or "extraction").

    `texts` are the documents being scored (id -> text); ids of `all_ids` outside them are
    ignored (for example another language's documents). Raise ProblemsFound listing every
    problem; a document without a prediction is an error unless `allow_missing`, which scores
    it as an empty prediction. The file is read line by line; with a `sink`, each valid
    extraction prediction is handed to it (id, body_text, body_spans) instead of being kept,
    so memory does not grow with the file.
    """
    name = str(path)
    reader = _Reader(name, task, texts, all_ids, label_map or {}, sink)
    bulk = None
    if task == "ner":
        data = _whole(Path(path), lines)
        bulk = read_ner_bulk(data, texts, all_ids, label_map or {}) if data is not None else None
    out = reader.out
    if bulk is not None:
        kept, spans, out.ignored = bulk
        out.spans, seen = DocSpans(kept, spans), {*kept, *out.ignored}
    else:
        numbered = (
            enumerate(lines, start=1) if lines is not None else _file_lines(Path(path), reader)
        )
        for n, raw in numbered:
            if raw.strip():
                reader.line(n, raw)
        out.spans, seen = DocSpans.from_lists(reader.found), set(reader.seen)
    missing = sorted(set(texts) - seen)
    if missing and not allow_missing:
        reader.problems.append(
            Problem(
                name,
                None,
                None,
                "error",
                "missing-id",
                f"{len(missing)} document(s) have no prediction: {', '.join(missing[:5])}"
                + (" ..." if len(missing) > 5 else ""),
                "add a line for each, or pass --allow-missing to score them as empty predictions",
            )
        )
    if reader.problems:
        raise ProblemsFound(capped(reader.problems))
    out.missing = missing
    if task == "ner":
        out.spans = DocSpans(out.spans.ids + missing, out.spans.spans)
    else:
        for ident in missing:
            out.body_spans[ident] = []
    return out


def _whole(path: Path, lines: list[str] | None) -> Data | None:
    """The predictions as one UTF-8 byte string with a line per prediction, for the bulk
    NER reader (a file is memory-mapped, not copied); None if that cannot stand for them
    exactly (a line holding a line break or text that is not encodable)."""
    if lines is None:
        if path.stat().st_size == 0:
            return None
        with pa.memory_map(str(path)) as mapped:
            return mapped.read_buffer()
    try:
        data = "\n".join(lines).encode("utf-8")
    except UnicodeEncodeError:
        return None
    return data if data.count(b"\n") == max(len(lines) - 1, 0) else None

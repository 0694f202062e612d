"""Problems found in contributed files, reported one line each with file, position and fix.

Every problem has a code from CODES, the one registry of what can go wrong (in the spirit of
Universal Dependencies' validator: each incident names file, position, test id and fix);
`corpus validate --explain CODE` prints an entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class Code(NamedTuple):
    """A problem code's level ("error" or "warning") and what it means, in one line."""

    level: str
    meaning: str


def _e(meaning: str) -> Code:
    return Code("error", meaning)


CODES: dict[str, Code] = {
    # files and layout
    "bad-id": _e("a file name is not a valid id (letters, digits, '_', '-', '.')"),
    "file-name": _e("a file name in raw/ or annotations/ is not valid UTF-8"),
    "stray-file": _e("raw/ holds only *.txt files and annotations/ only *.json files"),
    "not-a-file": _e("a link, folder, pipe or device in raw/ or annotations/ (not a document)"),
    "too-large": _e("a file given to corpus add is larger than any web page's text could be"),
    "orphan-annotation": _e("an annotation file has no raw file of the same id"),
    "missing-annotation": _e("a raw file has no annotation file of the same id"),
    "encoding": _e("a file is not valid UTF-8"),
    "control-character": _e("a raw file holds a control character (never page text)"),
    "empty": _e("a raw file has no text, or there is nothing to release or import"),
    "duplicate-document": _e("two documents have the same normalized text"),
    "duplicate-id": _e("an id is used twice (ids are compared case-insensitively)"),
    "draft": Code("warning", 'a "draft" annotation is left out of the released data'),
    # annotation structure
    "json": _e("a file is not valid JSON (or a line of a JSON Lines file is not)"),
    "type": _e("a value has the wrong type (string, integer, list or object expected)"),
    "duplicate-key": _e("a key appears twice in one JSON object"),
    "missing-key": _e("a required key is missing from an annotation"),
    "unknown-key": _e("an annotation has a key the format does not define"),
    "id-mismatch": _e("the annotation's id differs from its file name"),
    "language": _e("the language is not an ISO 639-1 code"),
    "status": _e('the status is neither "gold" nor "draft"'),
    "split": _e("the split is not train, validation or test"),
    "url": _e("a URL is not an http or https URL (javascript: and data: URLs are refused)"),
    "genre": _e("source.genre is not one of the closed set of genres"),
    "year": _e("source.year is not null nor a year from 1991 to next year"),
    "stale-sha": _e("text_sha256 does not match the raw file: the text changed since annotation"),
    "language-mismatch": Code("warning", "langdetect disagrees with the gold language"),
    "layer": _e("a provenance layer is not manual, aligned:<source> or converted:<source>"),
    "entities-without-layer": _e("entities are given but the entities layer is null"),
    "snippet": _e("a source snippet is on the other side of our segments, with no reason recorded"),
    # segments and entities
    "no-segments": _e("an annotation has no segments; every character must be in one"),
    "unknown-label": _e("a segment or entity label is not in the closed label set"),
    "kind-on-body": _e('"kind" is given on a body segment (only boilerplate has kinds)'),
    "unknown-kind": _e("a boilerplate kind is not in the closed set of kinds"),
    "out-of-range": _e("a span is empty or lies outside the text"),
    "empty-span": _e("a segment is empty or reversed"),
    "gap": _e("the segments leave part of the text uncovered"),
    "overlap": _e("two segments, entities or predicted spans overlap"),
    "mid-line": _e("a segment boundary is inside a line (boundaries are at line starts)"),
    "blank-start": _e("a segment starts with a blank line (blank lines end the previous one)"),
    "text-mismatch": _e("an entity's text differs from the text it covers"),
    "token-boundary": _e("an entity starts or ends inside a token"),
    "order": _e("entities are not sorted by start offset"),
    "crosses-segment": _e("an entity crosses a segment boundary"),
    # predictions
    "id": _e('a predictions line is not an object with a string "id"'),
    "unknown-id": _e("a prediction names a document that is not in the corpus"),
    "missing-id": _e("documents of the scored selection have no prediction"),
    "missing-file": _e("a predictions file does not exist"),
    "entities": _e('a NER prediction\'s "entities" is not a list of labelled objects'),
    "extraction": _e("an extraction prediction gives neither or both of body_spans, body_text"),
    # generated files
    "stale-build": _e("data/ or the README card differs from what `corpus build` writes"),
    "stale-scores": _e("the README's score tables were made on another corpus version"),
    # imports from annotation tools
    "import": _e("an item of an annotation tool's export does not fit the corpus"),
}


@dataclass(frozen=True, order=True)
class Problem:
    """One problem: where it is (file, 1-based line and column), what is wrong and how to fix it."""

    file: str
    line: int | None
    column: int | None
    severity: str  # "error" or "warning"
    code: str
    message: str
    fix: str

    def __post_init__(self) -> None:
        known = CODES.get(self.code)
        if known is None or known.level != self.severity:
            raise ValueError(f"problem code {self.code!r} ({self.severity}) is not in CODES")

    def format(self) -> str:
        """The problem as one line: `file:line:col: error[code]: message; fix: ...`."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.severity}[{self.code}]: {self.message}; fix: {self.fix}"


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in code points) of a code-point offset in `text`."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def byte_line_col(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and byte column of a byte offset in raw `data`."""
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


class ProblemsFound(Exception):
    """Raised by operations that refuse to continue because validation found errors."""

    def __init__(self, problems: list[Problem]) -> None:
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{len(errors)} error(s) found")
        self.problems = problems


def explain(code: str) -> str:
    """One line for `corpus validate --explain CODE`: the code, its level and its meaning."""
    if code not in CODES:
        raise KeyError(f'unknown problem code "{code}"; fix: use one of {", ".join(sorted(CODES))}')
    level, meaning = CODES[code]
    return f"{code} ({level}): {meaning}"

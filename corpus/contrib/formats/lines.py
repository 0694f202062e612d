"""The line format: segment a page in any text editor, one label code in front of each line.

    # corpus lines: <id> (language de)
    N| Startseite
    B| Lüttich: Belgische Staatssicherheit überwacht Alibaba-Warenlager
    B|
    M| Artikel veröffentlicht am ,

A line is `CODE| ` followed by the page line exactly as in raw/<id>.txt. Codes: B body;
boilerplate N navigation, C comment, A advertisement, R related-links, P caption (picture),
M metadata, X notice, O other, K boilerplate without a kind; `?` not labelled yet (an export of
an unsegmented draft). A blank page line goes with the segment above it, whatever its code
(the guidelines' white-space rule). Lines starting with `#` before the first page line are
comments. Only the codes are read back: the text after `| ` must equal the page line (trailing
white space aside, which editors strip), so an edited text is caught with its line and column.
"""

from __future__ import annotations

from pathlib import Path

from corpus.contrib.formats.common import (
    Imported,
    read_document_files,
    write_document_files,
)
from corpus.core.model import Document, Segment
from corpus.core.problems import Problem

CODES: dict[str, tuple[str, str | None]] = {
    "B": ("body", None),
    "N": ("boilerplate", "navigation"),
    "C": ("boilerplate", "comment"),
    "A": ("boilerplate", "advertisement"),
    "R": ("boilerplate", "related-links"),
    "P": ("boilerplate", "caption"),
    "M": ("boilerplate", "metadata"),
    "X": ("boilerplate", "notice"),
    "O": ("boilerplate", "other"),
    "K": ("boilerplate", None),
}
CODE_OF = {v: k for k, v in CODES.items()}
UNLABELLED = "?"
SUFFIX = ".lines"


def page_lines(text: str) -> list[tuple[int, str]]:
    """(start offset, line without its newline) of every line of `text`."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    if text.endswith("\n"):
        out.pop()
    return out


def to_lines(doc: Document) -> str:
    """One document in the line format (`?` on every line of an unsegmented draft)."""
    segments = doc.annotation.segments
    head = (
        f"# corpus lines: {doc.id} (language {doc.annotation.language})\n"
        "# codes: B body | N navigation C comment A advertisement R related-links P caption "
        "M metadata X notice O other K boilerplate | ? not labelled\n"
    )
    out, k = [head], 0
    for start, line in page_lines(doc.text):
        if not segments:
            code = UNLABELLED
        else:
            while segments[k].end <= start:
                k += 1
            code = CODE_OF[(segments[k].label, segments[k].kind)]
        out.append(f"{code}| {line}\n" if line else f"{code}|\n")
    return "".join(out)


def export(documents: list[Document], out: Path) -> list[Path]:
    """Write `<id>.lines` for each document into the folder `out`."""
    return write_document_files(documents, out, SUFFIX, to_lines)


def parse(file: str, content: str, ident: str, text: str) -> tuple[Imported, list[Problem]]:
    """The segments a line file gives document `ident` (whose normalized text is `text`)."""
    rows = content.split("\n")
    if rows and rows[-1] == "":
        rows.pop()
    first = 0
    while first < len(rows) and rows[first].startswith("#"):
        first += 1
    page = page_lines(text)
    item = Imported(ident, file, keep_entities=True)
    problems: list[Problem] = []

    def error(n: int | None, column: int | None, message: str, fix: str) -> None:
        problems.append(Problem(file, n, column, "error", "import", message, fix))

    if len(rows) - first != len(page):
        error(
            None,
            None,
            f"{len(rows) - first} page lines, but raw/{ident}.txt has {len(page)}",
            "export the document again (corpus export lines) and label that file",
        )
        return item, problems
    labels: list[tuple[str, str | None] | None] = []
    for n, (row, (_, line)) in enumerate(zip(rows[first:], page, strict=True), start=first + 1):
        code, bar, rest = row[:1], row[1:2], row[2:]
        if bar != "|":
            error(n, 1, f'"{row[:20]}" does not start with a code and "|"', 'write e.g. "B| "')
            labels.append(None)
            continue
        given = rest[1:] if rest.startswith(" ") else rest
        if given.rstrip() != line.rstrip():
            col = next(
                (i for i, (a, b) in enumerate(zip(given, line, strict=False)) if a != b),
                min(len(given), len(line)),
            )
            error(
                n,
                col + 4,
                f"the text differs from raw/{ident}.txt line {n - first} at column {col + 1}: "
                f'"{given[col : col + 20]}" instead of "{line[col : col + 20]}"',
                "change only the code before the |, never the page text",
            )
        if not line.strip():
            labels.append(None)
            continue
        if code == UNLABELLED or code not in CODES:
            what = "is not labelled yet" if code == UNLABELLED else f'has unknown code "{code}"'
            error(n, 1, f"line {what}", f"use one of {' '.join(CODES)}")
            labels.append(None)
            continue
        labels.append(CODES[code])
    if not problems:
        item.segments = segments_from_labels(text, [s for s, _ in page], labels)
    return item, problems


def segments_from_labels(
    text: str, starts: list[int], labels: list[tuple[str, str | None] | None]
) -> list[Segment]:
    """Segments from one label per line (None: a blank line, which joins the segment above;
    blank lines before the first labelled line join the first segment)."""
    first = next((lab for lab in labels if lab is not None), ("boilerplate", None))
    segments: list[Segment] = []
    for start, label in zip(starts, labels, strict=True):
        if segments and (label is None or (segments[-1].label, segments[-1].kind) == label):
            continue
        label = label or first
        if segments:
            segments[-1] = Segment(segments[-1].start, start, segments[-1].label, segments[-1].kind)
        segments.append(Segment(start, len(text), *label))
    return segments


def read(path: Path, texts: dict[str, str]) -> list[Imported]:
    """Read one `.lines` file or a folder of them (the id is the file name's stem)."""
    return read_document_files(path, texts, SUFFIX, parse)

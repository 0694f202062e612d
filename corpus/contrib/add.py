"""Adding a document: a stable id, a copy of the raw file, and an unsegmented draft annotation.

Id rule: `NNN_HHHHHHHHHHHHHHHH` — a sequence number one above the highest in raw/ (three digits,
more once past 999), an underscore, and the first 16 hex digits of the SHA-256 of the source URL
(UTF-8), or of the normalized text when there is no URL. The hash makes an id say where a
document came from; the sequence number keeps raw/ in the order documents were added.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from corpus.build.checks import decode_raw, language_error, split_error
from corpus.build.repository import iter_stems, read_raw
from corpus.core.annotation_io import dump_annotation, url_error
from corpus.core.model import Annotation, Provenance, Source
from corpus.core.normalize import sha256_text
from corpus.core.problems import Problem, ProblemsFound

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


def draft_annotation(
    ident: str, text: str, language: str, source: Source, split: str = "test"
) -> Annotation:
    """An unsegmented draft: every line unlabelled, no entity layer yet.

    Nothing is pre-filled by a system: a draft made by a system that the harness scores would
    bias the gold toward it. Segment it in the line format (CONTRIBUTING.md); add entities and
    set the entity layer to manual once every entity of the page is annotated.
    """
    return Annotation(
        ident,
        language,
        source,
        split,
        sha256_text(text),
        (),
        status="draft",
        provenance=Provenance("manual", None),
    )


# A page's text is rarely over 1 MB (the corpus's largest is 140 KB); 20 MB is surely not one.
MAX_PAGE_BYTES = 20 * 1024 * 1024


def _read_page(file: Path) -> bytes:
    """The file's bytes; ProblemsFound for a device, pipe or folder (`/dev/zero` would be read
    until memory runs out) or a file over MAX_PAGE_BYTES (read no further than that)."""
    try:
        regular = stat.S_ISREG(os.stat(file).st_mode)
    except OSError as err:
        regular, reason = False, err.strerror
    else:
        reason = "a device, pipe or folder, not a file"
    if not regular:
        raise ProblemsFound(
            [
                Problem(
                    str(file), None, None, "error", "not-a-file", f"cannot add it: {reason}",
                    "save the page's text to a regular file and add that",
                )
            ]
        )  # fmt: skip
    with open(file, "rb") as f:
        data = f.read(MAX_PAGE_BYTES + 1)
    if len(data) > MAX_PAGE_BYTES:
        raise ProblemsFound(
            [
                Problem(
                    str(file), None, None, "error", "too-large",
                    f"over {MAX_PAGE_BYTES // (1024 * 1024)} MB: not one web page's text",
                    "add the text of one page (split a crawl dump into its pages)",
                )
            ]
        )  # fmt: skip
    return data


def add_document(
    root: Path, file: Path, language: str, source: Source, split: str = "test"
) -> Added:
    """Copy `file` into raw/ under a new id and write its draft annotation.

    Refuses (ProblemsFound), with the messages of `corpus validate`, a language or split the
    corpus does not know, a file that is not UTF-8, is empty or holds control characters (a
    binary file), or has the same normalized text as a document already in raw/.
    """
    problems = [
        Problem(str(file), None, None, "error", code, *wrong)
        for code, wrong in (
            ("language", language_error(language)),
            ("split", split_error(split)),
            ("url", url_error(source.url) if source.url else None),
        )
        if wrong is not None
    ]
    data = _read_page(file)
    text, found = decode_raw(data, str(file))
    if problems or text is None:
        raise ProblemsFound(problems + found)
    for stem in sorted(iter_stems(root / "raw", ".txt")):
        existing = root / "raw" / f"{stem}.txt"
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

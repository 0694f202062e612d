"""The per-document step of the build: raw and annotation bytes in, record and problems out.

`process_document` does no file I/O and depends only on its arguments and the code, so it can
run in any process or on any machine (a local process pool, or Dask workers), and its result
can be cached under a key made of the input bytes and CODE_VERSION.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any, NamedTuple

import pyarrow as pa

from corpus.build.checks import validate_bytes
from corpus.build.stats import record_stats
from corpus.core.langid import detect_language, detection_text
from corpus.core.normalize import sha256_text
from corpus.core.problems import Problem
from corpus.core.record import ARROW_SCHEMA, make_record

# Modules whose code decides a record; a change to any of them invalidates the cache.
CODE_MODULES = (
    "build.checks", "build.pipeline", "core.langid", "build.stats", "core.annotation_io",
    "core.bio", "core.jsonpos", "core.labels", "core.model", "core.normalize", "core.problems",
    "core.record", "core.snippets", "core.tokenize",
)  # fmt: skip


@lru_cache(maxsize=1)
def code_version() -> str:
    """SHA-256 of the source of CODE_MODULES and of the langdetect version."""
    import langdetect

    digest = hashlib.sha256(f"langdetect {getattr(langdetect, '__version__', '1.0.9')}".encode())
    for name in CODE_MODULES:  # the sources, read as bytes (nothing imported)
        spec = find_spec(f"corpus.{name}")
        digest.update(Path(spec.origin if spec and spec.origin else "").read_bytes())
    return digest.hexdigest()


def document_key(
    ident: str, raw: bytes | None, ann: bytes | None, version: str | None = None
) -> str:
    """Cache key of a document: its id, both files' bytes (or absence) and the code version
    (`version`, by default that of the running code)."""
    digest = hashlib.sha256((version or code_version()).encode())
    for part in (ident.encode(), raw, ann):
        digest.update(b"-" if part is None else hashlib.sha256(part).digest())
    return digest.hexdigest()


@dataclass
class DocResult:
    """What the build needs to know of one document; `record` is None unless it is released."""

    id: str
    ok: bool
    status: str | None = None
    language: str | None = None
    split: str | None = None
    text_sha256: str | None = None
    problems: list[Problem] = field(default_factory=list)
    stats: dict[str, Any] | None = None
    record: dict[str, Any] | None = None
    code_version: str = ""

    def meta(self) -> DocMeta:
        """The result without its record: what the build's ledger and cache keep."""
        return DocMeta(
            self.ok,
            self.status,
            self.language,
            self.split,
            self.text_sha256,
            tuple(self.problems),
            self.stats,
        )


class DocMeta(NamedTuple):
    """A document's result without its record (small; pickled into the build cache)."""

    ok: bool
    status: str | None
    language: str | None
    split: str | None
    text_sha256: str | None
    problems: tuple[Problem, ...]
    stats: dict[str, Any] | None


class Packed(NamedTuple):
    """A DocResult as it travels back from a worker: meta pickled, record as Arrow IPC bytes.

    The main process stores the bytes in the cache and later concatenates them into shards,
    so it never turns records into Python objects (nor fragments its heap with them).
    """

    id: str
    code_version: str
    meta: bytes
    record: bytes | None


def language_problem(ann_file: str, gold: str, detected: tuple[str, float]) -> list[Problem]:
    """A warning when langdetect disagrees with the gold language."""
    code, prob = detected
    if code == gold:
        return []
    return [
        Problem(
            ann_file,
            None,
            None,
            "warning",
            "language-mismatch",
            f'gold language "{gold}" but langdetect says "{code}" (p={prob:.3f})',
            "check the gold language; keep it if the page really is in that language",
        )
    ]


def process_document(ident: str, raw: bytes | None, ann: bytes | None) -> DocResult:
    """Validate one document and, if it is clean, make its record (language detected)."""
    doc, problems = validate_bytes(ident, raw, ann)
    if doc is None:
        return DocResult(ident, False, problems=problems, code_version=code_version())
    a = doc.annotation
    detected = detect_language(detection_text(doc.text, a.segments))
    problems += language_problem(doc.annotation_file, a.language, detected)
    record = make_record(doc.text, a, detected)
    return DocResult(
        ident,
        True,
        a.status,
        a.language,
        a.split,
        sha256_text(doc.text),
        problems,
        record_stats(record),
        record,
        code_version(),
    )


def process_batch(batch: list[tuple[str, bytes | None, bytes | None]]) -> list[DocResult]:
    """process_document over a batch (one task per batch keeps inter-process traffic low)."""
    return [process_document(*item) for item in batch]


def record_bytes(record: dict[str, Any]) -> bytes:
    """A record as a one-row Arrow record batch in IPC format (schema: ARROW_SCHEMA)."""
    return pa.RecordBatch.from_pylist([record], schema=ARROW_SCHEMA).serialize().to_pybytes()


def record_batch(data: bytes) -> pa.RecordBatch:
    """The record batch that record_bytes made."""
    return pa.ipc.read_record_batch(pa.py_buffer(data), ARROW_SCHEMA)


def pack(result: DocResult) -> Packed:
    """The result ready for the cache: meta pickled, record as Arrow IPC bytes."""
    record = record_bytes(result.record) if result.record is not None else None
    return Packed(result.id, result.code_version, pickle.dumps(result.meta(), protocol=5), record)


def process_packed(batch: list[tuple[str, bytes | None, bytes | None]]) -> list[Packed]:
    """process_batch with packed results: the task the build sends to workers."""
    return [pack(r) for r in process_batch(batch)]

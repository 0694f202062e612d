"""The repository's files: listing raw/ and annotations/, reading them, validating a corpus.

The I/O edge of validation; the checks themselves are pure (corpus.build.checks).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from corpus.build.checks import CorpusChecks, decode_raw, sort_problems, validate_bytes
from corpus.core.model import Document
from corpus.core.normalize import sha256_text
from corpus.core.problems import Problem


def read_raw(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """Read and normalize one raw file; an undecodable or empty file is an error."""
    return decode_raw(path.read_bytes(), display)


def iter_stems(folder: Path, suffix: str) -> Iterator[str]:
    """The names of `folder`'s regular files ending in `suffix`, without it, in directory
    order. Symbolic links, folders, pipes and devices are not documents (layout_problems
    reports them): reading them could leak a file from outside the repository, never end
    (`/dev/zero`, a FIFO) or crash."""
    if not folder.is_dir():
        return
    with os.scandir(folder) as entries:
        for e in entries:
            if e.name.endswith(suffix) and e.is_file(follow_symlinks=False):
                yield e.name[: -len(suffix)]


def iter_documents(root: Path) -> Iterator[tuple[str, Path | None, Path | None]]:
    """Yield (id, raw path, annotation path) for every id seen in raw/ or annotations/.

    Only the file names are listed up front; paths are made one id at a time.
    """
    raws = set(iter_stems(root / "raw", ".txt"))
    anns = set(iter_stems(root / "annotations", ".json"))
    for ident in sorted(raws | anns):
        yield ident, *document_paths(root, ident, ident in raws, ident in anns)


def document_paths(
    root: Path, ident: str, has_raw: bool, has_ann: bool
) -> tuple[Path | None, Path | None]:
    """The raw and annotation files of `ident`, None for the one that is absent."""
    return (
        root / "raw" / f"{ident}.txt" if has_raw else None,
        root / "annotations" / f"{ident}.json" if has_ann else None,
    )


def layout_problems(root: Path) -> list[Problem]:
    """Files of raw/ and annotations/ that cannot be documents: other suffixes, and anything
    that is not a regular file (a symbolic link, a folder, a pipe, a device)."""
    problems = []
    for folder, suffix in (("raw", ".txt"), ("annotations", ".json")):
        for p in sorted((root / folder).glob("*")):
            if p.is_symlink() or not (p.is_file() or p.name.startswith(".")):
                what = "a symbolic link" if p.is_symlink() else "not a regular file"
                problems.append(
                    Problem(
                        f"{folder}/{p.name}",
                        None,
                        None,
                        "error",
                        "not-a-file",
                        f"{what}: only regular files in {folder}/ are documents",
                        "replace it by a copy of the file, or remove it",
                    )
                )
            elif p.is_file() and p.suffix != suffix and not p.name.startswith("."):
                problems.append(
                    Problem(
                        f"{folder}/{p.name}",
                        None,
                        None,
                        "error",
                        "stray-file",
                        f"{folder}/ holds only *{suffix} files",
                        f"rename it to <id>{suffix} or move it out of {folder}/",
                    )
                )
    return problems


def validate_document(
    root: Path, ident: str, raw: Path | None, ann: Path | None
) -> tuple[Document | None, list[Problem]]:
    """Validate one id's raw file and annotation file (None: absent)."""
    return validate_bytes(
        ident, raw.read_bytes() if raw else None, ann.read_bytes() if ann else None
    )


def validate_corpus(root: Path) -> tuple[list[Document], list[Problem]]:
    """Validate every document under `root` in memory; return clean documents and problems.

    For the contributor tools on small corpora; the build runs the same checks per document
    in parallel and with a cache (corpus.build).
    """
    problems = layout_problems(root)
    documents: list[Document] = []
    checks = CorpusChecks()
    for ident, raw, ann in iter_documents(root):
        doc, found = validate_document(root, ident, raw, ann)
        problems += found
        if doc is None:
            continue
        admitted = checks.admit(doc.id, sha256_text(doc.text), doc.annotation.status)
        problems += admitted
        if not any(p.severity == "error" for p in admitted):
            documents.append(doc)
    return documents, sort_problems(problems)

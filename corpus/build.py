"""The build: validated documents -> records -> sharded Parquet under data/, written atomically.

Output goes to a staging folder beside `data/` and replaces it only when every shard is written,
so an interrupted or failed build leaves the previous corpus as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from corpus.langid import detect_language
from corpus.problems import Problem, ProblemsFound
from corpus.records import make_record
from corpus.schema import ARROW_SCHEMA
from corpus.validate import Document, validate_corpus

ROWS_PER_SHARD = 1000
DATA_DIR = "data"


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote (or, with check, would write): records, shards, problems, stale files."""

    records: list[dict[str, Any]]
    shards: list[str]
    problems: list[Problem]
    stale: list[str]


def stale_files(staging: Path, root: Path, readme: str) -> list[str]:
    """Files under data/ and README.md that differ from a fresh build (missing or extra too)."""
    fresh = {p.relative_to(staging).as_posix(): p for p in staging.rglob("*.parquet")}
    data = root / DATA_DIR
    current = {p.relative_to(data).as_posix(): p for p in data.rglob("*.parquet")}
    stale = [
        f"{DATA_DIR}/{name}"
        for name in sorted(fresh.keys() | current.keys())
        if name not in fresh
        or name not in current
        or fresh[name].read_bytes() != current[name].read_bytes()
    ]
    readme_path = root / "README.md"
    if not readme_path.exists() or readme_path.read_text(encoding="utf-8") != readme:
        stale.append("README.md")
    return stale


def language_problems(doc: Document, detected: tuple[str, float]) -> list[Problem]:
    """A warning when langdetect disagrees with the gold language of a document."""
    code, prob = detected
    if code == doc.annotation.language:
        return []
    return [
        Problem(
            doc.annotation_file,
            None,
            None,
            "warning",
            "language-mismatch",
            f'gold language "{doc.annotation.language}" but langdetect says "{code}" '
            f"(p={prob:.3f})",
            "check the gold language; keep it if the page really is in that language",
        )
    ]


def make_records(
    documents: Iterable[Document], on_record: Callable[[], None] | None = None
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Records of the documents, sorted by id, with language-mismatch warnings."""
    records, problems = [], []
    for doc in sorted(documents, key=lambda d: d.id):
        detected = detect_language(doc.text)
        problems += language_problems(doc, detected)
        records.append(make_record(doc.text, doc.annotation, detected))
        if on_record:
            on_record()
    return records, problems


def shard_paths(
    records: list[dict[str, Any]], split_of: dict[str, str]
) -> dict[str, list[dict[str, Any]]]:
    """Group records into shard files `<language>/<split>-0000i-of-0000N.parquet`."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in records:
        groups.setdefault((r["language"], split_of[r["id"]]), []).append(r)
    shards: dict[str, list[dict[str, Any]]] = {}
    for (lang, split), rows in sorted(groups.items()):
        n = (len(rows) + ROWS_PER_SHARD - 1) // ROWS_PER_SHARD
        for i in range(n):
            chunk = rows[i * ROWS_PER_SHARD : (i + 1) * ROWS_PER_SHARD]
            shards[f"{lang}/{split}-{i:05d}-of-{n:05d}.parquet"] = chunk
    return shards


def write_shard(path: Path, rows: list[dict[str, Any]]) -> int:
    """Write one shard with the fixed schema (zstd, reproducible bytes); return its Arrow size."""
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pylist(rows, schema=ARROW_SCHEMA)
    pq.write_table(table, path, compression="zstd", row_group_size=ROWS_PER_SHARD)
    return table.nbytes


def replace_dir(staging: Path, target: Path) -> None:
    """Swap `staging` in for `target`; the old folder is kept until the new one is in place."""
    backup = target.with_name(f".{target.name}.old")
    if backup.exists():
        shutil.rmtree(backup)
    if target.exists():
        os.replace(target, backup)
    try:
        os.replace(staging, target)
    except OSError:
        if backup.exists():
            os.replace(backup, target)
        raise
    if backup.exists():
        shutil.rmtree(backup)


def recover(root: Path) -> None:
    """Restore `data/` from a backup left by a build that died between the two renames."""
    target = root / DATA_DIR
    backup = root / f".{DATA_DIR}.old"
    if backup.exists() and not target.exists():
        os.replace(backup, target)


def build(
    root: Path, on_record: Callable[[], None] | None = None, check: bool = False
) -> BuildResult:
    """Validate everything under `root` and write `data/`; raise ProblemsFound on any error.

    With `check`, nothing is replaced: the result lists the files a build would change.
    """
    from corpus.card import update_readme

    recover(root)
    documents, problems = validate_corpus(root)
    if any(p.severity == "error" for p in problems):
        raise ProblemsFound(problems)
    documents = [d for d in documents if d.annotation.status == "gold"]
    if not documents:
        raise ProblemsFound(
            [
                *problems,
                Problem(
                    "annotations/",
                    None,
                    None,
                    "error",
                    "empty",
                    "no gold document to release",
                    "review a draft and mark it gold",
                ),
            ]
        )
    records, warnings = make_records(documents, on_record)
    problems += warnings
    split_of = {d.id: d.annotation.split for d in documents}
    shards = shard_paths(records, split_of)
    staging = Path(tempfile.mkdtemp(prefix=".data.tmp-", dir=root))
    try:
        nbytes = {r["id"]: 0 for r in records}
        for name, rows in shards.items():
            size = write_shard(staging / name, rows)
            nbytes[rows[0]["id"]] += size
        readme = update_readme(root, records, split_of, nbytes)
        stale = stale_files(staging, root, readme)
        if not check:
            replace_dir(staging, root / DATA_DIR)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    if not check:
        tmp_readme = root / "README.md.tmp"
        tmp_readme.write_text(readme, encoding="utf-8")
        os.replace(tmp_readme, root / "README.md")
    return BuildResult(records, [f"{DATA_DIR}/{s}" for s in shards], problems, stale)


def read_records(root: Path) -> list[dict[str, Any]]:
    """Read every released record back from `data/` with pyarrow, sorted by id."""
    files = sorted((root / DATA_DIR).glob("*/*.parquet"))
    rows = [r for f in files for r in pq.read_table(f).to_pylist()]
    return sorted(rows, key=lambda r: r["id"])

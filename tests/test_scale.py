"""Scale features: cache, incremental rebuilds, and identical bytes from every executor."""

from __future__ import annotations

import hashlib
import json
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pytest

from corpus.build import BuildSettings, read_records
from corpus.build import build as build_corpus
from corpus.build.pipeline import Packed, document_key, process_packed
from corpus.build.shards import write_shard
from corpus.build.synthetic import synthetic_page, write_synthetic_corpus

N = 120
SMALL = BuildSettings(rows_per_shard=10, batch_size=16)


def build(root: Path, *args: Any, settings: BuildSettings = SMALL, **kwargs: Any) -> Any:
    """A build with small shards and batches, so that 120 pages make several of each."""
    return build_corpus(root, *args, settings=settings, **kwargs)


def digests(root: Path) -> dict[str, str]:
    files = [*sorted((root / "data").rglob("*.parquet")), root / "README.md"]
    return {str(f.relative_to(root)): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


@pytest.fixture
def synthetic(tmp_path: Path) -> Path:
    root = tmp_path / "syn"
    write_synthetic_corpus(root, N)
    return root


def counting() -> tuple[list[str], list[Path], BuildSettings]:
    """Settings whose worker and shard writer note what they process and write."""
    processed: list[str] = []
    written: list[Path] = []

    def batch(items: list) -> list[Packed]:
        processed.extend(i for i, _, _ in items)
        return process_packed(items)

    def write(path: Path, rows: list) -> int:
        written.append(path)
        return write_shard(path, rows)

    return processed, written, replace(SMALL, worker=batch, write_shard=write)


def test_synthetic_pages_are_valid_and_deterministic(synthetic: Path) -> None:
    result = build(synthetic)
    assert result.released == N and not [p for p in result.problems if p.severity == "error"]
    assert synthetic_page(7) == synthetic_page(7)
    ids = [r["id"] for r in read_records(synthetic)]
    assert len(ids) == N and all(i.startswith("syn") for i in ids)


def test_rebuild_uses_the_cache_and_one_change_rewrites_one_shard(synthetic: Path) -> None:
    build(synthetic)
    first = digests(synthetic)
    processed, written, counted = counting()
    build(synthetic, settings=counted)
    assert processed == [] and written == [] and digests(synthetic) == first
    ann = synthetic / "annotations" / "syn00_0000042.json"
    data = json.loads(ann.read_text())
    data["entities"].pop()
    ann.write_text(json.dumps(data, ensure_ascii=False, indent=2))
    build(synthetic, settings=counted)
    assert processed == ["syn00_0000042"]
    assert [p.name for p in written] == ["test-00001-of-00003.parquet"]
    changed = {k for k, v in digests(synthetic).items() if first[k] != v}
    assert changed == {"data/synthetic/en/test-00001-of-00003.parquet", "README.md"}  # en


def test_cache_key_depends_on_bytes_and_code_version() -> None:
    key = document_key("a", b"x", b"y")
    assert key != document_key("a", b"x", b"z") and key != document_key("a", b"x", None)
    assert document_key("a", b"x", b"y", version="other code") != key


def test_process_pool_build_equals_in_process_build(synthetic: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(synthetic, other)
    build(synthetic)
    with ProcessPoolExecutor(2, mp_context=get_context("forkserver")) as pool:
        build(other, pool)
    assert digests(other) == digests(synthetic)


def test_dask_local_cluster_build_equals_local_build(synthetic: Path, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    from corpus.core.executors import make_executor

    other = tmp_path / "other"
    shutil.copytree(synthetic, other)
    build(synthetic)
    with make_executor(N, jobs=2, scheduler="local") as executor:
        assert type(executor).__name__ == "ClientExecutor"
        build(other, executor)
    assert digests(other) == digests(synthetic)


def test_worker_with_other_code_is_refused(synthetic: Path) -> None:
    def stale_worker(items: list) -> list[Packed]:
        return [r._replace(code_version="old") for r in process_packed(items)]

    with pytest.raises(RuntimeError, match="same corpus version on every worker"):
        build(synthetic, settings=replace(SMALL, worker=stale_worker))

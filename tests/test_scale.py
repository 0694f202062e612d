"""Scale features: cache, incremental rebuilds, and identical bytes from every executor."""

from __future__ import annotations

import hashlib
import json
import shutil
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pytest

import corpus.build as build_mod
from corpus.build import build, read_records
from corpus.pipeline import Packed, document_key
from corpus.synthetic import synthetic_page, write_synthetic_corpus

N = 120


def digests(root: Path) -> dict[str, str]:
    files = [*sorted((root / "data").rglob("*.parquet")), root / "README.md"]
    return {str(f.relative_to(root)): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


@pytest.fixture
def synthetic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(build_mod, "ROWS_PER_SHARD", 10)
    monkeypatch.setattr(build_mod, "BATCH", 16)
    root = tmp_path / "syn"
    write_synthetic_corpus(root, N)
    return root


def counting(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[Path]]:
    processed: list[str] = []
    written: list[Path] = []
    real_batch, real_write = build_mod.process_packed, build_mod.write_shard

    def batch(items: list) -> list[Packed]:
        processed.extend(i for i, _, _ in items)
        return real_batch(items)

    def write(path: Path, rows: list) -> int:
        written.append(path)
        return real_write(path, rows)

    monkeypatch.setattr(build_mod, "process_packed", batch)
    monkeypatch.setattr(build_mod, "write_shard", write)
    return processed, written


def test_synthetic_pages_are_valid_and_deterministic(synthetic: Path) -> None:
    result = build(synthetic)
    assert result.released == N and not [p for p in result.problems if p.severity == "error"]
    assert synthetic_page(7) == synthetic_page(7)
    ids = [r["id"] for r in read_records(synthetic)]
    assert len(ids) == N and all(i.startswith("syn") for i in ids)


def test_rebuild_uses_the_cache_and_one_change_rewrites_one_shard(
    synthetic: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(synthetic)
    first = digests(synthetic)
    processed, written = counting(monkeypatch)
    build(synthetic)
    assert processed == [] and written == [] and digests(synthetic) == first
    ann = synthetic / "annotations" / "syn00_0000042.json"
    data = json.loads(ann.read_text())
    data["entities"].pop()
    ann.write_text(json.dumps(data, ensure_ascii=False, indent=2))
    build(synthetic)
    assert processed == ["syn00_0000042"]
    assert [p.name for p in written] == ["test-00001-of-00003.parquet"]
    changed = {k for k, v in digests(synthetic).items() if first[k] != v}
    assert changed == {"data/en/test-00001-of-00003.parquet", "README.md"}  # page 42: en


def test_cache_key_depends_on_bytes_and_code_version(monkeypatch: pytest.MonkeyPatch) -> None:
    import corpus.pipeline as pipeline

    key = document_key("a", b"x", b"y")
    assert key != document_key("a", b"x", b"z") and key != document_key("a", b"x", None)
    monkeypatch.setattr(pipeline, "code_version", lambda: "other code")
    assert document_key("a", b"x", b"y") != key


def test_process_pool_build_equals_in_process_build(synthetic: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(synthetic, other)
    build(synthetic)
    with ProcessPoolExecutor(2, mp_context=get_context("forkserver")) as pool:
        build(other, pool)
    assert digests(other) == digests(synthetic)


def test_dask_local_cluster_build_equals_local_build(synthetic: Path, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    from corpus.executors import make_executor

    other = tmp_path / "other"
    shutil.copytree(synthetic, other)
    build(synthetic)
    with make_executor(N, jobs=2, scheduler="local") as executor:
        assert type(executor).__name__ == "ClientExecutor"
        build(other, executor)
    assert digests(other) == digests(synthetic)


def test_worker_with_other_code_is_refused(
    synthetic: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = build_mod.process_packed

    def stale_worker(items: list) -> list[Packed]:
        return [r._replace(code_version="old") for r in real(items)]

    monkeypatch.setattr(build_mod, "process_packed", stale_worker)
    with pytest.raises(RuntimeError, match="same corpus version on every worker"):
        build(synthetic)

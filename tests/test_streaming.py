"""An extraction predictions file is scored as it is read: memory holds a few chunks of
predictions, never the whole file, and the numbers are those of the in-memory path."""

from __future__ import annotations

import importlib
import json
import tracemalloc
from pathlib import Path

import pytest

from corpus.build import build
from corpus.build.synthetic import write_synthetic_corpus
from corpus.eval.gold import load_gold
from corpus.eval.score import score

PAD = "lorem " * 1500  # ~9 KB of words no gold has: every prediction line is large


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("stream") / "repo"
    write_synthetic_corpus(root, 240)
    build(root)
    return root


def _write(path: Path, gold, skip: int = 0, spans: bool = True, pad: str = PAD) -> None:
    with path.open("w", encoding="utf-8") as f:
        for k, (ident, text, segments) in enumerate(
            zip(gold.ids, gold.texts, gold.segments, strict=True)
        ):
            if k < skip:
                continue
            body = [text[s["start"] : s["end"]] for s in segments if s["label"] == "body"]
            if k % 2 or not spans:
                line = {"id": ident, "body_text": "\n".join(body) + "\n" + pad}
            else:
                spans = [[s["start"], s["end"]] for s in segments if s["label"] == "body"]
                line = {"id": ident, "body_spans": spans}
            f.write(json.dumps(line, ensure_ascii=False) + "\n")


def test_streamed_file_scores_like_the_same_predictions_in_memory(
    synthetic: Path, tmp_path: Path
) -> None:
    gold = load_gold(synthetic)
    path = tmp_path / "p.jsonl"
    _write(path, gold, skip=3)
    streamed = score("extraction", path, gold=gold, allow_missing=True, jobs=1)
    lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    in_memory = score("extraction", lines, gold=gold, allow_missing=True, jobs=1)
    assert streamed.data["overall"] == in_memory.data["overall"]
    assert streamed.data["documents"] == in_memory.data["documents"]
    assert streamed.data["confidence"] == in_memory.data["confidence"]
    assert streamed.missing == in_memory.missing == sorted(gold.ids[:3])
    pooled = score("extraction", path, gold=gold, allow_missing=True, jobs=2)
    assert pooled.data["documents"] == streamed.data["documents"]


def _peak(path: Path, gold) -> int:
    tracemalloc.start()
    try:
        score("extraction", path, gold=gold, jobs=1)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_file(
    synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = importlib.import_module("corpus.eval.score")  # the package re-exports the function
    monkeypatch.setattr(module, "STREAM_CHUNK", 10)
    gold = load_gold(synthetic)
    small, big = tmp_path / "small.jsonl", tmp_path / "big.jsonl"
    _write(small, gold, spans=False, pad="")
    _write(big, gold, spans=False)
    grown = big.stat().st_size - small.stat().st_size
    # reading the whole file would cost at least its size again (as text, as lines, as a dict)
    assert grown > 2_000_000
    assert _peak(big, gold) - _peak(small, gold) < grown / 4

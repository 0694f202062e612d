"""`datasets.load_dataset` offline: on the repository itself (every config the card declares,
whatever the corpus holds) and on the seed corpus (exact expectations)."""

from __future__ import annotations

import os
from pathlib import Path

import datasets
import pytest
import yaml
from conftest import REPO

from corpus.build import read_records
from corpus.core.labels import NER_TAGS


@pytest.fixture
def cache(tmp_path: Path) -> str:
    return str(tmp_path / "hf-cache")


def card_configs(root: Path) -> list[dict]:
    text = (root / "README.md").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n", 2)[1])["configs"]


def test_every_config_of_the_card_loads_and_they_fit_together(cache: str) -> None:
    configs = {c["config_name"]: c for c in card_configs(REPO)}
    assert configs["all"].get("default") is True
    everything = datasets.load_dataset(str(REPO), cache_dir=cache)
    assert set(everything) == {d["split"] for d in configs["all"]["data_files"]}
    ids = {split: sorted(ds["id"]) for split, ds in everything.items()}
    languages = {r: ds.unique("language") for r, ds in everything.items()}
    feature = everything["test"].features["ner_tags"].feature
    assert isinstance(feature, datasets.ClassLabel) and feature.names == list(NER_TAGS)
    pooled: dict[str, dict[str, list[str]]] = {"language": {}, "source": {}}
    for name in configs:
        if name == "all":
            continue
        kind = "language" if len(name) == 2 else "source"
        part = datasets.load_dataset(str(REPO), name, cache_dir=cache)
        for split, ds in part.items():
            pooled[kind].setdefault(split, []).extend(ds["id"])
            if kind == "language":
                assert set(ds["language"]) == {name}
    for kind in pooled:  # languages partition the corpus, and so do sources
        assert {s: sorted(v) for s, v in pooled[kind].items()} == ids, kind
    present = {x for v in languages.values() for x in v}
    assert present == {name for name in configs if len(name) == 2}


def test_streaming_gives_the_built_records(cache: str) -> None:
    stream = datasets.load_dataset(str(REPO), split="test", streaming=True, cache_dir=cache)
    streamed = sorted(r["id"] for r in stream)
    test_ids = sorted(
        r["id"]
        for path in sorted((REPO / "data").rglob("test-*.parquet"))
        for r in datasets.Dataset.from_parquet(str(path), cache_dir=cache)
    )
    assert streamed == test_ids


def test_seed_corpus_loads_with_its_exact_records(seed_corpus: Path, cache: str) -> None:
    ds = datasets.load_dataset(str(seed_corpus), cache_dir=cache)
    assert list(ds) == ["test"]
    assert sorted(ds["test"]["language"]) == ["de", "pl"]
    stream = datasets.load_dataset(str(seed_corpus), split="test", streaming=True, cache_dir=cache)
    assert sorted(stream, key=lambda r: r["id"]) == read_records(seed_corpus)


@pytest.mark.parametrize("lang", ["de", "pl"])
def test_seed_language_configs(seed_corpus: Path, cache: str, lang: str) -> None:
    ds = datasets.load_dataset(str(seed_corpus), lang, split="test", cache_dir=cache)
    assert set(ds["language"]) == {lang}


def test_loaded_features_match_the_schema(seed_corpus: Path, cache: str) -> None:
    from schema_oracle import FEATURES

    ds = datasets.load_dataset(str(seed_corpus), "pl", split="test", cache_dir=cache)
    assert ds.features == FEATURES
    row = ds[0]
    source_line = row["text"].rindex("Źródło:")
    assert row["segments"][-1] == {
        "start": source_line,
        "end": len(row["text"]),
        "label": "boilerplate",
        "kind": "metadata",
    }
    assert row["provenance"]["layers"] == {"segments": "manual", "entities": "manual"}


def test_pages_without_entity_gold_have_null_tags(mini, cache: str) -> None:
    from conftest import MANUAL, annotation_for

    from corpus.build import build

    absent = {**MANUAL, "layers": {"segments": "aligned:aeb", "entities": None}}
    mini.add("a", "Text about Berlin.\n", annotation_for("a", "Text about Berlin.\n"))
    mini.add("b", "No entity gold.\n", annotation_for("b", "No entity gold.\n", provenance=absent))
    build(mini.root)
    ds = datasets.load_dataset(str(mini.root), split="test", cache_dir=cache)
    tags = dict(zip(ds["id"], ds["ner_tags"], strict=True))
    assert tags["a"] == [0, 0, 0, 0] and tags["b"] is None


def test_the_readme_form_from_the_repository_root_loads(tmp_path: Path) -> None:
    """`load_dataset(os.getcwd())` from the root, as the README says ("." fails in datasets 5)."""
    import subprocess
    import sys

    code = (
        "import os, datasets; "
        f"d = datasets.load_dataset(os.getcwd(), split='test', cache_dir={str(tmp_path)!r}); "
        "print(len(d))"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert int(done.stdout.strip()) > 0

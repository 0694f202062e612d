"""`datasets.load_dataset` on the repository, offline: configs, splits, streaming, features."""

from __future__ import annotations

from pathlib import Path

import datasets
import pytest
from conftest import REPO

from corpus.build import read_records
from corpus.core.labels import NER_TAGS


@pytest.fixture
def cache(tmp_path: Path) -> str:
    return str(tmp_path / "hf-cache")


def test_default_config_is_all_languages(cache: str) -> None:
    ds = datasets.load_dataset(str(REPO), cache_dir=cache)
    assert list(ds) == ["test"]
    assert sorted(ds["test"]["language"]) == ["de", "pl"]
    feature = ds["test"].features["ner_tags"].feature
    assert isinstance(feature, datasets.ClassLabel) and feature.names == list(NER_TAGS)


@pytest.mark.parametrize("lang", ["de", "pl"])
def test_language_configs(cache: str, lang: str) -> None:
    ds = datasets.load_dataset(str(REPO), lang, split="test", cache_dir=cache)
    assert set(ds["language"]) == {lang}


def test_streaming_gives_the_same_records(cache: str) -> None:
    stream = datasets.load_dataset(str(REPO), split="test", streaming=True, cache_dir=cache)
    streamed = sorted(stream, key=lambda r: r["id"])
    assert streamed == read_records(REPO)


def test_loaded_features_match_the_schema(cache: str) -> None:
    from schema_oracle import FEATURES

    ds = datasets.load_dataset(str(REPO), "pl", split="test", cache_dir=cache)
    assert ds.features == FEATURES
    row = ds[0]
    source_line = row["text"].rindex("Źródło:")
    assert row["segments"][-1] == {
        "start": source_line,
        "end": len(row["text"]),
        "label": "boilerplate",
        "kind": "metadata",
    }

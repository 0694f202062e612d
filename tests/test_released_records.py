"""Invariants over every record the repository releases, whatever the corpus holds: offsets,
partition, entity texts and tags, provenance, and the split rule (one site, one split)."""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import REPO

from corpus.core.bio import bio_tags
from corpus.core.labels import NER_TAGS
from corpus.core.model import Entity, Segment
from corpus.core.record import body_text
from corpus.core.tokenize import tokenize

LAYER_PREFIXES = ("manual", "aligned:", "converted:")


def released() -> list[tuple[str, str, str, dict]]:
    """(source folder, language folder, split, record) of every released record."""
    out = []
    for path in sorted((REPO / "data").rglob("*.parquet")):
        source, language = path.parts[-3], path.parts[-2]
        split = path.name.split("-", 1)[0]
        out += [(source, language, split, r) for r in pq.read_table(path).to_pylist()]
    return out


RECORDS = released()


@pytest.fixture(scope="module")
def records() -> list[tuple[str, str, str, dict]]:
    assert RECORDS, "no released record: run `corpus build`"
    return RECORDS


def test_records_sit_in_their_source_and_language_folders(records: list) -> None:
    for source, language, split, r in records:
        assert r["language"] == language and split in ("test", "validation"), r["id"]
        assert (r["provenance"]["benchmark"] or "original") == source, r["id"]


def test_segments_partition_the_text_at_line_starts(records: list) -> None:
    for *_, r in records:
        text, segs = r["text"], r["segments"]
        assert segs[0]["start"] == 0 and segs[-1]["end"] == len(text), r["id"]
        for a, b in pairwise(segs):
            assert a["end"] == b["start"] and text[b["start"] - 1] == "\n", r["id"]
            assert text[b["start"]] != "\n", r["id"]
        assert all(s["label"] in ("body", "boilerplate") for s in segs)
        segments = tuple(Segment(**s) for s in segs)
        assert r["body"] == body_text(text, segments), r["id"]


def test_tokens_entities_and_tags_agree(records: list) -> None:
    for *_, r in records:
        tokens = tokenize(r["text"])
        assert r["tokens"] == [r["text"][s:e] for s, e in tokens], r["id"]
        for e in r["entities"]:
            assert r["text"][e["start"] : e["end"]] == e["text"], r["id"]
        if r["provenance"]["layers"]["entities"] is None:
            assert r["ner_tags"] is None and r["entities"] == [], r["id"]
        else:
            ents = [Entity(**e) for e in r["entities"]]
            assert [NER_TAGS[t] for t in r["ner_tags"]] == bio_tags(tokens, ents), r["id"]


def test_provenance_says_how_each_layer_was_made(records: list) -> None:
    for *_, r in records:
        p = r["provenance"]
        assert p["layers"]["segments"].startswith(LAYER_PREFIXES), r["id"]
        assert p["layers"]["entities"] in ("manual", None), r["id"]
        if p["benchmark"] is not None:  # imported: where from, rendered how
            assert p["item"] and p["license"] and p["renderer"] == "resiliparse", r["id"]
            assert p["renderer_version"], r["id"]
        if p["layers"]["segments"].startswith(("aligned:", "converted:")):  # and how well
            assert p["quality"] is not None, r["id"]
        if p["layers"]["segments"] == "manual" and p["benchmark"] is not None:
            assert p["reviewed"], r["id"]


def test_no_site_is_in_two_splits(records: list) -> None:
    splits: dict[str, set[str]] = defaultdict(set)
    for _, _, split, r in records:
        if r["provenance"]["benchmark"] is not None:
            splits[r["source"]["publisher"].lower().removeprefix("www.")].add(split)
    assert [site for site, s in splits.items() if len(s) > 1] == []


def test_every_raw_file_is_released_or_a_draft(records: list) -> None:
    ids = {r["id"] for *_, r in records}
    raw = {p.stem for p in Path(REPO / "raw").glob("*.txt")}
    assert ids <= raw


def test_gold_reads_every_entity_as_released(records: list) -> None:
    """load_gold's entity arrays, the dicts made from them, and the corpus version hashed from
    lines made in Arrow equal what the records' own dicts give."""
    from corpus.eval.gold import corpus_version, load_gold

    by_id = {r["id"]: r for _, _, _, r in records}
    for split in sorted({split for _, _, split, _ in records}):
        gold = load_gold(REPO, split)
        assert [list(e) for e in gold.entities] == [by_id[i]["entities"] for i in gold.ids]
        arrays = gold.entity_arrays()
        assert arrays.doc.tolist() == [
            k for k, i in enumerate(gold.ids) for _ in by_id[i]["entities"]
        ]
        kept = gold.with_entity_gold()
        assert [list(e) for e in kept.entities] == [by_id[i]["entities"] for i in kept.ids]
    rows = [(split, r) for _, _, split, r in records]
    assert load_gold(REPO).corpus_version == corpus_version(rows)


def test_every_record_has_a_genre_and_a_plausible_year(records: list) -> None:
    from corpus.core.labels import FIRST_YEAR, GENRES

    for *_, r in records:
        assert r["source"]["genre"] in GENRES, r["id"]
        year = r["source"]["year"]
        assert year is None or FIRST_YEAR <= year <= 2100, r["id"]


def test_no_two_records_share_a_url_or_are_near_copies(records: list) -> None:
    """One document per page across all sources: no shared URL, no near copies (>= 90% of
    word 5-shingles shared, corpus.importers.dedup)."""
    from corpus.importers.dedup import near_pairs, shingles

    urls: dict[str, str] = {}
    for *_, r in records:
        url = r["source"]["url"]
        assert url is None or url not in urls, (r["id"], urls.get(url))
        if url:
            urls[url] = r["id"]
    assert near_pairs({r["id"]: shingles(r["text"]) for *_, r in records}) == []

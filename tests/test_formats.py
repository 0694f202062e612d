"""Import/export: round trips through Label Studio, doccano and brat; CoNLL and spaCy exports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import MANUAL, MiniCorpus, annotation_for
from typer.testing import CliRunner

from corpus.build import read_records
from corpus.cli import app
from corpus.contrib.formats.common import corpus_documents
from corpus.core.labels import NER_TAGS

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def annotations(root: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted((root / "annotations").glob("*.json"))}


@pytest.mark.parametrize(
    ("fmt", "name"), [("label-studio", "ls.json"), ("doccano", "doccano.jsonl"), ("brat", "brat")]
)
def test_round_trip_keeps_every_annotation(
    repo_copy: Path, tmp_path: Path, fmt: str, name: str
) -> None:
    before = annotations(repo_copy)
    out = tmp_path / name
    assert run("export", fmt, str(out), "--root", str(repo_copy)).exit_code == 0
    for p in (repo_copy / "annotations").glob("*.json"):  # wipe entities to prove the import
        ann = json.loads(p.read_text())
        ann["entities"] = []
        p.write_text(json.dumps(ann, ensure_ascii=False, indent=2))
    result = run("import", fmt, str(out), "--root", str(repo_copy))
    assert result.exit_code == 0, result.output
    assert annotations(repo_copy) == before


def test_label_studio_offset_mismatch_names_task_and_result(
    repo_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "ls.json"
    run("export", "label-studio", str(out), "--root", str(repo_copy))
    tasks = json.loads(out.read_text())
    tasks[1]["annotations"][0]["result"][12]["value"]["start"] += 1
    tasks[0]["annotations"][0]["result"][3]["value"]["labels"] = ["PERSON"]
    out.write_text(json.dumps(tasks, ensure_ascii=False))
    before = annotations(repo_copy)
    result = run("import", "label-studio", str(out), "--root", str(repo_copy))
    assert result.exit_code == 1
    assert "task 2 (id 004_2abd353871a51506), result 12: text" in result.output
    assert 'task 1 (id 000_ee8fa7b999b89065), result 3: unknown label "PERSON"' in result.output
    assert "nothing imported" in result.output and annotations(repo_copy) == before


def test_doccano_unknown_document_and_bad_offsets(repo_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "d.jsonl"
    out.write_text(
        json.dumps({"doc_id": "nope", "text": "x", "label": []})
        + "\n"
        + json.dumps({"doc_id": "000_ee8fa7b999b89065", "label": [[0, 99999, "PER"]]})
        + "\n"
    )
    result = run("import", "doccano", str(out), "--root", str(repo_copy))
    assert result.exit_code == 1
    assert f"{out}:1: error[import]: line 1: no corpus document" in result.output
    assert "line 2 (id 000_ee8fa7b999b89065), label 0: offsets [0, 99999)" in result.output


def test_import_that_breaks_the_partition_is_refused(repo_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "brat"
    run("export", "brat", str(out), "--root", str(repo_copy))
    ann = out / "000_ee8fa7b999b89065.ann"
    lines = [x for x in ann.read_text().splitlines() if "\tboilerplate" not in x]
    ann.write_text("\n".join(lines) + "\n")
    result = run("import", "brat", str(out), "--root", str(repo_copy))
    assert result.exit_code == 1 and "error[gap]" in result.output


def test_conll_export_matches_the_released_tags(tmp_path: Path, seed_corpus: Path) -> None:
    out = tmp_path / "c.conll"
    assert run("export", "conll", str(out), "--root", str(seed_corpus)).exit_code == 0
    docs = out.read_text().split("-DOCSTART- ")[1:]
    records = {r["id"]: r for r in read_records(seed_corpus)}
    assert len(docs) == len(records)
    for block in docs:
        ident = block.split("\t", 1)[0]
        rows = [x.split("\t") for x in block.splitlines()[1:] if x]
        record = records[ident]
        assert [r[0] for r in rows] == record["tokens"]
        assert [r[1] for r in rows] == [NER_TAGS[t] for t in record["ner_tags"]]
        assert {r[2] for r in rows} <= {
            "body",
            "boilerplate/metadata",
            "boilerplate/caption",
            "boilerplate/notice",
            "boilerplate/advertisement",
            "boilerplate/comment",
            "boilerplate/related-links",
            "boilerplate/other",
        }


def test_spacy_docbin_round_trip(tmp_path: Path, seed_corpus: Path) -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    out = tmp_path / "corpus.spacy"
    assert run("export", "spacy", str(out), "--root", str(seed_corpus)).exit_code == 0
    docs = list(DocBin().from_disk(out).get_docs(spacy.blank("xx").vocab))
    gold = corpus_documents(seed_corpus)
    assert len(docs) == len(gold)
    for doc in docs:
        d = gold[doc.user_data["id"]]
        assert doc.text == d.text
        assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [
            (e.start, e.end, e.label) for e in d.annotation.entities
        ]
        assert [(s.start_char, s.end_char) for s in doc.spans["segments"]] == [
            (s.start, s.end) for s in d.annotation.segments
        ]


def test_conll_export_leaves_out_pages_without_entity_gold(
    mini: MiniCorpus, tmp_path: Path
) -> None:
    text = "A page about Berlin.\n"
    absent = {**MANUAL, "layers": {"segments": "manual", "entities": None}}
    mini.add("with", text, annotation_for("with", text))
    mini.add(
        "without",
        "Another page.\n",
        annotation_for("without", "Another page.\n", provenance=absent),
    )
    out = tmp_path / "c.conll"
    assert run("export", "conll", str(out), "--root", str(mini.root)).exit_code == 0
    assert [b.split("\t", 1)[0] for b in out.read_text().split("-DOCSTART- ")[1:]] == ["with"]

"""The inline entity markup: export and import with full validation, byte-identical round trip."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import MANUAL, MiniCorpus, annotation_for
from typer.testing import CliRunner

from corpus.cli import app
from corpus.contrib.formats.markup import parse, to_markup

TEXT = "Alibaba [Cainiao] in Lüttich | Belgien\nA\\B test\n"


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_seed_pages_round_trip_byte_identical(repo_copy: Path, tmp_path: Path) -> None:
    before = {p.name: p.read_bytes() for p in (repo_copy / "annotations").glob("*.json")}
    out = tmp_path / "m"
    assert run("export", "markup", str(out), "--root", str(repo_copy)).exit_code == 0
    text = (out / "004_2abd353871a51506.markup").read_text()
    assert "[Lüttich|LOC]: [Belgische|MISC] [Staatssicherheit|ORG] überwacht [Alibaba|ORG]-" in text
    result = run("import", "markup", str(out), "--root", str(repo_copy))
    assert result.exit_code == 0, result.output
    after = {p.name: p.read_bytes() for p in (repo_copy / "annotations").glob("*.json")}
    assert after == before


def test_escapes_and_offsets(mini: MiniCorpus) -> None:
    absent = {**MANUAL, "layers": {"segments": "manual", "entities": None}}
    mini.add("d", TEXT, annotation_for("d", TEXT, provenance=absent))
    content = (
        "# corpus markup: d (language en)\n# labels: ...\n"
        "[Alibaba|ORG] \\[[Cainiao|ORG]\\] in [Lüttich|LOC] | [Belgien|LOC]\nA\\\\B test\n"
    )
    item, problems = parse("d.markup", content, "d", TEXT)
    assert problems == []
    assert [(e.start, e.end, e.label, e.text) for e in item.entities] == [
        (0, 7, "ORG", "Alibaba"),
        (9, 16, "ORG", "Cainiao"),
        (21, 28, "LOC", "Lüttich"),
        (31, 38, "LOC", "Belgien"),
    ]
    f = mini.root / "d.markup"
    f.write_text(content)
    assert run("import", "markup", str(f), "--root", str(mini.root)).exit_code == 0
    data = json.loads((mini.root / "annotations" / "d.json").read_text())
    assert data["provenance"]["layers"]["entities"] == "manual" and len(data["entities"]) == 4
    assert run("validate", "--root", str(mini.root)).exit_code == 0


def test_export_escapes_what_import_reads_back(mini: MiniCorpus) -> None:
    from corpus.contrib.formats.common import corpus_documents

    ents = [{"start": 9, "end": 16, "label": "ORG", "text": "Cainiao"}]
    mini.add("d", TEXT, annotation_for("d", TEXT, entities=ents))
    doc = corpus_documents(mini.root)["d"]
    content = to_markup(doc)
    assert "\\[[Cainiao|ORG]\\] in Lüttich | Belgien\nA\\\\B" in content
    item, problems = parse("d.markup", content, "d", TEXT)
    assert problems == [] and tuple(item.entities) == doc.annotation.entities


def test_a_changed_text_is_named_by_line_and_column(mini: MiniCorpus) -> None:
    mini.add("d", TEXT, annotation_for("d", TEXT))
    f = mini.root / "d.markup"
    f.write_text(
        "# corpus markup: d\n# labels:\n[Alibaba|ORG] \\[Cainiao\\] in Luttich | Belgien\n"
    )
    result = run("import", "markup", str(f), "--root", str(mini.root))
    assert result.exit_code == 1
    assert f"{f}:3:31: error[import]: the text differs from raw/d.txt (its line 1)" in (
        result.output
    )
    assert "escape [ ] | \\ with a backslash" in result.output


def test_broken_markup_is_refused_with_its_position(mini: MiniCorpus) -> None:
    mini.add("d", TEXT, annotation_for("d", TEXT))
    cases = {
        "[Alibaba|COMPANY] x": ("unknown entity label", "1:10"),
        "[Alibaba x": ("an entity is not closed", "1:1"),
        "x ] y": ('a "]" outside an entity', "1:3"),
        "[[Alibaba|ORG]|ORG]": ("an entity inside an entity", "1:2"),
        "[|ORG]": ("an empty entity", "1:1"),
    }
    for content, (message, where) in cases.items():
        _, problems = parse("d.markup", content, "d", TEXT)
        assert problems and message in problems[0].message, content
        assert f"{problems[0].line}:{problems[0].column}" == where, content


def test_every_mistake_of_a_file_is_reported_in_one_run(mini: MiniCorpus, tmp_path: Path) -> None:
    """Three mistakes, three lines with their positions, one run (it took three); a misnamed
    file says which id its name gives and what a name must be."""
    mini.add("d", TEXT, annotation_for("d", TEXT))
    f = mini.root / "d.markup"
    f.write_text("[Alibaba|COMPANY] x ] y\n[Cainiao|ORG] [Lüttich\n[[Belgien|LOC]|LOC]\n")
    result = run("import", "markup", str(f), "--root", str(mini.root))
    assert result.exit_code == 1
    assert f"{f}:1:10: error[import]: unknown entity label" in result.output
    assert f'{f}:1:21: error[import]: a "]" outside an entity' in result.output
    assert f"{f}:2:15: error[import]: an entity is not closed" in result.output
    assert f"{f}:3:2: error[import]: an entity inside an entity" in result.output
    assert "error(s): nothing imported" in result.output
    bad = tmp_path / "bad.markup"
    bad.write_text("[Alibaba|ORG]\n")
    named = run("import", "markup", str(bad), "--root", str(mini.root))
    assert named.exit_code == 1
    assert f'{bad}: error[import]: the file name says id "bad", and no corpus document' in (
        named.output
    )
    assert "e.g. d.markup" in named.output

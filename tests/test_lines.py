"""The line format: segment a page in a text editor; export and import with full validation."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import REPO, MiniCorpus, annotation_for
from typer.testing import CliRunner

from corpus.cli import app
from corpus.contrib.formats.lines import to_lines
from corpus.core.annotation_io import AnnotationReader

TEXT = "Menu Home\n\nThe Headline\nFirst paragraph.\n\n  • related story\nComments (2)\n"


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def corpus_with_page(mini: MiniCorpus, **overrides) -> Path:
    segments = [
        {"start": 0, "end": 11, "label": "boilerplate", "kind": "navigation"},
        {"start": 11, "end": 42, "label": "body"},
        {"start": 42, "end": 60, "label": "boilerplate", "kind": "related-links"},
        {"start": 60, "end": len(TEXT), "label": "boilerplate", "kind": "comment"},
    ]
    entities = [{"start": 15, "end": 23, "label": "MISC", "text": "Headline"}]
    fields = {"segments": segments, "entities": entities, **overrides}
    mini.add("page", TEXT, annotation_for("page", TEXT, **fields))
    return mini.root / "annotations" / "page.json"


def test_export_shows_each_line_with_its_code(mini: MiniCorpus, tmp_path: Path) -> None:
    corpus_with_page(mini)
    assert run("export", "lines", str(tmp_path / "out"), "--root", str(mini.root)).exit_code == 0
    rows = (tmp_path / "out" / "page.lines").read_text().splitlines()
    assert rows[0].startswith("# corpus lines: page")
    assert rows[2:] == [
        "N| Menu Home",
        "N|",
        "B| The Headline",
        "B| First paragraph.",
        "B|",
        "R|   • related story",
        "C| Comments (2)",
    ]


def test_round_trip_gives_byte_identical_annotations(mini: MiniCorpus, tmp_path: Path) -> None:
    path = corpus_with_page(mini)
    canonical = AnnotationReader(path.read_text(), "x").read()
    from corpus.core.annotation_io import dump_annotation

    path.write_text(dump_annotation(canonical))
    before = path.read_bytes()
    out = tmp_path / "out"
    assert run("export", "lines", str(out), "--root", str(mini.root)).exit_code == 0
    result = run("import", "lines", str(out), "--root", str(mini.root))
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == before


def test_relabelling_changes_segments_and_keeps_entities(mini: MiniCorpus, tmp_path: Path) -> None:
    path = corpus_with_page(mini)
    out = tmp_path / "out"
    run("export", "lines", str(out), "--root", str(mini.root))
    lines_file = out / "page.lines"
    lines_file.write_text(lines_file.read_text().replace("R|   • related", "B|   • related"))
    assert run("import", "lines", str(lines_file), "--root", str(mini.root)).exit_code == 0
    data = json.loads(path.read_text())
    assert [(s["start"], s["end"], s["label"]) for s in data["segments"]] == [
        (0, 11, "boilerplate"),
        (11, 60, "body"),
        (60, len(TEXT), "boilerplate"),
    ]
    assert data["entities"] == [{"start": 15, "end": 23, "label": "MISC", "text": "Headline"}]


def test_an_edited_text_is_named_by_line_and_column(mini: MiniCorpus, tmp_path: Path) -> None:
    path = corpus_with_page(mini)
    before = path.read_bytes()
    out = tmp_path / "out"
    run("export", "lines", str(out), "--root", str(mini.root))
    lines_file = out / "page.lines"
    lines_file.write_text(lines_file.read_text().replace("First paragraph.", "First paragraf."))
    result = run("import", "lines", str(out), "--root", str(mini.root))
    assert result.exit_code == 1
    assert f"{lines_file}:6:17:" in result.output and "column 14" in result.output
    assert "never the page text" in result.output and path.read_bytes() == before


def test_unlabelled_lines_and_unknown_codes_are_refused(mini: MiniCorpus, tmp_path: Path) -> None:
    corpus_with_page(mini)
    out = tmp_path / "out"
    run("export", "lines", str(out), "--root", str(mini.root))
    f = out / "page.lines"
    f.write_text(f.read_text().replace("B| The Headline", "?| The Headline").replace("C|", "Z|"))
    result = run("import", "lines", str(out), "--root", str(mini.root))
    assert result.exit_code == 1
    assert f"{f}:5:1: error[import]: line is not labelled yet" in result.output
    assert 'unknown code "Z"' in result.output


def test_stripped_trailing_space_and_blank_codes_are_accepted(mini: MiniCorpus) -> None:
    text = "Title  \n\nBody line\n"
    mini.add("t", text, annotation_for("t", text))
    from corpus.contrib.formats.lines import parse

    item, problems = parse("t.lines", "# c\nB| Title\n?|\nB| Body line\n", "t", text)
    assert problems == [] and [(s.start, s.end) for s in item.segments] == [(0, len(text))]


def test_a_draft_without_segments_exports_question_marks_and_imports_as_gold(
    mini: MiniCorpus, tmp_path: Path
) -> None:
    path = corpus_with_page(mini, segments=[], entities=[], status="draft")
    result = run("validate", "--root", str(mini.root))
    assert result.exit_code == 0 and "warning[draft]" in result.output
    out = tmp_path / "out"
    run("export", "lines", str(out), "--root", str(mini.root))
    labelled = (out / "page.lines").read_text()
    assert "?| Menu Home" in labelled
    codes = iter("NBBRC")
    rows = [
        (next(codes) + r[1:]) if r.startswith("?| ") and r[3:].strip() else r
        for r in labelled.splitlines()
    ]
    (out / "page.lines").write_text("\n".join(rows) + "\n")
    assert run("import", "lines", str(out), "--gold", "--root", str(mini.root)).exit_code == 0
    data = json.loads(path.read_text())
    assert "status" not in data and data["segments"][1] == {"start": 11, "end": 42, "label": "body"}
    assert data["provenance"]["reviewed"] is True


def test_to_lines_of_every_seed_document_reads_back(seed_corpus: Path) -> None:
    from corpus.contrib.formats.common import corpus_documents
    from corpus.contrib.formats.lines import parse

    for ident, doc in corpus_documents(seed_corpus).items():
        item, problems = parse(ident, to_lines(doc), ident, doc.text)
        assert problems == [] and tuple(item.segments) == doc.annotation.segments


def test_contributing_shows_what_export_lines_writes(repo_copy: Path, tmp_path: Path) -> None:
    """CONTRIBUTING's line-format example is the start of the real export of the seed page."""
    contributing = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    start = contributing.index("```\n# corpus lines: ") + 4
    shown = contributing[start : contributing.index("```", start)].rstrip("\n").split("\n")
    assert shown[-1].startswith("… (") and shown[-1].endswith(" more lines)")
    ident = shown[0].split()[3]
    assert (
        run("export", "lines", str(tmp_path), "--id", ident, "--root", str(repo_copy)).exit_code
        == 0
    )
    real = (tmp_path / f"{ident}.lines").read_text(encoding="utf-8").split("\n")
    assert shown[:-1] == real[: len(shown) - 1]
    assert int(shown[-1][3:].split()[0]) == len(real) - (len(shown) - 1) - (real[-1] == "")

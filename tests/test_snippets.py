"""Snippet constraints (a source's partial gold) checked against hand-made segments, and the
preparation of trafilatura's evaluation pages as unsegmented drafts."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

from conftest import MANUAL, MiniCorpus, annotation_for
from typer.testing import CliRunner

from corpus.cli import app
from corpus.core.model import Segment, Snippets
from corpus.core.snippets import snippet_spans, snippet_verdicts

TEXT = "Home News\n\nDie GEMA dreht\nvöllig am Zeiger!\n\nImpressum\n"
SEGMENTS = [
    {"start": 0, "end": 11, "label": "boilerplate", "kind": "navigation"},
    {"start": 11, "end": 45, "label": "body"},
    {"start": 45, "end": len(TEXT), "label": "boilerplate", "kind": "navigation"},
]


def snippets(keep: list[str], drop: list[str], disagreements: list | None = None) -> dict:
    return {"with": keep, "without": drop, "disagreements": disagreements or []}


def add(mini: MiniCorpus, snip: dict) -> None:
    provenance = {**MANUAL, "benchmark": "trafilatura-eval", "snippets": snip}
    mini.add("p", TEXT, annotation_for("p", TEXT, segments=SEGMENTS, provenance=provenance))


def validate(mini: MiniCorpus):
    return CliRunner().invoke(app, ["validate", "--root", str(mini.root)])


def test_snippets_match_across_line_breaks_and_spaces() -> None:
    assert snippet_spans(TEXT, "Die GEMA dreht völlig am Zeiger!") == [(11, 43)]
    assert snippet_spans("a\u00a0b", "a b") == [(0, 3)]
    segs = tuple(Segment(**s) for s in SEGMENTS)
    verdicts = snippet_verdicts(TEXT, segs, Snippets(("GEMA dreht",), ("Impressum", "Twitter")))
    assert [v[2] for v in verdicts] == ["agree", "agree", "absent"]


def test_agreeing_snippets_validate(mini: MiniCorpus) -> None:
    add(mini, snippets(["Die GEMA dreht völlig am Zeiger!"], ["Impressum"]))
    assert validate(mini).exit_code == 0


def test_a_snippet_on_the_wrong_side_names_the_line_and_the_fix(mini: MiniCorpus) -> None:
    add(mini, snippets(["Impressum"], ["völlig am Zeiger"]))
    result = validate(mini)
    assert result.exit_code == 1
    assert 'the source puts "Impressum" in body, our segments do not (raw/p.txt:6:1)' in (
        result.output
    )
    assert '"völlig am Zeiger" in boilerplate, our segments do not (raw/p.txt:4:1)' in (
        result.output
    )
    assert "error[snippet]" in result.output and "disagreements" in result.output


def test_a_recorded_disagreement_is_accepted(mini: MiniCorpus) -> None:
    reason = {"snippet": "Impressum", "expected": "body", "reason": "site footer, not content"}
    add(mini, snippets(["Impressum"], [], [reason]))
    assert validate(mini).exit_code == 0


def test_a_missing_snippet_to_keep_is_an_error_one_to_drop_is_not(mini: MiniCorpus) -> None:
    add(mini, snippets(["nicht auf der Seite"], ["auch nicht auf der Seite"]))
    result = validate(mini)
    assert result.exit_code == 1 and "(not found in the text)" in result.output
    assert "auch nicht" not in result.output


def _archive(path: Path, pages: dict[str, tuple[str, dict]]) -> None:
    evaldata = {url: {"file": name, **snip} for url, (name, snip) in pages.items()}
    members = {"trafilatura-eval/tests/evaldata.json": json.dumps(evaldata).encode()}
    for url, (name, _) in pages.items():
        body = f"<h1>{name}</h1><p>" + "Dies ist ein langer deutscher Satz über das Wetter. " * 12
        body += "</p>"
        if "lost" in url:
            body = "<p>Bitte JavaScript aktivieren.</p>"
        members[f"trafilatura-eval/tests/eval/{name}"] = (
            f"<html><body><nav>Start</nav>{body}<footer>Impressum</footer></body></html>".encode()
        )
    with tarfile.open(path, "w:xz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_prepare_draws_seeded_pages_and_skips_lost_articles(tmp_path: Path) -> None:
    from corpus.build import validate_corpus
    from corpus.importers.trafilatura_eval import ARCHIVE, prepare

    sources = tmp_path / "src"
    sources.mkdir()
    keep = {"with": ["langer deutscher Satz"], "without": ["Impressum"]}
    pages = {f"https://example{i}.de/a": (f"p{i}.html", keep) for i in range(4)}
    pages["https://lost.de/a"] = ("lost.html", keep)
    _archive(sources / ARCHIVE, pages)
    records = []
    for k in range(2):
        root = tmp_path / f"r{k}"
        for d in ("raw", "annotations"):
            (root / d).mkdir(parents=True)
        records.append(prepare(sources, root, {"de": 5}, seed=7))
    assert records[0] == records[1]
    assert len(records[0]["chosen"]["de"]) == 4
    assert [s["url"] for s in records[0]["skipped"]] == ["https://lost.de/a"]
    docs, problems = validate_corpus(tmp_path / "r0")
    assert len(docs) == 4 and {p.code for p in problems} <= {"draft", "language-mismatch"}
    ann = docs[0].annotation
    assert ann.status == "draft" and ann.segments == () and ann.provenance.snippets.keep
    assert ann.provenance.entities is None and ann.provenance.segments == "manual"

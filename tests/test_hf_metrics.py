"""The `evaluate` modules load offline and return the command line's numbers."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import REPO
from typer.testing import CliRunner

from corpus.cli import app
from corpus.eval import load_gold

os.environ.setdefault("HF_EVALUATE_OFFLINE", "1")
evaluate = pytest.importorskip("evaluate")


def cli_result(tmp_path: Path, root: Path, *args: str) -> dict:
    out = tmp_path / "r.json"
    result = CliRunner().invoke(app, [*args, "--output", str(out), "--root", str(root)])
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text())


def test_corpus_ner_module_equals_cli(tmp_path: Path, seed_corpus: Path) -> None:
    gold = load_gold(seed_corpus)
    from corpus.systems import get_system

    system = get_system("ner", "rules")
    preds = [system.predict(page)["entities"] for page in gold.pages()]
    refs = [[{k: e[k] for k in ("start", "end", "label")} for e in es] for es in gold.entities]
    metric = evaluate.load(str(REPO / "metrics" / "corpus_ner"))
    ours = metric.compute(predictions=preds, references=refs)
    cli = cli_result(tmp_path, seed_corpus, "eval", "ner", "--system", "rules")
    for avg in ("micro", "macro"):
        for scheme in ("strict", "exact", "partial", "type"):
            assert ours[f"{avg}.{scheme}.f1"] == cli["overall"][avg][scheme]["f1"]
    assert ours["confidence"] == cli["confidence"]


def test_corpus_extraction_module_equals_cli(tmp_path: Path, seed_corpus: Path) -> None:
    gold = load_gold(seed_corpus)
    from corpus.systems import get_system

    system = get_system("extraction", "fineweb-lines")
    preds = [system.predict(page)["body_text"] for page in gold.pages()]
    refs = [
        {
            "text": text,
            "body_spans": [[s["start"], s["end"]] for s in segments if s["label"] == "body"],
        }
        for text, segments in zip(gold.texts, gold.segments, strict=True)
    ]
    metric = evaluate.load(str(REPO / "metrics" / "corpus_extraction"))
    ours = metric.compute(predictions=preds, references=refs)
    cli = cli_result(tmp_path, seed_corpus, "eval", "extraction", "--system", "fineweb-lines")
    o = cli["overall"]
    assert ours["token.micro.f1"] == o["token"]["micro"]["f1"]
    assert ours["token.macro.f1"] == o["token"]["macro"]["f1"]
    assert ours["shingle4.f1"] == o["shingle4"]["f1"]
    assert ours["confidence"] == cli["confidence"]


def test_bad_predictions_get_the_command_lines_checks() -> None:
    """An entity without a label, or with start > end, is refused with the CLI's messages
    (a bare KeyError and a silent score before)."""
    from corpus.core.problems import ProblemsFound
    from corpus.eval.hf import ner_scores

    gold = [[{"start": 0, "end": 4, "label": "ORG"}]]
    with pytest.raises(ProblemsFound) as no_label:
        ner_scores([[{"start": 0, "end": 4}]], gold)
    assert "must be an object with a string label" in no_label.value.problems[0].message
    with pytest.raises(ProblemsFound) as reversed_span:
        ner_scores([[{"start": 4, "end": 0, "label": "ORG"}]], gold)
    assert reversed_span.value.problems[0].code == "out-of-range"

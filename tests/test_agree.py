"""`corpus agree`: token agreement, Cohen's kappa (checked against scikit-learn), entity F1."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from sklearn.metrics import cohen_kappa_score
from typer.testing import CliRunner

from corpus.cli import app
from corpus.contrib.agreement import agreement, cohen_kappa, token_labels
from corpus.contrib.formats.common import corpus_documents
from corpus.core.model import Segment


def test_kappa_equals_scikit_learn() -> None:
    a = ["body"] * 30 + ["boilerplate"] * 20 + ["body"] * 5
    b = ["body"] * 25 + ["boilerplate"] * 28 + ["body"] * 2
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b), rel=1e-12)


def test_identical_annotations_agree_fully(repo_copy: Path) -> None:
    docs = corpus_documents(repo_copy)
    result = agreement([(d.text, d.annotation, d.annotation) for d in docs.values()])
    assert result["segment_agreement"] == 1.0 and result["segment_kappa"] == 1.0
    assert result["entity_f1"] == 1.0


def test_a_moved_boundary_and_dropped_entities(repo_copy: Path) -> None:
    d = corpus_documents(repo_copy)["004_2abd353871a51506"]
    segs = list(d.annotation.segments)
    # B calls the caption segment body
    segs[3] = Segment(segs[3].start, segs[3].end, "body")
    b = replace(d.annotation, segments=tuple(segs), entities=d.annotation.entities[:-10])
    result = agreement([(d.text, d.annotation, b)])
    la, lb = token_labels(d.text, d.annotation), token_labels(d.text, b)
    assert result["segment_kappa"] == pytest.approx(cohen_kappa_score(la, lb), rel=1e-12)
    n = len(d.annotation.entities)
    assert result["entity_f1"] == pytest.approx(2 * (n - 10) / (n + n - 10), rel=1e-12)


def test_cli(repo_copy: Path, tmp_path: Path) -> None:
    other = tmp_path / "b"
    shutil.copytree(repo_copy / "annotations", other)
    out = CliRunner().invoke(
        app,
        [
            "agree",
            str(repo_copy / "annotations"),
            str(other),
            "--format",
            "json",
            "--root",
            str(repo_copy),
        ],
    )
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["segment_kappa"] == 1.0
    table = CliRunner().invoke(
        app, ["agree", str(repo_copy / "annotations"), str(other), "--root", str(repo_copy)]
    )
    assert "Cohen's kappa 1.0000" in table.stdout


def test_character_kappa_by_hand() -> None:
    """A: body [0, 6), boilerplate [6, 10); B: body [0, 10). 10 code points: 6 agree.
    p_o = 0.6; p_e = (6/10)(10/10) + (4/10)(0/10) = 0.6; kappa = 0 (no better than chance)."""
    from corpus.contrib.agreement import character_pairs, kappa_of_pairs
    from corpus.core.model import Annotation, Source

    text = "aaaaa\nbbb\n"

    def ann(segments: tuple[Segment, ...], language: str = "en") -> Annotation:
        return Annotation("d", language, Source("p", "l"), "test", "x", segments)

    a = ann((Segment(0, 6, "body"), Segment(6, 10, "boilerplate")))
    b = ann((Segment(0, 10, "body"),))
    assert character_pairs(a, b) == {("body", "body"): 6, ("boilerplate", "body"): 4}
    assert kappa_of_pairs(character_pairs(a, b)) == (0.6, 0.0)
    result = agreement([(text, a, b), (text, ann(a.segments, "de"), ann(a.segments, "de"))])
    assert result["characters"] == 20 and result["segment_agreement_chars"] == 0.8
    assert result["per_language"]["de"]["segment_kappa_chars"] == 1.0
    assert result["per_language"]["en"]["segment_kappa_chars"] == 0.0

"""`corpus predict`, `corpus eval`, `compare` and `leaderboard` on the real built corpus."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corpus.cli import app

runner = CliRunner()
ROOT: list[str] = []  # --root of the seed corpus, set by the fixture below


@pytest.fixture(autouse=True, scope="module")
def _seed_root(seed_corpus: Path) -> None:
    ROOT[:] = ["--root", str(seed_corpus)]


def run(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env=env)


@pytest.fixture(scope="module")
def gold_lines(seed_corpus: Path) -> dict[str, str]:
    from corpus.build import read_records

    return {r["id"]: r for r in read_records(seed_corpus)}


def test_predict_then_eval_equals_eval_with_system(tmp_path: Path) -> None:
    predicted = run("predict", "ner", "--system", "rules", *ROOT)
    assert predicted.exit_code == 0
    lines = [json.loads(x) for x in predicted.stdout.splitlines()]
    assert [x["id"] for x in lines] == ["000_ee8fa7b999b89065", "004_2abd353871a51506"]
    preds = tmp_path / "rules.jsonl"
    preds.write_text(predicted.stdout)
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert run("eval", "ner", str(preds), "--output", str(a), *ROOT).exit_code == 0
    assert run("eval", "ner", "--system", "rules", "--output", str(b), *ROOT).exit_code == 0
    ra, rb = json.loads(a.read_text()), json.loads(b.read_text())
    assert ra["overall"] == rb["overall"] and ra["confidence"] == rb["confidence"]
    assert ra["system"]["sha256"] and rb["system"]["name"] == "rules"


def test_gold_as_predictions_scores_one(tmp_path: Path, gold_lines: dict) -> None:
    preds = tmp_path / "gold.jsonl"
    preds.write_text(
        "".join(
            json.dumps({"id": i, "entities": r["entities"]}) + "\n" for i, r in gold_lines.items()
        )
    )
    out = tmp_path / "r.json"
    result = run("eval", "ner", str(preds), "--output", str(out), *ROOT)
    assert result.exit_code == 0, result.output
    r = json.loads(out.read_text())
    assert {s: r["overall"]["micro"][s]["f1"] for s in r["overall"]["micro"]} == {
        "strict": 1.0,
        "exact": 1.0,
        "partial": 1.0,
        "type": 1.0,
    }
    assert r["overall"]["micro"]["strict"]["tp"] == 124
    assert set(r) >= {
        "task",
        "scope",
        "split",
        "n_documents",
        "overall",
        "per_label",
        "per_language",
        "confidence",
        "system",
        "corpus_version",
    }
    assert r["corpus_version"].startswith("sha256:") and r["n_documents"] == 2
    # the seed fixtures are two 2023 news articles: one genre, one year band, every document
    assert list(r["per_genre"]) == ["article"] and list(r["per_year"]) == ["2023 or later"]
    for key in ("per_language", "per_source", "per_genre", "per_year"):
        assert sum(g["n_documents"] for g in r[key].values()) == r["n_documents"]
    assert r["per_genre"]["article"]["micro"] == r["overall"]["micro"]


def test_body_scope_keeps_only_body_entities(tmp_path: Path, gold_lines: dict) -> None:
    preds = tmp_path / "none.jsonl"
    preds.write_text("".join(json.dumps({"id": i, "entities": []}) + "\n" for i in gold_lines))
    out = tmp_path / "r.json"
    assert (
        run("eval", "ner", str(preds), "--scope", "body", "--output", str(out), *ROOT).exit_code
        == 0
    )
    r = json.loads(out.read_text())
    body_entities = sum(
        any(
            s["label"] == "body" and s["start"] <= e["start"] and e["end"] <= s["end"]
            for s in rec["segments"]
        )
        for rec in gold_lines.values()
        for e in rec["entities"]
    )
    assert r["overall"]["micro"]["strict"]["missed"] == body_entities < 124


def test_language_filter_and_errors_file(tmp_path: Path) -> None:
    out, errs = tmp_path / "r.json", tmp_path / "e.jsonl"
    result = run(
        "eval",
        "ner",
        "--system",
        "rules",
        "--language",
        "pl",
        "--output",
        str(out),
        "--errors",
        str(errs),
        *ROOT,
    )
    assert result.exit_code == 0
    r = json.loads(out.read_text())
    assert r["language"] == "pl" and list(r["per_language"]) == ["pl"]
    rows = [json.loads(x) for x in errs.read_text().splitlines()]
    assert rows and {x["kind"] for x in rows} <= {"false_positive", "false_negative"}
    assert all(x["id"] == "000_ee8fa7b999b89065" for x in rows)


@pytest.mark.parametrize("system", ["keep-all", "c4-lines", "justext-lines", "fineweb-lines"])
def test_extraction_systems_run_and_score(tmp_path: Path, system: str) -> None:
    out = tmp_path / "r.json"
    result = run("eval", "extraction", "--system", system, "--output", str(out), *ROOT)
    assert result.exit_code == 0, result.output
    r = json.loads(out.read_text())
    micro = r["overall"]["token"]["micro"]
    assert 0 <= micro["precision"] <= 1 and micro["tp"] + micro["fn"] == 486
    assert r["confidence"]["token.micro.f1"] is not None


def test_keep_all_has_recall_one(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    run("eval", "extraction", "--system", "keep-all", "--output", str(out), *ROOT)
    micro = json.loads(out.read_text())["overall"]["token"]["micro"]
    assert micro["recall"] == 1.0 and micro["fn"] == 0


def test_body_text_of_gold_scores_one(tmp_path: Path, gold_lines: dict) -> None:
    preds = tmp_path / "p.jsonl"
    preds.write_text(
        "".join(json.dumps({"id": i, "body_text": r["body"]}) + "\n" for i, r in gold_lines.items())
    )
    out = tmp_path / "r.json"
    assert run("eval", "extraction", str(preds), "--output", str(out), *ROOT).exit_code == 0
    o = json.loads(out.read_text())["overall"]
    assert o["token"]["micro"]["f1"] == 1.0 and o["shingle4"]["f1"] == 1.0
    assert o["shingle4"]["accuracy"] == 1.0


def test_bad_predictions_exit_1_with_line_numbers(tmp_path: Path) -> None:
    preds = tmp_path / "bad.jsonl"
    preds.write_text(
        '{"id": "000_ee8fa7b999b89065", "entities": [{"start": 0, "end": 9999, '
        '"label": "PER"}]}\n{"id": "nope", "entities": []}\n'
    )
    result = run("eval", "ner", str(preds), *ROOT)
    assert result.exit_code == 1
    assert f"{preds}:1: error[out-of-range]" in result.output
    assert f"{preds}:2: error[unknown-id]" in result.output
    assert "error[missing-id]" in result.output and "nothing scored" in result.output


def test_usage_errors() -> None:
    assert "one of the two" in run("eval", "ner", *ROOT).output
    assert run("eval", "ner", "--system", "nope", *ROOT).exit_code == 1
    assert "split" in run("eval", "ner", "--system", "rules", "--split", "train", *ROOT).output


def test_formats(tmp_path: Path) -> None:
    md = run("eval", "extraction", "--system", "c4-lines", "--format", "markdown", *ROOT)
    assert re.search(r"\| measure +\| P +\| R +\| F1 +\| F1 95% CI +\|", md.stdout)
    js = run("eval", "extraction", "--system", "c4-lines", "--format", "json", *ROOT)
    assert json.loads(js.stdout)["task"] == "extraction"


def test_compare_and_leaderboard(tmp_path: Path) -> None:
    a, b = tmp_path / "c4.json", tmp_path / "keep.json"
    run("eval", "extraction", "--system", "c4-lines", "--output", str(a), *ROOT)
    run("eval", "extraction", "--system", "keep-all", "--output", str(b), *ROOT)
    cmp = run("eval", "compare", str(a), str(b))
    assert cmp.exit_code == 0 and "token.micro.f1: c4-lines" in cmp.stdout and "p = " in cmp.stdout
    board, chart = tmp_path / "board.md", tmp_path / "board.png"
    lb = run("leaderboard", str(b), str(a), "--output", str(board), "--chart", str(chart))
    assert lb.exit_code == 0
    rows = [x for x in board.read_text().splitlines() if x.startswith("| 1 ")]
    assert rows and "c4-lines" in rows[0]
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_results_of_different_corpus_versions_are_not_mixed(tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    run("eval", "extraction", "--system", "c4-lines", "--output", str(a), *ROOT)
    r = json.loads(a.read_text())
    r["corpus_version"] = "sha256:" + "0" * 64
    b.write_text(json.dumps(r))
    cmp = run("eval", "compare", str(a), str(b))
    assert cmp.exit_code == 1 and "corpus_version differs" in cmp.output
    assert run("leaderboard", str(a), str(b)).exit_code == 1
    assert run("eval", "compare", str(a), str(tmp_path / "missing.json")).exit_code == 1


def test_extraction_errors_file_lists_wrongly_kept_words(tmp_path: Path, gold_lines: dict) -> None:
    errs = tmp_path / "e.jsonl"
    assert (
        run("eval", "extraction", "--system", "keep-all", "--errors", str(errs), *ROOT).exit_code
        == 0
    )
    rows = [json.loads(x) for x in errs.read_text().splitlines()]
    assert {x["kind"] for x in rows} == {"false_positive"}
    assert sum(x["tokens"] for x in rows) == 389  # every boilerplate word (fp of keep-all)
    assert any(x["text"].startswith("Bitte aktivieren Sie Javascript") for x in rows)


def test_parallel_extraction_scoring_equals_sequential() -> None:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from corpus.eval.gold import load_gold
    from corpus.eval.results import evaluate_extraction
    from corpus.systems import get_system

    gold = load_gold(Path(ROOT[1]))
    system = get_system("extraction", "justext-lines")
    from corpus.eval.predictions import read_predictions

    lines = [json.dumps(system.predict(page)) for page in gold.pages()]
    preds = read_predictions("x", "extraction", gold.text_of(), gold.all_ids, lines=lines)
    sequential, _ = evaluate_extraction(gold, preds, chunk=1)
    with ProcessPoolExecutor(2, mp_context=get_context("forkserver")) as pool:
        parallel, _ = evaluate_extraction(gold, preds, executor=pool, chunk=1)
    assert parallel == sequential


def test_help_lists_the_systems_and_errors_name_the_fix(tmp_path: Path) -> None:
    from corpus.systems import EXTRACTION

    help_text = run("eval", "extraction", "--help", env={"COLUMNS": "300"}).output
    assert all(name in help_text for name in EXTRACTION)
    assert "spacy:MODEL" in run("eval", "ner", "--help", env={"COLUMNS": "300"}).output
    missing = run("eval", "ner", "--system", f"transformers:{tmp_path / 'nope'}", *ROOT)
    assert missing.exit_code == 1 and "no such model directory" in missing.output
    assert "repo id" not in missing.output.lower()


def test_leaderboard_names_the_valid_metrics(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    assert run("eval", "ner", "--system", "rules", "--output", str(out), *ROOT).exit_code == 0
    help_text = run("leaderboard", "--help", env={"COLUMNS": "300"}).output
    assert "micro.strict.f1" in help_text and "Default" in help_text
    bad = run("leaderboard", str(out), "--metric", "f1")
    assert bad.exit_code == 1 and 'unknown metric "f1"' in bad.output
    assert "micro.strict.f1, " in bad.output


def test_a_label_map_to_no_label_is_refused_once_before_reading(
    tmp_path: Path, gold_lines: dict
) -> None:
    """`--label-map PERSON=PERSONA` printed one error per entity; it is one line about the map,
    whatever the file holds (here also an unknown id and broken JSON, never read)."""
    preds = tmp_path / "p.jsonl"
    entities = [
        json.dumps(
            {
                "id": i,
                "entities": [{k: e[k] for k in ("start", "end", "label")} for e in r["entities"]],
            }
        )
        for i, r in gold_lines.items()
    ]
    preds.write_text('{"id": "nope", "entities": []}\n{broken\n' + "\n".join(entities) + "\n")
    result = run(
        "eval", "ner", str(preds), "--label-map", "PER=PERSONA", "--label-map", "X=", *ROOT
    )
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 1 and len(lines) == 1, result.output
    assert lines[0].startswith("error: --label-map PER=PERSONA: the target is not an entity label")
    assert "fix: map to one of PER, ORG, LOC, MISC" in lines[0]


def test_results_files_with_impossible_or_missing_figures_are_refused(
    tmp_path: Path, gold_lines: dict
) -> None:
    """A strict F1 of 1.5 was ranked ("150.00") and a malformed file crashed compare: each is
    one line naming the file and the field (issue 24.9)."""
    good = tmp_path / "good.json"
    assert run("eval", "ner", "--system", "rules", "--output", str(good), *ROOT).exit_code == 0
    data = json.loads(good.read_text())
    inflated = json.loads(good.read_text())
    inflated["overall"]["micro"]["strict"]["f1"] = 1.5
    (tmp_path / "inflated.json").write_text(json.dumps(inflated))
    out = run("leaderboard", str(good), str(tmp_path / "inflated.json"))
    assert out.exit_code == 1 and "150.00" not in out.output
    assert "inflated.json: overall.micro.strict.f1 is 1.5, not a share from 0 to 1" in out.output
    del data["documents"]
    (tmp_path / "cut.json").write_text(json.dumps(data))
    out = run("eval", "compare", str(good), str(tmp_path / "cut.json"))
    assert out.exit_code == 1 and "cut.json: documents is 'None', not a dict" in out.output
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    out = run("eval", "compare", str(good), str(tmp_path / "deep.json"))
    assert out.exit_code == 1 and "deep.json: the file cannot be read as JSON" in out.output
    for o in (out,):
        assert "Traceback" not in o.output and len(o.output.strip().splitlines()) == 1

"""The one scoring entry point: `score(task, predictions or system, ...) -> Results`.

The command line, scripts/baselines.py and the `evaluate` modules all score through it, so
they print the same numbers to the last digit.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus.core.digest import sha256_file
from corpus.core.executors import make_executor
from corpus.core.problems import Problem, ProblemsFound
from corpus.eval.gold import Gold, load_gold
from corpus.eval.predictions import (
    Predictions,
    check_label_map,
    parse_label_map,
    read_predictions,
)
from corpus.eval.report import HEADLINE, lookup
from corpus.eval.results import RowScorer, evaluate_extraction, evaluate_ner
from corpus.eval.run_system import run_system
from corpus.eval.system_cache import CACHE_FILE, SystemCache
from corpus.systems import System, get_system

TASKS = ("ner", "extraction")
SCOPES = ("page", "body")
STREAM_CHUNK = 500  # documents per scoring task while a predictions file streams in
Predicted = Path | str | Iterable[Mapping[str, Any]]


@dataclass(frozen=True)
class Results:
    """The scores of one system on one selection of the corpus.

    `data` is the results JSON (`corpus eval --output`; every figure in docs/metrics.md);
    `errors` the error records if asked for; `missing` the documents without a prediction
    (scored as empty with allow_missing) and `ignored` predictions outside the selection.
    """

    data: dict[str, Any]
    errors: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @property
    def task(self) -> str:
        return str(self.data["task"])

    @property
    def n_documents(self) -> int:
        return int(self.data["n_documents"])

    def get(self, key: str) -> float | None:
        """A figure by its dotted name ("token.micro.f1", "micro.strict.f1", ...)."""
        return lookup(self.data, key)

    @property
    def headline(self) -> float | None:
        """The task's headline figure: strict micro F1 (NER), token micro F1 (extraction)."""
        return self.get(HEADLINE[self.task])

    def to_json(self) -> str:
        """The results JSON as `corpus eval --output` writes it."""
        return json.dumps(self.data, indent=2, ensure_ascii=False) + "\n"


def score(
    task: str,
    predictions: Predicted | None = None,
    *,
    system: str | System | None = None,
    gold: Gold | None = None,
    root: Path | str = ".",
    split: str = "test",
    language: str | None = None,
    scope: str = "page",
    allow_missing: bool = False,
    label_map: Mapping[str, str] | list[str] | None = None,
    with_errors: bool = False,
    jobs: int | None = None,
    on_page: Callable[[int], None] | None = None,
    sources: Path | str | None = None,
    cache: bool = True,
    cache_file: Path | None = None,
) -> Results:
    """Score `predictions` (a JSON Lines file, or prediction objects) or a built-in `system`
    for `task` ("ner" or "extraction") against the gold of `root`'s data/ (or `gold`).

    Predictions are checked as `corpus eval` checks them: ProblemsFound lists every problem,
    and nothing is scored. `label_map` maps a system's labels ({"PERSON": "PER"}, or
    "FROM=TO" strings; an empty target drops the label). Extraction scoring runs on `jobs`
    processes for large selections. `on_page(n)` is called as a system gets through pages.
    A built-in system runs on the documents it can see (HTML systems: those with an original
    page in the benchmark archives under `sources`, default ../shared/sources; the results'
    `excluded` counts the others), through the output cache (`cache_file`, default
    `root`/.cache/systems.sqlite) unless `cache` is False.
    NER is scored on the documents with entity gold only: a predictions file needs lines for
    those, and its lines for the others are ignored (`ignored`; `excluded` counts the documents).
    Raise ValueError for a bad task, scope, split or language (with a fix in the message).
    """
    if task not in TASKS:
        raise ValueError(f'unknown task "{task}"; fix: use one of {", ".join(TASKS)}')
    if scope not in SCOPES:
        raise ValueError(f'unknown scope "{scope}"; fix: use one of {", ".join(SCOPES)}')
    if (predictions is None) == (system is None):
        raise ValueError("give predictions or a system (one of the two)")
    if gold is None:
        gold = load_gold(Path(root), split, language)
    mapping = (
        parse_label_map(label_map)
        if isinstance(label_map, list)
        else check_label_map(dict(label_map or {}))
    )
    excluded: dict[str, int] = {}
    if task == "ner":  # scored, run and asked for only where entity gold exists
        selected, gold = len(gold), gold.with_entity_gold()
        excluded["no_entity_gold"] = selected - len(gold)
    if system is not None:
        runner = get_system(task, system) if isinstance(system, str) else system
        run = run_system(
            runner,
            gold,
            by_name=isinstance(system, str),
            sources=Path(sources) if sources is not None else None,
            cache_path=(cache_file or Path(root) / CACHE_FILE) if cache else None,
            jobs=jobs,
            on_page=on_page,
        )
        gold, lines, excluded = run.gold, run.lines, excluded | run.excluded
        mapping = mapping or dict(getattr(runner, "label_map", {}))
        source: Path | str = f"<{runner.name}>"
        info: dict[str, Any] = run.info(runner) | ({"label_map": mapping} if mapping else {})
    elif isinstance(predictions, Path | str):
        path = Path(predictions)
        if not path.is_file():
            raise ProblemsFound([_no_file(path)])
        lines, source = None, path
        digest = sha256_file(path)
        info = {"name": path.stem, "predictions": str(path), "sha256": digest}
    else:
        assert predictions is not None
        lines = [json.dumps(p, ensure_ascii=False) for p in predictions]
        source, info = "<predictions>", {"name": "predictions", "predictions": None}
    texts = gold.text_of()
    if task == "extraction" and lines is None and not with_errors:
        return _stream_extraction(source, gold, texts, allow_missing, info, jobs)
    preds = read_predictions(source, task, texts, gold.all_ids, allow_missing, mapping, lines)
    rows_cache = None
    if cache and (system is not None or cache_file is not None):
        rows_cache = SystemCache(cache_file or Path(root) / CACHE_FILE)
    try:
        results = _results(task, gold, preds, scope, info, with_errors, jobs, rows_cache)
    finally:
        if rows_cache is not None:
            rows_cache.close()
    if excluded:
        results.data["excluded"] = results.data.get("excluded", {}) | excluded
    return results


def _stream_extraction(
    path: Path | str,
    gold: Gold,
    texts: dict[str, str | None],
    allow_missing: bool,
    info: dict[str, Any],
    jobs: int | None,
) -> Results:
    """Score an extraction predictions file while reading it: each document's row is computed
    as its line arrives, so memory does not grow with the file (docs/metrics.md)."""
    with make_executor(len(gold), jobs) as executor:
        scorer = RowScorer(gold, executor, jobs or os.cpu_count() or 1, STREAM_CHUNK)
        preds = read_predictions(
            path, "extraction", texts, gold.all_ids, allow_missing, sink=scorer.add
        )
        rows = scorer.finish()
    data, _ = evaluate_extraction(gold, preds, info, rows=rows)
    return Results(data, [], preds.missing, preds.ignored)


def _no_file(path: Path) -> Problem:
    return Problem(
        str(path),
        None,
        None,
        "error",
        "missing-file",
        "no such file",
        "give the path of a JSONL file",
    )


def _results(
    task: str,
    gold: Gold,
    preds: Predictions,
    scope: str,
    info: dict[str, Any],
    with_errors: bool,
    jobs: int | None,
    rows_cache: SystemCache | None = None,
) -> Results:
    if task == "ner":
        data, errors = evaluate_ner(gold, preds, scope, info, with_errors=with_errors)
    else:
        with make_executor(len(gold), jobs) as executor:
            data, errors = evaluate_extraction(
                gold, preds, info, executor, with_errors, rows_cache=rows_cache
            )
    return Results(data, errors, preds.missing, preds.ignored)

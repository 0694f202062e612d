"""`corpus predict`, `corpus eval ner|extraction|compare` and `corpus leaderboard`."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer

from corpus.cli.common import Format, RootOpt, fail, progress
from corpus.core.problems import ProblemsFound
from corpus.eval import extraction as ex
from corpus.eval.bootstrap import paired_bootstrap
from corpus.eval.chart import leaderboard_chart
from corpus.eval.gold import Gold, load_gold
from corpus.eval.ner import NerLayout
from corpus.eval.report import HEADLINE, leaderboard, markdown
from corpus.eval.results_file import ResultsFileError, read_results
from corpus.eval.run_system import DEFAULT_SOURCES, run_system
from corpus.eval.score import score
from corpus.eval.system_cache import CACHE_FILE
from corpus.systems import EXTRACTION, NER, PREFIXED, System, get_system

MIN_RELIABLE_DOCUMENTS = 30
REASONS = {
    "no_entity_gold": "no entity gold",
    "no_html": "no original HTML; an HTML system runs only on imported pages",
    "other_language": "a language the system was not made for",
}

eval_app = typer.Typer(help="Score predictions against the gold corpus.", no_args_is_help=True)


class Task(str, Enum):
    ner = "ner"
    extraction = "extraction"


class Scope(str, Enum):
    page = "page"
    body = "body"


SplitOpt = Annotated[str, typer.Option("--split", help="Split to score.")]
NER_SYSTEMS = ", ".join([*NER, *PREFIXED])
EXTRACTION_SYSTEMS = ", ".join(EXTRACTION)
LangOpt = Annotated[str | None, typer.Option("--language", help="Only this language (ISO 639-1).")]
SourcesOpt = Annotated[
    Path | None,
    typer.Option(
        "--sources",
        help="Folder of the benchmark archives that HTML systems read pages from "
        "(default: ../shared/sources beside the --root folder).",
    ),
]
CacheOpt = Annotated[
    bool,
    typer.Option("--cache/--no-cache", help="Reuse and keep system outputs in .cache/."),
]


def _gold(root: Path, split: str, language: str | None) -> Gold:
    if not (root / "annotations").is_dir() and not (root / "data").is_dir():
        raise fail(
            f"{root.resolve()} is not the corpus's folder (no annotations/ nor data/); fix: run "
            "from the repository's root, or pass --root PATH_TO_THE_REPOSITORY"
        )
    try:
        return load_gold(root, split, language)
    except (FileNotFoundError, ValueError) as err:
        raise fail(str(err)) from None


def _sources(root: Path, sources: Path | None) -> Path:
    """--sources, by default ../shared/sources beside the repository (not the current folder)."""
    return sources if sources is not None else root / DEFAULT_SOURCES


def _system(task: str, name: str) -> System:
    try:
        return get_system(task, name)
    except (ValueError, OSError, ImportError) as err:
        raise fail(f"cannot load system {name}: {err}") from None


def _run_lines(task: str, name: str, gold: Gold, sources: Path, cache: Path | None) -> list[str]:
    """Prediction lines of a built-in system on the pages it can see (never their gold)."""
    system = _system(task, name)
    built_in = name in (NER if task == "ner" else EXTRACTION)
    try:
        with progress(len(gold), name) as update:
            run = run_system(
                system, gold, by_name=built_in, sources=sources, cache_path=cache, on_page=update
            )
    except (FileNotFoundError, ImportError) as err:
        raise fail(str(err)) from None
    for reason, count in run.excluded.items():
        typer.echo(f"note: {count} document(s) left out ({REASONS[reason]})", err=True)
    return run.lines


@eval_app.command("ner")
def eval_ner(
    predictions: Annotated[Path | None, typer.Argument(help="JSONL predictions file.")] = None,
    system: Annotated[
        str | None, typer.Option("--system", help=f"Run a built-in system: {NER_SYSTEMS}.")
    ] = None,
    split: SplitOpt = "test",
    language: LangOpt = None,
    scope: Annotated[
        Scope,
        typer.Option("--scope", help="page: all entities; body: only entities in body segments."),
    ] = Scope.page,
    output: Annotated[Path | None, typer.Option("--output", help="Write results JSON.")] = None,
    errors: Annotated[Path | None, typer.Option("--errors", help="Write errors JSONL.")] = None,
    allow_missing: Annotated[bool, typer.Option(help="Score missing documents as empty.")] = False,
    label_map: Annotated[
        list[str] | None, typer.Option("--label-map", help="FROM=TO, repeatable.")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format")] = Format.table,
    root: RootOpt = Path("."),
    cache: CacheOpt = True,
) -> None:
    """Score NER predictions: strict, exact, partial and type; micro, macro, per label/language."""
    _evaluate(
        "ner",
        predictions,
        system,
        split,
        language,
        scope.value,
        output,
        errors,
        allow_missing,
        label_map,
        fmt,
        root,
        cache=cache,
    )


@eval_app.command("extraction")
def eval_extraction(
    predictions: Annotated[Path | None, typer.Argument(help="JSONL predictions file.")] = None,
    system: Annotated[
        str | None,
        typer.Option("--system", help=f"Run a built-in system: {EXTRACTION_SYSTEMS}."),
    ] = None,
    split: SplitOpt = "test",
    language: LangOpt = None,
    output: Annotated[Path | None, typer.Option("--output", help="Write results JSON.")] = None,
    errors: Annotated[Path | None, typer.Option("--errors", help="Write errors JSONL.")] = None,
    allow_missing: Annotated[bool, typer.Option(help="Score missing documents as empty.")] = False,
    fmt: Annotated[Format, typer.Option("--format")] = Format.table,
    root: RootOpt = Path("."),
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", help="Worker processes for large corpora (default: all cores)."),
    ] = None,
    sources: SourcesOpt = None,
    cache: CacheOpt = True,
) -> None:
    """Score extraction predictions: body tokens (micro, macro) and the shingle4 measure.

    HTML systems run on the documents that have their original HTML in the archives under
    --sources, and the results say how many others were left out.
    """
    _evaluate(
        "extraction",
        predictions,
        system,
        split,
        language,
        "page",
        output,
        errors,
        allow_missing,
        None,
        fmt,
        root,
        jobs,
        sources,
        cache,
    )


def _evaluate(
    task: str,
    predictions: Path | None,
    system: str | None,
    split: str,
    language: str | None,
    scope: str,
    output: Path | None,
    errors: Path | None,
    allow_missing: bool,
    label_map: list[str] | None,
    fmt: Format,
    root: Path,
    jobs: int | None = None,
    sources: Path | None = None,
    cache: bool = True,
) -> None:
    if (predictions is None) == (system is None):
        raise fail("give a PREDICTIONS file or --system NAME (one of the two)")
    if predictions is not None and not predictions.is_file():
        raise fail(f"{predictions}: no such file; fix: give the path of a JSONL file")
    gold = _gold(root, split, language)
    runner = _system(task, system) if system is not None else None
    try:
        with progress(len(gold), system or "") as update:
            results = score(
                task,
                predictions,
                system=system if system in (NER if task == "ner" else EXTRACTION) else runner,
                gold=gold,
                root=root,
                sources=_sources(root, sources),
                cache=cache,
                scope=scope,
                allow_missing=allow_missing,
                label_map=label_map,
                with_errors=errors is not None,
                jobs=jobs,
                on_page=update if runner is not None else None,
            )
    except (ValueError, FileNotFoundError, ImportError) as err:
        raise fail(str(err)) from None
    except ProblemsFound as err:
        for p in err.problems:
            typer.echo(p.format(), err=True)
        raise fail(f"{len(err.problems)} problem(s) in the predictions; nothing scored") from None
    for reason, count in results.data.get("excluded", {}).items():
        if count:
            typer.echo(f"note: {count} document(s) not scored ({REASONS[reason]})", err=True)
    failed = results.data.get("system", {}).get("failed", [])
    for f in failed[:5]:
        typer.echo(f"note: {f['id']} failed, scored as empty: {f['error']}", err=True)
    if len(failed) > 5:
        typer.echo(
            f"note: {len(failed) - 5} more failed page(s) in the results' system.failed", err=True
        )
    if results.n_documents < MIN_RELIABLE_DOCUMENTS:
        typer.echo(
            f"warning: only {results.n_documents} document(s): bootstrap intervals are "
            "unreliable below 30 documents; report them as such",
            err=True,
        )
    if results.missing:
        typer.echo(
            f"note: {len(results.missing)} document(s) without prediction scored as empty",
            err=True,
        )
    if results.ignored:
        unscored = " or without entity gold" if task == "ner" else ""
        typer.echo(
            f"note: {len(results.ignored)} prediction(s) for documents outside the selection"
            f"{unscored} ignored",
            err=True,
        )
    if output:
        output.write_text(results.to_json())
    if errors:
        errors.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in results.errors))
    if fmt is Format.json:
        summary = {k: v for k, v in results.data.items() if k != "documents"}
        typer.echo(json.dumps(summary, indent=2, ensure_ascii=False))
    else:
        typer.echo(markdown(results.data))


def _load_results(path: Path) -> dict[str, Any]:
    try:
        return read_results(path)
    except ResultsFileError as err:
        raise fail(str(err)) from None


@eval_app.command("compare")
def compare(
    a: Annotated[Path, typer.Argument(help="Results JSON of system A.")],
    b: Annotated[Path, typer.Argument(help="Results JSON of system B.")],
    metric: Annotated[
        str | None, typer.Option(help="Figure to compare, e.g. micro.strict.f1 or token.micro.f1.")
    ] = None,
) -> None:
    """Paired bootstrap over documents: A - B, its 95% interval and p-value."""
    ra, rb = _load_results(a), _load_results(b)
    for field in ("task", "scope", "split", "language", "corpus_version"):
        if ra[field] != rb[field]:
            raise fail(
                f"{field} differs: {ra[field]} in {a} vs {rb[field]} in {b}; fix: "
                "compare results of the same task, scope, split, language and corpus"
            )
    ids = list(ra["documents"]["rows"])
    if set(ids) != set(rb["documents"]["rows"]):
        raise fail("the two results score different documents; fix: score the same selection")
    key = metric or HEADLINE[ra["task"]]
    if ra["task"] == "ner":
        layout = NerLayout(ra["documents"]["labels"])
        labels_used = sorted(
            set(ra["overall"]["macro"]["strict"]["labels"])
            | set(rb["overall"]["macro"]["strict"]["labels"]),
            key=layout.labels.index,
        )
        stats = layout.statistics(labels_used)
    else:
        stats = ex.statistics()
    if key not in stats:
        raise fail(f'unknown metric "{key}"; fix: use one of {", ".join(stats)}')
    ca = np.asarray([ra["documents"]["rows"][i] for i in ids], dtype=float)
    cb = np.asarray([rb["documents"]["rows"][i] for i in ids], dtype=float)
    try:
        out = paired_bootstrap(ca, cb, stats[key])
    except ValueError as err:
        raise fail(str(err)) from None
    if len(ids) < MIN_RELIABLE_DOCUMENTS:
        typer.echo(
            f"warning: only {len(ids)} document(s): the interval and p-value are "
            "unreliable below 30 documents",
            err=True,
        )
    name_a, name_b = ra["system"].get("name", str(a)), rb["system"].get("name", str(b))
    ci = out["ci95"] or [float("nan"), float("nan")]
    typer.echo(
        f"{key}: {name_a} {100 * out['a']:.2f} - {name_b} {100 * out['b']:.2f} = "
        f"{100 * out['difference']:+.2f} points, 95% CI [{100 * ci[0]:+.2f}, "
        f"{100 * ci[1]:+.2f}], p = {out['p_value']:.4f} ({out['samples']} paired "
        f"bootstrap samples over {len(ids)} documents, seed {out['seed']})"
    )


def leaderboard_cmd(
    results: Annotated[list[Path], typer.Argument(help="Results JSON files.")],
    metric: Annotated[
        str | None,
        typer.Option(
            help="Figure to rank by. Default: micro.strict.f1 (NER), token.micro.f1 "
            "(extraction). NER: {micro,macro}.{strict,exact,partial,type}.{precision,recall,"
            "f1}; extraction: token.{micro,macro}.{precision,recall,f1}, "
            "shingle4.{precision,recall,f1,accuracy}."
        ),
    ] = None,
    output: Annotated[Path | None, typer.Option(help="Write the Markdown table here.")] = None,
    chart: Annotated[Path | None, typer.Option(help="Write a PNG bar chart here.")] = None,
) -> None:
    """A Markdown table (and optionally a PNG bar chart) ranking several results files."""
    loaded = [_load_results(p) for p in results]
    try:
        table = leaderboard(loaded, metric)
    except (ValueError, KeyError) as err:
        raise fail(f"cannot rank these results: {err}") from None
    if output:
        output.write_text(table)
    if chart:
        leaderboard_chart(loaded, chart, metric)
    typer.echo(table)


def predict_cmd(
    task: Annotated[Task, typer.Argument(help="ner or extraction")],
    system: Annotated[
        str,
        typer.Option(
            "--system",
            help=f"Extraction: {EXTRACTION_SYSTEMS}. NER: {NER_SYSTEMS}.",
        ),
    ],
    split: SplitOpt = "test",
    language: LangOpt = None,
    root: RootOpt = Path("."),
    sources: SourcesOpt = None,
    cache: CacheOpt = True,
    every_page: Annotated[
        bool,
        typer.Option(
            "--every-page",
            help="NER: run on every page of the selection, not only where entity gold exists.",
        ),
    ] = False,
) -> None:
    """Run a built-in system on the corpus and print its predictions as JSON Lines (NER: on
    the pages with entity gold, the only ones scored, unless --every-page)."""
    gold = _gold(root, split, language)
    if task is Task.ner and not every_page:
        selected, gold = len(gold), gold.with_entity_gold()
        if selected > len(gold):
            note = f"note: {selected - len(gold)} document(s) left out ({REASONS['no_entity_gold']}"
            typer.echo(note + "; --every-page to run on them)", err=True)
    cache_path = root / CACHE_FILE if cache else None
    for line in _run_lines(task.value, system, gold, _sources(root, sources), cache_path):
        typer.echo(line)

"""The `corpus` command line: a thin layer over corpus.build, corpus.validate and corpus.stats."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from corpus.build import build, open_cache, read_records, scan
from corpus.card import CardError
from corpus.cli_contribute import (
    add_cmd,
    agree_cmd,
    export_cmd,
    import_cmd,
    review_cmd,
    show_cmd,
)
from corpus.cli_eval import eval_app, leaderboard_cmd, predict_cmd
from corpus.problems import Problem, ProblemsFound
from corpus.stats import compute_stats, record_stats, stats_markdown
from corpus.validate import iter_documents

app = typer.Typer(
    help="Build, validate and describe the gold corpus; score systems against it.",
    no_args_is_help=True,
    add_completion=False,
)

Root = Annotated[
    Path,
    typer.Option(
        "--root",
        help="The corpus repository (holds raw/, annotations/, data/).",
        exists=True,
        file_okay=False,
    ),
]


class Format(str, Enum):
    """Output formats for tables."""

    markdown = "markdown"
    json = "json"


def report(problems: list[Problem]) -> int:
    """Print problems one per line to stderr with a summary; return the number of errors."""
    errors = sum(p.severity == "error" for p in problems)
    for p in problems:
        typer.echo(p.format(), err=True)
    warnings = len(problems) - errors
    if problems:
        typer.echo(f"{errors} error(s), {warnings} warning(s)", err=True)
    return errors


JobsOpt = Annotated[
    int | None, typer.Option("--jobs", help="Worker processes (default: all cores; 1: none).")
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option("--scheduler", help='Run on a Dask cluster: its scheduler address, or "local".'),
]


@app.command("validate")
def validate_cmd(
    root: Root = Path("."), jobs: JobsOpt = None, scheduler: SchedulerOpt = None
) -> None:
    """Check raw/ and annotations/ without writing; list every problem; exit 1 on any error."""
    total = sum(1 for _ in iter_documents(root))
    cache = open_cache(root, write=False)
    try:
        with typer.progressbar(length=total, label="documents", file=sys.stderr) as bar:
            found = scan(root, cache, None, bar.update, jobs=jobs, scheduler=scheduler)
    finally:
        cache.close()
    if report(found.problems):
        raise typer.Exit(1)
    drafts = found.drafts
    typer.echo(f"OK: {found.valid} document(s) valid" + (f", {drafts} draft(s)" if drafts else ""))


@app.command("build")
def build_cmd(
    root: Root = Path("."),
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Write nothing; exit 1 if data/ or README.md differ from a fresh build."
        ),
    ] = False,
    jobs: JobsOpt = None,
    scheduler: SchedulerOpt = None,
) -> None:
    """Validate, then write data/*.parquet and README.md's card atomically (all or nothing)."""
    total = sum(1 for _ in iter_documents(root))
    with typer.progressbar(length=total, label="documents", file=sys.stderr) as bar:
        try:
            result = build(root, None, check, bar.update, jobs=jobs, scheduler=scheduler)
        except ProblemsFound as err:
            report(err.problems)
            typer.echo("build refused: data/ left unchanged", err=True)
            raise typer.Exit(1) from None
        except CardError as err:
            typer.echo(str(err), err=True)
            raise typer.Exit(1) from None
    report(result.problems)
    if check:
        for name in result.stale:
            typer.echo(
                f"{name}: error[stale-build]: differs from what `corpus build` writes; "
                "fix: run `corpus build` and commit data/ and README.md",
                err=True,
            )
        if result.stale:
            raise typer.Exit(1)
        typer.echo(
            f"OK: data/ and README.md are what `corpus build` writes ({result.released} records)"
        )
        return
    typer.echo(f"wrote {result.released} record(s) to {len(result.shards)} shard(s):")
    for shard in result.shards:
        typer.echo(f"  {shard}")


@app.command("stats")
def stats_cmd(
    root: Root = Path("."),
    fmt: Annotated[Format, typer.Option("--format", help="markdown or json")] = Format.markdown,
) -> None:
    """Documents, characters, body share, tokens, entities per label, per language (data/)."""
    stats = compute_stats([record_stats(r) for r in read_records(root)])
    if fmt is Format.json:
        typer.echo(json.dumps(stats, indent=2))
    else:
        typer.echo(stats_markdown(stats))


app.add_typer(eval_app, name="eval")
app.command("predict")(predict_cmd)
app.command("leaderboard")(leaderboard_cmd)
app.command("add")(add_cmd)
app.command("import")(import_cmd)
app.command("export")(export_cmd)
app.command("show")(show_cmd)
app.command("review")(review_cmd)
app.command("agree")(agree_cmd)

if __name__ == "__main__":
    app()

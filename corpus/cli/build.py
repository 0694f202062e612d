"""`corpus validate`, `corpus build` and `corpus stats`: option parsing and printing around
corpus.build."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from corpus.build import build, open_cache, read_records, scan
from corpus.build.card import CardError
from corpus.build.repository import iter_documents
from corpus.build.stats import GROUPS, compute_stats, record_stats, stats_markdown
from corpus.cli.common import Format, RootOpt, fail, print_problems, progress
from corpus.core.problems import Problem, ProblemsFound
from corpus.core.problems import explain as explain_code

JobsOpt = Annotated[
    int | None, typer.Option("--jobs", help="Worker processes (default: all cores; 1: none).")
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option("--scheduler", help='Run on a Dask cluster: its scheduler address, or "local".'),
]


def validate_cmd(
    root: RootOpt = Path("."),
    jobs: JobsOpt = None,
    scheduler: SchedulerOpt = None,
    explain: Annotated[
        str | None,
        typer.Option(
            "--explain", metavar="CODE", help="Print what a problem code means; check nothing."
        ),
    ] = None,
) -> None:
    """Check raw/ and annotations/ without writing; list every problem; exit 1 on any error."""
    if explain is not None:
        try:
            typer.echo(explain_code(explain))
        except KeyError as err:
            raise fail(err.args[0]) from None
        return
    total = sum(1 for _ in iter_documents(root))
    cache = open_cache(root, write=False)
    try:
        with progress(total, "documents") as update:
            found = scan(root, cache, None, update, jobs=jobs, scheduler=scheduler)
    finally:
        cache.close()
    if print_problems(found.problems):
        raise typer.Exit(1)
    drafts = found.drafts
    typer.echo(f"OK: {found.valid} document(s) valid" + (f", {drafts} draft(s)" if drafts else ""))


def build_cmd(
    root: RootOpt = Path("."),
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
    with progress(total, "documents") as update:
        try:
            result = build(root, None, check, update, jobs=jobs, scheduler=scheduler)
        except ProblemsFound as err:
            print_problems(err.problems)
            typer.echo("build refused: data/ left unchanged", err=True)
            raise typer.Exit(1) from None
        except CardError as err:
            typer.echo(str(err), err=True)
            raise typer.Exit(1) from None
        except OSError as err:  # read-only data/, a full disk: nothing was replaced
            if err.filename is None:
                raise fail(str(err)) from None
            raise fail(
                f"{err.strerror} ({err.filename}); data/ left as it was; fix: free disk space "
                "or make the repository writable, then build again"
            ) from None
    print_problems(result.problems)
    if check:
        stale = [
            Problem(
                name,
                None,
                None,
                "error",
                "stale-build",
                "differs from what `corpus build` writes",
                "run `corpus build` and commit data/ and README.md",
            )
            for name in result.stale
        ]
        if not result.stale:
            stale += stale_scores(root)
        for problem in stale:
            typer.echo(problem.format(), err=True)
        if stale:
            raise typer.Exit(1)
        typer.echo(
            f"OK: data/ and README.md are what `corpus build` writes ({result.released} records)"
        )
        return
    typer.echo(f"wrote {result.released} record(s) to {len(result.shards)} shard(s):")
    for shard in result.shards:
        typer.echo(f"  {shard}")


def stale_scores(root: Path) -> list[Problem]:
    """The README's generated score tables, if it has them, made on another corpus version."""
    from corpus.eval.baselines import START, stale_reason

    readme = (root / "README.md").read_text(encoding="utf-8")
    if START not in readme:
        return []
    reason = stale_reason(readme, root)
    if reason is None:
        return []
    message, fix = reason.split("; fix: ", 1)
    return [Problem("README.md", None, None, "error", "stale-scores", message, fix)]


def stats_cmd(
    root: RootOpt = Path("."),
    fmt: Annotated[Format, typer.Option("--format", help="markdown or json")] = Format.markdown,
) -> None:
    """Documents, characters, body share, tokens, entities per label: per language and per
    source (from data/)."""
    try:
        rows = [record_stats(r) for r in read_records(root)]
    except ValueError as err:
        raise fail(str(err)) from None
    stats = {by: compute_stats(rows, by) for by in GROUPS}
    if fmt is Format.json:
        typer.echo(json.dumps(stats, indent=2))
    else:
        typer.echo("\n\n".join(stats_markdown(stats[by], by) for by in stats))

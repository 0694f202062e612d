"""`corpus import-source`: import a published benchmark into raw/ and annotations/."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from corpus.cli.common import RootOpt, fail

DEFAULT_SOURCES = Path("../shared/sources")
# corpus.importers.REGISTRY, not imported at start-up (a test checks they agree)
NAMES = "aeb, daniel, l3s-gn1, wcxb, googletrends-2017"


def import_source_cmd(
    name: Annotated[str, typer.Argument(help=f"The benchmark: {NAMES}.")],
    sources: Annotated[
        Path, typer.Option("--from", help="The folder holding the benchmarks' archives.")
    ] = DEFAULT_SOURCES,
    jobs: Annotated[int, typer.Option("--jobs", help="Worker processes.")] = 2,
    allow_deletions: Annotated[
        bool,
        typer.Option(
            "--allow-deletions",
            help="Let the import delete more than 10 documents and 10% of the source.",
        ),
    ] = False,
    root: RootOpt = Path("."),
) -> None:
    """Render a benchmark's pages with Resiliparse and align its gold (deterministic): writes
    raw/, annotations/ and imports/<name>-review.tsv and -summary.json."""
    from corpus.importers import REGISTRY
    from corpus.importers.run import import_source

    if name not in REGISTRY:
        raise fail(f'unknown source "{name}"; fix: use one of {", ".join(REGISTRY)}')
    try:
        summary = import_source(name, sources, root, jobs, allow_deletions)
    except (FileNotFoundError, ValueError) as err:
        raise fail(str(err)) from None
    held = ", ".join(f"{k}: {v}" for k, v in summary["not_released"].items()) or "none"
    typer.echo(
        f"{name}: {summary['pages_read']} pages read, {summary['released']} released, "
        + (f"{summary['drafts']} written as drafts, " if summary["drafts"] else "")
        + f"not released: {held}; {summary['kept_reviewed']} reviewed kept, "
        f"{summary['deleted']} deleted; {summary['seconds']} s"
    )
    for path in summary["unreadable"]:
        typer.echo(
            f"{path}: error[json]: does not parse, so the import neither overwrote nor deleted "
            "it; fix: repair it (corpus validate shows where), then import again",
            err=True,
        )
    if summary["unreadable"]:
        raise typer.Exit(1)

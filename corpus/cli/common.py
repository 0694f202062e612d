"""What every command shares: the --root option, output formats, and printing problems."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from corpus.core.problems import Problem

RootOpt = Annotated[
    Path,
    typer.Option(
        "--root",
        help="The corpus repository (holds raw/, annotations/, data/).",
        exists=True,
        file_okay=False,
    ),
]


class Format(str, Enum):
    """Output formats of tables."""

    table = "table"
    markdown = "markdown"
    json = "json"


WARNINGS_PER_CODE = 10


def print_problems(problems: list[Problem]) -> int:
    """Print problems one per line to stderr with a summary; return the number of errors.
    Every error is printed; warnings at most WARNINGS_PER_CODE per code, then one line that
    counts the rest (a corpus with many drafts would otherwise drown its errors)."""
    errors = sum(p.severity == "error" for p in problems)
    shown: Counter[str] = Counter()
    for p in problems:
        if p.severity != "error":
            shown[p.code] += 1
            if shown[p.code] > WARNINGS_PER_CODE:
                continue
        typer.echo(p.format(), err=True)
    for code, n in sorted(shown.items()):
        if n > WARNINGS_PER_CODE:
            typer.echo(
                f"... and {n - WARNINGS_PER_CODE} more warning(s) [{code}] "
                f"(`corpus validate --explain {code}`)",
                err=True,
            )
    warnings = len(problems) - errors
    if problems:
        typer.echo(f"{errors} error(s), {warnings} warning(s)", err=True)
    return errors


def refuse(problems: list[Problem], what: str) -> typer.Exit:
    """Print problems and "N error(s): what" to stderr; return the exit to raise."""
    for p in problems:
        typer.echo(p.format(), err=True)
    errors = sum(p.severity == "error" for p in problems)
    typer.echo(f"{errors} error(s): {what}", err=True)
    return typer.Exit(1)


CORPUS_FOLDERS = ("annotations", "raw", "data")


def outside_corpus(root: Path, out: Path) -> None:
    """Refuse (a one-line error) to write an export or a view into the corpus's own folders:
    `corpus export label-studio annotations/<id>.json` used to overwrite the gold."""
    target = out.resolve()
    for name in CORPUS_FOLDERS:
        folder = (root / name).resolve()
        if target == folder or folder in target.parents:
            raise fail(
                f"{out}: inside {name}/, which only corpus add, import and build write; "
                "nothing written; fix: write it elsewhere, e.g. work/ (ignored by git)"
            )


def fail(message: str) -> typer.Exit:
    """Print a one-line error to stderr and return the exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(1)


@contextmanager
def progress(length: int, label: str) -> Iterator[Callable[[int], Any]]:
    """A progress bar on stderr when it is a terminal; silently nothing otherwise (so logs and
    pipes get no stray lines). Yields the function to call with the number of items done."""
    if not sys.stderr.isatty():
        with nullcontext():
            yield lambda _n: None
        return
    with typer.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield bar.update

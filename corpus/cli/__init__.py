"""The `corpus` command line: thin commands over the Python API (corpus.build, corpus.eval,
corpus.contrib), one module per side, shared options and the problem printer in common.py."""

from __future__ import annotations

from typing import Annotated

import typer

from corpus import __version__
from corpus.cli.build import build_cmd, stats_cmd, validate_cmd
from corpus.cli.contrib import add_cmd, agree_cmd, export_cmd, import_cmd, review_cmd, show_cmd
from corpus.cli.eval import eval_app, leaderboard_cmd, predict_cmd
from corpus.cli.sources import import_source_cmd

app = typer.Typer(
    help="Build, validate and describe the gold corpus; score systems against it.",
    no_args_is_help=True,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"corpus {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Build, validate and describe the gold corpus; score systems against it."""


app.command("validate")(validate_cmd)
app.command("build")(build_cmd)
app.command("stats")(stats_cmd)
app.add_typer(eval_app, name="eval")
app.command("predict")(predict_cmd)
app.command("leaderboard")(leaderboard_cmd)
app.command("add")(add_cmd)
app.command("import")(import_cmd)
app.command("export")(export_cmd)
app.command("show")(show_cmd)
app.command("review")(review_cmd)
app.command("agree")(agree_cmd)
app.command("import-source")(import_source_cmd)

__all__ = ["app"]

if __name__ == "__main__":
    app()

"""`corpus add`, `import`, `export`, `show`, `review` and `agree`: the contributor's commands."""

from __future__ import annotations

import datetime
import json
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from corpus.cli.common import RootOpt, outside_corpus, refuse
from corpus.contrib.add import add_document
from corpus.contrib.agreement import agreement, read_annotations
from corpus.contrib.formats import EXPORTERS, READERS
from corpus.contrib.formats.common import corpus_documents, merge
from corpus.contrib.html_view import document_page, write_review
from corpus.core.labels import FIRST_YEAR, GENRES
from corpus.core.model import Source
from corpus.core.problems import ProblemsFound

Genre = Enum("Genre", {name: name for name in GENRES}, type=str)  # type: ignore[misc]
ImportFormat = Enum("ImportFormat", {name: name for name in READERS}, type=str)  # type: ignore[misc]
ExportFormat = Enum("ExportFormat", {name: name for name in EXPORTERS}, type=str)  # type: ignore[misc]


def _documents(root: Path, ids: list[str] | None):
    try:
        docs = corpus_documents(root)
    except ProblemsFound as err:
        raise refuse(err.problems, "fix the corpus first (corpus validate)") from None
    unknown = sorted(set(ids or []) - set(docs))
    if unknown:
        typer.echo(f"error: unknown id(s) {', '.join(unknown)}; fix: use ids from raw/", err=True)
        raise typer.Exit(1)
    return [docs[i] for i in (ids or sorted(docs))]


def add_cmd(
    file: Annotated[
        Path, typer.Argument(help="A UTF-8 text file of one web page.", exists=True, dir_okay=False)
    ],
    language: Annotated[str, typer.Option(help="ISO 639-1 code of the page's language.")],
    source: Annotated[str, typer.Option(help="Publisher or site name.")],
    url: Annotated[str | None, typer.Option(help="The page's URL, if known.")] = None,
    date: Annotated[str | None, typer.Option(help="Publication date (ISO 8601).")] = None,
    genre: Annotated[
        Genre,
        typer.Option(help="What kind of page it is (ANNOTATION_GUIDELINES.md, 'Genres')."),
    ] = ...,  # type: ignore[assignment]
    year: Annotated[
        int | None,
        typer.Option(
            help="Year of publication, else of the crawl; leave out when neither is known.",
            min=FIRST_YEAR,
            max=datetime.date.today().year + 1,
        ),
    ] = None,
    license_: Annotated[
        str, typer.Option("--license", help="What is known of the text's rights.")
    ] = "unknown: to be checked before release",
    split: Annotated[str, typer.Option(help="train, validation or test.")] = "test",
    root: RootOpt = Path("."),
) -> None:
    """Copy a raw file into raw/ under a new id and write a draft annotation to review."""
    try:
        added = add_document(
            root,
            file,
            language,
            Source(source, license_, url, date, None, genre.value, year),
            split,
        )
    except ProblemsFound as err:
        raise refuse(err.problems, "nothing added") from None
    typer.echo(
        f"added {added.id}:\n  {added.raw_file}\n  {added.annotation_file} "
        '(status "draft", not segmented yet: `corpus export lines work/ --id '
        f"{added.id}`, label every line, then `corpus import lines work/{added.id}.lines "
        "--gold`; see CONTRIBUTING.md)"
    )


def import_cmd(
    fmt: Annotated[ImportFormat, typer.Argument(help=", ".join(READERS))],
    path: Annotated[
        Path, typer.Argument(help="The export file (brat, lines: a folder).", exists=True)
    ],
    gold: Annotated[
        bool, typer.Option("--gold", help="Mark the documents gold: you checked every line.")
    ] = False,
    root: RootOpt = Path("."),
) -> None:
    """Write an annotation tool's spans into annotations/ (all or nothing, validated)."""
    try:
        texts = {i: d.text for i, d in corpus_documents(root).items()}
        items = READERS[fmt.value](path, texts)
        written = merge(root, str(path), items, gold)
    except ProblemsFound as err:
        raise refuse(err.problems, "nothing imported") from None
    for p in written:
        typer.echo(f"updated {p.relative_to(root)}")
    if not written:
        typer.echo("nothing changed: the annotations already hold these spans")


def export_cmd(
    fmt: Annotated[ExportFormat, typer.Argument(help=", ".join(EXPORTERS))],
    out: Annotated[Path, typer.Argument(help="Output file (brat: a folder).")],
    ids: Annotated[list[str] | None, typer.Option("--id", help="Only these ids.")] = None,
    root: RootOpt = Path("."),
) -> None:
    """Export annotations (drafts included) for annotation tools or training."""
    outside_corpus(root, out)
    docs = _documents(root, ids)
    EXPORTERS[fmt.value](docs, out)
    typer.echo(f"exported {len(docs)} document(s) to {out}")


def show_cmd(
    ident: Annotated[str, typer.Argument(help="Document id.")],
    html: Annotated[Path, typer.Option("--html", help="Write the page here.")],
    root: RootOpt = Path("."),
) -> None:
    """Write one document as a self-contained HTML page (segments shaded, entities marked)."""
    outside_corpus(root, html)
    [doc] = _documents(root, [ident])
    html.write_text(document_page(doc), encoding="utf-8")
    typer.echo(f"wrote {html}")


def review_cmd(
    out: Annotated[Path, typer.Option("--out", help="Folder for index.html and the pages.")],
    root: RootOpt = Path("."),
) -> None:
    """Write an HTML page per document and an index with their statistics."""
    outside_corpus(root, out)
    paths = write_review(_documents(root, None), out)
    typer.echo(f"wrote {len(paths)} page(s); open {paths[0]}")


def agree_cmd(
    a: Annotated[
        Path, typer.Argument(help="Annotations of annotator A (folder or file).", exists=True)
    ],
    b: Annotated[
        Path, typer.Argument(help="Annotations of annotator B (folder or file).", exists=True)
    ],
    fmt: Annotated[str, typer.Option("--format", help="table or json")] = "table",
    root: RootOpt = Path("."),
) -> None:
    """Agreement of two annotations of the same documents: segments (kappa) and entities (F1)."""
    try:
        ann_a, ann_b = read_annotations(a, root), read_annotations(b, root)
    except ProblemsFound as err:
        raise refuse(err.problems, "fix the annotations first") from None
    common = sorted(ann_a.keys() & ann_b.keys())
    if not common:
        typer.echo(
            "error: no document is annotated in both; fix: give two annotation "
            "folders that share ids",
            err=True,
        )
        raise typer.Exit(1)
    result = agreement([(ann_a[i][0], ann_a[i][1], ann_b[i][1]) for i in common])
    if fmt == "json":
        typer.echo(json.dumps(result, indent=2))
        return

    def num(x: float | None) -> str:
        return "n/a" if x is None else f"{x:.4f}"

    rows = [("all", result), *result.get("per_language", {}).items()]
    for name, r in rows:
        typer.echo(
            f"{name}: documents {r['documents']}, word tokens {r['tokens']}, characters "
            f"{r['characters']}\n"
            f"  segments: word agreement {num(r['segment_agreement'])}, Cohen's kappa "
            f"{num(r['segment_kappa'])}; character agreement "
            f"{num(r['segment_agreement_chars'])}, Cohen's kappa "
            f"{num(r['segment_kappa_chars'])}\n"
            f"  entities: strict F1 {num(r['entity_f1'])} ("
            + ", ".join(f"{k} {num(v)}" for k, v in r["entity_f1_per_label"].items())
            + ")"
        )

"""`corpus add`: ids, duplicates, drafts that validate, and drafts left out of the build."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from conftest import SEEDS
from typer.testing import CliRunner

from corpus.build import build, read_records, validate_corpus
from corpus.cli import app

runner = CliRunner()
PAGE = (
    "Menü Start Kontakt\n"
    "Die Stadt Gent plant einen neuen Hafen. Das sagte der Bürgermeister am Montag.\n"
    "Die Arbeiten sollen im Frühjahr beginnen und drei Jahre dauern. Kritik gibt es kaum.\n"
    "Kommentare (3)\n"
)


def add(repo: Path, file: Path, *extra: str):
    return runner.invoke(
        app,
        [
            "add",
            str(file),
            "--language",
            "de",
            "--source",
            "Example",
            "--genre",
            "article",
            *extra,
            "--root",
            str(repo),
        ],
    )


def test_add_copies_the_file_and_writes_a_valid_draft(repo_copy: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(PAGE.replace("\n", "\r\n").encode())
    result = add(repo_copy, page, "--url", "https://example.org/gent")
    assert result.exit_code == 0, result.output
    ident = "005_" + hashlib.sha256(b"https://example.org/gent").hexdigest()[:16]
    assert f"added {ident}" in result.output
    assert (repo_copy / "raw" / f"{ident}.txt").read_bytes() == page.read_bytes()
    ann = json.loads((repo_copy / "annotations" / f"{ident}.json").read_text())
    assert ann["status"] == "draft" and ann["source"]["url"] == "https://example.org/gent"
    assert ann["segments"] == [] and ann["entities"] == []  # no system drafts the gold
    assert ann["provenance"]["layers"] == {"segments": "manual", "entities": None}
    docs, problems = validate_corpus(repo_copy)
    assert [p.code for p in problems] == ["draft"] and len(docs) == 3


def test_id_without_url_hashes_the_normalized_text(mini, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("\ufeff" + PAGE)
    assert add(mini.root, page).exit_code == 0
    ident = "000_" + hashlib.sha256(PAGE.encode()).hexdigest()[:16]
    assert (mini.root / "raw" / f"{ident}.txt").exists()
    assert re.fullmatch(r"\d{3}_[0-9a-f]{16}", ident)


def test_duplicates_and_bad_files_are_refused(repo_copy: Path, tmp_path: Path) -> None:
    dup = tmp_path / "dup.txt"
    dup.write_bytes(
        (SEEDS / "raw" / "000_ee8fa7b999b89065.txt").read_bytes().replace(b"\n", b"\r\n")
    )
    result = add(repo_copy, dup)
    assert result.exit_code == 1
    assert "error[duplicate-document]" in result.output and "000_ee8fa7b999b89065" in result.output
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9\n")
    result = add(repo_copy, bad)
    assert result.exit_code == 1 and ":1:4: error[encoding]" in result.output
    assert sorted(p.name for p in (repo_copy / "raw").iterdir()) == sorted(
        p.name for p in (SEEDS / "raw").iterdir()
    )


def test_build_leaves_drafts_out_until_marked_gold(repo_copy: Path, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(PAGE)
    add(repo_copy, page)
    result = build(repo_copy)
    assert result.released == 2
    assert any(p.code == "draft" for p in result.problems)
    [ann_file] = [p for p in (repo_copy / "annotations").glob("005_*.json")]
    work = tmp_path / "work"
    runner = CliRunner()
    runner.invoke(
        app, ["export", "lines", str(work), "--id", ann_file.stem, "--root", str(repo_copy)]
    )
    lines = work / f"{ann_file.stem}.lines"
    labelled = [("B" + r[1:]) if r.startswith("?|") else r for r in lines.read_text().splitlines()]
    lines.write_text("\n".join(labelled) + "\n")
    result = runner.invoke(app, ["import", "lines", str(lines), "--gold", "--root", str(repo_copy)])
    assert result.exit_code == 0, result.output
    assert "status" not in json.loads(ann_file.read_text())
    build(repo_copy)
    assert len(read_records(repo_copy)) == 3


def test_add_checks_language_split_and_binary_files_at_once(mini, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(PAGE)
    result = CliRunner().invoke(
        app,
        ["add", str(page), "--language", "german", "--source", "X", "--genre", "article",
         "--split", "dev",
         "--root", str(mini.root)],
    )  # fmt: skip
    assert result.exit_code == 1
    assert 'error[language]: "german" is not an ISO 639-1 code' in result.output
    assert 'error[split]: unknown split "dev"' in result.output
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"GIF89a\x00\x01\x02\x00\x00")
    result = add(mini.root, binary)
    assert result.exit_code == 1 and "error[control-character]" in result.output
    assert not list((mini.root / "raw").iterdir())


def test_add_refuses_a_javascript_url_and_show_never_links_one(
    repo_copy: Path, tmp_path: Path
) -> None:
    from dataclasses import replace

    from corpus.contrib.formats.common import corpus_documents
    from corpus.contrib.html_view import document_page

    page = tmp_path / "page.txt"
    page.write_text(PAGE)
    before = sorted(p.name for p in (repo_copy / "raw").iterdir())
    result = add(repo_copy, page, "--url", "javascript:alert(document.cookie)")
    assert result.exit_code == 1 and "error[url]" in result.output
    assert sorted(p.name for p in (repo_copy / "raw").iterdir()) == before  # nothing added
    doc = next(iter(corpus_documents(repo_copy).values()))

    hostile = replace(doc.annotation.source, url='javascript:alert("x")')
    shown = document_page(replace(doc, annotation=replace(doc.annotation, source=hostile)))
    assert 'href="javascript' not in shown
    assert "javascript:alert(&quot;x&quot;)" in shown


@pytest.mark.parametrize(
    ("command", "target"),
    [
        (["export", "label-studio"], "annotations/{id}.json"),
        (["export", "lines"], "raw"),
        (["show", "{id}", "--html"], "data/x.html"),
        (["review", "--out"], "annotations"),
    ],
)
def test_exports_and_views_never_write_into_the_corpus(
    repo_copy: Path, command: list[str], target: str
) -> None:
    """`corpus export label-studio annotations/<id>.json` overwrote the gold without a word."""
    ident = sorted(p.stem for p in (repo_copy / "annotations").glob("*.json"))[0]
    files = {p: p.read_bytes() for p in repo_copy.rglob("*") if p.is_file()}
    args = [a.format(id=ident) for a in command] + [str(repo_copy / target.format(id=ident))]
    result = runner.invoke(app, [*args, "--root", str(repo_copy)])
    assert result.exit_code == 1 and "nothing written" in result.output
    assert "work/" in result.output and "Traceback" not in result.output
    assert {p: p.read_bytes() for p in repo_copy.rglob("*") if p.is_file()} == files


def test_add_refuses_devices_fifos_and_huge_files_without_reading_them(
    repo_copy: Path, tmp_path: Path
) -> None:
    """`corpus add /dev/zero` read until memory ran out (issue 24.12)."""
    import os

    from corpus.contrib.add import MAX_PAGE_BYTES

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # opening it for reading would block: it must not be opened
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:
        f.truncate(MAX_PAGE_BYTES + 1)  # sparse: cheap to make
    before = sorted(p.name for p in (repo_copy / "raw").iterdir())
    for path, code in (
        ("/dev/zero", "not-a-file"),
        (str(fifo), "not-a-file"),
        (str(huge), "too-large"),
    ):
        result = add(repo_copy, Path(path))
        assert result.exit_code == 1 and f"error[{code}]" in result.output, result.output
        assert "Traceback" not in result.output
    assert sorted(p.name for p in (repo_copy / "raw").iterdir()) == before

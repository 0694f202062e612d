"""The command line on real files: exit codes, one-line messages, stats, progress."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import MiniCorpus, annotation_for
from typer.testing import CliRunner

from corpus.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_validate_ok_on_the_real_corpus(repo_copy: Path) -> None:
    result = run("validate", "--root", str(repo_copy))
    assert result.exit_code == 0, result.output
    assert "2 document(s) valid" in result.output


def test_validate_lists_every_error_and_exits_1(mini: MiniCorpus) -> None:
    text = "Ein Satz.\n"
    ann = annotation_for(
        "a", text, entities=[{"start": 0, "end": 3, "label": "PERSON", "text": "Ein"}]
    )
    mini.add("a", text, ann)
    mini.add("b", b"\xc3(", None)
    result = run("validate", "--root", str(mini.root))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[-1] == "3 error(s), 0 warning(s)"
    assert any(line.startswith("annotations/a.json:") and "PERSON" in line for line in lines)
    assert any(line.startswith("raw/b.txt:1:1: error[encoding]") for line in lines)
    assert any(line.startswith("raw/b.txt: error[missing-annotation]") for line in lines)


def test_warnings_are_capped_per_code_but_every_error_is_listed(mini: MiniCorpus) -> None:
    """Many drafts (an imported source waiting for review) print 10 warnings and a count, and
    never hide an error."""
    for i in range(13):
        text = f"Draft page number {i}.\n"
        mini.add(f"d{i:02d}", text, annotation_for(f"d{i:02d}", text, status="draft"))
    for i in range(12):
        mini.add(f"e{i:02d}", f"Page {i}.\n", annotation_for(f"e{i:02d}", "x", split="dev"))
    result = run("validate", "--root", str(mini.root))
    lines = result.output.strip().splitlines()
    assert result.exit_code == 1
    assert sum("warning[draft]" in line for line in lines) == 10
    assert sum("error[" in line for line in lines) >= 12
    assert "... and 3 more warning(s) [draft] (`corpus validate --explain draft`)" in lines
    codes = [line.split("warning[", 1)[1].split("]")[0] for line in lines if "warning[" in line]
    assert max(codes.count(c) for c in codes) <= 10


def test_build_refuses_and_keeps_data(repo_copy: Path) -> None:
    (repo_copy / "raw" / "new.txt").write_text("Neuer Text.\n")
    result = run("build", "--root", str(repo_copy))
    assert result.exit_code == 1
    assert "raw/new.txt: error[missing-annotation]" in result.output
    assert "data/ left unchanged" in result.output


def test_build_then_stats(repo_copy: Path) -> None:
    result = run("build", "--root", str(repo_copy))
    assert result.exit_code == 0, result.output
    assert "data/original/de/test-00000-of-00001.parquet" in result.output
    table = run("stats", "--root", str(repo_copy))
    assert table.exit_code == 0
    assert table.output.splitlines()[0].startswith("| language | documents | characters |")
    stats = json.loads(run("stats", "--root", str(repo_copy), "--format", "json").output)
    languages, sources = stats["language"], stats["source"]
    assert languages["all"] == sources["all"] and languages["all"]["documents"] == 2
    assert languages["all"]["entities"] == sum(languages[k]["entities"] for k in ("de", "pl"))
    assert sources["original"]["ner_documents"] == 2
    readme = (repo_copy / "README.md").read_text()
    assert table.output.strip() in readme


def test_build_warns_on_language_mismatch(mini: MiniCorpus) -> None:
    text = "Das ist ganz eindeutig ein deutscher Satz über das Wetter in Berlin.\n"
    mini.add("doc", text, annotation_for("doc", text, language="pl"))
    result = run("build", "--root", str(mini.root))
    assert result.exit_code == 0
    assert "warning[language-mismatch]" in result.output


def test_help_of_every_command() -> None:
    for cmd in ("validate", "build", "stats"):
        result = run(cmd, "--help")
        assert result.exit_code == 0 and "--root" in result.output


def test_build_check_names_stale_files_and_the_fix(repo_copy: Path) -> None:
    ok = run("build", "--check", "--root", str(repo_copy))
    assert ok.exit_code == 0, ok.output
    ann = repo_copy / "annotations" / "000_ee8fa7b999b89065.json"
    data = json.loads(ann.read_text())
    data["entities"].pop()
    ann.write_text(json.dumps(data, ensure_ascii=False, indent=2))
    shard = repo_copy / "data" / "original" / "pl" / "test-00000-of-00001.parquet"
    before = shard.read_bytes()
    stale = run("build", "--check", "--root", str(repo_copy))
    assert stale.exit_code == 1
    assert "data/original/pl/test-00000-of-00001.parquet: error[stale-build]" in stale.output
    assert "README.md: error[stale-build]" in stale.output and "run `corpus build`" in stale.output
    assert shard.read_bytes() == before


def test_version_and_quiet_progress_off_a_terminal(repo_copy: Path) -> None:
    from corpus import __version__

    assert run("--version").output.strip() == f"corpus {__version__}"
    result = CliRunner().invoke(app, ["validate", "--root", str(repo_copy)])
    assert result.exit_code == 0 and "documents" not in result.stderr  # no progress bar


def test_import_says_nothing_changed_when_nothing_did(repo_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "m"
    run("export", "markup", str(out), "--root", str(repo_copy))
    result = run("import", "markup", str(out), "--root", str(repo_copy))
    assert result.exit_code == 0 and "updated" not in result.output
    assert "nothing changed" in result.output


def test_build_check_covers_the_readme_score_tables(repo_copy: Path) -> None:
    from corpus.eval.baselines import CHART, END, START, stamp
    from corpus.eval.gold import load_gold
    from corpus.systems import EXTRACTION, NER

    readme = repo_copy / "README.md"
    readme.write_text(readme.read_text() + f"{START}\nTest split, 2 documents, corpus `x`\n{END}\n")
    assert run("build", "--root", str(repo_copy)).exit_code == 0
    stale = run("build", "--check", "--root", str(repo_copy))
    assert stale.exit_code == 1 and "README.md: error[stale-scores]" in stale.output
    rows = "\n".join(f"| {name} |" for name in [*EXTRACTION, *NER])
    current = f"{stamp(load_gold(repo_copy))}\n{rows}"
    readme.write_text(readme.read_text().replace("Test split, 2 documents, corpus `x`", current))
    missing_chart = run("build", "--check", "--root", str(repo_copy))
    assert missing_chart.exit_code == 1 and "leaderboard.png is missing" in missing_chart.output
    (repo_copy / CHART).parent.mkdir(exist_ok=True)
    (repo_copy / CHART).write_bytes(b"png")
    assert run("build", "--check", "--root", str(repo_copy)).exit_code == 0
    readme.write_text(readme.read_text().replace("| jieba |\n", ""))
    missing_system = run("build", "--check", "--root", str(repo_copy))
    assert missing_system.exit_code == 1 and "lacks the systems jieba" in missing_system.output

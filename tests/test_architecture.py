"""The package's shape: public APIs resolve, the scoring side never imports the build side,
and every problem code comes from the one registry."""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO
from typer.testing import CliRunner

from corpus.cli import app
from corpus.core.problems import CODES, Problem, explain

CODE_LIKE = re.compile(r"^[a-z][a-z0-9-]*$")  # codes, not the messages some error() calls take
PACKAGES = ("corpus", "corpus.core", "corpus.build", "corpus.eval", "corpus.contrib")


@pytest.mark.parametrize("name", PACKAGES)
def test_every_public_name_resolves(name: str) -> None:
    module = importlib.import_module(name)
    for attr in module.__all__:
        assert getattr(module, attr) is not None


@pytest.mark.parametrize("side", ["corpus.eval", "corpus.eval.hf", "corpus.systems"])
def test_scoring_side_does_not_import_the_build_side(side: str) -> None:
    code = (
        f"import sys, {side}; print(sorted(m for m in sys.modules if m.startswith('corpus.build')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _literal_codes() -> list[tuple[str, int, str]]:
    """(file, line, code) of every string literal passed as a Problem's code in corpus/."""
    found = []
    for path in (REPO / "corpus").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            index = {"Problem": 4, "error": 1}.get(name or "")
            if index is None or len(node.args) <= index:
                continue
            arg = node.args[index]
            if isinstance(arg, ast.Constant) and CODE_LIKE.match(str(arg.value)):
                found.append((str(path.relative_to(REPO)), node.lineno, arg.value))
    return found


def test_every_problem_code_is_registered() -> None:
    codes = _literal_codes()
    assert len(codes) > 30  # the scan finds the checks
    assert [c for c in codes if c[2] not in CODES] == []


def test_an_unregistered_code_or_level_is_refused() -> None:
    with pytest.raises(ValueError, match="not in CODES"):
        Problem("f", 1, 1, "error", "no-such-code", "m", "f")
    with pytest.raises(ValueError, match="not in CODES"):
        Problem("f", 1, 1, "error", "draft", "m", "f")  # draft is a warning


def test_validate_explain_prints_a_code_and_refuses_an_unknown_one() -> None:
    runner = CliRunner()
    out = runner.invoke(app, ["validate", "--explain", "mid-line"])
    assert out.exit_code == 0 and out.stdout.strip() == explain("mid-line")
    assert out.stdout.startswith("mid-line (error): ")
    bad = runner.invoke(app, ["validate", "--explain", "nope"])
    assert bad.exit_code == 1 and 'unknown problem code "nope"' in bad.stderr


def test_cli_modules_are_thin() -> None:
    """No command module reads annotation files itself: they call the API."""
    for path in (REPO / "corpus" / "cli").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "AnnotationReader" not in source and "read_raw" not in source, path


def test_root_option_is_defined_once() -> None:
    defined = [
        p.name
        for p in Path(REPO / "corpus").rglob("*.py")
        if "RootOpt = Annotated" in p.read_text(encoding="utf-8")
    ]
    assert defined == ["common.py"]

"""Repository hygiene: CI runs the README commands, lint is clean, generated docs are current."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import REPO


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Set-up and tests", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.*?)\n```", section, flags=re.S)


def test_ci_runs_the_readme_commands_verbatim() -> None:
    commands = readme_commands()
    assert len(commands) == 2, "the README gives exactly two set-up commands"
    ci_lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    for command in commands:
        assert command in ci_lines


def test_no_python_file_at_the_root() -> None:
    """`datasets` treats a root-level <name>.py as a forbidden dataset script."""
    assert not list(REPO.glob("*.py"))


def test_ruff_is_clean() -> None:
    for args in (["check", "."], ["format", "--check", "."]):
        cmd = [sys.executable, "-m", "ruff", *args]
        done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def test_readme_baseline_scores_belong_to_the_current_corpus() -> None:
    """The README's scores were made on the corpus as it is (its gold version and size),
    checked without re-running every system."""
    from corpus.eval.baselines import stale_reason

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert stale_reason(readme, REPO) is None


def test_the_card_says_who_made_the_annotations() -> None:
    """No person has annotated this corpus: the layers are the benchmarks' gold (found) and AI
    annotators' work (machine-generated); the card must not say expert-generated."""
    import yaml

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    card = yaml.safe_load(readme.split("---\n", 2)[1])
    assert card["annotations_creators"] == ["found", "machine-generated"]
    assert "No person has verified this corpus yet" in readme

"""HTML views: every entity and segment on the page, and a real headless browser run."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corpus.cli import app
from corpus.contrib.formats.common import corpus_documents


class Marks(HTMLParser):
    """Collects the text of each <mark class=entity> (without its label tag) and segments."""

    def __init__(self) -> None:
        super().__init__()
        self.entities: list[tuple[str, str]] = []
        self.segments: list[str] = []
        self._mark: list[str] | None = None
        self._label = ""
        self._in_tag = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "mark":
            self._mark, self._label = [], a["data-label"]
        elif tag == "span" and a.get("class") == "tag":
            self._in_tag = True
        elif tag == "div" and "seg" in (a.get("class") or "").split():
            self.segments.append(a["data-label"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark" and self._mark is not None:
            self.entities.append(("".join(self._mark), self._label))
            self._mark = None
        elif tag == "span":
            self._in_tag = False

    def handle_data(self, data: str) -> None:
        if self._mark is not None and not self._in_tag:
            self._mark.append(data)


def test_show_page_holds_every_entity_and_segment(tmp_path: Path, seed_corpus: Path) -> None:
    out = tmp_path / "doc.html"
    result = CliRunner().invoke(
        app, ["show", "004_2abd353871a51506", "--html", str(out), "--root", str(seed_corpus)]
    )
    assert result.exit_code == 0
    parser = Marks()
    parser.feed(out.read_text())
    doc = corpus_documents(seed_corpus)["004_2abd353871a51506"]
    assert parser.entities == [(e.text, e.label) for e in doc.annotation.entities]
    assert parser.segments == [s.label for s in doc.annotation.segments]
    assert "http" not in out.read_text().split("<body>")[1].split("Golem.de")[0]


def test_review_writes_index_and_pages(tmp_path: Path, seed_corpus: Path) -> None:
    result = CliRunner().invoke(app, ["review", "--out", str(tmp_path), "--root", str(seed_corpus)])
    assert result.exit_code == 0
    index = (tmp_path / "index.html").read_text()
    for ident in corpus_documents(seed_corpus):
        assert f'href="{ident}.html"' in index and (tmp_path / f"{ident}.html").exists()


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def headless(url: str, profile: Path) -> tuple[str, str]:
    """Load `url` in headless Chromium; return the rendered DOM and the browser's log."""
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.stdout, done.stderr


def console_errors(log: str) -> list[str]:
    return [x for x in log.splitlines() if ":CONSOLE" in x]


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed: apt-get install chromium")
def test_pages_load_in_a_real_browser_without_console_errors(
    tmp_path: Path, seed_corpus: Path
) -> None:
    CliRunner().invoke(app, ["review", "--out", str(tmp_path / "site"), "--root", str(seed_corpus)])
    for ident, doc in corpus_documents(seed_corpus).items():
        dom, log = headless((tmp_path / "site" / f"{ident}.html").as_uri(), tmp_path / "p")
        assert console_errors(log) == []
        assert f'data-entities-rendered="{len(doc.annotation.entities)}"' in dom
    dom, log = headless((tmp_path / "site" / "index.html").as_uri(), tmp_path / "p")
    assert console_errors(log) == [] and 'data-entities-rendered="0"' in dom


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed: apt-get install chromium")
def test_the_browser_check_catches_a_broken_page(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text("<!doctype html><body><script>notDefined();</script></body>")
    _, log = headless(page.as_uri(), tmp_path / "p")
    assert any("notDefined" in x for x in console_errors(log))

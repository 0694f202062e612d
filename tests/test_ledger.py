"""The build's ledger (SQLite rows, not Python objects) gives what the in-memory code gives."""

from __future__ import annotations

from pathlib import Path

from conftest import MiniCorpus
from test_validate import TEXT, good

from corpus.build import build, open_cache, read_records, scan, validate_corpus
from corpus.build.stats import compute_stats, record_stats
from corpus.build.synthetic import write_synthetic_corpus


def test_cross_document_checks_equal_validate_corpus(mini: MiniCorpus) -> None:
    mini.add("a", TEXT, good("a"))
    mini.add("b", TEXT.replace("\n", "\r\n"), good("b"))  # same text as a
    mini.add("c", TEXT + "\n", good("c", text=TEXT + "\n"))
    mini.add("Dup", TEXT + "x\n", good("Dup", text=TEXT + "x\n"))
    mini.add("dup", TEXT + "y\n", good("dup", text=TEXT + "y\n"))  # same id but for case
    draft = good("e", text=TEXT + "z\n")
    draft["status"] = "draft"
    mini.add("e", TEXT + "z\n", draft)
    for i in range(20):
        text = f"Text {i} in Gent.\n"
        body = [{"start": 0, "end": len(text), "label": "body"}]
        mini.add(f"n{i:02d}", text, good(f"n{i:02d}", text=text, segments=body, entities=[]))
    _, expected = validate_corpus(mini.root)
    cache = open_cache(mini.root, write=False)
    try:
        found = scan(mini.root, cache)
    finally:
        cache.close()
    cross = [p for p in found.problems if p.code != "language-mismatch"]  # detected by scan only
    assert cross == expected
    codes = sorted(p.code for p in cross)
    assert codes == ["draft", "duplicate-document", "duplicate-id"]
    assert (found.valid, found.drafts, found.released) == (24, 1, 23)


def test_card_statistics_equal_those_of_the_written_records(tmp_path: Path) -> None:
    root = tmp_path / "syn"
    write_synthetic_corpus(root, 60)
    build(root)
    expected = compute_stats([record_stats(r) for r in read_records(root)])
    cache = open_cache(root, write=False)
    try:
        assert scan(root, cache).ledger.stats() == expected
    finally:
        cache.close()
    assert len(expected) > 2  # several languages plus "all"


def test_a_file_name_that_is_not_utf8_is_an_error_not_a_crash(mini: MiniCorpus) -> None:
    mini.add("a", TEXT, good("a"))
    with open(bytes(mini.root / "raw") + b"/bad\xff.txt", "wb") as f:
        f.write(TEXT.encode())
    cache = open_cache(mini.root, write=False)
    try:
        found = scan(mini.root, cache)
    finally:
        cache.close()
    bad = [p for p in found.problems if p.code == "file-name"]
    assert len(bad) == 1 and bad[0].file == "raw/bad\\udcff.txt" and "rename" in bad[0].fix
    assert found.valid == 1

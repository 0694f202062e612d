"""The build: records, BIO tags, body rule, sharding, determinism and atomic replacement."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import REPO, MiniCorpus, annotation_for

from corpus.build import BuildSettings, build, read_records
from corpus.build.shards import recover, write_shard
from corpus.core.bio import bio_tags
from corpus.core.labels import NER_TAGS
from corpus.core.model import Entity, Segment
from corpus.core.problems import ProblemsFound
from corpus.core.record import body_text
from corpus.core.tokenize import tokenize


def digests(root: Path) -> dict[str, str]:
    files = [*sorted((root / "data").rglob("*.parquet")), root / "README.md"]
    return {str(f.relative_to(root)): hashlib.sha256(f.read_bytes()).hexdigest() for f in files}


def test_bio_tags_hand_computed() -> None:
    text = "Vincent van Quickenborne sagte der Financial Times, dass"
    ents = [Entity(0, 24, "PER", text[0:24]), Entity(35, 50, "ORG", text[35:50])]
    tags = bio_tags(tokenize(text), ents)
    assert tags == ["B-PER", "I-PER", "I-PER", "O", "O", "B-ORG", "I-ORG", "O", "O"]


def test_body_rule_strips_trailing_space_and_joins_with_newline() -> None:
    text = "Titel\n\n  Absatz  \nMenü\nEnde\n\n"
    segs = (
        Segment(0, 7, "body"),
        Segment(7, 18, "body"),
        Segment(18, 23, "boilerplate"),
        Segment(23, 29, "body"),
    )
    assert body_text(text, segs) == "Titel\n  Absatz\nEnde"


def test_rebuild_is_byte_identical(repo_copy: Path) -> None:
    build(repo_copy)
    first = digests(repo_copy)
    build(repo_copy)
    assert digests(repo_copy) == first


def test_committed_data_is_what_build_writes() -> None:
    """data/ and the README card in git must equal a fresh build of raw/ + annotations/."""
    result = build(REPO, check=True)
    assert result.stale == [], "stale build: run `corpus build` and commit"


def test_failed_validation_leaves_data_intact(repo_copy: Path) -> None:
    before = digests(repo_copy)
    (repo_copy / "raw" / "999_bad.txt").write_bytes(b"\xff")
    with pytest.raises(ProblemsFound):
        build(repo_copy)
    assert digests(repo_copy) == before
    kept = sorted(p.name for p in repo_copy.iterdir() if p.name != ".cache")
    assert kept == ["README.md", "annotations", "data", "raw"]


def test_crash_while_writing_leaves_data_intact(repo_copy: Path) -> None:
    before = digests(repo_copy)
    calls = []

    def crash_on_second(path: Path, rows: list) -> int:
        calls.append(path)
        if len(calls) == 2:
            raise OSError("disk full")
        return write_shard(path, rows)

    with pytest.raises(OSError, match="disk full"):
        build(repo_copy, settings=BuildSettings(write_shard=crash_on_second))
    assert digests(repo_copy) == before
    assert not list(repo_copy.glob(".data*"))


def test_backup_from_an_interrupted_swap_is_restored(repo_copy: Path) -> None:
    (repo_copy / "data").rename(repo_copy / ".data.old")
    recover(repo_copy)
    assert (repo_copy / "data" / "original" / "de").is_dir()


def test_shards_split_by_language_and_size(mini: MiniCorpus) -> None:
    for i in range(5):
        text = f"Document number {i} is a short English text about the weather.\n"
        mini.add(f"d{i}", text, annotation_for(f"d{i}", text))
    result = build(mini.root, settings=BuildSettings(rows_per_shard=2))
    assert result.shards == [f"data/original/en/test-0000{i}-of-00003.parquet" for i in range(3)]
    assert [len(pq.read_table(mini.root / s)) for s in result.shards] == [2, 2, 1]
    assert [r["id"] for r in read_records(mini.root)] == [f"d{i}" for i in range(5)]


def test_language_mismatch_is_a_warning(mini: MiniCorpus) -> None:
    text = "Das ist ganz eindeutig ein deutscher Satz über das Wetter in Berlin.\n"
    mini.add("doc", text, annotation_for("doc", text, language="pl"))
    result = build(mini.root)
    [warning] = result.problems
    assert warning.severity == "warning" and warning.code == "language-mismatch"
    assert '"de"' in warning.message


def test_records_of_the_real_corpus(repo_copy: Path) -> None:
    records = read_records(repo_copy)
    assert [r["language"] for r in records] == ["pl", "de"]
    for r in records:
        assert r["language_detected"] == r["language"] and r["language_confidence"] > 0.9
        tokens = tokenize(r["text"])
        assert r["tokens"] == [r["text"][s:e] for s, e in tokens]
        ents = [Entity(**e) for e in r["entities"]]
        assert [NER_TAGS[t] for t in r["ner_tags"]] == bio_tags(tokens, ents)
        assert sum(t in (1, 3, 5, 7) for t in r["ner_tags"]) == len(ents)
        segs = tuple(Segment(**s) for s in r["segments"])
        assert r["body"] == body_text(r["text"], segs)
    de = records[1]
    assert de["body"].startswith("Lüttich: Belgische Staatssicherheit")
    assert "Potrimpo" not in de["body"] and "Bitte aktivieren" not in de["body"]
    assert de["body"].endswith("an europäische Kunden verkauft werden.")


def test_parquet_carries_the_features(repo_copy: Path) -> None:
    from datasets import Features
    from schema_oracle import ARROW_SCHEMA, FEATURES

    for f in (repo_copy / "data").rglob("*.parquet"):
        schema = pq.read_schema(f)
        assert schema.metadata == ARROW_SCHEMA.metadata
        assert Features.from_arrow_schema(schema) == FEATURES


def test_build_schema_constants_equal_what_datasets_derives() -> None:
    """corpus.core.record spares the build the `datasets` import; it must not drift."""
    from schema_oracle import FEATURES

    from corpus.core.record import ARROW_SCHEMA as BUILD_SCHEMA
    from corpus.core.record import FEATURES_YAML

    assert BUILD_SCHEMA.equals(FEATURES.arrow_schema, check_metadata=True)
    assert FEATURES._to_yaml_list() == FEATURES_YAML


def test_the_build_command_does_not_import_datasets() -> None:
    import subprocess
    import sys

    code = (
        "import sys, corpus.cli, corpus.build, corpus.build.card; print('datasets' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr


def test_links_folders_and_pipes_are_errors_not_documents(mini: MiniCorpus, tmp_path: Path) -> None:
    """A symlink to a file outside the repository, to /dev/zero, a FIFO and a folder named
    like a raw file are each a one-line error; nothing is read from them and nothing hangs."""
    import os
    import subprocess
    import sys

    text = "A valid page about Berlin.\n"
    mini.add("good", text, annotation_for("good", text))
    secret = tmp_path / "secret.txt"
    secret.write_text("private text outside the repository\n")
    raw = mini.root / "raw"
    (raw / "leak.txt").symlink_to(secret)
    (raw / "zero.txt").symlink_to("/dev/zero")
    os.mkfifo(raw / "pipe.txt")
    (raw / "folder.txt").mkdir()
    cmd = [sys.executable, "-m", "corpus.cli", "build", "--root", str(mini.root)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    for name in ("leak.txt", "zero.txt", "pipe.txt", "folder.txt"):
        assert f"raw/{name}: error[not-a-file]" in done.stderr, name
    assert "private text" not in done.stderr and "Traceback" not in done.stderr
    assert not (mini.root / "data").exists()


def test_data_has_normal_permissions_and_stale_staging_is_cleaned(repo_copy: Path) -> None:
    import os
    import stat

    stale = repo_copy / ".data.tmp-killed"
    (stale / "original").mkdir(parents=True)
    (repo_copy / "README.md").write_text((repo_copy / "README.md").read_text() + "\n")
    build(repo_copy)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((repo_copy / "data").stat().st_mode) == 0o777 & ~umask
    assert not stale.exists() and not list(repo_copy.glob(".data*"))


def test_the_swap_exchanges_old_and_new_trees(tmp_path: Path) -> None:
    from corpus.build.shards import replace_dir

    target, staging = tmp_path / "data", tmp_path / ".data.tmp-x"
    (target / "old").mkdir(parents=True)
    (staging / "new").mkdir(parents=True)
    replace_dir(staging, target)
    assert (target / "new").is_dir() and not (target / "old").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_two_builds_at_once_both_succeed(repo_copy: Path) -> None:
    """Two `corpus build` processes on one repository: the second waits for the lock instead
    of failing with "database is locked" or a rename error; data/ is whole afterwards."""
    import subprocess
    import sys

    (repo_copy / "README.md").write_text((repo_copy / "README.md").read_text() + "\n")
    cmd = [sys.executable, "-m", "corpus.cli", "build", "--root", str(repo_copy)]
    runs = [subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outcomes = [(p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in runs]
    assert [code for code, _ in outcomes] == [0, 0, 0], outcomes
    assert all("Traceback" not in err for _, err in outcomes)
    assert len(read_records(repo_copy)) == 2


def test_a_corrupt_cache_is_rebuilt_not_fatal(repo_copy: Path) -> None:
    build(repo_copy)
    cache = repo_copy / ".cache" / "corpus.sqlite"
    cache.write_bytes(b"this is not a database" * 100)
    result = build(repo_copy)
    assert result.released == 2 and cache.read_bytes().startswith(b"SQLite format 3")


def test_faults_are_one_line_errors_and_data_is_not_replaced(repo_copy: Path) -> None:
    import os
    import subprocess
    import sys

    def corpus(*args: str) -> subprocess.CompletedProcess:
        cmd = [sys.executable, "-m", "corpus.cli", *args, "--root", str(repo_copy)]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120)

    shard = next((repo_copy / "data").rglob("*.parquet"))
    shard.write_bytes(shard.read_bytes()[:100])  # truncated
    stats = corpus("stats")
    assert stats.returncode == 1 and "Traceback" not in stats.stderr
    assert "not a readable Parquet shard" in stats.stderr and "corpus build" in stats.stderr
    scored = corpus("eval", "ner", "--system", "rules")
    assert scored.returncode == 1 and "not a readable Parquet shard" in scored.stderr
    assert corpus("build").returncode == 0  # rewrites the damaged shard
    data = repo_copy / "data"
    before = {p: p.read_bytes() for p in data.rglob("*.parquet")}
    (repo_copy / "README.md").write_text((repo_copy / "README.md").read_text() + "\n")
    for folder in [data, *[p for p in data.rglob("*") if p.is_dir()]]:
        folder.chmod(0o555)
    try:
        if os.geteuid() == 0:
            return  # root writes anywhere: the read-only case cannot happen
        failed = corpus("build")
        assert failed.returncode == 1 and "read-only" in failed.stderr
        assert "Traceback" not in failed.stderr
        assert {p: p.read_bytes() for p in data.rglob("*.parquet")} == before
    finally:
        for folder in [data, *[p for p in data.rglob("*") if p.is_dir()]]:
            folder.chmod(0o755)

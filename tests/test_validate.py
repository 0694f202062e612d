"""Every kind of bad input gets one error line naming file, position, problem and fix."""

from __future__ import annotations

import json

import pytest
from conftest import MiniCorpus, annotation_for

from corpus.build import validate_corpus
from corpus.core.problems import Problem

TEXT = "Lüttich liegt in Belgien.\n\nKommentare\n"
BODY, BOILER = (0, 27), (27, len(TEXT))


def good(ident: str = "doc", text: str = TEXT, **overrides: object) -> dict:
    ann = annotation_for(
        ident,
        text,
        segments=[
            {"start": 0, "end": 27, "label": "body"},
            {"start": 27, "end": len(text), "label": "boilerplate", "kind": "comment"},
        ],
        entities=[
            {"start": 0, "end": 7, "label": "LOC", "text": "Lüttich"},
            {"start": 17, "end": 24, "label": "LOC", "text": "Belgien"},
        ],
    )
    ann.update(overrides)
    return ann


def errors(mini: MiniCorpus) -> list[Problem]:
    _, problems = validate_corpus(mini.root)
    return [p for p in problems if p.severity == "error"]


def only_error(mini: MiniCorpus, code: str) -> Problem:
    found = errors(mini)
    assert [p.code for p in found] == [code], [p.format() for p in found]
    line = found[0].format()
    assert "\n" not in line and "; fix: " in line
    return found[0]


def test_a_good_document_passes(mini: MiniCorpus) -> None:
    mini.add("doc", TEXT, good())
    docs, problems = validate_corpus(mini.root)
    assert problems == [] and [d.id for d in docs] == ["doc"]


def test_invalid_utf8_names_line_column_and_byte(mini: MiniCorpus) -> None:
    mini.add("doc", b"Zeile eins\nZ\xe4hler\n", good(text="x"))
    p = only_error(mini, "encoding")
    assert (p.file, p.line, p.column) == ("raw/doc.txt", 2, 2)
    assert "byte 12" in p.message and "UTF-8" in p.fix


def test_bom_and_crlf_are_normalized_not_errors(mini: MiniCorpus) -> None:
    raw = "\ufeff" + TEXT.replace("\n", "\r\n")
    mini.add("doc", raw.encode("utf-8"), good())
    assert errors(mini) == []


def test_segment_past_the_end(mini: MiniCorpus) -> None:
    ann = good()
    ann["segments"][1]["end"] = len(TEXT) + 5
    mini.add("doc", TEXT, ann)
    p = only_error(mini, "out-of-range")
    assert p.file == "annotations/doc.json" and p.line is not None
    assert f"at most {len(TEXT)}" in p.fix


def test_entity_past_the_end(mini: MiniCorpus) -> None:
    ann = good()
    ann["entities"].append({"start": 30, "end": 99, "label": "PER", "text": "x"})
    mini.add("doc", TEXT, ann)
    assert only_error(mini, "out-of-range").line is not None


def test_gap_between_segments(mini: MiniCorpus) -> None:
    ann = good()
    ann["segments"][1]["start"] = 28
    mini.add("doc", TEXT, ann)
    p = only_error(mini, "gap")
    assert "[27, 28)" in p.message and "raw/doc.txt:3:1" in p.message


def test_overlapping_segments(mini: MiniCorpus) -> None:
    ann = good()
    ann["segments"][1]["start"] = 26
    mini.add("doc", TEXT, ann)
    assert "set start to 27" in only_error(mini, "overlap").fix


def test_text_not_fully_covered(mini: MiniCorpus) -> None:
    ann = good()
    ann["segments"][1]["end"] = len(TEXT) - 1
    mini.add("doc", TEXT, ann)
    assert f"end at {len(TEXT)}" in only_error(mini, "gap").fix


def test_boundary_inside_a_line(mini: MiniCorpus) -> None:
    ann = good()
    ann["segments"][0]["end"] = ann["segments"][1]["start"] = 30
    mini.add("doc", TEXT, ann)
    assert only_error(mini, "mid-line").message.endswith("(raw/doc.txt:3:4)")


def test_segment_starting_with_a_blank_line(mini: MiniCorpus) -> None:
    ann = good()
    ann["segments"][0]["end"] = ann["segments"][1]["start"] = 26
    mini.add("doc", TEXT, ann)
    only_error(mini, "blank-start")


@pytest.mark.parametrize(
    ("where", "value", "code"),
    [
        (("segments", 0, "label"), "main", "unknown-label"),
        (("segments", 1, "kind"), "sidebar", "unknown-kind"),
        (("entities", 0, "label"), "PERSON", "unknown-label"),
        (("segments", 0, "kind"), "comment", "kind-on-body"),
    ],
)
def test_unknown_labels(mini: MiniCorpus, where: tuple, value: str, code: str) -> None:
    ann = good()
    ann[where[0]][where[1]][where[2]] = value
    mini.add("doc", TEXT, ann)
    p = only_error(mini, code)
    assert "use one of" in p.fix or "remove" in p.fix


def test_entity_text_differs_from_covered_text(mini: MiniCorpus) -> None:
    ann = good()
    ann["entities"][0]["text"] = "Lütich"
    mini.add("doc", TEXT, ann)
    p = only_error(mini, "text-mismatch")
    assert '"Lütich"' in p.message and '"Lüttich"' in p.message
    lines = json.dumps(ann, indent=2, ensure_ascii=False).splitlines()
    assert lines[p.line - 1].strip().startswith('"text": "Lütich"')


def test_entity_inside_a_token(mini: MiniCorpus) -> None:
    ann = good()
    ann["entities"][0] = {"start": 0, "end": 4, "label": "LOC", "text": "Lütt"}
    mini.add("doc", TEXT, ann)
    only_error(mini, "token-boundary")


def test_overlapping_entities(mini: MiniCorpus) -> None:
    ann = good()
    ann["entities"].insert(1, {"start": 0, "end": 13, "label": "MISC", "text": "Lüttich liegt"})
    mini.add("doc", TEXT, ann)
    assert "overlaps" in only_error(mini, "overlap").message


def test_entity_crossing_a_segment(mini: MiniCorpus) -> None:
    ann = good()
    ann["entities"].append({"start": 17, "end": 37, "label": "MISC", "text": TEXT[17:37]})
    ann["entities"].pop(1)
    mini.add("doc", TEXT, ann)
    only_error(mini, "crosses-segment")


def test_stale_sha_after_the_raw_file_changed(mini: MiniCorpus) -> None:
    mini.add("doc", TEXT.replace("liegt", "lag"), good())
    found = {p.code for p in errors(mini)}
    assert "stale-sha" in found


def test_stale_sha_fix_gives_the_new_hash(mini: MiniCorpus) -> None:
    ann = good(text_sha256="0" * 64)
    mini.add("doc", TEXT, ann)
    from corpus.core.normalize import sha256_text

    assert sha256_text(TEXT) in only_error(mini, "stale-sha").fix


def test_raw_file_without_annotation(mini: MiniCorpus) -> None:
    mini.add("doc", TEXT, None)
    p = only_error(mini, "missing-annotation")
    assert p.file == "raw/doc.txt" and "annotations/doc.json" in p.fix


def test_annotation_without_raw_file(mini: MiniCorpus) -> None:
    (mini.root / "annotations" / "ghost.json").write_text(json.dumps(good("ghost")))
    p = only_error(mini, "orphan-annotation")
    assert p.file == "annotations/ghost.json"


def test_duplicate_ids(mini: MiniCorpus) -> None:
    mini.add("doc", TEXT, good())
    mini.add("doc2", TEXT + "x\n", good(id="doc", text=TEXT + "x\n"))
    p = only_error(mini, "id-mismatch")
    assert p.file == "annotations/doc2.json" and '"id": "doc2"' in p.fix


def test_duplicate_documents(mini: MiniCorpus) -> None:
    mini.add("a", TEXT, good("a"))
    mini.add("b", TEXT.replace("\n", "\r\n"), good("b"))
    p = only_error(mini, "duplicate-document")
    assert "raw/a.txt" in p.message


def test_empty_raw_file(mini: MiniCorpus) -> None:
    mini.add("doc", b"", good(text=""))
    p = only_error(mini, "empty")
    assert p.file == "raw/doc.txt"


def test_whitespace_only_raw_file(mini: MiniCorpus) -> None:
    mini.add("doc", b" \n\t\n", good(text=""))
    only_error(mini, "empty")


def test_malformed_json_names_line_and_column(mini: MiniCorpus) -> None:
    mini.add("doc", TEXT, '{\n  "id": "doc",\n  "language": "de"\n  "split": "test"\n}\n')
    p = only_error(mini, "json")
    assert (p.line, p.column) == (4, 3)


def test_missing_and_unknown_keys_are_all_listed(mini: MiniCorpus) -> None:
    ann = good()
    del ann["split"]
    ann["lang"] = "de"
    mini.add("doc", TEXT, ann)
    assert sorted(p.code for p in errors(mini)) == ["missing-key", "unknown-key"]


def test_wrong_types(mini: MiniCorpus) -> None:
    ann = good()
    ann["segments"][0]["start"] = "0"
    ann["entities"][0]["end"] = -1
    mini.add("doc", TEXT, ann)
    assert [p.code for p in errors(mini)] == ["type", "type"]


def test_bad_language_and_split(mini: MiniCorpus) -> None:
    mini.add("doc", TEXT, good(language="deu", split="dev"))
    assert sorted(p.code for p in errors(mini)) == ["language", "split"]


def test_every_problem_is_listed_at_once(mini: MiniCorpus) -> None:
    bad = good("a")
    bad["entities"][0]["text"] = "X"
    bad["segments"][1]["kind"] = "sidebar"
    mini.add("a", TEXT, bad)
    mini.add("b", TEXT + "y\n", None)
    mini.add("c", b"\xff", good("c"))
    assert sorted(p.code for p in errors(mini)) == [
        "encoding",
        "missing-annotation",
        "text-mismatch",
        "unknown-kind",
    ]


def test_stray_files_are_reported(mini: MiniCorpus) -> None:
    mini.add("doc", TEXT, good())
    (mini.root / "raw" / "notes.md").write_text("x")
    assert only_error(mini, "stray-file").file == "raw/notes.md"


def test_the_real_corpus_is_valid() -> None:
    from conftest import REPO

    docs, problems = validate_corpus(REPO)
    assert [p for p in problems if p.severity == "error"] == []
    assert len(docs) == len(list((REPO / "raw").glob("*.txt"))) >= 2


def test_raw_files_are_the_seeds_unchanged() -> None:
    from conftest import REPO

    seeds = REPO.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"{seeds} not present")
    for seed in seeds.glob("*.txt"):
        assert (REPO / "raw" / seed.name).read_bytes() == seed.read_bytes()


def test_duplicate_keys_are_refused_with_their_position(mini: MiniCorpus) -> None:
    text = "A short body line.\n"
    ann = json.dumps(annotation_for("d", text), indent=2)
    ann = ann.replace('"split": "test",', '"split": "test",\n  "split": "validation",')
    mini.add("d", text, ann)
    docs, problems = validate_corpus(mini.root)
    assert docs == []
    [p] = [p for p in problems if p.code == "duplicate-key"]
    line = ann.splitlines().index('  "split": "validation",') + 1
    assert (p.file, p.line, p.column) == ("annotations/d.json", line, 3)
    assert 'key "split" appears twice' in p.message


def test_control_characters_in_raw_files_are_refused_with_their_position(
    mini: MiniCorpus,
) -> None:
    text = "Line one.\nLine\x00 two.\n"
    mini.add("d", text, annotation_for("d", text))
    docs, problems = validate_corpus(mini.root)
    [p] = problems
    assert docs == [] and p.code == "control-character"
    assert (p.file, p.line, p.column) == ("raw/d.txt", 2, 5) and "U+0000" in p.message


@pytest.mark.parametrize(
    ("source", "code", "words"),
    [
        ({"genre": "blog"}, "genre", ["article", "forum", "documentation"]),
        ({"genre": None}, "genre", ["one of the closed set"]),
        ({"year": 1850}, "year", ["1991", "or null"]),
        ({"year": "2024"}, "year", ["as a number"]),
        ({"year": True}, "year", ["or null"]),
    ],
)
def test_genre_and_year_are_checked_with_a_line_and_a_fix(
    mini: MiniCorpus, source: dict, code: str, words: list[str]
) -> None:
    ann = good()
    ann["source"] = {**ann["source"], **source}
    mini.add("doc", TEXT, ann)
    p = only_error(mini, code)
    assert p.line is not None and p.file.endswith("doc.json")
    assert all(w in p.message + p.fix for w in words), p.format()


@pytest.mark.parametrize("key", ["genre", "year"])
def test_genre_and_year_are_required(mini: MiniCorpus, key: str) -> None:
    ann = good()
    del ann["source"][key]
    mini.add("doc", TEXT, ann)
    assert f'"{key}" is missing at source' in only_error(mini, "missing-key").message


def test_a_null_year_is_valid(mini: MiniCorpus) -> None:
    ann = good()
    ann["source"]["year"] = None
    mini.add("doc", TEXT, ann)
    assert errors(mini) == []


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(document.cookie)", "data:text/html,<b>x</b>", "ftp://x.org/a", "http://"],
)
@pytest.mark.parametrize("where", ["source", "provenance"])
def test_only_http_urls_are_accepted(mini: MiniCorpus, url: str, where: str) -> None:
    ann = good()
    ann[where]["url"] = url
    mini.add("doc", TEXT, ann)
    p = only_error(mini, "url")
    assert p.line is not None and "http or https" in p.message

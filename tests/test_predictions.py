"""Bad predictions files: each problem named with file and line, nothing scored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus.core.model import Span
from corpus.core.problems import ProblemsFound
from corpus.eval.predictions import parse_label_map, read_predictions

TEXTS = {"a": "Lüttich und Alibaba.", "b": "Nichts hier."}
ALL_IDS = {"a", "b", "c-other-language"}


def read(task: str, lines: list[object], **kw: object):
    raw = [x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines]
    return read_predictions("preds.jsonl", task, TEXTS, ALL_IDS, lines=raw, **kw)


def problems(task: str, lines: list[object], **kw: object) -> list[str]:
    with pytest.raises(ProblemsFound) as err:
        read(task, lines, **kw)
    formatted = [p.format() for p in err.value.problems]
    assert all(f.startswith("preds.jsonl") and "; fix: " in f for f in formatted)
    return formatted


def ner(ident: str, *ents: tuple[int, int, str]) -> dict:
    return {"id": ident, "entities": [{"start": s, "end": e, "label": lab} for s, e, lab in ents]}


def test_a_good_file() -> None:
    out = read("ner", [ner("a", (12, 19, "ORG"), (0, 7, "LOC")), ner("b")])
    assert out.entities == {"a": [Span(0, 7, "LOC"), Span(12, 19, "ORG")], "b": []}


def test_missing_id_is_an_error_unless_allowed() -> None:
    [msg] = problems("ner", [ner("a")])
    assert "error[missing-id]" in msg and "b" in msg and "--allow-missing" in msg
    out = read("ner", [ner("a")], allow_missing=True)
    assert out.missing == ["b"] and out.entities["b"] == []


def test_unknown_and_duplicate_ids_name_the_line() -> None:
    found = problems("ner", [ner("a"), ner("b"), ner("zzz"), ner("a")])
    assert any(f.startswith("preds.jsonl:3: error[unknown-id]") for f in found)
    assert any(f.startswith("preds.jsonl:4: error[duplicate-id]") and "line 1" in f for f in found)


def test_ids_outside_the_selection_are_ignored() -> None:
    out = read("ner", [ner("a"), ner("b"), ner("c-other-language")])
    assert out.ignored == ["c-other-language"]


def test_offsets_outside_the_text() -> None:
    [msg] = problems("ner", [ner("a", (0, 99, "LOC")), ner("b")])
    assert msg.startswith("preds.jsonl:1: error[out-of-range]") and "20 code points" in msg


def test_overlapping_spans() -> None:
    [msg] = problems("ner", [ner("a", (0, 7, "LOC"), (3, 10, "ORG")), ner("b")])
    assert "error[overlap]" in msg


def test_unknown_label_and_label_map() -> None:
    [msg] = problems("ner", [ner("a", (0, 7, "GPE")), ner("b")])
    assert "unknown-label" in msg and "--label-map GPE=" in msg
    out = read(
        "ner",
        [ner("a", (0, 7, "GPE"), (12, 19, "DATE")), ner("b")],
        label_map=parse_label_map(["GPE=LOC", "DATE="]),
    )
    assert out.entities["a"] == [Span(0, 7, "LOC")]


@pytest.mark.parametrize(
    ("entity", "code"),
    [
        ({"start": 0, "end": 7, "label": ["LOC"]}, "entities"),
        ({"start": 0, "end": 7}, "entities"),
        ("LOC 0 7", "entities"),
        ({"start": True, "end": 7, "label": "LOC"}, "type"),
        ({"start": 0, "end": 7.0, "label": "LOC"}, "type"),
        ({"start": "0", "end": 7, "label": "LOC"}, "type"),
        ({"start": 7, "end": 7, "label": "LOC"}, "out-of-range"),
        ({"start": 0, "end": 7, "label": "loc"}, "unknown-label"),
    ],
)
def test_each_malformed_entity_is_named(entity: object, code: str) -> None:
    good = {"start": 12, "end": 19, "label": "ORG"}
    [msg] = problems("ner", [{"id": "a", "entities": [good, entity]}, ner("b")])
    assert msg.startswith(f"preds.jsonl:1: error[{code}]") and "entity 1" in msg


def test_bad_label_map_syntax() -> None:
    with pytest.raises(ValueError, match="FROM=TO"):
        parse_label_map(["PERSON"])


def test_invalid_json_and_missing_id_field() -> None:
    found = problems("ner", ['{"id": "a", "entities": [', {"entities": []}, ner("b")])
    assert found[0].startswith("preds.jsonl:1: error[json]")
    assert found[1].startswith("preds.jsonl:2: error[id]")


def test_extraction_formats() -> None:
    out = read(
        "extraction",
        [{"id": "a", "body_spans": [[8, 20], [0, 7]]}, {"id": "b", "body_text": "Nichts"}],
    )
    assert out.body_spans == {"a": [(0, 7), (8, 20)]} and out.body_text == {"b": "Nichts"}


def test_extraction_needs_exactly_one_format() -> None:
    found = problems("extraction", [{"id": "a", "body_spans": [], "body_text": ""}, {"id": "b"}])
    assert all("error[extraction]" in f for f in found) and len(found) == 2


def test_extraction_spans_out_of_range_and_overlapping() -> None:
    found = problems(
        "extraction",
        [{"id": "a", "body_spans": [[0, 30]]}, {"id": "b", "body_spans": [[0, 5], [4, 8]]}],
    )
    assert "out-of-range" in found[0] and "overlap" in found[1]


def test_undecodable_file(tmp_path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_bytes(b'{"id": "a"}\n\xff\n')
    with pytest.raises(ProblemsFound) as err:
        read_predictions(path, "ner", TEXTS, ALL_IDS)
    [bad] = [p for p in err.value.problems if p.code == "encoding"]
    assert bad.line == 2 and "invalid UTF-8 at byte 12" in bad.format()


def test_repeated_errors_are_capped_with_a_count_of_the_rest(tmp_path: Path) -> None:
    from corpus.eval.predictions import MAX_PER_CODE

    text = "x " * 200
    entities = [{"start": 2 * k, "end": 2 * k + 1, "label": "PERSON"} for k in range(100)]
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps({"id": "d", "entities": entities}) + "\n")
    with pytest.raises(ProblemsFound) as err:
        read_predictions(path, "ner", {"d": text}, {"d"})
    problems = err.value.problems
    assert len(problems) == MAX_PER_CODE + 1
    assert (
        problems[-1].message
        == f"{100 - MAX_PER_CODE} more problems like the ones above, not listed"
    )
    assert problems[-1].code == "unknown-label"

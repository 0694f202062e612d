"""The bulk NER reader never changes what a predictions file means.

read_predictions reads a NER file with Arrow (corpus.eval.ner_bulk) and falls back to the
careful line-by-line reader when anything is off. Here every file — valid ones and more than
forty kinds of bad or unusual lines, alone and mixed — is read both ways: same predictions or
same problems, and the bulk reader must really take the valid files.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corpus.eval.predictions as predictions
from corpus.core.problems import ProblemsFound
from corpus.eval.ner_bulk import object_lines, read_ner_bulk
from corpus.eval.predictions import read_predictions

TEXTS: dict[str, str | None] = {"a": "Lüttich und Alibaba.", "b": "Nichts hier.", "n": None}
ALL_IDS = {"a", "b", "n", "c-other-language"}
LABEL_MAP = {"PERSON": "PER", "DATE": ""}


def ner(ident: object, *ents: object) -> str:
    items = [
        {"start": e[0], "end": e[1], "label": e[2]} if isinstance(e, tuple) else e for e in ents
    ]
    return json.dumps({"id": ident, "entities": items}, ensure_ascii=False)


VALID = [
    ner("a", (0, 7, "LOC"), (12, 19, "ORG")),
    ner("a", (12, 19, "ORG"), (0, 7, "LOC")),  # unsorted: sorted on reading
    ner("a", (0, 7, "PERSON"), (8, 11, "DATE")),  # mapped, and dropped by the map
    ner("b"),
    ner("b", (0, 12, "MISC")),
    ner("n", (5, 10**9, "PER")),  # no gold text: no upper bound
    ner("c-other-language", (0, 9**9, "NOPE")),  # ignored: never checked
    '{"id": "b", "entities": [], "score": 0.5}',
    '{"id":"a","entities":[{"start":0,"end":7,"label":"LOC","p":0.9}]}',
    '  {"id": "b", "entities": []}  ',
    '{"id": "b", "entities": []}\r',
    '{"id": "\\u0062", "entities": []}',
    '{"id": "b", "entities": [{"start": -0, "end": 3, "label": "P\\u0045R"}]}',
    "",
    "   ",
    "\t\r",
]
BAD = [
    ner("a", (0, 7, "LOC"), (5, 9, "ORG")),  # overlap
    ner("a", (0, 99, "LOC")),  # out of range
    ner("a", (3, 3, "LOC")),  # empty
    ner("a", (-1, 3, "LOC")),
    ner("a", (0, 7, "NOPE")),
    ner("a", (0, 7, None)),
    ner("a", (0, 7, 5)),
    ner("a", (0.0, 7, "LOC")),
    ner("a", (True, 7, "LOC")),
    ner("a", ("0", 7, "LOC")),
    ner("a", (None, 7, "LOC")),
    ner("a", (0, 2**70, "LOC")),
    ner("a", {"start": 0, "end": 7}),
    ner("a", {}),
    ner("a", None),
    ner("a", 1),
    ner("a", [0, 7]),
    ner("zzz"),
    ner(None),
    ner(7),
    '{"entities": []}',
    '{"id": "a"}',
    '{"id": "a", "entities": null}',
    '{"id": "a", "entities": {}}',
    '{"id": "a", "entities": "x"}',
    '{"id": "a", "id": "b", "entities": []}',
    '{"id": "a", "entities": [{"start": 0, "end": 7, "label": "LOC", "start": 1}]}',
    '{"id": "a", "entities": [{"start": NaN, "end": 7, "label": "LOC"}]}',
    '{"id": "a", "entities": [{"start": 1e0, "end": 7, "label": "LOC"}]}',
    '{"id": "a", "entities": []}{"id": "b", "entities": []}',
    '{"id": "a", "entities": []} {"id": "b", "entities": []}',
    '{"id": "a", "entities": []}\r{"id": "b", "entities": []}',
    '{"id": "a",\n"entities": []}',
    '{"id": "a", "x": {}\n}',
    '{"id": "a", "entities": []},',
    '{"id": "a", "entities": [],}',
    '{"id": "a", "entities": []} x',
    "{'id': 'a', 'entities': []}",
    '{"id": "a\tb", "entities": []}',
    '{"id": "\\ud800", "entities": []}',
    '["a", []]',
    '"a"',
    "\ufeff" + ner("b"),
]
ODD = [  # accepted by the careful reader, left to it by the bulk reader
    ner("c-other-language", (0, 7, "LOC"), "junk"),
    "\u00a0",
    "\x0b",
]


def read(tmp_path: Path, lines: list[str], bulk: bool, as_lines: bool) -> object:
    """The predictions (or the problems) read_predictions makes of `lines`."""
    path = tmp_path / "p.jsonl"
    path.write_bytes("\n".join(lines).encode())
    saved = predictions.read_ner_bulk
    if not bulk:
        predictions.read_ner_bulk = lambda *args: None
    try:
        out = read_predictions(
            path,
            "ner",
            TEXTS,
            ALL_IDS,
            allow_missing=True,
            label_map=LABEL_MAP,
            lines=lines if as_lines else None,
        )
    except ProblemsFound as err:
        return [p.format() for p in err.problems]
    finally:
        predictions.read_ner_bulk = saved
    return out.entities, out.ignored, out.missing


def same_both_ways(tmp_path: Path, lines: list[str]) -> None:
    for as_lines in (False, True):
        assert read(tmp_path, lines, True, as_lines) == read(tmp_path, lines, False, as_lines)


@pytest.mark.parametrize("line", BAD + ODD)
def test_each_bad_line_is_read_as_the_careful_reader_reads_it(tmp_path: Path, line: str) -> None:
    lines = [ner("a", (0, 7, "LOC")), line, ner("b")]
    same_both_ways(tmp_path, lines)
    assert read_ner_bulk("\n".join(lines).encode(), TEXTS, ALL_IDS, LABEL_MAP) is None


@given(st.lists(st.sampled_from(VALID + BAD + ODD), max_size=6))
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_mix_of_lines_is_read_the_same_both_ways(tmp_path: Path, lines: list[str]) -> None:
    same_both_ways(tmp_path, lines)


def test_valid_files_are_taken_by_the_bulk_reader(tmp_path: Path) -> None:
    lines = [VALID[1], VALID[4], VALID[5], VALID[6], ""]
    data = "\n".join(lines).encode()
    kept, spans, ignored = read_ner_bulk(data, TEXTS, ALL_IDS, LABEL_MAP)
    assert kept == ["a", "b", "n"] and ignored == ["c-other-language"]
    assert spans.doc.tolist() == [0, 0, 1, 2] and spans.start.tolist() == [0, 12, 0, 5]
    for n in range(1, len(VALID)):  # every valid line, each document at most once
        chosen = [line for line in VALID[:n] if line.strip()]
        unique = {json.loads(x)["id"]: x for x in chosen}
        data = "\n".join(unique.values()).encode()
        assert read_ner_bulk(data, TEXTS, ALL_IDS, LABEL_MAP) is not None
        same_both_ways(tmp_path, list(unique.values()))


def test_line_structure() -> None:
    assert object_lines(b'{"a": 1}\n\n  {"b": 2}\r\n') == 2
    assert object_lines(b'{"a": 1,\n"b": 2}') is None
    assert object_lines(b"\xef\xbb\xbf{}") is None
    assert object_lines(b"") == 0

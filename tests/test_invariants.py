"""Property tests: valid random annotations pass, and any one-off corruption is caught."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.build.checks import check_document
from corpus.core.annotation_io import AnnotationReader, dump_annotation
from corpus.core.labels import NER_TAG_IDS
from corpus.core.model import Annotation, Entity, Segment, Source
from corpus.core.normalize import sha256_text
from corpus.core.record import make_record
from corpus.core.tokenize import tokenize

WORD = st.text(alphabet="abcdeÄöüßżółć", min_size=1, max_size=6)
LINE = st.lists(st.one_of(WORD, st.sampled_from([",", "•", "-", "\u00a0", "  "])), max_size=6)


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, Annotation]:
    lines = draw(st.lists(LINE.map(" ".join), min_size=1, max_size=8))
    text = "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\n"]))
    if not text.strip():
        text = "x" + text
    starts = [0] + [i + 1 for i, ch in enumerate(text[:-1]) if ch == "\n" and text[i + 1] != "\n"]
    cut = sorted(set(draw(st.lists(st.sampled_from(starts), max_size=4))) | {0})
    bounds = [*cut, len(text)]
    segments = []
    for a, b in pairwise(bounds):
        label = draw(st.sampled_from(["body", "boilerplate"]))
        kind = draw(st.sampled_from([None, "comment", "navigation"])) if label != "body" else None
        segments.append(Segment(a, b, label, kind))
    entities = []
    for seg in segments:
        toks = [t for t in tokenize(text) if seg.start <= t[0] and t[1] <= seg.end]
        i = 0
        while i < len(toks):
            if draw(st.booleans()):
                n = draw(st.integers(1, 3))
                j = min(i + n, len(toks)) - 1
                if "\n" not in text[toks[i][0] : toks[j][1]]:
                    s, e = toks[i][0], toks[j][1]
                    entities.append(Entity(s, e, draw(st.sampled_from(["PER", "LOC"])), text[s:e]))
                    i = j
            i += 1
    src = Source("test", "CC0")
    return text, Annotation(
        "doc", "de", src, "test", sha256_text(text), tuple(segments), tuple(entities)
    )


def problems(text: str, ann: Annotation) -> list[str]:
    reader = AnnotationReader(dump_annotation(ann), "doc.json")
    parsed = reader.read()
    if parsed is None:
        return [p.code for p in reader.problems]
    assert parsed == ann
    return [p.code for p in check_document(reader, parsed, text, "doc.txt", "doc")]


@settings(max_examples=150)
@given(documents())
def test_random_valid_annotations_pass_and_roundtrip(doc: tuple[str, Annotation]) -> None:
    text, ann = doc
    assert problems(text, ann) == []
    record = make_record(text, ann, ("de", 1.0))
    b_tags = {NER_TAG_IDS[f"B-{lab}"] for lab in ("PER", "ORG", "LOC", "MISC")}
    assert sum(t in b_tags for t in record["ner_tags"]) == len(ann.entities)
    assert sum(s.end - s.start for s in ann.segments) == len(text)


@settings(max_examples=150)
@given(documents(), st.data())
def test_moving_one_segment_boundary_is_caught(
    doc: tuple[str, Annotation], data: st.DataObject
) -> None:
    text, ann = doc
    i = data.draw(st.integers(0, len(ann.segments) - 1))
    delta = data.draw(st.sampled_from([-1, 1]))
    seg = ann.segments[i]
    moved = replace(seg, end=seg.end + delta)
    if moved.end <= moved.start:
        return
    segments = (*ann.segments[:i], moved, *ann.segments[i + 1 :])
    assert problems(text, replace(ann, segments=segments)) != []


@settings(max_examples=150)
@given(documents(), st.data())
def test_shifting_one_entity_is_caught(doc: tuple[str, Annotation], data: st.DataObject) -> None:
    text, ann = doc
    if not ann.entities:
        return
    i = data.draw(st.integers(0, len(ann.entities) - 1))
    e = ann.entities[i]
    field = data.draw(st.sampled_from(["start", "end"]))
    delta = data.draw(st.sampled_from([-1, 1]))
    shifted = replace(e, **{field: getattr(e, field) + delta})
    entities = (*ann.entities[:i], shifted, *ann.entities[i + 1 :])
    assert problems(text, replace(ann, entities=entities)) != []

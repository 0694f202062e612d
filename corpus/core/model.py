"""The data model, in one place: spans, segments, entities, sources, annotations, documents.

Every offset is a half-open [start, end) range of Unicode code points into the normalized text.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple


class Span(NamedTuple):
    """A labelled half-open span [start, end): an entity or body span as the scorer sees it
    (a tuple: cheap to make, hash and sort)."""

    start: int
    end: int
    label: str


@dataclass(frozen=True, order=True)
class Segment:
    """A half-open span [start, end) of the normalized text labelled body or boilerplate."""

    start: int
    end: int
    label: str
    kind: str | None = None


@dataclass(frozen=True, order=True)
class Entity:
    """A half-open span [start, end) naming a PER, ORG, LOC or MISC; `text` repeats the span."""

    start: int
    end: int
    label: str
    text: str


@dataclass(frozen=True)
class Source:
    """Where a document came from: publisher or site, URL, publication date, licence note,
    the kind of page (`genre`, one of labels.GENRES) and its year (of publication where known,
    else of the crawl; None when neither is known)."""

    publisher: str
    license: str
    url: str | None = None
    date: str | None = None
    note: str | None = None
    genre: str = "other"
    year: int | None = None


@dataclass(frozen=True)
class Quality:
    """How well a source's gold landed on the rendered page (imported documents only)."""

    gold_in_body: float  # share of the gold's word tokens that lie in body lines
    body_is_gold: float  # share of the body lines' word tokens that are gold
    ambiguous: bool  # the gold (or a run of it) occurs more than once on the page


@dataclass(frozen=True)
class Disagreement:
    """A source snippet on the other side than the source says, and why we keep our label."""

    snippet: str
    expected: str  # the side the source puts it on: "body" or "boilerplate"
    reason: str


@dataclass(frozen=True)
class Snippets:
    """A source's partial gold: text a good extractor keeps (`keep`) or drops (`drop`)."""

    keep: tuple[str, ...] = ()
    drop: tuple[str, ...] = ()
    disagreements: tuple[Disagreement, ...] = ()

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "with": list(self.keep),
            "without": list(self.drop),
            "disagreements": [asdict(d) for d in self.disagreements],
        }


@dataclass(frozen=True)
class Provenance:
    """How a document and each of its annotation layers were made, and whether a person checked.

    `benchmark` is the published benchmark the page comes from (None for pages collected by
    hand); `item` its id or path inside it. Layers: `segments` is "manual", "aligned:<source>"
    or "converted:<source>"; `entities` is "manual", or None when the document has no entity
    gold (its `entities` list is then empty, and NER scoring leaves it out).
    """

    segments: str
    entities: str | None = None
    benchmark: str | None = None
    item: str | None = None
    license: str | None = None
    url: str | None = None
    renderer: str | None = None
    renderer_version: str | None = None
    quality: Quality | None = None
    corrections: tuple[str, ...] = ()
    reviewed: bool = False
    snippets: Snippets | None = None  # partial gold to check the segments against

    @property
    def collection(self) -> str:
        """The name of the document's source collection (a config of the dataset)."""
        return self.benchmark or "original"

    def to_json_dict(self) -> dict[str, Any]:
        """The provenance as written in an annotation file (keys in canonical order;
        `snippets` only where the source has them)."""
        out = {
            "benchmark": self.benchmark,
            "item": self.item,
            "license": self.license,
            "url": self.url,
            "renderer": self.renderer,
            "renderer_version": self.renderer_version,
            "layers": {"segments": self.segments, "entities": self.entities},
            "quality": asdict(self.quality) if self.quality is not None else None,
            "corrections": list(self.corrections),
            "reviewed": self.reviewed,
        }
        if self.snippets is not None:
            out["snippets"] = self.snippets.to_json_dict()
        return out


@dataclass(frozen=True)
class Annotation:
    """The gold annotation of one document, as stored in `annotations/<id>.json`."""

    id: str
    language: str
    source: Source
    split: str
    text_sha256: str
    segments: tuple[Segment, ...]
    entities: tuple[Entity, ...] = field(default_factory=tuple)
    status: str = "gold"
    provenance: Provenance = field(default_factory=lambda: Provenance("manual", "manual"))

    def to_json_dict(self) -> dict[str, Any]:
        """The annotation as the JSON object written to disk (keys in canonical order)."""
        segments = []
        for s in self.segments:
            d: dict[str, Any] = {"start": s.start, "end": s.end, "label": s.label}
            if s.kind is not None:
                d["kind"] = s.kind
            segments.append(d)
        head: dict[str, Any] = {"id": self.id}
        if self.status != "gold":
            head["status"] = self.status
        return {
            **head,
            "language": self.language,
            "source": {
                k: v for k, v in asdict(self.source).items() if v is not None or k == "year"
            },
            "provenance": self.provenance.to_json_dict(),
            "split": self.split,
            "text_sha256": self.text_sha256,
            "segments": segments,
            "entities": [asdict(e) for e in self.entities],
        }


@dataclass(frozen=True)
class Document:
    """A raw file that normalized cleanly, with its parsed annotation and the files' names."""

    id: str
    text: str
    annotation: Annotation
    raw_file: str
    annotation_file: str

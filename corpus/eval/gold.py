"""The gold side of scoring: the released records of one selection, read from data/.

Gold holds plain columns (ids, languages, texts, segments, entities), so gold that never was
a Parquet record — the `evaluate` modules' lists of texts and spans — is scored the same way.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from corpus.core.labels import ENTITY_LABELS, year_band
from corpus.core.record import DATA_DIR, read_shard
from corpus.eval.ner import SpanArrays, span_arrays
from corpus.systems.base import Page

GOLD_COLUMNS = ("id", "language", "text", "segments", "entities", "provenance", "source")
SpanDict = dict[str, Any]  # {"start", "end", "label"} (segments: and "kind")


class EntityDicts(Sequence[list[SpanDict]]):
    """The gold entities of each document as {"start", "end", "label", "text"} dicts, made
    from the arrays when a document is looked at: made for every record at once, the 8 million
    entities of 100,000 documents cost 18 s and gigabytes (only error records need them)."""

    def __init__(self, spans: SpanArrays, texts: Sequence[str | None]) -> None:
        self.spans, self.texts = spans, texts
        self.bounds = np.searchsorted(spans.doc, np.arange(len(texts) + 1)).tolist()

    def __len__(self) -> int:
        return len(self.texts)

    def __getitem__(self, k: Any) -> Any:
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        lo, hi = self.bounds[k], self.bounds[k + 1]
        text = self.texts[k]
        return [
            {
                "start": a,
                "end": b,
                "label": ENTITY_LABELS[c],
                "text": None if text is None else text[a:b],
            }
            for a, b, c in zip(
                self.spans.start[lo:hi].tolist(),
                self.spans.end[lo:hi].tolist(),
                self.spans.label[lo:hi].tolist(),
                strict=True,
            )
        ]


@dataclass(frozen=True)
class Gold:
    """The gold documents selected for scoring (parallel columns, in id order) and the
    version of the whole corpus they come from."""

    ids: list[str]
    languages: list[str]
    texts: list[str | None]
    segments: list[list[SpanDict]]
    entities: Sequence[list[SpanDict]]  # a list, or EntityDicts when read from Parquet
    corpus_version: str = "in-memory"
    split: str = "in-memory"
    language: str | None = None
    all_ids: set[str] = field(default_factory=set)
    has_entities: list[bool] | None = None  # entity gold exists (None: for every document)
    sources: list[str] | None = None  # each document's source config (data/<source>/...)
    origins: list[tuple[str, str] | None] | None = None  # (benchmark, archive item) if imported
    entity_spans: SpanArrays | None = None  # `entities` as arrays, if read from Parquet
    genres: list[str] | None = None  # each document's source.genre
    year_bands: list[str] | None = None  # each document's source.year, as labels.year_band

    def __len__(self) -> int:
        return len(self.ids)

    def with_entity_gold(self) -> Gold:
        """The documents whose entity layer exists (NER is scored on these only)."""
        if self.has_entities is None or all(self.has_entities):
            return self
        return self.subset([i for i, yes in enumerate(self.has_entities) if yes])

    def subset(self, keep: Sequence[int]) -> Gold:
        """The documents at positions `keep` (in that order), every column kept parallel."""

        def pick(column: list[Any] | None) -> list[Any] | None:
            return None if column is None else [column[i] for i in keep]

        texts = [self.texts[i] for i in keep]
        spans = None if self.entity_spans is None else self.entity_spans.of_documents(keep)
        if isinstance(self.entities, EntityDicts) and spans is not None:
            entities: Sequence[list[SpanDict]] = EntityDicts(spans, texts)
        else:
            entities = [self.entities[i] for i in keep]
        return replace(
            self,
            ids=[self.ids[i] for i in keep],
            languages=[self.languages[i] for i in keep],
            texts=texts,
            segments=[self.segments[i] for i in keep],
            entities=entities,
            has_entities=pick(self.has_entities),
            sources=pick(self.sources),
            genres=pick(self.genres),
            year_bands=pick(self.year_bands),
            origins=pick(self.origins),
            entity_spans=None
            if self.entity_spans is None
            else self.entity_spans.of_documents(keep),
        )

    def entity_arrays(self) -> SpanArrays:
        """The gold entities as arrays (`doc` = position here, `label` indexes ENTITY_LABELS)."""
        if self.entity_spans is not None:
            return self.entity_spans
        return span_arrays(self.entities, ENTITY_LABELS, ("start", "end", "label"))

    def pages(self) -> Iterator[Page]:
        """What a text system sees of each document: id, text and language, never gold."""
        for ident, text, language in zip(self.ids, self.texts, self.languages, strict=True):
            yield Page(ident, text or "", language)

    def text_of(self) -> dict[str, str | None]:
        """id -> text of the selected documents (what predictions are checked against)."""
        return dict(zip(self.ids, self.texts, strict=True))


def in_memory_gold(
    texts: Sequence[str | None],
    segments: Sequence[list[SpanDict]] | None = None,
    entities: Sequence[list[SpanDict]] | None = None,
) -> Gold:
    """Gold from plain lists (documents numbered 00000000, 00000001, ...; language "und").

    A text may be None when only entities are scored: predictions then have no upper bound.
    """
    n = len(texts)
    ids = [f"{i:08d}" for i in range(n)]
    return Gold(
        ids,
        ["und"] * n,
        list(texts),
        [list(s) for s in segments] if segments is not None else [[] for _ in range(n)],
        [list(e) for e in entities] if entities is not None else [[] for _ in range(n)],
        all_ids=set(ids),
    )


def corpus_version(rows: list[tuple[str, dict[str, Any]]]) -> str:
    """SHA-256 over the gold content of every record, in id order.

    Per record: split, id, language, the SHA-256 of the text, and every segment's and entity's
    offsets and labels. It changes whenever any gold text or annotation changes, and does not
    depend on the Parquet writer, so results from different corpus versions are never mixed
    silently. A record's entity lines may come ready-made as "entity_lines" (load_gold makes
    them in Arrow), else they are made from its "entities" dicts: the same bytes either way.
    """
    digest = hashlib.sha256()
    for split, r in sorted(rows, key=lambda x: (x[1]["id"], x[0])):
        parts = [split, r["id"], r["language"], hashlib.sha256(r["text"].encode()).hexdigest()]
        parts += [f"{s['start']} {s['end']} {s['label']} {s['kind']}" for s in r["segments"]]
        parts.append("|")
        lines = r.get("entity_lines")
        if lines is None:
            lines = "\n".join(f"{e['start']} {e['end']} {e['label']}" for e in r["entities"])
        digest.update("\n".join(parts).encode())
        if lines:
            digest.update(("\n" + lines).encode())
        digest.update(b"\x00")
    return "sha256:" + digest.hexdigest()


def load_gold(root: Path, split: str = "test", language: str | None = None) -> Gold:
    """Read the released records of `split` (optionally one language) from data/."""
    rows = []
    flat: list[SpanArrays] = []
    first = 0
    for f in sorted((root / DATA_DIR).glob("*/*/*.parquet")):
        file_split = f.name.split("-", 1)[0]
        table = read_shard(f, list(GOLD_COLUMNS))
        spans, lengths, lines = _entity_columns(f, table)
        flat.append(spans)
        starts = (first + np.cumsum(lengths) - lengths).tolist()
        first += len(spans.start)
        records = table.drop_columns(["entities"]).to_pylist()
        rows += [
            (
                file_split,
                r
                | {
                    "source": f.parts[-3],
                    "genre": r["source"]["genre"],
                    "year_band": year_band(r["source"]["year"]),
                    "_first": k,
                    "_count": n,
                    "entity_lines": e,
                },
            )
            for r, k, n, e in zip(records, starts, lengths.tolist(), lines, strict=True)
        ]
    if not rows:
        raise FileNotFoundError(f"no Parquet under {root / DATA_DIR}; fix: run `corpus build`")
    splits = {s for s, _ in rows}
    if split not in splits:
        raise ValueError(f'split "{split}" not in the corpus; fix: use one of {sorted(splits)}')
    chosen = [r for s, r in rows if s == split and language in (None, r["language"])]
    if not chosen:
        langs = sorted({r["language"] for _, r in rows})
        raise ValueError(f'no documents in language "{language}"; fix: use one of {langs}')
    chosen.sort(key=lambda r: r["id"])
    texts = [r["text"] for r in chosen]
    spans = _gather(flat, [r["_first"] for r in chosen], [r["_count"] for r in chosen])
    return Gold(
        [r["id"] for r in chosen],
        [r["language"] for r in chosen],
        texts,
        [r["segments"] for r in chosen],
        EntityDicts(spans, texts),
        corpus_version(rows),
        split,
        language,
        {r["id"] for _, r in rows},
        [r["provenance"]["layers"]["entities"] is not None for r in chosen],
        [r["source"] for r in chosen],
        [_origin(r["provenance"]) for r in chosen],
        spans,
        [r["genre"] for r in chosen],
        [r["year_band"] for r in chosen],
    )


def _entity_columns(path: Path, table: pa.Table) -> tuple[SpanArrays, np.ndarray, list[str]]:
    """A shard's entities as flat arrays (`doc` unset), each record's number of entities, and
    each record's entities as "start end label" lines joined by newlines (the bytes
    corpus_version hashes), all straight from Arrow: no Python object per entity."""
    column = table.column("entities").combine_chunks()
    lengths = pc.list_value_length(column).fill_null(0).to_numpy(zero_copy_only=False)
    values = pc.list_flatten(column)
    label = pc.index_in(pc.struct_field(values, "label"), value_set=pa.array(ENTITY_LABELS))
    if label.null_count:
        raise ValueError(
            f"{path}: an entity label is not one of {', '.join(ENTITY_LABELS)}; "
            "fix: run `corpus build` to write the shard again"
        )

    def ints(array: pa.Array) -> np.ndarray:
        return array.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)

    start, end = (pc.struct_field(values, k) for k in ("start", "end"))
    line = pc.binary_join_element_wise(
        pc.cast(start, pa.string()),
        pc.cast(end, pa.string()),
        pc.struct_field(values, "label"),
        " ",
    )
    offsets = pa.array(np.concatenate(([0], np.cumsum(lengths))), type=pa.int32())
    lines = pc.binary_join(pa.ListArray.from_arrays(offsets, line), "\n").to_pylist()
    spans = SpanArrays(np.zeros(0, dtype=np.int64), ints(start), ints(end), ints(label))
    return spans, lengths, lines


def _gather(flat: list[SpanArrays], firsts: list[int], counts: list[int]) -> SpanArrays:
    """The entities of the chosen records (record k: `counts[k]` entities from `firsts[k]`
    in the concatenated shards), numbered by the records' order."""
    n = np.asarray(counts, dtype=np.int64)
    total = int(n.sum())
    index = np.repeat(np.asarray(firsts, dtype=np.int64) - (np.cumsum(n) - n), n)
    index += np.arange(total, dtype=np.int64)
    doc = np.repeat(np.arange(len(n), dtype=np.int64), n)
    start, end, label = (
        np.concatenate([getattr(s, k) for s in flat]) for k in ("start", "end", "label")
    )
    return SpanArrays(doc, start[index], end[index], label[index])


def _origin(provenance: dict[str, Any]) -> tuple[str, str] | None:
    """(benchmark, archive item) of an imported document, None for one made here."""
    if provenance.get("benchmark") and provenance.get("item"):
        return provenance["benchmark"], provenance["item"]
    return None

"""Reading a whole NER predictions file at once: Arrow's JSON parser and numpy checks.

The careful reader (corpus.eval.predictions) parses each line with `json` and makes one object
per entity: most of the time of end-to-end scoring. Here Arrow parses every line into columns
(on all cores) and numpy checks every rule the careful reader checks, over the whole file.
The result is only used when the file is certainly valid and certainly read the same way:
whenever anything is off — a problem to report, a line that is not one plain object, a type
Arrow reads differently from `json` — this returns None and the careful reader runs and names
each problem with its line. tests/test_predictions.py holds the two readers to that.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pj

from corpus.core.labels import ENTITY_LABELS
from corpus.eval.ner import SpanArrays

BOM = b"\xef\xbb\xbf"
BLANK = b" \t\r"  # JSON whitespace on a line; the careful reader also skips such lines
ENTITY_FIELDS = {"start": pa.int64(), "end": pa.int64(), "label": pa.string()}
SCHEMA = pa.schema(  # Arrow fails on any other type (1.0, true, "3"): the careful reader then runs
    [
        ("id", pa.string()),
        ("entities", pa.list_(pa.struct([(k, t) for k, t in ENTITY_FIELDS.items()]))),
    ]
)
UNBOUNDED = np.iinfo(np.int64).max  # the size of a document whose gold has no text
BLOCK = 16 << 20  # bytes Arrow parses per task: larger blocks were faster here (1 MB: 1.6x)

Data = bytes | pa.Buffer  # the file's bytes (a memory-mapped file: no copy in memory)
Bulk = tuple[list[str], SpanArrays, list[str]]  # kept ids, their spans, ignored ids


def object_lines(data: Data) -> int | None:
    """How many lines hold a JSON object, if every line is blank or one {...}; else None.

    A line that starts with "{" and ends with "}" cannot continue an object begun on an
    earlier line ("}" then "{" is never valid inside one value), so when Arrow finds exactly
    this many rows, row k is line k's object and nothing else.
    """
    arr = np.frombuffer(data, dtype=np.uint8)
    if arr[:3].tobytes() == BOM:  # json rejects a BOM, Arrow would skip it
        return None
    breaks = np.concatenate(  # by blocks: a file-sized temporary costs fresh memory pages
        [np.zeros(0, dtype=np.int64)]
        + [a + np.flatnonzero(arr[a : a + BLOCK] == ord("\n")) for a in range(0, len(arr), BLOCK)]
    )
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(arr)]))
    filled = starts < ends
    starts, ends = starts[filled], ends[filled]
    plain = (arr[starts] == ord("{")) & (arr[ends - 1] == ord("}"))
    count = int(plain.sum())
    for a, b in zip(starts[~plain].tolist(), ends[~plain].tolist(), strict=True):
        line = arr[a:b].tobytes().strip(BLANK)
        if line.startswith(b"{") and line.endswith(b"}"):
            count += 1
        elif line:
            return None
    return count


def _columns(data: Data, rows: int) -> tuple[list[str], pa.ListArray] | None:
    """The ids and the entities column, if Arrow reads `rows` rows of the expected types."""
    try:
        table = pj.read_json(
            pa.BufferReader(data),
            pj.ReadOptions(block_size=BLOCK),
            pj.ParseOptions(explicit_schema=SCHEMA, unexpected_field_behavior="ignore"),
        )
    except (pa.ArrowException, ValueError, UnicodeError):
        return None
    if table.num_rows != rows:
        return None
    ids, entities = table.column("id"), table.column("entities")
    if ids.null_count or entities.null_count:
        return None
    return ids.to_pylist(), entities.combine_chunks()


def _label_codes(values: pa.Array, label_map: dict[str, str]) -> np.ndarray:
    """Each entity's label as an index of ENTITY_LABELS after `label_map`; -1 where the map
    drops it (empty target), -2 where the label is unknown."""
    encoded = pc.dictionary_encode(values)
    codes = []
    for raw in encoded.dictionary.to_pylist():
        label = label_map.get(raw, raw)
        if label in ENTITY_LABELS:
            codes.append(ENTITY_LABELS.index(label))
        else:
            codes.append(-1 if label == "" else -2)
    table = np.asarray(codes, dtype=np.int64)
    return table[encoded.indices.to_numpy(zero_copy_only=False)]


def read_ner_bulk(
    data: Data,
    texts: dict[str, str | None],
    all_ids: set[str],
    label_map: dict[str, str],
) -> Bulk | None:
    """(ids in file order, their spans, ignored ids) of a valid NER predictions file's bytes,
    or None when the careful reader must read it (a problem to name, or anything unusual)."""
    rows = object_lines(data)
    if not rows:
        return None
    read = _columns(data, rows)
    if read is None:
        return None
    ids, column = read
    if len(set(ids)) != len(ids) or any(i not in texts and i not in all_ids for i in ids):
        return None  # duplicate or unknown ids: the careful reader names their lines
    kept = np.fromiter((i in texts for i in ids), dtype=bool, count=len(ids))
    lengths = pc.list_value_length(column).to_numpy(zero_copy_only=False).astype(np.int64)
    row = np.repeat(np.arange(len(ids), dtype=np.int64), lengths)
    values = pc.list_flatten(column)
    if values.null_count or any(pc.struct_field(values, k).null_count for k in ENTITY_FIELDS):
        return None  # an entity that is not an object, or lacks start, end or label
    start, end = (
        pc.struct_field(values, k).to_numpy(zero_copy_only=False) for k in ("start", "end")
    )
    label = _label_codes(pc.struct_field(values, "label"), label_map)
    scored = kept[row]  # entities of ignored documents are not checked, as by the careful reader
    if np.any(label[scored] == -2):
        return None
    keep = scored & (label >= 0)
    row, start, end, label = row[keep], start[keep], end[keep], label[keep]
    sizes = np.asarray(
        [len(t) if (t := texts.get(i, "")) is not None else UNBOUNDED for i in ids],
        dtype=np.int64,
    )
    if np.any((start < 0) | (start >= end) | (end > sizes[row])):
        return None
    if np.any((row[1:] == row[:-1]) & (start[1:] < start[:-1])):  # rows are in order already
        order = np.lexsort((start, row))
        row, start, end, label = row[order], start[order], end[order], label[order]
    if np.any((row[1:] == row[:-1]) & (start[1:] < end[:-1])):
        return None  # overlapping entities in a document
    doc = (np.cumsum(kept) - 1)[row]
    kept_ids = [i for i, k in zip(ids, kept.tolist(), strict=True) if k]
    ignored = [i for i, k in zip(ids, kept.tolist(), strict=True) if not k]
    return kept_ids, SpanArrays(doc, start, end, label), ignored

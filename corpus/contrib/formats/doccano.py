"""doccano: sequence-labelling JSONL (`label`: [[start, end, label], ...], or `entities`)."""

from __future__ import annotations

import json
from pathlib import Path

from corpus.contrib.formats.common import Imported, SpanCollector, import_error, segment_label
from corpus.core.model import Document
from corpus.core.normalize import sha256_text
from corpus.core.problems import Problem, ProblemsFound


def export(documents: list[Document]) -> str:
    """One JSON line per document: doc_id, text, and label triples (segments, then entities)."""
    lines = []
    for d in documents:
        labels = [[s.start, s.end, segment_label(s)] for s in d.annotation.segments]
        labels += [[e.start, e.end, e.label] for e in d.annotation.entities]
        lines.append(
            json.dumps({"doc_id": d.id, "text": d.text, "label": labels}, ensure_ascii=False)
        )
    return "\n".join(lines) + "\n"


def parse(file: str, content: str, texts: dict[str, str]) -> list[Imported]:
    """Spans of every line; the document is doc_id, or found by its text."""
    by_sha = {sha256_text(t): i for i, t in texts.items()}
    items, problems = [], []
    for n, raw in enumerate(content.splitlines(), start=1):
        if not raw.strip():
            continue
        where = f"line {n}"
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as err:
            problems.append(
                Problem(file, n, err.colno, "error", "json", err.msg, "one JSON object per line")
            )
            continue
        text = obj.get("text")
        ident = obj.get("doc_id") or by_sha.get(sha256_text(text) if isinstance(text, str) else "")
        if ident not in texts or (isinstance(text, str) and text != texts[ident]):
            problems.append(
                import_error(
                    file,
                    f"{where}: no corpus document with this doc_id and text",
                    "keep doc_id and the unchanged text from the export",
                    line=n,
                )
            )
            continue
        item = Imported(ident, where)
        collector = SpanCollector(file, item, texts[ident])
        for k, triple in enumerate(obj.get("label", [])):
            if isinstance(triple, list) and len(triple) == 3:
                collector.add(f"label {k}", *triple)
            else:
                collector.error(
                    f"label {k}", "not a [start, end, label] triple", "write [start, end, label]"
                )
        for k, ent in enumerate(obj.get("entities", [])):
            collector.add(
                f"entity {k}", ent.get("start_offset"), ent.get("end_offset"), ent.get("label")
            )
        problems += collector.problems
        items.append(item)
    if problems:
        raise ProblemsFound(problems)
    return items


def read(path: Path, texts: dict[str, str]) -> list[Imported]:
    """Parse a doccano JSONL export."""
    return parse(str(path), path.read_text(encoding="utf-8"), texts)

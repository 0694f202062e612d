"""Label Studio: JSON export of text tasks with `labels` results (segments and entities)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from corpus.contrib.formats.common import Imported, SpanCollector, import_error, segment_label
from corpus.core.model import Document
from corpus.core.normalize import sha256_text
from corpus.core.problems import Problem, ProblemsFound


def export(documents: list[Document]) -> str:
    """A Label Studio import/export JSON list, one task per document."""
    tasks = []
    for n, d in enumerate(documents, start=1):
        result = []
        spans = [("segment", s.start, s.end, segment_label(s)) for s in d.annotation.segments]
        spans += [("label", e.start, e.end, e.label) for e in d.annotation.entities]
        for k, (name, s, e, label) in enumerate(spans):
            result.append(
                {
                    "id": f"r{k}",
                    "from_name": name,
                    "to_name": "text",
                    "type": "labels",
                    "value": {"start": s, "end": e, "text": d.text[s:e], "labels": [label]},
                }
            )
        tasks.append(
            {
                "id": n,
                "data": {"id": d.id, "text": d.text},
                "annotations": [{"id": n, "result": result}],
            }
        )
    return json.dumps(tasks, ensure_ascii=False, indent=1) + "\n"


def parse(file: str, content: str, texts: dict[str, str]) -> list[Imported]:
    """Spans of every task; the document is data.id, or found by its text."""
    by_sha = {sha256_text(t): i for i, t in texts.items()}
    try:
        tasks = json.loads(content)
    except json.JSONDecodeError as err:
        raise ProblemsFound(
            [
                Problem(
                    file,
                    err.lineno,
                    err.colno,
                    "error",
                    "json",
                    err.msg,
                    "give a Label Studio JSON export",
                )
            ]
        ) from None
    if not isinstance(tasks, list):
        tasks = [tasks]
    items, problems = [], []
    for n, task in enumerate(tasks, start=1):
        data: dict[str, Any] = task.get("data", {}) if isinstance(task, dict) else {}
        text = data.get("text")
        ident = data.get("id") or by_sha.get(sha256_text(text) if isinstance(text, str) else "")
        where = f"task {n}"
        if ident not in texts:
            problems.append(
                import_error(
                    file,
                    f"{where}: no corpus document with this id or text",
                    'keep "data": {"id": ...} or the unchanged text',
                )
            )
            continue
        if isinstance(text, str) and text != texts[ident]:
            problems.append(
                import_error(
                    file,
                    f"{where} (id {ident}): the task text differs from the corpus text",
                    "import the normalized raw text",
                )
            )
            continue
        item = Imported(ident, where)
        collector = SpanCollector(file, item, texts[ident])
        annotations = task.get("annotations") or task.get("completions") or []
        results = annotations[-1].get("result", []) if annotations else []
        for k, r in enumerate(results):
            value = r.get("value", {}) if isinstance(r, dict) else {}
            labels = value.get("labels") or value.get("hypertextlabels") or [None]
            collector.add(
                f"result {k}", value.get("start"), value.get("end"), labels[0], value.get("text")
            )
        problems += collector.problems
        items.append(item)
    if problems:
        raise ProblemsFound(problems)
    return items


def read(path: Path, texts: dict[str, str]) -> list[Imported]:
    """Parse a Label Studio export file."""
    return parse(str(path), path.read_text(encoding="utf-8"), texts)

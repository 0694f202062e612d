"""Write imported documents: `raw/<id>.txt`, `annotations/<id>.json` (released documents only),
and per source `imports/<source>-review.tsv` and `imports/<source>-summary.json`."""

from __future__ import annotations

import hashlib
import json
import statistics
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from corpus.importers.base import ImportedDocument


def annotation_json(doc: ImportedDocument) -> str:
    """The annotation file's text: the layout of `corpus.annotation_io.dump_annotation` (two-space
    indent, one segment per line) with `provenance` as an extra key after `source`."""
    head = {
        "id": doc.id,
        "language": doc.language,
        "source": {k: v for k, v in doc.source.items() if v is not None},
        "provenance": doc.provenance,
        "split": doc.split,
        "text_sha256": hashlib.sha256(doc.text.encode("utf-8")).hexdigest(),
    }
    lines = json.dumps(head, ensure_ascii=False, indent=2).rstrip("}").rstrip()
    segs = ",\n".join("    " + json.dumps(s, ensure_ascii=False) for s in doc.segments)
    segments = f'  "segments": [\n{segs}\n  ]' if segs else '  "segments": []'
    return f'{lines},\n{segments},\n  "entities": []\n}}\n'


def write_document(doc: ImportedDocument, root: Path) -> None:
    """Write a released document's raw text (UTF-8, exact) and annotation."""
    (root / "raw").mkdir(parents=True, exist_ok=True)
    (root / "annotations").mkdir(parents=True, exist_ok=True)
    (root / "raw" / f"{doc.id}.txt").write_bytes(doc.text.encode("utf-8"))
    (root / "annotations" / f"{doc.id}.json").write_bytes(annotation_json(doc).encode("utf-8"))


def review_tsv(docs: Sequence[ImportedDocument]) -> str:
    rows = ["id\titem\tgold_in_body\tbody_is_gold\tambiguous\treason"]
    for d in sorted((d for d in docs if not d.released), key=lambda d: d.id):
        q = d.provenance["quality"]
        rows.append(
            f"{d.id}\t{d.provenance['item']}\t{q['gold_in_body']}\t{q['body_is_gold']}\t"
            f"{str(q['ambiguous']).lower()}\t{d.review_reason}"
        )
    return "\n".join(rows) + "\n"


def summary(name: str, docs: Sequence[ImportedDocument]) -> dict[str, Any]:
    def stats(key: str) -> dict[str, float | None]:
        xs = [d.provenance["quality"][key] for d in docs]
        if not xs:
            return {"median": None, "mean": None}
        return {"median": statistics.median(xs), "mean": round(statistics.fmean(xs), 4)}

    reasons: Counter[str] = Counter(d.review_reason for d in docs if not d.released)
    corrections: Counter[str] = Counter(c for d in docs for c in d.provenance["corrections"])
    return {
        "source": name,
        "pages_read": len(docs),
        "released": sum(d.released for d in docs),
        "not_released": dict(sorted(reasons.items())),
        "corrections": dict(sorted(corrections.items())),
        "gold_in_body": stats("gold_in_body"),
        "body_is_gold": stats("body_is_gold"),
        "ambiguous": sum(d.provenance["quality"]["ambiguous"] for d in docs),
        "languages": dict(sorted(Counter(d.language for d in docs).items())),
        "splits": dict(sorted(Counter(d.split for d in docs if d.released).items())),
    }


def write_source(name: str, docs: Sequence[ImportedDocument], root: Path) -> dict[str, Any]:
    """Write every released document, the review list and the summary; return the summary."""
    for d in docs:
        if d.released:
            write_document(d, root)
    imports = root / "imports"
    imports.mkdir(parents=True, exist_ok=True)
    (imports / f"{name}-review.tsv").write_bytes(review_tsv(docs).encode("utf-8"))
    s = summary(name, docs)
    text = json.dumps(s, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    (imports / f"{name}-summary.json").write_bytes(text.encode("utf-8"))
    return s

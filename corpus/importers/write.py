"""Write imported documents: `raw/<id>.txt`, `annotations/<id>.json` (released documents only),
and per source `imports/<source>-review.tsv` and `imports/<source>-summary.json`."""

from __future__ import annotations

import json
import statistics
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from corpus.core.annotation_io import dump_annotation
from corpus.core.files import write_atomic
from corpus.core.model import Annotation, Segment, Source
from corpus.core.normalize import sha256_text
from corpus.importers.base import ImportedDocument


def annotation(doc: ImportedDocument) -> Annotation:
    """The document's annotation (entities absent: the entity layer is null)."""
    return Annotation(
        doc.id,
        doc.language,
        Source(**doc.source),
        doc.split,
        sha256_text(doc.text),
        tuple(Segment(s["start"], s["end"], s["label"], s.get("kind")) for s in doc.segments),
        status=doc.status,
        provenance=doc.provenance,
    )


def write_document(doc: ImportedDocument, root: Path) -> None:
    """Write a released document's raw text (UTF-8, exact) and annotation."""
    (root / "raw").mkdir(parents=True, exist_ok=True)
    (root / "annotations").mkdir(parents=True, exist_ok=True)
    write_atomic(root / "raw" / f"{doc.id}.txt", doc.text.encode("utf-8"))
    write_atomic(root / "annotations" / f"{doc.id}.json", dump_annotation(annotation(doc)).encode())


def review_tsv(docs: Sequence[ImportedDocument]) -> str:
    rows = ["id\titem\tgold_in_body\tbody_is_gold\tambiguous\treason"]
    for d in sorted((d for d in docs if not d.released), key=lambda d: d.id):
        q = d.provenance.quality
        assert q is not None
        rows.append(
            f"{d.id}\t{d.provenance.item}\t{q.gold_in_body}\t{q.body_is_gold}\t"
            f"{str(q.ambiguous).lower()}\t{d.review_reason}"
        )
    return "\n".join(rows) + "\n"


def summary(name: str, docs: Sequence[ImportedDocument]) -> dict[str, Any]:
    def stats(key: str) -> dict[str, float | None]:
        xs = [getattr(d.provenance.quality, key) for d in docs]
        if not xs:
            return {"median": None, "mean": None}
        return {"median": statistics.median(xs), "mean": round(statistics.fmean(xs), 4)}

    reasons: Counter[str] = Counter(
        (d.review_reason or "").split(" of ")[0] for d in docs if not d.released
    )
    corrections: Counter[str] = Counter(c for d in docs for c in d.provenance.corrections)
    return {
        "source": name,
        "pages_read": len(docs),
        "released": sum(d.released and d.status == "gold" for d in docs),
        "drafts": sum(d.released and d.status == "draft" for d in docs),
        "not_released": dict(sorted(reasons.items())),
        "corrections": dict(sorted(corrections.items())),
        "gold_in_body": stats("gold_in_body"),
        "body_is_gold": stats("body_is_gold"),
        "ambiguous": sum(
            bool(d.provenance.quality and d.provenance.quality.ambiguous) for d in docs
        ),
        "languages": dict(sorted(Counter(d.language for d in docs).items())),
        "splits": dict(sorted(Counter(d.split for d in docs if d.released).items())),
    }


class ImportRefused(ValueError):
    """The import would lose documents it has no grounds to lose; nothing was written."""


# A run may delete at most this many documents of its source, or this share of them, without
# `allow_deletions`: a large drop is more often a broken archive than a new version.
MAX_DELETIONS = 10
MAX_DELETED_SHARE = 0.1


def annotation_state(path: Path) -> str:
    """ "reviewed" if an existing annotation file holds someone's work, which imports keep (it
    was reviewed, or a layer of it was made by hand: hand-made entities on aligned segments);
    "unreadable" if it does not parse (a merge conflict, a bad edit: kept too, and reported);
    else "imported"."""
    try:
        provenance = json.loads(path.read_bytes())["provenance"]
        layers = provenance.get("layers") or {}
        reviewed = bool(provenance.get("reviewed")) or "manual" in layers.values()
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return "unreadable"
    return "reviewed" if reviewed else "imported"


def is_reviewed(path: Path) -> bool:
    """Whether an existing annotation file is someone's work (annotation_state "reviewed")."""
    return annotation_state(path) == "reviewed"


def write_source(
    name: str,
    prefix: str,
    docs: Sequence[ImportedDocument],
    root: Path,
    allow_deletions: bool = False,
) -> dict[str, Any]:
    """Write every released document, the review list and the summary; return the summary.

    A document holding someone's work (reviewed, or a layer made by hand) is never
    overwritten nor deleted, nor is an annotation file that does not parse (listed in the
    summary's "unreadable": the command reports it). A document of this source that the
    import no longer releases is deleted, so importing twice, or after a change of method,
    leaves exactly what the import produces; but a run that releases nothing deletes nothing,
    and more than MAX_DELETIONS documents and MAX_DELETED_SHARE of the source are deleted only
    with `allow_deletions` (ImportRefused, before anything is written). Files are written
    atomically.
    """
    released = {d.id for d in docs if d.released}
    states = {
        path: annotation_state(path)
        for path in sorted((root / "annotations").glob(f"{prefix}_*.json"))
    }
    unreadable = sorted(str(p.relative_to(root)) for p, s in states.items() if s == "unreadable")
    doomed = [p for p, s in states.items() if s == "imported" and p.stem not in released]
    if doomed and not released:
        raise ImportRefused(
            f"{name}: the archive gave no document to release, and the import would delete "
            f"all {len(doomed)} of its documents; nothing written; fix: check the archive "
            "(its index or gold file may be missing or malformed)"
        )
    if len(doomed) > max(MAX_DELETIONS, MAX_DELETED_SHARE * len(states)) and not allow_deletions:
        raise ImportRefused(
            f"{name}: the import would delete {len(doomed)} of the source's {len(states)} "
            "documents; nothing written; fix: check the archive, or pass --allow-deletions "
            "if the new version of the benchmark really drops them"
        )
    for path in doomed:
        path.unlink()
        (root / "raw" / f"{path.stem}.txt").unlink(missing_ok=True)
    kept = sum(s == "reviewed" for s in states.values())
    deleted = len(doomed)
    for d in docs:
        target = root / "annotations" / f"{d.id}.json"
        if d.released and states.get(target, "imported") == "imported":
            write_document(d, root)
    imports = root / "imports"
    imports.mkdir(parents=True, exist_ok=True)
    write_atomic(imports / f"{name}-review.tsv", review_tsv(docs).encode("utf-8"))
    s = summary(name, docs)
    text = json.dumps(s, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    write_atomic(imports / f"{name}-summary.json", text.encode("utf-8"))
    return {**s, "kept_reviewed": kept, "deleted": deleted, "unreadable": unreadable}

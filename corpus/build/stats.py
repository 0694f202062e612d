"""Corpus statistics per language, source, genre or year band: documents, characters, body
share, tokens, documents with entity gold, entities per label."""

from __future__ import annotations

from collections import Counter
from typing import Any

from corpus.core.labels import ENTITY_LABELS, year_band

COLUMNS = (
    "documents", "characters", "body_share", "tokens", "ner_documents", *ENTITY_LABELS, "entities",
)  # fmt: skip
# table heading -> record_stats key, in the order the card shows the tables
GROUPS = {"language": "language", "source": "collection", "genre": "genre", "year": "year_band"}


def record_stats(record: dict[str, Any]) -> dict[str, Any]:
    """The figures of one record that the corpus statistics add up."""
    labels = Counter(e["label"] for e in record["entities"])
    provenance = record["provenance"]
    return {
        "language": record["language"],
        "collection": provenance["benchmark"] or "original",
        "genre": record["source"]["genre"],
        "year_band": year_band(record["source"]["year"]),
        "ner_documents": int(provenance["layers"]["entities"] is not None),
        "characters": len(record["text"]),
        "body_characters": sum(
            s["end"] - s["start"] for s in record["segments"] if s["label"] == "body"
        ),
        "tokens": len(record["tokens"]),
        "labels": {label: labels.get(label, 0) for label in ENTITY_LABELS},
    }


def compute_stats(
    per_record: list[dict[str, Any]], by: str = "language"
) -> dict[str, dict[str, Any]]:
    """Stats keyed by language (or by a GROUPS heading: source, genre, year), sorted, plus
    "all", from record_stats() of each record. body_share = body code points / code points.
    """
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in per_record:
        groups.setdefault(r[GROUPS[by]], []).append(r)
    out = {lang: _stats(rows) for lang, rows in sorted(groups.items())}
    out["all"] = _stats(per_record)
    return out


def _stats(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return finish_stats(
        len(rows),
        sum(r["characters"] for r in rows),
        sum(r["body_characters"] for r in rows),
        sum(r["tokens"] for r in rows),
        sum(r["ner_documents"] for r in rows),
        *(sum(r["labels"][label] for r in rows) for label in ENTITY_LABELS),
    )


def finish_stats(
    documents: int,
    characters: int,
    body_characters: int,
    tokens: int,
    ner_documents: int,
    *labels: int,
) -> dict[str, Any]:
    """One row of the statistics from its sums (labels in ENTITY_LABELS order)."""
    per_label = dict(zip(ENTITY_LABELS, labels, strict=True))
    return {
        "documents": documents,
        "characters": characters,
        "body_characters": body_characters,
        "body_share": round(body_characters / characters, 4) if characters else 0.0,
        "tokens": tokens,
        "ner_documents": ner_documents,
        **per_label,
        "entities": sum(per_label.values()),
    }


def stats_markdown(stats: dict[str, dict[str, Any]], by: str = "language") -> str:
    """The stats as a Markdown table, one row per language (or group) and a last row for all."""
    names = {"ner_documents": "docs with entity gold"}
    head = f"| {by} | " + " | ".join(names.get(c, c.replace("_", " ")) for c in COLUMNS) + " |"
    rule = "|---|" + "---:|" * len(COLUMNS)
    rows = []
    for lang, s in stats.items():
        cells = [f"{s[c]:.1%}" if c == "body_share" else str(s[c]) for c in COLUMNS]
        name = "**all**" if lang == "all" else lang
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join([head, rule, *rows])

"""Agreement between two annotations of the same documents (for double annotation).

Segments: every word token of the shared tokenizer gets its segment label (body or
boilerplate) from each annotation; we report the share of tokens labelled alike (observed
agreement) and Cohen's kappa, (p_o - p_e) / (1 - p_e) with p_e from the two annotators' label
shares over all tokens. Entities: F1 of one annotation against the other under the strict
scheme (symmetric), plus per label.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

from corpus.build.checks import check_document
from corpus.build.repository import read_raw
from corpus.core.annotation_io import AnnotationReader
from corpus.core.labels import ENTITY_LABELS
from corpus.core.model import Annotation, Span
from corpus.core.problems import Problem, ProblemsFound
from corpus.core.tokenize import word_tokens
from corpus.eval.ner import match_counts, scores


def token_labels(text: str, annotation: Annotation) -> list[str]:
    """The segment label of every word token of `text`."""
    out, k = [], 0
    segments = annotation.segments
    for s, _ in word_tokens(text):
        while segments[k].end <= s:
            k += 1
        out.append(segments[k].label)
    return out


def cohen_kappa(a: list[str], b: list[str]) -> float | None:
    """Cohen's kappa of two label sequences; None if chance agreement is 1 (undefined)."""
    n = len(a)
    if n == 0:
        return None
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    labels = set(a) | set(b)
    expected = sum((a.count(lab) / n) * (b.count(lab) / n) for lab in labels)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def character_pairs(a: Annotation, b: Annotation) -> dict[tuple[str, str], int]:
    """How many code points each (label in A, label in B) pair covers (body/boilerplate)."""
    cuts = sorted({0, *(s.end for s in a.segments), *(s.end for s in b.segments)})
    out: dict[tuple[str, str], int] = {}
    i = j = 0
    for start, end in pairwise(cuts):
        while a.segments[i].end <= start:
            i += 1
        while b.segments[j].end <= start:
            j += 1
        key = (a.segments[i].label, b.segments[j].label)
        out[key] = out.get(key, 0) + end - start
    return out


def kappa_of_pairs(pairs: dict[tuple[str, str], int]) -> tuple[float | None, float | None]:
    """(observed agreement, Cohen's kappa) from counts of label pairs; None where undefined."""
    n = sum(pairs.values())
    if not n:
        return None, None
    observed = sum(c for (x, y), c in pairs.items() if x == y) / n
    labels = {x for x, _ in pairs} | {y for _, y in pairs}
    expected = sum(
        sum(c for (x, _), c in pairs.items() if x == lab)
        * sum(c for (_, y), c in pairs.items() if y == lab)
        / n**2
        for lab in labels
    )
    return observed, (None if expected == 1 else (observed - expected) / (1 - expected))


def agreement(pairs: list[tuple[str, Annotation, Annotation]]) -> dict[str, Any]:
    """Segment agreement and kappa over all word tokens and over all code points; entity F1
    between A and B; the same per language when the documents have several."""
    result = _agreement(pairs)
    languages = sorted({a.language for _, a, _ in pairs})
    if len(languages) > 1:
        result["per_language"] = {
            lang: _agreement([p for p in pairs if p[1].language == lang]) for lang in languages
        }
    return result


def _agreement(pairs: list[tuple[str, Annotation, Annotation]]) -> dict[str, Any]:
    la: list[str] = []
    lb: list[str] = []
    counts = {g: [0] * 5 for g in ("all", *ENTITY_LABELS)}
    for text, a, b in pairs:
        la += token_labels(text, a)
        lb += token_labels(text, b)
        ga = [Span(e.start, e.end, e.label) for e in a.entities]
        gb = [Span(e.start, e.end, e.label) for e in b.entities]
        for group in counts:
            sa = [x for x in ga if group in ("all", x.label)]
            sb = [x for x in gb if group in ("all", x.label)]
            counts[group] = [
                x + y for x, y in zip(counts[group], match_counts(sa, sb, "strict"), strict=True)
            ]
    n = len(la)
    chars: dict[tuple[str, str], int] = {}
    for _, a, b in pairs:
        for key, count in character_pairs(a, b).items():
            chars[key] = chars.get(key, 0) + count
    char_agreement, char_kappa = kappa_of_pairs(chars)
    return {
        "documents": len(pairs),
        "tokens": n,
        "segment_agreement": sum(x == y for x, y in zip(la, lb, strict=True)) / n if n else None,
        "segment_kappa": cohen_kappa(la, lb),
        "characters": sum(chars.values()),
        "segment_agreement_chars": char_agreement,
        "segment_kappa_chars": char_kappa,
        "entity_f1": scores(counts["all"], "strict")["f1"],
        "entity_f1_per_label": {
            lab: scores(counts[lab], "strict")["f1"]
            for lab in ENTITY_LABELS
            if counts[lab][0] + counts[lab][1] + counts[lab][3] + counts[lab][4]
        },
    }


def read_annotations(folder: Path, root: Path) -> dict[str, tuple[str, Annotation]]:
    """An annotator's files (a folder of <id>.json, or one file), checked against raw/ texts.

    Raise ProblemsFound if any file has an error.
    """
    out, problems = {}, []
    files = sorted(folder.glob("*.json")) if folder.is_dir() else [folder]
    for f in files:
        raw = root / "raw" / f"{f.stem}.txt"
        if not raw.exists():
            problems.append(
                Problem(
                    str(f),
                    None,
                    None,
                    "error",
                    "orphan-annotation",
                    f"no raw/{f.stem}.txt",
                    "name files <id>.json",
                )
            )
            continue
        text, found = read_raw(raw, f"raw/{raw.name}")
        reader = AnnotationReader(f.read_text(encoding="utf-8"), str(f))
        ann = reader.read()
        problems += found + reader.problems
        if ann is not None and text is not None:
            problems += check_document(reader, ann, text, f"raw/{raw.name}", f.stem)
            out[f.stem] = (text, ann)
    if any(p.severity == "error" for p in problems):
        raise ProblemsFound(problems)
    return out

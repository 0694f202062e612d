"""brat standoff: `<id>.txt` (the normalized text) and `<id>.ann` text-bound annotations."""

from __future__ import annotations

from pathlib import Path

from corpus.contrib.formats.common import Imported, SpanCollector, import_error, segment_label
from corpus.core.labels import BOILERPLATE_KINDS, ENTITY_LABELS
from corpus.core.model import Document
from corpus.core.problems import ProblemsFound

SEP = "-"


def annotation_conf() -> str:
    """brat's annotation.conf declaring the entity and segment types."""
    types = [
        *ENTITY_LABELS,
        "body",
        "boilerplate",
        *(f"boilerplate{SEP}{k}" for k in BOILERPLATE_KINDS),
    ]
    return "[entities]\n" + "\n".join(types) + "\n[relations]\n[events]\n[attributes]\n"


def export(documents: list[Document], out: Path) -> list[Path]:
    """Write <id>.txt, <id>.ann per document and annotation.conf into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for d in documents:
        spans = [(s.start, s.end, segment_label(s, SEP)) for s in d.annotation.segments]
        spans += [(e.start, e.end, e.label) for e in d.annotation.entities]
        lines = []
        for k, (s, e, label) in enumerate(spans, start=1):
            covered = d.text[s:e].replace("\n", " ")  # brat shows fragments on one line
            lines.append(f"T{k}\t{label} {s} {e}\t{covered}")
        (out / f"{d.id}.txt").write_text(d.text, encoding="utf-8", newline="\n")
        (out / f"{d.id}.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
        written += [out / f"{d.id}.txt", out / f"{d.id}.ann"]
    (out / "annotation.conf").write_text(annotation_conf(), encoding="utf-8")
    return written


def read(folder: Path, texts: dict[str, str]) -> list[Imported]:
    """Text-bound annotations of every <id>.ann in `folder` (discontinuous spans refused)."""
    items, problems = [], []
    for ann in sorted(folder.glob("*.ann")):
        ident, file = ann.stem, str(ann)
        txt = ann.with_suffix(".txt")
        if ident not in texts:
            problems.append(
                import_error(file, f"no corpus document {ident}", "name files <id>.ann")
            )
            continue
        if txt.exists() and txt.read_text(encoding="utf-8") != texts[ident]:
            problems.append(
                import_error(
                    str(txt),
                    "the text differs from the corpus text",
                    "annotate the exported <id>.txt unchanged",
                )
            )
            continue
        item = Imported(ident, ann.name)
        collector = SpanCollector(file, item, texts[ident], SEP)
        for n, line in enumerate(ann.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.startswith("T"):
                continue
            try:
                tid, middle, covered = line.split("\t")
                label, offsets = middle.split(" ", 1)
                if ";" in offsets:
                    raise ValueError("discontinuous span")
                start, end = (int(x) for x in offsets.split())
            except ValueError as err:
                collector.error(
                    f"line {n}",
                    f"cannot read {line!r}: {err}",
                    "write 'T1<TAB>LABEL start end<TAB>text' with one span",
                )
                continue
            check = covered if "\n" not in texts[ident][start:end] else None
            collector.add(f"line {n} ({tid})", start, end, label, check)
        problems += collector.problems
        items.append(item)
    if problems:
        raise ProblemsFound(problems)
    return items

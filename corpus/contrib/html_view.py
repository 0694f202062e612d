"""Self-contained HTML views of annotated documents: one page per document and an index.

Body and boilerplate are shaded differently (boilerplate labelled with its kind), entities are
highlighted by label in the manner of displaCy, with a legend and the document's metadata. The
pages need no network: styles and the small script are inline.
"""

from __future__ import annotations

import html
from collections import Counter
from pathlib import Path

from corpus.core.annotation_io import url_error
from corpus.core.labels import ENTITY_LABELS
from corpus.core.model import Document

COLORS = {"PER": "#aa9cfc", "ORG": "#7aecec", "LOC": "#feca74", "MISC": "#c887fb"}

STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #ccc;padding:.2rem .5rem;
text-align:left;font-size:.9rem}th{background:#f4f4f4}
.doc{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:.9rem;line-height:1.9}
.seg{display:block;padding:.2rem .6rem;border-left:.4rem solid}
.seg+.seg{border-top:1px dashed #bbb}
.seg.body{background:#fff;border-color:#2e7d32}
.seg.boilerplate{background:#e9e9e9;color:#555;border-color:#9e9e9e}
.seg-tag{float:right;font:600 .7rem system-ui,sans-serif;color:#777;text-transform:uppercase}
mark.entity{padding:.1em .3em;border-radius:.3em;color:#111}
mark.entity .tag{font:700 .65rem system-ui,sans-serif;margin-left:.3rem;vertical-align:middle}
.legend span{display:inline-block;margin:0 .5rem .3rem 0;padding:.1rem .5rem;border-radius:.3rem;
cursor:pointer}.hidden mark.entity{background:none!important}
body.hide-PER mark[data-label=PER],body.hide-ORG mark[data-label=ORG],
body.hide-LOC mark[data-label=LOC],body.hide-MISC mark[data-label=MISC]{background:none!important}
"""

SCRIPT = """
document.body.dataset.entitiesRendered = document.querySelectorAll("mark.entity").length;
document.querySelectorAll(".legend [data-toggle]").forEach(function (chip) {
  chip.addEventListener("click", function () {
    document.body.classList.toggle("hide-" + chip.dataset.toggle);
  });
});
"""


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _segment_html(doc: Document, start: int, end: int) -> str:
    """The text of [start, end) with its entities marked."""
    out, position = [], start
    for e in doc.annotation.entities:
        if e.start < start or e.end > end:
            continue
        out.append(_esc(doc.text[position : e.start]))
        out.append(
            f'<mark class="entity" data-label="{e.label}" style="background:'
            f'{COLORS[e.label]}">{_esc(e.text)}<span class="tag">{e.label}</span></mark>'
        )
        position = e.end
    out.append(_esc(doc.text[position:end]))
    return "".join(out)


def _metadata(doc: Document) -> str:
    a = doc.annotation
    src = a.source
    counts = Counter(e.label for e in a.entities)
    body = sum(s.end - s.start for s in a.segments if s.label == "body")
    if src.url and url_error(src.url) is None:
        url = f'<a href="{_esc(src.url)}">{_esc(src.url)}</a>'
    else:
        url = _esc(src.url) if src.url else "unknown"  # never a link a click could run
    rows = [
        ("id", _esc(a.id)),
        ("status", a.status),
        ("language", a.language),
        ("split", a.split),
        ("publisher", _esc(src.publisher)),
        ("URL", url),
        ("date", _esc(src.date or "unknown")),
        ("licence", _esc(src.license)),
        ("note", _esc(src.note or "")),
        ("size", f"{len(doc.text)} code points, body {body / len(doc.text):.1%}"),
        ("entities", ", ".join(f"{lab} {counts.get(lab, 0)}" for lab in ENTITY_LABELS)),
    ]
    return "<table>" + "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows) + "</table>"


def _legend() -> str:
    chips = [
        '<span style="background:#fff;border-left:.4rem solid #2e7d32">body</span>',
        '<span style="background:#e9e9e9;border-left:.4rem solid #9e9e9e">boilerplate '
        "(kind at the right)</span>",
    ]
    chips += [
        f'<span data-toggle="{lab}" title="click to hide or show" style="background:'
        f'{COLORS[lab]}">{lab}</span>'
        for lab in ENTITY_LABELS
    ]
    return '<div class="legend">' + "".join(chips) + "</div>"


def _page(title: str, lang: str, body: str) -> str:
    return (
        f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{_esc(title)}</title><style>{STYLE}</style></head><body>\n{body}\n"
        f"<script>{SCRIPT}</script></body></html>\n"
    )


def document_page(doc: Document, index_link: bool = False) -> str:
    """One document as a self-contained HTML page."""
    segments = []
    for s in doc.annotation.segments:
        kind = s.kind or ("" if s.label == "body" else "boilerplate")
        tag = f'<span class="seg-tag">{_esc(kind)}</span>' if kind else ""
        segments.append(
            f'<div class="seg {s.label}" data-label="{s.label}" '
            f'data-kind="{_esc(s.kind or "")}">{tag}'
            f"{_segment_html(doc, s.start, s.end)}</div>"
        )
    back = '<p><a href="index.html">all documents</a></p>' if index_link else ""
    body = (
        f"{back}<h1>{_esc(doc.id)}</h1>{_metadata(doc)}{_legend()}"
        f'<div class="doc">{"".join(segments)}</div>'
    )
    return _page(doc.id, "und" if not doc.annotation.language else doc.annotation.language, body)


def index_page(documents: list[Document]) -> str:
    """A table of all documents with their statistics, linking to their pages."""
    head = [
        "id",
        "status",
        "language",
        "publisher",
        "code points",
        "body share",
        *ENTITY_LABELS,
        "entities",
    ]
    rows = []
    for d in documents:
        counts = Counter(e.label for e in d.annotation.entities)
        body = sum(s.end - s.start for s in d.annotation.segments if s.label == "body")
        cells = [
            f'<a href="{_esc(d.id)}.html">{_esc(d.id)}</a>',
            d.annotation.status,
            d.annotation.language,
            _esc(d.annotation.source.publisher),
            str(len(d.text)),
            f"{body / len(d.text):.1%}",
            *(str(counts.get(lab, 0)) for lab in ENTITY_LABELS),
            str(len(d.annotation.entities)),
        ]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    table = (
        "<table><tr>"
        + "".join(f"<th>{h}</th>" for h in head)
        + "</tr>"
        + "".join(rows)
        + "</table>"
    )
    return _page(
        "corpus review",
        "en",
        f"<h1>Corpus review: {len(documents)} documents</h1>{_legend()}{table}",
    )


def write_review(documents: list[Document], out: Path) -> list[Path]:
    """Write index.html and one page per document into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for d in documents:
        path = out / f"{d.id}.html"
        path.write_text(document_page(d, index_link=True), encoding="utf-8")
        paths.append(path)
    (out / "index.html").write_text(index_page(documents), encoding="utf-8")
    return [out / "index.html", *paths]

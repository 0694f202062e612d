"""Where a source's snippets fall: pure functions over a text and its segments, used by the
checks (`corpus validate`) and by importers that record disagreements."""

from __future__ import annotations

import re
from bisect import bisect_right

from corpus.core.model import Segment, Snippets
from corpus.core.normalize import normalize_text


def snippet_spans(text: str, snippet: str) -> list[tuple[int, int]]:
    """Where `snippet` occurs in `text`, its words separated by any white space (the source's
    snippets and the rendering may break lines or use no-break spaces differently)."""
    words = normalize_text(snippet).split()
    if not words:
        return []
    pattern = r"\s+".join(re.escape(w) for w in words)
    return [m.span() for m in re.finditer(pattern, text)]


def snippet_verdicts(
    text: str, segments: tuple[Segment, ...], snippets: Snippets
) -> list[tuple[str, str, str, int | None]]:
    """(snippet, expected side, verdict, offset) for every snippet: "agree" when a `with`
    snippet occurs inside body (anywhere) or a `without` snippet nowhere in body; "absent"
    when the snippet is not in the text; else "disagree" (offset: the occurrence to look at)."""
    starts = [s.start for s in segments]

    def body_share(start: int, end: int) -> tuple[bool, bool]:
        k = bisect_right(starts, start) - 1
        inside = overlaps = False
        while k < len(segments) and segments[k].start < end:
            if segments[k].label == "body":
                overlaps = True
                inside = inside or (segments[k].start <= start and end <= segments[k].end)
            k += 1
        return inside, overlaps

    out = []
    for side, items in (("body", snippets.keep), ("boilerplate", snippets.drop)):
        for snippet in items:
            spans = snippet_spans(text, snippet)
            if not spans:
                out.append((snippet, side, "absent", None))
                continue
            shares = [body_share(*span) for span in spans]
            if side == "body":
                good = any(inside for inside, _ in shares)
                bad_at = spans[0][0]
            else:
                good = not any(overlaps for _, overlaps in shares)
                bad_at = next((sp[0] for sp, (_, o) in zip(spans, shares, strict=True) if o), None)
            out.append((snippet, side, "agree" if good else "disagree", None if good else bad_at))
    return out

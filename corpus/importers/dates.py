"""A page's year of publication as its own HTML states it (meta tags, JSON-LD), for
`source.year`: read from the markup, never guessed from the text."""

from __future__ import annotations

import re
from typing import Any

from corpus.core.labels import FIRST_YEAR

# The year the source archives were taken: no page in them was published later.
ARCHIVES_TAKEN = 2026

# <meta> tags that state when the page was published, most specific first.
PUBLISHED_META = (
    'meta[property="article:published_time"]',
    'meta[name="article:published_time"]',
    'meta[itemprop="datePublished"]',
    'meta[property="og:published_time"]',
    'meta[name="pubdate"]',
    'meta[name="publishdate"]',
    'meta[name="DC.date.issued"]',
    'meta[name="dc.date.issued"]',
    'meta[name="date"]',
)
JSON_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"\s*(\d{4})-\d{2}')
LEADING_YEAR = re.compile(r"^\s*(\d{4})(?:-\d{2}|\d{4}|$)")


def year_of(value: str | None, last: int = ARCHIVES_TAKEN) -> int | None:
    """The year an ISO 8601 date (or YYYYMMDD) starts with, if it lies in [FIRST_YEAR, last]."""
    m = LEADING_YEAR.match(value or "")
    year = int(m.group(1)) if m else None
    return year if year is not None and FIRST_YEAR <= year <= last else None


def published_year(tree: Any, last: int = ARCHIVES_TAKEN) -> int | None:
    """The year the page's markup says it was published (the first of PUBLISHED_META with a
    date, else a JSON-LD `datePublished`), or None; years after `last` are ignored."""
    doc = tree.document
    for selector in PUBLISHED_META:
        m = doc.query_selector(selector)
        if m is not None:
            year = year_of(m.getattr("content"), last)
            if year is not None:
                return year
    for script in doc.query_selector_all('script[type="application/ld+json"]'):
        found = JSON_LD_PUBLISHED.search(script.text or "")
        if found:
            year = year_of(found.group(1), last)
            if year is not None:
                return year
    return None

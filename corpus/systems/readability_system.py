"""readability: readability-lxml (a port of Arc90's Readability), `Document(html).summary()`.

The summary is HTML; its text is taken with lxml (`text_content` of the parsed summary).
"""

from __future__ import annotations

from typing import Any

from corpus.systems.base import Page, package_version, require


class Readability:
    """Predicts the text of readability-lxml's article summary."""

    name = "readability"
    task = "extraction"
    input = "html"
    version = package_version("readability-lxml")

    def predict(self, page: Page) -> dict[str, Any]:
        readability = require("readability")
        import lxml.html

        summary = readability.Document(page.html).summary(html_partial=True)
        text = lxml.html.fromstring(summary).text_content() if summary.strip() else ""
        return {"id": page.id, "body_text": text}

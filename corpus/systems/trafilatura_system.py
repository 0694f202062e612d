"""trafilatura: trafilatura's main-text extraction on the page's original HTML.

Comments are excluded (they are boilerplate in the gold), no deduplication, no network (the
HTML is given, nothing is fetched); the extracted text is scored through `body_text`.
"""

from __future__ import annotations

from typing import Any

from corpus.systems.base import Page, package_version, require


class Trafilatura:
    """Predicts the text `trafilatura.extract` returns for the HTML."""

    name = "trafilatura"
    task = "extraction"
    input = "html"
    version = package_version("trafilatura")

    def predict(self, page: Page) -> dict[str, Any]:
        trafilatura = require("trafilatura")
        text = trafilatura.extract(
            page.html, include_comments=False, deduplicate=False, output_format="txt"
        )
        return {"id": page.id, "body_text": text or ""}

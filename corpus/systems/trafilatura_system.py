"""trafilatura: trafilatura's main-text extraction on the page's lines given as HTML paragraphs.

Comments are excluded (they are boilerplate in the gold); the extracted text is scored through
the `body_text` alignment.
"""

from __future__ import annotations

from typing import Any

from corpus.systems.base import Page, lines_as_html


class Trafilatura:
    """Predicts the text trafilatura extracts (no comments, no deduplication)."""

    name = "trafilatura"
    task = "extraction"

    def predict(self, page: Page) -> dict[str, Any]:
        import trafilatura

        document, _ = lines_as_html(page.text)
        text = trafilatura.extract(
            document, include_comments=False, deduplicate=False, output_format="txt"
        )
        return {"id": page.id, "body_text": text or ""}

"""resiliparse: Resiliparse's main-content extraction (`extract_plain_text(main_content=True)`).

The same renderer made the corpus text, with main_content off; on, it drops what its rules
take for navigation, footers and the like.
"""

from __future__ import annotations

from typing import Any

from corpus.systems.base import Page, package_version


class ResiliparseMain:
    """Predicts the text Resiliparse keeps with main_content=True."""

    name = "resiliparse"
    task = "extraction"
    input = "html"
    version = package_version("resiliparse")

    def predict(self, page: Page) -> dict[str, Any]:
        from resiliparse.extract.html2text import extract_plain_text

        return {"id": page.id, "body_text": extract_plain_text(page.html, main_content=True)}

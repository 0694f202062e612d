"""resiliparse-full: Resiliparse's full rendering of the HTML, a keep-everything reference.

It is how the corpus text itself was made, so it scores like keep-all through the same
`body_text` alignment the other HTML systems go through.
"""

from __future__ import annotations

from typing import Any

from corpus.systems.base import Page, package_version


class ResiliparseFull:
    """Predicts the whole rendering of the HTML (the page text)."""

    name = "resiliparse-full"
    task = "extraction"
    input = "html"
    version = package_version("resiliparse")

    def predict(self, page: Page) -> dict[str, Any]:
        from resiliparse.extract.html2text import extract_plain_text

        return {"id": page.id, "body_text": extract_plain_text(page.html)}

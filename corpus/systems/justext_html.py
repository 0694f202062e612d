"""justext: jusText's paragraph classifier on the page's original HTML.

The stoplist of the page's language (the union of all stoplists where jusText has none, as
its documentation recommends); paragraphs not classified as boilerplate are the body.
"""

from __future__ import annotations

from typing import Any

from corpus.systems.base import Page, package_version
from corpus.systems.justext_system import stoplist


class JusTextHtml:
    """Predicts the text of the paragraphs jusText keeps."""

    name = "justext"
    task = "extraction"
    input = "html"
    version = package_version("jusText")

    def predict(self, page: Page) -> dict[str, Any]:
        import justext

        paragraphs = justext.justext(page.html, stoplist(page.language))
        body = "\n".join(p.text for p in paragraphs if not p.is_boilerplate)
        return {"id": page.id, "body_text": body}

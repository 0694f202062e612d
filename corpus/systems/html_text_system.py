"""html-text: the whole visible text of the HTML (Zyte's html-text), a keep-everything reference."""

from __future__ import annotations

from typing import Any

from corpus.systems.base import Page, package_version, require


class HtmlText:
    """Predicts every visible text of the page, as html-text extracts it."""

    name = "html-text"
    task = "extraction"
    input = "html"
    version = package_version("html-text")

    def predict(self, page: Page) -> dict[str, Any]:
        html_text = require("html_text")
        return {"id": page.id, "body_text": html_text.extract_text(page.html)}

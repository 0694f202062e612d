"""inscriptis: the HTML rendered to text with its layout (tables, lists), keeping everything."""

from __future__ import annotations

from typing import Any

from corpus.systems.base import Page, package_version, require


class Inscriptis:
    """Predicts inscriptis's rendering of the whole page."""

    name = "inscriptis"
    task = "extraction"
    input = "html"
    version = package_version("inscriptis")

    def predict(self, page: Page) -> dict[str, Any]:
        inscriptis = require("inscriptis")
        return {"id": page.id, "body_text": inscriptis.get_text(page.html)}

"""boilerpy3: the Python port of Boilerpipe (Kohlschütter et al. 2010), ArticleExtractor."""

from __future__ import annotations

from typing import Any

from corpus.systems.base import Page, package_version, require


class Boilerpy3:
    """Predicts the text Boilerpipe's ArticleExtractor keeps (empty if it fails on a page)."""

    name = "boilerpy3"
    task = "extraction"
    input = "html"
    version = package_version("boilerpy3")

    def predict(self, page: Page) -> dict[str, Any]:
        extractors = require("boilerpy3.extractors")
        extractor = extractors.ArticleExtractor(raise_on_failure=False)
        return {"id": page.id, "body_text": extractor.get_content(page.html) or ""}

"""goose3: Goose's article extractor, configured offline.

Image fetching is off (it downloads images by default, and hangs on a machine without
network); the HTML is given as `raw_html`, so no page is fetched either.
"""

from __future__ import annotations

import logging
from typing import Any

from corpus.systems.base import Page, package_version, require

CONFIG = {"enable_image_fetching": False, "use_meta_language": True, "http_timeout": 0.001}


class Goose3:
    """Predicts Goose's `cleaned_text` (headline not included, as Goose returns it)."""

    name = "goose3"
    task = "extraction"
    input = "html"
    version = package_version("goose3")

    def predict(self, page: Page) -> dict[str, Any]:
        goose3 = require("goose3")
        logging.getLogger("goose3").setLevel(logging.ERROR)  # "Publish date ... " per page
        with goose3.Goose(dict(CONFIG)) as goose:
            article = goose.extract(raw_html=page.html)
        return {"id": page.id, "body_text": article.cleaned_text or ""}

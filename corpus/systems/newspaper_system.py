"""newspaper4k: newspaper's article parser on the given HTML, configured offline.

The HTML is passed to `download(input_html=...)` so nothing is fetched, and image fetching
and memoization are off. The text is the article body newspaper finds (its title is not
included, as newspaper returns it).
"""

from __future__ import annotations

import warnings
from typing import Any

from corpus.systems.base import Page, package_version, require

URL = "http://localhost/"  # newspaper needs a URL; a local one, so nothing can be resolved


class Newspaper4k:
    """Predicts `Article.text` after parsing the HTML."""

    name = "newspaper4k"
    task = "extraction"
    input = "html"
    version = package_version("newspaper4k")

    def predict(self, page: Page) -> dict[str, Any]:
        with warnings.catch_warnings():  # "nltk is not installed": only its NLP features need it
            warnings.simplefilter("ignore")
            newspaper = require("newspaper")
        config = newspaper.Config()
        config.fetch_images = False
        config.memorize_articles = False
        config.disable_category_cache = True
        article = newspaper.Article(URL, config=config)
        article.download(input_html=page.html)
        article.parse()
        return {"id": page.id, "body_text": article.text or ""}

"""keep-all: the whole page is body. The recall ceiling and precision floor of extraction."""

from __future__ import annotations

from typing import Any

from corpus.systems.base import Page, own_version


class KeepAll:
    """Predicts one body span covering the whole text."""

    name = "keep-all"
    task = "extraction"
    input = "text"
    version = own_version(__file__)

    def predict(self, page: Page) -> dict[str, Any]:
        return {"id": page.id, "body_spans": [[0, len(page.text)]] if page.text else []}

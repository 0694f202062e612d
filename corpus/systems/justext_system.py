"""justext-lines: jusText's paragraph classifier on the page text, one paragraph per line.

Each non-blank line becomes an HTML paragraph (as a pipeline that only has the text would
do), with the stoplist of the page's language; lines jusText does not call boilerplate are
predicted as body spans. Languages without a jusText stoplist use the union of all stoplists,
as jusText's documentation recommends for unknown languages.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from corpus.systems.base import Page, lines_as_html, package_version

STOPLIST_NAMES = {
    "af": "Afrikaans", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech", "da": "Danish",
    "de": "German", "el": "Greek", "en": "English", "es": "Spanish", "et": "Estonian",
    "eu": "Basque", "fa": "Persian", "fi": "Finnish", "fr": "French", "ga": "Irish",
    "hr": "Croatian", "hu": "Hungarian", "id": "Indonesian", "is": "Icelandic",
    "it": "Italian", "lt": "Lithuanian", "lv": "Latvian", "nb": "Norwegian_Bokmal",
    "nl": "Dutch", "nn": "Norwegian_Nynorsk", "no": "Norwegian_Bokmal", "pl": "Polish",
    "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian",
    "sr": "Serbian", "sv": "Swedish", "tr": "Turkish", "uk": "Ukrainian", "vi": "Vietnamese",
}  # fmt: skip


@lru_cache(maxsize=64)
def stoplist(language: str) -> frozenset[str]:
    """jusText's stoplist for an ISO 639-1 code, or the union of all of them."""
    import justext

    name = STOPLIST_NAMES.get(language)
    if name in justext.get_stoplists():
        return frozenset(justext.get_stoplist(name))
    return frozenset(w for n in justext.get_stoplists() for w in justext.get_stoplist(n))


class JusTextLines:
    """Predicts the lines jusText classifies as good (or near-good) paragraphs."""

    name = "justext-lines"
    task = "extraction"
    input = "text"
    version = package_version("jusText")

    def predict(self, page: Page) -> dict[str, Any]:
        import justext

        document, spans = lines_as_html(page.text)
        if not spans:
            return {"id": page.id, "body_spans": []}
        paragraphs = justext.justext(
            document.encode("utf-8"), stoplist(page.language), encoding="utf-8"
        )
        if len(paragraphs) != len(spans):
            body = "\n".join(p.text for p in paragraphs if not p.is_boilerplate)
            return {"id": page.id, "body_text": body}
        kept = [list(s) for s, p in zip(spans, paragraphs, strict=True) if not p.is_boilerplate]
        return {"id": page.id, "body_spans": kept}

"""Seeded language detection with langdetect, so the same text always gets the same answer."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from corpus.core.model import Segment

SEED = 0


@lru_cache(maxsize=1)
def _factory() -> object:
    from langdetect import DetectorFactory
    from langdetect.detector_factory import init_factory

    DetectorFactory.seed = SEED
    init_factory()
    from langdetect import detector_factory

    return detector_factory._factory


DETECTION_CHARS = 1000


def detection_text(text: str, segments: Sequence[Segment]) -> str:
    """What language detection reads: the first 1,000 code points of the body (of the whole
    text if there is no body). The gold language is the article's; boilerplate is often
    generic or in another language, and langdetect's time grows with the text's length."""
    body = "\n".join(text[s.start : s.end] for s in segments if s.label == "body")
    return (body or text)[:DETECTION_CHARS]


def detect_language(text: str) -> tuple[str, float]:
    """Return (ISO 639-1 code, probability) of the most likely language of `text`.

    langdetect samples n-grams at random; a fixed seed per call makes the result a pure function
    of the text. Codes such as "zh-cn" are cut to their two-letter language part.
    """
    from langdetect.lang_detect_exception import LangDetectException

    factory = _factory()
    detector = factory.create()  # type: ignore[attr-defined]
    detector.seed = SEED
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return "und", 0.0
    return best.lang.split("-")[0], round(float(best.prob), 6)

"""Seeded language detection with langdetect, so the same text always gets the same answer."""

from __future__ import annotations

import re
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


HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")  # jamo and syllables


def detect_language(text: str) -> tuple[str, float]:
    """Return (ISO 639-1 code, probability) of the most likely language of `text`.

    langdetect samples n-grams at random; a fixed seed per call makes the result a pure function
    of the text. Codes such as "zh-cn" are cut to their two-letter language part. langdetect
    calls much traditional Chinese Korean (with probability 1.0: its Korean profile is full of
    Han characters); a text without a single Hangul letter is not Korean, so it is then
    detected again with Korean's prior set to zero.
    """
    best = _best(text, exclude_korean=False)
    if best[0] == "ko" and not HANGUL.search(text):
        best = _best(text, exclude_korean=True)
    return best


def _best(text: str, exclude_korean: bool) -> tuple[str, float]:
    """langdetect's most likely language of `text`, seeded; optionally never Korean."""
    from langdetect.lang_detect_exception import LangDetectException

    factory = _factory()
    detector = factory.create()  # type: ignore[attr-defined]
    detector.seed = SEED
    if exclude_korean:
        langs = factory.get_lang_list()  # type: ignore[attr-defined]
        detector.set_prior_map({lang: 0.0 if lang == "ko" else 1.0 for lang in langs})
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return "und", 0.0
    return best.lang.split("-")[0], round(float(best.prob), 6)

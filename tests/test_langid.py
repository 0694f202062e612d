"""Language detection: seeded, and never Korean for a text without Hangul."""

from __future__ import annotations

from corpus.core.langid import detect_language

# Written for this test: traditional Chinese that langdetect alone calls Korean (p = 1.0).
TRADITIONAL = "研究團隊發表報告指出，氣候變遷對農業產量造成嚴重影響，政府應儘速擬定對策。"
KOREAN = "서울시는 어제 새해 식품 검사 결과를 발표했다."


def test_traditional_chinese_is_not_korean() -> None:
    code, prob = detect_language(TRADITIONAL)
    assert code == "zh" and prob > 0.9


def test_korean_stays_korean() -> None:
    assert detect_language(KOREAN)[0] == "ko"
    assert detect_language(TRADITIONAL + " " + KOREAN)[0] == "ko"  # Hangul present: unchanged


def test_same_text_same_answer() -> None:
    assert detect_language(TRADITIONAL) == detect_language(TRADITIONAL)
    assert detect_language("") == ("und", 0.0)

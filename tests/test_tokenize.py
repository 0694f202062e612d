"""The shared tokenizer: word runs and single punctuation characters, code-point offsets."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from corpus.tokenize import is_word, tokenize, word_tokens


def texts(spans: list[tuple[int, int]], text: str) -> list[str]:
    return [text[s:e] for s, e in spans]


def test_hyphenated_compounds_and_domains_split() -> None:
    text = "Alibaba-Warenlager, Golem.de und jones1024 (@cardmapr) 112,89€"
    assert texts(tokenize(text), text) == [
        "Alibaba",
        "-",
        "Warenlager",
        ",",
        "Golem",
        ".",
        "de",
        "und",
        "jones1024",
        "(",
        "@",
        "cardmapr",
        ")",
        "112",
        ",",
        "89",
        "€",
    ]


def test_word_tokens_drop_punctuation() -> None:
    text = "Źródło: PAP / unsplash.com"
    assert texts(word_tokens(text), text) == ["Źródło", "PAP", "unsplash", "com"]
    assert is_word("Źródło") and not is_word("•")


@given(st.text())
def test_tokens_cover_every_non_space_character_once(text: str) -> None:
    spans = tokenize(text)
    covered = [i for s, e in spans for i in range(s, e)]
    assert covered == sorted(set(covered))
    assert set(covered) == {i for i, ch in enumerate(text) if not ch.isspace()}

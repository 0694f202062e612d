"""The shared tokenizer: word runs and single punctuation characters, code-point offsets."""

from __future__ import annotations

import re
import sys

from hypothesis import given
from hypothesis import strategies as st

from corpus.core.tokenize import WORD_RE, is_word, tokenize, word_strings, word_tokens


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


def test_every_code_point_is_word_space_or_neither_alike_in_re_and_str() -> None:
    """word_strings relies on re's \\w and \\s agreeing with str.isalnum/_ and str.split()."""
    word, space = re.compile(r"\w"), re.compile(r"\s")
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        assert bool(word.match(c)) == (c.isalnum() or c == "_"), hex(cp)
        assert bool(space.match(c)) == c.isspace() == (len(f"a{c}b".split()) == 2), hex(cp)


@given(st.text(max_size=80))
def test_word_strings_equal_findall(text: str) -> None:
    assert word_strings(text) == WORD_RE.findall(text)


def test_word_strings_by_hand() -> None:
    text = "Alibaba-Warenlager,\u00a0Golem.de\u2003jones1024 _x_ 2½ żółw\u0301"
    assert word_strings(text) == WORD_RE.findall(text)
    assert word_strings(text)[:3] == ["Alibaba", "Warenlager", "Golem"]


def test_han_and_kana_are_one_token_per_character() -> None:
    text = "阿里巴巴集团(Alibaba)と東京・カタカナ2023年"
    assert texts(tokenize(text), text) == [
        *"阿里巴巴集团",
        "(",
        "Alibaba",
        ")",
        *"と東京",
        "・",
        *"カタカナ",
        "2023",
        "年",
    ]
    assert texts(word_tokens(text), text) == [t for t in texts(tokenize(text), text) if is_word(t)]
    assert word_strings(text) == WORD_RE.findall(text)


@given(st.text(alphabet=st.characters(codec="utf-8")))
def test_word_strings_equal_word_re_on_any_text(text: str) -> None:
    assert word_strings(text) == WORD_RE.findall(text)

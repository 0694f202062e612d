"""The one tokenizer shared by records, validation and scoring.

A token is one Han or kana character (Chinese and Japanese are written without spaces, so each
character is a token), a maximal run of other word characters (`\\w`, Unicode-aware), or a
single character that is neither a word character nor white space (punctuation, symbols).
"Alibaba-Warenlager" is three tokens (`Alibaba`, `-`, `Warenlager`); "Golem.de" is three;
"jones1024" is one; "阿里巴巴" is four. Word tokens are the tokens that start with a word
character; extraction scoring counts only those.
"""

from __future__ import annotations

import re

# Han (CJK unified ideographs, extensions A to H, compatibility ideographs, 々 and 〇), hiragana,
# katakana (full and half width): one token per character. Only the word characters of these
# blocks (the lookahead): the katakana middle dot is punctuation, as everywhere else.
CJK = (
    "\u3005\u3007\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\uff66-\uff9f\U00020000-\U0003134f"
)
_CJK_WORD = rf"(?=\w)[{CJK}]"
TOKEN_RE = re.compile(rf"{_CJK_WORD}|[^\W{CJK}]+|[^\w\s]")
WORD_START_RE = re.compile(r"\w")

# A token's (start, end) code-point offsets.
Offsets = tuple[int, int]


def tokenize(text: str) -> list[Offsets]:
    """Return the (start, end) code-point offsets of every token of `text`, in order."""
    return [m.span() for m in TOKEN_RE.finditer(text)]


def is_word(token_text: str) -> bool:
    """True for a word token (letters, digits, underscore), False for punctuation and symbols."""
    return WORD_START_RE.match(token_text) is not None


WORD_RE = re.compile(rf"{_CJK_WORD}|[^\W{CJK}]+")


def word_tokens(text: str) -> list[Offsets]:
    """The spans of the word tokens of `text` (the units of extraction scoring).

    A token of TOKEN_RE that starts with a word character is one Han/kana character or a
    maximal run of other word characters, so this is the same as filtering tokenize() with
    is_word, in one regex pass.
    """
    return [m.span() for m in WORD_RE.finditer(text)]


_NOT_WORD_OR_SPACE_RE = re.compile(r"[^\w\s]")
_CJK_RE = re.compile(_CJK_WORD)


def word_strings(text: str) -> list[str]:
    """The strings of the word tokens of `text`: WORD_RE.findall(text), twice as fast.

    Every character is a word character, white space, or neither; turning the third kind
    into spaces (and putting spaces around each Han/kana character) leaves the words as the runs
    that str.split() returns (re's `\\s` and str.split() use the same Unicode white space,
    checked for every code point by a test).
    """
    text = _NOT_WORD_OR_SPACE_RE.sub(" ", text)
    if _CJK_RE.search(text):
        text = _CJK_RE.sub(r" \g<0> ", text)
    return text.split()


def has_cjk(text: str) -> bool:
    """True if `text` has a Han or kana word character (tokenized one character a token)."""
    return _CJK_RE.search(text) is not None

"""Normalization: strict UTF-8, BOM, line ends, NFC; everything else kept."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus.core.normalize import NormalizationError, normalize_bytes, normalize_text


def test_bom_is_stripped() -> None:
    assert normalize_bytes(b"\xef\xbb\xbfabc") == "abc"


def test_crlf_and_cr_become_lf() -> None:
    assert normalize_bytes(b"a\r\nb\rc\n") == "a\nb\nc\n"


def test_nfc_composes() -> None:
    assert normalize_bytes("Lu\u0308ttich".encode()) == "Lüttich"


def test_boilerplate_evidence_is_kept() -> None:
    raw = "  • ohne\u00a0Werbung\t\n\n\n".encode()
    assert normalize_bytes(raw) == "  • ohne\u00a0Werbung\t\n\n\n"


def test_invalid_utf8_names_the_byte_offset() -> None:
    with pytest.raises(NormalizationError) as err:
        normalize_bytes(b"abc\xffdef")
    assert err.value.byte_offset == 3
    assert "byte 3" in str(err.value) and "0xff" in str(err.value)


def test_invalid_utf8_offset_counts_the_bom() -> None:
    with pytest.raises(NormalizationError) as err:
        normalize_bytes(b"\xef\xbb\xbfab\xc3")
    assert err.value.byte_offset == 5


@given(st.text())
def test_normalized_text_is_a_fixed_point(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert normalize_bytes(once.encode("utf-8")) == once


@given(st.text())
def test_normalized_text_has_no_cr_and_is_nfc(text: str) -> None:
    out = normalize_bytes(text.encode("utf-8"))
    assert "\r" not in out
    assert unicodedata.is_normalized("NFC", out)


@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\ufeff"))
)
def test_nfc_text_without_cr_is_unchanged(text: str) -> None:
    nfc = unicodedata.normalize("NFC", text)
    assert normalize_bytes(nfc.encode("utf-8")) == nfc


@given(st.binary())
def test_any_bytes_either_normalize_or_fail_with_an_offset(data: bytes) -> None:
    try:
        normalize_bytes(data)
    except NormalizationError as err:
        assert 0 <= err.byte_offset < len(data)

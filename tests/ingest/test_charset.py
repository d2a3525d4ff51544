"""Arabic pages in the charsets publishers use, declared rightly, wrongly or not at all."""

from __future__ import annotations

import codecs

import pytest

from marsad.ingest.charset import UndecodableError, decode

TEXT = "أعلنت وزارة الصحة السعودية اليوم عن تسجيل حالات جديدة، وقالت إن الوضع مستقر."


def _page(charset: str) -> str:
    return f'<html><head><meta charset="{charset}"></head><body><p>{TEXT}</p></body></html>'


@pytest.mark.parametrize(
    ("encoding", "content_type"),
    [
        ("utf-8", "text/html; charset=utf-8"),
        ("utf-8", "text/html; charset=windows-1256"),  # declared wrong
        ("utf-8", "text/html; charset=iso-8859-1"),  # declared wrong
        ("windows-1256", "text/html; charset=windows-1256"),
        ("windows-1256", "text/html; charset=utf-8"),  # declared wrong
        ("windows-1256", "text/html"),  # only the meta tag says
        ("iso-8859-6", "text/html; charset=iso-8859-6"),
        ("iso-8859-6", "text/html"),
        ("iso-8859-6", "text/html; charset=windows-1256"),  # declared wrong
    ],
)
def test_arabic_text_comes_out_right(encoding: str, content_type: str) -> None:
    body = _page(encoding).encode(encoding)
    decoded = decode(body, content_type)
    assert TEXT in decoded.text
    assert codecs.lookup(decoded.encoding).name == codecs.lookup(encoding).name


def test_windows_1256_page_is_read_as_windows_1256_not_iso_8859_6() -> None:
    decoded = decode(_page("windows-1256").encode("windows-1256"), None)
    assert codecs.lookup(decoded.encoding).name == "cp1256"


def test_binary_noise_is_undecodable() -> None:
    with pytest.raises(UndecodableError):
        decode(bytes(range(256)) * 20, "text/html")

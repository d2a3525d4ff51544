"""Display and matching forms: a table of normalization cases, and the seed page's keyword line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from marsad.arabic import display_form, matching_form

TABLE = Path(__file__).resolve().parent.parent / "fixtures" / "arabic" / "normalization.tsv"
_ESCAPES = {"\\t": "\t", "\\n": "\n", "\\r": "\r"}


def _unescape(field: str) -> str:
    field = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), field)
    for escape, char in _ESCAPES.items():
        field = field.replace(escape, char)
    return field


def _cases() -> list[tuple[str, str, str, str]]:
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        source, display, matching, why = line.split("\t")
        rows.append((_unescape(source), _unescape(display), _unescape(matching), why))
    return rows


@pytest.mark.parametrize(("source", "display", "matching", "why"), _cases())
def test_normalization_table(source: str, display: str, matching: str, why: str) -> None:
    if display != "-":
        assert display_form(source) == display, why
    if matching != "-":
        assert matching_form(source) == matching, why


def test_table_is_not_trivial() -> None:
    assert len(_cases()) >= 12


def test_seed_keyword_line_persian_letters_fold(shared_dir: Path) -> None:
    page = (shared_dir / "seed" / "000_5d2495303a5d3d26.txt").read_text(encoding="utf-8")
    line = next(line for line in page.splitlines() if line.startswith("كلمات دلالية:"))
    assert "ی" in line  # the counter-example really carries Persian yeh
    folded = matching_form(line)
    assert "ی" not in folded
    assert "الولايات المتحده" in folded
    assert "في المنطقه" in folded
    # The display form keeps what the publisher wrote.
    assert "ی" in display_form(line)


def test_diacritized_text_matches_bare_text() -> None:
    voweled = "وَقْفُ إِطْلَاقِ النَّارِ فِي قِطَاعِ غَزَّةَ"
    bare = "وقف اطلاق النار في قطاع غزه"
    assert matching_form(voweled) == bare
    assert display_form(voweled) == voweled

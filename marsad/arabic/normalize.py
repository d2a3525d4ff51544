"""Two forms of every text: the display form readers see and the matching form machines compare."""

from __future__ import annotations

import re
import unicodedata

# Invisible characters that publishers' CMSs leak into text: zero-width and bidi controls, BOM.
_INVISIBLE = (
    "\u200b\u200c\u200d\u200e\u200f"  # zero-width space/non-joiner/joiner, LRM, RLM
    "\u202a\u202b\u202c\u202d\u202e"  # bidi embeddings and overrides
    "\u2066\u2067\u2068\u2069"  # bidi isolates
    "\u061c\ufeff\u00ad\u2060"  # Arabic letter mark, BOM, soft hyphen, word joiner
)
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
# What no text may carry into the store: NUL (PostgreSQL refuses it), the other C0 and C1
# controls but tab and newlines, lone surrogates (not encodable as UTF-8) and noncharacters.
_UNSAFE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_TATWEEL = "\u0640"
# A tatweel run inside a word is decoration; one kept tatweel still stretches the word visibly.
_TATWEEL_RUN_RE = re.compile(f"{_TATWEEL}{{2,}}")
# The spaces collapsed to one " ": tab, no-break, en quad to hair space, narrow no-break,
# medium mathematical and ideographic space.
_SPACES = " \t\u00a0" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
_BLANK_LINES_RE = re.compile(r"\n\s*\n+")

# Harakat, tanwin, shadda, sukun, superscript alef, Quranic marks.
_DIACRITICS_RE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u08d3-\u08ff]")

# Letter folding for matching: alef variants, alef maqsura, ta marbuta, Persian and Urdu letters.
_LETTER_MAP = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ى": "ي",
        "ی": "ي",  # Persian yeh
        "ې": "ي",
        "ۍ": "ي",
        "ێ": "ي",
        "ے": "ي",  # Urdu yeh barree
        "ة": "ه",
        "ۀ": "ه",  # Persian heh with yeh
        "ە": "ه",
        "ہ": "ه",  # Urdu heh goal
        "ھ": "ه",  # heh doachashmee
        "ۃ": "ه",
        "ک": "ك",  # Persian keheh
        "ڪ": "ك",
        "گ": "ك",
        "ٶ": "ؤ",
        "ٸ": "ئ",
        _TATWEEL: None,
    }
)
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_FOLDS: tuple[tuple[str, str], ...] = tuple(
    (chr(code), target if isinstance(target, str) else "" if target is None else chr(target))
    for table in (_LETTER_MAP, _DIGITS)
    for code, target in table.items()
)


def remove_unsafe(text: str) -> str:
    """The text without NUL, control characters, lone surrogates and noncharacters."""
    return _UNSAFE_RE.sub("", text)


def display_form(text: str) -> str:
    """Return text as a reader should see it: NFC, invisible controls and tatweel runs removed."""
    text = unicodedata.normalize("NFC", remove_unsafe(text))
    text = _INVISIBLE_RE.sub("", text)
    if _TATWEEL * 2 in text:  # seldom: the plain search is much faster than the regex's
        text = _TATWEEL_RUN_RE.sub(_TATWEEL, text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # _SPACES holds no newline, so one pass over the text does what one per line did.
    lines = [line.strip() for line in _collapse_spaces(text).split("\n")]
    text = "\n".join(lines).strip()
    return _BLANK_LINES_RE.sub("\n\n", text)


def _collapse_spaces(text: str) -> str:
    """Every run of _SPACES (tabs, no-break and typographic spaces too) as one " ".

    A regex replacing each run rewrote every one of an article's hundreds of single spaces,
    most of display_form's time; C-speed searches and replaces of what is there (halving
    runs of two or more) give the same text several times faster."""
    for space in _SPACES[1:]:
        if space in text:
            text = text.replace(space, " ")
    while "  " in text:
        text = text.replace("  ", " ")
    return text


def fold_letters(text: str) -> str:
    """Fold letter variants (alef, yeh, teh marbuta, Persian/Urdu letters) and digits to one form."""
    # str.translate walks a dict per character on non-ASCII text; a few C-speed replaces of
    # the letters actually present are an order of magnitude faster on article-length text.
    for source, target in _FOLDS:
        if source in text:
            text = text.replace(source, target)
    return text


def strip_diacritics(text: str) -> str:
    """Remove harakat, tanwin, shadda, sukun and Quranic marks."""
    return _DIACRITICS_RE.sub("", text)


def matching_form(text: str) -> str:
    """Return the form used for search, dedupe and clustering; never shown to readers."""
    text = unicodedata.normalize("NFKC", remove_unsafe(text))
    text = _INVISIBLE_RE.sub("", text)
    text = strip_diacritics(text)
    text = fold_letters(text)
    text = _collapse_spaces(text)
    return text.lower().strip()

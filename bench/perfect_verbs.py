"""Masculine perfect verbs of the news ("هبط", "أظهر", "انتقل") gathered from the corpus.

    .venv/bin/python bench/perfect_verbs.py [--shared ../shared] > /tmp/perfects.txt

A perfect verb has no person prefix, so the shape rules of `marsad.arabic.verbs` cannot see it.
The corpus can: a word is listed when it is written bare often, almost never with the article
(a noun such as "العمل" is), and the corpus also shows its imperfect ("يهبط", "يظهر",
"ينتقل") and its feminine perfect ("هبطت"). Days read: all but 2015-07-22 (read for the first
verb list) and 2015-08-11 (held out of keyphrase tuning). The words printed are added to
`marsad/arabic/data/news_verbs.txt` after reading them; nouns found there go to not_verbs.txt.
"""

from __future__ import annotations

import argparse
import json
import re
import zipfile
from collections import Counter
from pathlib import Path

from marsad.arabic.normalize import matching_form

REPO = Path(__file__).resolve().parent.parent
SKIPPED = ("2015-07-22", "2015-08-11")
_WORD_RE = re.compile(r"[\u0621-\u064a]+")
_MIN_BARE = 8
_MAX_ARTICLE_SHARE = 0.03
_MIN_EVIDENCE = 3


def word_counts(shared: Path) -> Counter[str]:
    """Matching-form words of the corpus days read, counted over titles and texts."""
    counts: Counter[str] = Counter()
    for path in sorted((shared / "corpus" / "saudinewsnet").glob("*.zip")):
        if path.stem in SKIPPED:
            continue
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                for item in json.loads(archive.read(member)):
                    text = f"{item.get('title') or ''}\n{item.get('content') or ''}"
                    counts.update(_WORD_RE.findall(matching_form(text)))
    return counts


def imperfect(word: str) -> str:
    """The third-person imperfect a perfect would have: هبط → يهبط, اظهر → يظهر, انتقل → ينتقل."""
    if word.startswith("است"):
        return "يست" + word[3:]
    if word.startswith("ا") and len(word) >= 4:
        return "ي" + word[1:]
    return "ي" + word


def perfects(counts: Counter[str]) -> list[str]:
    """The words that read as masculine perfect verbs, commonest first."""
    found = []
    for word, bare in counts.items():
        if not 3 <= len(word) <= 6 or bare < _MIN_BARE or word.endswith(("ة", "ه", "ات", "ي")):
            continue
        if counts["ال" + word] + counts["وال" + word] > _MAX_ARTICLE_SHARE * bare:
            continue
        if counts[imperfect(word)] < _MIN_EVIDENCE or counts[word + "ت"] < _MIN_EVIDENCE:
            continue
        found.append(word)
    return sorted(found, key=lambda w: (-counts[w], w))


def main() -> None:
    """Print the masculine perfects found, one a line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = parser.parse_args()
    for word in perfects(word_counts(args.shared)):
        print(word)


if __name__ == "__main__":
    main()

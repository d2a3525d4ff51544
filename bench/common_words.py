"""Words common on every day and in every paper, for marsad/arabic/data/common_words.txt.

    .venv/bin/python bench/common_words.py [--shared ../shared] > marsad/arabic/data/common_words.txt

A word alone is seldom an editor's tag when the news uses it everywhere ("الشباب", "الطعام",
"المقابلة", "تراجع"): the extractor scores a single-word candidate in this list lower (names
and places of CLDR keep their score). Listed: the matching-form words (clitics and article
peeled, as candidates are keyed) held by at least 1% of the articles of the corpus days read,
on every one of those days and in all papers but at most one. Days read: all but 2015-08-11,
the day held out of keyphrase tuning. Only words are written, no text.
"""

from __future__ import annotations

import argparse
import json
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from marsad.arabic.tokenize import tokens

REPO = Path(__file__).resolve().parent.parent
HELD_OUT = "2015-08-11"
MIN_SHARE = 0.01


def tuning_days(shared: Path) -> list[Path]:
    """The corpus day files read to build a word list: every day but the one held out."""
    days = sorted((shared / "corpus" / "saudinewsnet").glob("*.zip"))
    return [p for p in days if p.stem != HELD_OUT]


def day_records(path: Path) -> Iterator[dict[str, Any]]:
    """The raw records of one corpus day file."""
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            yield from json.loads(archive.read(member))


def record_text(item: dict[str, Any]) -> str:
    """A raw record's title and text, as the word lists read them."""
    return f"{item.get('title') or ''}\n{item.get('content') or ''}"


def common_words(shared: Path) -> list[str]:
    """The words common on every day read and in (nearly) every source, commonest first."""
    documents: Counter[str] = Counter()
    sources: dict[str, set[str]] = {}
    days: dict[str, set[str]] = {}
    articles = 0
    all_sources: set[str] = set()
    paths = tuning_days(shared)
    for path in paths:
        for item in day_records(path):
            articles += 1
            source = item.get("source") or ""
            all_sources.add(source)
            text = record_text(item)
            words = {t.match for t in tokens(text) if t.kind == "arabic"}
            documents.update(words)
            for word in words:
                sources.setdefault(word, set()).add(source)
                days.setdefault(word, set()).add(path.stem)
    return [
        word
        for word, n in documents.most_common()
        if n >= MIN_SHARE * articles
        and len(sources[word]) >= len(all_sources) - 1
        and len(days[word]) == len(paths)
    ]


def main() -> None:
    """Print the data file: a header, then one word a line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = parser.parse_args()
    print(
        "# Words common on every corpus day and in every paper: printed by bench/common_words.py."
    )
    print("# A single-word tag in this list scores lower (marsad.enrich.keyphrases).")
    for word in common_words(args.shared):
        print(word)


if __name__ == "__main__":
    main()

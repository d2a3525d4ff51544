"""Given names as the corpus writes them in a full name, for marsad/arabic/data/first_names.txt.

    .venv/bin/python bench/first_names.py [--shared ../shared] > marsad/arabic/data/first_names.txt

Many given names are everyday words too ("سعيد", "سعد", "راشد", "خالد") and sit in
common_words.txt; what shows them as names is the genealogy the news writes: "سعيد بن سعد",
"محمد بن سلمان بن عبدالعزيز". Listed: the matching-form words with no clitic or article that
stand right before "بن" in at least MIN_ARTICLES articles (no verb, stopword or conjunction
left on a name). Days read: all but 2015-08-11, the
day held out of keyphrase tuning. Only words are written, no text.
"""

from __future__ import annotations

import argparse
from collections import Counter
from itertools import pairwise
from pathlib import Path

from common_words import day_records, record_text, tuning_days

from marsad.arabic import is_stopword
from marsad.arabic.normalize import display_form
from marsad.arabic.tokenize import tokens
from marsad.arabic.verbs import is_verb

REPO = Path(__file__).resolve().parent.parent
MIN_ARTICLES = 3


def first_names(shared: Path) -> list[str]:
    """Words written before "بن", most articles first."""
    counts: Counter[str] = Counter()
    for path in tuning_days(shared):
        for item in day_records(path):
            shown = display_form(record_text(item))
            found = [t for t in tokens(shown) if t.kind == "arabic"]
            counts.update(
                {
                    name.match
                    for name, following in pairwise(found)
                    if following.match == "بن"
                    and following.prefix == ""
                    and name.prefix == ""
                    and len(name.match) >= 2
                    and shown[name.end : following.start] == " "
                }
            )
    kept = [word for word, count in counts.most_common() if count >= MIN_ARTICLES]
    # "عبد الله بن", "وخالد بن", "قال بن": the connector's second word, a conjunction left on
    # a name listed already, a verb or a stopword are no given names.
    return [
        word
        for word in kept
        if word != "الله"
        and not (word.startswith("و") and word[1:] in kept)
        and not is_verb(word)
        and not is_stopword(word)
    ]


def main() -> None:
    """Print the word list, one a line, under a comment saying how it was made."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = parser.parse_args()
    print("# Given names the corpus writes before «بن» («سعيد بن سعد»): printed by")
    print("# bench/first_names.py.")
    for word in first_names(args.shared):
        print(word)


if __name__ == "__main__":
    main()

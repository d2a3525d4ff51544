"""Place names the corpus itself shows after a place's head, for
marsad/arabic/data/corpus_places.txt.

    .venv/bin/python bench/corpus_places.py [--shared ../shared] > marsad/arabic/data/corpus_places.txt

CLDR (babel) knows countries and the time-zone cities, not "جدة", "الدمام", "الخرج" or
"حلب". The news names them after a head: "محافظة الخرج", "مدينة جدة", "بمدينة حلب", "إمارة
أبوظبي". Listed: the matching-form word (article peeled, as candidates are keyed) that follows a
head of place_heads.txt (a city, province, region, emirate or state; not a mosque, airport or
mountain) in at least MIN_ARTICLES articles, and after a head in at least a tenth of the articles
that write it with no clitic but the article, and not mostly (two in three) the first word of a two-word name
("حفر" of "حفر الباطن", "سان" of "سان فرانسيسكو"). Days read: all but 2015-08-11, the day held out of
keyphrase tuning. Only words are written, no text.
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path

from common_words import day_records, record_text, tuning_days

from marsad.arabic.normalize import display_form
from marsad.arabic.stopwords import stopword_set
from marsad.arabic.tokenize import Token, tokens

REPO = Path(__file__).resolve().parent.parent
MIN_ARTICLES = 3
SHARE = 10  # after a head in at least one article in SHARE of those writing it
# Not "منطقة": "منطقة الجزاء", "منطقة اليورو" are no places.
STATES = frozenset({"دوله", "مملكه"})  # "دولة الإمارات", "مملكة البحرين"
HEADS = frozenset({"محافظه", "مدينه", "اماره", "ولايه", "عاصمه", "بلده", "قريه"}) | STATES


def corpus_places(shared: Path) -> list[str]:
    """Words the corpus writes after a place's head, most articles first."""
    after: Counter[str] = Counter()
    alone: Counter[str] = Counter()
    second: defaultdict[str, Counter[str]] = defaultdict(Counter)
    capitals: Counter[str] = Counter()
    for path in tuning_days(shared):
        for item in day_records(path):
            shown = display_form(record_text(item))
            found = [t for t in tokens(shown) if t.kind == "arabic"]
            headed = set()
            plain = set()
            for k, (previous, token) in enumerate(pairwise(found)):
                if token.prefix in ("", "ال"):
                    plain.add(token.match)
                    if (
                        previous.match in HEADS
                        and not previous.prefix.endswith("ال")  # "المدينة المنورة"
                        and shown[previous.end : token.start] == " "
                        and not token.match.endswith(("ها", "هم"))  # "وأهاليها"
                        and not (  # "دولة الخلافة", "دولة العلويين": no countries
                            previous.match in STATES and token.match.endswith(("ه", "ين", "ون"))
                        )
                    ):
                        headed.add(token.match)
                        following = found[k + 2] if k + 2 < len(found) else None
                        if (
                            following
                            and shown[token.end : following.start] == " "
                            and not following.match.endswith(("ي", "يه"))  # "التركية"
                        ):
                            second[token.match][following.match] += 1
            after.update(headed)
            alone.update(plain)
            named = _capitals(shown, found)
            capitals.update(word for word, _ in named)
            for word, following in named:
                if following:
                    second[word][following] += 1
    words = [
        word
        for word, count in after.most_common()
        if count >= MIN_ARTICLES
        and SHARE * count >= alone[word]
        and len(word) >= 3
        and not _first_part(second[word], count)
    ]
    stopwords = stopword_set()
    known = set(words)
    words += [
        word
        for word, count in capitals.most_common()
        if count >= MIN_ARTICLES
        and word not in known
        and word not in stopwords
        and len(word) >= 3
        and not word.endswith("وا")
        and not _first_part(second[word], count)
    ]
    return words


def _capitals(shown: str, found: list[Token]) -> set[tuple[str, str]]:
    """The words one article writes after "العاصمة" and a relative adjective, as a capital's
    name ("العاصمة البريطانية لندن": the adjective definite, the name bare), each with the
    word right after it ("أديس أبابا"), if any."""
    named = set()
    for k, (head, adjective, token) in enumerate(zip(found, found[1:], found[2:], strict=False)):
        if (
            head.match == "عاصمه"
            and adjective.prefix.endswith("ال")
            and adjective.match.endswith("يه")
            and token.prefix == ""
            and shown[head.end : adjective.start] == " "
            and shown[adjective.end : token.start] == " "
        ):
            following = found[k + 3] if k + 3 < len(found) else None
            joined = following is not None and shown[token.end : following.start] == " "
            named.add((token.match, following.match if joined else ""))
    return named


def _first_part(following: Counter[str], count: int) -> bool:
    """Whether the word mostly opens a two-word name ("حفر الباطن", "سان فرانسيسكو")."""
    return bool(following) and 3 * following.most_common(1)[0][1] >= 2 * count


def main() -> None:
    """Print the word list, one a line, under a comment saying how it was made."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = parser.parse_args()
    print("# Place names the corpus writes after a city's, province's or region's head")
    print("# («محافظة الخرج», «مدينة جدة»), then capitals after «العاصمة» and an adjective")
    print("# («العاصمة الأمريكية واشنطن»): printed by bench/corpus_places.py.")
    for word in corpus_places(args.shared):
        print(word)


if __name__ == "__main__":
    main()

"""How the gold articles were picked: seed 13, 150+ words, 40 from the tuning days and 10 from
the held-out day. Prints (day, index in the day's file, url) as JSON.

    .venv/bin/python bench/gold/sample.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import json
import random
import zipfile
from pathlib import Path

HELD_OUT = "2015-08-11"
SEED = 13
MIN_WORDS = 150


def load(corpus: Path, day: str) -> list[dict]:
    """The records of one corpus day."""
    with zipfile.ZipFile(corpus / f"{day}.zip") as archive:
        return json.loads(archive.read(archive.namelist()[0]))


def main() -> None:
    """Draw the sample and print it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).parents[3] / "shared")
    args = parser.parse_args()
    corpus = args.shared / "corpus" / "saudinewsnet"
    rng = random.Random(SEED)
    days = sorted(p.stem for p in corpus.glob("*.zip"))

    def long_enough(day: str) -> list[tuple[str, int, str]]:
        return [
            (day, i, a["url"])
            for i, a in enumerate(load(corpus, day))
            if len((a.get("content") or "").split()) >= MIN_WORDS
        ]

    pool = [item for day in days if day != HELD_OUT for item in long_enough(day)]
    picked = rng.sample(pool, 40) + rng.sample(long_enough(HELD_OUT), 10)
    print(json.dumps(picked, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()

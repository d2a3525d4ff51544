"""Keyphrase output before and after a speed change: every tag of every article of two corpus days.

    .venv/bin/python bench/keyphrases_same.py --dump /tmp/tags_before.json [--shared ../shared]
    .venv/bin/python bench/keyphrases_same.py --compare /tmp/tags_before.json

For each article of the days (SaudiNewsNet, default 2015-07-21 and 2015-08-03) the tags as the
pipeline extracts them (the article alone, its source's name, top 10) and the tags with document
frequencies of the first day (as `marsad keyphrases --df` and the AKEC bench use them): display
form, kind and score of each, in order. --dump writes them to a JSON file (keyed by day and URL,
no article text); --compare extracts them again and lists every article whose tags differ, with
exit status 1 if any does. Also printed: CPU milliseconds per article of each pass.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import zipfile
from pathlib import Path

from marsad.enrich.keyphrases import DocumentFrequencies, extract_tags
from marsad.ingest.importers import source_names

REPO = Path(__file__).resolve().parent.parent
DAYS = ("2015-07-21", "2015-08-03")


def read_day(shared: Path, day: str) -> list[dict]:
    """The records of one SaudiNewsNet day."""
    with zipfile.ZipFile(shared / "corpus" / "saudinewsnet" / f"{day}.zip") as archive:
        return json.loads(archive.read(archive.namelist()[0]))


def all_tags(shared: Path, days: list[str]) -> tuple[dict[str, list], dict[str, float]]:
    """Tags per "pass|day|url" (each tag [display, kind, score]) and CPU ms per article per pass."""
    names = source_names()
    records = {day: read_day(shared, day) for day in days}
    df = DocumentFrequencies()
    for item in records[days[0]]:
        df.add(item.get("title") or "", item.get("content") or "")
    extract_tags("", "تهيئة القوائم")  # word lists and CLDR names load once, not timed
    out: dict[str, list] = {}
    times: dict[str, float] = {}
    for label, frequencies in (("pipeline", None), ("df", df)):
        start, count = time.process_time(), 0
        for day in days:
            for k, item in enumerate(records[day]):
                tags = extract_tags(
                    item.get("title") or "",
                    item.get("content") or "",
                    top=10,
                    df=frequencies,
                    source=names.get(item.get("source") or "") if frequencies is None else None,
                )
                out[f"{label}|{day}|{k}|{item.get('url')}"] = [
                    [t.display, t.kind, t.score] for t in tags
                ]
                count += 1
        times[label] = 1000 * (time.process_time() - start) / max(count, 1)
    return out, times


def main() -> None:
    """Dump the tags, or compare them with a dump."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--days", nargs=2, default=list(DAYS))
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--dump", type=Path)
    group.add_argument("--compare", type=Path)
    args = parser.parse_args()
    tags, times = all_tags(args.shared, args.days)
    print(", ".join(f"{label}: {ms:.2f} ms CPU per article" for label, ms in times.items()))
    if args.dump:
        args.dump.write_text(json.dumps(tags, ensure_ascii=False), encoding="utf-8")
        print(f"{len(tags)} articles' tags written to {args.dump}")
        return
    before = json.loads(args.compare.read_text(encoding="utf-8"))
    differ = [key for key in before.keys() | tags.keys() if before.get(key) != tags.get(key)]
    for key in sorted(differ)[:20]:
        print(key, "\n  before:", before.get(key), "\n  after: ", tags.get(key))
    print(f"{len(tags)} articles compared, {len(differ)} differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()

"""Related links judged by reading: how many of an article's first five a reader would click.

    .venv/bin/python bench/related_gold.py [--shared ../shared]      # the figures
    .venv/bin/python bench/related_gold.py sheet --day 2015-08-02    # what is still unjudged
    .venv/bin/python bench/related_gold.py add --day 2015-08-02 --labels FILE
    .venv/bin/python bench/related_gold.py draw --day 2015-08-02 --split dev --seeds 14

For each gold day (bench/gold/related_<day>.json, made as bench/gold/RELATED.md says) the day
is enriched alone, in publish order, by marsad's `Enricher` (older articles' lists updated as
new ones arrive), and each drawn article's first five related links as the page shows them
(the «اقرأ أيضًا» read-also first, then «مقالات مشابهة») are looked up in the judgments. The
same is done for a plain baseline in the same run: the five nearest same-day articles by
TF-IDF cosine (scikit-learn, sublinear tf, title + text in matching form).

Printed for each day and system: the share of judged first-five links relevant, how many were
unjudged (pool them with `sheet`), the links shown per drawn article and per 60+ word article
of the day (mean, share with none), and copies among the first five (judged copies, or word
3-shingles half shared with the article: must be 0).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from shingle_pairs import load_days, shingle_set
from sklearn.feature_extraction.text import TfidfVectorizer

from marsad.enrich.enricher import Enricher, EnrichSettings
from marsad.enrich.related import RelatedParams
from marsad.ingest.cleaning import is_brief
from marsad.models import Article

GOLD = Path(__file__).resolve().parent / "gold"
FIRST = 5
MIN_WORDS = 60
COPY_SHARE = 0.5


@dataclass
class Day:
    """One corpus day enriched: its articles, marsad's lists and the baseline's."""

    name: str
    articles: list[Article]
    marsad: list[list[int]]
    baseline: list[list[int]]

    def index(self) -> dict[str, int]:
        """Article index by URL."""
        return {a.url: i for i, a in enumerate(self.articles)}


def day_names(shared: Path) -> list[str]:
    """The corpus day names, sorted."""
    return sorted(p.stem for p in (shared / "corpus" / "saudinewsnet").glob("*.zip"))


def enrich_day(shared: Path, name: str, overrides: Sequence[str] = ()) -> Day:
    """Enrich one day alone in publish order; each article's final related list (the
    related parameters changed by `name=value` overrides, for tuning)."""
    # Marked as the import's cleaning marks them: a caption or a headline alone is a brief.
    articles = [
        replace(a, brief=is_brief(a.text))
        for a in load_days(shared, 1, day_names(shared).index(name))[0]
    ]
    given = dict(o.split("=") for o in overrides)
    params = RelatedParams(**{k: (int(v) if v.isdigit() else float(v)) for k, v in given.items()})
    lists = Enricher(EnrichSettings(related=params)).related_lists(articles)
    return Day(name, articles, lists, tfidf_neighbours(articles))


def tfidf_neighbours(articles: Sequence[Article]) -> list[list[int]]:
    """The baseline: each article's five nearest others by TF-IDF cosine, best first."""
    matrix = TfidfVectorizer(sublinear_tf=True).fit_transform(
        [f"{a.match_title} {a.match_text}" for a in articles]
    )
    out: list[list[int]] = []
    for first in range(0, matrix.shape[0], 500):
        sims = (matrix[first : first + 500] @ matrix.T).toarray()
        for row, i in enumerate(range(first, min(first + 500, matrix.shape[0]))):
            sims[row, i] = -1.0
            order = np.argsort(-sims[row], kind="stable")[:FIRST]
            out.append([int(j) for j in order if sims[row, j] > 0])
    return out


def eligible(articles: Sequence[Article]) -> list[int]:
    """Articles of 60+ words that are not briefs (they get related lists)."""
    return [i for i, a in enumerate(articles) if len(a.text.split()) >= MIN_WORDS and not a.brief]


def load_gold(name: str) -> dict:
    """One day's gold file."""
    return json.loads((GOLD / f"related_{name}.json").read_text(encoding="utf-8"))


def save_gold(gold: dict) -> None:
    """Write one day's gold file (URLs and labels only)."""
    gold["judgments"].sort(key=lambda j: (j["article"], j["link"]))
    path = GOLD / f"related_{gold['day']}.json"
    path.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def is_copy(a: Article, b: Article) -> bool:
    """Two texts that are mostly the same words in the same order: half the word 3-shingles of
    the shorter are in the longer (a wire copy cut short is still a copy)."""
    x, y = shingle_set(a.match_text), shingle_set(b.match_text)
    return bool(x and y) and len(x & y) / min(len(x), len(y)) >= COPY_SHARE


def report(day: Day, gold: dict, system: str, show: bool = False) -> str:
    """One row of figures for one system on one day."""
    index = day.index()
    lists = day.marsad if system == "marsad" else day.baseline
    judged = {(j["article"], j["link"]): j for j in gold["judgments"]}
    seeds = [index[u] for u in gold["articles"]]
    relevant = total = unjudged = copies = 0
    for s in seeds:
        for link in lists[s][:FIRST]:
            found = judged.get((day.articles[s].url, day.articles[link].url))
            if found is None:
                unjudged += 1
            else:
                total += 1
                relevant += found["relevant"]
            if (found and found.get("copy")) or is_copy(day.articles[s], day.articles[link]):
                copies += 1
            if show and (found is None or not found["relevant"]):
                mark = "?" if found is None else "0"
                print(f"  {mark} {day.articles[s].title[:50]} -> {day.articles[link].title[:60]}")
    shown = [min(len(lists[s]), FIRST) for s in seeds]
    every = eligible(day.articles)
    listed = [len(lists[i]) for i in every]
    share = relevant / total if total else float("nan")
    return (
        f"| {day.name} {gold['split']} | {system} | {relevant}/{total} = {share:.0%} | {unjudged} "
        f"| {np.mean(shown):.1f} ({sum(n == 0 for n in shown)} none) "
        f"| {np.mean(listed):.1f} ({np.mean([n == 0 for n in listed]):.1%} none) | {copies} |"
    )


def score(args: argparse.Namespace) -> int:
    """Print the figures of every gold day."""
    print(
        "| day | system | first-five relevant | unjudged | shown per drawn article "
        "| list per 60+ word article | copies |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for path in sorted(GOLD.glob("related_*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        if args.day and gold["day"] != args.day:
            continue
        day = enrich_day(args.shared, gold["day"], args.param)
        for system in ("marsad", "baseline"):
            print(report(day, gold, system, args.show and system == "marsad"), flush=True)
    return 0


def draw(args: argparse.Namespace) -> int:
    """Draw a day's articles at random and start its gold file."""
    articles = load_days(args.shared, 1, day_names(args.shared).index(args.day))[0]
    drawn = [
        articles[i].url for i in random.Random(args.seed).sample(eligible(articles), args.seeds)
    ]
    path = GOLD / f"related_{args.day}.json"
    judgments = []
    if path.exists():  # a larger draw with the same seed extends the earlier one
        held = load_gold(args.day)
        assert drawn[: len(held["articles"])] == held["articles"], "not an extension"
        judgments = held["judgments"]
    save_gold(
        {
            "day": args.day,
            "split": args.split,
            "made_by": f"bench/related_gold.py draw --day {args.day} --split {args.split} "
            f"--seeds {args.seeds} --seed {args.seed}",
            "articles": drawn,
            "judgments": judgments,
        }
    )
    return 0


def lead(article: Article, words: int) -> str:
    """Title and first words of an article."""
    return f"{article.title} || {' '.join(article.text.split()[:words])}"


def sheet(args: argparse.Namespace) -> int:
    """Write the unjudged first-five links (both systems) as a reading sheet, outside the repo."""
    gold = load_gold(args.day)
    day = enrich_day(args.shared, args.day, args.param)
    index = day.index()
    judged = {(j["article"], j["link"]) for j in gold["judgments"]}
    todo: list[list[str]] = []
    lines: list[str] = []
    for url in gold["articles"]:
        s = index[url]
        links = list(dict.fromkeys(day.marsad[s][:FIRST] + day.baseline[s][:FIRST]))
        links = [i for i in links if (url, day.articles[i].url) not in judged]
        if not links:
            continue
        lines.append(f"\n=== ARTICLE {day.articles[s].source}: {lead(day.articles[s], 70)}")
        for i in links:
            mark = "M" if i in day.marsad[s][:FIRST] else " "
            mark += "B" if i in day.baseline[s][:FIRST] else " "
            copy = " COPY?" if is_copy(day.articles[s], day.articles[i]) else ""
            lines.append(
                f"[{len(todo)}] {mark}{copy} {day.articles[i].source}: {lead(day.articles[i], 40)}"
            )
            todo.append([url, day.articles[i].url])
    args.sheets.mkdir(parents=True, exist_ok=True)
    (args.sheets / f"{args.day}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (args.sheets / f"{args.day}_todo.json").write_text(json.dumps(todo), encoding="utf-8")
    print(f"{len(todo)} unjudged links -> {args.sheets / (args.day + '.txt')}")
    return 0


def add(args: argparse.Namespace) -> int:
    """Merge labels ("N 1", "N 0" or "N c" for a copy, one a line) for the sheet's links."""
    gold = load_gold(args.day)
    todo = json.loads((args.sheets / f"{args.day}_todo.json").read_text(encoding="utf-8"))
    have = {(j["article"], j["link"]) for j in gold["judgments"]}
    added = 0
    for line in args.labels.read_text(encoding="utf-8").split("\n"):
        parts = line.split()
        if len(parts) < 2 or not parts[0].isdigit():
            continue
        article, link = todo[int(parts[0])]
        if (article, link) in have:
            continue
        judgment = {"article": article, "link": link, "relevant": int(parts[1] == "1")}
        if parts[1] == "c":
            judgment["copy"] = 1
        judgment["round"] = args.round
        gold["judgments"].append(judgment)
        have.add((article, link))
        added += 1
    save_gold(gold)
    print(f"added {added}, {len(gold['judgments'])} judgments")
    return 0


def main() -> int:
    """Dispatch."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "command", nargs="?", default="score", choices=["score", "sheet", "add", "draw"]
    )
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--day")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--seeds", type=int, default=14)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--sheets", type=Path, default=Path("/tmp/relgold"))
    parser.add_argument("--labels", type=Path)
    parser.add_argument("--param", action="append", default=[], help="related NAME=VALUE")
    parser.add_argument("--show", action="store_true", help="list marsad's weak links")
    parser.add_argument("--round", type=int, default=1, help="pooling round of added labels")
    args = parser.parse_args()
    return {"score": score, "sheet": sheet, "add": add, "draw": draw}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())

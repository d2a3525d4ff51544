"""Keyphrase quality on marsad's own gold and on AKEC (train split): marsad beside YAKE, one run.

    .venv/bin/python bench/keyphrases.py [--shared ../shared] [--df-days N] [--top 10]

Gold (bench/gold/keyphrases.json, made by reading; see bench/gold/README.md): for each article
of SaudiNewsNet both extractors give 10 tags (marsad as the pipeline runs it: the article alone
and its source's name, no corpus statistics); must-have recall@10 is the share of the article's
must-have tags found among them, first-five precision the share of the first five that are
must-haves ("of max": over min(5, the article's must-haves), since an article with three
must-haves fills at most three of five; the plain share can reach only 0.82 on the tuning
days), junk rate the share of the ten that are junk seen by reading or never-tags. The day
held out of tuning (2015-08-11) is printed on its own line.

AKEC: for every document both extractors give 10 phrases. P@10 counts predictions found among all
of the document's crowd keyphrases; R@10 counts the document's 15 most-agreed keyphrases found
among the predictions; F1@10 is their harmonic mean (per document, then averaged). Both sides
are compared after the same light normalization (matching form: no diacritics, one alef, ي for
ى, ه for ة; punctuation and spacing cleaned). marsad gets document frequencies computed at run
time from the shared SaudiNewsNet corpus (--df-days, 0 for none); nothing is stored.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from marsad.arabic.normalize import matching_form
from marsad.enrich.keyphrases import DocumentFrequencies, extract_keyphrases
from marsad.ingest.importers import source_names

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "bench" / "gold" / "keyphrases.json"
_PUNCTUATION_RE = re.compile(r"[^\w\s]")
_SPACE_RE = re.compile(r"\s+")
_CLITICS_RE = re.compile(r"^(?:[وفبل]?ال|لل|[وف]?[بل](?=\w{3}))")


@dataclass
class GoldScores:
    """Mean must-have recall@10, first-five precision and junk rate over gold articles."""

    articles: int
    recall: float
    first_five: float
    junk: float
    first_five_possible: float = 0.0  # must-haves among the first five over min(5, must-haves)


def tag_form(phrase: str) -> str:
    """A tag as the gold compares it: light form, the article and a leading clitic dropped."""
    words = light(phrase).split()
    return " ".join(_CLITICS_RE.sub("", w) if len(w) > 3 else w for w in words)


def read_corpus_gold(shared: Path) -> list[dict]:
    """The gold articles with their title and text read from the shared corpus."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    never = {tag_form(p) for p in gold["never_tags"]}
    days: dict[str, dict[str, dict]] = {}
    out = []
    for item in gold["articles"]:
        day = item["day"]
        if day not in days:
            path = shared / "corpus" / "saudinewsnet" / f"{day}.zip"
            with zipfile.ZipFile(path) as archive:
                records = json.loads(archive.read(archive.namelist()[0]))
            days[day] = {r["url"]: r for r in records}
        record = days[day][item["url"]]
        must = [{tag_form(m["tag"]), *map(tag_form, m["forms"])} for m in item["must"]]
        junk = never | {tag_form(p) for p in item["junk_seen"]}
        out.append(
            {
                **item,
                "title": record.get("title") or "",
                "text": record.get("content") or "",
                "source": record.get("source") or "",
                "must_forms": must,
                "junk_forms": junk,
            }
        )
    return out


def score_gold(items: list[dict], predictions: list[list[str]]) -> GoldScores:
    """Must-have recall@10, must-haves among the first five, junk among the ten."""
    recalls, fives, possible, junks = [], [], [], []
    for item, phrases in zip(items, predictions, strict=True):
        shown = [tag_form(p) for p in phrases[:10]]
        musts = item["must_forms"]
        recalls.append(sum(1 for forms in musts if forms & set(shown)) / len(musts))
        first = shown[:5]
        fives.append(sum(1 for p in first if any(p in f for f in musts)) / max(len(first), 1))
        # An article with three must-haves fills at most three of five: its share of what
        # it can fill, each must-have counted once.
        found = sum(1 for forms in musts if forms & set(first))
        possible.append(found / min(5, len(musts)))
        junks.append(sum(1 for p in shown if p in item["junk_forms"]) / max(len(shown), 1))
    return GoldScores(
        len(items),
        statistics.fmean(recalls),
        statistics.fmean(fives),
        statistics.fmean(junks),
        statistics.fmean(possible),
    )


@dataclass
class Scores:
    """Mean precision, recall and F1 at 10 over documents, and extraction time."""

    precision: float
    recall: float
    f1: float
    seconds: float


def light(phrase: str) -> str:
    """The light normalization applied to gold and predicted phrases alike."""
    text = _PUNCTUATION_RE.sub(" ", matching_form(phrase))
    return _SPACE_RE.sub(" ", text).strip()


def read_gold(root: Path) -> dict[str, list[str]]:
    """Crowd keyphrases per document, most-agreed first."""
    path = root / "keyphrases" / "sort_frequency" / "pure.txt"
    gold: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if " : " not in line:
            continue
        doc, phrases = line.split(" : ", 1)
        gold[doc.strip()] = [p.strip() for p in phrases.split(",") if p.strip()]
    return gold


def evaluate(predictions: dict[str, list[str]], gold: dict[str, list[str]]) -> tuple[float, ...]:
    """Mean P@10, R@10 (top-15 gold) and F1@10 over the documents."""
    ps, rs, fs = [], [], []
    for doc, phrases in gold.items():
        every = {light(p) for p in phrases}
        head = {light(p) for p in phrases[:15]}
        predicted = list(dict.fromkeys(light(p) for p in predictions.get(doc, [])))[:10]
        hits = sum(1 for p in predicted if p in every)
        precision = hits / 10
        recall = len(head & set(predicted)) / len(head) if head else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        ps.append(precision)
        rs.append(recall)
        fs.append(f1)
    return statistics.fmean(ps), statistics.fmean(rs), statistics.fmean(fs)


def corpus_frequencies(shared: Path, days: int) -> DocumentFrequencies:
    """Document frequencies over the first `days` SaudiNewsNet days, computed now."""
    frequencies = DocumentFrequencies()
    for path in sorted((shared / "corpus" / "saudinewsnet").glob("*.zip"))[:days]:
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                for item in json.loads(archive.read(member)):
                    frequencies.add(item.get("title") or "", item.get("content") or "")
    return frequencies


def run_marsad(docs: dict[str, str], df: DocumentFrequencies | None, top: int) -> tuple:
    """marsad's keyphrases for every document and the time they took."""
    start = time.perf_counter()
    out = {doc: extract_keyphrases("", text, top=top, df=df) for doc, text in docs.items()}
    return out, time.perf_counter() - start


def run_yake(docs: dict[str, str], top: int) -> tuple:
    """YAKE's keyphrases (Arabic, trigrams, the arabic-stopwords list) and their time."""
    import arabicstopwords.arabicstopwords as package
    import yake

    extractor = yake.KeywordExtractor(
        lan="ar", n=3, top=top, stopwords=set(package.stopwords_list())
    )
    start = time.perf_counter()
    out = {doc: [k for k, _ in extractor.extract_keywords(text)] for doc, text in docs.items()}
    return out, time.perf_counter() - start


def run_gold(items: list[dict], top: int) -> tuple:
    """marsad's tags (as the pipeline extracts them: the article alone, with its source's
    name) and YAKE's for the gold articles, and the time each took."""
    import arabicstopwords.arabicstopwords as package
    import yake

    names = source_names()
    extract_keyphrases("", "تهيئة القوائم")  # word lists and CLDR names load once, not timed
    start = time.perf_counter()
    ours = [
        extract_keyphrases(i["title"], i["text"], top=top, source=names.get(i["source"]))
        for i in items
    ]
    seconds = time.perf_counter() - start
    extractor = yake.KeywordExtractor(
        lan="ar", n=3, top=top, stopwords=set(package.stopwords_list())
    )
    start = time.perf_counter()
    theirs = [
        [k for k, _ in extractor.extract_keywords(f"{i['title']}\n{i['text']}")] for i in items
    ]
    return ours, theirs, seconds, time.perf_counter() - start


def print_gold(shared: Path, top: int, show: int) -> None:
    """Score both extractors on the gold, tuning days and held-out day apart."""
    items = read_corpus_gold(shared)
    ours, theirs, seconds, their_seconds = run_gold(items, top)
    print(f"gold: {len(items)} SaudiNewsNet articles read by hand ({GOLD.relative_to(REPO)})")
    print(f"{'':24} {'n':>3} {'recall@10':>9} {'first5':>6} {'of max':>6} {'junk':>6}")
    for label, keep in (("tuning days", False), ("held-out day 2015-08-11", True)):
        picked = [k for k, item in enumerate(items) if item["held_out"] == keep]
        for name, predictions in (("marsad", ours), ("YAKE", theirs)):
            s = score_gold([items[k] for k in picked], [predictions[k] for k in picked])
            print(
                f"{name + ' ' + label:24.24} {s.articles:3} {s.recall:9.3f} "
                f"{s.first_five:6.3f} {s.first_five_possible:6.3f} {s.junk:6.3f}"
            )
    print(
        f"on the gold: marsad {1000 * seconds / len(items):.2f} ms per article, "
        f"YAKE {1000 * their_seconds / len(items):.2f} ms (same run)"
    )
    for item, phrases in list(zip(items, ours, strict=True))[:show]:
        print(item["url"][:70], "|", " · ".join(phrases))


def main() -> None:
    """Run both extractors on the gold and on AKEC train and print their scores and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--df-days", type=int, default=15)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--show", type=int, default=0, help="print predictions of N documents")
    args = parser.parse_args()
    print_gold(args.shared, args.top, args.show)
    start = time.perf_counter()
    df = corpus_frequencies(args.shared, args.df_days) if args.df_days else None
    df_seconds = time.perf_counter() - start
    if df is not None:
        print(f"document frequencies: {df.documents} articles in {df_seconds:.1f} s")
    root = args.shared / "eval" / "akec" / "train"
    gold = read_gold(root)
    docs = {doc: (root / "documents" / f"{doc}.txt").read_text(encoding="utf-8") for doc in gold}
    ours, our_time = run_marsad(docs, df, args.top)
    theirs, their_time = run_yake(docs, args.top)
    mine = evaluate(ours, gold)
    peer = evaluate(theirs, gold)
    words = sum(len(text.split()) for text in docs.values())
    print(f"AKEC train: {len(docs)} documents, {words / len(docs):.0f} words on average")
    print(f"{'':8} {'P@10':>6} {'R@10':>6} {'F1@10':>6} {'ms/doc':>7}")
    for name, (p, r, f), seconds in (
        ("marsad", mine, our_time),
        ("YAKE", peer, their_time),
    ):
        print(f"{name:8} {p:6.3f} {r:6.3f} {f:6.3f} {1000 * seconds / len(docs):7.2f}")
    print(f"ratio F1@10 marsad/YAKE: {mine[2] / peer[2]:.2f}x (target >= 4x)")
    print(f"speed: marsad {their_time / our_time:.1f}x faster than YAKE")
    for doc in list(docs)[: args.show]:
        print(doc, "|", " · ".join(ours[doc]))
        print("  gold |", " · ".join(gold[doc][:15]))


if __name__ == "__main__":
    main()

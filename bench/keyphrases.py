"""Keyphrase quality on AKEC (train split): marsad beside YAKE, in the same run.

    .venv/bin/python bench/keyphrases.py [--shared ../shared] [--df-days N] [--top 10]

For every document both extractors give 10 phrases. P@10 counts predictions found among all
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

REPO = Path(__file__).resolve().parent.parent
_PUNCTUATION_RE = re.compile(r"[^\w\s]")
_SPACE_RE = re.compile(r"\s+")


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


def main() -> None:
    """Run both extractors on AKEC train and print their scores and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--df-days", type=int, default=15)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--show", type=int, default=0, help="print predictions of N documents")
    args = parser.parse_args()
    root = args.shared / "eval" / "akec" / "train"
    gold = read_gold(root)
    docs = {doc: (root / "documents" / f"{doc}.txt").read_text(encoding="utf-8") for doc in gold}
    start = time.perf_counter()
    df = corpus_frequencies(args.shared, args.df_days) if args.df_days else None
    df_seconds = time.perf_counter() - start
    ours, our_time = run_marsad(docs, df, args.top)
    theirs, their_time = run_yake(docs, args.top)
    mine = evaluate(ours, gold)
    peer = evaluate(theirs, gold)
    words = sum(len(text.split()) for text in docs.values())
    print(f"AKEC train: {len(docs)} documents, {words / len(docs):.0f} words on average")
    if df is not None:
        print(f"document frequencies: {df.documents} articles in {df_seconds:.1f} s")
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

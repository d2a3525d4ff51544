"""Extraction: marsad's extractor beside plain `trafilatura.extract` on the same pages.

    .venv/bin/python bench/extract.py [--pages N] [--rounds R] [--shared ../shared]

The pages are the replay publisher's article pages for the first N articles of a shared day
(rendered as the publisher serves them, furniture included) and the CNN Arabic page. Both
extractors run on every page in the same process; the script prints pages/s for each, the
ratio, and the median token F1 of each against the publisher's own text.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura

from marsad.ingest.extract import extract
from marsad.ingest.failures import FetchError
from marsad.ingest.quality import token_f1
from marsad.ingest.rules import rules_for
from marsad.replay.pages import article_page
from marsad.replay.server import Catalogue, ReplayConfig, load_articles

Page = tuple[str, str, str]  # html, url, expected text


def replay_pages(shared: Path, limit: int) -> list[Page]:
    """The publisher's pages for the first `limit` articles with text, across sources."""
    day = shared / "corpus" / "saudinewsnet" / "2015-07-21.zip"
    catalogue = Catalogue(load_articles([day]), ReplayConfig())
    pages: list[Page] = []
    rounds = [iter(items) for items in catalogue.sites.values()]
    while len(pages) < limit and rounds:
        for items in list(rounds):
            article = next(items, None)
            if article is None:
                rounds.remove(items)
                continue
            if not article.raw.text.strip():
                continue
            site = catalogue.sites[article.source]
            others = site[article.number : article.number + 9]
            html = article_page(article, catalogue.names[article.source], others)
            pages.append((html, f"http://127.0.0.1:8765{article.path}", article.raw.text))
    return pages[:limit]


def cnn_page(shared: Path) -> Page:
    """The CNN Arabic page with its expected text."""
    folder = shared / "pages" / "cnn_arabic_2013"
    url = "http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html"
    html = (folder / "page.html").read_text("utf-8")
    return html, url, (folder / "expected_text.txt").read_text("utf-8")


def run(pages: list[Page], extractor: Callable[[str, str], str]) -> tuple[float, list[float]]:
    """Seconds taken and the token F1 of each page."""
    started = time.perf_counter()
    texts = [extractor(html, url) for html, url, _ in pages]
    elapsed = time.perf_counter() - started
    return elapsed, [token_f1(t, p[2]) for t, p in zip(texts, pages, strict=True)]


def marsad_text(html: str, url: str) -> str:
    """marsad's extraction (with the host's rules), '' when it finds no article."""
    try:
        return extract(html, url, rules_for(url)).text
    except FetchError:
        return ""


def trafilatura_text(html: str, url: str) -> str:
    """Plain trafilatura.extract with its defaults."""
    return trafilatura.extract(html, url=url) or ""


def main() -> None:
    """Run both extractors and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    pages = [*replay_pages(args.shared, args.pages), cnn_page(args.shared)]
    for _ in range(2):  # warm both (imports, caches) before timing
        marsad_text(*pages[0][:2]), trafilatura_text(*pages[0][:2])
    # Alternate rounds and keep each one's best, so that load from other processes on a
    # shared machine does not land on one side only.
    rounds = [(run(pages, marsad_text), run(pages, trafilatura_text)) for _ in range(args.rounds)]
    ours_s, ours_f1 = min((r[0] for r in rounds), key=lambda r: r[0])
    peer_s, peer_f1 = min((r[1] for r in rounds), key=lambda r: r[0])
    n = len(pages)
    print(f"pages: {n} ({n - 1} replay pages + the CNN Arabic page)")
    print(f"marsad extract:      {n / ours_s:7.1f} pages/s   median F1 {statistics.median(ours_f1):.3f}   "
          f"mean F1 {statistics.fmean(ours_f1):.3f}   CNN F1 {ours_f1[-1]:.3f}")  # fmt: skip
    print(f"trafilatura.extract: {n / peer_s:7.1f} pages/s   median F1 {statistics.median(peer_f1):.3f}   "
          f"mean F1 {statistics.fmean(peer_f1):.3f}   CNN F1 {peer_f1[-1]:.3f}")  # fmt: skip
    print(f"speed ratio marsad/trafilatura: {peer_s / ours_s:.2f}")


if __name__ == "__main__":
    main()

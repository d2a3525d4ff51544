"""Shared pieces of the scale tests: corpus slices and what a store holds, compared by URL."""

from __future__ import annotations

import json
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from marsad.store import Store


def day_slice(shared_dir: Path, day: str, count: int, out: Path) -> Path:
    """The first `count` records of a corpus day, written as a JSONL dump file."""
    with zipfile.ZipFile(shared_dir / "corpus" / "saudinewsnet" / f"{day}.zip") as archive:
        (member,) = [m for m in archive.namelist() if m.endswith(".json")]
        items = json.loads(archive.read(member))[:count]
    out.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items))
    return out


def outcome(store: Store) -> dict[str, Any]:
    """Articles, duplicates, stories and keyphrases, by URL (ids differ between runs)."""
    stored = list(store.iter_articles())
    url_of = {a.id: a.article.url for a in stored}
    members: dict[int, set[str]] = defaultdict(set)
    for article in stored:
        if article.enrichment.story_id is not None:
            members[article.enrichment.story_id].add(article.article.url)
    return {
        "articles": {
            (
                a.article.url,
                a.article.source,
                a.article.title,
                a.article.text,
                a.article.published_at,
            )
            for a in stored
        },
        "duplicates": {
            (a.article.url, url_of[a.enrichment.duplicate_of])
            for a in stored
            if a.enrichment.duplicate_of
        },
        "duplicate_groups": _groups(
            {
                a.article.url: url_of[a.enrichment.duplicate_of]
                for a in stored
                if a.enrichment.duplicate_of
            }
        ),
        "stories": {frozenset(urls) for urls in members.values()},
        "keyphrases": {a.article.url: tuple(a.enrichment.keyphrases) for a in stored},
        "summaries": {a.article.url: a.enrichment.summary for a in stored},
    }


def _groups(links: dict[str, str]) -> set[frozenset[str]]:
    """Copies grouped with their original, whichever of them was taken for the original."""
    root: dict[str, str] = {}

    def find(url: str) -> str:
        while root.get(url, url) != url:
            url = root[url]
        return url

    for copy, original in links.items():
        root[find(copy)] = find(original)
    groups: dict[str, set[str]] = defaultdict(set)
    for url in set(links) | set(links.values()):
        groups[find(url)].add(url)
    return {frozenset(g) for g in groups.values()}

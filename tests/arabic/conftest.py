"""Real text for the Arabic core tests: the seed article and a few corpus articles."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def seed_article(shared_dir: Path) -> str:
    """The seed page's article: everything before its source line."""
    page = (shared_dir / "seed" / "000_5d2495303a5d3d26.txt").read_text(encoding="utf-8")
    return page.split("المصدر:")[0]


@pytest.fixture(scope="session")
def corpus_articles(shared_dir: Path) -> list[dict[str, str]]:
    """The first 200 articles of the first SaudiNewsNet day."""
    path = sorted((shared_dir / "corpus" / "saudinewsnet").glob("*.zip"))[0]
    with zipfile.ZipFile(path) as archive:
        items: list[dict[str, str]] = json.loads(archive.read(archive.namelist()[0]))
    return items[:200]

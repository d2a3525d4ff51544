"""Two writer processes on one SQLite file: no story id taken twice, no write lost; two imports
of one file at once give what one import gives.

Each process imports and enriches the articles of its own sources from one corpus day, in
small batches, at the same time as the other. Each reserves story ids per batch and saves the
batch's stories later; without one writer at a time both would count on from the same largest
id, and one would either fail on the other's id or file its articles under the other's story.
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import subprocess
import sys
import zipfile
from multiprocessing.synchronize import Barrier
from pathlib import Path

from sqlalchemy import func, select

from marsad.enrichment_runner import EnrichmentRunner
from marsad.ingest.importers import read_records
from marsad.models import RawArticle
from marsad.pipeline import ingest
from marsad.store import open_store
from marsad.store.schema import articles, sources, stories

DAY = "2015-07-22.zip"
PER_PROCESS = 70


def _records(day: Path, part: int) -> list[RawArticle]:
    """The first articles of the day from the sources of one part (sources dealt alternately)."""
    raws = [r for r in read_records(day) if isinstance(r, RawArticle)]
    names = sorted({r.source for r in raws})
    mine = set(names[part::2])
    return list(itertools.islice((r for r in raws if r.source in mine), PER_PROCESS))


def _writer(url: str, day: str, part: int, start: Barrier) -> None:
    """One writer process: import and enrich its part in batches of five."""
    records = _records(Path(day), part)
    store = open_store(url)
    try:
        start.wait(timeout=120)
        report = ingest(store, records, EnrichmentRunner(), batch_size=5)
        if report.imported == 0:
            raise SystemExit(3)
    finally:
        store.close()


def test_two_writer_processes_share_one_sqlite_file(tmp_path: Path, shared_dir: Path) -> None:
    url = f"sqlite:///{tmp_path / 'marsad.db'}"
    day = shared_dir / "corpus" / "saudinewsnet" / DAY
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    writers = [
        context.Process(target=_writer, args=(url, str(day), part, start)) for part in (0, 1)
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=600)
    assert [w.exitcode for w in writers] == [0, 0]

    expected = {part: {r.source for r in _records(day, part)} for part in (0, 1)}
    store = open_store(url)
    try:
        with store.engine.connect() as conn:
            rows = conn.execute(
                select(articles.c.story_id, articles.c.enriched_at, sources.c.slug).join(
                    sources, sources.c.id == articles.c.source_id
                )
            ).all()
            story_ids = set(conn.execute(select(stories.c.id)).scalars())
            counted = dict(conn.execute(select(stories.c.id, stories.c.article_count)).all())
            held = dict(
                conn.execute(
                    select(articles.c.story_id, func.count())
                    .where(articles.c.story_id.is_not(None))
                    .group_by(articles.c.story_id)
                ).all()
            )
    finally:
        store.close()
    # No write lost: both parts stored whole, every article enriched (duplicates and briefs
    # join no story), every story holding articles and as many as its count says.
    assert {slug for _, _, slug in rows} == expected[0] | expected[1]
    assert len(rows) >= 2 * PER_PROCESS - 10  # a few of the day's articles are exact repeats
    assert all(enriched is not None for _, enriched, _ in rows)
    assert {story for story, _, _ in rows if story is not None} == story_ids
    assert counted == held
    # No id taken twice: each process has its own enricher, so a story shared by the two
    # parts is one whose id both reserved.
    part_of = {slug: part for part in (0, 1) for slug in expected[part]}
    parts_by_story: dict[int, set[int]] = {}
    for story, _, slug in rows:
        if story is not None:
            parts_by_story.setdefault(story, set()).add(part_of[slug])
    assert all(len(parts) == 1 for parts in parts_by_story.values())
    assert len(story_ids) > 20


def _outcome(url: str) -> tuple[int, int, set[frozenset[str]]]:
    """Articles, duplicates, and the stories as sets of article URLs."""
    store = open_store(url)
    try:
        with store.engine.connect() as conn:
            rows = conn.execute(
                select(articles.c.url, articles.c.story_id, articles.c.duplicate_of)
            ).all()
    finally:
        store.close()
    grouped: dict[int, set[str]] = {}
    for address, story, _ in rows:
        if story is not None:
            grouped.setdefault(story, set()).add(address)
    duplicates = sum(1 for *_, duplicate in rows if duplicate is not None)
    return len(rows), duplicates, {frozenset(urls) for urls in grouped.values()}


def test_two_imports_of_one_file_at_once_give_what_one_import_gives(
    tmp_path: Path, shared_dir: Path
) -> None:
    with zipfile.ZipFile(shared_dir / "corpus" / "saudinewsnet" / DAY) as day:
        (member,) = day.namelist()
        records = json.loads(day.read(member))[:120]
    dump = tmp_path / "part.json"
    dump.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    marsad = [str(Path(sys.executable).parent / "marsad"), "import", "--quiet", str(dump)]

    def env(name: str) -> dict[str, str]:
        return {**os.environ, "MARSAD_DB": f"sqlite:///{tmp_path / name}"}

    subprocess.run(marsad, env=env("alone.db"), check=True, capture_output=True)
    url = f"sqlite:///{tmp_path / 'both.db'}"
    holder = open_store(url)
    try:
        # Both start while a third import holds the file: each says in words that it waits.
        with holder.import_turn(lambda: None):
            both = [
                subprocess.Popen(marsad, env=env("both.db"), stderr=subprocess.PIPE, text=True)
                for _ in (0, 1)
            ]
            said = [process.stderr.readline() for process in both if process.stderr]
        assert all("waiting for it to finish" in line for line in said) and len(said) == 2
        errors = [process.communicate(timeout=600)[1] for process in both]
    finally:
        holder.close()
    assert [process.returncode for process in both] == [0, 0], errors
    alone = _outcome(f"sqlite:///{tmp_path / 'alone.db'}")
    assert alone[0] >= 100 and len(alone[2]) > 20
    assert _outcome(f"sqlite:///{tmp_path / 'both.db'}") == alone

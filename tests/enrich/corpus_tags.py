"""The tags marsad shows for a shared-corpus record, for the tests that pin junk kinds and
fragments on the real articles they were seen on (issue 13)."""

from __future__ import annotations

import json
import zipfile
from functools import cache
from pathlib import Path

from marsad.enrich.keyphrases import Keyphrase, extract_tags
from marsad.ingest.importers import source_names

Records = dict[str, dict[str, str]]


@cache
def _read_day(path: Path) -> tuple[dict[str, str], ...]:
    with zipfile.ZipFile(path) as archive:
        items: list[dict[str, str]] = json.loads(archive.read(archive.namelist()[0]))
    return tuple(items)


def day_records(shared_dir: Path, *days: str) -> Records:
    """The raw records of the named corpus days, by URL as the corpus writes it."""
    out: Records = {}
    for day in days:
        path = shared_dir / "corpus" / "saudinewsnet" / f"{day}.zip"
        out.update((item["url"], item) for item in _read_day(path))
    return out


def record_tags(record: dict[str, str]) -> list[Keyphrase]:
    """The tags of one raw record, its source's own name known, as the pipeline makes them."""
    source = source_names().get(record["source"], record["source"])
    return extract_tags(record.get("title") or "", record.get("content") or "", source=source)


def shown(records: Records, url: str) -> dict[str, str]:
    """Each tag's display form and kind for the record at ``url``."""
    return {tag.display: tag.kind for tag in record_tags(records[url])}

"""The import/export/stats commands as a user runs them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from marsad.cli import main
from marsad.export import EXPORT_FIELDS
from marsad.ingest.importers import read_records
from marsad.models import RawArticle, Rejection
from marsad.pipeline import ingest
from marsad.store import Store

FIXTURES = Path(__file__).parent.parent / "fixtures" / "library"


def test_import_export_stats_commands(
    db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MARSAD_DB", db_url)
    assert main(["import", "--quiet", "--no-enrich", str(FIXTURES / "mixed.jsonl")]) == 0
    out = capsys.readouterr().out
    assert "imported: 3" in out and "bad JSON line 3: 1" in out  # one of them a brief

    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    assert "articles: 3" in out and f"database: {db_url}" in out

    assert main(["export"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [tuple(json.loads(line)) for line in lines] == [EXPORT_FIELDS] * 3


def test_import_of_nothing_is_a_clear_error(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MARSAD_DB", db_url)
    assert main(["import", "--quiet", str(tmp_path)]) == 2
    assert "nothing to import" in capsys.readouterr().err


def test_crash_mid_import_keeps_committed_batches(store: Store) -> None:
    records = list(read_records(FIXTURES / "mixed.jsonl"))

    def crashing() -> Iterator[RawArticle | Rejection]:
        yield from records[:2]
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        ingest(store, crashing(), batch_size=1)
    assert store.counts()["articles"] == 2
    report = ingest(store, iter(records), batch_size=1)
    # The brief after the crash point is the one article not stored yet.
    assert report.imported == 1 and report.already_present == 3

"""The gold set's stores and the BM25 baseline, shared by bench/search.py and the pooling step.

A store per split holds that split's corpus days, imported and enriched by marsad's own
pipeline (stories included), built once under the temporary folder and reused. The baseline is
bm25s over the same stored articles: title and text in matching form, articles peeled, Snowball
stems (marsad's own `search_stems`, so both sides see the same words).
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bm25s
from sqlalchemy import text

from marsad.arabic.normalize import matching_form
from marsad.enrichment_runner import start_enrichment
from marsad.ingest.importers import read_records, source_names
from marsad.pipeline import ingest
from marsad.store import Store, open_store, search_stems

GOLD = Path(__file__).resolve().parent / "gold" / "search.json"


def gold() -> dict[str, Any]:
    """The committed gold set: splits (days), queries, grades and the rule."""
    return json.loads(GOLD.read_text(encoding="utf-8"))


def split_store(
    shared: Path, days: list[str], folder: Path | None = None, pg_server: str | None = None
) -> Store:
    """A store holding these corpus days, imported and enriched (built on first use): SQLite
    under the temporary folder, or with `pg_server` (a PostgreSQL URL without a database) a
    database named after the days, `marsad_bench_search_<first day>`, on that server."""
    if pg_server is not None:
        url = f"{pg_server}/marsad_bench_search_{days[0].replace('-', '_')}"
        _create_database(url)
        store = open_store(url)
        if store.counts()["articles"] == 0:
            _fill(store, shared, days)
        return store
    folder = folder or Path(tempfile.gettempdir()) / "marsad-bench-search"
    path = folder / f"{'_'.join(days)}.db"
    done = path.with_suffix(".done")
    if not done.exists():
        path.unlink(missing_ok=True)
        store = open_store(f"sqlite:///{path}")
        _fill(store, shared, days)
        store.close()
        done.touch()
    return open_store(f"sqlite:///{path}")


def _fill(store: Store, shared: Path, days: list[str]) -> None:
    """Import and enrich the corpus days into an empty store."""
    names = source_names()
    records = [
        r
        for day in days
        for r in read_records(shared / "corpus" / "saudinewsnet" / f"{day}.zip", names)
    ]
    if not records:
        raise SystemExit(f"no corpus records for {days} under {shared}")
    ingest(store, records, start_enrichment(store))


def _create_database(url: str) -> None:
    """Create the PostgreSQL database of a URL if it does not exist."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        if (
            conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (parsed.database,)
            ).fetchone()
            is None
        ):
            conn.execute(f'CREATE DATABASE "{parsed.database}"')


@dataclass
class Baseline:
    """bm25s over a store's articles; `search` gives article ids, best first."""

    ids: list[int]
    retriever: bm25s.BM25

    def search(self, query: str, k: int = 10) -> list[int]:
        """The k best article ids for a query (stems of its words, unknown words dropped)."""
        vocab = self.retriever.vocab_dict
        words = [w for w in search_stems(matching_form(query)) if w in vocab]
        if not words:
            return []
        found, _scores = self.retriever.retrieve(
            [words], k=min(k, len(self.ids)), show_progress=False
        )
        return [self.ids[int(i)] for i in found[0]]


def baseline(store: Store) -> Baseline:
    """Index every stored article with bm25s (default BM25 parameters)."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT id, match_title, match_text FROM articles ORDER BY id")
        ).all()
    retriever = bm25s.BM25()
    retriever.index([search_stems(f"{t} {x}") for _, t, x in rows], show_progress=False)
    return Baseline([int(i) for i, _, _ in rows], retriever)


def urls_by_id(store: Store) -> dict[int, str]:
    """Every stored article's URL by id."""
    with store.engine.connect() as conn:
        return {int(i): u for i, u in conn.execute(text("SELECT id, url FROM articles"))}

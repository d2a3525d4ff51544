"""What one worker process holds: its settings, its store and its enricher, opened on first use.

Nothing is opened at import time or in the parent process: prefork children open their own
connections after the fork.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from marsad.enrich.enricher import Enricher
from marsad.enrich.vectors import SentenceEncoder
from marsad.enrichment_runner import EnrichmentRunner
from marsad.settings import Settings
from marsad.store import Storage, open_store


@dataclass
class WorkerContext:
    """A worker process's long-lived parts, built lazily from the settings."""

    settings: Settings
    fetch_delay: float = 0.5
    per_host: int = 2
    _store: Storage | None = field(default=None, repr=False)
    _enricher: EnrichmentRunner | None = field(default=None, repr=False)
    _encoder: SentenceEncoder | None = field(default=None, repr=False)
    _mark: int | None = field(default=None, repr=False)

    def store(self) -> Storage:
        """The store, opened (and migrated if needed) on first use."""
        if self._store is None:
            self._store = open_store(self.settings.db_url)
        return self._store

    def encoder(self) -> SentenceEncoder:
        """The sentence encoder (one per process: the feature step and the enricher share it)."""
        if self._encoder is None:
            self._encoder = SentenceEncoder(threads=1)
        return self._encoder

    def enricher(self) -> EnrichmentRunner:
        """The enricher, warmed again whenever another process enriched since this one last did.

        Its indexes live in memory; only the holder of the story lock uses them, so reading the
        store's mark under that lock tells whether they are still complete.
        """
        store = self.store()
        mark = store.enrichment_mark()
        if self._enricher is None or mark != self._mark:
            self._enricher = build_enricher(store, self.encoder())
            self._mark = mark
        return self._enricher

    def enriched(self) -> None:
        """Note that this process's enricher is up to date with the store."""
        self._mark = self.store().enrichment_mark()

    def forget_enricher(self) -> None:
        """Drop the in-memory indexes; the next use rebuilds them from the store."""
        self._enricher = None
        self._mark = None

    def close(self) -> None:
        """Release the store's connections."""
        if self._store is not None:
            self._store.close()
            self._store = None
        self._enricher = None


def build_enricher(store: Storage, encoder: SentenceEncoder | None = None) -> EnrichmentRunner:
    """The enrichment stage warmed from the store.

    Unlike `enrichment_runner.start_enrichment`, no catch-up here: several workers start at once, and
    articles left unenriched are re-sent by the scheduler's sweep (`pending_enrichment`).
    """
    runner = EnrichmentRunner(Enricher(encoder=encoder))
    runner.warm(store)
    return runner

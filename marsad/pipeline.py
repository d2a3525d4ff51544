"""The stages in order: normalize, store (idempotently), enrich.

    raw article ──normalize──▶ Article ──store.add_articles──▶ id ──enricher──▶ Enrichment

Importers and the fetcher produce RawArticles; `ingest` runs them through every stage in
batches, so that a crash in the middle loses nothing already committed and a re-run changes
nothing that is already stored.
"""

from __future__ import annotations

import hashlib
import html
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from marsad.arabic.normalize import display_form, matching_form
from marsad.models import Article, RawArticle, Rejection
from marsad.store import Store
from marsad.urls import canonical_url

UNTITLED_WORDS = 12


class EnrichStage(Protocol):
    """What the pipeline needs from enrichment: process newly stored articles."""

    def enrich(self, store: Store, batch: Sequence[tuple[int, Article]]) -> None:
        """Enrich these newly stored articles and save what was found."""


@dataclass
class ImportReport:
    """What an import or a fetch did: counts, and every rejection with its reason."""

    imported: int = 0
    already_present: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def reject(self, rejection: Rejection) -> None:
        """Count a rejected record and keep a few examples of where it was."""
        self.rejected[rejection.reason] += 1
        kept = self.examples.setdefault(rejection.reason, [])
        if len(kept) < 3:
            kept.append(rejection.where)

    def summary(self) -> str:
        """A few lines a person can read."""
        lines = [
            f"imported: {self.imported}",
            f"already present: {self.already_present}",
            f"rejected: {sum(self.rejected.values())}",
        ]
        for reason, count in self.rejected.most_common():
            lines.append(f"  {reason}: {count} (e.g. {', '.join(self.examples[reason])})")
        return "\n".join(lines)


def normalize(raw: RawArticle, now: datetime | None = None) -> Article | Rejection:
    """Clean a raw article into display and matching forms, or say why it is not an article."""
    where = raw.url or raw.source
    if not raw.url.strip():
        return Rejection("no URL", where)
    text = display_form(_unescape(raw.text))
    if not text:
        return Rejection("empty text", where)
    title = display_form(_unescape(raw.title)).replace("\n", " ") or _untitled(text)
    match_text = matching_form(text)
    return Article(
        url=canonical_url(raw.url),
        source=raw.source,
        source_name=raw.source_name,
        title=title,
        text=text,
        match_title=matching_form(title),
        match_text=match_text,
        content_hash=content_hash(match_text),
        author=display_form(_unescape(raw.author)) or None if raw.author else None,
        published_at=raw.published_at,
        fetched_at=raw.fetched_at or now or datetime.now(UTC),
        language=raw.language or "ar",
        image=raw.image,
    )


def content_hash(match_text: str) -> str:
    """A hash of the matching form's words: equal for exact copies, whatever the spacing."""
    return hashlib.sha256(" ".join(match_text.split()).encode("utf-8")).hexdigest()


def ingest(
    store: Store,
    records: Iterable[RawArticle | Rejection],
    enricher: EnrichStage | None = None,
    batch_size: int = 200,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Run records through normalize, store and enrich in batches; return the report."""
    report = ImportReport()
    batch: list[Article] = []
    for record in records:
        if progress is not None:
            progress(1)
        found = record if isinstance(record, Rejection) else normalize(record)
        if isinstance(found, Rejection):
            report.reject(found)
            continue
        batch.append(found)
        if len(batch) >= batch_size:
            _store_batch(store, batch, enricher, report)
            batch = []
    _store_batch(store, batch, enricher, report)
    return report


def _store_batch(
    store: Store, batch: list[Article], enricher: EnrichStage | None, report: ImportReport
) -> None:
    """Store one batch, then enrich what was new in it."""
    if not batch:
        return
    ids = store.add_articles(batch)
    new = [(id_, article) for id_, article in zip(ids, batch, strict=True) if id_ is not None]
    report.imported += len(new)
    report.already_present += len(batch) - len(new)
    if enricher is not None and new:
        enricher.enrich(store, new)


def _unescape(text: str) -> str:
    """Decode HTML entities that CMSs leak into plain-text fields (&quot; &#8220; &nbsp;)."""
    return html.unescape(text) if "&" in text else text


def _untitled(text: str) -> str:
    """A headline for an untitled article: its own first words, marked as cut."""
    words = text.split()
    head = " ".join(words[:UNTITLED_WORDS])
    return head + ("…" if len(words) > UNTITLED_WORDS else "")

"""The stages in order: normalize, clean, store (idempotently), enrich.

    raw article ──normalize──▶ Article ──clean──▶ Article ──store.add_articles──▶ id
                ──enricher──▶ Enrichment

Cleaning learns each source's furniture from its new articles as they arrive (the store keeps
what was learned); an article already stored is neither learned from nor cleaned again here.
Learning is the one order-dependent part before enrichment: with workers, whoever stores an
article cleans it with what its source knew so far and marks it pending (`learn=False`), and
the ordered step learns from the pending articles in their batch's order (`learn_pending`),
cleaning again those whose cleaning that changed: the same states, in the same order, as one
process.

Importers and the fetcher produce RawArticles; `ingest` runs them through every stage in
batches, so that a crash in the middle loses nothing already committed and a re-run changes
nothing that is already stored.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from marsad.arabic.normalize import display_form, matching_form, remove_unsafe
from marsad.ingest.cleaning import CleanSettings, clean_article, content_hash
from marsad.ingest.dates import plausible
from marsad.ingest.learned_furniture import SourceFurniture
from marsad.models import Article, RawArticle, Rejection
from marsad.store import Storage, cleaning_values
from marsad.urls import BadURL, canonical_url, web_url

UNTITLED_WORDS = 12


class EnrichStage(Protocol):
    """What the pipeline needs from enrichment: process newly stored articles."""

    def enrich(self, store: Storage, batch: Sequence[tuple[int, Article]]) -> None:
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
    """Clean a raw article into display and matching forms, or say why it is not an article.

    Every text loses NUL, control characters and lone surrogates; the URL must be http(s) and
    parse; an image that is not an http(s) URL is dropped, and so is a publish time outside
    the plausible window (before 1990, or more than a day ahead), which would otherwise sort
    first on every page for years.
    """
    where = remove_unsafe(raw.url or raw.source)[:300]
    if not raw.url.strip():
        return Rejection("no URL", where)
    try:
        url = canonical_url(raw.url)
    except BadURL:
        return Rejection("URL is not http(s) or does not parse", where)
    source = remove_unsafe(raw.source).strip()
    if not source:
        return Rejection("no source", where)
    text = display_form(_unescape(raw.text))
    title = display_form(_unescape(raw.title)).replace("\n", " ")
    if not text and not title:
        return Rejection("empty text", where)
    title = title or _untitled(text)
    match_text = matching_form(text)
    return Article(
        url=url,
        source=source,
        source_name=display_form(raw.source_name) or None if raw.source_name else None,
        title=title,
        text=text,
        match_title=matching_form(title),
        match_text=match_text,
        content_hash=content_hash(match_text),
        author=display_form(_unescape(raw.author)) or None if raw.author else None,
        published_at=_plausible_time(raw.published_at, now),
        fetched_at=raw.fetched_at or now or datetime.now(UTC),
        language=remove_unsafe(raw.language or "")[:16] or "ar",
        image=web_url(raw.image),
    )


def _plausible_time(moment: datetime | None, now: datetime | None) -> datetime | None:
    """The publish time if it could be real, else None (the article keeps its fetch time)."""
    return moment if moment is not None and plausible(moment, now) else None


__all__ = ["Cleaner", "content_hash", "ingest", "learn_pending", "normalize"]


@dataclass
class Cleaner:
    """The cleaning stage with every source's furniture state, loaded from and saved to the store."""

    states: dict[str, SourceFurniture] = field(default_factory=dict)
    settings: CleanSettings = field(default_factory=CleanSettings)
    changed: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, store: Storage, settings: CleanSettings | None = None) -> Cleaner:
        """The states the store kept (a source not seen yet starts learning empty)."""
        settings = settings or CleanSettings()
        states = {
            slug: SourceFurniture.from_json(data, settings.furniture)
            for slug, data in store.load_furniture().items()
        }
        return cls(states, settings)

    def state(self, source: str) -> SourceFurniture:
        """One source's state (empty for a new source)."""
        return self.states.setdefault(source, SourceFurniture(self.settings.furniture))

    def learn_and_clean(self, article: Article) -> Article:
        """Learn from a new article, then clean it with what its source taught so far."""
        state = self.state(article.source)
        publisher_text = (
            article.original_text if article.original_text is not None else article.text
        )
        state.observe(publisher_text, article.title)
        self.changed.add(article.source)
        return clean_article(article, state, self.settings)

    def clean(self, article: Article) -> Article:
        """Clean an article with what its source taught so far, learning nothing from it."""
        return clean_article(article, self.state(article.source), self.settings)

    def save(self, store: Storage) -> None:
        """Store the states that changed since the last save."""
        store.save_furniture({slug: self.states[slug].to_json() for slug in self.changed})
        self.changed.clear()


def ingest(
    store: Storage,
    records: Iterable[RawArticle | Rejection],
    enricher: EnrichStage | None = None,
    batch_size: int = 200,
    progress: Callable[[int], None] | None = None,
    learn: bool = True,
) -> ImportReport:
    """Run records through normalize, store and enrich in batches; return the report.

    With `learn` off, new articles are cleaned with what their sources knew so far and stored
    pending, for the ordered step to learn from (`learn_pending`)."""
    report = ImportReport()
    cleaner = Cleaner.load(store)
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
            _store_batch(store, batch, cleaner, enricher, report, learn)
            batch = []
    _store_batch(store, batch, cleaner, enricher, report, learn)
    return report


def _store_batch(
    store: Storage,
    batch: list[Article],
    cleaner: Cleaner,
    enricher: EnrichStage | None,
    report: ImportReport,
    learn: bool = True,
) -> None:
    """Clean the batch's new articles, store the batch, then enrich what was new in it."""
    if not batch:
        return
    known = store.known_urls(a.url for a in batch)
    cleaned: list[Article] = []
    for article in batch:
        if article.url in known:
            cleaned.append(article)  # stored already: neither learned from nor cleaned again
        elif learn:
            cleaned.append(cleaner.learn_and_clean(article))
            known.add(article.url)  # a second copy of a URL in the batch is not new
        else:
            cleaned.append(cleaner.clean(article))
    ids = store.add_articles(cleaned, pending=not learn)
    batch = cleaned
    cleaner.save(store)
    new = [(id_, article) for id_, article in zip(ids, batch, strict=True) if id_ is not None]
    report.imported += len(new)
    report.already_present += len(batch) - len(new)
    if enricher is not None and new:
        enricher.enrich(store, new)


def learn_pending(store: Storage, ids: Sequence[int], in_order: bool = False) -> set[int]:
    """Learn from those of these stored articles still pending, in the order given (`in_order`:
    a batch's own order) or else in the order they were stored (with any of their sources'
    pending articles stored before them), cleaning each again with what
    its source knows then; return the ids whose cleaning changed (their features computed
    ahead are dropped with it). Run in the ordered step, which only one process runs at once."""
    if in_order:
        pending = set(store.pending_cleaning(ids))
        order = [i for i in dict.fromkeys(ids) if i in pending]
    else:
        # With those of their sources stored before them whose message has not come yet.
        order = store.pending_cleaning(ids, earlier=True)
    if not order:
        return set()
    cleaner = Cleaner.load(store)
    stored = {a.id: a for a in store.get_articles(order)}
    again: list[tuple[int, Article]] = []
    for article_id in order:
        before = stored[article_id].article
        after = cleaner.learn_and_clean(before)
        if cleaning_values(after) != cleaning_values(before):
            again.append((article_id, after))
    states = {slug: cleaner.states[slug].to_json() for slug in cleaner.changed}
    store.save_learning(states, order, again)
    return {i for i, _ in again}


def _unescape(text: str) -> str:
    """Decode HTML entities that CMSs leak into plain-text fields (&quot; &#8220; &nbsp;)."""
    return html.unescape(text) if "&" in text else text


def _untitled(text: str) -> str:
    """A headline for an untitled article: its own first words, marked as cut."""
    words = text.split()
    head = " ".join(words[:UNTITLED_WORDS])
    return head + ("…" if len(words) > UNTITLED_WORDS else "")

"""The enrichment stage: keyphrases, duplicates, story, related articles and summary.

`Enricher` holds in-memory indexes over a window of recent articles (`warm` rebuilds them
from enriched articles). For each batch of newly stored articles, in publish order, `process`:
1. takes each article's own features (keyphrases, summary, stems, sentence vector: see
   `marsad.enrich.features`; computed here unless a worker already did), adds word shingles
   and TF-IDF vectors;
2. finds the earliest copy of each (dedupe), then compares each with the window's articles;
3. assigns each to a story (new story ids come from the caller's `new_story`);
4. ranks its related articles, and offers it to older articles' lists (kept fresh);
5. summarizes the stories it touched, and returns everything as one `BatchResult`.
No I/O: `marsad.enrichment_runner` reads the store, calls this and saves the result.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import cache

import numpy as np

from marsad.arabic.normalize import matching_form
from marsad.arabic.stem import stems
from marsad.arabic.stopwords import read_word_list
from marsad.arabic.tokenize import tokens
from marsad.arabic.verbs import is_verb
from marsad.enrich.dedupe import DedupeItem, DuplicateIndex, dedupe_item
from marsad.enrich.features import KEYPHRASES, article_features, vectors_of
from marsad.enrich.keyphrases import place_names
from marsad.enrich.related import RelatedIndex, RelatedParams, related_probe, related_score
from marsad.enrich.stories import StoryClusterer, StoryItem, StoryParams, story_numbers
from marsad.enrich.summary import summarize_story
from marsad.enrich.vectors import Floats, SentenceEncoder, TermSpace, VectorWindow
from marsad.models import Article, ArticleFeatures, Enrichment, StoryChange

# An enriched article as warming reads it back: its id, the article and its enrichment.
EnrichedArticle = tuple[int, Article, Enrichment]

# Members a story summary draws on: the first reports carry the event, later ones add to it.
STORY_SUMMARY_MEMBERS = 8


@dataclass(frozen=True)
class EnrichSettings:
    """Windows, sizes and the stage parameters."""

    window: timedelta = timedelta(days=3)
    keyphrases: int = KEYPHRASES
    stories: StoryParams = field(default_factory=StoryParams)
    related: RelatedParams = field(default_factory=RelatedParams)
    threads: int = 1


@dataclass
class Features:
    """What the stages need of one article, computed once."""

    id: int
    published: datetime
    source: str
    title: str
    text: str
    item: StoryItem
    dedupe: DedupeItem
    own: ArticleFeatures  # keyphrases, summary, stems, title vector


@dataclass
class BatchResult:
    """What one batch changed: new articles' enrichment, older related lists, touched stories."""

    enrichments: list[tuple[int, Enrichment]] = field(default_factory=list)
    related: list[tuple[int, list[int]]] = field(default_factory=list)
    related_before: dict[int, list[int]] = field(default_factory=dict)  # as last written
    stories: list[tuple[int, StoryChange]] = field(default_factory=list)
    merges: list[tuple[int, int]] = field(default_factory=list)  # (absorbed, survivor)


class Enricher:
    """The stateful enrichment stage the pipeline calls with each batch of stored articles."""

    def __init__(
        self, settings: EnrichSettings | None = None, encoder: SentenceEncoder | None = None
    ) -> None:
        self.settings = settings or EnrichSettings()
        self.terms = TermSpace()
        self.encoder = encoder or SentenceEncoder(threads=self.settings.threads)
        self.window = VectorWindow(self.settings.window)
        self.duplicates = DuplicateIndex(window=self.settings.window)
        self.clusterer = StoryClusterer(self.settings.stories)
        self.related = RelatedIndex(self.settings.related)
        self.keyphrase_sets: dict[int, frozenset[str]] = {}
        self.texts: dict[int, tuple[str, str, datetime]] = {}
        self.written: dict[int, list[int]] = {}
        self.summaries: dict[int, str | None] = {}
        self.summarized: dict[int, tuple[int, ...]] = {}
        self._vectors: Floats = np.zeros((0, 0), dtype=np.float32)
        self._epochs = np.zeros(0, dtype=np.float64)

    # -- entry points ------------------------------------------------------------------------

    def warm(self, enriched: Iterable[EnrichedArticle], chunk: int = 500) -> None:
        """Rebuild the indexes from the enriched articles of the last window, in publish order
        (articles with no story yet are skipped: they come through `process` again)."""
        block: list[EnrichedArticle] = []
        for found in enriched:
            article_id, _, enrichment = found
            if enrichment.story_id is None:
                continue
            block.append(found)
            self.written[article_id] = list(enrichment.related)
            if len(block) >= chunk:
                self._replay(block)
                block = []
        self._replay(block)

    def process(
        self,
        batch: Sequence[tuple[int, Article]],
        new_story: Callable[[StoryItem], int],
        ready: Mapping[int, ArticleFeatures] | None = None,
    ) -> BatchResult:
        """Every stage over one batch, in publish order; new story ids come from `new_story`.

        A brief (a caption, a headline alone) is kept out of every index: no keyphrases, no
        duplicate, no story, no related list; it never leads or summarizes a story."""
        briefs = [(article_id, Enrichment()) for article_id, a in batch if a.brief]
        batch = [(article_id, a) for article_id, a in batch if not a.brief]
        if not batch:
            return BatchResult(enrichments=briefs)
        ordered = sorted(batch, key=lambda pair: (_published(pair[1]), pair[0]))
        given = dict(ready or {})
        missing = [(i, a) for i, a in ordered if i not in given]
        computed = article_features(
            [a for _, a in missing], self.encoder, top=self.settings.keyphrases
        )
        given.update(zip([i for i, _ in missing], computed, strict=True))
        found = [self._features(i, a, given[i]) for i, a in ordered]
        roots = self.duplicates.check([f.dedupe for f in found])
        for features, root in zip(found, roots, strict=True):
            features.item = replace(features.item, duplicate_of=root)
        text, sentences, start, rows = self._add_to_window(found)
        result = BatchResult()
        touched: set[int] = set()
        stories: set[int] = set()
        for row, features in enumerate(found):
            position = start + row
            stories.add(self._assign_story(features, rows[row], text[row], row, start, new_story))
            touched |= self._link_related(features, text[row], sentences[row], position)
        result.merges = self.clusterer.merge_pass()
        stories = {self.clusterer.final_story(s) for s in stories}
        stories |= {survivor for _, survivor in result.merges}
        stories = {s for s in stories if s in self.clusterer.stories}
        result.enrichments = [
            (f.id, self._enrichment(f, root)) for f, root in zip(found, roots, strict=True)
        ] + briefs
        new_ids = {f.id for f in found}
        for article_id in sorted(touched - new_ids):
            ranked = self._ranked(article_id)
            before = self.written.get(article_id)
            if ranked != before:
                self.written[article_id] = ranked
                result.related.append((article_id, ranked))
                if before is not None:
                    result.related_before[article_id] = before
        result.stories = [(story_id, self._story_change(story_id)) for story_id in sorted(stories)]
        return result

    def related_lists(self, articles: Sequence[Article], batch: int = 200) -> list[list[int]]:
        """Process articles in publish order, in batches, with their indexes as ids and a fresh
        story id for each new story, and give each its final related list (benchmarks, tests)."""
        stories = itertools.count(1)
        lists: dict[int, list[int]] = {}
        for first in range(0, len(articles), batch):
            block = list(enumerate(articles[first : first + batch], first))
            result = self.process(block, lambda item: next(stories))
            lists.update((i, e.related) for i, e in result.enrichments)
            lists.update(result.related)
        return [lists.get(i, []) for i in range(len(articles))]

    # -- stages ------------------------------------------------------------------------------

    def _enrichment(self, features: Features, root: int | None) -> Enrichment:
        """What is saved for one new article once the whole batch is linked."""
        related = self._ranked(features.id)
        self.written[features.id] = related
        self.summaries[features.id] = features.own.summary
        return Enrichment(
            keyphrases=features.own.keyphrases,
            kinds=features.own.kinds,
            duplicate_of=root,
            story_id=self.clusterer.story_of[features.id],
            related=related,
            summary=features.own.summary,
        )

    def _features(self, article_id: int, article: Article, own: ArticleFeatures) -> Features:
        """What the stages use of one article: its own features, shingles and index keys."""
        published = _published(article)
        matched = frozenset(matching_form(p) for p in own.keyphrases)
        self.keyphrase_sets[article_id] = matched
        self.texts[article_id] = (article.title, article.text, published)
        return Features(
            id=article_id,
            published=published,
            source=article.source,
            title=article.title,
            text=article.text,
            item=StoryItem(
                article_id,
                published,
                article.title,
                matched,
                numbers=story_numbers(article.match_title, article.match_text),
                named=named_tags(own.keyphrases, own.kinds),
                places=named_tags(own.keyphrases, own.kinds, ("place",)),
                headlined=headlined_tags(own.keyphrases, own.kinds, article.match_title),
                offices=title_offices(article.title),
            ),
            dedupe=dedupe_item(
                article_id, published, article.match_title, article.match_text, article.content_hash
            ),
            own=own,
        )

    def _add_to_window(
        self, found: Sequence[Features]
    ) -> tuple[Floats, Floats, int, list[dict[int, float]]]:
        """Vectorize a batch, add it to the window, and compare it with the whole window."""
        docs = [Counter(f.own.stems) for f in found]
        self.terms.count(docs)
        for f, doc in zip(found, docs, strict=True):
            rare = self.terms.rare(doc, share=self.settings.stories.rare)
            titled = self.terms.ids(stems(_naming_words(f.item.title)))
            f.item = replace(f.item, rare=rare, titled=rare & titled)
        tfidf = self.terms.vectors(docs)
        sentences = vectors_of([f.own for f in found])
        evicted = self.window.add(
            [f.id for f in found], [f.published for f in found], tfidf, sentences
        )
        self._forget(evicted)
        start = len(self.window) - len(found)
        text, sims = self.window.similarities(tfidf, sentences)
        self._vectors = sentences
        self._epochs = np.asarray([t.timestamp() for t in self.window.published], dtype=np.float64)
        rows = [
            dict(zip(tfidf.indices[a:b].tolist(), tfidf.data[a:b].tolist(), strict=True))
            for a, b in zip(tfidf.indptr[:-1], tfidf.indptr[1:], strict=True)
        ]
        return text, sims, start, rows

    def _assign_story(
        self,
        features: Features,
        terms: dict[int, float],
        text: Floats,
        row: int,
        start: int,
        new_story: Callable[[StoryItem], int],
    ) -> int:
        """The story of one article: its links lead to the stories it is weighed with."""
        candidates = self._story_links(text, start + row)
        return self.clusterer.assign(
            features.item, self._vectors[row], terms, candidates, new_story
        )

    def _story_links(self, text: Floats, position: int) -> list[tuple[int, float]]:
        """The earlier window articles an article is linked to or near, with their cosine."""
        params = self.settings.stories
        linked = np.nonzero(text[:position] >= min(params.link, params.near))[0]
        return [(self.window.ids[c], float(text[c])) for c in linked.tolist()]

    def _link_related(
        self, features: Features, text: Floats, sentences: Floats, position: int
    ) -> set[int]:
        """Rank an article's related candidates and offer it to theirs; return lists changed."""
        params = self.settings.related
        hours = (features.published.timestamp() - self._epochs[:position]) / 3600
        content, cols = related_probe(params, text[:position], sentences[:position], hours)
        own_root = self.duplicates.root_of(features.id)
        own = features.dedupe
        self.related.remember(features.id, own.shingles, own.title, own.words)
        changed: set[int] = set()
        for col in sorted(cols):
            other = self.window.ids[col]
            if self.duplicates.root_of(other) == own_root:
                continue
            shared = len(features.item.keyphrases & self.keyphrase_sets.get(other, frozenset()))
            score = related_score(params, content[col], hours[col], shared)
            if self.related.pair(features.id, other, score, float(content[col])):
                changed.add(other)
        return changed

    def _ranked(self, article_id: int) -> list[int]:
        """An article's related list as stored: read-also first, then the similar ones."""
        return self.related.ranked(
            article_id, self.duplicates.root_of, lambda i: self.clusterer.story_of.get(i)
        )

    def _replay(self, block: Sequence[EnrichedArticle]) -> None:
        """Add enriched articles to every index with their recorded duplicate and story."""
        if not block:
            return
        articles = [article for _, article, _ in block]
        own = article_features(
            articles, self.encoder, stored=[enrichment.keyphrases for _, _, enrichment in block]
        )
        found = [
            self._features(article_id, article, replace(features, kinds=enrichment.kinds))
            for (article_id, article, enrichment), features in zip(block, own, strict=True)
        ]
        self.duplicates.restore([f.dedupe for f in found], [e.duplicate_of for _, _, e in block])
        text, sentences, start, rows = self._add_to_window(found)
        for row, (features, (_, _, enrichment)) in enumerate(zip(found, block, strict=True)):
            story_id = enrichment.story_id
            assert story_id is not None  # warm() replays enriched articles only
            self.clusterer.join(features.item, self._vectors[row], rows[row], story_id)
            self.clusterer.link(features.item, self._story_links(text[row], start + row))
            self._link_related(features, text[row], sentences[row], start + row)

    def _forget(self, evicted: Sequence[int]) -> None:
        """Drop what left the window from every in-memory index."""
        self.clusterer.forget(evicted)
        self.related.forget(evicted)
        if evicted:
            for story_id in [s for s in self.summarized if s not in self.clusterer.stories]:
                del self.summarized[story_id]
        for article_id in evicted:
            self.keyphrase_sets.pop(article_id, None)
            self.texts.pop(article_id, None)
            self.written.pop(article_id, None)
            self.summaries.pop(article_id, None)

    def _story_change(self, story_id: int) -> StoryChange:
        """A touched story's representative headline, lead article, time and (new) summary."""
        story = self.clusterer.stories[story_id]
        lead = story.headline()
        members = sorted(story.members, key=lambda m: (self.texts[m][2], m))
        # The lead article opens the summary; the first reports carry the rest.
        first = (lead, *[m for m in members if m != lead])[:STORY_SUMMARY_MEMBERS]
        if self.summarized.get(story_id) == first:
            return StoryChange(story.titles[lead], lead, story.last)
        # Only a change among the first reports changes what the summary draws on.
        self.summarized[story_id] = first
        if len(first) == 1:
            summary = self.summaries.get(first[0])
        else:
            summary = summarize_story([self.texts[m][:2] for m in first]) or None
        return StoryChange(story.titles[lead], lead, story.last, summary, new_summary=True)


def named_tags(
    phrases: Sequence[str],
    kinds: Sequence[str],
    named: Sequence[str] = ("person", "place", "organisation"),
) -> frozenset[str]:
    """Matching forms of the tags that name a person, a place or a body, or those of the
    `named` kinds (what stories weigh beside words: `StoryItem.named`)."""
    return frozenset(matching_form(p) for p, k in zip(phrases, kinds, strict=False) if k in named)


_PUNCTUATION_RE = re.compile(r"[^\w\s]")


def headlined_tags(
    phrases: Sequence[str], kinds: Sequence[str], match_title: str
) -> frozenset[str]:
    """Matching forms of the person and body tags that a title names: the whole tag, or a
    person's last name («بحاح» for خالد بحاح) among the title's words."""
    plain = _PUNCTUATION_RE.sub(" ", match_title)
    title = f" {' '.join(plain.split())} "
    words = set(plain.split())
    found = set()
    for phrase, kind in zip(phrases, kinds, strict=False):
        if kind not in ("person", "organisation"):
            continue
        tag = matching_form(phrase)
        last = tag.split()[-1] if tag else ""
        if f" {tag} " in title or (kind == "person" and len(last) > 2 and last in words):
            found.add(tag)
    return frozenset(found)


@cache
def _common_words() -> frozenset[str]:
    """Words common on every corpus day and in every paper (common_words.txt)."""
    return read_word_list("common_words.txt")


def title_offices(title: str) -> frozenset[tuple[str, ...]]:
    """The office holders a title names by office: the office (`guest_offices.txt`) and the
    one or two words after it written with the article, not verbs ("وزير الدفاع الأمريكي" is
    (وزير, دفاع, امريكي)); an office with no such word designates no one."""
    offices = _guest_offices()
    found = [t for t in tokens(title) if t.kind == "arabic"]
    out: set[tuple[str, ...]] = set()
    for k, token in enumerate(found):
        if token.prefix not in ("", "و", "ف") or token.match not in offices:
            continue
        held = [token.match]
        for after in found[k + 1 : k + 3]:
            if after.prefix != "ال" or is_verb(after.match):
                break
            held.append(after.match)
        if len(held) > 1:
            out.add(tuple(held))
    return frozenset(out)


@cache
def _guest_offices() -> frozenset[str]:
    return read_word_list("guest_offices.txt")


def _naming_words(title: str) -> list[str]:
    """A title's words that may name its event (matching form, clitics peeled): not verbs
    («تدين», «تغلق»), words common on every day and in every paper, nor places (a region's
    name heads the titles of all its news: the fronts of one war, its governor's days)."""
    common = _common_words()
    places = place_names()
    return [
        t.match
        for t in tokens(title)
        if t.kind == "arabic"
        and t.match not in common
        and (t.match,) not in places
        and not is_verb(t.match)
    ]


def _published(article: Article) -> datetime:
    """When an article was published, else fetched (as the store orders them)."""
    moment = article.published_at or article.fetched_at or datetime.now(UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

"""Duplicates: exact copies (same matching form) and near-copies (MinHash LSH over word shingles).

A copy points to the earliest article of its group (`duplicate_of`). Articles are checked in
publish order against a rolling window of recent articles:
1. exact: the same content hash of the matching form (for very short texts, title and text);
2. near: word 3-shingles of the matching form, hashed to 32 bits; a numpy MinHash signature
   (multiply-shift hashing, one vectorised pass per batch); LSH bands give candidates, and the
   exact Jaccard of the shingle sets decides. Syndicated wire copies with small edits share
   most 3-word shingles; two reports of one event in different words share few.
3. a template is not a copy: two texts of one mould (the King's cable to the President of
   Bolivia and to the President of Burkina Faso, one bulletin for two cities) share most
   shingles, but each title names what the other text never mentions (`fills_other_slot`).
   A copy's title may be rewritten, yet what it names its source's text names too.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt

SHINGLE = 3
BANDS = 26
ROWS = 5
NUM_PERM = BANDS * ROWS
# Exact Jaccard of the shingle sets above which two articles are copies; bench/dedupe.py
# measures recall on pairs >= 0.8 and the share of flagged pairs >= 0.5 around it.
THRESHOLD = 0.6
# Texts this short are compared with their title too: "شاهد الفيديو" alone is no evidence.
SHORT_TEXT_WORDS = 25
SEED = 20150721
WORD_RE = re.compile(r"\w+")

Shingles = npt.NDArray[np.uint32]


def shingle_words(match_text: str) -> list[str]:
    """The words shingles are made of: runs of letters and digits of the matching form."""
    return WORD_RE.findall(match_text)


def shingle_hashes(words: Sequence[str], size: int = SHINGLE) -> Shingles:
    """Sorted distinct 32-bit hashes of the word n-grams (the whole text when shorter)."""
    if not words:
        return np.zeros(0, dtype=np.uint32)
    # Hash each distinct word once: news text repeats its words a lot.
    table = {w: zlib.crc32(w.encode("utf-8")) for w in set(words)}
    ids = np.fromiter(map(table.__getitem__, words), dtype=np.uint64, count=len(words))
    if len(ids) < size:
        return np.unique(_mix(ids, np.zeros_like(ids), np.zeros_like(ids)))
    return np.unique(_mix(ids[: len(ids) - size + 1], ids[1 : len(ids) - size + 2], ids[2:]))


def _mix(
    a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64], c: npt.NDArray[np.uint64]
) -> Shingles:
    """Combine three word hashes into one position-sensitive 32-bit shingle hash."""
    mixed = a * np.uint64(0x9E3779B97F4A7C15) + b * np.uint64(0xC2B2AE3D27D4EB4F) + c
    mixed ^= mixed >> np.uint64(29)
    mixed *= np.uint64(0xBF58476D1CE4E5B9)
    return (mixed >> np.uint64(32)).astype(np.uint32)


def jaccard(a: Shingles, b: Shingles) -> float:
    """Exact Jaccard similarity of two sorted distinct hash arrays."""
    if len(a) == 0 or len(b) == 0:
        return 0.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common)


def article_shingles(match_title: str, match_text: str) -> Shingles:
    """An article's shingle hashes: of its text, or of title and text when the text is short."""
    found = shingle_words(match_text)
    if len(found) < SHORT_TEXT_WORDS:
        found = shingle_words(match_title) + found
    return shingle_hashes(found)


def exact_key(match_title: str, match_text: str, content_hash: str) -> str:
    """The key exact copies share: the content hash, or title and text for very short texts."""
    if len(match_text.split()) >= SHORT_TEXT_WORDS:
        return content_hash
    both = f"{' '.join(match_title.split())}\n{' '.join(match_text.split())}"
    return hashlib.sha256(both.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Permutations:
    """The MinHash hash family: multiply-shift hashes h(x) = (a*x + b) >> 32, a odd."""

    a: npt.NDArray[np.uint64]
    b: npt.NDArray[np.uint64]

    @classmethod
    def make(cls, num_perm: int = NUM_PERM, seed: int = SEED) -> Permutations:
        """A fixed family, so that signatures are equal across runs and processes."""
        rng = np.random.default_rng(seed)
        a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
        b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
        return cls(a, b)


def signatures(
    sets: Sequence[Shingles], perms: Permutations, chunk: int = 2048
) -> npt.NDArray[np.uint32]:
    """MinHash signatures of many shingle sets in vectorised passes (empty sets get all ones)."""
    out = np.full((len(sets), len(perms.a)), np.iinfo(np.uint32).max, dtype=np.uint32)
    filled = [i for i, s in enumerate(sets) if len(s)]
    start = 0
    while start < len(filled):
        # Take whole sets until the chunk of shingles is full, then hash them all at once.
        stop, size = start, 0
        while stop < len(filled) and (size == 0 or size + len(sets[filled[stop]]) <= chunk):
            size += len(sets[filled[stop]])
            stop += 1
        part = [sets[i] for i in filled[start:stop]]
        values = np.concatenate(part).astype(np.uint64)
        hashed = (values[:, None] * perms.a[None, :] + perms.b[None, :]) >> np.uint64(32)
        offsets = np.cumsum([0] + [len(s) for s in part[:-1]])
        out[filled[start:stop]] = np.minimum.reduceat(hashed, offsets, axis=0).astype(np.uint32)
        start = stop
    return out


def slot_words(match_title: str) -> frozenset[str]:
    """The title words a template fills in: names and numbers (words of three letters or
    more, or digits), not the short particles an editor adds or drops."""
    return frozenset(w for w in shingle_words(match_title) if len(w) >= 3 or w.isdigit())


def fills_other_slot(
    title_one: frozenset[str],
    words_one: frozenset[str],
    title_two: frozenset[str],
    words_two: frozenset[str],
) -> bool:
    """Whether two near-identical texts are one template with different names: each title has
    a word (a name, a place, a number) that its own text repeats and the other article's title
    and text never use. A rewritten headline of a copy takes its words from the shared text,
    or adds words its own text does not repeat ("تخيلوا", "بالفيديو"): neither fills a slot."""
    return _slot_filled(title_one, words_one, title_two | words_two) and _slot_filled(
        title_two, words_two, title_one | words_one
    )


def _slot_filled(title: frozenset[str], words: frozenset[str], other: frozenset[str]) -> bool:
    """Whether a title names something its text repeats and the other article never writes,
    not even spelled one letter apart ("دوج" and "دوغ", "الأمريكي" and "الأميركي")."""
    return any(
        not any(_one_letter_apart(word, seen) for seen in other) for word in (title & words) - other
    )


def _one_letter_apart(one: str, two: str) -> bool:
    """Whether two words are one spelled two ways: a letter changed, added, dropped or two
    swapped, or one the start or end of the other ("عبد العزيز", "عبدالعزيز")."""
    short, long = (one, two) if len(one) <= len(two) else (two, one)
    if len(short) >= 3 and (long.startswith(short) or long.endswith(short)):
        return True
    if abs(len(one) - len(two)) > 1:
        return False
    if len(one) == len(two):
        differ = [i for i, (a, b) in enumerate(zip(one, two, strict=True)) if a != b]
        swapped = (
            len(differ) == 2
            and differ[1] == differ[0] + 1
            and one[differ[0]] == two[differ[1]]
            and one[differ[1]] == two[differ[0]]
        )
        return len(differ) <= 1 or swapped
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


@dataclass(frozen=True)
class DedupeItem:
    """What duplicate detection needs of one article: its keys, and for telling templates
    from copies its title's slot words and every word of its text."""

    id: int
    published: datetime
    key: str
    shingles: Shingles
    title: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()


def dedupe_item(
    article_id: int, published: datetime, match_title: str, match_text: str, content_hash: str
) -> DedupeItem:
    """The dedupe item of one article's matching forms."""
    return DedupeItem(
        article_id,
        published,
        exact_key(match_title, match_text, content_hash),
        article_shingles(match_title, match_text),
        slot_words(match_title),
        frozenset(shingle_words(match_text)),
    )


@dataclass
class _Entry:
    root: int
    root_published: datetime
    shingles: Shingles
    bands: list[bytes]
    title: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()


@dataclass
class DuplicateIndex:
    """Recent articles by exact key and by LSH band, for finding the earliest copy of a new one."""

    window: timedelta = timedelta(days=3)
    threshold: float = THRESHOLD
    perms: Permutations = field(default_factory=Permutations.make)
    _entries: dict[int, _Entry] = field(default_factory=dict)
    _keys: dict[str, int] = field(default_factory=dict)
    _key_of: dict[int, str] = field(default_factory=dict)
    _buckets: list[dict[bytes, list[int]]] = field(
        default_factory=lambda: [{} for _ in range(BANDS)]
    )
    _order: deque[tuple[datetime, int]] = field(default_factory=deque)

    def __len__(self) -> int:
        return len(self._entries)

    def check(self, items: Sequence[DedupeItem]) -> list[int | None]:
        """The earliest copy of each item (None for an original), adding each to the index."""
        sigs = signatures([item.shingles for item in items], self.perms)
        found: list[int | None] = []
        for item, sig in zip(items, sigs, strict=True):
            bands = [sig[i * ROWS : (i + 1) * ROWS].tobytes() for i in range(BANDS)]
            self._evict(item.published - self.window)
            root = self._find(item, bands)
            self._add(item, bands, root)
            found.append(root)
        return found

    def restore(self, items: Sequence[DedupeItem], roots: Sequence[int | None]) -> None:
        """Add stored articles with their known duplicate_of, without checking them again."""
        sigs = signatures([item.shingles for item in items], self.perms)
        for item, sig, root in zip(items, sigs, roots, strict=True):
            bands = [sig[i * ROWS : (i + 1) * ROWS].tobytes() for i in range(BANDS)]
            self._add(item, bands, root)

    def root_of(self, article_id: int) -> int:
        """The earliest copy of an article in the window (itself for an original)."""
        entry = self._entries.get(article_id)
        return article_id if entry is None else entry.root

    def _find(self, item: DedupeItem, bands: list[bytes]) -> int | None:
        """The root of the earliest matching group: an exact copy, else a verified near-copy."""
        exact = self._keys.get(item.key)
        if exact is not None and exact in self._entries:
            return self._entries[exact].root
        if len(item.shingles) == 0:
            return None
        candidates: set[int] = set()
        for band, key in zip(self._buckets, bands, strict=True):
            candidates.update(band.get(key, ()))
        matches = [
            entry
            for c in sorted(candidates)
            if jaccard(item.shingles, (entry := self._entries[c]).shingles) >= self.threshold
            and not fills_other_slot(item.title, item.words, entry.title, entry.words)
        ]
        if not matches:
            return None
        return min(matches, key=lambda e: (e.root_published, e.root)).root

    def _add(self, item: DedupeItem, bands: list[bytes], root: int | None) -> None:
        """Index an item (as an original when root is None) and drop what left the window."""
        root_published = item.published
        if root is not None and root in self._entries:
            root_published = self._entries[root].root_published
        self._entries[item.id] = _Entry(
            root or item.id, root_published, item.shingles, [], item.title, item.words
        )
        self._keys.setdefault(item.key, item.id)
        self._key_of[item.id] = item.key
        if len(item.shingles):
            self._entries[item.id].bands = bands
            for band, key in zip(self._buckets, bands, strict=True):
                band.setdefault(key, []).append(item.id)
        self._order.append((item.published, item.id))
        self._evict(item.published - self.window)

    def _evict(self, before: datetime) -> None:
        """Forget articles published before the window (in arrival order)."""
        while self._order and self._order[0][0] < before:
            _, old = self._order.popleft()
            entry = self._entries.pop(old, None)
            if entry is None:
                continue
            key = self._key_of.pop(old)
            if self._keys.get(key) == old:
                del self._keys[key]
            for band, band_key in zip(self._buckets, entry.bands, strict=True):
                ids = band.get(band_key)
                if ids is not None:
                    ids.remove(old)
                    if not ids:
                        del band[band_key]

"""Storage behind one narrow interface: SQLite by default, PostgreSQL at scale."""

from marsad.store.enrichment import EnrichedBatch
from marsad.store.rows import SourceRow, StoredArticle, StoryRow
from marsad.store.store import Store, open_store

__all__ = ["EnrichedBatch", "SourceRow", "Store", "StoredArticle", "StoryRow", "open_store"]

"""Storage behind one narrow interface: SQLite by default, PostgreSQL at scale.

Code outside the store imports this package only: `Store` and its verbs, and the rows,
results and constants those verbs take and give (tests/test_layers.py holds to that).
"""

from marsad.store.cleaning import cleaning_values
from marsad.store.desk_accounts import Session, User
from marsad.store.enrichment import EnrichedBatch
from marsad.store.keyphrases import KINDS
from marsad.store.queries import ArticleCard, StoryCard
from marsad.store.rows import SourceRow, StoredArticle, StoryRow
from marsad.store.search import TOTAL_CAP
from marsad.store.search_verbs import Sort, Suggestions
from marsad.store.store import Store, open_store
from marsad.store.transfer import TargetNotEmpty, copy_store

__all__ = [
    "KINDS",
    "TOTAL_CAP",
    "ArticleCard",
    "EnrichedBatch",
    "Session",
    "Sort",
    "SourceRow",
    "Store",
    "StoredArticle",
    "StoryCard",
    "StoryRow",
    "Suggestions",
    "TargetNotEmpty",
    "User",
    "cleaning_values",
    "copy_store",
    "open_store",
]

"""Storage behind one narrow interface: SQLite by default, PostgreSQL at scale.

Code outside the store imports this package only: `Storage` (the verbs it may call, which
`Store` has), `open_store`, and the rows, results and constants those verbs take and give
(tests/test_layers.py holds to that).
"""

from marsad.store.cleaning import cleaning_values
from marsad.store.desk_accounts import Session, User
from marsad.store.enrichment import EnrichedBatch
from marsad.store.keyphrases import KINDS
from marsad.store.pg_search import TERMS_INDEX as PG_TERMS_INDEX
from marsad.store.queries import ArticleCard, StoryCard
from marsad.store.rows import SourceRow, StoredArticle, StoryRow
from marsad.store.search import TOTAL_CAP, search_stems
from marsad.store.search_verbs import Sort, Suggestions
from marsad.store.storage import Storage
from marsad.store.store import Store, open_store
from marsad.store.times import utc_naive
from marsad.store.transfer import TargetNotEmpty, copy_store

__all__ = [
    "KINDS",
    "PG_TERMS_INDEX",
    "TOTAL_CAP",
    "ArticleCard",
    "EnrichedBatch",
    "Session",
    "Sort",
    "SourceRow",
    "Storage",
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
    "search_stems",
    "utc_naive",
]

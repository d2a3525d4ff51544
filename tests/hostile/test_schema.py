"""schemathesis against the app's own OpenAPI schema: any request the schema allows, and the
malformed ones it generates around it, is answered without a 5xx and with the security headers.

The store holds real articles with hostile names and dates, in a story with keyphrases, so the
generated ids, tags and queries reach real rows on both backends. Examples are bounded (see
`settings` below) and derandomized by the suite's hypothesis profile.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from store_writes import create_story, save_enrichments, update_story

from marsad.models import Article, Enrichment, RawArticle, StoryChange
from marsad.pipeline import normalize
from marsad.settings import Settings
from marsad.store import Store
from marsad.web import create_app

# Valid and invalid requests per backend; `bench/fuzz.py` is where long runs belong.
EXAMPLES = 100


@pytest.fixture()
def app(store: Store, okaz: list[RawArticle]) -> Any:
    """The app over a store of real articles with hostile names and calendar-edge dates."""
    batch = []
    for raw, moment in zip(okaz, [datetime(9999, 12, 31, tzinfo=UTC), None], strict=False):
        found = normalize(replace(raw, source_name="<script>alert(1)</script>"))
        assert isinstance(found, Article)
        batch.append(replace(found, published_at=moment or found.published_at))
    ids = [i for i in store.add_articles(batch) if i is not None]
    story = create_story(store, "<b>قصة</b>")
    save_enrichments(store, [(i, Enrichment(["مكة المكرمة", "%00"], story_id=story)) for i in ids])
    update_story(store, story, StoryChange("<b>قصة</b>", ids[0], datetime.now(UTC)))
    return create_app(Settings(), store=store)


@pytest.fixture(scope="session")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The app's own OpenAPI schema, loaded once (loading takes seconds; it is the same schema
    whatever the store)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('schema') / 'marsad.db'}"
    return schemathesis.openapi.from_dict(create_app(Settings(db_url=url)).openapi())


def test_the_api_never_answers_5xx(app: Any, api_schema: Any) -> None:
    schema = api_schema
    client = TestClient(app, raise_server_exceptions=False)
    seen: Counter[str] = Counter()
    statuses: Counter[int] = Counter()

    cases = st.one_of(schema.as_strategy(), schema.as_strategy(GenerationMode.NEGATIVE))

    @settings(max_examples=EXAMPLES, suppress_health_check=list(HealthCheck))
    @given(case=cases)
    def one(case: Any) -> None:
        kwargs = case.as_transport_kwargs(base_url="http://testserver")
        kwargs.pop("timeout", None)
        client.cookies = kwargs.pop("cookies", None) or {}
        response = client.request(**kwargs)
        seen[f"{case.method} {case.path}"] += 1
        statuses[response.status_code] += 1
        assert response.status_code < 500, (case.path, case.path_parameters, case.query)
        assert "default-src 'none'" in response.headers["content-security-policy"]

    one()
    assert statuses[200] and statuses[404] and statuses[422], statuses  # all three kinds tried
    assert len(seen) == len([p for p in app.openapi()["paths"]]), seen  # every operation

"""Property tests: whatever a stranger sends, each stage returns a result or a named rejection.

Hypothesis draws the inputs (bounded and derandomized: the `marsad` profile in conftest.py,
so CI runs the same examples every time); a stage may answer its result, `Rejection`,
`FetchError`, `BadURL` or None where its contract says so, and never raise anything else. The
results are checked for the promises marsad makes about what it keeps: http(s) URLs that
parse, plausible dates, no NUL or lone surrogate in any text.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.ingest.charset import UndecodableError, decode
from marsad.ingest.dates import parse_date, plausible
from marsad.ingest.failures import FetchError
from marsad.ingest.feeds import parse_feed
from marsad.ingest.fetch import parse_retry_after
from marsad.ingest.importers import read_records, to_raw
from marsad.models import Article, RawArticle, Rejection
from marsad.pipeline import normalize
from marsad.store import Store
from marsad.store.dialect import fts_tokens, pg_tsquery
from marsad.store.search import query_terms
from marsad.urls import BadURL, canonical_url, web_url

# Text that reaches for the edges: Arabic, markup, controls, surrogates, URL punctuation.
hostile_text = st.text(
    st.one_of(
        st.characters(),
        st.sampled_from(list("سعودية٠١٢<>&\"';:/?#[]@%\x00\ud800\ufeff\u202e")),
    ),
    max_size=80,
)
url_parts = st.sampled_from(
    ["http://", "https://", "HTTP://", "javascript:", "file:///", "ftp://", "//", "", "data:"]
)
hosts = st.sampled_from(
    ["example.com", "[::1", "[::1]", "a:b:c", "127.0.0.1:99999", "xn--mgbh0fb.sa", "", "مرصد.سعودي"]
)
urls = st.builds(lambda a, b, c: a + b + c, url_parts, hosts, hostile_text)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | hostile_text | urls,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner, max_size=4),
    max_leaves=12,
)
record_fields = st.fixed_dictionaries(
    {},
    optional={
        "url": urls | json_values,
        "source": hostile_text | json_values,
        "title": hostile_text,
        "content": hostile_text,
        "date_extracted": hostile_text
        | st.datetimes().map(str)
        | st.datetimes(timezones=st.timezones()).map(datetime.isoformat),
        "author": hostile_text | json_values,
    },
)


def clean(text: str | None) -> bool:
    """No NUL and no lone surrogate."""
    return text is None or not any(c == "\x00" or "\ud800" <= c <= "\udfff" for c in text)


def check_article(found: Article | Rejection) -> None:
    """An Article keeps only what marsad promises to keep."""
    if isinstance(found, Rejection):
        assert found.reason
        return
    assert web_url(found.url) == found.url and canonical_url(found.url) == found.url
    assert found.image is None or web_url(found.image) is not None
    assert found.published_at is None or plausible(found.published_at)
    for text in (found.title, found.text, found.author, found.source, found.source_name):
        assert clean(text), text


@given(url=urls | hostile_text, base=st.none() | urls)
def test_web_url_and_canonical_url_answer_a_url_or_bad_url(url: str, base: str | None) -> None:
    found = web_url(url, base)
    assert found is None or found.lower().startswith(("http://", "https://"))
    try:
        canonical = canonical_url(url)
    except BadURL:
        assert web_url(url) is None
        return
    assert web_url(canonical) == canonical
    assert canonical_url(canonical) == canonical  # canonical means a fixed point


@given(text=hostile_text | st.datetimes().map(str) | st.datetimes().map(lambda d: d.ctime()))
def test_dates_answer_an_aware_time_or_none(text: str) -> None:
    found = parse_date(text)
    assert found is None or found.tzinfo is not None
    if found is not None:
        plausible(found)  # never raises, whatever the year


@given(value=st.none() | hostile_text | st.integers(min_value=0).map(str))
def test_retry_after_is_a_bounded_wait_or_none(value: str | None) -> None:
    wait = parse_retry_after(value)
    assert wait is None or 0.0 <= wait <= 366 * 24 * 3600


@given(item=json_values | record_fields)
def test_records_become_an_article_or_a_rejection(item: Any) -> None:
    raw = to_raw(item, "test", {})
    assert isinstance(raw, RawArticle | Rejection)
    if isinstance(raw, RawArticle):
        check_article(normalize(raw))


@settings(max_examples=60)
@given(
    data=st.binary(max_size=2000)
    | st.lists(json_values | record_fields).map(
        lambda items: "\n".join(json.dumps(i) for i in items).encode()
    ),
    suffix=st.sampled_from([".json", ".jsonl", ".zip"]),
)
def test_dump_files_yield_records_or_rejections(
    data: bytes, suffix: str, tmp_path_factory: Any
) -> None:
    path = Path(tmp_path_factory.mktemp("dump")) / f"dump{suffix}"
    if suffix == ".zip" and data[:1] == b"{":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("a.jsonl", data)
            archive.writestr("b.json", b"[" + data.replace(b"\n", b",") + b"]")
        data = buffer.getvalue()
    path.write_bytes(data)
    for found in read_records(path, {}):
        assert isinstance(found, RawArticle | Rejection)
        if isinstance(found, RawArticle):
            check_article(normalize(found))


def rss_item(title: str, link: str, date: str, guid: str) -> str:
    return (
        f"<item><title>{title}</title><link>{link}</link><pubDate>{date}</pubDate>"
        f"<guid>{guid}</guid><description>{title}</description></item>"
    )


feeds_xml = st.builds(
    lambda items, head: (
        f'<?xml version="1.0"?>{head}<rss version="2.0"><channel><title>t</title>'
        + "".join(items)
        + "</channel></rss>"
    ).encode("utf-8", "surrogatepass"),
    st.lists(st.builds(rss_item, hostile_text, urls, hostile_text, hostile_text), max_size=4),
    st.sampled_from(["", '<!DOCTYPE r [<!ENTITY e "&#x0;">]>', "<!-- -->"]),
)
feeds_json = st.builds(
    lambda items, title: json.dumps(
        {"version": "https://jsonfeed.org/version/1.1", "title": title, "items": items}
    ).encode(),
    st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                "id": json_values,
                "url": urls | json_values,
                "title": json_values,
                "date_published": hostile_text | json_values,
                "authors": json_values,
                "summary": json_values,
            },
        )
        | json_values,
        max_size=4,
    ),
    json_values,
)


@settings(max_examples=150)
@given(
    body=feeds_xml | feeds_json | st.binary(max_size=1000),
    content_type=st.none() | st.sampled_from(["application/rss+xml", "text/xml; charset=utf-16"]),
)
def test_feeds_parse_to_entries_or_a_fetch_error(body: bytes, content_type: str | None) -> None:
    try:
        feed = parse_feed(body, "https://feeds.example/rss", content_type)
    except FetchError as error:
        assert error.reason
        return
    for entry in feed.entries:
        assert web_url(entry.link) == entry.link
        assert entry.published_at is None or plausible(entry.published_at)
    assert feed.site_url is None or web_url(feed.site_url) is not None


@given(body=st.binary(max_size=2000), content_type=st.none() | hostile_text)
def test_decode_answers_text_or_undecodable(body: bytes, content_type: str | None) -> None:
    try:
        decoded = decode(body, content_type)
    except UndecodableError:
        return
    assert isinstance(decoded.text, str)


@given(query=hostile_text)
def test_search_queries_become_terms_and_safe_literals(query: str) -> None:
    terms = query_terms(query)
    assert all(isinstance(t, str) and t for t in terms)
    literal = pg_tsquery(terms)
    if literal is not None:
        # Every token is quoted; nothing of the query acts as a tsquery operator.
        assert all(token in literal for term in terms for token in fts_tokens(term)[:1])


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=hostile_text.filter(lambda q: q.strip()))
def test_any_query_searches_on_both_backends(query: str, store: Store) -> None:
    ids, total = store.search(query, limit=5, offset=0)
    assert all(isinstance(i, int) for i in ids) and 0 <= total <= 1000

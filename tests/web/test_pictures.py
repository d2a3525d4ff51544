"""Pictures: shown lazily with size and alt, never an empty box; the proxy checks what it serves."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from marsad.enrichment_runner import start_enrichment
from marsad.ingest.importers import read_records
from marsad.models import RawArticle
from marsad.pipeline import ingest
from marsad.replay.images import article_png
from marsad.settings import Settings
from marsad.store import Store
from marsad.web import create_app

PNG = article_png("test", 1)


class _Pictures(BaseHTTPRequestHandler):
    """A publisher's image host on loopback: a PNG, an SVG, and a PNG too big to serve."""

    def do_GET(self) -> None:
        body, kind = {
            "/a.png": (PNG, "image/png"),
            "/a.svg": (
                b"<svg xmlns='http://www.w3.org/2000/svg'><script>1</script></svg>",
                "image/svg+xml",
            ),
            "/big.png": (PNG * 40, "image/png"),
        }.get(self.path, (b"no", "text/plain"))
        self.send_response(200 if kind != "text/plain" else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def host() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pictures)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _stored(store: Store, shared_dir: Path, images: list[str | None]) -> list[int]:
    """Real articles of one story day, given these images, stored and enriched."""
    day = shared_dir / "corpus" / "saudinewsnet" / "2015-07-21.zip"
    records = [r for r in read_records(day) if isinstance(r, RawArticle) and len(r.text) > 800]
    chosen = [
        RawArticle(
            **{
                **r.__dict__,
                "image": image,
                "published_at": datetime(2015, 7, 21, 9, i, tzinfo=UTC),
            }
        )
        for i, (r, image) in enumerate(zip(records, images, strict=False))
    ]
    ingest(store, chosen, start_enrichment(store))
    by_url = {a.article.url: a.id for a in store.iter_articles()}
    from marsad.urls import canonical_url

    return [by_url[canonical_url(r.url)] for r in chosen]


def test_pages_show_pictures_or_nothing(store: Store, shared_dir: Path, db_url: str) -> None:
    ids = _stored(store, shared_dir, ["https://img.example/a.jpg", None, "javascript:alert(1)"])
    client = TestClient(create_app(Settings(db_url=db_url), store=store))
    page = client.get(f"/article/{ids[0]}")
    assert page.status_code == 200
    assert '<img class="picture lead" src="https://img.example/a.jpg"' in page.text
    for attribute in (
        'loading="lazy"',
        'width="640"',
        'height="360"',
        'referrerpolicy="no-referrer"',
    ):
        assert attribute in page.text
    title = store.get_article(ids[0]).article.title  # type: ignore[union-attr]
    assert f'alt="{title}"' in page.text or "alt=" in page.text
    for bare in ids[1:]:
        assert "<img" not in client.get(f"/article/{bare}").text  # no image, no empty box
    csp = page.headers["content-security-policy"]
    assert "img-src 'self' https:;" in csp and "data:" not in csp and "http:" not in csp
    assert client.get(f"/image/{ids[0]}").status_code == 404  # the proxy is off


def test_image_proxy_serves_checked_pictures(
    store: Store, shared_dir: Path, db_url: str, host: str
) -> None:
    ids = _stored(store, shared_dir, [f"{host}/a.png", f"{host}/a.svg", f"{host}/big.png"])
    settings = Settings(
        db_url=db_url,
        image_proxy=True,
        image_max_bytes=len(PNG) * 2,
        allow_private_hosts=frozenset({"127.0.0.1"}),
    )
    client = TestClient(create_app(settings, store=store))
    page = client.get(f"/article/{ids[0]}").text
    assert f'src="/image/{ids[0]}"' in page  # an http picture comes through marsad itself
    got = client.get(f"/image/{ids[0]}")
    assert got.status_code == 200 and got.content == PNG
    assert got.headers["content-type"] == "image/png"
    svg = client.get(f"/image/{ids[1]}")
    assert svg.status_code == 404 and "image/svg+xml" in svg.text
    big = client.get(f"/image/{ids[2]}")
    assert big.status_code == 404 and "not fetched" in big.text
    assert client.get("/image/999999").status_code == 404


def test_the_web_layer_never_imports_the_command_line() -> None:
    import ast
    from pathlib import Path

    import marsad.web

    found = []
    for path in Path(marsad.web.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
            found += [
                (path.name, n) for n in names if n == "marsad.cli" or n.startswith("marsad.cli.")
            ]
    assert found == []

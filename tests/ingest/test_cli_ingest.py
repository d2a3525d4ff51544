"""The ingest commands as a user runs them: extract, sources, fetch, run under a signal."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from marsad.cli import main
from marsad.ingest.opml import parse_opml
from marsad.ingest.quality import token_f1
from marsad.models import Article, RawArticle
from marsad.replay.server import RunningReplay

Start = Callable[..., RunningReplay]
REPO = Path(__file__).resolve().parent.parent.parent


def test_extract_json_on_the_cnn_page(shared_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = shared_dir / "pages" / "cnn_arabic_2013"
    meta = json.loads((folder / "expected_metadata.json").read_text("utf-8"))
    assert main(["extract", str(folder / "page.html"), "--url", meta["url"], "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert {"title", "text", "author", "published_at", "url"} <= set(found)
    assert found["title"] == meta["title"]
    assert token_f1(found["text"], (folder / "expected_text.txt").read_text("utf-8")) >= 0.97
    assert found["published_at"].startswith("2013-08-28T14:00")


def test_sources_add_list_export_remove(
    replay: Start,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = replay()
    monkeypatch.setenv("MARSAD_DB", f"sqlite:///{tmp_path / 'm.db'}")
    # A site's home page resolves to the feed it advertises.
    assert main(["sources", "add", f"{server.url}/okaz/", "--allow-host", "127.0.0.1"]) == 0
    assert f"okaz: عكاظ <{server.url}/okaz/feed.xml>" in capsys.readouterr().out
    assert main(["sources", "add", f"{server.url}/sabq/feed.xml", "--name", "سبق الإلكترونية",
                 "--allow-host", "127.0.0.1"]) == 0  # fmt: skip
    capsys.readouterr()

    assert main(["sources", "list"]) == 0
    listing = capsys.readouterr().out
    assert "okaz" in listing and "sabq" in listing and "never" in listing

    assert main(["sources", "export-opml"]) == 0
    feeds = parse_opml(capsys.readouterr().out.encode())
    assert {(f.title, f.xml_url) for f in feeds} == {
        ("عكاظ", f"{server.url}/okaz/feed.xml"),
        ("سبق الإلكترونية", f"{server.url}/sabq/feed.xml"),
    }
    assert main(["sources", "remove", "okaz"]) == 0
    assert main(["sources", "remove", "okaz"]) == 1
    assert capsys.readouterr().out.splitlines() == ["removed okaz", "no source okaz"]
    assert main(["sources", "list", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["slug"] for r in rows] == ["sabq"]


def test_sources_add_refuses_loopback_unless_allowed(
    replay: Start,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = replay()
    monkeypatch.setenv("MARSAD_DB", f"sqlite:///{tmp_path / 'm.db'}")
    monkeypatch.delenv("MARSAD_ALLOW_HOSTS", raising=False)
    assert main(["sources", "add", f"{server.url}/okaz/"]) == 1
    assert "private address refused" in capsys.readouterr().err


def test_run_stops_cleanly_on_sigterm(replay: Start, tmp_path: Path) -> None:
    server = replay()
    env = {
        **os.environ,
        "MARSAD_DB": f"sqlite:///{tmp_path / 'm.db'}",
        "MARSAD_ALLOW_HOSTS": "127.0.0.1",
    }
    marsad = [str(Path(sys.executable).parent / "marsad")]
    subprocess.run(
        [*marsad, "sources", "import-opml", f"{server.url}/sources.opml"],
        env=env, check=True, capture_output=True, cwd=REPO,
    )  # fmt: skip
    process = subprocess.Popen(
        [*marsad, "run", "--no-enrich", "--delay", "0", "--per-host", "4"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        lines: list[str] = []
        assert process.stdout is not None
        while len(lines) < 3 and time.monotonic() < deadline:
            line = process.stdout.readline()
            if line:
                lines.append(line)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert len(lines) == 3 and all(": ok: " in line for line in lines)
    assert out.strip().endswith("stopped")


def test_extract_json_shows_what_cleaning_removed_and_the_picture(
    replay: Start,
    sample: list[RawArticle],
    day_articles: list[RawArticle],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from marsad.pipeline import Cleaner, normalize
    from marsad.store import open_store

    monkeypatch.setenv("MARSAD_DB", f"sqlite:///{tmp_path / 'm.db'}")
    store = open_store(f"sqlite:///{tmp_path / 'm.db'}")
    store.ensure_sources({"sabq": "سبق"})
    cleaner = Cleaner.load(store)
    for raw in [a for a in day_articles if a.source == "sabq"][:80]:
        article = normalize(raw)
        if isinstance(article, Article):
            cleaner.learn_and_clean(article)
    cleaner.save(store)
    store.close()
    server = replay()
    feed = httpx.get(f"{server.url}/sabq/feed.xml").text
    links = re.findall(r"<link>(http://127\.0\.0\.1[^<]+\.html)</link>", feed)
    pages = [(link, httpx.get(link)) for link in links]
    found = []
    for n, (link, page) in enumerate(pages):
        path = tmp_path / f"{n}.html"
        path.write_bytes(page.content)
        status = main(["extract", str(path), "--url", link, "--json", "--source", "sabq"])
        out = capsys.readouterr()
        if status == 1:  # a corpus record with no text: said so, in words
            assert "no article text" in out.err
            continue
        found.append((link, json.loads(out.out)))
    assert len(found) >= len(pages) - 2
    cut = [data for _, data in found if data["cleaning"]["removed"]]
    assert cut, "no sabq page had its byline removed"
    for data in cut:
        removal = data["cleaning"]["removed"][0]
        # «سبق- الرياض:», «واس- جدة:»: a dateline byline, cut with the reason in words.
        assert removal["where"] == "start" and removal["text"].endswith(":") and removal["reason"]
        assert not data["cleaning"]["reading_text"].startswith(removal["text"])
        assert data["cleaning"]["author"] is None or not data["cleaning"]["author"].endswith(":")
    # The replay's sabq site puts its picture in a figure, with a relative address.
    pictures = [data["image"] for _, data in found]
    assert pictures and all(p.startswith(server.url) and p.endswith(".png") for p in pictures)
    got = httpx.get(pictures[0])
    assert got.headers["content-type"] == "image/png" and got.content[:4] == b"\x89PNG"

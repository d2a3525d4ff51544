"""Hostile dumps: nothing in a file ends `marsad import`, and memory stays near one record.

Each file is made in the test around real corpus records (issue 15, items 6 and 7, and
`import missing.json`); the bad record is rejected with a reason and the good ones are stored,
on both backends.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from marsad.cli import main
from marsad.ingest.importers import read_records
from marsad.ingest.limits import Limits
from marsad.models import RawArticle, Rejection
from marsad.store import Store


def record(article: RawArticle, **change: Any) -> dict[str, Any]:
    """A dump record of a real article, with fields changed."""
    data = {
        "source": article.source,
        "url": article.url,
        "title": article.title,
        "content": article.text,
        "date_extracted": "2015-07-21 02:51:32",
    }
    data.update(change)
    return data


def line(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False)


def run_import(path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("MARSAD_DB", db_url)
    return main(["import", str(path), "--no-enrich", "--quiet"])


def test_bad_records_are_rejected_one_by_one_and_the_rest_imported(
    okaz: list[RawArticle],
    tmp_path: Path,
    db_url: str,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = [
        '{"nested": ' + "[" * 200_000 + "]" * 200_000 + "}",  # RecursionError in json
        '{"n": ' + "7" * 5000 + "}",  # ValueError: too many digits for an int
        line(record(okaz[0], date_extracted="9999-12-31T22:30:00+00:00")),
        line(record(okaz[0], date_extracted="9999-12-31T22:30:00-05:00")),
        line(record(okaz[0], date_extracted="0001-01-01T00:30:00+05:00")),
        "\x00not json",
    ]
    good = [
        # A lone surrogate and NULs, removed at normalize (PostgreSQL refuses NUL outright).
        json.dumps(record(okaz[1], title=okaz[1].title + "\ud800", content=okaz[1].text + "\x00")),
        line(record(okaz[2], title="\x00" + okaz[2].title)),
        line(record(okaz[3])),
    ]
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join([good[0], *bad, *good[1:]]) + "\n", encoding="utf-8")
    assert run_import(path, db_url, monkeypatch) == 0
    out = capsys.readouterr().out
    assert "imported: 3" in out and "rejected: 6" in out, out
    assert "bad JSON line 2: 2" not in out and "bad JSON line" in out
    assert "date out of range (before 1990 or in the future): 3" in out
    titles = {a.article.title for a in store.iter_articles()}
    assert titles == {okaz[1].title, okaz[2].title, okaz[3].title}
    assert all("\x00" not in a.article.text for a in store.iter_articles())


def test_a_json_array_with_a_bad_record_keeps_what_came_before(
    okaz: list[RawArticle], tmp_path: Path
) -> None:
    path = tmp_path / "dump.json"
    path.write_text(
        "[" + line(record(okaz[0])) + ", " + "[" * 100_000 + "]" * 100_000 + "]",
        encoding="utf-8",
    )
    found = list(read_records(path, {}))
    assert isinstance(found[0], RawArticle) and found[0].url == okaz[0].url
    assert isinstance(found[1], Rejection) and found[1].reason.startswith("bad JSON")


def test_a_corrupt_zip_member_is_rejected_and_the_next_read(
    okaz: list[RawArticle],
    tmp_path: Path,
    db_url: str,
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "corrupt.zip"
    payload = ("[" + ",".join(line(record(a)) for a in okaz[:3]) + "]").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a-broken.json", payload)
        archive.writestr("b-good.json", ("[" + line(record(okaz[4])) + "]").encode())
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("a-broken.json")
    start = info.header_offset + 30 + len(info.filename)  # the member's deflate stream
    data[start + 10 : start + 60] = b"\xff" * 50
    path.write_bytes(bytes(data))
    assert run_import(path, db_url, monkeypatch) == 0
    out = capsys.readouterr().out
    assert "corrupt archive member" in out, out
    assert okaz[4].url in {a.article.url for a in store.iter_articles()}


def test_an_oversized_member_and_record_are_refused_by_the_limits(
    okaz: list[RawArticle], tmp_path: Path
) -> None:
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.json", b"[" + b" " * (8 * 1024 * 1024) + b"]")
        long_line = line(record(okaz[0], content="ش" * 300_000))
        archive.writestr("lines.jsonl", f"{long_line}\n{line(record(okaz[1]))}\n".encode())
    assert path.stat().st_size < 100_000
    limits = Limits(max_member_bytes=1024 * 1024, max_record_bytes=256 * 1024)
    found = list(read_records(path, {}, limits))
    reasons = [r.reason for r in found if isinstance(r, Rejection)]
    assert reasons == [
        f"archive member over 1048576 bytes ({8 * 1024 * 1024 + 2})",
        "record over 262144 bytes",
    ]
    assert [r.url for r in found if isinstance(r, RawArticle)] == [okaz[1].url]


def test_a_zip_bomb_member_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """A zip bomb as in the issue (1 GiB in 1 MB there), just past the default member limit."""
    path = tmp_path / "gib.zip"
    block = b" " * (1024 * 1024)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("big.jsonl", "w", force_zip64=True) as member,
    ):
        for _ in range(257):
            member.write(block)
    assert path.stat().st_size < 2 * 1024 * 1024
    code = (
        "import sys, tracemalloc\n"
        "from pathlib import Path\n"
        "from marsad.ingest.importers import read_records\n"
        "tracemalloc.start()\n"
        "found = list(read_records(Path(sys.argv[1]), {}))\n"
        "print(found[0].reason)\n"
        "print(tracemalloc.get_traced_memory()[1])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    reason, peak = done.stdout.split("\n")[:2]
    assert reason.startswith("archive member over 268435456 bytes")
    assert int(peak) < 32 * 1024 * 1024, peak  # reading the member whole took 2.35 GB


def test_importing_a_missing_file_fails_in_words(
    tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_import(tmp_path / "missing.json", db_url, monkeypatch) == 2
    assert "no such file" in capsys.readouterr().err

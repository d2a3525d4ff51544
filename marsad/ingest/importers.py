"""Offline dumps into RawArticles: SaudiNewsNet daily files (zip or JSON) and JSONL files."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from marsad.models import RawArticle, Rejection

Record = RawArticle | Rejection


def source_names() -> dict[str, str]:
    """Display names of the SaudiNewsNet sources, by slug."""
    data = resources.files("marsad.ingest").joinpath("data/saudinewsnet_sources.json")
    names: dict[str, str] = json.loads(data.read_text(encoding="utf-8"))
    return names


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files to import: the files given, and the .zip/.json/.jsonl files inside folders given."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(p for p in path.iterdir() if p.suffix in {".zip", ".json", ".jsonl"})
            )
        else:
            found.append(path)
    return found


def read_records(path: Path, names: dict[str, str] | None = None) -> Iterator[Record]:
    """Yield every article (or the reason it was rejected) in one dump file."""
    names = source_names() if names is None else names
    where = str(path)
    try:
        if path.suffix == ".zip":
            yield from _read_zip(path, names)
        elif path.suffix == ".jsonl":
            with path.open("rb") as handle:
                yield from _read_jsonl(handle, where, names)
        else:
            yield from _read_json(path.read_bytes(), where, names)
    except FileNotFoundError:
        yield Rejection("file not found", where)
    except (OSError, zipfile.BadZipFile) as exc:
        yield Rejection(f"unreadable file ({exc.__class__.__name__}: {exc})", where)


def _read_zip(path: Path, names: dict[str, str]) -> Iterator[Record]:
    """Each JSON or JSONL member of a zip archive."""
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            where = f"{path}:{member}"
            if member.endswith(".jsonl"):
                with archive.open(member) as handle:
                    yield from _read_jsonl(handle, where, names)
            elif member.endswith(".json"):
                yield from _read_json(archive.read(member), where, names)


def _read_json(data: bytes, where: str, names: dict[str, str]) -> Iterator[Record]:
    """A JSON array of article objects."""
    try:
        items = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        yield Rejection(f"bad JSON ({exc})", where)
        return
    if not isinstance(items, list):
        yield Rejection("bad JSON (expected an array of articles)", where)
        return
    for index, item in enumerate(items):
        yield to_raw(item, f"{where}[{index}]", names)


def _read_jsonl(lines: Iterable[bytes], where: str, names: dict[str, str]) -> Iterator[Record]:
    """One article object per line; a bad line is rejected with its number."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            yield Rejection(f"bad JSON line {number}", f"{where}:{number}")
            continue
        yield to_raw(item, f"{where}:{number}", names)


def to_raw(item: Any, where: str, names: dict[str, str]) -> Record:
    """Turn one decoded record into a RawArticle, or say why it cannot be one."""
    if not isinstance(item, dict):
        return Rejection("not an object", where)
    url = _text(item.get("url"))
    if not url:
        return Rejection("no URL", where)
    if not url.startswith(("http://", "https://")):
        return Rejection("URL is not http(s)", where)
    source = _text(item.get("source"))
    if not source:
        return Rejection("no source", where)
    when = item.get("published_at") or item.get("date_extracted")
    published = parse_time(when) if when else None
    if when and published is None:
        return Rejection("unreadable date", where)
    return RawArticle(
        url=url,
        source=source,
        source_name=_text(item.get("source_name")) or names.get(source, source),
        title=_text(item.get("title")),
        text=_text(item.get("content") or item.get("text")),
        author=_text(item.get("author")) or None,
        published_at=published,
    )


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 or `YYYY-MM-DD HH:MM:SS` time; naive times are taken as UTC."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _text(value: Any) -> str:
    """A field as stripped text ('' for missing or non-text)."""
    return value.strip() if isinstance(value, str) else ""

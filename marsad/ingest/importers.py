"""Offline dumps into RawArticles: SaudiNewsNet daily files (zip or JSON) and JSONL files."""

from __future__ import annotations

import codecs
import json
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import IO, Any

from marsad.ingest.dates import plausible
from marsad.ingest.limits import Limits
from marsad.models import RawArticle, Rejection

Record = RawArticle | Rejection
_CHUNK = 1024 * 1024
_SPACE = " \t\r\n"


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


def read_records(
    path: Path, names: dict[str, str] | None = None, limits: Limits | None = None
) -> Iterator[Record]:
    """Yield every article (or the reason it was rejected) in one dump file.

    Nothing in a dump ends the import: a file that cannot be read, a zip member that is
    corrupt or over `limits.max_member_bytes`, a record over `limits.max_record_bytes` or one
    that is not JSON each become a Rejection saying so, and reading goes on where it can.
    Files are read as streams, so memory stays near one record whatever the file's size.
    """
    names = source_names() if names is None else names
    limits = limits or Limits()
    where = str(path)
    try:
        if path.suffix == ".zip":
            yield from _read_zip(path, names, limits)
        else:
            with path.open("rb") as handle:
                yield from _read_stream(handle, path.suffix, where, names, limits)
    except FileNotFoundError:
        yield Rejection("file not found", where)
    except (OSError, zipfile.BadZipFile) as exc:
        yield Rejection(f"unreadable file ({exc.__class__.__name__}: {exc})", where)


def _read_zip(path: Path, names: dict[str, str], limits: Limits) -> Iterator[Record]:
    """Each JSON or JSONL member of a zip archive; a bad member is rejected, the rest read."""
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            where = f"{path}:{info.filename}"
            suffix = Path(info.filename).suffix
            if suffix not in (".json", ".jsonl"):
                continue
            if info.file_size > limits.max_member_bytes:
                cap = limits.max_member_bytes
                yield Rejection(f"archive member over {cap} bytes ({info.file_size})", where)
                continue
            try:
                with archive.open(info) as handle:
                    yield from _read_stream(handle, suffix, where, names, limits)
            except (OSError, zipfile.BadZipFile, zlib.error, EOFError, RuntimeError) as exc:
                # A corrupt deflate stream, a bad CRC, an encrypted member.
                yield Rejection(f"corrupt archive member ({exc.__class__.__name__})", where)


def _read_stream(
    handle: IO[bytes], suffix: str, where: str, names: dict[str, str], limits: Limits
) -> Iterator[Record]:
    """A .jsonl stream line by line, anything else as a JSON array, both under the caps."""
    capped = _Capped(handle, limits.max_member_bytes)
    if suffix == ".jsonl":
        yield from _read_jsonl(capped, where, names, limits.max_record_bytes)
    else:
        yield from _read_json(capped, where, names, limits.max_record_bytes)
    if capped.over:
        yield Rejection(f"file over {limits.max_member_bytes} bytes (rest not read)", where)


class _Capped:
    """A binary stream that ends (and says so) once `cap` bytes have been read from it."""

    def __init__(self, handle: IO[bytes], cap: int) -> None:
        self.handle, self.left, self.over = handle, cap, False

    def read(self, size: int) -> bytes:
        """Up to `size` bytes, none past the cap."""
        if self.left <= 0:
            self.over = self.over or bool(self.handle.read(1))
            return b""
        data = self.handle.read(min(size, self.left))
        self.left -= len(data)
        return data

    def readline(self, size: int) -> bytes:
        """One line of at most `size` bytes, none past the cap."""
        if self.left <= 0:
            self.over = self.over or bool(self.handle.read(1))
            return b""
        data = self.handle.readline(min(size, self.left))
        self.left -= len(data)
        return data


def _read_json(stream: _Capped, where: str, names: dict[str, str], cap: int) -> Iterator[Record]:
    """A JSON array of article objects, decoded one element at a time."""
    decoder = json.JSONDecoder()
    text = codecs.getincrementaldecoder("utf-8-sig")("strict")
    buffer, at, index, ended = "", 0, 0, False

    def more() -> bool:
        nonlocal buffer, at, ended
        if ended:
            return False
        chunk = stream.read(_CHUNK)
        ended = not chunk
        buffer = buffer[at:] + text.decode(chunk, final=ended)
        at = 0
        return True

    def skip(chars: str) -> None:
        nonlocal at
        while True:
            while at < len(buffer) and buffer[at] in chars:
                at += 1
            if at < len(buffer) or not more():
                return

    try:
        skip(_SPACE)
        if at >= len(buffer) or buffer[at] != "[":
            yield Rejection("bad JSON (expected an array of articles)", where)
            return
        at += 1
        while True:
            skip(_SPACE + ",")
            if at < len(buffer) and buffer[at] == "]":
                return
            if at >= len(buffer):
                yield Rejection("bad JSON (the array is not closed)", where)
                return
            while True:
                try:
                    item, end = decoder.raw_decode(buffer, at)
                except json.JSONDecodeError as exc:
                    # Incomplete so far, or bad: read on while the record is under the cap.
                    if len(buffer) - at > cap:
                        yield Rejection(f"record over {cap} bytes (rest of file not read)", where)
                        return
                    if not more():
                        yield Rejection(f"bad JSON ({exc.msg} in record {index})", where)
                        return
                    continue
                break
            at = end
            yield to_raw(item, f"{where}[{index}]", names)
            index += 1
    except UnicodeDecodeError:
        yield Rejection(f"bad JSON (not UTF-8, from record {index})", where)
    except (RecursionError, ValueError) as exc:
        # Nesting deeper than Python's stack, a number of thousands of digits.
        yield Rejection(f"bad JSON ({exc.__class__.__name__} in record {index})", where)


def _read_jsonl(stream: _Capped, where: str, names: dict[str, str], cap: int) -> Iterator[Record]:
    """One article object per line; a bad or oversized line is rejected with its number."""
    number = 0
    while True:
        line = stream.readline(cap + 1)
        if not line:
            return
        number += 1
        if len(line) > cap and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of the line
                line = stream.readline(_CHUNK)
            yield Rejection(f"record over {cap} bytes", f"{where}:{number}")
            continue
        if not line.strip():
            continue
        try:
            item = json.loads(line.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            # Not UTF-8, not JSON, nested too deep, a number of thousands of digits.
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
    if published is not None and not plausible(published):
        return Rejection("date out of range (before 1990 or in the future)", where)
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

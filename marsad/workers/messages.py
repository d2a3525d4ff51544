"""What travels through the broker: raw articles as plain JSON objects."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import datetime
from typing import Any

from marsad.models import RawArticle

_TIMES = ("published_at", "fetched_at")


def raw_to_message(raw: RawArticle) -> dict[str, Any]:
    """A raw article as a JSON-ready object (times in ISO 8601)."""
    message = asdict(raw)
    for name in _TIMES:
        if message[name] is not None:
            message[name] = message[name].isoformat()
    return message


def raw_from_message(message: dict[str, Any]) -> RawArticle:
    """The raw article a message carries; unknown keys are ignored."""
    known = {f.name for f in fields(RawArticle)}
    values = {k: v for k, v in message.items() if k in known}
    for name in _TIMES:
        if values.get(name) is not None:
            values[name] = datetime.fromisoformat(values[name])
    return RawArticle(**values)

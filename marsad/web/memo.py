"""A small time-bounded memo for results every reader shares (front-page ranking, trending)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class TimedMemo:
    """Remember computed values for `ttl` seconds; one per app, never module-level."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._values: dict[str, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: str, compute: Callable[[], T]) -> T:
        """The value under key, computed again once it is older than the ttl."""
        now = time.monotonic()
        with self._lock:
            found = self._values.get(key)
        if found is not None and now - found[0] < self.ttl:
            value: T = found[1]
            return value
        value = compute()
        with self._lock:
            self._values[key] = (now, value)
        return value

    def clear(self) -> None:
        """Forget every value (after an editor changed what they show)."""
        with self._lock:
            self._values.clear()

"""One Settings object, read from the environment at the entry points only."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from marsad.ingest.fetch import DEFAULT_USER_AGENT, FetchOptions
from marsad.ingest.limits import Limits

DEFAULT_DB_PATH = Path("data") / "marsad.db"


def limits_from_env(env: dict[str, str]) -> Limits:
    """Limits from MARSAD_MAX_MEMBER_BYTES, MARSAD_MAX_RECORD_BYTES and MARSAD_MAX_NEW_ENTRIES,
    else the defaults."""
    return Limits(
        max_member_bytes=_positive(env, "MARSAD_MAX_MEMBER_BYTES", Limits.max_member_bytes),
        max_record_bytes=_positive(env, "MARSAD_MAX_RECORD_BYTES", Limits.max_record_bytes),
        max_new_entries=_positive(env, "MARSAD_MAX_NEW_ENTRIES", Limits.max_new_entries),
    )


def _positive(env: dict[str, str], name: str, default: int) -> int:
    """A positive whole number from the environment; a bad value is refused by name."""
    value = env.get(name)
    if value is None or not value.strip():
        return default
    if not value.strip().isdigit() or int(value) <= 0:
        raise ValueError(f"{name} must be a positive whole number, not {value!r}")
    return int(value)


@dataclass(frozen=True)
class Settings:
    """Everything configurable in marsad, passed down from the entry point."""

    db_url: str = f"sqlite:///{DEFAULT_DB_PATH}"
    user_agent: str = DEFAULT_USER_AGENT
    allow_private_hosts: frozenset[str] = field(default_factory=frozenset)
    broker_url: str = "redis://127.0.0.1:6379/0"
    shared_dir: Path = Path("../shared")
    limits: Limits = field(default_factory=Limits)
    # Serve publishers' pictures from marsad itself (/image/<article id>) instead of linking
    # them: readers' browsers then never contact the publisher. Off by default.
    image_proxy: bool = False
    image_max_bytes: int = 2 * 1024 * 1024

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Build settings from MARSAD_* environment variables."""
        env = dict(os.environ) if env is None else env
        allowed = env.get("MARSAD_ALLOW_HOSTS", "")
        return cls(
            db_url=env.get("MARSAD_DB", cls.db_url),
            user_agent=env.get("MARSAD_USER_AGENT", cls.user_agent),
            allow_private_hosts=frozenset(h.strip() for h in allowed.split(",") if h.strip()),
            broker_url=env.get("MARSAD_BROKER", cls.broker_url),
            shared_dir=Path(env.get("MARSAD_SHARED", "../shared")),
            limits=limits_from_env(env),
            image_proxy=env.get("MARSAD_IMAGE_PROXY", "").strip().lower()
            in ("1", "true", "yes", "on"),
            image_max_bytes=_positive(env, "MARSAD_IMAGE_MAX_BYTES", cls.image_max_bytes),
        )

    def fetch_options(self, **overrides: Any) -> FetchOptions:
        """Fetch options with these settings' User-Agent and allowed private hosts."""
        base = FetchOptions(user_agent=self.user_agent, allowed_hosts=self.allow_private_hosts)
        return replace(base, **overrides)

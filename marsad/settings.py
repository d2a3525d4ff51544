"""One Settings object, read from the environment at the entry points only."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from marsad.ingest.fetch import DEFAULT_USER_AGENT

DEFAULT_DB_PATH = Path("data") / "marsad.db"


@dataclass(frozen=True)
class Settings:
    """Everything configurable in marsad, passed down from the entry point."""

    db_url: str = f"sqlite:///{DEFAULT_DB_PATH}"
    user_agent: str = DEFAULT_USER_AGENT
    allow_private_hosts: frozenset[str] = field(default_factory=frozenset)
    broker_url: str = "redis://127.0.0.1:6379/0"
    shared_dir: Path = Path("../shared")

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
        )

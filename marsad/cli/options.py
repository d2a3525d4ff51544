"""Options the entry points build from the settings (the stages never read `Settings`)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from marsad.ingest.fetch import FetchOptions
from marsad.settings import Settings


def fetch_options(settings: Settings, **overrides: Any) -> FetchOptions:
    """Fetch options with the settings' User-Agent and allowed private hosts."""
    base = FetchOptions(user_agent=settings.user_agent, allowed_hosts=settings.allow_private_hosts)
    return replace(base, **overrides)

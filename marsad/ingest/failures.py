"""Why a fetch failed, in words a person reads in `sources list` and the fetch log."""

from __future__ import annotations

from enum import StrEnum

from marsad.arabic.normalize import remove_unsafe


class Reason(StrEnum):
    """Every way fetching a feed or a page can fail."""

    TIMEOUT = "timeout"
    HTTP_STATUS = "HTTP"  # rendered with the status: "HTTP 503"
    BLOCKED = "blocked by anti-bot challenge"
    NOT_A_FEED = "not a feed"
    TOO_LARGE = "too large"
    ROBOTS = "robots.txt disallows"
    UNDECODABLE = "undecodable"
    NO_TEXT = "no article text"
    REDIRECTS = "too many redirects"
    PRIVATE = "private address refused"
    CONNECTION = "connection failed"
    TRUNCATED = "truncated body"
    BAD_URL = "bad URL"
    PROTOCOL = "not an HTTP response"
    INTERNAL = "internal error"


class FetchError(Exception):
    """A failed fetch with its reason, the HTTP status if any and how long to wait before retrying."""

    def __init__(
        self,
        kind: Reason,
        detail: str = "",
        *,
        http_status: int | None = None,
        retry_after: float | None = None,
        retryable: bool = False,
    ) -> None:
        self.kind = kind
        # The detail may quote a publisher (a header, a URL): never a NUL into the fetch log.
        detail = remove_unsafe(detail)
        self.detail = detail
        self.http_status = http_status
        self.retry_after = retry_after
        self.retryable = retryable
        super().__init__(self.reason if not detail else f"{self.reason} ({detail})")

    @property
    def reason(self) -> str:
        """The short reason: `timeout`, `HTTP 503`, `not a feed`, ..."""
        if self.kind is Reason.HTTP_STATUS:
            return f"HTTP {self.http_status}"
        return self.kind.value

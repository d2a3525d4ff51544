"""Why a desk action was refused, in words an editor reads."""

from __future__ import annotations


class Refused(Exception):
    """A desk action that cannot be done; the message says why, in Arabic."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status

"""How much of an untrusted dump or feed marsad takes at once (the entry points set them)."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much of an untrusted dump or feed marsad takes at once; past a limit the record or
    file is refused, or the entries left for later, in words naming the limit (docs/security.md
    lists every limit and where it applies)."""

    # One member of a zip archive, or one .json file, read as a JSON array of articles.
    max_member_bytes: int = 256 * MB
    # One article record: a JSONL line, or one object of a JSON array.
    max_record_bytes: int = 16 * MB
    # New entries taken from one feed per check (newest first); the rest wait for the next.
    max_new_entries: int = 200

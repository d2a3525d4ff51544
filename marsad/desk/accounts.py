"""Accounts and roles: names, password hashing with argon2id, who may do what."""

from __future__ import annotations

import re
from typing import Literal

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

Role = Literal["admin", "editor"]
ROLES: tuple[Role, ...] = ("admin", "editor")
# Names are ASCII handles: they appear in the audit log and in cookies' owners, never as markup.
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$")
MIN_PASSWORD = 10
MAX_PASSWORD = 1024  # longer is refused before hashing, so no one makes the server hash a megabyte


def hasher() -> PasswordHasher:
    """argon2id with argon2-cffi's recommended cost (RFC 9106's second choice, 64 MiB)."""
    return PasswordHasher(type=Type.ID)


def valid_name(name: str) -> bool:
    """Whether a user name is acceptable."""
    return bool(NAME.match(name))


def password_problem(password: str) -> str | None:
    """Why a new password is refused, in words, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD:
        return f"كلمة المرور قصيرة: {MIN_PASSWORD} أحرف على الأقل"
    if len(password) > MAX_PASSWORD:
        return "كلمة المرور أطول من المسموح"
    return None


def hash_password(password: str) -> str:
    """The argon2id hash of a password (salted, with its parameters)."""
    return hasher().hash(password)


def check_password(stored_hash: str, password: str) -> bool:
    """Whether the password matches the stored hash (never raises on a bad hash)."""
    if len(password) > MAX_PASSWORD:
        return False
    try:
        return hasher().verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def may(role: str, needed: Role) -> bool:
    """Whether a role may do what needs `needed`: an admin may do everything."""
    return role == "admin" or (role == needed == "editor")

"""Desk accounts from the command line: argon2id hashes, never a password in the store."""

from __future__ import annotations

import io
import sys

import pytest
from sqlalchemy import MetaData, select

from marsad.cli import main
from marsad.desk.accounts import check_password, may
from marsad.store import Store

PASSWORD = "كلمة-سر-طويلة-2015"


def _cli(monkeypatch: pytest.MonkeyPatch, db_url: str, *argv: str, stdin: str = "") -> int:
    monkeypatch.setenv("MARSAD_DB", db_url)
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(list(argv))


def _every_value(store: Store) -> str:
    """Every value of every table, as one text (what a database dump would show)."""
    meta = MetaData()
    meta.reflect(store.engine)
    seen = []
    with store.engine.connect() as conn:
        for table in meta.sorted_tables:
            for row in conn.execute(select(table)):
                seen.extend(str(v) for v in row)
    return "\n".join(seen)


def test_users_add_list_passwd_remove(
    store: Store, db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        _cli(
            monkeypatch,
            db_url,
            "users",
            "add",
            "huda",
            "--role",
            "admin",
            "--password-stdin",
            stdin=PASSWORD + "\n",
        )
        == 0
    )
    assert (
        _cli(
            monkeypatch,
            db_url,
            "users",
            "add",
            "huda",
            "--role",
            "editor",
            "--password-stdin",
            stdin=PASSWORD + "\n",
        )
        == 1
    )
    assert (
        _cli(
            monkeypatch,
            db_url,
            "users",
            "add",
            "sami",
            "--role",
            "editor",
            "--password-stdin",
            stdin="short\n",
        )
        == 2
    )
    assert _cli(monkeypatch, db_url, "users", "list") == 0
    assert "huda\tadmin" in capsys.readouterr().out
    stored = store.password_hash("huda")
    assert stored is not None and stored.startswith("$argon2id$")
    assert check_password(stored, PASSWORD) and not check_password(stored, PASSWORD + "x")
    assert PASSWORD not in _every_value(store)
    assert (
        _cli(
            monkeypatch,
            db_url,
            "users",
            "passwd",
            "huda",
            "--password-stdin",
            stdin="another-long-one\n",
        )
        == 0
    )
    assert check_password(store.password_hash("huda") or "", "another-long-one")
    assert _cli(monkeypatch, db_url, "users", "remove", "huda") == 0
    assert store.get_user("huda") is None
    assert _cli(monkeypatch, db_url, "users", "remove", "huda") == 1


def test_tokens_shown_once_stored_hashed(
    store: Store, db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _cli(
        monkeypatch,
        db_url,
        "users",
        "add",
        "bot",
        "--role",
        "editor",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    capsys.readouterr()
    assert _cli(monkeypatch, db_url, "users", "token", "bot", "--label", "cron") == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert token.startswith("mrsd_")
    assert token not in _every_value(store)
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    user = store.token_user(token, now)
    assert user is not None and user.name == "bot"
    (listed,) = store.list_tokens()
    assert _cli(monkeypatch, db_url, "users", "revoke", str(listed.id)) == 0
    assert store.token_user(token, now) is None


def test_roles() -> None:
    assert may("admin", "admin") and may("admin", "editor") and may("editor", "editor")
    assert not may("editor", "admin") and not may("reader", "editor")

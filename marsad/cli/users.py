"""`marsad users`: desk accounts (add, list, passwd, remove) and their API tokens."""

from __future__ import annotations

import argparse
import getpass
import sys
from contextlib import closing
from datetime import UTC, datetime

from marsad.desk.accounts import ROLES, hash_password, password_problem, valid_name
from marsad.desk.sessions import new_api_token
from marsad.settings import Settings
from marsad.store import open_store


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the users command group."""
    p = subparsers.add_parser("users", help="editor's desk accounts and API tokens")
    sub = p.add_subparsers(dest="users_command", metavar="ACTION")
    sub.required = True
    add = sub.add_parser("add", help="add an account (the password is asked for)")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, required=True)
    _password_source(add)
    add.set_defaults(func=run_add)
    listing = sub.add_parser("list", help="list the accounts")
    listing.set_defaults(func=run_list)
    passwd = sub.add_parser("passwd", help="set an account's password (ends its sessions)")
    passwd.add_argument("name")
    _password_source(passwd)
    passwd.set_defaults(func=run_passwd)
    remove = sub.add_parser("remove", help="remove an account with its sessions and tokens")
    remove.add_argument("name")
    remove.set_defaults(func=run_remove)
    token = sub.add_parser("token", help="make an API token for an account (shown once)")
    token.add_argument("name")
    token.add_argument("--label", default="script", help="what the token is for")
    token.set_defaults(func=run_token)
    tokens = sub.add_parser("tokens", help="list API tokens (never the tokens themselves)")
    tokens.set_defaults(func=run_tokens)
    revoke = sub.add_parser("revoke", help="revoke an API token by its id")
    revoke.add_argument("token_id", type=int)
    revoke.set_defaults(func=run_revoke)


def _password_source(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of stdin (for scripts) instead of asking",
    )


def _read_password(args: argparse.Namespace) -> str | None:
    """The new password, asked twice on a terminal or read from stdin; None when refused."""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            print("users: the passwords differ", file=sys.stderr)
            return None
    problem = password_problem(password)
    if problem:
        print(f"users: {problem}", file=sys.stderr)
        return None
    return password


def _now() -> datetime:
    return datetime.now(UTC)


def run_add(args: argparse.Namespace, settings: Settings) -> int:
    """Add an account."""
    if not valid_name(args.name):
        print("users: a name is letters, digits, _ . - (at most 63)", file=sys.stderr)
        return 2
    password = _read_password(args)
    if password is None:
        return 2
    with closing(open_store(settings.db_url)) as store:
        if store.add_user(args.name, args.role, hash_password(password), _now()) is None:
            print(f"users: {args.name} exists already", file=sys.stderr)
            return 1
    print(f"added {args.name} ({args.role})")
    return 0


def run_list(args: argparse.Namespace, settings: Settings) -> int:
    """List the accounts."""
    with closing(open_store(settings.db_url)) as store:
        for user in store.list_users():
            print(f"{user.name}\t{user.role}\t{user.created_at:%Y-%m-%d %H:%M}")
    return 0


def run_passwd(args: argparse.Namespace, settings: Settings) -> int:
    """Set an account's password."""
    password = _read_password(args)
    if password is None:
        return 2
    with closing(open_store(settings.db_url)) as store:
        if not store.set_password(args.name, hash_password(password), _now()):
            print(f"users: no account {args.name}", file=sys.stderr)
            return 1
    print(f"password of {args.name} set; its sessions ended")
    return 0


def run_remove(args: argparse.Namespace, settings: Settings) -> int:
    """Remove an account."""
    with closing(open_store(settings.db_url)) as store:
        if not store.remove_user(args.name):
            print(f"users: no account {args.name}", file=sys.stderr)
            return 1
    print(f"removed {args.name}")
    return 0


def run_token(args: argparse.Namespace, settings: Settings) -> int:
    """Make an API token and print it once."""
    with closing(open_store(settings.db_url)) as store:
        user = store.get_user(args.name)
        if user is None:
            print(f"users: no account {args.name}", file=sys.stderr)
            return 1
        token = new_api_token()
        token_id = store.add_token(user.id, args.label[:200], token, _now())
    print(f"token {token_id} for {args.name} (shown once, keep it safe):")
    print(token)
    return 0


def run_tokens(args: argparse.Namespace, settings: Settings) -> int:
    """List the tokens."""
    with closing(open_store(settings.db_url)) as store:
        for t in store.list_tokens():
            state = f"revoked {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "live"
            print(f"{t.id}\t{t.user}\t{t.label}\t{state}")
    return 0


def run_revoke(args: argparse.Namespace, settings: Settings) -> int:
    """Revoke a token."""
    with closing(open_store(settings.db_url)) as store:
        if not store.revoke_token(args.token_id, _now()):
            print(f"users: no live token {args.token_id}", file=sys.stderr)
            return 1
    print(f"token {args.token_id} revoked")
    return 0

"""Store verbs of the desk's accounts: users, sessions, failed logins, API tokens, the key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, select, update

from marsad.desk.sessions import Failures, digest, new_id, new_secret
from marsad.store import dialect
from marsad.store.desk_schema import login_failures, secrets, sessions, tokens, users
from marsad.store.times import as_utc, utc_naive
from marsad.store.writer import Writes


@dataclass(frozen=True)
class User:
    """A desk account (its password hash stays in the store)."""

    id: int
    name: str
    role: str
    created_at: datetime


@dataclass(frozen=True)
class Session:
    """A live session: whose, its CSRF token, when it began and was last used."""

    user: User
    csrf: str
    created_at: datetime
    seen_at: datetime


@dataclass(frozen=True)
class TokenRow:
    """An API token as listed (never the token itself)."""

    id: int
    user: str
    label: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


def _user(row: object) -> User:
    m = row._mapping  # type: ignore[attr-defined]
    return User(int(m["id"]), m["name"], m["role"], as_utc(m["created_at"]) or datetime.min)


class AccountVerbs(Writes):
    """The store's verbs about desk accounts."""

    # -- users -------------------------------------------------------------------------------

    def add_user(self, name: str, role: str, password_hash: str, now: datetime) -> User | None:
        """A new account; None when the name is taken."""
        with self.writing() as conn:
            if conn.execute(select(users.c.id).where(users.c.name == name)).first():
                return None
            moment = utc_naive(now)
            user_id = conn.execute(
                users.insert()
                .values(
                    name=name,
                    role=role,
                    password_hash=password_hash,
                    created_at=moment,
                    updated_at=moment,
                )
                .returning(users.c.id)
            ).scalar_one()
        return User(int(user_id), name, role, now)

    def list_users(self) -> list[User]:
        """Every account, by name."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(users).order_by(users.c.name)).all()
        return [_user(r) for r in rows]

    def get_user(self, name: str) -> User | None:
        """One account by name."""
        with self.engine.connect() as conn:
            row = conn.execute(select(users).where(users.c.name == name)).first()
        return None if row is None else _user(row)

    def password_hash(self, name: str) -> str | None:
        """The stored argon2id hash of an account's password."""
        with self.engine.connect() as conn:
            stmt = select(users.c.password_hash).where(users.c.name == name)
            return conn.execute(stmt).scalar_one_or_none()

    def set_password(self, name: str, password_hash: str, now: datetime) -> bool:
        """Replace an account's password and end its sessions; whether the account exists."""
        with self.writing() as conn:
            found = conn.execute(select(users.c.id).where(users.c.name == name)).scalar()
            if found is None:
                return False
            conn.execute(
                update(users)
                .where(users.c.id == found)
                .values(password_hash=password_hash, updated_at=utc_naive(now))
            )
            conn.execute(delete(sessions).where(sessions.c.user_id == found))
        return True

    def remove_user(self, name: str) -> bool:
        """Remove an account with its sessions and tokens; whether it existed."""
        with self.writing() as conn:
            found = conn.execute(select(users.c.id).where(users.c.name == name)).scalar()
            if found is None:
                return False
            conn.execute(delete(sessions).where(sessions.c.user_id == found))
            conn.execute(delete(tokens).where(tokens.c.user_id == found))
            conn.execute(delete(users).where(users.c.id == found))
        return True

    # -- the signing key -------------------------------------------------------------------------

    def desk_key(self) -> str:
        """The key that signs session cookies, made once and kept in the store."""
        with self.writing() as conn:
            found = conn.execute(select(secrets.c.key).where(secrets.c.id == 1)).scalar()
            if found is not None:
                return str(found)
            # Processes starting at once race here: the first key written is everyone's.
            conn.execute(
                dialect.insert_ignoring(secrets, conn, "id").values(id=1, key=new_secret())
            )
            return str(conn.execute(select(secrets.c.key).where(secrets.c.id == 1)).scalar_one())

    # -- sessions ----------------------------------------------------------------------------

    def start_session(self, user_id: int, now: datetime, ended: str | None = None) -> str:
        """A new session for a user (its id is returned once, stored only hashed); the session
        `ended` (the one the browser had before logging in) ends."""
        session_id = new_id()
        moment = utc_naive(now)
        with self.writing() as conn:
            if ended:
                conn.execute(delete(sessions).where(sessions.c.id_hash == digest(ended)))
            conn.execute(
                sessions.insert().values(
                    id_hash=digest(session_id),
                    user_id=user_id,
                    csrf=new_id(),
                    created_at=moment,
                    seen_at=moment,
                )
            )
        return session_id

    def find_session(self, session_id: str) -> Session | None:
        """The session with this id and its user, or None."""
        stmt = (
            select(sessions, users.c.name, users.c.role, users.c.created_at.label("user_created"))
            .join(users, users.c.id == sessions.c.user_id)
            .where(sessions.c.id_hash == digest(session_id))
        )
        with self.engine.connect() as conn:
            row = conn.execute(stmt).first()
        if row is None:
            return None
        m = row._mapping
        user = User(
            int(m["user_id"]), m["name"], m["role"], as_utc(m["user_created"]) or m["created_at"]
        )
        return Session(
            user,
            m["csrf"],
            as_utc(m["created_at"]) or m["created_at"],
            as_utc(m["seen_at"]) or m["seen_at"],
        )

    def touch_session(self, session_id: str, now: datetime) -> None:
        """Record that a session was used now (its idle time starts again)."""
        with self.writing() as conn:
            conn.execute(
                update(sessions)
                .where(sessions.c.id_hash == digest(session_id))
                .values(seen_at=utc_naive(now))
            )

    def end_session(self, session_id: str) -> None:
        """Log a session out."""
        with self.writing() as conn:
            conn.execute(delete(sessions).where(sessions.c.id_hash == digest(session_id)))

    # -- failed logins -----------------------------------------------------------------------

    def login_failures(self, keys: list[str]) -> dict[str, Failures]:
        """The failures kept for these keys."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(login_failures).where(login_failures.c.key.in_(keys))).all()
        return {
            r.key: Failures(int(r.failures), as_utc(r.last_at) or r.last_at, as_utc(r.locked_until))
            for r in rows
        }

    def save_login_failures(self, found: dict[str, Failures]) -> None:
        """Keep these keys' failures."""
        with self.writing() as conn:
            _replace_failures(conn, found)

    def clear_login_failures(self, keys: list[str]) -> None:
        """Forget these keys' failures (after a successful login)."""
        with self.writing() as conn:
            conn.execute(delete(login_failures).where(login_failures.c.key.in_(keys)))

    # -- API tokens --------------------------------------------------------------------------

    def add_token(self, user_id: int, label: str, token: str, now: datetime) -> int:
        """Keep a new token's hash; its id."""
        with self.writing() as conn:
            return int(
                conn.execute(
                    tokens.insert()
                    .values(
                        user_id=user_id,
                        label=label,
                        token_hash=digest(token),
                        created_at=utc_naive(now),
                    )
                    .returning(tokens.c.id)
                ).scalar_one()
            )

    def token_user(self, token: str, now: datetime) -> User | None:
        """The user of a live (not revoked) token, noting its use; None for any other."""
        stmt = (
            select(tokens.c.id, users)
            .join(users, users.c.id == tokens.c.user_id)
            .where(tokens.c.token_hash == digest(token), tokens.c.revoked_at.is_(None))
        )
        with self.writing() as conn:
            row = conn.execute(stmt).first()
            if row is None:
                return None
            conn.execute(
                update(tokens).where(tokens.c.id == row[0]).values(last_used_at=utc_naive(now))
            )
        m = row._mapping
        return User(int(m["id"]), m["name"], m["role"], as_utc(m["created_at"]) or now)

    def list_tokens(self) -> list[TokenRow]:
        """Every token, newest first."""
        stmt = (
            select(tokens, users.c.name)
            .join(users, users.c.id == tokens.c.user_id)
            .order_by(tokens.c.id.desc())
        )
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return [
            TokenRow(
                int(r.id),
                r.name,
                r.label,
                as_utc(r.created_at) or r.created_at,
                as_utc(r.last_used_at),
                as_utc(r.revoked_at),
            )
            for r in rows
        ]

    def revoke_token(self, token_id: int, now: datetime) -> bool:
        """Revoke a token; whether a live one had that id."""
        with self.writing() as conn:
            done = conn.execute(
                update(tokens)
                .where(tokens.c.id == token_id, tokens.c.revoked_at.is_(None))
                .values(revoked_at=utc_naive(now))
            )
        return bool(done.rowcount)


def _replace_failures(conn: Connection, found: dict[str, Failures]) -> None:
    """Write these keys' failure rows, replacing what was there."""
    if not found:
        return
    for key, f in sorted(found.items()):
        values = {
            "key": key,
            "failures": f.count,
            "last_at": utc_naive(f.last_at),
            "locked_until": utc_naive(f.locked_until),
        }
        conn.execute(dialect.upsert(login_failures, conn, "key", values))

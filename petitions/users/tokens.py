"""Per-user API tokens (issue 18): created and revoked by the user or an administrator.

A token reads ``pt_<id>_<secret>``; only the SHA-256 of the whole token is stored, beside
its public id, so it is shown once, at creation. A token acts as its user with the role
and unit the user had when it was made: once the user's role or scope changes (or the
account is deactivated) the token stops working, so a token never carries more — or other
— rights than its owner has today. Optional expiry date (end of that day, UTC).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from typing import Any

from sqlalchemy import Column, Date, DateTime, MetaData, String, Table, select, update
from sqlalchemy.engine import Engine

from domain.errors import DomainError, InvalidInput, N_
from domain.text import NAME_MAX, text_problem
from petitions.users.store import User, UserStore

tokens_metadata = MetaData()

api_tokens = Table(
    "api_tokens", tokens_metadata,
    Column("id", String(16), primary_key=True),
    Column("username", String(64), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("token_hash", String(64), nullable=False),
    Column("scope", String(300), nullable=False),   # role|district|agency|deputy group
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("expires_on", Date),
    Column("revoked_at", DateTime(timezone=True)),
    Column("revoked_by", String(64)),
    Column("last_used_at", DateTime(timezone=True)),
)
_DUMMY = hashlib.sha256(b"no such token").hexdigest()


class TokenRefused(DomainError):
    """A token that cannot be used: unknown, revoked, expired, or of another scope."""

    template = N_("This API token cannot be used: {why}.")

    def __init__(self, reason: str) -> None:
        super().__init__(why=REASONS[reason])
        self.reason = reason


REASONS = {
    "invalid": N_("it is not a valid token"),
    "revoked": N_("it was revoked"),
    "expired": N_("it has expired"),
    "scope": N_("its user's role or unit changed since it was made"),
    "inactive": N_("its user's account is deactivated"),
}


@dataclass(frozen=True)
class NewToken:
    """A token just made: its row and the secret, shown this once."""

    id: str
    secret: str


def scope_of(user: User) -> str:
    """Return the role and unit a token is bound to, as one string."""
    return "|".join([user.role.value, user.district or "", user.agency or "",
                     user.deputy_group or ""])


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


class TokenStore:
    """Create, list, revoke and check API tokens, in the views database."""

    def __init__(self, engine: Engine, users: UserStore) -> None:
        self.engine, self.users = engine, users
        tokens_metadata.create_all(engine)

    def create(self, username: str, name: str, *, created_by: str, now: datetime,
               expires_on: date | None = None, today: date | None = None) -> NewToken:
        """Make a token for ``username``; refuse a bad name or an expiry in the past."""
        user = self.users.get(username)
        errors: dict[str, list[str]] = {}
        problem = text_problem(name, max_length=NAME_MAX)
        if problem:
            errors["name"] = [problem]
        if expires_on is not None and expires_on < (today or now.date()):
            errors["expires_on"] = [N_("The date must not be in the past.")]
        if user is None:
            errors["username"] = [N_("Unknown value.")]
        if errors:
            raise InvalidInput(errors)
        token_id = secrets.token_hex(6)
        secret = f"pt_{token_id}_{secrets.token_urlsafe(32)}"
        with self.engine.begin() as conn:
            conn.execute(api_tokens.insert().values(
                id=token_id, username=user.username, name=" ".join(name.split()),
                token_hash=_hash(secret), scope=scope_of(user), created_at=now,
                created_by=created_by, expires_on=expires_on))
        return NewToken(token_id, secret)

    def list(self, username: str | None = None) -> list[dict[str, Any]]:
        """Return the tokens of ``username`` (every user's when None), newest first."""
        query = select(api_tokens).order_by(api_tokens.c.created_at.desc())
        if username is not None:
            query = query.where(api_tokens.c.username == username)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def revoke(self, token_id: str, *, by: str, now: datetime,
               owner: str | None = None) -> bool:
        """Revoke a token (only ``owner``'s when given); False when none was revoked."""
        c = api_tokens.c
        query = update(api_tokens).where(c.id == str(token_id)[:16], c.revoked_at.is_(None))
        if owner is not None:
            query = query.where(c.username == owner)
        with self.engine.begin() as conn:
            return conn.execute(query.values(revoked_at=now, revoked_by=by)).rowcount == 1

    def authenticate(self, token: str, now: datetime) -> User:
        """Return the token's user, or raise TokenRefused saying why."""
        parts = str(token or "").split("_")
        token_id = parts[1][:16] if len(parts) >= 3 and parts[0] == "pt" else ""
        with self.engine.connect() as conn:
            row = conn.execute(select(api_tokens).where(
                api_tokens.c.id == token_id)).mappings().first()
        # Compared in constant time; an unknown id is compared with a dummy hash.
        if not hmac.compare_digest(_hash(str(token or "")), row["token_hash"] if row
                                   else _DUMMY) or row is None:
            raise TokenRefused("invalid")
        if row["revoked_at"] is not None:
            raise TokenRefused("revoked")
        if row["expires_on"] is not None and now > datetime.combine(
                row["expires_on"], time.max, tzinfo=timezone.utc):
            raise TokenRefused("expired")
        user = self.users.get(row["username"])
        if user is None or not user.active:
            raise TokenRefused("inactive")
        if scope_of(user) != row["scope"]:
            raise TokenRefused("scope")
        with self.engine.begin() as conn:
            conn.execute(update(api_tokens).where(api_tokens.c.id == token_id)
                         .values(last_used_at=now))
        return user

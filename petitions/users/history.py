"""The account history: every change to an account and every sign-in, as append-only records.

Accounts live in the views database, not in the event store, so their audit records live
beside them in the table ``account_events``: written in the same transaction as the change
they record (no change without its record, which two databases could not promise on
SQLite), never updated or deleted by any code path. Kinds are past-tense names, as events
are, and each record carries every fact: whose account, who acted, when, from where.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Column, Connection, DateTime, Engine, Index, Integer, MetaData, String, Table, Text, insert,
    select,
)

metadata = MetaData()

account_events_table = Table(
    "account_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("address", String(64), nullable=False, default=""),
    Column("facts", Text, nullable=False, default="{}"),
    Index("ix_account_events_username", "username", "id"),
)

# Kinds of record (never rename one: stored rows carry them).
ACCOUNT_CREATED = "AccountCreated"
ACCOUNT_DEACTIVATED = "AccountDeactivated"
ACCOUNT_REACTIVATED = "AccountReactivated"
ROLE_CHANGED = "RoleChanged"
PASSWORD_RESET_ISSUED = "PasswordResetIssued"
PASSWORD_CHANGED = "PasswordChanged"
TWO_FACTOR_ENROLLED = "TwoFactorEnrolled"
TWO_FACTOR_RESET = "TwoFactorReset"
RECOVERY_CODE_USED = "RecoveryCodeUsed"
SIGNED_IN = "SignedIn"
SIGN_IN_FAILED = "SignInFailed"
SECOND_FACTOR_FAILED = "SecondFactorFailed"
SIGNED_OUT = "SignedOut"
SIGN_IN_KINDS = (SIGNED_IN, SIGN_IN_FAILED, SECOND_FACTOR_FAILED, RECOVERY_CODE_USED, SIGNED_OUT)


def record(conn: Connection, username: str, kind: str, actor: str, at: datetime,
           address: str = "", **facts: Any) -> None:
    """Append one record inside the caller's transaction."""
    conn.execute(insert(account_events_table).values(
        username=username, kind=kind, actor=actor, at=at, address=(address or "")[:64],
        facts=json.dumps(facts, ensure_ascii=False, sort_keys=True, default=str)))


def of_user(engine: Engine, username: str, kinds: tuple[str, ...] | None = None,
            limit: int = 100) -> list[dict[str, Any]]:
    """Return the user's newest records first (all kinds, or only ``kinds``)."""
    t = account_events_table
    query = select(t).where(t.c.username == username)
    if kinds:
        query = query.where(t.c.kind.in_(kinds))
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(t.c.id.desc()).limit(limit)).mappings().all()
    return [{**r, "facts": json.loads(r["facts"] or "{}")} for r in rows]

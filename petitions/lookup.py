"""The citizen's lookup key and the public lookup by code and key (issue 18).

A receipt (giấy biên nhận) carries the item's code and a secret key. Codes are sequential
and guessable; the key is not: 16 characters of a 32-letter alphabet (80 random bits),
shown once on the receipt. Only its SHA-256 is stored (``lookup_keys``, in the views
database, not a view), so the store cannot print it again: a new receipt issues a new key
and the old one stops working.

``lookup`` answers a wrong key and an unknown code identically and with the same work:
the code is turned into an id without a query (ids derive from codes), one row is read,
one hash is computed and compared in constant time with the stored hash or a dummy one.
What it returns for a match carries no personal data, no internal notes, no title or
content (a title may name people): status, dates, the responsible body and the answer the
secretariat published.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import Column, DateTime, MetaData, String, Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from domain.actor import SYSTEM, Actor
from domain.codes import item_id_for_code, normalise_code
from petitions import permissions
from petitions.errors import ItemNotFound
from petitions.users.attempts import Limit, SignInLimiter

lookup_metadata = MetaData()

lookup_keys = Table(
    "lookup_keys", lookup_metadata,
    Column("item_id", String(36), primary_key=True),
    Column("key_hash", String(64), nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("issued_by", String(64), nullable=False),
)

# Crockford's base 32: no I, L, O, U, so a key read over the phone is not misheard.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
KEY_LENGTH = 16
_DUMMY_HASH = hashlib.sha256(b"no key was ever issued for this code").hexdigest()
# Failed look-ups per code from every address, and per address whatever the code; counted
# in the sign-in limit's store under keys of their own.
LOOKUP_LIMITS = (Limit("name", 10, 15 * 60), Limit("address", 30, 10 * 60))


def create_lookup_keys(engine: Engine) -> None:
    """Create the table of key hashes if missing."""
    lookup_metadata.create_all(engine)


def new_key() -> str:
    """Return a fresh key, grouped by four for reading (``7K2M-…``)."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(KEY_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, KEY_LENGTH, 4))


def key_hash(key: str) -> str:
    """Hash a key as typed: case, spaces and dashes do not matter; O/I/L read as 0/1/1."""
    cleaned = "".join(ch for ch in str(key).upper() if ch.isalnum())
    cleaned = cleaned.translate(str.maketrans("OIL", "011"))
    return hashlib.sha256(cleaned.encode("utf-8", "replace")).hexdigest()


def issue_key(tracker: Any, engine: Engine, actor: Actor, ref: Any) -> tuple[dict[str, Any], str]:
    """Issue a new lookup key for an item the actor handles; return the item and the key."""
    permissions.require(actor, "print_receipt")
    item = tracker.get_item(actor, ref)  # out of scope: ItemNotFound, as everywhere
    key = new_key()
    values = {"item_id": str(item["id"]), "key_hash": key_hash(key),
              "issued_at": tracker.now(), "issued_by": actor.username}
    with engine.begin() as conn:
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        conn.execute(dialect.insert(lookup_keys).values(**values).on_conflict_do_update(
            index_elements=["item_id"], set_={k: values[k] for k in
                                              ("key_hash", "issued_at", "issued_by")}))
    return item, key


def lookup(tracker: Any, engine: Engine, code: str, key: str) -> dict[str, Any] | None:
    """Return the public facts of the item ``code`` if ``key`` is its key, else None."""
    normal = normalise_code(str(code or "")[:40]) or "—"
    item_id = str(item_id_for_code(normal))
    with engine.connect() as conn:
        stored = conn.execute(select(lookup_keys.c.key_hash).where(
            lookup_keys.c.item_id == item_id)).scalar()
    matches = hmac.compare_digest(key_hash(key or ""), stored or _DUMMY_HASH)
    if not (matches and stored):
        return None
    try:
        return public_facts(tracker.get_item(SYSTEM, normal))
    except ItemNotFound:
        return None


def public_facts(item: dict[str, Any]) -> dict[str, Any]:
    """Keep of an item only what the public page may show."""
    published = item.get("published_answer") or None
    return {
        "code": item["code"], "item_type": item["item_type"], "kind": item["kind"],
        "status": item["status"], "is_open": item["is_open"],
        "received_on": item["received_on"], "due_date": item["due_date"],
        "closed_on": item["closed_at"].date() if item.get("closed_at") else None,
        "agency": item.get("agency"), "district": item.get("district"),
        "answer": published["text"] if published else None,
        "answered_at": published["at"] if published else None,
    }


def limiter(store: Any, clock: Any = None) -> SignInLimiter:
    """Return the look-up limit over the sign-in limit's store."""
    return SignInLimiter(store, LOOKUP_LIMITS, clock=clock)


def attempt(limit: SignInLimiter, code: str, address: str) -> Any:
    """Count one look-up against the code and the address (raises TooManyAttempts)."""
    normal = normalise_code(str(code or "")[:40]) or "-"
    return limit.attempt(f"lookup|{normal}", f"lookup|{address}")


def issued_at(engine: Engine, item_id: Any) -> datetime | None:
    """Return when the item's current key was issued (None: never)."""
    with engine.connect() as conn:
        return conn.execute(select(lookup_keys.c.issued_at).where(
            lookup_keys.c.item_id == str(item_id))).scalar()


"""Signed webhooks for integrations (issue 18).

An administrator registers a URL and the kinds of change it wants (the notices' kinds).
``WebhooksProjection`` queues one delivery per (webhook, event) inside the projector's
transaction — the unique key keeps it to one however often the log is applied — and
``deliver_webhooks`` POSTs each as JSON signed with HMAC-SHA256 over the body
(``X-Petitions-Signature: sha256=<hex>``, with the webhook's secret), retrying with the
escalation sender's backoff until the receiver answers 2xx, at most ``MAX_ATTEMPTS``.

A URL must be http(s) and its host must resolve only to public addresses: private,
loopback, link-local, multicast and reserved ones are refused when registering and again
before every delivery (a name may be re-pointed). ``PETITIONS_WEBHOOKS_ALLOW_PRIVATE``
lifts that for tests. Payloads carry the code, type, kind of change, status and time —
never personal data, titles or texts: the receiver asks the API for more with a token.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import (
    Boolean, Column, DateTime, Integer, MetaData, String, Table, Text, UniqueConstraint,
    select, update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from domain.errors import InvalidInput, N_
from petitions.notifications.notices import EVENT_KINDS, KINDS, event_name
from projections.outbox import utc

webhooks_metadata = MetaData()

webhooks = Table(
    "webhooks", webhooks_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", String(2000), nullable=False),
    Column("kinds", Text, nullable=False),          # JSON list of notice kinds
    Column("secret", String(100), nullable=False),  # signs the bodies; shown at creation
    Column("active", Boolean, nullable=False, default=True),
    Column("created_by", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

deliveries = Table(
    "webhook_deliveries", webhooks_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("webhook_id", Integer, nullable=False),
    Column("position", Integer, nullable=False),
    Column("item_id", String(36), nullable=False),
    Column("code", String(32), nullable=False),
    Column("item_type", String(32), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("status_after", String(20), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("status", String(10), nullable=False),   # pending | sent | failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("response", String(200)),
    Column("last_error", Text),
    Column("sent_at", DateTime(timezone=True)),
    UniqueConstraint("webhook_id", "position", name="uq_delivery_hook_position"),
)
MAX_ATTEMPTS = 8
TIMEOUT_SECONDS = 10


def create_webhooks(engine: Engine) -> None:
    """Create the webhook tables if missing."""
    webhooks_metadata.create_all(engine)


# -- where a webhook may point ----------------------------------------------------------------
def url_problem(url: str, *, allow_private: bool = False,
                resolve: Callable[[str], list[str]] | None = None) -> str | None:
    """Return why ``url`` may not receive webhooks (a message template), or None."""
    if not isinstance(url, str) or not url or len(url) > 2000 or any(
            ch.isspace() or ord(ch) < 32 for ch in url):
        return N_("Give an http:// or https:// address.")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return N_("Give an http:// or https:// address.")
    if parts.username or parts.password:
        return N_("The address must not carry a user name or password.")
    try:
        addresses = (resolve or _resolve)(parts.hostname)
    except (OSError, UnicodeError, ValueError):
        return N_("The host name does not resolve.")
    if not addresses:
        return N_("The host name does not resolve.")
    if allow_private:
        return None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_loopback \
                or ip.is_link_local or ip.is_private:
            return N_("The address points at a private, local or reserved network.")
    return None


def _resolve(host: str) -> list[str]:
    return sorted({info[4][0] for info in socket.getaddrinfo(host, None)})


# -- registering ----------------------------------------------------------------------------
def register_webhook(engine: Engine, url: str, kinds: list[str], *, by: str, now: datetime,
                     allow_private: bool = False) -> tuple[int, str]:
    """Register a webhook; return its id and secret (shown once). Refuse bad input."""
    errors: dict[str, list[str]] = {}
    problem = url_problem(url, allow_private=allow_private)
    if problem:
        errors["url"] = [problem]
    chosen = [k for k in dict.fromkeys(kinds or []) if k in KINDS]
    if not chosen or len(chosen) != len(set(kinds or [])):
        errors["kinds"] = [N_("Choose at least one kind of change.")]
    if errors:
        raise InvalidInput(errors)
    secret = secrets.token_hex(32)
    with engine.begin() as conn:
        hook_id = conn.execute(webhooks.insert().values(
            url=url, kinds=json.dumps(chosen), secret=secret, active=True, created_by=by,
            created_at=now)).inserted_primary_key[0]
    return int(hook_id), secret


def list_webhooks(engine: Engine) -> list[dict[str, Any]]:
    """Return every webhook (without its secret) with its delivery counts."""
    from sqlalchemy import func

    with engine.connect() as conn:
        counts: dict[tuple[int, str], int] = {
            (h, s): int(n) for h, s, n in conn.execute(
                select(deliveries.c.webhook_id, deliveries.c.status, func.count())
                .group_by(deliveries.c.webhook_id, deliveries.c.status))}
        rows = []
        for r in conn.execute(select(webhooks).order_by(webhooks.c.id)).mappings():
            row = {k: r[k] for k in ("id", "url", "active", "created_by", "created_at")}
            row["kinds"] = json.loads(r["kinds"])
            row["counts"] = {s: counts.get((r["id"], s), 0)
                             for s in ("pending", "sent", "failed")}
            rows.append(row)
    return rows


def set_active(engine: Engine, hook_id: int, active: bool) -> bool:
    """Turn a webhook off (nothing more is queued for it) or on again."""
    with engine.begin() as conn:
        return conn.execute(update(webhooks).where(webhooks.c.id == hook_id)
                            .values(active=active)).rowcount == 1


def recent_deliveries(engine: Engine, limit: int = 100) -> list[dict[str, Any]]:
    """Return the latest deliveries, newest first."""
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(deliveries).order_by(
            deliveries.c.id.desc()).limit(limit)).mappings()]


# -- queueing -------------------------------------------------------------------------------
class WebhooksProjection:
    """Queue one delivery per subscribed webhook and event, in the projector's transaction."""

    name = "webhooks"
    rebuilt = False  # deliveries already made are never made again

    def wants(self, topic: str) -> bool:
        """Tell whether events of ``topic`` are changes webhooks may subscribe to."""
        return event_name(topic) in EVENT_KINDS

    def apply(self, conn: Connection, events: list[tuple[int, Any]], ctx: Any) -> None:
        """Insert a pending delivery per active webhook that wants the event's kind."""
        from projections.items import items_view

        hooks = [(r["id"], set(json.loads(r["kinds"]))) for r in conn.execute(
            select(webhooks.c.id, webhooks.c.kinds).where(webhooks.c.active.is_(True)))
            .mappings()]
        if not hooks:
            return
        rows = []
        for position, event in events:
            kind = EVENT_KINDS[event_name(event)]
            wanted = [h for h, kinds in hooks if kind in kinds]
            if not wanted:
                continue
            item = conn.execute(select(items_view.c.code, items_view.c.kind,
                                       items_view.c.status).where(
                items_view.c.id == str(event.originator_id))).mappings().first()
            if item is None:
                continue
            at = utc(getattr(event, "at", None) or event.timestamp)
            for hook_id in wanted:
                rows.append({"webhook_id": hook_id, "position": position,
                             "item_id": str(event.originator_id), "code": item["code"],
                             "item_type": item["kind"], "kind": kind,
                             "status_after": item["status"], "at": at, "status": "pending",
                             "attempts": 0, "next_attempt_at": at})
        if rows:
            dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
            conn.execute(dialect.insert(deliveries).on_conflict_do_nothing(
                index_elements=["webhook_id", "position"]), rows)

    def clear(self, conn: Connection) -> None:
        """Keep every delivery on a rebuild."""


# -- delivering -----------------------------------------------------------------------------
def payload(row: dict[str, Any], base_url: str) -> bytes:
    """Return the JSON body of one delivery (no personal data)."""
    return json.dumps({
        "delivery": row["id"], "event": row["kind"], "position": row["position"],
        "code": row["code"], "kind": row["item_type"], "status": row["status_after"],
        "at": utc(row["at"]).isoformat(),
        "item": f"{base_url.rstrip('/')}/api/items/{row['code']}",
    }, ensure_ascii=False, sort_keys=True).encode("utf-8")


def signature(secret: str, body: bytes) -> str:
    """Return the signature header value of ``body``: ``sha256=<hex HMAC>``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


Poster = Callable[[str, bytes, dict[str, str]], int]


def http_post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST ``body`` to ``url`` (no redirects followed); return the status code."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None  # a redirect could point anywhere, a private address too

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return int(response.status)
    except urllib.error.HTTPError as err:
        return int(err.code)


def deliver_webhooks(tracker: Any, engine: Engine, *, limit: int = 100,
                     post: Poster = http_post) -> dict[str, int]:
    """Send the due deliveries; return how many were sent and how many failed."""
    from petitions.escalation import run_lock
    from petitions.notifications.sender import backoff, describe_failure

    settings = tracker.settings
    report = {"sent": 0, "failed": 0}
    with run_lock(settings, "webhook_sender") as held:
        if not held:
            return report
        now = utc(tracker.now())
        with engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(
                select(deliveries, webhooks.c.url, webhooks.c.secret)
                .select_from(deliveries.join(webhooks, webhooks.c.id == deliveries.c.webhook_id))
                .where(deliveries.c.status == "pending", deliveries.c.next_attempt_at <= now)
                .order_by(deliveries.c.next_attempt_at, deliveries.c.id).limit(limit))
                .mappings()]
        for row in rows:
            body = payload(row, settings.base_url)
            headers = {"Content-Type": "application/json; charset=utf-8",
                       "User-Agent": "petitions-webhooks/1",
                       "X-Petitions-Event": row["kind"],
                       "X-Petitions-Delivery": str(row["id"]),
                       "X-Petitions-Signature": signature(row["secret"], body)}
            error, status = None, None
            problem = url_problem(row["url"], allow_private=settings.webhooks_allow_private)
            if problem:
                error = f"refused: {problem}"
            else:
                try:
                    status = post(row["url"], body, headers)
                    if not 200 <= status < 300:
                        error = f"HTTP {status}"
                except Exception as exc:  # noqa: BLE001 - one receiver never blocks the rest
                    error = describe_failure(exc)
            attempts = row["attempts"] + 1
            with engine.begin() as conn:
                query = update(deliveries).where(deliveries.c.id == row["id"])
                if error is None:
                    conn.execute(query.values(status="sent", attempts=attempts, sent_at=now,
                                              response=str(status), last_error=None))
                    report["sent"] += 1
                else:
                    conn.execute(query.values(
                        status="failed" if attempts >= MAX_ATTEMPTS else "pending",
                        attempts=attempts, next_attempt_at=now + backoff(attempts),
                        response=str(status) if status else None, last_error=error[:2000]))
                    report["failed"] += 1
    return report

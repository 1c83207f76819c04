"""The document register's view: one row per document, one per (document, item) link.

Lists and searches of the register read it; who may see a document is decided by the items
it concerns (``document_items`` joined with ``items_view``), never by the document alone.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    BigInteger, Boolean, Column, Date, DateTime, Index, String, Table, Text, and_, exists,
    select, text,
)
from sqlalchemy.engine import Connection

from projections.items import items_view
from projections.search_text import blinded, fold
from projections.store import metadata, upsert

TOPIC_PREFIX = "domain.document:"

documents_view = Table(
    "documents_view", metadata,
    Column("id", String(36), primary_key=True),
    Column("reference", String(100), nullable=False),
    Column("number", String(20), nullable=False),
    Column("sign", String(60), nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("issuer", String(200), nullable=False),
    Column("doc_type", String(20), nullable=False),
    Column("direction", String(10), nullable=False),
    Column("summary", Text, nullable=False),
    Column("signer", String(200), nullable=False),
    Column("recipient", String(200), nullable=False),
    Column("personal", Boolean, nullable=False),
    Column("sha256", String(64)),
    Column("filename", String(200)),
    Column("media_type", String(100)),
    Column("size", BigInteger),
    Column("registered_at", DateTime(timezone=True), nullable=False),
    Column("search_text", Text, nullable=False),
    Column("position", BigInteger, nullable=False),
    Index("ix_documents_issued", "issued_on"),
)
document_items = Table(
    "document_items", metadata,
    Column("document_id", String(36), primary_key=True),
    Column("code", String(32), primary_key=True),
    Index("ix_document_items_code", "code"),
)


class DocumentsProjection:
    """Applies the register's events to ``documents_view`` and ``document_items``."""

    name = "documents"

    def wants(self, topic: str) -> bool:
        """Tell whether ``topic`` is an event of a document."""
        return topic.startswith(TOPIC_PREFIX)

    def apply(self, conn: Connection, events: list[tuple[int, Any]], ctx: Any) -> None:
        """Apply ``(position, event)`` pairs in order inside the caller's transaction."""
        for position, event in events:
            name = type(event).__name__
            doc_id = str(event.originator_id)
            if name == "DocumentRegistered":
                file = event.file or {}
                words = f"{event.reference} {event.issuer} {event.signer} {event.recipient}"
                summary = (blinded(event.summary, ctx.search_key) if ctx.search_key
                           else fold(event.summary))
                upsert(conn, documents_view, [{
                    "id": doc_id, "reference": event.reference, "number": event.number,
                    "sign": event.sign, "issued_on": event.issued_on, "issuer": event.issuer,
                    "doc_type": event.doc_type, "direction": event.direction,
                    "summary": event.summary, "signer": event.signer,
                    "recipient": event.recipient, "personal": event.personal,
                    "sha256": file.get("sha256"), "filename": file.get("filename"),
                    "media_type": file.get("media_type"), "size": file.get("size"),
                    "registered_at": event.at,
                    "search_text": f"{fold(words)} {summary}".strip(), "position": position,
                }], ["id"])
                codes = event.item_codes
            elif name == "DocumentItemsLinked":
                codes = event.item_codes
            else:
                continue
            for code in codes:
                conn.execute(text("INSERT INTO document_items (document_id, code) "
                                  "VALUES (:d, :c) ON CONFLICT DO NOTHING"),
                             {"d": doc_id, "c": code})

    def clear(self, conn: Connection) -> None:
        """Delete every row this projection wrote (before a rebuild)."""
        conn.execute(document_items.delete())
        conn.execute(documents_view.delete())


def _visible(scope: dict[str, str]) -> Any:
    """Return the condition "the document concerns an item within ``scope``"."""
    item = items_view.alias("scoped_item")
    condition = [item.c.code == document_items.c.code]
    for field, code in scope.items():
        if field == "involving":
            condition.append((item.c.agency == code) | item.c.cooperating.like(f"%|{code}|%"))
        else:
            condition.append(getattr(item.c, field) == code)
    return exists(select(document_items.c.code).select_from(
        document_items.join(item, item.c.code == document_items.c.code))
        .where(document_items.c.document_id == documents_view.c.id, and_(*condition)))


def search_documents(conn: Connection, *, scope: dict[str, str], words: str = "",
                     direction: str = "", doc_type: str = "", code: str = "",
                     issued_from: date | None = None, issued_to: date | None = None,
                     personal: bool = True, limit: int = 200) -> list[dict[str, Any]]:
    """Return the register's documents within ``scope`` matching the filters, newest first.

    ``personal`` False leaves out the documents marked as holding personal data.
    """
    query = select(documents_view)
    if not personal:
        query = query.where(documents_view.c.personal.is_(False))
    if scope:
        query = query.where(_visible(scope))
    for word in fold(words).split():
        query = query.where(documents_view.c.search_text.contains(word, autoescape=True))
    if direction:
        query = query.where(documents_view.c.direction == direction)
    if doc_type:
        query = query.where(documents_view.c.doc_type == doc_type)
    if code:
        query = query.where(documents_view.c.id.in_(
            select(document_items.c.document_id).where(document_items.c.code == code)))
    if issued_from:
        query = query.where(documents_view.c.issued_on >= issued_from)
    if issued_to:
        query = query.where(documents_view.c.issued_on <= issued_to)
    query = query.order_by(documents_view.c.issued_on.desc(),
                           documents_view.c.position.desc()).limit(limit)
    rows = [dict(r._mapping) for r in conn.execute(query)]
    ids = [r["id"] for r in rows]
    links: dict[str, list[str]] = {i: [] for i in ids}
    if ids:
        for r in conn.execute(select(document_items).where(
                document_items.c.document_id.in_(ids)).order_by(document_items.c.code)):
            links[r.document_id].append(r.code)
    for row in rows:
        row.pop("search_text", None)
        row["item_codes"] = links[row["id"]]
    return rows

"""One process's wiring: the tracker application, the views database and the projector."""
from __future__ import annotations

import logging
import threading
from typing import Any

from petitions.application import Clock, Receipt, Tracker
from petitions.instance import CLEARTEXT_WARNING
from petitions.render_jobs import create_job_tables
from petitions.reports import create_report_tables
from petitions.settings import Settings
from petitions.blobstore import blob_store
from projections.chain import ChainProjection
from projections.outbox import OutboxProjection, create_outbox
from projections.runner import Projector
from projections.search_text import search_key
from projections.store import Views


log = logging.getLogger("petitions.runtime")


class Runtime:
    """Build the tracker, the read models and the projector for ``settings``."""

    def __init__(self, settings: Settings | None = None, *, clock: Clock | None = None,
                 **tracker_options: Any) -> None:
        self.settings = settings or Settings.from_env()
        if not self.settings.cipher_key:
            log.warning(CLEARTEXT_WARNING)
        self.tracker = Tracker(self.settings, clock=clock, **tracker_options)
        self.views = Views.from_settings(self.settings)
        self.views.create_all()
        create_report_tables(self.views.engine)   # issued reports' files and the render queue
        create_job_tables(self.views.engine)
        # With a cipher key the views keep item contents' words only as keyed tokens.
        self.search_key = search_key(self.settings.cipher_key)
        self.projector = Projector(
            self.tracker, self.views, policy=self.tracker.policy,
            calendar=self.tracker.calendar, zone=self.tracker.zone,
            search_key=self.search_key,
        )
        # The hash chain goes first, so it is never behind the views a digest prints from.
        self.projector.projections.insert(0, ChainProjection())
        # The escalation outbox is filled like a view (from Escalated events, exactly once),
        # and escalation scans query the items view through this process's engine.
        create_outbox(self.views.engine)
        self.tracker.attach_views(self.views.engine)
        self.projector.add(OutboxProjection())
        # Where attached files' bytes are kept (the register is one of the default views).
        self.tracker.attach_blob_store(blob_store(self.settings, self.views.engine))
        # Spreadsheets between their preview and import, in the same shared stores.
        from petitions.intake.staging import Staging, create_staging

        create_staging(self.views.engine)
        self.staging = Staging(self.views.engine, self.tracker.blobs)
        # Notices to followers, units and agencies (issue 18): fanned out like the outbox,
        # reading the users and follows tables that live in the same database.
        from petitions.notifications.notices import NoticesProjection, create_notices
        from petitions.users.store import metadata as users_metadata

        users_metadata.create_all(self.views.engine)
        create_notices(self.views.engine)
        from petitions.lookup import create_lookup_keys

        create_lookup_keys(self.views.engine)
        from petitions.webhooks import WebhooksProjection, create_webhooks

        create_webhooks(self.views.engine)
        self.projector.add(WebhooksProjection())
        from petitions.published import PublishedProjection, create_published

        create_published(self.views.engine)
        self.projector.add(PublishedProjection())
        self.projector.add(NoticesProjection())
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def at_position(self, n: int) -> Any:
        """Return the moment just after the event at log position ``n`` for every read "as
        of" it (``projections.positions``): the views are caught up to it first."""
        from projections.positions import ITEMS
        from projections.store import read_position

        with self.views.connect() as conn:
            behind = read_position(conn, ITEMS) < n
        if behind and n <= (self.tracker.position() or 0):
            self.projector.catch_up(until=n)
        return self.projector.prepare_position(n)

    def as_of(self, text: str) -> Any:
        """Read an "as of" kept as text (a job's parameters, the CLI): "" (now), a day as
        YYYY-MM-DD, or "#N" (just after event N, prepared here)."""
        from datetime import date

        text = (text or "").strip()
        if not text:
            return None
        if text.startswith("#"):
            return self.at_position(int(text[1:]))
        return date.fromisoformat(text)

    def wait_for(self, receipt: Receipt | int) -> None:
        """Bring the views up to the receipt's position, so the caller reads its own write."""
        position = receipt if isinstance(receipt, int) else receipt.position
        self.projector.catch_up(until=position)

    def start_projector(self, interval: float = 1.0) -> None:
        """Follow the event log in a background thread."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self.projector.run_forever, args=(self._stop, interval),
                name="projector", daemon=True)
            self._thread.start()

    def close(self) -> None:
        """Stop the projector thread and release database connections."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self.views.dispose()
        self.tracker.close()

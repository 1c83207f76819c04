"""The escalation email outbox (admin): what failed or was skipped, and "retry now"."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from petitions import permissions
from petitions.notifications.sender import outbox_status, retry_now
from web.context import requires, runtime

bp = Blueprint("outbox", __name__, url_prefix="/admin/outbox")


@bp.get("")
@requires(permissions.may_manage_outbox)
def show() -> Any:
    """Show the counts per state and every email not sent yet, failing ones first."""
    status = outbox_status(runtime().tracker, runtime().views.engine)
    order = {"failing": 0, "skipped": 1, "waiting": 2}
    unsent = sorted(status.unsent, key=lambda e: (order[e.state], e.escalated_at))
    return render_template("admin/outbox.html", counts=status.counts, unsent=unsent,
                           stuck=len(status.stuck))


@bp.post("/retry")
@requires(permissions.may_manage_outbox)
def retry() -> Any:
    """Make one email (``id``) or every failed and skipped one due now; the sender sends it."""
    raw = request.form.get("id", "")
    ids = [int(raw)] if raw.isdigit() and len(raw) < 10 else None
    if raw and ids is None:
        return redirect(url_for("outbox.show"), 303)  # not a row of ours: nothing to retry
    queued = retry_now(runtime().tracker, runtime().views.engine, ids=ids)
    flash(gettext("Emails to be sent at the next run of the sender (within a minute): {num}.")
          .format(num=queued), "success")
    return redirect(url_for("outbox.show"), 303)

"""Webhooks (admin, issue 18): register a URL and kinds of change, see the deliveries."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from domain.errors import InvalidInput
from petitions import permissions, webhooks
from petitions.notifications.notices import KINDS
from web.context import actor, requires, runtime, tracker
from web.i18n import error_text, field_errors

bp = Blueprint("webhooks", __name__, url_prefix="/admin/webhooks")


def _page(status: int = 200, **context: Any) -> Any:
    engine = runtime().views.engine
    return render_template("admin/webhooks.html", hooks=webhooks.list_webhooks(engine),
                           deliveries=webhooks.recent_deliveries(engine), kinds=KINDS,
                           errors=context.pop("errors", {}), data=context.pop("data", {}),
                           **context), status


@bp.get("")
@requires(permissions.may_manage_integrations)
def show() -> Any:
    """List the webhooks and the latest deliveries."""
    return _page()


@bp.post("")
@requires(permissions.may_manage_integrations)
def add() -> Any:
    """Register a webhook; its signing secret is shown this once."""
    url = request.form.get("url", "").strip()[:2000]
    kinds = [k[:32] for k in request.form.getlist("kinds")][:20]
    try:
        hook_id, secret = webhooks.register_webhook(
            runtime().views.engine, url, kinds, by=actor().username, now=tracker().now(),
            allow_private=runtime().settings.webhooks_allow_private)
    except InvalidInput as err:
        flash(error_text(err), "error")
        return _page(422, errors=field_errors(err.errors), data={"url": url, "kinds": kinds})
    flash(gettext("The webhook was registered. Copy its secret now: it is shown only this "
                  "once."), "success")
    return _page(201, secret=secret, new_id=hook_id)


@bp.post("/<int:hook_id>/active")
@requires(permissions.may_manage_integrations)
def toggle(hook_id: int) -> Any:
    """Turn a webhook off or on."""
    if not webhooks.set_active(runtime().views.engine, hook_id,
                               request.form.get("active") == "yes"):
        abort(404)
    flash(gettext("Saved."), "success")
    return redirect(url_for("webhooks.show"), 303)

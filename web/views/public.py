"""The citizen's side (issue 18): the receipt with a lookup key, and the public lookup page.

``/tra-cuu`` needs no sign-in. It shows only ``petitions.lookup.public_facts``; a wrong
key and an unknown code get the same page, status and work. Look-ups are limited per
code and per address in the sign-in limit's store.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from domain.errors import DomainError, InvalidInput
from petitions import lookup, permissions
from petitions.users.attempts import SignInUnavailable, TooManyAttempts
from web.context import actor, requires, runtime, tracker
from web.i18n import error_text, format_date
from web.labels import label, ref_name
from web.security import client_address

bp = Blueprint("public", __name__)
MAX_INPUT = 64


def _limiter() -> Any:
    from flask import current_app

    accounts = current_app.extensions["petitions_accounts"]
    return lookup.limiter(accounts.limiter.store, clock=accounts.limiter.clock)


@bp.route("/tra-cuu", methods=["GET", "POST"])
def public_lookup() -> Any:
    """Ask for a code and key; show the item's public facts when they match."""
    if request.method == "GET":
        return render_template("public/lookup.html", found=None, asked=False, data={})
    code = request.form.get("code", "")[:MAX_INPUT].strip()
    key = request.form.get("key", "")[:MAX_INPUT]
    try:
        attempt = lookup.attempt(_limiter(), code, client_address())
    except (TooManyAttempts, SignInUnavailable) as err:
        flash(error_text(err), "error")
        return render_template("public/lookup.html", found=None, asked=False,
                               data={"code": code}), 429
    found = lookup.lookup(tracker(), runtime().views.engine, code, key)
    if found is not None:
        attempt.succeeded()
        return render_template("public/lookup.html", found=found, asked=True, data={})
    # One answer for a wrong key and an unknown code: the same words, status and page.
    return render_template("public/lookup.html", found=None, asked=True,
                           data={"code": code}), 404


@bp.post("/items/<ref>/receipt")
@requires(permissions.may_print_receipt)
def receipt(ref: str) -> Any:
    """Issue a new lookup key and return the receipt PDF carrying it (shown only there)."""
    from petitions.receipts import render_receipt

    if len(ref) > MAX_INPUT:
        abort(404)
    me = actor()
    item, key = lookup.issue_key(tracker(), runtime().views.engine, me, ref)
    settings = runtime().settings
    now = tracker().now().astimezone(tracker().zone)
    pdf = render_receipt({
        "office": "VĂN PHÒNG ĐOÀN ĐBQH VÀ HĐND THÀNH PHỐ HÀ NỘI",
        "code": item["code"], "kind": label("kind", item["kind"]),
        "received_on": item["received_on"].strftime("%d/%m/%Y"),
        "due_date": item["due_date"].strftime("%d/%m/%Y") if item.get("due_date") else "",
        "unit": ref_name("units", item["district"]),
        "lookup_url": f"{settings.base_url.rstrip('/')}/tra-cuu", "key": key,
        "printed_at": f"{now:%H:%M %d/%m/%Y}", "printed_by": me.username,
    })
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="bien-nhan-{item["code"]}.pdf"',
        "Cache-Control": "no-store"})


@bp.post("/items/<ref>/publish")
@requires(permissions.may_publish_answer)
def publish(ref: str) -> Any:
    """Publish (or, with an empty text, withdraw) the answer shown on the public page."""
    from web.views.items import render_item

    if len(ref) > MAX_INPUT:
        abort(404)
    try:
        version = int(request.form.get("expected_version", ""))
    except ValueError:
        version = None
    try:
        receipt_ = tracker().publish_answer(actor(), ref, text=request.form.get("text", ""),
                                            expected_version=version)
    except InvalidInput as err:
        flash(error_text(err), "error")
        from web.i18n import field_errors

        return render_item(ref, 422, action="publish", errors=field_errors(err.errors),
                           data=request.form)
    except DomainError as err:
        if type(err).__name__ in ("ConflictError", "ItemNotFound"):
            raise
        flash(error_text(err), "error")
        return render_item(ref, 422)
    runtime().wait_for(receipt_)
    flash(gettext("The answer is published on the public lookup page."), "success")
    return redirect(url_for("items.show", ref=receipt_.code))


def describe(found: dict[str, Any]) -> dict[str, str]:
    """Words for the public page (used by the template)."""
    return {
        "status": label("status", found["status"]),
        "kind": label("kind", found["kind"]),
        "received_on": format_date(found["received_on"]),
        "due_date": format_date(found["due_date"]) if found["due_date"] else "—",
        "closed_on": format_date(found["closed_on"]) if found["closed_on"] else "—",
        "body": ref_name("agencies", found["agency"]) if found["agency"]
        else ref_name("units", found["district"]),
    }

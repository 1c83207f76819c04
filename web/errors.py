"""Error pages: domain errors, missing items, refused actions, bad requests — never a 500 leak.

When the database is away, pages and the API answer 503 from a page that reads nothing
from it (no user, no menu), and the outage is logged once (``petitions.availability``).
"""
from __future__ import annotations

import logging
from typing import Any

from flask import Flask, current_app, g, jsonify, render_template, request, session
from flask_babel import force_locale, gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from domain.errors import N_, DomainError, InvalidInput, PermissionDenied
from petitions.availability import Outage, is_database_unavailable
from petitions.errors import ConflictError, ItemNotFound
from projections.positions import PositionMoved
from web.i18n import LANGUAGES, error_text, field_errors, translate
from web.input_check import REFUSED, UnacceptableInput


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _page(status: int, title: str, message: str) -> Any:
    if _wants_json():
        return jsonify({"error": title, "message": message}), status
    try:
        return render_template("errors/error.html", status=status, title=title,
                               message=message), status
    except Exception:  # the menu needs the user, the user needs the database: go without
        if not is_database_unavailable(_current_exception()):
            current_app.logger.exception("the error page could not be shown")
        return _bare_page(title, message), status


def _current_exception() -> BaseException | None:
    import sys

    return sys.exc_info()[1]


def _bare_language() -> str:
    """Pick the page's language without the user's account: session, browser, default."""
    user = g.get("_login_user")  # already loaded before the failure: no database needed
    if user is not None and getattr(user, "is_authenticated", False):
        return user.language
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    default = current_app.config["SETTINGS"].language
    return request.accept_languages.best_match(LANGUAGES) or (
        default if default in LANGUAGES else "vi")


def _bare_page(title: str, message: str, retry: str = "") -> str:
    """Render a page that reads nothing from the database (no context processors run)."""
    lang = _bare_language()
    with force_locale(lang):
        template = current_app.jinja_env.get_template("errors/unavailable.html")
        return template.render(lang=lang, title=gettext(title), message=gettext(message),
                               retry=retry)


UNAVAILABLE_TITLE = N_("Temporarily unavailable")
UNAVAILABLE_MESSAGE = N_("The database cannot be reached right now, so nothing could be shown "
                         "or saved. Please try again in a few minutes.")
RETRY_AFTER_SECONDS = 30


def unavailable_response() -> Any:
    """Answer 503: JSON for the API, a page without the database for everything else."""
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if _wants_json():
        lang = _bare_language()
        with force_locale(lang):
            body = {"error": "unavailable", "message": gettext(UNAVAILABLE_MESSAGE)}
        return jsonify(body), 503, headers
    retry = request.full_path if request.method == "GET" else ""
    return _bare_page(UNAVAILABLE_TITLE, UNAVAILABLE_MESSAGE, retry), 503, headers


def register(app: Flask) -> None:
    """Register one handler per error kind."""
    outage = Outage(logging.getLogger("petitions.web"))
    app.extensions["petitions_outage"] = outage

    @app.errorhandler(ItemNotFound)
    def not_found_item(err: ItemNotFound) -> Any:
        """Missing or out-of-scope item: 404."""
        return _page(404, gettext("Not found"), error_text(err))

    @app.errorhandler(PermissionDenied)
    def denied(err: PermissionDenied) -> Any:
        """Role or scope refused: 403."""
        return _page(403, gettext("Not allowed"), error_text(err))

    @app.errorhandler(InvalidInput)
    def invalid(err: InvalidInput) -> Any:
        """Invalid input outside a form: 422."""
        if _wants_json():
            return jsonify({"error": "invalid", "errors": field_errors(err.errors)}), 422
        return _page(422, gettext("Invalid input"),
                     "; ".join("; ".join(m) for m in field_errors(err.errors).values()))

    @app.errorhandler(ConflictError)
    def conflict(err: ConflictError) -> Any:
        """Stale version outside the item page: 409."""
        return _page(409, gettext("Changed by someone else"), error_text(err))

    @app.errorhandler(DomainError)
    def domain(err: DomainError) -> Any:
        """Any other refused action: 400."""
        return _page(400, gettext("Not possible"), error_text(err))

    @app.errorhandler(UnacceptableInput)
    def unacceptable(err: UnacceptableInput) -> Any:
        """Control characters in a query string or form: 400, nothing ran."""
        if _wants_json():
            return jsonify({"error": "invalid",
                            "errors": {name: [translate(REFUSED)] for name in err.fields}}), 400
        return _page(400, gettext("Bad request"),
                     gettext("Nothing was saved: some values contain characters that cannot "
                             "be accepted (control characters). Fields: {fields}.")
                     .format(fields=", ".join(err.fields)))

    @app.errorhandler(CSRFError)
    def csrf(err: CSRFError) -> Any:
        """Missing or expired CSRF token: 400."""
        return _page(400, gettext("Form expired"),
                     gettext("The form was missing its security token or it expired. "
                             "Reload the page and try again."))

    @app.errorhandler(HTTPException)
    def http(err: HTTPException) -> Any:
        """HTTP errors as pages in the user's language."""
        titles = {
            400: gettext("Bad request"), 403: gettext("Not allowed"),
            404: gettext("Not found"), 405: gettext("Method not allowed"),
            409: gettext("Changed by someone else"), 413: gettext("Too much data"),
            429: gettext("Too many attempts"),
        }
        messages = {
            403: gettext("Your role does not allow this page."),
            404: gettext("This page or item does not exist, or is outside your scope."),
            413: gettext("The form sent too much data."),
            429: gettext("Too many attempts. Wait a minute and try again."),
        }
        code = err.code or 500
        return _page(code, titles.get(code, err.name),
                     messages.get(code, gettext("The request could not be handled.")))

    @app.errorhandler(PositionMoved)
    def moving(err: PositionMoved) -> Any:
        """New events kept arriving while figures just after an event were read: busy, not
        broken (the next try usually succeeds)."""
        body, status = _page(503, gettext("Figures are being brought up to date"), gettext(
            "New events arrived while these figures were read. Please try again in a moment."))
        return body, status, {"Retry-After": "5"}

    @app.errorhandler(Exception)
    def unexpected(err: Exception) -> Any:
        """The database away: 503, logged once per outage. Anything else is a bug: 500."""
        if is_database_unavailable(err):
            outage.failed(err)
            return unavailable_response()
        app.logger.exception("unexpected error")
        return _page(500, gettext("Something went wrong"),
                     gettext("The error was logged. Please try again later."))

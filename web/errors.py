"""Error pages: domain errors, missing items, refused actions, bad requests — never a 500 leak."""
from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from domain.errors import DomainError, InvalidInput, PermissionDenied
from petitions.errors import ConflictError, ItemNotFound
from web.i18n import error_text, field_errors, translate
from web.input_check import REFUSED, UnacceptableInput


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _page(status: int, title: str, message: str) -> Any:
    if _wants_json():
        return jsonify({"error": title, "message": message}), status
    return render_template("errors/error.html", status=status, title=title,
                           message=message), status


def register(app: Flask) -> None:
    """Register one handler per error kind."""

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

    @app.errorhandler(Exception)
    def unexpected(err: Exception) -> Any:
        """A bug: log it and show a page without internals."""
        app.logger.exception("unexpected error")
        return _page(500, gettext("Something went wrong"),
                     gettext("The error was logged. Please try again later."))

"""API tokens on ``/api`` (issue 18): ``Authorization: Bearer pt_…`` acts as the token's user.

Changes through the API need a token: a browser's session cookie only reads, so the JSON
endpoints that change things need no CSRF token (a cross-site page cannot send the
header). A refused token (unknown, revoked, expired, of a role or unit its user no longer
has) answers 401 in JSON saying why; nothing runs.
"""
from __future__ import annotations

from typing import Any

from flask import Flask, g, jsonify, request
from flask_babel import gettext

from petitions.users.tokens import REASONS, TokenRefused, TokenStore

SAFE = ("GET", "HEAD", "OPTIONS")
# Routes under /api anyone may read: the description of the API itself.
PUBLIC = ("/api/openapi.json", "/api/docs")


def register(app: Flask, tokens: TokenStore) -> None:
    """Check the bearer token of every /api request before any view runs."""
    from web.login import SignedInUser

    clock = app.config.get("AUTH_CLOCK")

    def now() -> Any:
        from datetime import datetime, timezone

        return clock() if clock else datetime.now(timezone.utc)

    @app.before_request
    def bearer() -> Any:
        if not request.path.startswith("/api/") or request.path in PUBLIC:
            return None
        header = request.headers.get("Authorization", "")
        if not header:
            if request.method in SAFE:
                return None  # the session cookie still reads, as before
            return _refused(gettext("Changes through the API need an API token "
                                    "(Authorization: Bearer …)."), "token_required")
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            return _refused(gettext("Send the token as Authorization: Bearer <token>."),
                            "invalid")
        try:
            user = tokens.authenticate(value.strip(), now())
        except TokenRefused as err:
            why = gettext(REASONS[err.reason])
            return _refused(gettext(TokenRefused.template).format(why=why), err.reason)
        g._login_user = SignedInUser.of(user)
        g.api_token = True
        return None


def _refused(message: str, reason: str) -> Any:
    response = jsonify({"error": "unauthorized", "reason": reason, "message": message})
    response.headers["WWW-Authenticate"] = 'Bearer realm="petitions"'
    return response, 401

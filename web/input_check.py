"""One rule for every query string and form value, checked before any view runs.

Values reach SQL, headers (redirects) and the event store. PostgreSQL refuses a NUL in
text, a ``Location`` header refuses a line break, and no one types control characters:
so a request carrying one answers 400 with the offending fields named, and nothing runs.
Form values may hold line breaks and tabs (text areas); query-string values are one line.
Lengths and everything else field-specific stay with the schemas and the domain.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from flask import Flask, request
from werkzeug.exceptions import BadRequest

from domain.errors import N_

FORM_CONTROLS = frozenset("\t\n\r")  # text areas: line breaks and tabs are text
QUERY_CONTROLS = frozenset("\t")
REFUSED = N_("Contains characters that cannot be accepted (control characters).")


class UnacceptableInput(BadRequest):
    """A query string or form carried control characters; ``fields`` names them."""

    def __init__(self, fields: list[str]) -> None:
        super().__init__()
        self.fields = fields


def unacceptable(text: str, allowed: frozenset[str]) -> bool:
    """Tell whether ``text`` holds a control character (or a lone surrogate) not allowed."""
    return any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed for ch in text)


def _bad_fields(pairs: Iterable[tuple[str, str]], allowed: frozenset[str]) -> list[str]:
    bad: list[str] = []
    for key, value in pairs:
        name = key if not unacceptable(key, QUERY_CONTROLS) else "_"
        if (name == "_" or unacceptable(value, allowed)) and name not in bad:
            bad.append(name)
    return bad


def check_request() -> None:
    """Refuse the request when a query-string or form value breaks the rule."""
    bad = _bad_fields(request.args.items(multi=True), QUERY_CONTROLS)
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        bad += [f for f in _bad_fields(request.form.items(multi=True), FORM_CONTROLS)
                if f not in bad]
    if bad:
        raise UnacceptableInput(bad)


def register(app: Flask) -> None:
    """Check every request's input before its view (and before CSRF, sign-in, queries)."""
    # First in line: the CSRF check and the user loader read the form and the session.
    app.before_request_funcs.setdefault(None, []).insert(0, check_request)

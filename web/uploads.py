"""Files sent with a form: the upload limit per request and the file's bytes for the application.

Every other form keeps the app's 1 MB limit; the forms that carry a file take the
configured attachment limit (``PETITIONS_ATTACHMENT_MAX_MB``) plus room for the fields, so a
200 MB scan is cut off by the server before it is read, with a message naming the limit.
"""
from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request
from flask_babel import gettext

# Endpoints whose forms carry a file.
UPLOAD_ENDPOINTS = frozenset({"items.act", "documents.attach", "documents.register"})
# The write API's twin sends the file base64-encoded in JSON: 4 bytes for every 3.
BASE64_ENDPOINTS = frozenset({"api_twins.register_document", "api_work.attach"})
FIELDS_ROOM = 1024 * 1024


def uploaded(name: str = "file") -> dict[str, Any]:
    """Return ``{"file_data", "filename"}`` of the posted file, or nothing if none was chosen."""
    storage = request.files.get(name)
    if storage is None or not storage.filename:
        return {}
    return {"file_data": storage.read(), "filename": storage.filename}


def max_mb() -> int:
    """Return the attachment size limit in MB."""
    return current_app.config["SETTINGS"].attachment_max_mb


def _allow_uploads() -> None:
    if request.endpoint in UPLOAD_ENDPOINTS:
        request.max_content_length = max_mb() * 1024 * 1024 + FIELDS_ROOM
    elif request.endpoint in BASE64_ENDPOINTS:
        request.max_content_length = max_mb() * 1024 * 1024 * 4 // 3 + FIELDS_ROOM


def register(app: Flask) -> None:
    """Raise the size limit for upload forms (before any hook reads the form) and say why."""
    from web.errors import _page

    app.before_request_funcs.setdefault(None, []).insert(0, _allow_uploads)

    @app.errorhandler(413)
    def too_large(err: Any) -> Any:
        """A request over the limit: 413 naming the file limit."""
        return _page(413, gettext("Too much data"),
                     gettext("The file is larger than {max} MB. Nothing was saved.")
                     .format(max=max_mb()))

"""Form handling shared by the blueprints: validate, call, and show errors beside fields."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import request
from marshmallow import Schema, ValidationError

from domain.errors import DomainError, InvalidInput
from web.i18n import error_text, field_errors


class FormError(Exception):
    """A form that cannot be saved: a message and the errors per field, translated."""

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None,
                 status: int = 422) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}
        self.status = status


def ref_error(field: str, err: DomainError) -> InvalidInput:
    """Turn an error about a typed code into an error beside ``field``, in the user's language.

    The message is translated first and formatted after, so the code stays a parameter.
    """
    return InvalidInput({field: [error_text(err)]})


def submitted() -> dict[str, str]:
    """Return the posted form as a plain dict (first value of each key)."""
    return {k: v for k, v in request.form.items()}


def submit(schema: Schema, call: Callable[[dict[str, Any]], Any],
           field_map: dict[str, str] | None = None) -> Any:
    """Validate the posted form, run ``call`` with the data, or raise FormError."""
    from flask_babel import gettext

    try:
        data = schema.load(submitted())
    except ValidationError as err:
        messages = err.messages if isinstance(err.messages, dict) else {"_": err.messages}
        raise FormError(gettext("Some fields are not valid."),
                        field_errors(messages, field_map)) from None
    try:
        return call(data)
    except InvalidInput as err:
        raise FormError(error_text(err), field_errors(err.errors, field_map)) from None
    except DomainError as err:
        # Typed errors with their own pages (not found, conflict, denied) pass through.
        from domain.errors import PermissionDenied
        from petitions.errors import ConflictError, ItemNotFound

        if isinstance(err, (ItemNotFound, ConflictError, PermissionDenied)):
            raise
        raise FormError(error_text(err), status=400) from None


def create_item(schema: Schema, call: Callable[[dict[str, Any]], Any], template: str,
                saved: str) -> Any:
    """Save a new-item form and show the item, or show the form again with its errors.

    ``saved`` is the untranslated success message; it may name the new item's ``{code}``.
    """
    from flask import flash, redirect, render_template, url_for
    from flask_babel import gettext

    from web.context import after_command

    try:
        receipt = submit(schema, call)
    except FormError as err:
        flash(err.message, "error")
        return render_template(template, data=submitted(), errors=err.errors), err.status
    after_command(receipt)
    flash(gettext(saved).format(code=receipt.code), "success")
    return redirect(url_for("items.show", ref=receipt.code), 303)

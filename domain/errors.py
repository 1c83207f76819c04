"""Errors raised by domain rules, each with an English message template.

Templates are marked with ``N_`` so the web layer can translate them; the parameters
are kept apart so a translation can place them differently.
"""
from __future__ import annotations

from typing import Any


def N_(message: str) -> str:
    """Mark a message for translation without translating it here."""
    return message


class DomainError(Exception):
    """A command refused by a business rule."""

    template = N_("This action is not allowed.")

    def __init__(self, template: str | None = None, **params: Any) -> None:
        if template is not None:
            self.template = template
        self.params = params
        super().__init__(self.template.format(**params))


class InvalidInput(DomainError):
    """Input that fails validation; ``errors`` maps each field to its messages."""

    template = N_("Some fields are not valid.")

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__()

    def __str__(self) -> str:
        parts = [f"{field}: {'; '.join(msgs)}" for field, msgs in self.errors.items()]
        return "; ".join(parts)


class InvalidTransition(DomainError):
    """The item's current status does not allow this action."""

    template = N_("Cannot {action} an item that is {status}.")


class PermissionDenied(DomainError):
    """The acting user's role or scope does not allow this action."""

    template = N_("You are not allowed to {action} this item.")


class Message(str):
    """A message whose parameters are filled in after translation (the text is the English).

    Field errors are lists of strings; a Message is one, and the web translates its
    ``template`` first and formats it with ``params`` after, so names and dates stay as given.
    """

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Message:
        made = super().__new__(cls, template.format(**params))
        made.template = template
        made.params = params
        return made

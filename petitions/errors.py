"""Errors of the application layer that callers (web, CLI, scheduler) handle."""
from __future__ import annotations

from domain.errors import DomainError, N_


class ItemNotFound(DomainError):
    """No petition or complaint has this id or code."""

    template = N_("No item {ref} was found.")


class ConflictError(DomainError):
    """Someone else changed the item since it was read; nothing was saved."""

    template = N_(
        "{code} was changed by someone else in the meantime. Nothing was saved: "
        "review the latest version and try again."
    )

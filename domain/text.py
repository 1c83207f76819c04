"""Validation of free text typed by users: trimmed, NFC-normalised, bounded, printable."""
from __future__ import annotations

import unicodedata

from domain.errors import InvalidInput, N_

TITLE_MAX = 300
TEXT_MAX = 20_000
NAME_MAX = 200

_ALLOWED_CONTROLS = {"\n", "\t"}


def text_problem(value: object, *, max_length: int, required: bool = True) -> str | None:
    """Return the message template describing what is wrong with ``value``, or None."""
    if value is None:
        return N_("This field is required.") if required else None
    if not isinstance(value, str):
        return N_("Must be text.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return N_("Contains invalid characters.")
    stripped = value.strip()
    if not stripped:
        return N_("This field is required.") if required else None
    if len(stripped) > max_length:
        return N_("Must be at most {max} characters.").replace("{max}", str(max_length))
    for ch in stripped:
        if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in _ALLOWED_CONTROLS:
            return N_("Contains invalid characters.")
    return None


def clean_text(value: object, *, max_length: int, required: bool = True) -> str:
    """Return ``value`` trimmed and NFC-normalised (line breaks kept as \\n)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text.strip())


class FieldCheck:
    """Collect per-field problems, then raise one InvalidInput listing them all."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        """Record a problem with ``field``."""
        self.errors.setdefault(field, []).append(message)

    def text(self, field: str, value: object, *, max_length: int, required: bool = True) -> str:
        """Check a text field and return its cleaned value ("" when invalid)."""
        problem = text_problem(value, max_length=max_length, required=required)
        if problem:
            self.add(field, problem)
            return ""
        return clean_text(value, max_length=max_length, required=required)

    def choice(self, field: str, value: object, allowed: object, *, required: bool = True) -> str:
        """Check that ``value`` is one of ``allowed`` codes."""
        if value in (None, ""):
            if required:
                self.add(field, N_("This field is required."))
            return ""
        if not isinstance(value, str) or value not in allowed:  # type: ignore[operator]
            self.add(field, N_("Unknown value."))
            return ""
        return value

    def raise_if_any(self) -> None:
        """Raise InvalidInput if any problem was recorded."""
        if self.errors:
            raise InvalidInput(self.errors)

"""Validation of free text typed by users: trimmed, NFC-normalised, bounded, printable."""
from __future__ import annotations

import unicodedata

from domain.errors import InvalidInput, N_

TITLE_MAX = 300
TEXT_MAX = 20_000
NAME_MAX = 200

_ALLOWED_CONTROLS = {"\n", "\t"}
# Bidirectional overrides and isolates can make a text display differently from what it
# says ("Trojan source"); Vietnamese text never needs them.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Characters that show nothing: a text made only of these is empty.
_INVISIBLE_CATEGORIES = {"Cf", "Zs", "Zl", "Zp", "Mn", "Me"}


def _normalise(value: str) -> str:
    # Browsers send textarea line breaks as CRLF; NFC makes "ệ" one code point however typed.
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text.strip())


def _is_blank(text: str) -> bool:
    return all(unicodedata.category(ch) in _INVISIBLE_CATEGORIES for ch in text)


def text_problem(value: object, *, max_length: int, required: bool = True) -> str | None:
    """Return the message template describing what is wrong with ``value``, or None.

    The length is measured on the normalised text, the one that is stored.
    """
    if value is None:
        return N_("This field is required.") if required else None
    if not isinstance(value, str):
        return N_("Must be text.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates, e.g. "\ud800"
        return N_("Contains invalid characters.")
    text = _normalise(value)
    if _is_blank(text):
        return N_("This field is required.") if required else None
    if len(text) > max_length:
        return N_("Must be at most {max} characters.").replace("{max}", str(max_length))
    if text.isprintable():
        # No control, format (bidi controls are format), surrogate, private or unassigned
        # character: the loop below would find nothing (and costs a lookup a character).
        return None
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in _ALLOWED_CONTROLS:
            return N_("Contains invalid characters.")
        if ch in _BIDI_CONTROLS:
            return N_("Contains invalid characters.")
    return None


def clean_text(value: object, *, max_length: int, required: bool = True) -> str:
    """Return ``value`` trimmed and NFC-normalised (line breaks kept as \\n)."""
    text = _normalise(value if isinstance(value, str) else "" if value is None else str(value))
    return "" if _is_blank(text) else text


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
            # Dated codes explain a known code used outside its validity (and who follows it).
            explain = getattr(allowed, "problem", None)
            reason = explain(value) if explain and isinstance(value, str) else None
            self.add(field, reason or N_("Unknown value."))
            return ""
        return value

    def raise_if_any(self) -> None:
        """Raise InvalidInput if any problem was recorded."""
        if self.errors:
            raise InvalidInput(self.errors)

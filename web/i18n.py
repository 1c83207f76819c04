"""Languages: catalog compilation, locale choice, translation of domain messages, dates."""
from __future__ import annotations

import os
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, request, session
from flask_babel import gettext
from flask_login import current_user

from domain.errors import DomainError, InvalidInput, Message

TRANSLATIONS = Path(__file__).parent / "translations"
LANGUAGES = ("vi", "en")
_NUMBER = re.compile(r"\d+")
VERBATIM_PARAMS = frozenset({"ref", "code"})


def compile_catalogs(root: Path = TRANSLATIONS) -> list[Path]:
    """Compile every messages.po into messages.mo when the .mo is missing or older."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    compiled = []
    for po_path in sorted(root.glob("*/LC_MESSAGES/messages.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        # Write beside and rename, so a second process starting now never reads half a file.
        partial = mo_path.with_name(f"messages.{os.getpid()}.mo.tmp")
        try:
            with partial.open("wb") as mo_file:
                write_mo(mo_file, catalog)
            os.replace(partial, mo_path)
        except OSError:  # read-only install: the packaged .mo is used as it is
            partial.unlink(missing_ok=True)
            continue
        compiled.append(mo_path)
    return compiled


def select_locale() -> str:
    """Pick the signed-in user's language, else the visitor's choice, else the default."""
    if getattr(current_user, "is_authenticated", False):
        return current_user.language
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return current_app.config["SETTINGS"].language if _has_settings() else "vi"


def _has_settings() -> bool:
    return "SETTINGS" in current_app.config and current_app.config["SETTINGS"].language in LANGUAGES


def translate(message: str) -> str:
    """Translate a domain message whose numbers may already be filled in."""
    if isinstance(message, Message):
        try:
            return gettext(message.template).format(**message.params)
        except (KeyError, IndexError, ValueError):
            return str(message)
    translated = gettext(message)
    if translated != message:
        return translated
    # Templates like "Must be at most {max} characters." arrive with the number in place.
    numbers = _NUMBER.findall(message)
    if len(numbers) == 1:
        template = _NUMBER.sub("{max}", message)
        translated = gettext(template)
        if translated != template:
            return translated.replace("{max}", numbers[0])
    return message


def error_text(err: DomainError) -> str:
    """Return a domain error's message in the user's language."""
    if isinstance(err, InvalidInput):
        return gettext("Some fields are not valid.")
    # Typed codes are shown as typed: "closed" typed as a code is not the status "closed".
    params = {k: v if k in VERBATIM_PARAMS else _param(v) for k, v in err.params.items()}
    try:
        return gettext(err.template).format(**params)
    except (KeyError, IndexError, ValueError):
        return err.template.format(**params)


def _param(value: Any) -> Any:
    from web.labels import label  # imported late: labels need an app context

    if isinstance(value, str):
        return label("status", value, default=label("action", value, default=value))
    return value


def field_errors(errors: dict[str, list[str]], field_map: dict[str, str] | None = None
                 ) -> dict[str, list[str]]:
    """Translate an errors map and rename domain fields to form fields."""
    field_map = field_map or {}
    shown: dict[str, list[str]] = {}
    for name, messages in errors.items():
        # marshmallow keys a list's errors by position (an int): "kinds_0"
        target = field_map.get(name, str(name).replace(".", "_"))
        if isinstance(messages, dict):  # nested marshmallow errors
            for sub, msgs in field_errors(messages).items():
                shown.setdefault(f"{target}_{sub}", []).extend(msgs)
            continue
        if isinstance(messages, str):
            messages = [messages]
        shown.setdefault(target, []).extend(
            translate(m if isinstance(m, Message) else str(m)) for m in messages)
    return shown


def hanoi(value: datetime) -> datetime:
    """Convert a UTC time to the council's time zone."""
    zone = ZoneInfo(current_app.config["SETTINGS"].timezone)
    if value.tzinfo is None:
        from datetime import timezone
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(zone)


def format_date(value: Any) -> str:
    """Show a date as dd/mm/yyyy (times are first converted to Hanoi time)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = hanoi(value)
    return value.strftime("%d/%m/%Y")


def format_datetime(value: Any) -> str:
    """Show a time as HH:MM dd/mm/yyyy in Hanoi time."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, datetime):
        return format_date(value)
    return hanoi(value).strftime("%H:%M %d/%m/%Y")


def language_from_request() -> str | None:
    """Return a language asked for in the query string, if valid."""
    lang = request.args.get("lang")
    return lang if lang in LANGUAGES else None


def format_percent(value: Any) -> str:
    """Show a percentage with the locale's decimal mark (Vietnamese: 48,5%)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return "—"
    from babel.numbers import format_decimal
    from flask_babel import get_locale

    return format_decimal(round(float(value), 1), format="#,##0.0",
                          locale=str(get_locale() or "vi")) + "%"


def format_count(value: Any) -> str:
    """Show a count with the locale's thousands separator (Vietnamese: 12.345)."""
    if value is None:
        return "—"
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return str(value)
    from flask_babel import format_decimal

    return format_decimal(value)

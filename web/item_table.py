"""The table of items every list and queue page shows, rendered in Python.

Fifty rows of seven cells, each with a status badge, a deadline chip and two reference
names, were most of a list page's time in Jinja (a macro call, a translation and several
context look-ups per cell). Here what is the same for every row (headings, words, the
link's pattern) is worked out once per table and each distinct status, date and name once
per table; a row is then one formatted string. Every value from the data is escaped.
The template macro ``item_rows`` calls this and keeps the empty state.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

from flask import url_for
from flask_babel import gettext
from markupsafe import Markup, escape

from web import design, labels
from web.i18n import format_date

_PLACEHOLDER = "__item_ref__"
# The characters werkzeug's path converter leaves unquoted (``BaseConverter.to_url``).
_PATH_SAFE = "!$&'()*+,/:;=@"


def item_rows_html(rows: Iterable[Any], seen: Any = None, pick: str = "",
                   pick_prefix: str = "") -> Markup:
    """Return the ``<table>`` of ``rows`` (a table on a desktop, cards on a phone)."""
    # Headings, escaped once: each is both a column's heading and every cell's data-label.
    l_code, l_title, l_status, l_unit, l_agency, l_due, l_select = (escape(t) for t in (
        gettext("Code"), gettext("Title"), gettext("Status"), labels.unit_label(),
        gettext("Agency"), gettext("Due date"), gettext("Select")))
    # The item page's address, its code put in with the quoting the router would apply.
    link = url_for("items.show", ref=_PLACEHOLDER)
    # Each distinct status, due date and name once per table (the request's language and day).
    badge, chip, name = functools.cache(_badge), functools.cache(_chip), functools.cache(_name)
    roadmap = f' <strong class="tag">{escape(gettext("past its roadmap date"))}</strong>'
    overdue = f' <strong class="visually-hidden">{escape(gettext("overdue"))}</strong>'
    new_tag = f' <span class="tag new">{escape(gettext("new"))}</span>'
    parts = ['<div class="table-wrap"><table class="items">\n  <thead><tr>']
    if pick:
        parts.append(f'<th scope="col"><span class="visually-hidden">{l_select}</span></th>')
    parts.append(
        f'<th scope="col">{l_code}</th><th scope="col">{l_title}</th>\n'
        f'    <th scope="col">{l_status}</th><th scope="col">{l_unit}</th>\n'
        f'    <th scope="col">{l_agency}</th><th scope="col">{l_due}</th>'
        '</tr></thead>\n  <tbody>\n')
    for row in rows:
        r = _Fields(row)
        code = escape(r.code)
        fresh = design.changed_since(r.updated_at, seen)
        classes = ("overdue" if r.overdue else "") + (" is-new" if fresh else "")
        cell = ""
        if pick:
            cell = (f'<td class="pick"><input type="checkbox" name="{escape(pick)}" '
                    f'value="{code}" id="pick-{escape(pick_prefix)}{code}" '
                    f'aria-label="{l_select} {code}"></td>')
        href = escape(link.replace(_PLACEHOLDER, quote(str(r.code), safe=_PATH_SAFE)))
        agency = name("agencies", r.agency) if r.agency else ""
        parts.append(
            f'    <tr class="{classes}">{cell}'
            f'<td data-label="{l_code}"><a href="{href}">{code}</a>'
            f'{new_tag if fresh else ""}</td>'
            f'<td data-label="{l_title}" class="title">{escape(r.title)}</td>'
            f'<td data-label="{l_status}">{badge(r.status)}'
            f'{roadmap if r.past_roadmap else ""}</td>'
            f'<td data-label="{l_unit}">{name("units", r.district)}</td>'
            f'<td data-label="{l_agency}">{agency or "—"}</td>'
            f'<td data-label="{l_due}">{chip(r.due_date, r.is_open)}'
            f'{overdue if r.overdue else ""}</td></tr>\n')
    parts.append("  </tbody>\n</table></div>")
    return Markup("".join(parts))


def _badge(status: Any) -> str:
    """The status's badge, coloured by its group."""
    return (f'<span class="badge g-{escape(design.status_group(status))} s-{escape(status)}">'
            f'{escape(labels.label("status", status))}</span>')


def _name(section: str, code: Any) -> str:
    """A reference entry's name in the request's language, escaped."""
    return str(escape(labels.ref_name(section, code)))


def _chip(due: Any, is_open: bool) -> str:
    """The due date with the days left (red past it, amber within a week); plain for an item
    that owes nothing more; a dash without a date."""
    if not due:
        return "—"
    days = design.days_left(due) if is_open else None
    text = f' <span class="days">· {escape(design.days_text(days))}</span>' if days is not None \
        else ""
    return (f'<span class="chip {design.deadline_state(days)}">{escape(format_date(due))}'
            f'{text}</span>')


class _Fields:
    """A row's fields by attribute, whether the row is a dict or an object; a field it lacks
    reads "" (shown as nothing and false, as an undefined one in the template)."""

    __slots__ = ("_get",)

    def __init__(self, row: Any) -> None:
        self._get = (lambda name: row.get(name, "")) if isinstance(row, Mapping) else (
            lambda name: getattr(row, name, ""))

    def __getattr__(self, name: str) -> Any:
        return self._get(name)

"""Reference data screens: list by validity, add, change, end, with each entry's history.

Admins keep every section; the council office (secretariat) keeps the sessions. Each
change asks for a reason and is recorded with who made it and when; nothing is deleted.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import user_logged_in
from marshmallow import ValidationError

from domain.errors import InvalidInput, N_
from domain.reference import UNIT_KINDS, valid_on
from petitions import permissions
from web.context import actor, requires, tracker
from web.forms import FormError, submit, submitted
from web.i18n import translate
from web.schemas.reference import EndEntrySchema, ReferenceEntrySchema, ValidOnSchema

bp = Blueprint("reference_admin", __name__, url_prefix="/admin/reference")

# The sections these screens keep, with their title, in menu order.
SECTIONS = {
    "units": N_("Administrative units"),
    "agencies": N_("Agencies"),
    "deputy_groups": N_("Deputy groups"),
    "council_terms": N_("Council terms"),
    "council_sessions": N_("Council sessions"),
    "fields": N_("Fields"),
    "competence_levels": N_("Competence levels"),
}
NAMED = ("name",)
BILINGUAL = ("name_vi", "name_en")
DATED = ("valid_from", "valid_to", "basis_to")
# The fields of each section's form, in order (code first; the reason is always asked).
FORM_FIELDS: dict[str, tuple[str, ...]] = {
    "units": (*NAMED, "kind", *DATED, "office", "basis", "note"),
    "agencies": (*NAMED, "kind", "unit", "competence", *DATED, "successors", "basis", "note"),
    "deputy_groups": (*NAMED, "term", "units", *DATED, "basis", "note"),
    "council_terms": (*NAMED, "elected_on", *DATED, "basis", "note"),
    "council_sessions": (*NAMED, "term", "kind", "opens_on", "closes_on", "basis", "note"),
    "fields": (*BILINGUAL, *DATED, "note"),
    "competence_levels": (*BILINGUAL, *DATED, "basis", "note"),
}
KIND_WORDS = {
    "quan": N_("Urban district (quận)"), "huyen": N_("Rural district (huyện)"),
    "thi_xa": N_("District-level town (thị xã)"), "phuong": N_("Ward (phường)"),
    "xa": N_("Commune (xã)"), "department": N_("Department or board"),
    "enterprise": N_("Enterprise"), "district_committee": N_("District People's Committee"),
    "commune_committee": N_("Commune or ward People's Committee"),
    "regular": N_("Regular session"), "thematic": N_("Thematic session"),
}
HISTORY_WORDS = {
    "EntryRecorded": N_("Recorded"), "EntryAdded": N_("Added"), "EntryChanged": N_("Changed"),
    "EntryEnded": N_("Ended"),
}
LISTS = ("units", "successors")
DATES = ("elected_on", "opens_on", "closes_on", "valid_from", "valid_to")
KINDS = {
    "units": UNIT_KINDS,
    "agencies": ("department", "enterprise", "district_committee", "commune_committee"),
    "council_sessions": ("regular", "thematic"),
}


def _section(section: str) -> str:
    if section not in SECTIONS:
        abort(404)
    if not permissions.may_administer_reference(actor(), section):
        abort(403)
    return section


def entry_of(section: str, data: dict[str, Any], *, with_code: bool) -> dict[str, Any]:
    """Turn a loaded form into an entry's fields (dates as ISO text, lists split)."""
    entry: dict[str, Any] = {"code": data.get("code")} if with_code else {}
    for field in FORM_FIELDS[section]:
        value = data.get(field)
        if field in DATES:
            value = value.isoformat() if isinstance(value, date) else None
        elif field in LISTS:
            value = [v for v in (value or "").replace(",", " ").split() if v]
        entry[field] = value
    if section == "council_sessions":
        entry["regular"] = entry.get("kind") == "regular"
    return entry


def form_of(entry: dict[str, Any]) -> dict[str, Any]:
    """Show an entry's fields in its form (lists joined)."""
    return {k: ", ".join(v) if isinstance(v, list) else ("" if v is None else v)
            for k, v in entry.items()}


def _page(section: str, template: str, **context: Any) -> str:
    return render_template(
        template, section=section, title=SECTIONS[section], fields=FORM_FIELDS[section],
        kind_choices=[(k, gettext(KIND_WORDS[k])) for k in KINDS.get(section, ())],
        history_word=lambda name: gettext(HISTORY_WORDS.get(name, name)),
        kind_word=lambda kind: gettext(KIND_WORDS[kind]) if kind in KIND_WORDS else kind,
        sections=_visible_sections(), **context)


def _visible_sections() -> dict[str, str]:
    me = actor()
    return {s: t for s, t in SECTIONS.items() if permissions.may_administer_reference(me, s)}


@bp.get("")
@requires(permissions.may_administer_reference)
def index() -> Any:
    """Go to the first section the user keeps."""
    return redirect(url_for("reference_admin.entries", section=next(iter(_visible_sections()))))


@bp.get("/<section>")
@requires(permissions.may_administer_reference)
def entries(section: str) -> Any:
    """List a section's entries, all or those valid on a day, with their validity."""
    _section(section)
    try:
        on = ValidOnSchema().load(request.args.to_dict())["on"]
    except ValidationError:
        flash(gettext("Enter a date as dd/mm/yyyy."), "error")
        on = None
    rows = tracker().reference().get(section, {})
    if on is not None:
        rows = {c: e for c, e in rows.items() if valid_on(e, on)}
    return _page(section, "admin/reference/list.html", rows=rows, on=on,
                 today=tracker().today().isoformat())


@bp.get("/<section>/new")
@requires(permissions.may_administer_reference)
def new(section: str) -> Any:
    """Show the form to add an entry."""
    _section(section)
    return _page(section, "admin/reference/form.html", data={}, errors={}, entry=None,
                 history=[])


@bp.post("/<section>/new")
@requires(permissions.may_administer_reference)
def add(section: str) -> Any:
    """Add the entry, then show it with its history."""
    _section(section)
    try:
        entry = submit(ReferenceEntrySchema(), lambda data: tracker().add_reference(
            actor(), section, entry_of(section, data, with_code=True),
            reason=data.get("reason") or ""), field_map=_field_map(section))
    except FormError as err:
        flash(err.message, "error")
        return _page(section, "admin/reference/form.html", data=submitted(),
                     errors=err.errors, entry=None, history=[]), err.status
    flash(gettext("{code} was added.").format(code=entry["code"]), "success")
    return redirect(url_for("reference_admin.show", section=section, code=entry["code"]), 303)


@bp.get("/<section>/<code>")
@requires(permissions.may_administer_reference)
def show(section: str, code: str) -> Any:
    """Show an entry's form to change it, the form to end it, and its history."""
    _section(section)
    entry = _entry(section, code)
    return _page(section, "admin/reference/form.html", data=form_of(entry), errors={},
                 entry=entry, history=tracker().reference_history(section, code))


@bp.post("/<section>/<code>")
@requires(permissions.may_administer_reference)
def change(section: str, code: str) -> Any:
    """Change the entry's fields (its code stays)."""
    _section(section)
    entry = _entry(section, code)
    try:
        changed = submit(ReferenceEntrySchema(), lambda data: tracker().change_reference(
            actor(), section, code, entry_of(section, data, with_code=False),
            reason=data.get("reason") or ""), field_map=_field_map(section))
    except FormError as err:
        flash(err.message, "error")
        return _page(section, "admin/reference/form.html", data=submitted(),
                     errors=err.errors, entry=entry,
                     history=tracker().reference_history(section, code)), err.status
    flash(gettext("{code} was changed.").format(code=code) if changed
          else gettext("Nothing was changed."), "success")
    return redirect(url_for("reference_admin.show", section=section, code=code), 303)


@bp.post("/<section>/<code>/end")
@requires(permissions.may_administer_reference)
def end(section: str, code: str) -> Any:
    """End the entry on the day given (its last valid day)."""
    _section(section)
    entry = _entry(section, code)

    def call(data: dict[str, Any]) -> None:
        if data.get("valid_to") is None:
            raise InvalidInput({"end_valid_to": [N_("This field is required.")]})
        tracker().end_reference(actor(), section, code, data["valid_to"],
                                reason=data.get("reason") or "")

    try:
        submit(EndEntrySchema(), call, field_map={"valid_to": "end_valid_to",
                                                  "reason": "end_reason"})
    except FormError as err:
        flash(err.message, "error")
        return _page(section, "admin/reference/form.html", data=form_of(entry),
                     end_data=submitted(), errors=err.errors, entry=entry,
                     history=tracker().reference_history(section, code)), err.status
    flash(gettext("{code} was ended.").format(code=code), "success")
    return redirect(url_for("reference_admin.show", section=section, code=code), 303)


def _entry(section: str, code: str) -> dict[str, Any]:
    entry = tracker().reference().get(section, {}).get(code)
    if entry is None:
        abort(404)
    return entry


def _field_map(section: str) -> dict[str, str]:
    # The domain names a missing name "name"; bilingual sections type it as name_vi.
    return {"name": "name_vi"} if "name_vi" in FORM_FIELDS[section] else {}


# -- sign-in: people of abolished units are told ------------------------------------------
@bp.record_once
def _tell_at_sign_in(state: Any) -> None:
    user_logged_in.connect(_scope_notice, state.app)


def _scope_notice(sender: Any, user: Any, **_: Any) -> None:
    """Tell a user whose unit, agency or deputy group no longer exists, naming successors."""
    me = user.actor()
    try:
        problems = tracker().check_scope(district=me.district, agency=me.agency,
                                         deputy_group=me.deputy_group)
    except Exception:  # noqa: BLE001 - reference data not loaded: nothing to say yet
        return
    for problem in problems:
        flash(gettext("Your account belongs to an entry that is not valid today: {reason} "
                      "Ask the administrator to move your account.").format(
                          reason=translate(problem.message)), "warning")

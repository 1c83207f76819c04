"""The item page (state, deadline, timeline, actions), search, follows, and actions."""
from __future__ import annotations

from typing import Any

from flask import (
    Blueprint, abort, current_app, flash, redirect, render_template, request, url_for,
)
from flask_babel import gettext
from flask_login import current_user, login_required
from marshmallow import ValidationError

from domain.errors import InvalidInput, N_
from petitions.users import workspace
from petitions import permissions
from petitions.errors import ConflictError, ItemNotFound
from web import outcomes, queries
from web.actions import FORMS, available, offered_anywhere
from web.context import actor, after_command, as_of_arg, requires, runtime, tracker, users
from web.forms import FormError, submit, submitted
from web.i18n import error_text, field_errors, format_count
from web.schemas.filters import FilterSchema
from web.timeline import PHASES, timeline

bp = Blueprint("items", __name__, url_prefix="/items")
MAX_REF = 64


def _ref(ref: str) -> str:
    if len(ref) > MAX_REF:
        abort(404)
    return ref


def render_item(ref: str, status: int = 200, *, action: str = "", errors: Any = None,
                data: Any = None, conflict: bool = False, as_of: Any = None) -> Any:
    """Render the item page for the signed-in user (latest state from the event store, or
    the state at the end of ``as_of``, replayed from its events, with no actions offered)."""
    me = actor()
    item = tracker().get_item(me, _ref(ref), as_of=as_of)
    history = tracker().history(me, item["id"], as_of=as_of)
    # The latest answer or decision text: what the office may publish (issue 18).
    item["answer_text"] = next((e["facts"].get("text") for e in reversed(history)
                                if e["type"] in ("AnswerRecorded", "DecisionIssued")), "")
    context = {
        "item": item, "events": timeline(history, _display_names(history)),
        "actions": [] if as_of else available(me, item), "as_of": as_of,
        "open_action": action, "errors": errors or {}, "data": data or {},
        "conflict": conflict,
        "personal": permissions.handles(me, item["district"], item["agency"], item["kind"]),
        "following": (users().is_following(me.username, item["id"])
                      if permissions.may_follow(me) else False),
        "similar": [], "next_escalation": None,
        "pending_answer": _pending_answer(item, history),
        "hand_offs": tracker().hand_offs(me, item["id"], history=history),
        "files": tracker().item_files(me, item["id"]),  # issue 17: documents and attachments
        "related": _related(me, item),
        "by_phase": request.args.get("history") == "phases", "phases": PHASES,
    }
    if getattr(runtime(), "views", None):
        projected = queries.row(runtime(), item["id"])
        if projected and projected.get("next_escalation_on"):
            context["next_escalation"] = (projected["next_escalation_on"],
                                          item["escalation_level"] + 1)
    if any(a.name == "merge" for a in context["actions"]) and getattr(runtime(), "views", None):
        context["similar"] = queries.similar(runtime(), f"{item['title']} {item['content']}",
                                             exclude=item["code"])
    return render_template("items/item.html", **context), status


def _code_of(me: Any, ref: Any) -> str | None:
    """The code of a linked item the user may open (None: not in their scope)."""
    try:
        return tracker().get_item(me, ref)["code"]
    except (ItemNotFound, PermissionError):
        return None


def _related(me: Any, item: dict[str, Any]) -> list[tuple[str, str | None, str]]:
    """The items linked to this one, as (how, code or None, plain words) for the item page.

    A merged petition's survivor and its merged duplicates, a complaint's first and second
    rounds; a link only to what the user may open.
    """
    out: list[tuple[str, str | None, str]] = []
    if item.get("merged_into"):
        code = _code_of(me, item["merged_into"])
        out.append((gettext("Merged into"), code, "" if code else gettext("outside your scope")))
    for ref in item.get("merged_from") or ():
        code = _code_of(me, ref)
        out.append((gettext("Duplicate merged into this one"), code,
                    "" if code else gettext("outside your scope")))
    if item.get("first_round_code"):
        out.append((gettext("First-round complaint"), item["first_round_code"], ""))
    for code in item.get("second_round_codes") or ():
        out.append((gettext("Second-round complaint"), code, ""))
    return out


def _pending_answer(item: dict[str, Any], history: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Return the answer awaiting review with its text (the reviewer must read what they accept)."""
    if not item.get("pending_answer"):
        return None
    recorded = next((e for e in reversed(history) if e["type"] == "AnswerRecorded"), None)
    text = recorded["facts"].get("text", "") if recorded else ""
    return {**item["pending_answer"], "text": text,
            "at": recorded["at"] if recorded else None}


def _display_names(history: list[dict[str, Any]]) -> dict[str, str]:
    """Map the user names in a history to display names (unknown users keep their name)."""
    names = {}
    for username in {e.get("actor") for e in history if e.get("actor")}:
        user = users().get(username)
        if user is not None and user.display_name:
            names[username] = user.display_name
    return names


@bp.get("/<ref>")
@login_required
def show(ref: str) -> Any:
    """Show one item: status, deadline and how it was computed, timeline, actions; with
    ``?as_of=YYYY-MM-DD`` as it stood at the end of that day.

    ``?open=<action>`` opens that action's form (the correcting step a flash links to).
    """
    wanted = request.args.get("open", "")
    return render_item(ref, as_of=as_of_arg(), action=wanted if wanted in FORMS else "")


@bp.post("/<ref>/do/<name>")
@login_required
def act(ref: str, name: str) -> Any:
    """Run one action from the item page, then show the item again."""
    form = FORMS.get(name)
    if form is None:
        abort(404)
    me = actor()
    if not offered_anywhere(me, name):
        abort(403)
    ref = _ref(ref)
    try:
        # The application refuses what the item's status or the user's scope does not allow.
        receipt = submit(form.schema(), lambda data: form.call(tracker(), me, ref, data))
    except FormError as err:
        flash(err.message, "error")
        return render_item(ref, err.status, action=name, errors=err.errors, data=submitted())
    except ConflictError as err:
        from web.i18n import error_text

        flash(error_text(err), "error")
        return render_item(ref, 409, action=name, data=submitted(), conflict=True)
    after_command(receipt)
    try:
        after = tracker().get_item(me, receipt.code)
    except ItemNotFound:
        # The action took the item out of the user's scope (an agency sent it back as not
        # its competence): say where it went rather than show a missing page.
        flash(gettext("{code} is no longer in your scope: it went back to the council "
                      "office.").format(code=receipt.code), "success")
        return redirect(url_for("auth.home"), 303)
    flash(outcomes.message(name, after, [a.name for a in available(me, after)],
                           survivor=request.form.get("survivor", "")[:MAX_REF]), "success")
    return redirect(url_for("items.show", ref=receipt.code), 303)


@bp.get("")
@login_required
def search() -> Any:
    """Search and filter the items the user may see (keyset pages)."""
    try:
        query = FilterSchema().load(request.args)
    except ValidationError as err:
        flash(gettext("Some filters are not valid."), "error")
        return _search_page(None, field_errors(err.messages), 400)
    as_of = as_of_arg()
    page = queries.items(runtime(), actor(), query["filter"], query["after"],
                         current_app.config["PAGE_SIZE"], as_of=as_of)
    return _search_page(page, {}, as_of=as_of)


def _search_page(page: Any, errors: Any, status: int = 200, as_of: Any = None) -> Any:
    """Render the search page with the user's saved searches and the count of filters set."""
    active = sum(1 for key, value in request.args.items()
                 if value and key not in ("after", "order", "n"))
    return render_template("items/list.html", page=page, args=request.args, errors=errors,
                           export_limit=EXPORT_LIMIT, active=active, as_of=as_of,
                           saved=workspace.saved_searches(users().engine, actor().username),
                           query=_kept_query()), status


def _kept_query() -> str:
    """The search's own filters as a query string (no cursor): what a saved search keeps."""
    from urllib.parse import urlencode

    return urlencode([(k, v) for k, v in request.args.items(multi=True)
                      if v and k in FilterSchema().fields and k != "after"])


@bp.post("/saved")
@login_required
def save_search() -> Any:
    """Save the current filters under a name; they show as a link above the filters."""
    query = request.form.get("query", "")[:2000]
    try:
        FilterSchema().load(dict(_pairs(query)))
    except ValidationError:
        abort(400)
    try:
        workspace.save_search(users().engine, actor().username, request.form.get("name"), query)
    except InvalidInput as err:
        for messages in err.errors.values():
            for text in messages:
                flash(gettext(text), "error")
        return redirect(url_for("items.search") + ("?" + query if query else ""), 303)
    flash(gettext("The search is saved: it is listed above the filters, one click to run it "
                  "again."), "success")
    return redirect(url_for("items.search") + ("?" + query if query else ""), 303)


@bp.post("/saved/<search_id>/delete")
@login_required
def delete_search(search_id: str) -> Any:
    """Delete one of the user's saved searches."""
    if not search_id.isdigit() or len(search_id) > 12:
        abort(404)
    if not workspace.delete_search(users().engine, actor().username, int(search_id)):
        abort(404)
    flash(gettext("The saved search is deleted."), "success")
    return redirect(url_for("items.search"), 303)


def _pairs(query: str) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl(query)


EXPORT_LIMIT = 10_000
# The yes/no columns after the escalation level are the per-item figures of
# ``projections.figures`` as of today: summed over a scope they give the boards' counts.
EXPORT_COLUMNS = ("code", "kind", "title", "status", "district", "deputy_group", "session",
                  "field", "agency", "outcome", "received_on", "due_date", "closed_on",
                  "overdue", "escalation_level", "answered_on", "raised", "answered",
                  "answered_on_time", "answered_late", "resolved", "past_roadmap",
                  "escalated", "forwarded_late")
# The header row says each column in the words the screens use (one term per concept).
EXPORT_HEADERS = {
    "code": N_("Code"), "kind": N_("Kind"), "title": N_("Title"), "status": N_("Status"),
    "district": N_("District"), "deputy_group": N_("Deputy group"),
    "session": N_("Council session"), "field": N_("Field"), "agency": N_("Responsible agency"),
    "outcome": N_("Outcome"), "received_on": N_("Received on"), "due_date": N_("Due date"),
    "closed_on": N_("Closed on"), "overdue": N_("Overdue"),
    "escalation_level": N_("Escalation level"), "answered_on": N_("Answered on"),
    "raised": N_("Raised"), "answered": N_("Answered"), "answered_on_time": N_("Answered on time"),
    "answered_late": N_("Answered late"),
    "resolved": N_("Resolved"), "past_roadmap": N_("Past roadmap date"),
    "escalated": N_("Escalated"),
    "forwarded_late": N_("Forwarded late"),
}


def _export_rows() -> tuple[list[dict[str, Any]], bool]:
    """Return the rows of the search results (the user's scope only), and whether cut."""
    try:
        query = FilterSchema().load(request.args)
    except ValidationError:
        abort(400)
    rows: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = queries.items(runtime(), actor(), query["filter"], cursor,
                             min(500, EXPORT_LIMIT - len(rows)))
        rows += page.rows
        cursor = page.next_cursor
        if not cursor or len(rows) >= EXPORT_LIMIT:
            return rows, bool(cursor)


def _truncation_note() -> str:
    return gettext("Only the first {limit} rows were exported: narrow the filters to export "
                   "the rest.").format(limit=format_count(EXPORT_LIMIT))


@bp.get("/export.csv")
@login_required
def export() -> Any:
    """Download the search results (the user's scope only) as CSV for machines.

    Codes as stored, every field quoted and formula-safe (``petitions.exports``).
    """
    from petitions.exports import csv_bytes

    rows, more = _export_rows()
    lines = [[_csv_value(row.get(c)) for c in EXPORT_COLUMNS] for row in rows]
    if more:
        # Never cut silently: the last line says so, and a header tells scripts.
        lines.append(["# " + _truncation_note()])
    headers = {"Content-Disposition": "attachment; filename=kien-nghi.csv"}
    if more:
        headers["X-Export-Truncated"] = str(EXPORT_LIMIT)
    return current_app.response_class(
        csv_bytes([gettext(EXPORT_HEADERS[column]) for column in EXPORT_COLUMNS], lines),
        mimetype="text/csv", headers=headers)


def _csv_value(value: Any) -> Any:
    return str(value) if isinstance(value, bool) else value


# Columns of the office's spreadsheet shown as words (labels, names); their codes follow in
# extra columns at the right, for machines and filters.
XLSX_WORDS = {"kind": ("label", "kind"), "status": ("label", "status"),
              "outcome": ("label", "outcome"), "district": ("ref", "units"),
              "deputy_group": ("ref", "deputy_groups"), "field": ("ref", "fields"),
              "agency": ("ref", "agencies")}
XLSX_WIDTHS = {"code": 16, "title": 50, "kind": 18, "status": 20, "district": 22,
               "agency": 30, "deputy_group": 30, "field": 22, "outcome": 24}


@bp.get("/export.xlsx")
@login_required
def export_xlsx() -> Any:
    """Download the search results as an XLSX workbook an office opens: Vietnamese words.

    Headers and labels in the user's language, dates dd/mm/yyyy, yes/no as words; the codes
    of the labelled columns follow in extra columns.
    """
    from io import BytesIO

    from flask import send_file

    from domain.reference import display_name
    from petitions.exports import capital, xlsx_bytes
    from web.labels import label, ref_name, reference

    rows, more = _export_rows()
    coded = [c for c in EXPORT_COLUMNS if c in XLSX_WORDS]
    header = [gettext(EXPORT_HEADERS[c]) for c in EXPORT_COLUMNS] + [
        gettext("{column} (code)").format(column=gettext(EXPORT_HEADERS[c])) for c in coded]
    yes, no = gettext("yes"), gettext("no")

    units = reference().get("units", {})

    def shown(column: str, value: Any) -> Any:
        if isinstance(value, bool):
            return capital(yes if value else no)
        if column == "escalation_level":
            return value if isinstance(value, int) and value >= 0 else None
        how = XLSX_WORDS.get(column)
        if how is None or value in (None, ""):
            return value
        if column == "district":  # "Quận Ba Đình", "Phường Ba Đình": the era shows
            return display_name(units.get(value), value)
        return capital(label(how[1], value) if how[0] == "label" else ref_name(how[1], value))

    lines = [[shown(c, row.get(c)) for c in EXPORT_COLUMNS] + [row.get(c) for c in coded]
             for row in rows]
    content = xlsx_bytes(gettext("Items"), header, lines,
                         widths=[XLSX_WIDTHS.get(c, 14) for c in EXPORT_COLUMNS],
                         note=_truncation_note() if more else "")
    response = send_file(BytesIO(content), as_attachment=True, download_name="kien-nghi.xlsx",
                         mimetype="application/vnd.openxmlformats-officedocument."
                                  "spreadsheetml.sheet")
    if more:
        response.headers["X-Export-Truncated"] = str(EXPORT_LIMIT)
    return response


@bp.post("/<ref>/follow")
@requires(permissions.may_follow)
def follow(ref: str) -> Any:
    """Follow an item (deputies)."""
    item = tracker().get_item(actor(), _ref(ref))
    users().follow(current_user.username, item["id"], item["code"])
    flash(gettext("You now follow {code}.").format(code=item["code"]), "success")
    return redirect(url_for("items.show", ref=item["code"]), 303)


@bp.post("/<ref>/unfollow")
@requires(permissions.may_follow)
def unfollow(ref: str) -> Any:
    """Stop following an item."""
    item = tracker().get_item(actor(), _ref(ref))
    users().unfollow(current_user.username, item["id"])
    flash(gettext("You no longer follow {code}.").format(code=item["code"]), "success")
    return redirect(url_for("items.show", ref=item["code"]), 303)


@bp.get("/following")
@requires(permissions.may_follow)
def following() -> Any:
    """List the items the deputy follows, with their current status."""
    me = actor()
    rows = []
    for entry in users().following(me.username):
        try:
            rows.append(tracker().get_item(me, entry["item_id"]))
        except ItemNotFound:
            continue
    return render_template("items/following.html", rows=rows)


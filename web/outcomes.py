"""What an action on an item did and what comes next, said in the flash after it.

"Saved." told a clerk nothing; each action now says its effect in the item's own terms
(the agency, the due date, the survivor of a merge) and who acts next. Where the domain has
a correcting action that the user may take now (reassign, resume, extend again), the
message links to it: events are never deleted, so "undo" is that correcting step.
"""
from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext
from markupsafe import Markup, escape

from domain.errors import N_
from web.i18n import format_date
from web.labels import label, ref_name

DONE = {
    "classify": N_("{code} is classified."),
    "assign": N_("Assigned to {agency} to lead, due {due}."),
    "merge": N_("{code} is merged into {survivor}."),
    "answer": N_("The answer to {code} is recorded."),
    "accept_answer": N_("The answer is accepted: {code} is now “{status}”."),
    "return_answer": N_("The answer is returned to {agency}."),
    "send_back": N_("{code} is sent back to the council office as not your competence."),
    "accept": N_("{code} is accepted for resolution, due {due}."),
    "forward": N_("{code} is forwarded to {agency}."),
    "record_result": N_("The result notice is recorded: {code} is now “{status}”."),
    "guide": N_("The guidance is recorded: {code} is now “{status}”."),
    "file": N_("{code} is filed."),
    "decide": N_("The decision is recorded: {code} is now “{status}”."),
    "progress": N_("The progress note is added to the history of {code}."),
    "extend": N_("The due date of {code} is now {due}."),
    "park": N_("{code} is set aside."),
    "resume": N_("{code} is resumed, due {due}."),
    "withdraw": N_("The withdrawal of {code} is recorded."),
    "close": N_("{code} is closed."),
    "hand_over": N_("{code} is handed over to {unit}."),
}
NEXT = {
    "classify": N_("Next: assign it to the agency responsible."),
    "assign": N_("The agency will be notified and finds it among its new assignments."),
    "merge": N_("Its voters are counted on the surviving petition; follow it there."),
    "answer": N_("The council office will review it; you will see its decision here."),
    "accept_answer": N_("The petitioners' unit sees the answer on the boards and in the digest."),
    "return_answer": N_("The agency will answer again; it is back in its queue."),
    "send_back": N_("The council office will assign it to the competent body."),
    "accept": N_("The clock of the resolution runs from the acceptance decision."),
    "forward": N_("Record the result notice when the body that received it answers."),
    "extend": N_("The agency sees the new date in its queue."),
    "park": N_("Escalation waits meanwhile; resume it when it can go on."),
    "resume": N_("Escalation counts again from now."),
    "hand_over": N_("The successor unit now sees it on its board."),
}
# The correcting action offered after each action, when the user may take it now.
CORRECT = {"assign": "assign", "extend": "extend", "park": "resume", "resume": "park",
           "classify": "classify", "forward": "forward"}
CORRECT_LINK = {
    "assign": N_("Wrong agency or date? Reassign"),
    "extend": N_("Change the due date again"),
    "resume": N_("Undo: set it aside again"),
    "park": N_("Undo: resume it"),
    "classify": N_("Change the classification"),
    "forward": N_("Forward it elsewhere"),
}


def message(action: str, item: dict[str, Any], offered: list[str], survivor: str = "") -> Markup:
    """The flash after ``action`` on ``item`` (its state after): done, next, how to correct."""
    facts = {
        "code": item.get("code", ""),
        "agency": ref_name("agencies", item.get("agency")) or "—",
        "due": format_date(item.get("due_date")) or "—",
        "status": label("status", item.get("status", "")),
        "survivor": survivor or item.get("merged_into") or "—",
        "unit": ref_name("units", item.get("district")) or "—",
    }
    done = gettext(DONE.get(action, N_("Saved."))).format(**facts)
    parts = [escape(done)]
    if action in NEXT:
        parts.append(Markup('<span class="next">{}</span>').format(gettext(NEXT[action])))
    fix = CORRECT.get(action)
    if fix and fix in offered:
        href = url_for("items.show", ref=item["code"], open=fix, _anchor=f"action-{fix}")
        parts.append(Markup('<span class="next"><a href="{}">{}</a></span>')
                     .format(href, gettext(CORRECT_LINK[action])))
    return Markup(" ").join(parts)

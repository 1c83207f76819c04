"""The item's history in plain words: one entry per stored event."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext

from domain.errors import N_
from web.i18n import format_date, translate
from web.labels import escalation_label, label, notify_label, ref_name

# Event type -> sentence; {actor} is the user's name.
SENTENCES = {
    "PetitionLogged": N_("{actor} logged the petition"),
    "ComplaintReceived": N_("{actor} recorded the received đơn"),
    "PetitionClassified": N_("{actor} classified the petition"),
    "PetitionMergedInto": N_("{actor} merged this petition into {survivor}"),
    "PetitionsMerged": N_("{actor} merged the duplicate {merged} into this petition"),
    "AgencyAssigned": N_("{actor} assigned the petition to {agency}"),
    "ReturnedNotCompetent": N_("{actor} sent the item back: not the competence of {agency}"),
    "ProgressNoted": N_("{actor} noted progress"),
    "AnswerRecorded": N_("{actor} recorded the agency's answer"),
    "AnswerAccepted": N_("{actor} accepted the answer"),
    "AnswerReturned": N_("{actor} returned the answer to the agency"),
    "DeadlineExtended": N_("{actor} extended the deadline"),
    "DeadlineRecomputed": N_("The deadline was computed again after a change by {actor}"),
    "Escalated": N_("Escalation: {level}"),
    "Parked": N_("{actor} parked the item"),
    "Resumed": N_("{actor} resumed the item"),
    "Withdrawn": N_("{actor} recorded that the item was withdrawn"),
    "Closed": N_("{actor} closed the item"),
    "ComplaintAccepted": N_("{actor} accepted the đơn for resolution by {agency}"),
    "ComplaintForwarded": N_("{actor} forwarded the đơn to {to_body}"),
    "ComplaintReturned": N_("{actor} returned the đơn with guidance"),
    "ComplaintFiled": N_("{actor} filed the đơn"),
    "DecisionIssued": N_("{actor} recorded the decision"),
    "SecondRoundReceived": N_("A second-round complaint {second} was received"),
    "FilingWindowChecked": N_("The time to file was checked"),
    "ResultNoticeRecorded": N_("{actor} recorded the competent body's result notice"),
    "NotificationSent": N_("Email sent: {level}"),
    "UnitHandedOver": N_("{actor} handed the item over to {to_unit}"),
}
# The item page can group its history by phase (``?history=phases``): how it came in, who
# handles it and by when, what was answered or decided, and the reminders it drew.
PHASES = (("intake", N_("Receipt and classification")),
          ("handling", N_("Assignment and deadlines")),
          ("answer", N_("Answers and decisions")),
          ("escalation", N_("Reminders and escalations")))
PHASE_OF = {
    **dict.fromkeys(("PetitionLogged", "ComplaintReceived", "PetitionClassified",
                     "PetitionMergedInto", "PetitionsMerged", "FilingWindowChecked",
                     "SecondRoundReceived", "UnitHandedOver"), "intake"),
    **dict.fromkeys(("ProgressNoted", "AnswerRecorded", "AnswerAccepted", "AnswerReturned",
                     "DecisionIssued", "ResultNoticeRecorded", "ComplaintReturned",
                     "ComplaintFiled", "Withdrawn", "Closed"), "answer"),
    **dict.fromkeys(("Escalated", "NotificationSent"), "escalation"),
}
SUSPENDED = N_("{actor} recorded the decision suspending the resolution")
REASON_KEYS = ("reason", "note", "comment", "text")


def describe(event: dict[str, Any], names: dict[str, str] | None = None) -> dict[str, Any]:
    """Turn one event (from ``tracker.history``) into a timeline entry.

    ``names`` maps user names to the names people know them by.
    """
    facts = event["facts"]
    kind = event["type"]
    username = event.get("actor") or ""
    words = {
        "actor": (names or {}).get(username) or username or gettext("the system"),
        "survivor": facts.get("survivor_code", ""), "merged": facts.get("merged_code", ""),
        "agency": ref_name("agencies", facts.get("agency")),
        "to_body": facts.get("to_body", ""), "second": facts.get("second_code", ""),
        "level": escalation_label(facts.get("level")),
        "to_unit": ref_name("units", facts.get("to_unit")),
    }
    sentence = SENTENCES.get(kind)
    if kind == "Parked" and facts.get("decision_no"):
        sentence = SUSPENDED
    title = gettext(sentence).format(**words) if sentence else kind
    changes: list[tuple[str, str, str]] = []
    details: list[tuple[str, str]] = []
    if kind == "PetitionClassified":
        _change_or_detail(changes, details, gettext("Field"),
                          ref_name("fields", facts.get("previous_field")),
                          ref_name("fields", facts.get("field")))
        details.append((gettext("Competence"),
                        ref_name("competence_levels", facts.get("competence"))))
    if kind == "AgencyAssigned" and facts.get("previous_agency"):
        _change_or_detail(changes, details, gettext("Agency"),
                          ref_name("agencies", facts["previous_agency"]),
                          ref_name("agencies", facts.get("agency")))
    if kind == "UnitHandedOver":
        changes.append((gettext("Unit"), ref_name("units", facts.get("from_unit")),
                        ref_name("units", facts.get("to_unit"))))
    if kind == "AgencyAssigned":
        if facts.get("cooperating"):
            details.append((gettext("Co-operating agencies"), "; ".join(
                ref_name("agencies", code) for code in facts["cooperating"])))
        if facts.get("leader_name"):
            details.append((gettext("Responsible leader"), ", ".join(
                part for part in (facts["leader_name"], facts.get("leader_position")) if part)))
        details.append((gettext("Due date"), format_date(facts.get("due_date"))))
    if kind in ("DeadlineExtended", "DeadlineRecomputed"):
        changes.append((gettext("Due date"), format_date(facts.get("previous_due_date")),
                        format_date(facts.get("new_due_date"))))
    if kind == "DeadlineExtended" and (facts.get("decision_no") or facts.get("decision_date")):
        details.append((gettext("Extension decision"), extension_decision_text(facts)))
    if kind == "ComplaintForwarded" and facts.get("forward_due"):
        details.append((gettext("Forward by"), format_date(facts["forward_due"])
                        + (" — " + gettext("forwarded late") if facts.get("late") else "")))
    if kind == "ComplaintForwarded" and facts.get("due_date"):
        details.append((gettext("Result notice expected by"), format_date(facts["due_date"])))
    if kind == "ResultNoticeRecorded":
        details.append((gettext("Result notice"), f"{facts.get('notice_no', '')}, "
                        f"{format_date(facts.get('notice_date'))}"))
    if kind == "FilingWindowChecked":
        window = facts.get("window") or {}
        details.append((gettext("Time to file until"),
                        f"{format_date(window.get('due'))} ({window.get('basis', '')})"))
        if facts.get("learned_on"):
            details.append((gettext("Learned of the decision on"), format_date(facts["learned_on"])))
        if facts.get("late"):
            details.append((gettext("Filed late, lawful excuse"), facts.get("lawful_excuse", "")))
    if kind == "ReturnedNotCompetent":
        details.append((gettext("To reassign by"), format_date(facts.get("due_date"))))
    if kind == "Parked":
        _describe_pause(facts, details)
    if kind == "Resumed" and facts.get("days_suspended"):
        changes.append((gettext("Due date"), format_date(facts.get("previous_due_date")),
                        format_date(facts.get("new_due_date"))))
        details.append((gettext("Days suspended"), f"{facts['days_suspended']} "
                        f"{label('unit', facts.get('unit'))}"))
    if kind in ("AnswerRecorded", "AnswerAccepted"):
        details.append((gettext("Outcome"), label("outcome", facts.get("outcome"))))
        if facts.get("new_due_date"):
            details.append((gettext("New target date"), format_date(facts["new_due_date"])))
    if kind == "AnswerAccepted" and facts.get("voters_satisfied") is not None:
        details.append((gettext("Voters satisfied"),
                        gettext("yes") if facts["voters_satisfied"] else gettext("no")))
    if kind == "ComplaintAccepted":
        details.append((gettext("Complexity"), label("complexity", facts.get("complexity"))))
        details.append((gettext("Due date"), format_date(facts.get("due_date"))))
    if kind == "DecisionIssued":
        details.append((gettext("Result"), label("outcome", facts.get("result"))))
        details.append((gettext("Decision no."), facts.get("decision_no") or "—"))
        details.append((gettext("Decided on"), format_date(facts.get("decided_on"))))
    if kind == "Escalated":
        details.append((gettext("Notified"), notify_label(facts.get("notify"))))
        details.append((gettext("Due date"), format_date(facts.get("due_date"))))
    if kind == "NotificationSent":
        details.append((gettext("Due date"), format_date(facts.get("due_date"))))
        details.append((gettext("Recipients"), ", ".join(facts.get("recipients") or ()) or "—"))
    if kind in ("PetitionLogged", "ComplaintReceived"):
        details.append((gettext("Received on"), format_date(facts.get("received_on"))))
        if facts.get("due_date"):
            details.append((gettext("Due date"), format_date(facts["due_date"])))
    reason = next((facts[k] for k in REASON_KEYS if facts.get(k)
                   and kind not in ("PetitionLogged", "ComplaintReceived")), "")
    return {
        "type": kind, "title": title, "at": event["at"], "actor": event.get("actor", ""),
        "role": label("role", event.get("role")), "version": event.get("version"),
        "changes": changes, "details": details, "reason": reason,
        "escalation": kind == "Escalated", "phase": PHASE_OF.get(kind, "handling"),
    }


def _describe_pause(facts: dict[str, Any], details: list[tuple[str, str]]) -> None:
    """Say what a pause was: its decision, if any, and whether it stopped the clock."""
    if facts.get("decision_no"):
        details.append((gettext("Grounds"), label("grounds", facts.get("grounds"))))
        details.append((gettext("Suspension decision no."), facts["decision_no"]))
        details.append((gettext("Decision date"), format_date(facts.get("decision_date"))))
    if facts.get("stops_clock"):
        details.append((gettext("Clock"), gettext("stopped ({basis})").format(
            basis=translate(facts.get("basis") or ""))))
    elif "stops_clock" in facts:
        details.append((gettext("Clock"), gettext("keeps running")))


def _change_or_detail(changes: list[tuple[str, str, str]], details: list[tuple[str, str]],
                      name: str, old: str, new: str) -> None:
    """Show "old → new" only when the value really changed; otherwise just the value."""
    if old and old != new:
        changes.append((name, old, new))
    else:
        details.append((name, new))


def timeline(history: list[dict[str, Any]],
             names: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Describe every event, oldest first."""
    return [describe(e, names) for e in history]


def extension_decision_text(decision: dict[str, Any]) -> str:
    """Say which decision extended a deadline ("Extended by decision no. … of …")."""
    return gettext("Extended by decision no. {no} of {date}").format(
        no=decision.get("decision_no") or "—", date=format_date(decision.get("decision_date")))

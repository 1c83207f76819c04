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
    "CommitmentRecorded": N_("{actor} recorded the commitment"),
    "ProgressReported": N_("{actor} reported progress"),
    "ReportAccepted": N_("{actor} accepted the progress report"),
    "ReportReturned": N_("{actor} asked for the progress report again"),
    "CommitmentAssessed": N_("{actor} assessed the commitment"),
    "CommitmentDropped": N_("{actor} dropped the commitment"),
    "CommitmentRequestioned": N_("{actor} recorded that the commitment was questioned again: {new_code}"),
    "FileAttached": N_("{actor} attached a file"),
    "DocumentLinked": N_("{actor} linked document no. {reference}"),
    "AnswerPublished": N_("{actor} published the answer on the public lookup page"),
    "NoticesSent": N_("Notice emailed: {kind}"),
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
        "kind": _notice_kind(facts.get("kind")),
        "to_unit": ref_name("units", facts.get("to_unit")),
        "new_code": facts.get("new_code", ""),
        "reference": (facts.get("document") or {}).get("reference", ""),
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
    if kind == "NoticesSent":
        details.append((gettext("Recipients"), ", ".join(facts.get("recipients") or ()) or "—"))
    if kind == "NotificationSent":
        details.append((gettext("Due date"), format_date(facts.get("due_date"))))
        details.append((gettext("Recipients"), ", ".join(facts.get("recipients") or ()) or "—"))
    if kind in ("FileAttached", "DocumentLinked"):
        _describe_document(kind, facts, details)
    if kind in ("PetitionLogged", "ComplaintReceived"):
        details.append((gettext("Received on"), format_date(facts.get("received_on"))))
        if facts.get("due_date"):
            details.append((gettext("Due date"), format_date(facts["due_date"])))
    commitment_details(kind, facts, details)
    reason = next((facts[k] for k in REASON_KEYS if facts.get(k)
                   and kind not in ("PetitionLogged", "ComplaintReceived")), "")
    return {
        "type": kind, "title": title, "at": event["at"], "actor": event.get("actor", ""),
        "role": label("role", event.get("role")), "version": event.get("version"),
        "changes": changes, "details": details, "reason": reason,
        "escalation": kind == "Escalated", "phase": PHASE_OF.get(kind, "handling"),
    }


def commitment_details(kind: str, facts: dict[str, Any],
                       details: list[tuple[str, str]]) -> None:
    """Add what a commitment's events say: target, measure, the value reported, the result."""
    from domain.commitment import UNITS

    if kind == "CommitmentRecorded":
        details.append((gettext("Target date"), format_date(facts.get("due_date"))))
        measure = facts.get("measure")
        if measure:
            details.append((gettext("Target"), f"{measure['target']:g} "
                            f"{gettext(UNITS.get(measure['unit'], ''))}"))
        if facts.get("subitems"):
            details.append((gettext("Sub-items"), str(len(facts["subitems"]))))
    if kind == "ProgressReported":
        details.append((gettext("Council session"), ref_name("council_sessions",
                                                           facts.get("council_session"))))
        details.append((gettext("As of"), format_date(facts.get("as_of"))))
        if facts.get("value") is not None:
            details.append((gettext("Value reached"), f"{facts['value']:g} "
                            f"{gettext(UNITS.get(facts.get('unit') or '', ''))}"))
        if facts.get("moves"):
            details.append((gettext("Sub-items moved"), str(len(facts["moves"]))))
    if kind == "CommitmentAssessed":
        details.append((gettext("Assessment"), label("status", facts.get("outcome"))))
        details.append((gettext("Assessed on"), format_date(facts.get("assessed_on"))))
        if facts.get("outcome") == "met":
            details.append((gettext("Target date"), gettext("met on time") if facts.get(
                "on_time") else gettext("met late")))


def _describe_document(kind: str, facts: dict[str, Any], details: list[tuple[str, str]]) -> None:
    """Say which document was linked (type, date, issuer, why) or which file was attached.

    A personal file's name is not shown: it may name the sender.
    """
    if kind == "DocumentLinked":
        document = facts.get("document") or {}
        details.append((gettext("Document"), label("doc_type", document.get("doc_type"))))
        details.append((gettext("Date"), format_date(document.get("issued_on"))))
        details.append((gettext("Issued by"), document.get("issuer", "")))
        details.append((gettext("Purpose"), label("purpose", facts.get("purpose"))))
    elif not facts.get("personal"):
        details.append((gettext("File"), (facts.get("file") or {}).get("filename", "")))


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


def _notice_kind(kind: Any) -> str:
    """Name a kind of notice (issue 18) in the user's language."""
    from petitions.notifications.notices import KINDS

    return gettext(KINDS[kind]) if kind in KINDS else str(kind or "")

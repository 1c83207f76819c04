"""How a due date was computed, as plain data every screen and the counter command show.

The explanation names the rule and the policy version it was judged by, the unit counted,
and each day skipped with its reason (a holiday and its document, or the weekend).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from domain.calendar import WorkingCalendar
from domain.deadline import Complexity, Deadline, DeadlinePolicy
from domain.errors import InvalidInput, N_

# What a clerk asks for at the counter -> the limit it starts.
KIND_RULES = {
    "don": "classify",                          # office processing of a received đơn
    "complaint": "complaint_resolve_1",         # resolving, from the acceptance decision
    "complaint-accept": "complaint_accept",     # acceptance by the competent body
    "second-round": "second_round_window",      # time to file a second-round complaint
    "filing": "complaint_filing_window",        # time to file a complaint (art. 9)
    "denunciation": "denunciation_initial",     # initial processing of a denunciation
    "denunciation-forward": "denunciation_forward",
    "denunciation-resolve": "denunciation_resolve",
    "forwarded": "forward_result_notice",       # following a forwarded đơn
    "petition": "petition_answer",
    "na-petition": "na_petition_answer",        # petitions the National Assembly forwards
}


def rule_for(policy: DeadlinePolicy, kind: str, *, complex_case: bool = False,
             remote: bool = False, rule: str | None = None) -> str:
    """Pick the limit for ``kind`` (or the explicit ``rule``), with complexity and remoteness."""
    key = rule or KIND_RULES.get(kind)
    if key is None:
        raise InvalidInput({"kind": [N_("Unknown value.")]})
    if key.startswith("complaint_resolve_"):
        round_no = 2 if key.startswith("complaint_resolve_2") else 1
        level = Complexity.COMPLEX if complex_case else Complexity.NORMAL
        key = policy.complaint_resolution_key(round_no, level, remote)
    elif key == "second_round_window" and remote:
        key = "second_round_window_remote"
    if key not in policy.limits:
        raise InvalidInput({"rule": [N_("Unknown value.")]})
    return key


def explain(deadline: Deadline | dict[str, Any], policy: DeadlinePolicy,
            calendar: WorkingCalendar) -> dict[str, Any]:
    """Return the facts of a deadline for display: rule, version, unit, skipped days, reasons."""
    if isinstance(deadline, dict):
        deadline = Deadline.from_dict(deadline)
    version = policy.version_on(deadline.start) if deadline.rule else None
    if version is not None and deadline.version:
        version = next((v for v in policy.versions if v.code == deadline.version), version)
    reasons = list(deadline.reasons) or [calendar.reason_off(d) for d in deadline.skipped]
    return {
        "due": deadline.due, "start": deadline.start, "amount": deadline.amount,
        "unit": deadline.unit, "rule": deadline.rule, "basis": deadline.basis,
        "practice": deadline.practice, "rolled_over": deadline.rolled_over,
        "session": deadline.session, "session_opens_on": deadline.session_opens_on,
        "version": None if version is None else {
            "code": version.code, "name": version.name,
            "effective_from": version.effective_from, "basis": version.basis},
        "skipped": [{"day": day, "reason": reason}
                    for day, reason in zip(deadline.skipped, reasons)],
    }


def describe_for_counter(facts: dict[str, Any]) -> str:
    """Return the explanation as lines of text for the ``petitions deadline`` command."""
    def d(day: date) -> str:
        return f"{day:%d/%m/%Y} ({day:%a})"

    unit = "working days" if facts["unit"] == "working_days" else "calendar days"
    lines = [f"Due date: {facts['due']:%d/%m/%Y} ({facts['due']:%A})",
             f"Rule: {facts['rule']} — {facts['basis']}"
             + (" [council practice, not statute]" if facts["practice"] else "")]
    if facts["version"]:
        v = facts["version"]
        lines.append(f"Policy version: {v['code']} — {v['name']} "
                     f"(in force from {v['effective_from']:%d/%m/%Y})")
    if facts.get("session"):
        lines.append(f"Answer before regular session {facts['session']}, opening on "
                     f"{d(facts['session_opens_on'])}: due the last working day before it")
    else:
        lines.append(f"Counted: {facts['amount']} {unit} from {d(facts['start'])}; "
                     "the start day is not counted")
    if facts["rolled_over"]:
        lines.append("The last day fell on a day off: the due date moves to the next "
                     "working day (Bộ luật Dân sự 2015, Điều 148)")
    if facts["skipped"]:
        lines.append(f"Days skipped ({len(facts['skipped'])}):")
        lines.extend(f"  {d(s['day'])}  {'weekend' if s['reason'] == 'weekend' else s['reason']}"
                     for s in facts["skipped"])
    else:
        lines.append("Days skipped: none")
    return "\n".join(lines)

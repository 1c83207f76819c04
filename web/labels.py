"""Words shown for stored codes (status, outcome, kind, …) and reference-data names."""
from __future__ import annotations

from datetime import date
from typing import Any

from functools import lru_cache

from flask import current_app, g
from markupsafe import Markup, escape
from flask_babel import get_locale, gettext

from domain.deadline import DeadlinePolicy
from domain.errors import N_
from domain.reference import entries_on
from domain.item_types import REGISTRY, StatusGroup
from petitions.digest.labels import COMMUNE_KINDS, DISTRICT_KINDS
from domain.suspension import GROUNDS, law_for

LABELS: dict[str, dict[str, str]] = {
    "outcome": {
        "resolved": N_("resolved"), "being_resolved": N_("being resolved, with a roadmap"),
        "explained": N_("explained / information given"), "not_resolved": N_("not resolved"),
        "correct": N_("correct"), "partly_correct": N_("partly correct"),
        "incorrect": N_("incorrect"),
    },
    "channel": {
        "direct": N_("in person"), "post": N_("by post"), "email": N_("by e-mail"),
        "hotline": N_("hotline"), "forwarded": N_("forwarded by another body"),
        "portal": N_("online portal"),
    },
    "role": {
        "district_staff": N_("district staff"), "secretariat": N_("secretariat"),
        "agency_staff": N_("agency staff"), "deputy": N_("council deputy"),
        "admin": N_("administrator"), "system": N_("system"),
    },
    "complexity": {
        "normal": N_("normal"), "complex": N_("complex"),
        "especially_complex": N_("especially complex"),
    },
    "grounds": dict(GROUNDS),
    "unit": {"calendar_days": N_("calendar days"), "working_days": N_("working days")},
    "day_kind": {"day_off": N_("day off"), "working_day": N_("working day")},
    # The limits of the deadline policy (``domain.deadline.DEFAULT_LIMITS``), by key.
    "limit": {
        "classify": N_("office processing of a received đơn"),
        "complaint_accept": N_("complaint: acceptance by the competent body"),
        "complaint_resolve_1": N_("complaint, first round: resolution"),
        "complaint_resolve_1_complex": N_("complaint, first round: resolution (complex)"),
        "complaint_resolve_1_remote": N_("complaint, first round: resolution (remote area)"),
        "complaint_resolve_1_remote_complex": N_(
            "complaint, first round: resolution (remote area, complex)"),
        "complaint_resolve_2": N_("complaint, second round: resolution"),
        "complaint_resolve_2_complex": N_("complaint, second round: resolution (complex)"),
        "complaint_resolve_2_remote": N_("complaint, second round: resolution (remote area)"),
        "complaint_resolve_2_remote_complex": N_(
            "complaint, second round: resolution (remote area, complex)"),
        "complaint_filing_window": N_("complaint: time to file"),
        "second_round_window": N_("complaint: time to file a second round"),
        "second_round_window_remote": N_("complaint: time to file a second round (remote area)"),
        "denunciation_initial": N_("denunciation: initial processing"),
        "denunciation_initial_several_places": N_(
            "denunciation: initial processing (checks at several places)"),
        "denunciation_forward": N_("denunciation: forwarding to the competent body"),
        "denunciation_resolve": N_("denunciation: resolution"),
        "denunciation_extension": N_("denunciation: each extension"),
        "forward_result_notice": N_("forwarded đơn: result notice of the competent body"),
        "petition_answer": N_("voter petition: answer"),
        "petition_answer_session": N_("voter petition: answer before the next regular session"),
        "na_petition_answer": N_("voter petition forwarded by the National Assembly: answer"),
    },
    "action": {
        "log": N_("log"), "classify": N_("classify"), "merge": N_("merge"),
        "assign": N_("assign"), "review": N_("review"), "extend": N_("extend"),
        "park": N_("park"), "close": N_("close"), "withdraw": N_("withdraw"),
        "progress": N_("note progress on"), "answer": N_("answer"), "decide": N_("decide"),
        "escalate": N_("escalate"), "reference": N_("change reference data"),
        "accept": N_("accept"), "forward": N_("forward"), "return": N_("return"),
        "file": N_("file"), "resume": N_("resume"), "view": N_("view"),
        "note progress on": N_("note progress on"),
        "extend the deadline of": N_("extend the deadline of"),
        "accept the answer of": N_("accept the answer of"),
        "record the result notice of": N_("record the result notice of"),
        "return the answer of": N_("return the answer of"),
    },
}
# The account history's kinds of record (petitions/users/history.py).
LABELS["account_event"] = {
    "AccountCreated": N_("account created"), "AccountDeactivated": N_("account deactivated"),
    "AccountReactivated": N_("account reactivated"), "RoleChanged": N_("role or scope changed"),
    "PasswordResetIssued": N_("password reset link issued"),
    "PasswordChanged": N_("password changed"),
    "TwoFactorEnrolled": N_("two-factor sign-in set up"),
    "TwoFactorReset": N_("two-factor sign-in reset"),
    "RecoveryCodeUsed": N_("signed in with a recovery code"), "SignedIn": N_("signed in"),
    "SignInFailed": N_("wrong password"), "SecondFactorFailed": N_("wrong two-factor code"),
    "SignedOut": N_("signed out"),
}
# The document register (issue 17): types as Decree 30/2020 names them, directions, purposes.
LABELS["doc_type"] = {
    "cong_van": N_("official letter"), "quyet_dinh": N_("decision"), "bao_cao": N_("report"),
    "thong_bao": N_("notice"), "bien_ban": N_("minutes"), "ke_hoach": N_("plan"),
    "to_trinh": N_("submission"), "phieu_chuyen": N_("transfer slip"),
    "don": N_("đơn (letter from a citizen)"), "khac": N_("other document"),
}
LABELS["direction"] = {"incoming": N_("incoming"), "outgoing": N_("outgoing")}
LABELS["purpose"] = {
    "answer": N_("agency's answer"), "decision": N_("decision"),
    "acceptance": N_("acceptance decision"), "extension": N_("extension decision"),
    "transfer": N_("transfer slip"), "urging": N_("urging letter"),
    "result_notice": N_("result notice"), "scan": N_("scanned đơn"), "other": N_("other"),
}
LABELS["status_group"] = {
    StatusGroup.OPEN.value: N_("open, not answered yet"),
    StatusGroup.AWAITING_REVIEW.value: N_("answered, awaiting review"),
    StatusGroup.ANSWERED_IN_PROGRESS.value: N_("answered, still being resolved"),
    StatusGroup.CONCLUDED.value: N_("closed"),
}


# Statuses and kinds are the item types' own words (``domain.item_types``), read from the
# registry (again whenever a type registers) rather than copied here.
_FROM_REGISTRY: dict[str, Any] = {"generation": -1}


def _registry_words(kind: str) -> dict[str, str]:
    if _FROM_REGISTRY["generation"] != REGISTRY.generation:
        _FROM_REGISTRY.update(
            generation=REGISTRY.generation,
            status={spec.value: spec.label for spec in REGISTRY.statuses()},
            kind=REGISTRY.kinds())
        _CHOICES.clear()
    return _FROM_REGISTRY[kind]


def words(kind: str) -> dict[str, str]:
    """Return the code → msgid table of ``kind`` (status, kind, outcome, channel, …)."""
    if kind in ("status", "kind"):
        return _registry_words(kind)
    return LABELS.get(kind, {})


def status_groups() -> dict[str, tuple[str, ...]]:
    """Return the statuses of each of the four stages the status chart shows."""
    return {group.value: tuple(REGISTRY.statuses_in(group)) for group in StatusGroup}


def label(kind: str, code: Any, default: Any = None) -> str:
    """Return the translated word for a stored code (the code itself when unknown)."""
    if code is None or code == "":
        return ""
    text = words(kind).get(str(code))
    if text is None:
        return str(code) if default is None else default
    return gettext(text)


def status_group_counts(counts: dict[str, Any]) -> dict[str, int]:
    """Sum a board's ``status:…`` counters into the four status groups, labelled."""
    return {label("status_group", group): sum(counts.get(f"status:{s}", 0) for s in statuses)
            for group, statuses in status_groups().items()}


# Translated select options per (kind, language): the catalogs do not change while the app
# runs, and a list page would otherwise translate every option of every filter each time.
_CHOICES: dict[tuple[str, str], list[tuple[str, str]]] = {}


def _language() -> str:
    """Return the request's language, looked up once per request."""
    if "labels_language" not in g:
        g.labels_language = str(get_locale() or "vi")
    return g.labels_language


def choices(kind: str) -> list[tuple[str, str]]:
    """Return (code, translated label) pairs for a select box."""
    table = words(kind)  # first: a newly registered type clears the cache
    key = (kind, _language())
    if key not in _CHOICES:
        _CHOICES[key] = [(code, gettext(text)) for code, text in table.items()]
    return _CHOICES[key]


def suspension_grounds(kind: str) -> list[tuple[str, str]]:
    """Return the grounds a suspension decision of an item of ``kind`` may cite (none: no law)."""
    law = law_for(kind)
    if law is None:
        return []
    return [(code, text) for code, text in choices("grounds") if code in law.grounds]


def reference() -> dict[str, dict[str, dict[str, Any]]]:
    """Return the reference data (read once per request), or empty sections if not loaded."""
    if "labels_reference" not in g:
        tracker = current_app.extensions["petitions"].tracker
        try:
            g.labels_reference = tracker.reference()
        except Exception:  # not loaded yet: pages still render, with codes instead of names
            g.labels_reference = {}
    return g.labels_reference


def ref_name(section: str, code: Any) -> str:
    """Return the display name of a reference entry in the current language."""
    if not code:
        return ""
    entry = reference().get(section, {}).get(str(code))
    if not entry:
        return str(code)
    lang = _language()
    return entry.get(f"name_{lang}") or entry.get("name") or entry.get("name_vi") or str(code)


def ref_choices(section: str, on: Any = None) -> list[tuple[str, str]]:
    """Return (code, name) pairs of a reference section, for select boxes.

    With ``on`` (a date, or a form's ISO date text; today when empty or not a date) only the
    entries valid on that day are offered; without it, every era's (list filters, reports).
    """
    held = reference()
    if on is None:  # every era's: the same list until the reference data is read again
        if _REF_CHOICES.get("of") is not held:
            _REF_CHOICES.clear()
            _REF_CHOICES["of"] = held
        key = (section, _language())
        if key not in _REF_CHOICES:
            _REF_CHOICES[key] = [(code, ref_name(section, code)) for code in held.get(section, {})]
        return _REF_CHOICES[key]
    entries = entries_on(held.get(section, {}), form_day(on))
    return [(code, ref_name(section, code)) for code in entries]


# The list page's filter form offers some 300 options; rendering them in the template, with
# a look-up of the chosen value per option, was a third of the page's time. Each list of
# options is rendered once (per language and reference data, as the lists themselves are).
_REF_CHOICES: dict[Any, Any] = {}


def option_tags(options: list[tuple[str, str]], chosen: Any = None) -> Markup:
    """Return the ``<option>`` tags of ``options``, the ``chosen`` code's marked selected."""
    html = _option_html(tuple(options))
    if chosen:
        mark = f'<option value="{escape(chosen)}">'
        html = html.replace(mark, mark[:-1] + " selected>", 1)
    return Markup(html)


@lru_cache(maxsize=256)
def _option_html(options: tuple[tuple[str, str], ...]) -> str:
    return "".join(f'<option value="{escape(code)}">{escape(text)}</option>'
                   for code, text in options)


def dated_choices(section: str) -> list[list[str]]:
    """Return [code, name, valid from, valid to] of every entry, for the form's script."""
    return [[code, ref_name(section, code), str(e.get("valid_from") or ""),
             str(e.get("valid_to") or "")] for code, e in reference().get(section, {}).items()]


def form_day(value: Any) -> date:
    """Return the day a form is about: its date field's value, else today."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return current_app.extensions["petitions"].tracker.today()


# -- the word for a unit, by its kind and era --------------------------------------------------
# On 1 July 2025 Hanoi's 30 districts gave way to 126 communes and wards (NQ 1656/NQ-UBTVQH15),
# so a field that names "the unit" says "Xã, phường" for what is valid from that day and
# "Quận, huyện, thị xã" before it; a list mixing both eras says "Địa bàn". The digests, printed
# in Vietnamese only, use the same kinds and words (``petitions.digest.labels``).
REFORM_DAY = date(2025, 7, 1)


def _as_day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:  # a half-typed form date: the label falls back to today's era
        return None


def unit_label(kind: str | None = None, on: Any = None) -> str:
    """Return the label of a unit field for a unit ``kind`` (quan|huyen|thi_xa|phuong|xa) or,
    without one, for the era of the date ``on``; neutral ("Địa bàn") when neither is known."""
    day = _as_day(on)
    if kind in COMMUNE_KINDS or (kind not in DISTRICT_KINDS and day and day >= REFORM_DAY):
        return gettext("Commune / ward")
    if kind in DISTRICT_KINDS or day:
        return gettext("District / town")
    return gettext("District")


def unit_label_on(day: Any = None) -> str:
    """Return the label of a form's unit field for the form's date, today's era until it has one."""
    return unit_label(on=_as_day(day) or current_app.extensions["petitions"].tracker.today())


def unit_label_of(code: Any, on: Any = None) -> str:
    """Return the label for the unit ``code`` names, by its kind in the reference data."""
    entry = reference().get("units", {}).get(str(code)) or {}
    return unit_label(entry.get("kind"), on)


# -- the escalation ladder: its words are the policy's own, like reference data's names ------
def _policy() -> DeadlinePolicy:
    return current_app.extensions["petitions"].tracker.policy


def escalation_label(level: Any) -> str:
    """Return what an escalation level means, in the policy's words for the language."""
    try:
        step = _policy().step(level)
    except KeyError:
        return str(level)
    return step.label.in_language(_language())


def notify_label(notify: Any) -> str:
    """Return who an escalation chased (``notify`` of the event), in the policy's words."""
    if not notify:
        return ""
    step = _policy().step_notifying(str(notify))
    return step.notified.in_language(_language()) if step else str(notify)

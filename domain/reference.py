"""Reference data as dated history: which entries are valid on a day, and the rules an entry obeys.

Entries are plain mappings (as shipped in ``petitions/reference/hanoi.json``) whose
``valid_from``/``valid_to`` are ISO dates or None (open). Codes are keys for ever: Hanoi's
new wards reuse old district names, so nothing here looks at names to match entries.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from domain.deadline import RegularSession
from domain.errors import Message, N_

Entry = Mapping[str, Any]
Section = Mapping[str, Entry]
Entries = Mapping[str, Section]

UNIT_KINDS = ("quan", "huyen", "thi_xa", "phuong", "xa")
DISTRICT_KINDS = ("quan", "huyen", "thi_xa")
KIND_WORD = {"quan": "Quận", "huyen": "Huyện", "thi_xa": "Thị xã", "phuong": "Phường", "xa": "Xã"}
SHARES = ("whole", "part", "main_only")
LINEAGE = "lineage"
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._>-]{0,63}")
NAME_KEYS = ("name", "name_vi")
# Fields that refer to other sections: (field, section, many).
REFERENCES: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "agencies": (("unit", "units", False), ("competence", "competence_levels", False),
                 ("successors", "agencies", True)),
    "deputy_groups": (("units", "units", True), ("term", "council_terms", False)),
    "council_sessions": (("term", "council_terms", False),),
    LINEAGE: (("old_code", "units", False), ("new_code", "units", False)),
}
SHOW_AFTER = 6  # a refusal names this many successors, then "…"


# -- validity ---------------------------------------------------------------------------------
def day_text(day: date | str) -> str:
    """Return a day as ISO text (entries keep their dates as text)."""
    return day if isinstance(day, str) else day.isoformat()


def valid_on(entry: Entry, day: date | str) -> bool:
    """Say whether ``entry`` is valid on ``day`` (open ends are always valid)."""
    text = day_text(day)
    start, end = entry.get("valid_from"), entry.get("valid_to")
    return (not start or start <= text) and (not end or text <= end)


def entries_on(section: Section, day: date | str) -> dict[str, Entry]:
    """Return the entries of one section valid on ``day``, in their recorded order."""
    return {code: entry for code, entry in section.items() if valid_on(entry, day)}


def dmy(iso: str) -> str:
    """Show an ISO date as dd/mm/yyyy, the way a council office writes it."""
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def display_name(entry: Entry | None, code: str = "") -> str:
    """Return an entry's name, a unit's with its kind ("Quận Ba Đình", "Phường Ba Đình")."""
    if not entry:
        return code
    name = str(entry.get("name") or entry.get("name_vi") or code)
    word = KIND_WORD.get(str(entry.get("kind", "")))
    if word and not name.startswith(word):
        return f"{word} {name}"
    return name


def next_session(entries: Entries, day: date | str) -> str:
    """Return the session a petition raised on ``day`` usually goes to: the next one to open.

    Voter meetings are held before a session; after the term's last listed session has
    opened, that session is the answer ("" when the term has none).
    """
    text = day_text(day)
    valid = sorted(entries_on(entries.get("council_sessions", {}), text).values(),
                   key=lambda s: str(s.get("opens_on") or ""))
    coming = [s for s in valid if str(s.get("closes_on") or s.get("opens_on") or "") >= text]
    chosen = coming[0] if coming else (valid[-1] if valid else None)
    return str(chosen["code"]) if chosen else ""


def regular_sessions(entries: Entries) -> list[RegularSession]:
    """Return the regular council sessions (``regular: true``) with their opening days.

    Sessions of every term count: an answer is due before the next one, whichever term.
    """
    return sorted((RegularSession(str(s.get("code") or code), date.fromisoformat(day_text(
        s["opens_on"]))) for code, s in entries.get("council_sessions", {}).items()
        if s.get("regular") and s.get("opens_on")), key=lambda s: s.opens_on)


def group_of_unit(entries: Entries, unit: str, day: date | str) -> str:
    """Return the deputy group elected in ``unit`` that is valid on ``day`` ("" if none)."""
    groups = entries_on(entries.get("deputy_groups", {}), day)
    return next((code for code, g in groups.items() if unit in (g.get("units") or ())), "")


# -- lineage ------------------------------------------------------------------------------
def lineage_code(old_code: str, new_code: str) -> str:
    """Return the catalog code of one lineage edge (old unit → new unit)."""
    return f"{old_code}>{new_code}"


def successors(entries: Entries, section: str, code: str) -> list[str]:
    """Return the codes that took over ``code`` (units by lineage, agencies as recorded).

    A district People's Committee is followed by the committees of its successor units.
    """
    if section == "units":
        # The wards this district was the main predecessor of come first.
        edges = [e for e in entries.get(LINEAGE, {}).values() if e["old_code"] == code]
        edges.sort(key=lambda e: (not e.get("main"), e["new_code"]))
        return [e["new_code"] for e in edges]
    entry = entries.get(section, {}).get(code) or {}
    named = list(entry.get("successors") or ())
    if section == "agencies" and not named and entry.get("unit"):
        units = successors(entries, "units", entry["unit"])
        named = [c for c, a in entries.get("agencies", {}).items() if a.get("unit") in units]
    return named


def predecessors(entries: Entries, code: str) -> list[str]:
    """Return the old units a new unit came from, its main predecessor first."""
    edges = [e for e in entries.get(LINEAGE, {}).values() if e["new_code"] == code]
    edges.sort(key=lambda e: not e.get("main"))
    return [e["old_code"] for e in edges]


def _names(entries: Entries, section: str, codes: list[str]) -> str:
    shown = [display_name(entries.get(section, {}).get(c), c) for c in codes[:SHOW_AFTER]]
    return ", ".join(shown) + ("…" if len(codes) > SHOW_AFTER else "")


def refusal(entries: Entries, section: str, code: str, day: date | str) -> Message | None:
    """Explain why ``code`` cannot be used on ``day`` (None when it can), naming who follows."""
    entry = entries.get(section, {}).get(code)
    if entry is None:
        return None
    text = day_text(day)
    name = display_name(entry, code)
    end, start = entry.get("valid_to"), entry.get("valid_from")
    if end and text > end:
        after = dmy((date.fromisoformat(end) + timedelta(days=1)).isoformat())
        later = [c for c in successors(entries, section, code)
                 if valid_on(entries.get(section, {}).get(c) or {}, text)]
        if later and section == "units":
            return Message(N_("{name} no longer exists from {date}; choose a successor "
                              "commune or ward: {successors}."),
                           name=name, date=after, successors=_names(entries, section, later))
        if later:
            return Message(N_("{name} no longer exists from {date}; choose its successor: "
                              "{successors}."),
                           name=name, date=after, successors=_names(entries, section, later))
        return Message(N_("{name} is no longer valid from {date}."), name=name, date=after)
    if start and text < start:
        earlier = predecessors(entries, code) if section == "units" else []
        if earlier:
            return Message(N_("{name} exists only from {date}; before that day choose the "
                              "district it came from: {predecessors}."),
                           name=name, date=dmy(start),
                           predecessors=_names(entries, section, earlier))
        return Message(N_("{name} is valid only from {date}."), name=name, date=dmy(start))
    return None


@dataclass(frozen=True)
class DatedCodes(Container[str]):
    """The codes of one section valid on one day, able to say why another code is not."""

    entries: Entries
    section: str
    day: str

    def __contains__(self, code: object) -> bool:
        entry = self.entries.get(self.section, {}).get(code) if isinstance(code, str) else None
        return entry is not None and valid_on(entry, self.day)

    def __iter__(self) -> Iterator[str]:
        return iter(entries_on(self.entries.get(self.section, {}), self.day))

    def problem(self, code: str) -> Message | None:
        """Return why ``code`` is refused on this day, when it is a known code."""
        return refusal(self.entries, self.section, code, self.day)


@dataclass(frozen=True)
class KnownCodes:
    """Codes of units, agencies, fields, deputy groups and sessions in force."""

    units: Container[str] = ()
    agencies: Container[str] = ()
    fields: Container[str] = ()
    deputy_groups: Container[str] = ()
    sessions: Container[str] = ()
    competence_levels: Container[str] = ()

    @classmethod
    def on(cls, entries: Entries, day: date | str) -> KnownCodes:
        """Return the codes valid on ``day``."""
        text = day_text(day)

        def codes(section: str) -> DatedCodes:
            return DatedCodes(entries, section, text)

        return cls(units=codes("units"), agencies=codes("agencies"), fields=codes("fields"),
                   deputy_groups=codes("deputy_groups"), sessions=codes("council_sessions"),
                   competence_levels=codes("competence_levels"))


# -- the rules an entry obeys ----------------------------------------------------------------
def _is_day(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def check_entry(section: str, entry: Entry, entries: Entries) -> dict[str, list[str]]:
    """Return what is wrong with ``entry`` for ``section`` given the other entries (empty: fine)."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    code = entry.get("code")
    if not isinstance(code, str) or not code.strip():
        add("code", N_("This field is required."))
    elif not CODE.fullmatch(code):
        add("code", N_("A code is letters, digits, dots, dashes or underscores."))
    if section != LINEAGE and not any(isinstance(entry.get(k), str) and entry[k].strip()
                                      for k in NAME_KEYS):
        add("name", N_("This field is required."))
    for field in ("valid_from", "valid_to", "opens_on", "closes_on"):
        if entry.get(field) not in (None, "") and not _is_day(entry.get(field)):
            add(field, N_("Must be a date."))
    start, end = entry.get("valid_from"), entry.get("valid_to")
    if _is_day(start) and _is_day(end) and end < start:
        add("valid_to", N_("The end date cannot be before the start date."))
    _SECTION_RULES.get(section, lambda *_: None)(entry, entries, add)
    for field, target, many in REFERENCES.get(section, ()):
        value = entry.get(field)
        for ref in (value or ()) if many else ([value] if value else []):
            _check_reference(entries, field, target, ref, entry, add)
    return errors


def _check_reference(entries: Entries, field: str, target: str, ref: object, entry: Entry,
                     add: Callable[[str, str], None]) -> None:
    referred = entries.get(target, {}).get(ref) if isinstance(ref, str) else None
    if referred is None:
        add(field, Message(N_("{code} is not a known entry."), code=str(ref)))
        return
    start = entry.get("valid_from")
    if _is_day(start) and not valid_on(referred, start) and field != "successors":
        add(field, Message(N_("{name} is not valid on {date}."),
                           name=display_name(referred, str(ref)), date=dmy(start)))


def _unit_rules(entry: Entry, entries: Entries, add: Callable[[str, str], None]) -> None:
    if entry.get("kind") not in UNIT_KINDS:
        add("kind", N_("Unknown value."))


def _session_rules(entry: Entry, entries: Entries, add: Callable[[str, str], None]) -> None:
    opens, closes = entry.get("opens_on"), entry.get("closes_on")
    if not opens:
        add("opens_on", N_("A session needs its opening date."))
    if not closes:
        add("closes_on", N_("A session needs its closing date."))
    if _is_day(opens) and _is_day(closes) and closes < opens:
        add("closes_on", N_("A session cannot close before it opens."))
    if not entry.get("term"):
        add("term", N_("This field is required."))
    term = entries.get("council_terms", {}).get(entry.get("term") or "")
    if term and _is_day(opens) and not valid_on(term, opens):
        add("opens_on", Message(N_("The session must open within {name}."),
                                name=display_name(term)))
    if entry.get("kind") not in ("regular", "thematic"):
        add("kind", N_("Unknown value."))


def _term_rules(entry: Entry, entries: Entries, add: Callable[[str, str], None]) -> None:
    if not entry.get("valid_from"):
        add("valid_from", N_("This field is required."))


def _group_rules(entry: Entry, entries: Entries, add: Callable[[str, str], None]) -> None:
    if not entry.get("term"):
        add("term", N_("This field is required."))
    if not isinstance(entry.get("units"), (list, tuple)) or not entry.get("units"):
        add("units", N_("This field is required."))


def _lineage_rules(entry: Entry, entries: Entries, add: Callable[[str, str], None]) -> None:
    old, new = entry.get("old_code"), entry.get("new_code")
    if not old or not new:
        add("old_code" if not old else "new_code", N_("Lineage must join two known units."))
    elif entry.get("code") != lineage_code(str(old), str(new)):
        add("code", N_("Unknown value."))
    if entry.get("share") not in SHARES:
        add("share", N_("Unknown value."))


_SECTION_RULES: dict[str, Callable[[Entry, Entries, Callable[[str, str], None]], None]] = {
    "units": _unit_rules, "council_sessions": _session_rules, "council_terms": _term_rules,
    "deputy_groups": _group_rules, LINEAGE: _lineage_rules,
}


def overlap(existing: Entry, entry: Entry) -> Message:
    """Return the refusal of a second entry under a code that is already recorded."""
    start = existing.get("valid_from")
    end = existing.get("valid_to")
    period = f"{dmy(start) if start else '…'}–{dmy(end) if end else '…'}"
    return Message(N_("The code {code} is already recorded (valid {period}): the validity of "
                      "one code cannot overlap, and a code is never reused."),
                   code=str(entry.get("code")), period=period)

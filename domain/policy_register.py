"""The deadline policy versions admins added, kept as events over the shipped versions."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.calendar import check_day
from domain.deadline import CALENDAR_DAYS, WORKING_DAYS, DeadlinePolicy, Limit, PolicyVersion
from domain.errors import N_
from domain.text import NAME_MAX, TEXT_MAX, FieldCheck

CODE_MAX = 40
AMOUNT_MAX = 366


def check_version(data: Mapping[str, Any], policy: DeadlinePolicy) -> PolicyVersion:
    """Check a new version given as plain data (a form) and return it, or refuse.

    ``limits`` maps each limit's key to its amount, unit and basis; keys the data leave out
    keep the value of the version in force on the effective date.
    """
    check = FieldCheck()
    code = check.text("code", data.get("code"), max_length=CODE_MAX)
    if code and any(v.code == code for v in policy.versions):
        check.add("code", N_("This code is already used."))
    name = check.text("name", data.get("name"), max_length=NAME_MAX)
    basis = check.text("basis", data.get("basis"), max_length=TEXT_MAX)
    note = check.text("note", data.get("note"), max_length=TEXT_MAX, required=False)
    effective = check_day(check, "effective_from", data.get("effective_from"))
    if effective is not None and any(v.effective_from == effective for v in policy.versions):
        check.add("effective_from", N_("Another version already starts on this date."))
    base = policy.version_on(effective or date.max)
    limits = dict(base.limits)
    given = data.get("limits") or {}
    if not isinstance(given, Mapping):
        check.add("limits", N_("Unknown value."))
        given = {}
    for key, value in given.items():
        if key not in limits or not isinstance(value, Mapping):
            check.add(f"limits.{key}", N_("Unknown value."))
            continue
        amount = value.get("amount")
        if isinstance(amount, str) and amount.strip().isdigit():
            amount = int(amount)
        if not isinstance(amount, int) or isinstance(amount, bool) or not 0 < amount <= AMOUNT_MAX:
            check.add(f"limits.{key}.amount", N_("Enter a whole number of days from 1 to 366."))
            continue
        unit = check.choice(f"limits.{key}.unit", value.get("unit"), {CALENDAR_DAYS, WORKING_DAYS})
        lbasis = check.text(f"limits.{key}.basis", value.get("basis"), max_length=NAME_MAX)
        if unit and lbasis:
            # A form does not post the practice label: the limit keeps the one it had.
            practice = bool(value.get("practice", limits[key].practice))
            limits[key] = Limit(amount, unit, lbasis, practice)
    check.raise_if_any()
    return PolicyVersion(code, name, effective, basis, limits,  # type: ignore[arg-type]
                         clock_stops=base.clock_stops, note=note)


class PolicyRegister(Aggregate):
    """One register per deployment: the policy versions added by admins, with who and when."""

    @staticmethod
    def create_id() -> UUID:
        """Return the single register's fixed id."""
        return uuid5(NAMESPACE_URL, "petitions:policy-register")

    @event("PolicyRegisterStarted")
    def __init__(self) -> None:
        self.versions: list[dict[str, Any]] = []
        self.history: list[dict[str, Any]] = []

    def add(self, version: PolicyVersion, *, actor: str, at: datetime) -> None:
        """Record a new version of the policy."""
        self._version_added(version=version.to_dict(), actor=actor, at=at)

    @event("PolicyVersionAdded")
    def _version_added(self, version: dict[str, Any], actor: str, at: datetime) -> None:
        self.versions.append(version)
        self.history.append({"code": version["code"], "name": version["name"],
                             "effective_from": version["effective_from"], "actor": actor,
                             "at": at})

    def apply_to(self, policy: DeadlinePolicy) -> DeadlinePolicy:
        """Return ``policy`` with every added version laid over it."""
        for data in self.versions:
            policy = policy.with_version(PolicyVersion.from_dict(data))
        return policy

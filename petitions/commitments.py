"""The commitment use cases (issue 15), mixed into the tracker application.

Questioning and explanation sessions are recorded by the council office; a commitment is
recorded from one of them, reported on by the responsible agency at every session, and
reviewed, assessed, dropped or questioned again by the office. Each method loads, calls
the aggregate, saves and returns a receipt, as the tracker's own methods do.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from domain.actor import Actor
from domain.commitment import Commitment, QuestioningSession
from domain.errors import InvalidInput, N_
from domain.item_types import type_of
from petitions import permissions
from petitions.errors import ConflictError, ItemNotFound

if TYPE_CHECKING:
    from petitions.application import Receipt

MAX_SESSIONS_PER_COUNCIL_SESSION = 99


class CommitmentCommands:
    """Use cases of questioning sessions and commitments (a mixin of ``Tracker``)."""

    # -- questioning and explanation sessions ---------------------------------------------
    def hold_questioning_session(self, actor: Actor, **data: Any) -> Receipt:
        """Record a questioning or explanation session; its code is "<session>-CV<n>"."""
        from petitions.application import Receipt

        permissions.require(actor, "log", item_class=Commitment)
        session = str(data.get("council_session") or "")
        held_on = data.get("held_on")
        known = self.known_codes(on=held_on if isinstance(held_on, date) else None)
        entry = self.reference().get("council_sessions", {}).get(session) or {}
        dates = None
        if entry.get("opens_on") and entry.get("closes_on"):
            dates = (date.fromisoformat(str(entry["opens_on"])),
                     date.fromisoformat(str(entry["closes_on"])))
        letters = "CV" if data.get("kind") == "questioning" else "GT"
        fields = ("kind", "council_session", "held_on", "topic", "leader_name",
                  "leader_position", "agency", "deputies", "conclusion_no", "conclusion_date",
                  "conclusion_text")
        unknown = set(data) - set(fields)
        if unknown:
            raise InvalidInput({name: [N_("Unknown field.")] for name in sorted(unknown)})
        for n in range(1, MAX_SESSIONS_PER_COUNCIL_SESSION + 1):
            code = f"{session}-{letters}{n}"
            if self._questioning(code, missing_ok=True) is not None:
                continue
            record = QuestioningSession.hold(
                code=code, known=known, session_dates=dates, today=self.today(), by=actor,
                at=self.now(), **{k: data.get(k) for k in fields if k in data})
            try:
                recordings = self.save(record)
            except IntegrityError:
                continue  # another clerk took this number meanwhile: take the next one
            return Receipt(record.id, code, record.version, recordings[-1].notification.id)
        raise ConflictError(code=session)

    def record_conclusion(self, actor: Actor, code: str, *, conclusion_no: str,
                          conclusion_date: date | None, conclusion_text: str = "") -> Receipt:
        """Record the conclusion or resolution issued after a questioning session."""
        from petitions.application import Receipt

        permissions.require(actor, "log", item_class=Commitment)
        record = self._questioning(code)
        record.record_conclusion(conclusion_no=conclusion_no, conclusion_date=conclusion_date,
                                 conclusion_text=conclusion_text, today=self.today(), by=actor,
                                 at=self.now())
        recordings = self._save(record)
        return Receipt(record.id, code, record.version, recordings[-1].notification.id)

    def questioning_session(self, code: str) -> dict[str, Any]:
        """Return a questioning session's facts (ItemNotFound if there is none)."""
        record = self._questioning(code)
        return {**record.facts(), "leader": dict(record.leader), "agency": record.agency,
                "deputies": list(record.deputies), "conclusion": record.conclusion}

    def _questioning(self, code: str, missing_ok: bool = False) -> Any:
        try:
            return self.repository.get(QuestioningSession.create_id(str(code)))
        except AggregateNotFoundError:
            if missing_ok:
                return None
            raise ItemNotFound(ref=str(code)) from None

    # -- commitments -------------------------------------------------------------------------
    def record_commitment(self, actor: Actor, *, questioning: str, **data: Any) -> Receipt:
        """Record a commitment made at questioning session ``questioning``; return its receipt."""
        permissions.require(actor, "log", item_class=Commitment)
        return self._create_commitment(actor, questioning, data)

    def _create_commitment(self, actor: Actor, questioning: str, data: Mapping[str, Any],
                           follows: Commitment | None = None) -> Receipt:
        try:
            source = self._questioning(questioning).facts()
        except ItemNotFound:
            raise InvalidInput({"questioning": [N_("Unknown value.")]}) from None
        known = self.known_codes(on=source["held_on"])
        names = ("title", "content", "agency", "leader_name", "leader_position", "field",
                 "target_date", "unit", "target", "categories", "subitems")
        unknown = set(data) - set(names)
        if unknown:
            raise InvalidInput({name: [N_("Unknown field.")] for name in sorted(unknown)})
        given = {k: v for k, v in data.items() if v is not None or k == "target_date"}

        def build(code: str) -> Commitment:
            return Commitment.record(code=code, source=source, known=known, today=self.today(),
                                     by=actor, at=self.now(),
                                     follows=follows.code if follows else "",
                                     **{"leader_position": "", "field": "other", **given})

        def link(new: Commitment) -> list[Any]:
            follows.requestion(new, by=actor, at=self.now())  # type: ignore[union-attr]
            return [follows]

        prefix = type_of(Commitment).code_prefix
        return self._create_with_code(prefix, build, also=link if follows else None)

    def report_commitment_progress(self, actor: Actor, ref: Any, *, council_session: str,
                                   as_of: date, text: str, value: float | None = None,
                                   unit: str = "", note: str = "",
                                   moves: Mapping[str, str] | None = None,
                                   expected_version: int | None = None) -> Receipt:
        """Record the responsible agency's progress report for a council session."""
        known = self.known_codes()
        return self._update(actor, "report_progress", ref, Commitment, expected_version,
                            lambda c: c.report_progress(
                                council_session=council_session, as_of=as_of, text=text,
                                value=value, unit=unit, note=note, moves=moves, known=known,
                                today=self.today(), by=actor, at=self.now()))

    def accept_commitment_report(self, actor: Actor, ref: Any, *, comment: str = "",
                                 expected_version: int | None = None) -> Receipt:
        """Accept the pending progress report of a commitment."""
        return self._update(actor, "accept_report", ref, Commitment, expected_version,
                            lambda c: c.accept_report(comment=comment, by=actor, at=self.now()))

    def return_commitment_report(self, actor: Actor, ref: Any, *, reason: str,
                                 expected_version: int | None = None) -> Receipt:
        """Send the pending progress report back to the agency (ask again)."""
        return self._update(actor, "return_report", ref, Commitment, expected_version,
                            lambda c: c.return_report(reason=reason, by=actor, at=self.now()))

    def assess_commitment(self, actor: Actor, ref: Any, *, outcome: str, text: str,
                          assessed_on: date, expected_version: int | None = None) -> Receipt:
        """Record whether the commitment was met, partly met or not met."""
        return self._update(actor, "assess", ref, Commitment, expected_version,
                            lambda c: c.assess(outcome=outcome, text=text,
                                               assessed_on=assessed_on, today=self.today(),
                                               by=actor, at=self.now()))

    def drop_commitment(self, actor: Actor, ref: Any, *, reason: str,
                        expected_version: int | None = None) -> Receipt:
        """Drop a commitment for a stated reason."""
        return self._update(actor, "drop", ref, Commitment, expected_version,
                            lambda c: c.drop(reason=reason, by=actor, at=self.now()))

    def requestion_commitment(self, actor: Actor, ref: Any, *, questioning: str,
                              expected_version: int | None = None, **data: Any) -> Receipt:
        """Question a commitment again at a later session: record the new commitment, link both.

        Unnamed facts (agency, leader, measure, sub-items) are the old commitment's.
        """
        permissions.require(actor, "requestion", item_class=Commitment)
        old = self._load(ref, Commitment)
        permissions.require(actor, "requestion", old)
        self._check_version(old, expected_version)
        if not old.allows("requestion"):
            from domain.errors import InvalidTransition

            raise InvalidTransition(action="question again", status=old.status.value)
        inherited: dict[str, Any] = {
            "title": old.title, "content": old.content, "agency": old.agency,
            "leader_name": (old.leader or {}).get("name", ""),
            "leader_position": (old.leader or {}).get("position", ""), "field": old.field,
            "unit": (old.measure or {}).get("unit", ""),
            "target": (old.measure or {}).get("target"),
            "categories": list(old.subitem_categories), "subitems": [dict(s) for s in old.subitems]}
        inherited.update({k: v for k, v in data.items() if v not in (None, "")})
        return self._create_commitment(actor, questioning, inherited, follows=old)

"""The tracker application: every use case is a method here (load, call, save, return data).

Web, CLI and scheduler call these methods; none of them touches an aggregate directly.
"""
from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder

from domain.actor import SYSTEM, Actor
from domain.calendar import WorkingCalendar
from domain.catalog import ReferenceCatalog
from domain.codes import CodeCounter, item_id_for_code, normalise_code
from domain.complaint import Complaint
from domain.deadline import DEFAULT_POLICY, DeadlinePolicy
from domain.errors import InvalidInput, N_, PermissionDenied
from domain.item import TrackedItem
from domain.item_types import REGISTRY, type_of
from domain.petition import VoterPetition
from domain.reference import KnownCodes
from petitions import permissions
from petitions.errors import ConflictError, ItemNotFound
from petitions.item_data import event_to_dict, item_to_dict
from petitions.reference import shipped_reference
from petitions.settings import Settings
from petitions.transcodings import TRANSCODINGS
from petitions.working_days import vietnam_calendar

T = TypeVar("T", bound=TrackedItem)
Clock = Callable[[], datetime]

CATALOG_TTL_SECONDS = 30.0
CODE_RETRIES = 50


@dataclass(frozen=True)
class Receipt:
    """What a command returns: the item, its new version and the log position reached."""

    id: UUID
    code: str
    version: int
    position: int


def utc_now() -> datetime:
    """Return the current time in UTC (the application's default clock)."""
    return datetime.now(timezone.utc)


class Tracker(Application):
    """Voter petitions and complaints: the use cases of DESIGN.md."""

    name = "tracker"
    # Short intervals keep an item's history page cheap: at most ten events are replayed
    # after its snapshot (benchmarks/RESULTS.md). The code counter is cached in memory.
    snapshotting_intervals = {
        **{t.aggregate: 10 for t in REGISTRY}, CodeCounter: 100, ReferenceCatalog: 100,
    }

    def __init__(
        self, settings: Settings | None = None, *, clock: Clock | None = None,
        policy: DeadlinePolicy = DEFAULT_POLICY, calendar: WorkingCalendar | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.settings = settings or Settings.from_env()
        self.clock = clock or utc_now
        self.policy = policy
        self.calendar = calendar or vietnam_calendar()
        self.zone = ZoneInfo(self.settings.timezone)
        self._catalog: ReferenceCatalog | None = None
        self._counters: dict[tuple[str, int], CodeCounter] = {}
        self._counter_lock = threading.Lock()
        self._catalog_read_at = 0.0
        store_env = self.settings.event_store_env() if env is None else env
        super().__init__(env=store_env)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        """Add date transcoding to the library's defaults."""
        super().register_transcodings(transcoder)
        for transcoding in TRANSCODINGS:
            transcoder.register(transcoding)

    # -- time --------------------------------------------------------------------------------
    def now(self) -> datetime:
        """Return the application's current time (UTC)."""
        return self.clock()

    def today(self) -> date:
        """Return today's date in the council's time zone."""
        return self.now().astimezone(self.zone).date()

    # -- reference data --------------------------------------------------------------------
    def load_reference(self, actor: Actor = SYSTEM, name: str = "hanoi") -> int:
        """Record the shipped reference data in the store; return how many entries changed."""
        permissions.require(actor, "reference")
        catalog = self._get_catalog(fresh=True, create=True)
        changed = 0
        for section, entries in shipped_reference(name).items():
            for entry in entries:
                changed += catalog.record(section, entry, actor=actor.username, at=self.now())
        if changed:
            self._save(catalog)
        self._catalog = catalog
        return changed

    def record_reference(self, actor: Actor, section: str, entry: dict[str, Any]) -> bool:
        """Add or change one reference entry (admin)."""
        permissions.require(actor, "reference")
        catalog = self._get_catalog(fresh=True, create=True)
        changed = catalog.record(section, entry, actor=actor.username, at=self.now())
        if changed:
            self._save(catalog)
        self._catalog = catalog
        return changed

    def reference(self) -> dict[str, dict[str, dict[str, Any]]]:
        """Return every reference entry by section and code."""
        return self._get_catalog().entries

    def known_codes(self) -> KnownCodes:
        """Return the codes commands may refer to."""
        entries = self._get_catalog().entries
        return KnownCodes(
            units=entries["units"], agencies=entries["agencies"], fields=entries["fields"],
            deputy_groups=entries["deputy_groups"], sessions=entries["council_sessions"],
        )

    def _get_catalog(self, fresh: bool = False, create: bool = False) -> ReferenceCatalog:
        stale = time.monotonic() - self._catalog_read_at > CATALOG_TTL_SECONDS
        if self._catalog is None or fresh or stale:
            try:
                self._catalog = self.repository.get(ReferenceCatalog.create_id())
            except AggregateNotFoundError:
                if not create:
                    raise ItemNotFound(
                        N_("Reference data is not loaded: run `petitions init`."), ref="")
                self._catalog = ReferenceCatalog()
            self._catalog_read_at = time.monotonic()
        return self._catalog

    # -- creating items ----------------------------------------------------------------------
    def log_petition(self, actor: Actor, **data: Any) -> Receipt:
        """Log a voter petition raised at a voter meeting; return its receipt with its code."""
        permissions.require(actor, "log", item_class=VoterPetition)
        self._require_own_district(actor, data.get("district"))
        known = self.known_codes()

        def build(code: str) -> VoterPetition:
            return VoterPetition.log(
                code=code, known=known, by=actor, at=self.now(), today=self.today(),
                **_only(data, "title", "content", "district", "deputy_group", "session",
                        "field", "meeting_date", "meeting_place", "voters", "received_on"),
            )

        return self._create_with_code(type_of(VoterPetition).code_prefix, build)

    def receive_complaint(self, actor: Actor, **data: Any) -> Receipt:
        """Record a received complaint, denunciation or reflection; return its receipt."""
        permissions.require(actor, "log", item_class=Complaint)
        self._require_own_district(actor, data.get("district"))
        known = self.known_codes()
        first: Complaint | None = None
        if data.get("first_round"):
            first = self._load(data["first_round"], Complaint)

        def build(code: str) -> Complaint:
            return Complaint.receive(
                code=code, known=known, policy=self.policy, calendar=self.calendar,
                today=self.today(), by=actor, at=self.now(), first_round=first,
                **_only(data, "kind", "channel", "title", "content", "subject", "petitioner",
                        "anonymous", "district", "field", "received_on", "several_places"),
            )

        prefix = type_of(Complaint).code_prefix
        if first is None:
            return self._create_with_code(prefix, build)

        def link(second: Complaint) -> list[Aggregate]:
            first.link_second_round(second, by=actor, at=self.now())  # type: ignore[union-attr]
            return [first]  # type: ignore[list-item]

        return self._create_with_code(prefix, build, also=link)

    def _create_with_code(
        self, prefix: str, build: Callable[[str], T],
        also: Callable[[T], list[Aggregate]] | None = None,
    ) -> Receipt:
        # The counter is saved with the item in one transaction: two writers that took the
        # same number conflict, and the loser reloads the counter and takes the next one.
        # The counter is kept in memory between commands; a copy that another process made
        # stale fails the save the same way, so the cache can never hand out a code twice.
        for _ in range(CODE_RETRIES):
            year = self.today().year
            counter = self._counter(prefix, year)
            item = build(counter.allocate(self.now()))
            others = also(item) if also else []
            try:
                recordings = self.save(counter, item, *others)
            except IntegrityError:
                self._counters.pop((prefix, year), None)
                if others:
                    raise ConflictError(code=item.code) from None
                continue
            with self._counter_lock:
                cached = self._counters.get((prefix, year))
                if cached is None or cached.version < counter.version:
                    self._counters[(prefix, year)] = counter
            return Receipt(item.id, item.code, item.version, recordings[-1].notification.id)
        raise ConflictError(code=prefix)

    def _counter(self, prefix: str, year: int) -> CodeCounter:
        with self._counter_lock:
            cached = self._counters.get((prefix, year))
            if cached is not None:
                return copy.deepcopy(cached)
        try:
            return self.repository.get(CodeCounter.create_id(prefix, year))
        except AggregateNotFoundError:
            return CodeCounter(prefix, year)

    # -- commands on existing items ----------------------------------------------------------
    def classify_petition(self, actor: Actor, ref: Any, *, field: str, competence: str,
                          note: str = "", expected_version: int | None = None) -> Receipt:
        """Set a petition's field and competence level."""
        known = self.known_codes()
        levels = self.reference()["competence_levels"]
        return self._update(actor, "classify", ref, VoterPetition, expected_version,
                            lambda p: p.classify(field=field, competence=competence, note=note,
                                                 known=known, competence_levels=levels,
                                                 by=actor, at=self.now()))

    def merge_petitions(self, actor: Actor, duplicate: Any, survivor: Any, *, reason: str = "",
                        expected_version: int | None = None) -> Receipt:
        """Merge ``duplicate`` into ``survivor``; both keep the history of the merge."""
        permissions.require(actor, "merge", item_class=VoterPetition)
        dup = self._load(duplicate, VoterPetition)
        surv = self._load(survivor, VoterPetition)
        self._check_version(dup, expected_version)
        dup.merge_into(surv, reason, by=actor, at=self.now())
        return self._save_receipt(surv, dup)

    def assign(self, actor: Actor, ref: Any, *, agency: str, due_date: date | None = None,
               note: str = "", cooperating: list[str] | tuple[str, ...] = (),
               leader_name: str = "", leader_position: str = "",
               expected_version: int | None = None) -> Receipt:
        """Assign a petition to its lead agency with a due date (policy default if none).

        Optionally with co-operating agencies and the leader responsible ("3 rõ").
        """
        known = self.known_codes()
        return self._update(actor, "assign", ref, VoterPetition, expected_version,
                            lambda p: p.assign(agency=agency, due_date=due_date, note=note,
                                               known=known, policy=self.policy,
                                               calendar=self.calendar, today=self.today(),
                                               by=actor, at=self.now(),
                                               cooperating=cooperating,
                                               leader_name=leader_name,
                                               leader_position=leader_position))

    def send_back(self, actor: Actor, ref: Any, *, reason: str,
                  expected_version: int | None = None) -> Receipt:
        """Send a petition back as not the lead agency's competence; the office reassigns it."""
        return self._update(actor, "send_back", ref, VoterPetition, expected_version,
                            lambda p: p.send_back(reason=reason, today=self.today(),
                                                  calendar=self.calendar, by=actor,
                                                  at=self.now()))

    def note_progress(self, actor: Actor, ref: Any, *, text: str,
                      expected_version: int | None = None) -> Receipt:
        """Record a progress note on a petition or complaint."""
        return self._update(actor, "progress", ref, TrackedItem, expected_version,
                            lambda i: i.note_progress(text, by=actor, at=self.now()))

    def record_answer(self, actor: Actor, ref: Any, *, outcome: str, text: str,
                      new_due_date: date | None = None,
                      expected_version: int | None = None) -> Receipt:
        """Record the agency's answer to a petition."""
        return self._update(actor, "answer", ref, VoterPetition, expected_version,
                            lambda p: p.record_answer(outcome=outcome, text=text,
                                                      new_due_date=new_due_date,
                                                      today=self.today(), by=actor,
                                                      at=self.now()))

    def accept_answer(self, actor: Actor, ref: Any, *, comment: str = "",
                      voters_satisfied: bool | None = None,
                      expected_version: int | None = None) -> Receipt:
        """Accept a petition's pending answer."""
        return self._update(actor, "accept_answer", ref, VoterPetition, expected_version,
                            lambda p: p.accept_answer(comment=comment,
                                                      voters_satisfied=voters_satisfied,
                                                      by=actor, at=self.now()))

    def return_answer(self, actor: Actor, ref: Any, *, reason: str,
                      expected_version: int | None = None) -> Receipt:
        """Send a petition's pending answer back to the agency."""
        return self._update(actor, "return_answer", ref, VoterPetition, expected_version,
                            lambda p: p.return_answer(reason=reason, by=actor, at=self.now()))

    def extend_deadline(self, actor: Actor, ref: Any, *, new_due_date: date, reason: str,
                        expected_version: int | None = None) -> Receipt:
        """Extend an item's deadline with a reason, within what the rules allow."""
        def extend(item: TrackedItem) -> None:
            if isinstance(item, Complaint):
                item.extend_resolution(new_due_date, reason, policy=self.policy, by=actor,
                                       at=self.now())
            else:
                item.extend_deadline(new_due_date, reason, by=actor, at=self.now())
        return self._update(actor, "extend", ref, TrackedItem, expected_version, extend)

    def park(self, actor: Actor, ref: Any, *, reason: str, grounds: str = "",
             decision_no: str = "", decision_date: date | None = None,
             expected_version: int | None = None) -> Receipt:
        """Set an item aside with a reason, or suspend it by decision (grounds, number, date)."""
        return self._update(actor, "park", ref, TrackedItem, expected_version,
                            lambda i: i.park(reason, by=actor, at=self.now(), today=self.today(),
                                             grounds=grounds, decision_no=decision_no,
                                             decision_date=decision_date))

    def resume(self, actor: Actor, ref: Any, *, reason: str = "",
               expected_version: int | None = None) -> Receipt:
        """Take a parked item up again; a stopped clock moves the due date by the days parked."""
        return self._update(actor, "resume", ref, TrackedItem, expected_version,
                            lambda i: i.resume(reason, by=actor, at=self.now(),
                                               today=self.today(), calendar=self.calendar))

    def withdraw(self, actor: Actor, ref: Any, *, reason: str,
                 expected_version: int | None = None) -> Receipt:
        """Record that an item was withdrawn."""
        return self._update(actor, "withdraw", ref, TrackedItem, expected_version,
                            lambda i: i.withdraw(reason, by=actor, at=self.now()))

    def close_item(self, actor: Actor, ref: Any, *, reason: str,
              expected_version: int | None = None) -> Receipt:
        """Close an open item with a reason."""
        return self._update(actor, "close", ref, TrackedItem, expected_version,
                            lambda i: i.close(reason, by=actor, at=self.now()))

    def accept_complaint(self, actor: Actor, ref: Any, *, agency: str,
                         complexity: str = "normal", remote_area: bool = False,
                         expected_version: int | None = None) -> Receipt:
        """Accept a đơn for resolution by ``agency``; the statutory deadline starts."""
        known = self.known_codes()
        return self._update(actor, "accept", ref, Complaint, expected_version,
                            lambda c: c.accept(agency=agency, complexity=complexity,
                                               remote_area=remote_area, known=known,
                                               policy=self.policy, calendar=self.calendar,
                                               today=self.today(), by=actor, at=self.now()))

    def forward_complaint(self, actor: Actor, ref: Any, *, to_body: str, reason: str,
                          expected_version: int | None = None) -> Receipt:
        """Forward a đơn to the competent body."""
        return self._update(actor, "forward", ref, Complaint, expected_version,
                            lambda c: c.forward(to_body=to_body, reason=reason, by=actor,
                                                at=self.now()))

    def return_complaint(self, actor: Actor, ref: Any, *, reason: str,
                         expected_version: int | None = None) -> Receipt:
        """Return a đơn to its sender with guidance."""
        return self._update(actor, "guide", ref, Complaint, expected_version,
                            lambda c: c.return_with_guidance(reason=reason, by=actor,
                                                             at=self.now()))

    def file_complaint(self, actor: Actor, ref: Any, *, reason: str,
                       expected_version: int | None = None) -> Receipt:
        """File a đơn without processing it."""
        return self._update(actor, "file", ref, Complaint, expected_version,
                            lambda c: c.file_away(reason=reason, by=actor, at=self.now()))

    def issue_decision(self, actor: Actor, ref: Any, *, result: str, text: str,
                       decided_on: date, decision_no: str = "",
                       expected_version: int | None = None) -> Receipt:
        """Record the decision that closes an accepted complaint or denunciation."""
        return self._update(actor, "decide", ref, Complaint, expected_version,
                            lambda c: c.issue_decision(result=result, text=text,
                                                       decision_no=decision_no,
                                                       decided_on=decided_on,
                                                       today=self.today(), by=actor,
                                                       at=self.now()))

    def escalate_item(self, ref: Any, *, now: datetime | None = None,
                      actor: Actor = SYSTEM) -> list[int]:
        """Record every ladder level the item has reached by ``now``; return the new levels."""
        permissions.require(actor, "escalate")
        at = now or self.now()
        today = at.astimezone(self.zone).date()
        item = self._load(ref, TrackedItem)
        levels = item.escalations_due(today, self.policy, self.calendar)
        for level in levels:
            item.escalate(level, self.policy.step(level).notify, today=today,
                          policy=self.policy, calendar=self.calendar, by=actor, at=at)
        if levels:
            self._save(item)
        return levels

    # -- queries -----------------------------------------------------------------------------
    def get_item(self, actor: Actor, ref: Any) -> dict[str, Any]:
        """Return an item as plain data, personal data only for those who handle it."""
        item = self._load_visible(actor, ref)
        show_personal = permissions.handles(actor, item.district, item.agency, item.kind)
        return item_to_dict(item, personal=show_personal, today=self.today())

    def history(self, actor: Actor, ref: Any) -> list[dict[str, Any]]:
        """Return the item's events, oldest first, as plain data (the audit log)."""
        item = self._load_visible(actor, ref)
        show_personal = permissions.handles(actor, item.district, item.agency, item.kind)
        return [event_to_dict(e, personal=show_personal)
                for e in self.events.get(item.id)]

    def hand_offs(self, actor: Actor, ref: Any, *,
                  history: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
        """Return who held the item when, oldest first, with the working days each held it.

        Computed from the item's events (``domain.responsibility``), or from ``history``
        when the caller already read it; the last spell is the one still running (``until``
        None), counted up to today.
        """
        from domain.responsibility import hand_offs

        events = history if history is not None else self.history(actor, ref)
        days = [(e["type"], self._local_date(e["at"]), e["facts"]) for e in events]
        return [s.to_dict() for s in hand_offs(days, self.today(), self.calendar)]

    def _load_visible(self, actor: Actor, ref: Any) -> TrackedItem:
        item = self._load(ref, TrackedItem)
        if not permissions.can_view(actor, item.district, item.agency,
                                    item.cooperating_agencies):
            raise ItemNotFound(ref=str(ref))
        return item

    def _local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def resolve_ref(self, ref: Any) -> UUID:
        """Turn an id or an item code into the item's id."""
        if isinstance(ref, UUID):
            return ref
        if isinstance(ref, str):
            code = normalise_code(ref)
            if code:
                return item_id_for_code(code)
            try:
                return UUID(ref)
            except ValueError:
                pass
        raise ItemNotFound(ref=str(ref))

    def position(self) -> int:
        """Return the id of the last event in the log (0 when empty)."""
        return self.recorder.max_notification_id() or 0

    # -- internals -------------------------------------------------------------------------
    def _load(self, ref: Any, kind: type[T]) -> T:
        item_id = self.resolve_ref(ref)
        try:
            item = self.repository.get(item_id)
        except AggregateNotFoundError:
            raise ItemNotFound(ref=str(ref)) from None
        if not isinstance(item, kind):
            raise ItemNotFound(ref=str(ref))
        return item

    def _update(self, actor: Actor, action: str, ref: Any, kind: type[T],
                expected_version: int | None, change: Callable[[T], None]) -> Receipt:
        permissions.require(actor, action, item_class=kind)
        item = self._load(ref, kind)
        if not permissions.can_view(actor, item.district, item.agency,
                                    item.cooperating_agencies):
            # Out-of-scope items are reported as missing, so their existence does not leak.
            raise ItemNotFound(ref=str(ref))
        # The item's own type decides (the check above allowed any type with the action).
        permissions.require(actor, action, item)
        self._check_version(item, expected_version)
        change(item)
        return self._save_receipt(item)

    def _check_version(self, item: TrackedItem, expected_version: int | None) -> None:
        if expected_version is not None and item.version != expected_version:
            raise ConflictError(code=item.code)

    def _save_receipt(self, item: TrackedItem, *others: Aggregate) -> Receipt:
        recordings = self._save(item, *others)
        position = recordings[-1].notification.id if recordings else self.position()
        return Receipt(item.id, item.code, item.version, position)

    def _save(self, *aggregates: Aggregate) -> list[Any]:
        try:
            return self.save(*aggregates)
        except IntegrityError:
            code = getattr(aggregates[0], "code", "")
            raise ConflictError(code=code) from None

    def _require_own_district(self, actor: Actor, district: Any) -> None:
        if not permissions.in_scope(actor, district, None):
            raise PermissionDenied(action="log")

    # ======================================================================================
    # Escalation and notifications (issue 6; owned by engineer C — the rest of this class
    # is the lead's). Imports are local so this section stays self-contained.
    # ======================================================================================
    ESCALATION_PAGE = 500
    ESCALATION_SAVE_BATCH = 50

    def escalate_overdue(self, now: datetime | None = None, *, dry_run: bool = False,
                         actor: Actor = SYSTEM) -> Any:
        """Record every missed ladder level of every item due by ``now``; return a summary.

        Candidates come from the items view (indexed on the next escalation date), never
        from loading every aggregate. Each candidate is loaded and asked which levels it has
        reached: the aggregate refuses a level twice and knows paused, extended and closed
        items, so a stale view or a second scheduler cannot cause a duplicate. A save that
        conflicts (someone else escalated or changed the item) is skipped, not an error.
        With ``dry_run`` nothing is stored: the summary lists what would be recorded.
        Returns a ``petitions.escalation.EscalationSummary``.
        """
        from petitions.escalation import EscalationSummary, due_item_ids

        permissions.require(actor, "escalate")
        at = now or self.now()
        today = at.astimezone(self.zone).date()
        summary = EscalationSummary(today=today, dry_run=dry_run)
        batch: list[tuple[TrackedItem, list[Any]]] = []
        cursor = ""
        while True:
            with self._escalation_views().connect() as conn:
                ids, cursor = due_item_ids(conn, today, self.ESCALATION_PAGE, cursor)
            for item_id in ids:
                summary.candidates += 1
                loaded = self._escalate_loaded(item_id, today, at, actor)
                if loaded is None:
                    continue
                if dry_run:
                    summary.escalations.extend(loaded[1])
                    continue
                batch.append(loaded)
                if len(batch) >= self.ESCALATION_SAVE_BATCH:
                    self._save_escalations(batch, today, at, actor, summary)
                    batch = []
            if not cursor:
                break
        self._save_escalations(batch, today, at, actor, summary)
        return summary

    def record_notification_sent(self, ref: Any, level: int, recipients: list[str], *,
                                 due_date: date | None = None, now: datetime | None = None,
                                 actor: Actor = SYSTEM) -> Receipt | None:
        """Record on the item that the level's email was delivered; None if already recorded.

        ``due_date`` names the ladder the escalation belonged to (default: the current one),
        so a delivery repeated after a crash is recorded once.
        """
        permissions.require(actor, "escalate")
        for _ in range(5):
            item = self._load(ref, TrackedItem)
            due = due_date or item.escalated_due or item.due_date
            if due is None:
                return None
            if not item.record_notification(level, due, recipients, by=actor,
                                            at=now or self.now()):
                return None
            try:
                return self._save_receipt(item)
            except ConflictError:
                continue  # someone else changed the item meanwhile: reload, record again
        raise ConflictError(code=str(ref))

    def attach_views(self, engine: Any) -> None:
        """Use this SQLAlchemy engine for the items view that escalation scans query."""
        self._escalation_engine = engine

    def _escalation_views(self) -> Any:
        # Without an attached engine (a bare Tracker), open one on the configured views.
        engine = getattr(self, "_escalation_engine", None)
        if engine is None:
            from projections.store import views_engine

            engine = self._escalation_engine = views_engine(self.settings)
        return engine

    def _escalate_loaded(self, item_id: UUID, today: date, at: datetime,
                         actor: Actor) -> tuple[TrackedItem, list[Any]] | None:
        """Load one item and trigger the levels it has reached; None if there are none."""
        from petitions.escalation import Escalation

        try:
            item = self.repository.get(item_id)
        except AggregateNotFoundError:
            return None  # a view row without events (e.g. a test fixture): nothing to do
        if not isinstance(item, TrackedItem):
            return None
        due = item.due_date
        done = []
        for level in item.escalations_due(today, self.policy, self.calendar):
            notify = self.policy.step(level).notify
            item.escalate(level, notify, today=today, policy=self.policy,
                          calendar=self.calendar, by=actor, at=at)
            done.append(Escalation(item.id, item.code, level, notify, due, item.agency,
                                    item.district))
        return (item, done) if done else None

    def _save_escalations(self, batch: list[tuple[TrackedItem, list[Any]]], today: date,
                          at: datetime, actor: Actor, summary: Any) -> None:
        """Save escalated items in one transaction; on a conflict, retry each one alone."""
        if not batch:
            return
        try:
            self.save(*(item for item, _ in batch))
        except IntegrityError:
            # One stale item fails the whole batch and the batch's pending events are
            # spent: reload each item and try again on its own, skipping the losers.
            for stale, _ in batch:
                loaded = self._escalate_loaded(stale.id, today, at, actor)
                if loaded is None:
                    summary.conflicts += 1
                    continue
                try:
                    self.save(loaded[0])
                except IntegrityError:
                    summary.conflicts += 1
                    continue
                summary.escalations.extend(loaded[1])
            return
        for _, done in batch:
            summary.escalations.extend(done)


def _only(data: dict[str, Any], *names: str) -> dict[str, Any]:
    """Pick the named keys, missing ones as None (so the domain reports them required).

    Keys that are not among ``names`` are refused rather than silently dropped.
    """
    unknown = set(data) - set(names) - {"first_round"}
    if unknown:
        raise InvalidInput({name: [N_("Unknown field.")] for name in sorted(unknown)})
    picked = {name: data.get(name) for name in names}
    if picked.get("several_places") is None:
        picked.pop("several_places", None)
    return picked


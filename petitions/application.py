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

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.domain import Aggregate, CanMutateAggregate
from eventsourcing.persistence import IntegrityError, JSONTranscoder

from domain.actor import SYSTEM, Actor
from domain.calendar import CalendarDay, HolidayCalendar, WorkingCalendar, check_calendar_day
from domain.catalog import SECTIONS as CATALOG_SECTIONS
from domain.catalog import ReferenceCatalog
from domain.codes import CodeCounter, item_id_for_code, normalise_code
from domain.complaint import Complaint
from domain.deadline import DEFAULT_POLICY, DeadlinePolicy, PolicyVersion
from domain.errors import InvalidInput, N_, PermissionDenied
from domain.item import TrackedItem
from domain.item_types import REGISTRY, type_of
from domain.petition import VoterPetition
from domain.policy_register import PolicyRegister, check_version
from domain.reference import KnownCodes, entries_on, overlap, regular_sessions, successors
from domain.text import TEXT_MAX, FieldCheck
from petitions import permissions
from petitions.commitments import CommitmentCommands
from petitions.documents import DocumentsMixin, Rehearsed, rehearsing
from petitions.errors import ConflictError, ItemNotFound
from petitions.intake import IntakeCommands  # issue 17: spreadsheet intake
from petitions.item_data import event_to_dict, item_to_dict
from petitions.reference import shipped_lineage, shipped_reference
from petitions.settings import Settings
from petitions.transcodings import TRANSCODINGS
from petitions.working_days import shipped_calendar_days, vietnam_calendar
from projections.positions import AtPosition, item_version

T = TypeVar("T", bound=TrackedItem)
Clock = Callable[[], datetime]

CATALOG_TTL_SECONDS = 30.0
LOAD_ORDER = ("competence_levels", "fields", "units", "council_terms", "council_sessions",
              "deputy_groups", "agencies", "lineage")
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


class Tracker(CommitmentCommands, DocumentsMixin, IntakeCommands, Application):
    """Voter petitions, complaints and commitments: the use cases of DESIGN.md."""

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
        # The shipped policy and the holiday library are the base; the versions and days
        # admins recorded (and the official days shipped as data) are laid over them. An
        # explicit calendar (tests) is used as given.
        self._base_policy = policy
        self._base_calendar = calendar or vietnam_calendar()
        self._official_days = calendar is None
        self._dated: dict[type, tuple[Any, float]] = {}
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

    def save(self, *objs: Any, **kwargs: Any) -> list[Any]:
        """Store the pending events of ``objs`` in one transaction (the library's ``save``).

        The library's ``ProcessingEvent.collect_events`` asks ``isinstance`` of two runtime
        protocols for every object, and on Python 3.11 such a check walks every attribute of
        the protocol: about 40 µs an aggregate, 29 % of a spreadsheet import's batch. Our
        aggregates are ``Aggregate`` instances, which collect their own events, and our
        events are ``CanMutateAggregate`` instances; anything else (None, keyword
        arguments) goes the library's way. The steps after
        collecting are the library's own (record, snapshots, notify), as in 9.5.6's ``save``.
        """
        if kwargs or not all(isinstance(obj, (Aggregate, CanMutateAggregate)) for obj in objs):
            return super().save(*objs, **kwargs)
        processing: ProcessingEvent[Any] = ProcessingEvent()
        for obj in objs:
            if isinstance(obj, Aggregate):
                processing.events.extend(obj.collect_events())
                processing.aggregates[obj.id] = obj
            else:  # an event built on its own
                processing.events.append(obj)
        recordings = self._record(processing)
        self._take_snapshots(processing)
        self._notify(recordings)
        self.notify(processing.events)  # deprecated hook, called as the library calls it
        return recordings

    # -- time --------------------------------------------------------------------------------
    def now(self) -> datetime:
        """Return the application's current time (UTC)."""
        return self.clock()

    def today(self) -> date:
        """Return today's date in the council's time zone."""
        return self.now().astimezone(self.zone).date()

    # -- reference data --------------------------------------------------------------------
    def load_reference(self, actor: Actor = SYSTEM, name: str = "hanoi") -> int:
        """Record the shipped reference data and lineage; return how many entries changed.

        Loading the same files again changes nothing. A file with a bad entry is refused
        whole: nothing of it is stored.
        """
        permissions.require(actor, "reference")
        catalog = self._get_catalog(fresh=True, create=True)
        changed = 0
        sections = {**shipped_reference(name), "lineage": list(shipped_lineage())}
        # Entries are checked against those they refer to, so those are recorded first.
        order = [s for s in LOAD_ORDER if s in sections] + [s for s in sections
                                                             if s not in LOAD_ORDER]
        for section in order:
            seen: dict[str, dict[str, Any]] = {}
            entries = sections[section]
            for entry in sorted(entries, key=lambda e: bool(isinstance(e, dict)
                                                           and e.get("successors"))):
                code = entry.get("code") if isinstance(entry, dict) else None
                if isinstance(code, str) and code in seen:
                    raise InvalidInput({f"{section}.{code}": [overlap(seen[code], entry)]})
                if isinstance(code, str):
                    seen[code] = entry
                try:
                    changed += catalog.record(section, entry, actor=actor.username,
                                              role=actor.role.value, at=self.now())
                except InvalidInput as err:
                    # Name the entry, so a bad line in a file of hundreds can be found.
                    raise InvalidInput({f"{section}.{code}.{field}": msgs
                                        for field, msgs in err.errors.items()}) from None
        if changed:
            self._save(catalog)
        self._catalog = catalog
        return changed

    def record_reference(self, actor: Actor, section: str, entry: dict[str, Any],
                         reason: str = "Recorded as given") -> bool:
        """Add or change one reference entry as given (a file or an import)."""
        permissions.require_reference(actor, section)
        catalog = self._get_catalog(fresh=True, create=True)
        changed = catalog.record(section, entry, actor=actor.username, role=actor.role.value,
                                 at=self.now(), reason=reason)
        if changed:
            self._save(catalog)
        self._catalog = catalog
        return changed

    def add_reference(self, actor: Actor, section: str, entry: dict[str, Any], *,
                      reason: str) -> dict[str, Any]:
        """Add a new reference entry (its code is new); return it as recorded."""
        permissions.require_reference(actor, section)
        catalog = self._get_catalog(fresh=True)
        entry = self._dated_defaults(catalog, section, entry)
        catalog.add(section, entry, by=actor, at=self.now(), reason=reason)
        self._save(catalog)
        self._catalog = catalog
        return catalog.section(section)[entry["code"]]

    def change_reference(self, actor: Actor, section: str, code: str,
                         changes: dict[str, Any], *, reason: str) -> bool:
        """Change fields of a reference entry; False when nothing differed."""
        permissions.require_reference(actor, section)
        catalog = self._get_catalog(fresh=True)
        changed = catalog.change(section, code, changes, by=actor, at=self.now(), reason=reason)
        if changed:
            self._save(catalog)
        self._catalog = catalog
        return changed

    def end_reference(self, actor: Actor, section: str, code: str, valid_to: date, *,
                      reason: str) -> None:
        """End a reference entry on ``valid_to`` (its last valid day)."""
        permissions.require_reference(actor, section)
        catalog = self._get_catalog(fresh=True)
        catalog.end(section, code, valid_to, by=actor, at=self.now(), reason=reason)
        self._save(catalog)
        self._catalog = catalog

    @staticmethod
    def _dated_defaults(catalog: ReferenceCatalog, section: str,
                        entry: dict[str, Any]) -> dict[str, Any]:
        # A session is a valid choice for petitions during its whole term.
        if section != "council_sessions" or not isinstance(entry, dict):
            return entry
        term = catalog.section("council_terms").get(entry.get("term") or "")
        if term is None:
            return entry
        return {"valid_from": term.get("valid_from"), "valid_to": term.get("valid_to"), **entry}

    def reference(self) -> dict[str, dict[str, dict[str, Any]]]:
        """Return every reference entry by section and code (of every era)."""
        return self._get_catalog().entries

    def reference_on(self, section: str, day: date | None = None) -> dict[str, dict[str, Any]]:
        """Return the entries of ``section`` valid on ``day`` (default today)."""
        if section not in CATALOG_SECTIONS:
            raise InvalidInput({"section": [N_("Unknown value.")]})
        return entries_on(self._get_catalog().section(section), day or self.today())

    def successors_of(self, section: str, code: str) -> list[str]:
        """Return the codes that took over ``code`` (units by lineage, agencies as recorded)."""
        return successors(self.reference(), section, code)

    def reference_history(self, section: str | None = None,
                          code: str | None = None) -> list[dict[str, Any]]:
        """Return every recorded change of reference data, oldest first: who, when, why, what."""
        try:
            events = self.events.get(ReferenceCatalog.create_id())
        except AggregateNotFoundError:  # pragma: no cover - the library returns empty
            return []
        changes = []
        for e in events:
            entry = getattr(e, "entry", None)
            if entry is None:
                continue  # the catalog's start
            if (section and e.section != section) or (code and entry.get("code") != code):
                continue
            changes.append({
                "event": type(e).__name__, "section": e.section, "code": entry.get("code"),
                "actor": e.actor, "role": getattr(e, "role", ""), "at": e.at,
                "reason": getattr(e, "reason", ""), "entry": entry,
                "previous": getattr(e, "previous", None),
            })
        return changes

    def check_scope(self, on: date | None = None, **codes: str | None) -> list[Any]:
        """Return the problems of scope codes on ``on`` (default today); empty when all valid.

        ``petitions.reference.scope.ScopeProblem`` items: the field, why, and the successors.
        """
        from petitions.reference.scope import check_scope

        return check_scope(self.reference(), on or self.today(), **codes)

    def known_codes(self, on: date | None = None) -> KnownCodes:
        """Return the codes commands may refer to on ``on`` (default today)."""
        return KnownCodes.on(self._get_catalog().entries, on or self.today())

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

    # -- the official calendar and the dated policy ----------------------------------------
    @property
    def calendar(self) -> WorkingCalendar:
        """Return the working-day calendar: the library with the official days over it."""
        if not self._official_days:
            return self._base_calendar
        return self._base_calendar.with_official(self.calendar_days())

    @calendar.setter
    def calendar(self, value: WorkingCalendar) -> None:
        self._base_calendar, self._official_days = value, False

    @property
    def policy(self) -> DeadlinePolicy:
        """Return the deadline policy: the shipped versions and those admins added."""
        register = self._dated_aggregate(PolicyRegister)
        return self._base_policy if register is None else register.apply_to(self._base_policy)

    @policy.setter
    def policy(self, value: DeadlinePolicy) -> None:
        self._base_policy = value

    def _dated_aggregate(self, cls: type, fresh: bool = False) -> Any:
        """Return the single calendar or policy register (None before the first entry)."""
        cached = self._dated.get(cls)
        if cached is None or fresh or time.monotonic() - cached[1] > CATALOG_TTL_SECONDS:
            try:
                found = self.repository.get(cls.create_id())
            except AggregateNotFoundError:
                found = None
            cached = self._dated[cls] = (found, time.monotonic())
        return cached[0]

    def calendar_days(self) -> list[CalendarDay]:
        """Return the official days in force: the recorded calendar, else the shipped file."""
        stored = self._dated_aggregate(HolidayCalendar)
        return list(shipped_calendar_days()) if stored is None else stored.entries()

    def calendar_history(self) -> list[dict[str, Any]]:
        """Return every recorded version of an official day, newest first, with its actor."""
        stored = self._dated_aggregate(HolidayCalendar)
        return [] if stored is None else list(reversed(stored.history))

    def _holiday_calendar(self) -> tuple[HolidayCalendar, int]:
        """Load the calendar for a change (seeded from the shipped file when new)."""
        stored = self._dated_aggregate(HolidayCalendar, fresh=True)
        if stored is not None:
            return stored, 0
        stored = HolidayCalendar()
        seeded = sum(stored.record(day, actor=SYSTEM.username, at=self.now())
                     for day in shipped_calendar_days())
        return stored, seeded

    def load_calendar(self, actor: Actor = SYSTEM) -> int:
        """Record the shipped official days in the store; return how many days changed.

        Loading the file again changes nothing; days an admin changed since are kept.
        """
        permissions.require(actor, "reference")
        stored, seeded = self._holiday_calendar()
        if seeded:
            self._save(stored)
            self._dated[HolidayCalendar] = (stored, time.monotonic())
        return seeded

    def record_calendar_day(self, actor: Actor, data: dict[str, Any]) -> list[dict[str, Any]]:
        """Record an announced day off or working day (admin) and move the deadlines it moves.

        Returns the recomputations recorded (code, old date, new date), one per open item
        whose due date changed.
        """
        permissions.require(actor, "reference")
        entry = check_calendar_day(data)
        stored, _ = self._holiday_calendar()
        if not stored.record(entry, actor=actor.username, at=self.now()):
            return []
        self._save(stored)
        self._dated[HolidayCalendar] = (stored, time.monotonic())
        # The reason is stored in the words of the calendar's own data (Vietnamese).
        kind = "ngày nghỉ" if entry.kind == "day_off" else "ngày làm việc"
        reason = (f"Lịch nghỉ chính thức: {entry.day:%d/%m/%Y} là {kind} — {entry.name} "
                  f"({entry.document})")
        # A day can move due dates that fall after it (working days counted across it, or a
        # last day rolled over it); earlier ones cannot move.
        return self.recompute_deadlines(actor, reason=reason, due_from=entry.day)

    def policy_versions(self) -> list[PolicyVersion]:
        """Return the policy versions, oldest first."""
        return sorted(self.policy.versions, key=lambda v: v.effective_from)

    def policy_history(self) -> list[dict[str, Any]]:
        """Return the versions admins added, newest first, with who added them."""
        register = self._dated_aggregate(PolicyRegister)
        return [] if register is None else list(reversed(register.history))

    def add_policy_version(self, actor: Actor, data: dict[str, Any]) -> list[dict[str, Any]]:
        """Add a dated policy version (admin) and move the deadlines it changes."""
        permissions.require(actor, "reference")
        register = self._dated_aggregate(PolicyRegister, fresh=True) or PolicyRegister()
        version = check_version(data, register.apply_to(self._base_policy))
        register.add(version, actor=actor.username, at=self.now())
        self._save(register)
        self._dated[PolicyRegister] = (register, time.monotonic())
        reason = (f"Chính sách thời hạn: phiên bản {version.code} — {version.name}, "
                  f"hiệu lực từ {version.effective_from:%d/%m/%Y}")
        return self.recompute_deadlines(actor, reason=reason, due_from=version.effective_from)

    def deadline_for(self, kind: str, start: date, *, complex_case: bool = False,
                     remote: bool = False, rule: str | None = None) -> dict[str, Any]:
        """Compute a due date as the counter asks (kind, start date) and explain it."""
        from petitions.deadline_explanation import explain, rule_for

        if not isinstance(start, date) or isinstance(start, datetime):
            raise InvalidInput({"from": [N_("Must be a date.")]})
        policy, calendar = self.policy, self.calendar
        key = rule_for(policy, kind, complex_case=complex_case, remote=remote, rule=rule)
        if key == "petition_answer" and rule is None:  # as an assignment computes it
            deadline = policy.petition_answer(start, regular_sessions(self.reference()), calendar)
            return explain(deadline, policy, calendar)
        return explain(policy.compute(key, start, calendar), policy, calendar)

    def explain_deadline(self, deadline: dict[str, Any] | None) -> dict[str, Any] | None:
        """Explain an item's stored deadline (None when it has none)."""
        from petitions.deadline_explanation import explain

        return None if not deadline else explain(deadline, self.policy, self.calendar)

    def recompute_deadlines(self, actor: Actor, *, reason: str,
                            due_from: date) -> list[dict[str, Any]]:
        """Compute again the deadlines of open items due on or after ``due_from``.

        Each item whose due date moves gets a ``DeadlineRecomputed`` event (old date, new
        date, why); closed items and dates a person chose stay. Running it again finds
        nothing to move, so each item moves once per change.
        """
        from projections.items import open_due_from

        permissions.require(actor, "reference")
        policy, calendar = self.policy, self.calendar
        moved: list[dict[str, Any]] = []
        after = ""
        while True:
            with self._escalation_views().connect() as conn:
                ids = open_due_from(conn, due_from, self.ESCALATION_PAGE, after)
            for item_id in ids:
                moved.extend(self._recompute_one(item_id, policy, calendar, reason, actor))
            if len(ids) < self.ESCALATION_PAGE:
                break
            after = str(ids[-1])
        return moved

    def recompute_item(self, actor: Actor, ref: Any, *, reason: str) -> list[dict[str, Any]]:
        """Compute one item's deadline again (as ``recompute_deadlines`` does for many)."""
        permissions.require(actor, "reference")
        item = self._load(ref, TrackedItem)
        return self._recompute_one(item.id, self.policy, self.calendar, reason, actor)

    def _recompute_one(self, item_id: UUID, policy: DeadlinePolicy, calendar: WorkingCalendar,
                       reason: str, actor: Actor) -> list[dict[str, Any]]:
        for _ in range(5):
            try:
                item = self.repository.get(item_id)
            except AggregateNotFoundError:
                return []  # a view row without events (a test fixture): nothing to do
            if not isinstance(item, TrackedItem):
                return []
            before = item.due_date
            if not item.recompute_deadline(policy=policy, calendar=calendar, reason=reason,
                                           by=actor, at=self.now()):
                return []
            try:
                self.save(item)
            except IntegrityError:
                continue  # changed meanwhile: load it again and recompute
            return [{"code": item.code, "previous_due_date": before,
                     "new_due_date": item.due_date}]
        return []

    # -- creating items ----------------------------------------------------------------------
    def log_petition(self, actor: Actor, **data: Any) -> Receipt:
        """Log a voter petition raised at a voter meeting; return its receipt with its code."""
        permissions.require(actor, "log", item_class=VoterPetition)
        self._require_own_district(actor, data.get("district"))
        # Units, groups and sessions are judged on the day of the voter meeting.
        known = self.known_codes(on=_day(data.get("meeting_date")))

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
        known = self.known_codes(on=_day(data.get("received_on")))  # judged on receipt
        first: Complaint | None = None
        if data.get("first_round"):
            first = self._load(data["first_round"], Complaint)

        def build(code: str) -> Complaint:
            return Complaint.receive(
                code=code, known=known, policy=self.policy, calendar=self.calendar,
                today=self.today(), by=actor, at=self.now(), first_round=first,
                **_only(data, "kind", "channel", "title", "content", "subject", "petitioner",
                        "anonymous", "district", "field", "received_on", "several_places",
                        "learned_on", "lawful_excuse"),
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
        levels = known.competence_levels
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
        sessions = regular_sessions(self.reference())
        return self._update(actor, "assign", ref, VoterPetition, expected_version,
                            lambda p: p.assign(agency=agency, due_date=due_date, note=note,
                                               known=known, policy=self.policy,
                                               calendar=self.calendar, today=self.today(),
                                               by=actor, at=self.now(),
                                               cooperating=cooperating,
                                               leader_name=leader_name,
                                               leader_position=leader_position,
                                               sessions=sessions))

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

    def set_categories(self, actor: Actor, ref: Any, *, categories: list[str],
                       expected_version: int | None = None) -> Receipt:
        """Tag an item with the office's categories (the obstacle …) for the stock reports."""
        return self._update(actor, "categorise", ref, TrackedItem, expected_version,
                            lambda i: i.set_categories(categories, by=actor, at=self.now()))

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
                        decision_no: str = "", decision_date: date | None = None,
                        expected_version: int | None = None) -> Receipt:
        """Extend an item's deadline with a reason and its decision, within what the rules allow."""
        decision = {"decision_no": decision_no, "decision_date": decision_date,
                    "today": self.today()}

        def extend(item: TrackedItem) -> None:
            if isinstance(item, Complaint):
                item.extend_resolution(new_due_date, reason, policy=self.policy, by=actor,
                                       at=self.now(), **decision)
            else:
                item.extend_deadline(new_due_date, reason, by=actor, at=self.now(), **decision)
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
                         acceptance_no: str | None = None, accepted_on: date | None = None,
                         expected_version: int | None = None) -> Receipt:
        """Record the competent body's acceptance (decision number, date); the clock starts."""
        known = self.known_codes()
        return self._update(actor, "accept", ref, Complaint, expected_version,
                            lambda c: c.accept(agency=agency, complexity=complexity,
                                               remote_area=remote_area, known=known,
                                               acceptance_no=acceptance_no,
                                               accepted_on=accepted_on,
                                               policy=self.policy, calendar=self.calendar,
                                               today=self.today(), by=actor, at=self.now()))

    def forward_complaint(self, actor: Actor, ref: Any, *, to_body: str, reason: str,
                          expected_version: int | None = None) -> Receipt:
        """Forward a đơn to the competent body; it is followed until the result notice."""
        return self._update(actor, "forward", ref, Complaint, expected_version,
                            lambda c: c.forward(to_body=to_body, reason=reason,
                                                policy=self.policy, calendar=self.calendar,
                                                today=self.today(), by=actor, at=self.now()))

    def record_result_notice(self, actor: Actor, ref: Any, *, notice_no: str,
                             notice_date: date, summary: str,
                             expected_version: int | None = None) -> Receipt:
        """Record the competent body's result notice on a forwarded đơn (ends the follow-up)."""
        return self._update(actor, "record_result", ref, Complaint, expected_version,
                            lambda c: c.record_result_notice(
                                notice_no=notice_no, notice_date=notice_date, summary=summary,
                                today=self.today(), by=actor, at=self.now()))

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
    def get_item(self, actor: Actor, ref: Any, *, as_of: date | None = None) -> dict[str, Any]:
        """Return an item as plain data, personal data only for those who handle it.

        With ``as_of``, the item as it stood at the end of that day (Hanoi time), replayed
        from its events up to then (``ItemNotFound`` if it did not exist yet); who may see
        it is decided on today's item, as for the current state.
        """
        item = self._load_visible(actor, ref)
        show_personal = permissions.handles(actor, item.district, item.agency, item.kind)
        today = self.today()
        if as_of is not None and (as_of < today or isinstance(as_of, AtPosition)):
            item = self._replayed(item, as_of)
            today = as_of
        data = item_to_dict(item, personal=show_personal, today=today)
        data["deadline_explained"] = self.explain_deadline(item.deadline)
        data["as_of"] = today
        if isinstance(today, AtPosition):
            data["as_of_position"] = today.n  # just after this event of the log
        return data

    def history(self, actor: Actor, ref: Any, *,
                as_of: date | None = None) -> list[dict[str, Any]]:
        """Return the item's events, oldest first, as plain data (the audit log); with
        ``as_of``, those recorded by the end of that day."""
        item = self._load_visible(actor, ref)
        show_personal = permissions.handles(actor, item.district, item.agency, item.kind)
        if isinstance(as_of, AtPosition):
            last = self._version_at(item, as_of)
            return [event_to_dict(e, personal=show_personal) for e in self.events.get(item.id)
                    if e.originator_version <= last]
        shown = []
        for e in self.events.get(item.id):
            # Up to the first event after the day, as the state replayed for that day: an
            # event recorded with a later business time holds back those after it.
            if as_of is not None and self._local_date(self._event_at(e)) > as_of:
                break
            shown.append(event_to_dict(e, personal=show_personal))
        return shown

    def _version_at(self, item: TrackedItem, moment: AtPosition) -> int:
        """Return the item's version just after the event at ``moment.n`` (prepared by
        ``Runtime.at_position``); ``ItemNotFound`` if it was created after it."""
        with self._escalation_views().connect() as conn:
            version = item_version(conn, moment, str(item.id))
        if version is None:
            raise ItemNotFound(ref=item.code)
        return item.version if version is True else version

    def _replayed(self, item: TrackedItem, as_of: date) -> TrackedItem:
        """Return ``item`` as its events had made it by the end of ``as_of`` (or just after
        the event at a position)."""
        if isinstance(as_of, AtPosition):
            version_at = self._version_at(item, as_of)
            return item if version_at == item.version else self.repository.get(
                item.id, version=version_at)
        version = None
        for e in self.events.get(item.id):
            if self._local_date(self._event_at(e)) > as_of:
                break
            version = e.originator_version
        if version is None:
            raise ItemNotFound(ref=item.code)
        return self.repository.get(item.id, version=version)

    @staticmethod
    def _event_at(event: Any) -> datetime:
        # The business time the event carries (the clock of the command), else when stored.
        return getattr(event, "at", None) or event.timestamp

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
        if rehearsing():
            raise Rehearsed
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

        def record(item: TrackedItem) -> bool:
            due = due_date or item.escalated_due or item.due_date
            return due is not None and item.record_notification(
                level, due, recipients, by=actor, at=now or self.now())
        return self._record_on_item(ref, record)

    def _record_on_item(self, ref: Any, record: Callable[[TrackedItem], bool]
                        ) -> Receipt | None:
        """Record a delivery on the item, reloading when someone changed it meanwhile."""
        for _ in range(5):
            item = self._load(ref, TrackedItem)
            if not record(item):
                return None
            try:
                return self._save_receipt(item)
            except ConflictError:
                continue  # someone else changed the item meanwhile: reload, record again
        raise ConflictError(code=str(ref))

    def record_notices_sent(self, ref: Any, source: int, kind: str, recipients: list[str], *,
                            actor: Actor = SYSTEM) -> Receipt | None:
        """Record on the item that the notice of change ``source`` was emailed to
        ``recipients`` (user names); None when already recorded (issue 18)."""
        permissions.require(actor, "escalate")
        return self._record_on_item(ref, lambda item: item.record_notices(
            source, kind, recipients, by=actor, at=self.now()))

    def publish_answer(self, actor: Actor, ref: Any, *, text: str,
                       expected_version: int | None = None) -> Receipt:
        """Publish the answer text shown on the public lookup page (the secretariat)."""
        return self._update(actor, "publish_answer", ref, TrackedItem, expected_version,
                            lambda i: i.publish_answer(text, by=actor, at=self.now()))

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

    # ======================================================================================
    # Handing over the open items of abolished units (issue 12). The item keeps its unit
    # of origin; each hand-over is an event on it. Imports are local, as above.
    # ======================================================================================
    HANDOVER_SAVE_BATCH = 50

    def hand_over(self, actor: Actor, ref: Any, *, to_unit: str, reason: str,
                  expected_version: int | None = None) -> Receipt:
        """Hand one open item of an abolished unit to ``to_unit`` (a unit in force today)."""
        units = self.reference()["units"]
        today = self.today()
        return self._update(actor, "hand_over", ref, TrackedItem, expected_version,
                            lambda i: i.hand_over(to_unit, reason, units=units, today=today,
                                                  by=actor, at=self.now()))

    def plan_hand_over(self, actor: Actor, from_unit: str = "", *, to_unit: str = "",
                       by_lineage: bool = False, lineage: Any = None) -> Any:
        """Return what a bulk hand-over would move, without storing anything.

        Either every open item of ``from_unit`` goes to ``to_unit``, or (``by_lineage``)
        every open item of ``from_unit`` — or of every abolished unit, when it is blank —
        goes to that unit's lineage main successor. Refuses (``HandoverError``, naming the
        field) an unknown or still valid unit to hand over from, and a successor that is
        unknown or not in force today. Returns a ``petitions.handover.HandoverPlan``.
        """
        from domain.handover import HandoverError, check_hand_over
        from domain.reference import valid_on
        from petitions.handover import HandoverPlan, Move, open_items_of, units_with_open_items
        from petitions.lineage import lineage_of

        permissions.require(actor, "hand_over", item_class=TrackedItem)
        units = self.reference()["units"]
        today = self.today()
        plan = HandoverPlan(today=today, by_lineage=by_lineage)
        if from_unit and from_unit not in units:
            raise HandoverError(N_("Unknown unit {unit}."), unit=from_unit, field="from_unit")
        if not by_lineage and not from_unit:
            raise HandoverError(N_("Choose the unit to hand over from."), field="from_unit")
        if not by_lineage and not to_unit:
            raise HandoverError(N_("Choose the unit to hand over to."), field="to_unit")
        with self._escalation_views().connect() as conn:  # the attached items view
            if from_unit:
                sources = [from_unit]
            else:
                sources = sorted(u for u in units_with_open_items(conn)
                                 if u in units and not valid_on(units[u], today))
            targets: dict[str, str] = {}
            if lineage is None and by_lineage:
                lineage = lineage_of(self.reference())
            for source in sources:
                target = to_unit
                if by_lineage:
                    edge = lineage.main_successor(source) if lineage else None
                    target = edge.new_code if edge else ""
                if target:
                    # Refuses a source still in force and a target not in force today.
                    check_hand_over(source, target, units, today)
                    targets[source] = target
                elif from_unit:
                    raise HandoverError(N_("The lineage names no successor of {unit}."),
                                        unit=units[source].get("name", source),
                                        field="from_unit")
            for row in open_items_of(conn, sources):
                target = targets.get(row["district"])
                if target is None:
                    plan.unresolved[row["district"]] = plan.unresolved.get(row["district"], 0) + 1
                    continue
                plan.moves.append(Move(row["id"], row["code"], row["kind"], row["title"],
                                       row["status"], row["district"], target))
        return plan

    def hand_over_bulk(self, actor: Actor, from_unit: str = "", *, to_unit: str = "",
                       by_lineage: bool = False, reason: str, lineage: Any = None) -> Any:
        """Hand over every open item the plan lists; return the plan with what moved.

        Each item is loaded and handed over by the aggregate: an item closed or moved since
        the plan was read is skipped, so running the same hand-over again moves nothing.
        """
        from petitions.handover import Move

        plan = self.plan_hand_over(actor, from_unit, to_unit=to_unit, by_lineage=by_lineage,
                                   lineage=lineage)
        check = FieldCheck()
        reason = check.text("reason", reason, max_length=TEXT_MAX)
        check.raise_if_any()
        units = self.reference()["units"]
        moved: list[Move] = []
        batch: list[tuple[TrackedItem, Move]] = []
        for move in plan.moves:
            item = self._handed_over(move, reason, units, plan.today, actor)
            if item is None:
                plan.skipped += 1
                continue
            batch.append((item, move))
            if len(batch) >= self.HANDOVER_SAVE_BATCH:
                moved += self._save_hand_overs(batch, reason, units, plan, actor)
                batch = []
        moved += self._save_hand_overs(batch, reason, units, plan, actor)
        plan.moves, plan.done = moved, True
        return plan

    def _handed_over(self, move: Any, reason: str, units: Any, today: date,
                     actor: Actor) -> TrackedItem | None:
        """Load the planned item and hand it over; None if it is no longer to be moved."""
        try:
            item = self._load(move.item_id, TrackedItem)
        except ItemNotFound:
            return None
        if not item.is_open or item.district != move.from_unit:
            return None
        item.hand_over(move.to_unit, reason, units=units, today=today, by=actor,
                       at=self.now())
        return item

    def _save_hand_overs(self, batch: list[tuple[TrackedItem, Any]], reason: str, units: Any,
                         plan: Any, actor: Actor) -> list[Any]:
        """Save a batch in one transaction; on a conflict, reload and retry each alone."""
        if not batch:
            return []
        try:
            self.save(*(item for item, _ in batch))
            return [move for _, move in batch]
        except IntegrityError:
            pass
        saved = []
        for _, move in batch:
            item = self._handed_over(move, reason, units, plan.today, actor)
            if item is None:
                plan.skipped += 1
                continue
            try:
                self.save(item)
            except IntegrityError:
                plan.conflicts += 1
                continue
            saved.append(move)
        return saved


def _day(value: Any) -> date | None:
    """Return ``value`` when it is a date (the domain reports anything else), else None."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    return None


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


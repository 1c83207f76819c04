"""Demo data: a few thousand petitions and complaints, lived through in simulated time.

Every item follows a *story* (a generator) that calls the application's commands, so
every event is made by the domain aggregates exactly as in real use. Stories of all items
run interleaved in date order on a clock that moves from October 2024 to "now": dates in
the history look real, codes are allocated in order of receipt, and an escalation check
runs for every item whenever its next ladder step falls due (as the scheduler would).

A marker aggregate (``DemoRun``) records that the demo was loaded, so a second run adds
nothing.
"""
from __future__ import annotations

import heapq
import random
import re
from collections import Counter
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import IntegrityError

from domain.actor import Actor, Role
from domain.errors import DomainError
from petitions import demo_corpus as corpus
from petitions.application import Receipt, Tracker

START = datetime(2024, 10, 1, 1, 0, tzinfo=timezone.utc)
# Voter meetings before each council session (kỳ họp) whose petitions the demo logs.
SESSION_MEETINGS = {
    "XVI-19": (date(2024, 10, 14), date(2024, 11, 22)),
    "XVI-20": (date(2025, 5, 12), date(2025, 6, 20)),
}
PETITION_SHARE = 0.6

SECRETARIAT = (Actor("thu.ky.lan", Role.SECRETARIAT), Actor("thu.ky.hung", Role.SECRETARIAT),
               Actor("thu.ky.mai", Role.SECRETARIAT))

# Agencies that answer for each field; "@district" is the district's People's Committee.
FIELD_AGENCIES: dict[str, tuple[str, ...]] = {
    "land": ("so-tai-nguyen-va-moi-truong", "@district", "@district"),
    "construction_urban_order": ("so-xay-dung", "so-quy-hoach-kien-truc", "@district"),
    "transport": ("so-giao-thong-van-tai", "so-giao-thong-van-tai", "bqlda-giao-thong"),
    "environment": ("so-tai-nguyen-va-moi-truong", "urenco-ha-noi", "@district"),
    "water_drainage": ("cong-ty-thoat-nuoc-ha-noi", "cong-ty-nuoc-sach-ha-noi", "so-xay-dung"),
    "health": ("so-y-te",),
    "education": ("so-giao-duc-va-dao-tao", "@district"),
    "social_policy": ("so-lao-dong-thuong-binh-va-xa-hoi", "@district"),
    "security_order": ("cong-an-thanh-pho", "@district"),
    "other": ("so-cong-thuong", "so-nong-nghiep-va-phat-trien-nong-thon",
              "so-van-hoa-va-the-thao", "@district"),
}
# The field of a complaint, from words of its text (first match wins).
FIELD_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("water_drainage", ("ngập", "mất nước")),
    ("environment", ("rác", "tiếng ồn", "khói bụi")),
    ("transport", ("đèn tín hiệu", "gờ giảm tốc")),
    ("education", ("học sinh",)),
    ("social_policy", ("hộ nghèo", "trợ cấp", "người có công", "khuyết tật")),
    ("other", ("kỷ luật", "nhũng nhiễu", "kinh phí")),
    ("construction_urban_order", ("xây dựng", "vỉa hè", "tháo dỡ")),
    ("land", ("đất", "bồi thường", "tái định cư", "giải phóng mặt bằng")),
)
# The corpus's wards and communes by district, so an item's place lies in its district;
# districts without one here fall back to the district's own name.
PLACE_DISTRICTS = {
    "ba-dinh": ("phường Phúc Xá", "phường Kim Mã", "phường Ngọc Hà", "phường Cống Vị"),
    "hoan-kiem": ("phường Hàng Bạc", "phường Tràng Tiền"),
    "tay-ho": ("phường Quảng An", "phường Thụy Khuê"),
    "long-bien": ("phường Bồ Đề", "phường Ngọc Thụy"),
    "cau-giay": ("phường Dịch Vọng", "phường Nghĩa Đô", "phường Mai Dịch"),
    "dong-da": ("phường Văn Miếu", "phường Láng Thượng", "phường Kim Liên", "phường Trung Tự"),
    "hai-ba-trung": ("phường Bạch Mai", "phường Vĩnh Tuy"),
    "hoang-mai": ("phường Tương Mai", "phường Định Công", "phường Hoàng Liệt"),
    "thanh-xuan": ("phường Khương Trung", "phường Nhân Chính"),
    "nam-tu-liem": ("phường Mễ Trì", "phường Tây Mỗ"),
    "bac-tu-liem": ("phường Xuân Đỉnh", "phường Phú Diễn"),
    "ha-dong": ("phường Văn Quán", "phường Mộ Lao", "phường Yên Nghĩa"),
    "son-tay": ("phường Trung Hưng",),
    "dong-anh": ("xã Tiên Dương", "xã Uy Nỗ", "xã Kim Chung"),
    "gia-lam": ("xã Bát Tràng", "xã Đa Tốn"),
    "thanh-tri": ("xã Tả Thanh Oai",),
    "me-linh": ("xã Tiền Phong",),
    "ba-vi": ("xã Tản Lĩnh",),
    "hoai-duc": ("xã Vân Canh",),
    "quoc-oai": ("xã Sài Sơn",),
    "thach-that": ("xã Bình Yên",),
    "thuong-tin": ("xã Vạn Điểm",),
    "my-duc": ("xã Hương Sơn",),
    "soc-son": ("xã Phù Linh",),
    "dan-phuong": ("xã Liên Trung",),
    "ung-hoa": ("thị trấn Vân Đình",),
}
UNIT_KIND_NAMES = {"quan": "quận", "huyen": "huyện", "thi_xa": "thị xã"}
REMOTE_UNITS = {"ba-vi", "my-duc", "soc-son", "ung-hoa", "phu-xuyen", "thach-that",
                "quoc-oai", "chuong-my"}

# How each item's story ends, with weights; every fate appears at least once when the
# demo has room for all of them.
PETITION_FATES: dict[str, int] = {
    "logged": 2, "classified": 3, "assigned": 6, "overdue": 5, "answered": 4,
    "resolved": 22, "explained": 12, "being_resolved": 10, "roadmap_done": 5,
    "not_resolved": 4, "reassigned": 3, "returned": 6, "parked": 2, "parked_resumed": 2,
    "merged": 6, "withdrawn": 3, "closed": 2,
}
COMPLAINT_FATES: dict[str, int] = {
    "received": 3, "accepted": 6, "decided": 20, "second_round": 5,
    "denunciation_extended": 4, "denunciation_decided": 6, "reflection_decided": 12,
    "forwarded": 12, "guided": 8, "filed": 5, "anonymous_filed": 4, "withdrawn": 3,
    "parked": 2,
}
FATE_KINDS = {
    "denunciation_extended": "denunciation", "denunciation_decided": "denunciation",
    "anonymous_filed": "denunciation", "reflection_decided": "reflection",
    "decided": "complaint", "second_round": "complaint",
}
LONG_RUNNING = {"resolved", "explained", "being_resolved", "roadmap_done", "not_resolved",
                "reassigned", "returned", "assigned", "overdue"}


class DemoRun(Aggregate):
    """Marks that demo data was loaded into this store (one per store)."""

    @staticmethod
    def create_id() -> UUID:
        """Return the fixed id of the store's demo marker."""
        return uuid5(NAMESPACE_URL, "petitions:demo-run")

    @event("DemoStarted")
    def __init__(self, seed: int, items: int, at: datetime) -> None:
        self.seed = seed
        self.items = items
        self.started_at = at
        self.finished_at: datetime | None = None
        self.counts: dict[str, int] = {}

    @event("DemoFinished")
    def finish(self, counts: dict[str, int], at: datetime) -> None:
        """Record that every story ran, with the resulting counts by status."""
        self.finished_at = at
        self.counts = counts


class SimulatedClock:
    """The clock the demo moves through time; the tracker reads it."""

    def __init__(self, now: datetime = START) -> None:
        self.current = now

    def __call__(self) -> datetime:
        return self.current

    def set(self, now: datetime) -> None:
        """Move the clock to ``now``."""
        self.current = now


@dataclass
class DemoResult:
    """What a demo run did."""

    created: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    by_kind: Counter[str] = field(default_factory=Counter)
    escalated: int = 0
    second_rounds: int = 0
    anonymous_filed: int = 0
    failures: list[str] = field(default_factory=list)
    already_loaded: bool = False
    marker: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Plan:
    """One item to create: where it comes from and how its story ends."""

    kind: str                      # "petition" or "complaint"
    fate: str
    district: str
    start: date
    session: str = ""
    field_code: str = ""
    survivor: _Plan | None = None  # for merged petitions
    code: str | None = None
    title: str = ""
    content: str = ""
    second_codes: list[str] = field(default_factory=list)


Story = Generator[datetime, None, None]


def demo_marker(tracker: Tracker) -> DemoRun | None:
    """Return the store's demo marker, or None when no demo was loaded."""
    try:
        return tracker.repository.get(DemoRun.create_id())
    except AggregateNotFoundError:
        return None


def load_demo(
    tracker: Tracker, clock: SimulatedClock, *, items: int = 3000, seed: int = 2024,
    end: datetime | None = None, progress: Callable[[int, str], None] | None = None,
) -> DemoResult:
    """Load ``items`` demo petitions and complaints, unless a demo was loaded already.

    ``clock`` must be the tracker's clock; it is moved from October 2024 to ``end``
    (default: the real now). ``progress(days, label)`` is called as simulated days pass.
    """
    end = end or datetime.now(timezone.utc)
    marker = demo_marker(tracker)
    if marker is not None:
        return DemoResult(already_loaded=True, marker={
            "seed": marker.seed, "items": marker.items, "started_at": marker.started_at,
            "finished_at": marker.finished_at, "counts": dict(marker.counts)})
    clock.set(START)
    try:
        # The marker keeps real times: when the demo was loaded, not the demo's dates.
        tracker.save(DemoRun(seed=seed, items=items, at=datetime.now(timezone.utc)))
    except IntegrityError:  # another run started at the same moment
        return load_demo(tracker, clock, items=items, seed=seed, end=end, progress=progress)
    sim = _Simulation(tracker, clock, random.Random(seed), end, progress)
    plans = sim.plan(items)
    for plan in plans:
        story = _petition_story(sim, plan) if plan.kind == "petition" else _complaint_story(
            sim, plan)
        sim.start(sim.office_time(plan.start), story)
    sim.run()
    result = sim.summarise(plans)
    clock.set(max(end, clock()))
    finished = demo_marker(tracker)
    assert finished is not None  # saved above
    finished.finish(counts=dict(result.by_status), at=datetime.now(timezone.utc))
    tracker.save(finished)
    return result


class _Simulation:
    """Runs stories in date order and checks escalations like the scheduler would."""

    def __init__(self, tracker: Tracker, clock: SimulatedClock, rng: random.Random,
                 end: datetime, progress: Callable[[int, str], None] | None) -> None:
        self.app = tracker
        self.clock = clock
        self.rng = rng
        self.end = end
        self.progress = progress
        self.queue: list[tuple[datetime, int, Iterator[datetime] | _EscalationCheck]] = []
        self.seq = 0
        self.generation: Counter[str] = Counter()
        self.failures: list[str] = []
        self.day = START.date()
        reference = tracker.reference()
        self.units = sorted(reference["units"])
        self.agency_names = {code: e["name"] for code, e in reference["agencies"].items()}
        self.groups = {unit: code for code, e in reference["deputy_groups"].items()
                       for unit in e.get("units", [])}
        self.district_staff = {u: Actor(f"can.bo.{u}", Role.DISTRICT_STAFF, district=u)
                               for u in self.units}
        self.unit_labels = {
            code: f"{UNIT_KIND_NAMES.get(e.get('kind', ''), '')} {e['name']}".strip()
            for code, e in reference["units"].items()}
        self.meeting_places = {
            unit: [m for m in corpus.MEETING_PLACES if self.unit_labels[unit] in m or any(
                place.split(" ", 1)[1] in m for place in PLACE_DISTRICTS.get(unit, ()))]
            for unit in self.units}

    # -- planning --------------------------------------------------------------------------
    def plan(self, items: int) -> list[_Plan]:
        """Decide every item's origin and fate (deterministic for a seed)."""
        rng = self.rng
        n_petitions = round(items * PETITION_SHARE)
        petition_fates = self._fates(PETITION_FATES, n_petitions)
        complaint_fates = self._fates(COMPLAINT_FATES, items - n_petitions)
        plans: list[_Plan] = []
        sessions = list(SESSION_MEETINGS)
        for i, fate in enumerate(petition_fates):
            session = sessions[i % len(sessions)]
            first, last = SESSION_MEETINGS[session]
            meeting = first + timedelta(days=rng.randint(0, (last - first).days))
            received = meeting + timedelta(days=rng.randint(0, 6))
            plans.append(_Plan("petition", fate, rng.choice(self.units), received,
                               session=session, field_code=rng.choice(list(FIELD_AGENCIES))))
        survivors = [p for p in plans if p.fate in LONG_RUNNING]
        for plan in plans:
            if plan.fate == "merged" and survivors:
                survivor = rng.choice([s for s in survivors if s.session == plan.session]
                                      or survivors)
                plan.survivor = survivor
                # Raised again at another voter meeting of the same district and session.
                plan.session, plan.field_code = survivor.session, survivor.field_code
                plan.district = survivor.district
                plan.start = survivor.start + timedelta(days=rng.randint(1, 5))
        span = max((self.end.date() - START.date()).days - 3, 1)
        for fate in complaint_fates:
            # A first round needs time for its decision and the second round after it.
            latest = max(span - 150, 0) if fate == "second_round" else span
            received = START.date() + timedelta(days=rng.randint(0, latest))
            plans.append(_Plan("complaint", fate, rng.choice(self.units), received))
        # A second-round complaint is an item of its own: it takes one of the places.
        extra = sum(1 for p in plans if p.fate == "second_round")
        for _ in range(extra):
            for i in range(len(plans) - 1, -1, -1):
                if plans[i].kind == "complaint" and plans[i].fate == "decided":
                    del plans[i]
                    break
        return [p for p in plans if p.start <= self.end.date()]

    def _fates(self, weights: dict[str, int], count: int) -> list[str]:
        names = list(weights)
        fates = names[:count] if count < len(names) else list(names)
        fates += self.rng.choices(names, weights=[weights[n] for n in names],
                                  k=max(count - len(fates), 0))
        self.rng.shuffle(fates)
        return fates

    # -- time ------------------------------------------------------------------------------
    def office_time(self, day: date) -> datetime:
        """Return a random office hour on ``day`` (or the next working day) in UTC."""
        day, _ = self.app.calendar.next_working_day(day)
        local = datetime.combine(day, time(8, 0), tzinfo=self.app.zone) + timedelta(
            minutes=self.rng.randint(0, 9 * 60))
        return local.astimezone(timezone.utc)

    def later(self, days_from: int, days_to: int) -> datetime:
        """Return an office time some days after the clock's current day."""
        return self.office_time(self.app.today() + timedelta(
            days=self.rng.randint(days_from, days_to)))

    # -- running ---------------------------------------------------------------------------
    def start(self, when: datetime, story: Iterator[datetime] | _EscalationCheck) -> None:
        """Schedule a story (or an escalation check) to run at ``when``."""
        if when <= self.end:
            self.seq += 1
            heapq.heappush(self.queue, (when, self.seq, story))

    def run(self) -> None:
        """Run every scheduled step in date order until the queue is empty."""
        while self.queue:
            when, _, step = heapq.heappop(self.queue)
            self.clock.set(when)
            self._tick(when.date())
            if isinstance(step, _EscalationCheck):
                self._escalate(step)
                continue
            try:
                self.start(next(step), step)
            except StopIteration:
                pass
            except DomainError as exc:
                self.failures.append(f"{when:%Y-%m-%d}: {type(exc).__name__}: {exc}")

    def _tick(self, day: date) -> None:
        if day > self.day and self.progress:
            self.progress((day - self.day).days, day.isoformat())
        self.day = max(day, self.day)

    def watch(self, receipt: Receipt) -> Receipt:
        """Plan the item's next escalation check after a change; return the receipt."""
        self._schedule_check(receipt.code)
        return receipt

    def _schedule_check(self, code: str) -> None:
        self.generation[code] += 1
        item = self.app.get_item(SECRETARIAT[0], code)
        if not item["is_open"] or item["due_date"] is None or item["status"] in (
                "answered", "parked"):
            return
        next_day = self.app.policy.next_step_date(
            item["due_date"], item["escalation_level"], self.app.calendar)
        if next_day is None:
            return
        when = datetime.combine(next_day, time(7, 30), tzinfo=self.app.zone)
        self.start(max(when.astimezone(timezone.utc), self.clock()),
                   _EscalationCheck(code, self.generation[code]))

    def _escalate(self, check: _EscalationCheck) -> None:
        if self.generation[check.code] != check.generation:
            return  # the item changed since; a newer check is planned
        self.app.escalate_item(check.code, now=self.clock())
        self._schedule_check(check.code)

    # -- the people --------------------------------------------------------------------------
    def secretary(self) -> Actor:
        """Return one of the secretariat's staff."""
        return self.rng.choice(SECRETARIAT)

    def agency_for(self, field_code: str, district: str) -> str:
        """Pick the agency that answers for ``field_code`` in ``district``."""
        agency = self.rng.choice(FIELD_AGENCIES[field_code])
        return f"ubnd-{district}" if agency == "@district" else agency

    @staticmethod
    def agency_staff(agency: str) -> Actor:
        """Return the staff member who works for ``agency``."""
        return Actor(f"cb.{agency}", Role.AGENCY_STAFF, agency=agency)

    def person(self) -> str:
        """Return a fictional Vietnamese full name."""
        rng = self.rng
        return " ".join((rng.choice(corpus.FAMILY_NAMES), rng.choice(corpus.MIDDLE_NAMES),
                         rng.choice(corpus.GIVEN_NAMES)))

    def place(self, district: str) -> str:
        """Return a ward or commune of ``district`` (or the district itself)."""
        places = PLACE_DISTRICTS.get(district)
        return self.rng.choice(places) if places else self.unit_labels[district]

    def meeting_place(self, district: str) -> str:
        """Return where a voter meeting in ``district`` was held."""
        known = self.meeting_places[district]
        if known and self.rng.random() < 0.7:
            return self.rng.choice(known)
        return f"Hội trường UBND {self.place(district)}"

    def fill(self, template: str, district: str, **extra: str) -> str:
        """Fill a corpus template with a street, a place in ``district`` and a date."""
        values = {"street": self.rng.choice(corpus.STREETS), "place": self.place(district),
                  "date": self.app.today().strftime("%d/%m/%Y")}
        values.update(extra)
        return template.format(**values)

    # -- results ---------------------------------------------------------------------------
    def summarise(self, plans: list[_Plan]) -> DemoResult:
        """Count the items created by status and kind, read back from the store."""
        result = DemoResult(failures=self.failures)
        codes = [p.code for p in plans if p.code]
        codes += [code for p in plans for code in p.second_codes]
        for code in codes:
            item = self.app.get_item(SECRETARIAT[0], code)
            result.created += 1
            result.by_status[item["status"]] += 1
            result.by_kind["petition" if item["kind"] == "petition" else "complaint"] += 1
            result.escalated += item["escalation_level"] >= 1
            result.second_rounds += item.get("round_no") == 2
            result.anonymous_filed += bool(item.get("anonymous")) and item["status"] == "filed"
        return result


@dataclass(frozen=True)
class _EscalationCheck:
    code: str
    generation: int


# -- stories --------------------------------------------------------------------------------
def _petition_story(sim: _Simulation, plan: _Plan) -> Story:
    """Live one voter petition from the voter meeting to its fate."""
    app, rng, fate = sim.app, sim.rng, plan.fate
    staff = sim.district_staff[plan.district]
    if plan.survivor is not None and plan.survivor.title:
        title, content = plan.survivor.title, plan.survivor.content
    else:
        content = sim.fill(rng.choice(corpus.PETITION_TEMPLATES[plan.field_code]), plan.district)
        title = _title_of(content)
    plan.title, plan.content = title, content
    voters = "; ".join(f"Cử tri {sim.person()}, {sim.place(plan.district)}"
                       for _ in range(rng.randint(1, 3)))
    receipt = sim.watch(app.log_petition(
        staff, title=title, content=content, district=plan.district,
        deputy_group=sim.groups[plan.district], session=plan.session, field=plan.field_code,
        meeting_date=plan.start - timedelta(days=rng.randint(0, 5)),
        meeting_place=sim.meeting_place(plan.district), voters=voters,
        received_on=app.today()))
    code = plan.code = receipt.code
    if fate == "logged":
        return
    yield sim.later(2, 9)
    if fate == "merged":
        survivor = plan.survivor.code if plan.survivor else None
        sim.watch(app.merge_petitions(sim.secretary(), code, survivor, reason=(
            f"Trùng nội dung với kiến nghị {survivor} của cử tri nơi khác.")))
        return
    agency = sim.agency_for(plan.field_code, plan.district)
    competence = "district" if agency.startswith("ubnd-") else rng.choice(
        ("city", "city", "city", "central"))
    sim.watch(app.classify_petition(sim.secretary(), code, field=plan.field_code,
                                    competence=competence))
    if fate == "classified":
        return
    if fate == "withdrawn":
        yield sim.later(3, 20)
        sim.watch(app.withdraw(staff, code, reason=corpus.WITHDRAW_REASONS[3]))
        return
    if fate == "closed":
        yield sim.later(3, 20)
        sim.watch(app.close_item(sim.secretary(), code, reason=(
            "Nội dung kiến nghị đã được trả lời tại kỳ họp trước, không có tình tiết mới.")))
        return
    yield sim.later(2, 10)
    sim.watch(app.assign(sim.secretary(), code, agency=agency,
                         note="Giao cơ quan chủ trì trả lời cử tri theo quy định."))
    agency_staff = sim.agency_staff(agency)
    if fate == "overdue":
        return
    for _ in range(rng.randint(0, 2)):
        yield sim.later(2, 6)
        sim.watch(app.note_progress(agency_staff, code, text=rng.choice(corpus.PROGRESS_NOTES)))
    if fate == "assigned":
        return
    if fate in ("parked", "parked_resumed"):
        yield sim.later(2, 8)
        sim.watch(app.park(sim.secretary(), code, reason=(
            "Tạm gác lại chờ Trung ương ban hành văn bản hướng dẫn.")))
        if fate == "parked":
            return
        yield sim.later(30, 90)
        sim.watch(app.resume(sim.secretary(), code, reason="Đã có văn bản hướng dẫn."))
    # Most answers arrive before the 30-day due date, some late (after escalation).
    yield sim.later(4, 16) if rng.random() < 0.85 else sim.later(32, 55)
    outcome = {"returned": "explained", "roadmap_done": "being_resolved",
               "reassigned": "not_resolved", "answered": rng.choice(
                   ("resolved", "explained", "being_resolved"))}.get(fate, fate)
    if outcome not in ("resolved", "explained", "being_resolved", "not_resolved"):
        outcome = "resolved"
    _answer(sim, agency_staff, code, outcome, plan.district)
    if fate == "answered":
        return
    yield sim.later(3, 14)
    if fate == "returned":
        sim.watch(app.return_answer(sim.secretary(), code,
                                    reason=rng.choice(corpus.RETURN_REASONS)))
        yield sim.later(7, 25)
        _answer(sim, agency_staff, code, "resolved", plan.district)
        yield sim.later(3, 14)
    sim.watch(app.accept_answer(sim.secretary(), code, voters_satisfied=rng.random() < 0.8,
                                comment="Tổ đại biểu đã thông tin kết quả tới cử tri."))
    if fate == "roadmap_done":
        yield sim.later(40, 160)
        _answer(sim, agency_staff, code, "resolved", plan.district)
        yield sim.later(3, 14)
        sim.watch(app.accept_answer(sim.secretary(), code, voters_satisfied=True))
    elif fate == "reassigned":
        yield sim.later(5, 20)
        other = sim.agency_for(plan.field_code, plan.district)
        sim.watch(app.assign(sim.secretary(), code, agency=other,
                             note="Giao lại cho cơ quan có thẩm quyền giải quyết."))
        yield sim.later(10, 28)
        _answer(sim, sim.agency_staff(other), code, "resolved", plan.district)
        yield sim.later(3, 14)
        sim.watch(app.accept_answer(sim.secretary(), code, voters_satisfied=True))


def _answer(sim: _Simulation, actor: Actor, code: str, outcome: str, district: str) -> None:
    """Record an agency's answer with the given outcome."""
    new_due = None
    if outcome == "being_resolved":
        new_due = sim.app.today() + timedelta(days=sim.rng.randint(60, 240))
    text = sim.fill(sim.rng.choice(corpus.ANSWER_TEMPLATES[outcome]), district,
                    date=(new_due or sim.app.today()).strftime("%d/%m/%Y"))
    sim.watch(sim.app.record_answer(actor, code, outcome=outcome, text=text,
                                    new_due_date=new_due))


def _complaint_story(sim: _Simulation, plan: _Plan, first_round: str | None = None,
                     first_plan: _Plan | None = None) -> Story:
    """Live one complaint, denunciation or reflection from receipt to its fate."""
    app, rng, fate = sim.app, sim.rng, plan.fate
    kind = "complaint" if first_round else FATE_KINDS.get(
        fate, rng.choice(("complaint", "complaint", "denunciation", "reflection", "reflection")))
    template = rng.choice(corpus.COMPLAINT_TEMPLATES[kind])
    field_code = _field_of(template)
    agency = sim.agency_for(field_code, plan.district)
    if kind == "complaint" and rng.random() < 0.7:
        agency = f"ubnd-{plan.district}"
    anonymous = fate == "anonymous_filed"
    content = sim.fill(template, plan.district,
                       agency=sim.agency_names.get(agency, agency))
    if first_round:
        content = (f"Khiếu nại lần hai đối với quyết định giải quyết khiếu nại lần đầu "
                   f"(đơn {first_round}). {content}")
    petitioner = None if anonymous else {
        "name": sim.person(), "address": sim.place(plan.district),
        "phone": f"09{rng.randint(10_000_000, 99_999_999)}",
        "id_number": f"001{rng.randint(100_000_000, 999_999_999)}"}
    channel = "post" if anonymous else rng.choice(corpus.CHANNELS)
    receiver = sim.district_staff[plan.district] if channel == "direct" else sim.secretary()
    receipt = sim.watch(app.receive_complaint(
        receiver, kind=kind, channel=channel, title=_title_of(content), content=content,
        subject=sim.agency_names.get(agency, "") if kind != "reflection" else "",
        petitioner=petitioner, anonymous=anonymous, district=plan.district,
        field=field_code, received_on=app.today(), first_round=first_round))
    code = receipt.code
    if first_plan is not None:
        first_plan.second_codes.append(code)
    else:
        plan.code = code
    if fate == "received":
        return
    yield sim.later(1, 9)
    secretary = sim.secretary()
    if fate in ("forwarded", "guided", "filed", "anonymous_filed"):
        if fate == "forwarded":
            body = rng.choice(("Công an thành phố Hà Nội", "Thanh tra Chính phủ",
                               sim.agency_names[f"ubnd-{plan.district}"],
                               "Tòa án nhân dân thành phố Hà Nội"))
            sim.watch(app.forward_complaint(secretary, code, to_body=body,
                                            reason=rng.choice(corpus.CLASSIFY_REASONS["forward"])))
        elif fate == "guided":
            sim.watch(app.return_complaint(secretary, code,
                                           reason=rng.choice(corpus.CLASSIFY_REASONS["return"])))
        else:
            reason = (corpus.CLASSIFY_REASONS["file"][1] if anonymous
                      else rng.choice(corpus.CLASSIFY_REASONS["file"]))
            sim.watch(app.file_complaint(secretary, code, reason=reason))
        return
    complexity = "complex" if fate == "denunciation_extended" or rng.random() < 0.2 else "normal"
    sim.watch(app.accept_complaint(secretary, code, agency=agency, complexity=complexity,
                                   remote_area=plan.district in REMOTE_UNITS))
    staff = sim.agency_staff(agency)
    for _ in range(rng.randint(0, 2)):
        yield sim.later(3, 8)
        sim.watch(app.note_progress(staff, code, text=rng.choice(corpus.PROGRESS_NOTES)))
    if fate == "accepted":
        return
    if fate == "withdrawn":
        yield sim.later(2, 10)
        sim.watch(app.withdraw(secretary, code, reason=corpus.WITHDRAW_REASONS[0]))
        return
    if fate == "parked":
        yield sim.later(2, 10)
        sim.watch(app.park(secretary, code, reason="Tạm dừng giải quyết chờ kết quả giám định."))
        return
    if fate == "denunciation_extended":
        yield sim.later(5, 15)
        due = app.get_item(secretary, code)["due_date"]
        sim.watch(app.extend_deadline(secretary, code, new_due_date=due + timedelta(days=30),
                                      reason=rng.choice(corpus.EXTENSION_REASONS)))
        yield sim.later(20, 40)
    else:
        yield sim.later(6, 14) if rng.random() < 0.85 else sim.later(30, 50)
    result = rng.choice(("correct", "partly_correct", "incorrect", "incorrect"))
    if fate == "second_round":
        result = "incorrect"
    sim.watch(app.issue_decision(
        staff, code, result=result, decided_on=app.today(),
        decision_no=f"{rng.randint(100, 9999)}/QĐ-{_abbreviation(agency)}",
        text=("Kết luận nội dung đơn " + {"correct": "là đúng", "partly_correct":
              "đúng một phần", "incorrect": "là không đúng"}[result]
              + "; yêu cầu các cơ quan liên quan thực hiện theo quyết định.")))
    if fate == "second_round":
        yield sim.later(10, 45)
        second = _Plan("complaint", rng.choice(("accepted", "decided")), plan.district,
                       app.today())
        yield from _complaint_story(sim, second, first_round=code, first_plan=plan)


def _field_of(text: str) -> str:
    """Return the field a complaint's text belongs to."""
    lowered = text.lower()
    for field_code, words in FIELD_KEYWORDS:
        if any(re.search(rf"\b{word}\b", lowered) for word in words):
            return field_code
    return "other"


def _abbreviation(agency: str) -> str:
    """Abbreviate an agency code the way decision numbers do (``so-xay-dung`` → ``SXD``)."""
    if agency.startswith("ubnd-"):
        return "UBND"
    return "".join(word[0] for word in agency.split("-")).upper()


# "Cử tri phường Kim Mã kiến nghị Thành phố chỉ đạo …": what a title leaves out.
_PETITION_LEAD = re.compile(
    r"^Cử tri .+? (?:kiến nghị|đề nghị|phản ánh) (?:Thành phố )?"
    r"(?:(?:có|sớm có) giải pháp |chỉ đạo )?")


def _title_of(content: str, limit: int = 110) -> str:
    """Make a title from an item's text: what is asked, to its first clause of some length."""
    text = _PETITION_LEAD.sub("", content, count=1).split(";")[0].split(". ")[0].rstrip(".")
    head = ""
    for part in text.split(","):
        head = f"{head},{part}" if head else part
        if len(head.split()) >= 6:
            break
    head = head.strip()
    head = head[:1].upper() + head[1:]
    if len(head) <= limit:
        return head
    return head[:limit].rsplit(" ", 1)[0] + "…"

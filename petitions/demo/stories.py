"""The story of a demo item: the steps of its life, from its logging to its fate.

A story is a generator of ``Step``s, each one of the Tracker's commands with its actor,
day and arguments. A driver carries the step out (through the Tracker, or on the
aggregates for bulk loading) and sends back the item's ``Facts`` after it. Stories decide
what happens and when; drivers decide the hour, and stop a story at "now".
"""
from __future__ import annotations

import random
import re
from collections.abc import Generator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from domain.actor import Actor, Role
from domain.calendar import WorkingCalendar
from domain.complaint import Channel
from domain.reference import valid_on
from domain.item import Outcome, Status
from petitions.demo import corpus
from petitions.demo.fates import COMPLAINT, Plan, fate
from petitions.lineage import lineage_of

SECRETARIAT = (Actor("thu.ky.lan", Role.SECRETARIAT), Actor("thu.ky.hung", Role.SECRETARIAT),
               Actor("thu.ky.mai", Role.SECRETARIAT))
# The Tracker commands that create an item (all others act on ``Step.plan``'s item).
CREATING = frozenset({"log_petition", "receive_complaint"})
OUTCOMES = frozenset(o.value for o in Outcome)
CHANNELS = tuple(c.value for c in Channel)
REFORM_DAY = date(2025, 7, 1)  # the communes and wards replace the districts (NQ 1656)


@dataclass(frozen=True, slots=True)
class Step:
    """On ``day``, ``by`` runs the Tracker command ``action`` on ``plan``'s item.

    An argument that is a ``Plan`` stands for that item's code (known once it exists).
    """

    plan: Plan
    day: date
    action: str
    by: Actor
    args: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Facts:
    """What an item looks like after a step: what stories and escalation checks read."""

    code: str
    status: Status
    is_open: bool
    due_date: date | None
    escalation_level: int


Story = Generator[Step, Facts, None]


class World:
    """The people, places, agencies and texts stories draw on, at random."""

    def __init__(self, reference: dict[str, dict[str, dict[str, Any]]], rng: random.Random,
                 calendar: WorkingCalendar) -> None:
        self.rng = rng
        self.calendar = calendar
        self.reference = reference
        self.units = sorted(reference["units"])
        self.lineage = lineage_of(reference)
        self.agency_names = {code: e["name"] for code, e in reference["agencies"].items()}
        self.district_staff = {u: Actor(f"can.bo.{u}", Role.DISTRICT_STAFF, district=u)
                               for u in self.units}
        self.unit_labels = {
            code: f"{corpus.UNIT_KIND_NAMES.get(e.get('kind', ''), '')} {e['name']}".strip()
            for code, e in reference["units"].items()}
        self.meeting_places = {
            unit: [m for m in corpus.MEETING_PLACES if self.unit_labels[unit] in m or any(
                place.split(" ", 1)[1] in m
                for place in corpus.PLACES_BY_DISTRICT.get(unit, ()))]
            for unit in self.units}

    # -- the era: which units, agencies and deputy groups are in force on a day ------------
    def units_on(self, day: date) -> list[str]:
        """Return the units in force on ``day`` (the districts before 1 July 2025, the
        communes and wards after)."""
        return [u for u in self.units if valid_on(self.reference["units"][u], day)]

    def unit_on(self, unit: str, day: date) -> str:
        """Return ``unit`` if it is in force on ``day``, else its main successor by lineage."""
        if valid_on(self.reference["units"][unit], day):
            return unit
        edge = self.lineage.main_successor(unit)
        return edge.new_code if edge else unit

    def agency_on(self, agency: str, day: date) -> str:
        """Return ``agency`` if in force on ``day``, else the body that took over its work
        (a merged department's successor; a district People's Committee's commune's)."""
        entry = self.reference["agencies"].get(agency) or {}
        if not entry or valid_on(entry, day):
            return agency
        if entry.get("unit"):
            return f"ubnd-{self.unit_on(entry['unit'], day)}"
        successors = entry.get("successors") or []
        return self.agency_on(successors[0], day) if successors else agency

    def group_for(self, unit: str, day: date) -> str:
        """Return the deputy group of the term in force on ``day`` that covers ``unit`` (or,
        for a commune or ward in term XVI, the group of the district it mostly came from)."""
        former = self.lineage.main_predecessor(unit)
        for candidate in (unit, former):
            for code, entry in self.reference["deputy_groups"].items():
                if candidate in entry.get("units", ()) and valid_on(entry, day):
                    return code
        raise LookupError(f"no deputy group covers {unit} on {day}")

    # -- time ------------------------------------------------------------------------------
    def working_day(self, day: date) -> date:
        """Return ``day`` or the next working day after it."""
        return self.calendar.next_working_day(day)[0]

    def later(self, day: date, days_from: int, days_to: int) -> date:
        """Return the working day some days after ``day``."""
        return self.working_day(day + timedelta(days=self.rng.randint(days_from, days_to)))

    # -- people ----------------------------------------------------------------------------
    def secretary(self) -> Actor:
        """Return one of the secretariat's staff."""
        return self.rng.choice(SECRETARIAT)

    def agency_for(self, field_code: str, district: str, day: date) -> str:
        """Pick the agency in force on ``day`` that answers for ``field_code`` in ``district``."""
        agency = self.rng.choice(corpus.FIELD_AGENCIES[field_code])
        return self.agency_on(f"ubnd-{district}" if agency == "@district" else agency, day)

    @staticmethod
    def agency_staff(agency: str) -> Actor:
        """Return the staff member who works for ``agency``."""
        return Actor(f"cb.{agency}", Role.AGENCY_STAFF, agency=agency)

    def person(self) -> str:
        """Return a fictional Vietnamese full name."""
        rng = self.rng
        return " ".join((rng.choice(corpus.FAMILY_NAMES), rng.choice(corpus.MIDDLE_NAMES),
                         rng.choice(corpus.GIVEN_NAMES)))

    # -- places and texts ------------------------------------------------------------------
    def place(self, district: str) -> str:
        """Return a ward or commune of ``district`` (or the district itself)."""
        places = corpus.PLACES_BY_DISTRICT.get(district)
        return self.rng.choice(places) if places else self.unit_labels[district]

    def meeting_place(self, district: str) -> str:
        """Return where a voter meeting in ``district`` was held."""
        known = self.meeting_places[district]
        if known and self.rng.random() < 0.7:
            return self.rng.choice(known)
        return f"Hội trường UBND {self.place(district)}"

    def fill(self, template: str, district: str, day: date, **extra: str) -> str:
        """Fill a corpus template with a street, a place in ``district`` and ``day``."""
        values = {"street": self.rng.choice(corpus.STREETS), "place": self.place(district),
                  "date": day.strftime("%d/%m/%Y")}
        values.update(extra)
        return template.format(**values)


def story(world: World, plan: Plan) -> Story:
    """Yield the steps of ``plan``'s item, from its logging or receipt to its fate."""
    if plan.kind == COMPLAINT:
        return _complaint(world, plan)
    return _petition(world, plan)


def _petition(world: World, plan: Plan) -> Story:
    rng, name = world.rng, plan.fate.name
    day = world.working_day(plan.start)
    plan.district = world.unit_on(plan.district, day)
    staff = world.district_staff[plan.district]
    if plan.survivor is not None and plan.survivor.title:
        plan.title, plan.content = plan.survivor.title, plan.survivor.content
    else:
        plan.content = world.fill(rng.choice(corpus.PETITION_TEMPLATES[plan.field_code]),
                                  plan.district, day)
        plan.title = title_of(plan.content)
    voters = "; ".join(f"Cử tri {world.person()}, {world.place(plan.district)}"
                       for _ in range(rng.randint(1, 3)))
    yield Step(plan, day, "log_petition", staff, {
        "title": plan.title, "content": plan.content, "district": plan.district,
        "deputy_group": world.group_for(plan.district, day), "session": plan.session,
        "field": plan.field_code, "meeting_date": plan.start - timedelta(days=rng.randint(0, 5)),
        "meeting_place": world.meeting_place(plan.district), "voters": voters,
        "received_on": day})
    if name == "logged":
        return
    day = world.later(day, 2, 9)
    if name == "merged":
        yield Step(plan, day, "merge_petitions", world.secretary(), {
            "survivor": plan.survivor,
            "reason": "Trùng nội dung với kiến nghị của cử tri nơi khác đã tiếp nhận trước."})
        return
    agency = world.agency_for(plan.field_code, plan.district, day)
    # A People's Committee answers at the local level: the district's before the reform,
    # the commune's or ward's after it.
    local = "district" if day < REFORM_DAY else "commune"
    competence = local if agency.startswith("ubnd-") else rng.choice(
        ("city", "city", "city", "central"))
    yield Step(plan, day, "classify_petition", world.secretary(),
               {"field": plan.field_code, "competence": competence, "note": ""})
    if name == "classified":
        return
    if name == "withdrawn":
        day = world.later(day, 3, 20)
        # The unit's staff now: the item may have been handed over meanwhile.
        yield Step(plan, day, "withdraw", world.district_staff[plan.district],
                   {"reason": corpus.WITHDRAW_REASONS[3]})
        return
    if name == "closed":
        day = world.later(day, 3, 20)
        yield Step(plan, day, "close_item", world.secretary(), {"reason": (
            "Nội dung kiến nghị đã được trả lời tại kỳ họp trước, không có tình tiết mới.")})
        return
    day = world.later(day, 2, 10)
    agency = world.agency_on(agency, day)
    yield Step(plan, day, "assign", world.secretary(), {  # due date: the policy's default
        "agency": agency, "due_date": None,
        "note": "Giao cơ quan chủ trì trả lời cử tri theo quy định."})
    agency_staff = world.agency_staff(agency)
    if name == "overdue":
        return
    for _ in range(rng.randint(0, 2)):
        day = world.later(day, 2, 6)
        yield Step(plan, day, "note_progress", agency_staff,
                   {"text": rng.choice(corpus.PROGRESS_NOTES)})
    if name == "assigned":
        return
    if name in ("parked", "parked_resumed"):
        day = world.later(day, 2, 8)
        yield Step(plan, day, "park", world.secretary(), {
            "reason": "Tạm gác lại chờ Trung ương ban hành văn bản hướng dẫn."})
        if name == "parked":
            return
        day = world.later(day, 30, 90)
        yield Step(plan, day, "resume", world.secretary(),
                   {"reason": "Đã có văn bản hướng dẫn."})
    # Most answers arrive before the 30-day due date, some late (after escalation).
    day = world.later(day, 4, 16) if rng.random() < 0.85 else world.later(day, 32, 55)
    outcome = {"returned": "explained", "roadmap_done": "being_resolved",
               "reassigned": "not_resolved", "answered": rng.choice(
                   ("resolved", "explained", "being_resolved"))}.get(name, name)
    yield _answer(world, plan, day, agency_staff, outcome if outcome in OUTCOMES else "resolved")
    if name == "answered":
        return
    day = world.later(day, 3, 14)
    if name == "returned":
        yield Step(plan, day, "return_answer", world.secretary(),
                   {"reason": rng.choice(corpus.RETURN_REASONS)})
        day = world.later(day, 7, 25)
        yield _answer(world, plan, day, agency_staff, "resolved")
        day = world.later(day, 3, 14)
    yield Step(plan, day, "accept_answer", world.secretary(), {
        "voters_satisfied": rng.random() < 0.8,
        "comment": "Tổ đại biểu đã thông tin kết quả tới cử tri."})
    if name == "roadmap_done":
        day = world.later(day, 40, 160)
        yield _answer(world, plan, day, agency_staff, "resolved")
    elif name == "reassigned":
        day = world.later(day, 5, 20)
        agency = world.agency_for(plan.field_code, plan.district, day)
        agency_staff = world.agency_staff(agency)
        yield Step(plan, day, "assign", world.secretary(), {
            "agency": agency, "due_date": None,
            "note": "Giao lại cho cơ quan có thẩm quyền giải quyết."})
        day = world.later(day, 10, 28)
        yield _answer(world, plan, day, agency_staff, "resolved")
    else:
        return
    day = world.later(day, 3, 14)
    yield Step(plan, day, "accept_answer", world.secretary(),
               {"voters_satisfied": True, "comment": ""})


def _answer(world: World, plan: Plan, day: date, actor: Actor, outcome: str) -> Step:
    new_due = None
    if outcome == "being_resolved":
        new_due = day + timedelta(days=world.rng.randint(60, 240))
    text = world.fill(world.rng.choice(corpus.ANSWER_TEMPLATES[outcome]), plan.district,
                      new_due or day)
    return Step(plan, day, "record_answer", actor,
                {"outcome": outcome, "text": text, "new_due_date": new_due})


def _complaint(world: World, plan: Plan, first: Plan | None = None) -> Story:
    rng, name = world.rng, plan.fate.name
    kind = "complaint" if first else plan.fate.complaint_kind or rng.choice(
        ("complaint", "complaint", "denunciation", "reflection", "reflection"))
    template = rng.choice(corpus.COMPLAINT_TEMPLATES[kind])
    field_code = field_of(template)
    day = world.working_day(plan.start)
    plan.district = world.unit_on(plan.district, day)
    agency = world.agency_for(field_code, plan.district, day)
    if kind == "complaint" and rng.random() < 0.7:
        agency = f"ubnd-{plan.district}"
    anonymous = name == "anonymous_filed"
    content = world.fill(template, plan.district, day,
                         agency=world.agency_names.get(agency, agency))
    if first:
        content = (f"Khiếu nại lần hai đối với quyết định giải quyết khiếu nại lần đầu "
                   f"(đơn {first.code}). {content}")
    petitioner = None if anonymous else {
        "name": world.person(), "address": world.place(plan.district),
        "phone": f"09{rng.randint(10_000_000, 99_999_999)}",
        "id_number": f"001{rng.randint(100_000_000, 999_999_999)}"}
    channel = "post" if anonymous else rng.choice(CHANNELS)
    receiver = world.district_staff[plan.district] if channel == "direct" else world.secretary()
    yield Step(plan, day, "receive_complaint", receiver, {
        "kind": kind, "channel": channel, "title": title_of(content), "content": content,
        "subject": world.agency_names.get(agency, "") if kind != "reflection" else "",
        "petitioner": petitioner, "anonymous": anonymous, "district": plan.district,
        "field": field_code, "received_on": day, "first_round": first})
    if name == "received":
        return
    day = world.later(day, 1, 9)
    secretary = world.secretary()
    if name in ("forwarded", "result_notified"):
        body = rng.choice((*corpus.FORWARD_BODIES, world.agency_names[f"ubnd-{plan.district}"]))
        yield Step(plan, day, "forward_complaint", secretary, {
            "to_body": body, "reason": rng.choice(corpus.CLASSIFY_REASONS["forward"])})
        if name == "result_notified":
            day = world.later(day, 10, 25)
            yield Step(plan, day, "record_result_notice", secretary, {
                "notice_no": f"{rng.randint(10, 999)}/TB", "notice_date": day,
                "summary": "Cơ quan có thẩm quyền đã xem xét, giải quyết và thông báo kết quả."})
        return
    if name == "guided":
        yield Step(plan, day, "return_complaint", secretary,
                   {"reason": rng.choice(corpus.CLASSIFY_REASONS["return"])})
        return
    if name in ("filed", "anonymous_filed"):
        reason = (corpus.CLASSIFY_REASONS["file"][1] if anonymous
                  else rng.choice(corpus.CLASSIFY_REASONS["file"]))
        yield Step(plan, day, "file_complaint", secretary, {"reason": reason})
        return
    complexity = "complex" if name == "denunciation_extended" or rng.random() < 0.2 else "normal"
    agency = world.agency_on(agency, day)
    accepted = yield Step(plan, day, "accept_complaint", secretary, {
        "agency": agency, "complexity": complexity,
        "remote_area": plan.district in corpus.REMOTE_UNITS})
    staff = world.agency_staff(agency)
    for _ in range(rng.randint(0, 2)):
        day = world.later(day, 3, 8)
        yield Step(plan, day, "note_progress", staff, {"text": rng.choice(corpus.PROGRESS_NOTES)})
    if name == "accepted":
        return
    if name in ("withdrawn", "parked"):
        day = world.later(day, 2, 10)
        if name == "withdrawn":
            yield Step(plan, day, "withdraw", secretary, {"reason": corpus.WITHDRAW_REASONS[0]})
        else:
            yield Step(plan, day, "park", secretary,
                       {"reason": "Tạm dừng giải quyết chờ kết quả giám định."})
        return
    if name == "denunciation_extended" and accepted.due_date is not None:
        # Progress notes leave the due date that acceptance set.
        day = world.later(day, 5, 15)
        yield Step(plan, day, "extend_deadline", secretary, {
            "new_due_date": accepted.due_date + timedelta(days=30),
            "reason": rng.choice(corpus.EXTENSION_REASONS),
            "decision_no": f"{rng.randint(10, 399)}/QĐ-TTTP", "decision_date": day})
        day = world.later(day, 20, 40)
    else:
        day = world.later(day, 6, 14) if rng.random() < 0.85 else world.later(day, 30, 50)
    result = "incorrect" if name == "second_round" else rng.choice(
        ("correct", "partly_correct", "incorrect", "incorrect"))
    yield Step(plan, day, "issue_decision", staff, {
        "result": result, "decided_on": day,
        "decision_no": f"{rng.randint(100, 9999)}/QĐ-{_abbreviation(agency)}",
        "text": ("Kết luận nội dung đơn " + {"correct": "là đúng", "partly_correct":
                 "đúng một phần", "incorrect": "là không đúng"}[result]
                 + "; yêu cầu các cơ quan liên quan thực hiện theo quyết định.")})
    if name == "second_round":
        # Within the 30-day window for a second round (Luật Khiếu nại 2011, art. 33).
        day = world.later(day, 10, 28)
        second = Plan(fate(COMPLAINT, rng.choice(("accepted", "decided"))), plan.district, day)
        yield from _complaint(world, second, first=plan)


def field_of(text: str) -> str:
    """Return the field a đơn's text belongs to."""
    lowered = text.lower()
    for field_code, words in corpus.FIELD_KEYWORDS:
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


def title_of(content: str, limit: int = 110) -> str:
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

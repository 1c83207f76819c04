"""Define once each figure that boards, PDF digests, the JSON API and the CSV export show.

Every consumer counts and divides through this module; none has a rate or an overdue test
of its own. In words (English / Vietnamese as printed):

- **raised** (số đã tiếp nhận; "Tổng số"): items recorded. A duplicate merged into another
  item is not counted, the survivor is: a petition raised at several meetings counts once.
  Every other figure counts raised items only, so merged duplicates appear nowhere else.
- **answered** (đã trả lời): an answer was recorded or a decision issued (an answer sent
  back for rework still counts as answered; the item owes a new answer, see overdue).
- **answered on time** (trả lời đúng hạn): answered on or before the due date in force.
- **late answer** (trả lời quá hạn): answered after the due date in force when the answer
  was recorded. Only the answer to the item counts: a follow-up report on an accepted
  roadmap is judged against the roadmap date, in the next figure, never here.
- **on-time rate** = answered on time / answered.
- **answered rate** = answered / raised.
- **resolved** (đã giải quyết xong): a voter petition whose accepted outcome is "resolved".
- **resolved rate** = resolved / voter petitions raised (complaints are decided, never
  "resolved", so they are in neither part).
- **overdue** (quá hạn): the agency still owes its answer (status group "open": no answer
  recorded or decision issued, and not guided, filed or closed; a forwarded đơn owes the
  competent body's result notice until it is recorded), the item is not
  paused (not awaiting review of an answer, not parked), and its answer deadline (due date)
  is before today in the council's time zone. Due today is not overdue yet.
- **roadmap date missed** (quá hạn lộ trình; key ``past_roadmap``): an answered petition
  being resolved with an accepted roadmap whose target date is before today (the roadmap
  date is the item's tracked date, with its own reminders). It is its own figure, never
  "overdue" and never a late answer.
- **escalated** (đã đôn đốc): the escalation ladder reached level 1 (the agency head) or
  higher for the item's current due date.
- **forwarded late** (chuyển đơn quá hạn; key ``forwarded_late``): a denunciation the office
  forwarded to the competent body after its forwarding limit (5 working days from receipt,
  Luật Tố cáo 2018, art. 24), as recorded on the forward. Rows projected before the figure
  existed count as not late until ``projections rebuild``.
- **share** of a count: the count / raised, for counts without a rate of their own.

Overdue and past roadmap depend on today, so no flag is stored (it would go stale the next
day). The board counters keep, per board key, how many items owe an answer (or a roadmap)
due in each year, month and day; "before today" sums the earlier years, the earlier months of
this year and the earlier days of this month: at most about 45 counters a key, however many
items or years the store holds. Lists and digests use the SQL conditions below, which the
(status, due date) index serves.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, case, literal
from sqlalchemy.sql import ColumnElement

from domain.item import Status
from domain.item_types import REGISTRY, StatusGroup

ROADMAP = Status.BEING_RESOLVED
ESCALATED_LEVEL = 1
RESOLVED_OUTCOME = "resolved"
PETITION = "petition"

# Counter names: the same words in the board counters, the digest tallies and the JSON.
RAISED, ANSWERED, ON_TIME, RESOLVED = "raised", "answered", "answered_on_time", "resolved"
LATE = "answered_late"
PETITIONS, OVERDUE, PAST_ROADMAP, ESCALATED = "petitions", "overdue", "past_roadmap", "escalated"
OPEN, MERGED = "open", "merged"
FORWARDED_LATE = "forwarded_late"
DATED = (OVERDUE, PAST_ROADMAP)  # the figures counted by due date and summed before today

# Rows of a table by answer result: every raised item is in exactly one.
AWAITING_REVIEW, NOT_ANSWERED, ENDED_UNANSWERED = "awaiting_review", "", "ended"


# -- status groups ----------------------------------------------------------------------------
_GROUPS: dict[str, Any] = {"generation": -1}


def _groups() -> dict[str, tuple[str, ...]]:
    """Return the statuses by what they mean for the figures, from the item types' groups.

    Read from the registry on first use (and again when a type registers), not at import:
    the item types may register after this module is imported.
    """
    if _GROUPS["generation"] != REGISTRY.generation:
        paused = set(REGISTRY.paused_statuses())
        _GROUPS.update(
            generation=REGISTRY.generation,
            concluded=tuple(sorted(REGISTRY.statuses_in(StatusGroup.CONCLUDED))),
            open=tuple(sorted(REGISTRY.open_statuses())),
            # Not answered yet and the clock runs: the agency owes its answer.
            owes=tuple(sorted(set(REGISTRY.statuses_in(StatusGroup.OPEN)) - paused)),
            review=tuple(sorted(REGISTRY.statuses_in(StatusGroup.AWAITING_REVIEW))),
        )
    return _GROUPS


def concluded_values() -> tuple[str, ...]:
    """Return the statuses that end an item (nothing more is owed)."""
    return _groups()["concluded"]


def open_values() -> tuple[str, ...]:
    """Return the statuses of items not ended yet."""
    return _groups()["open"]


def owes_answer_values() -> tuple[str, ...]:
    """Return the statuses in which the agency owes its answer (open, not paused, unanswered)."""
    return _groups()["owes"]


# -- one item ---------------------------------------------------------------------------------
def is_raised(row: Mapping[str, Any]) -> bool:
    """Tell whether the item counts as raised (a merged duplicate does not)."""
    return row["status"] != Status.MERGED.value


def is_answered(row: Mapping[str, Any]) -> bool:
    """Tell whether an answer was recorded or a decision issued."""
    return row["answered_on"] is not None


def is_answered_on_time(row: Mapping[str, Any]) -> bool:
    """Tell whether the item was answered on or before its due date."""
    return row["answered_on"] is not None and bool(row["answered_on_time"])


def is_answered_late(row: Mapping[str, Any]) -> bool:
    """Tell whether the item was answered after its due date (a late answer)."""
    return row["answered_on"] is not None and row["answered_on_time"] is False


def is_resolved(row: Mapping[str, Any]) -> bool:
    """Tell whether a voter petition's accepted outcome is "resolved"."""
    return row["kind"] == PETITION and row["outcome"] == RESOLVED_OUTCOME


def is_forwarded_late(row: Mapping[str, Any]) -> bool:
    """Tell whether a denunciation was forwarded after its forwarding limit."""
    return bool(row.get("forwarded_late"))


def is_escalated(level: int | None) -> bool:
    """Tell whether the ladder reached the agency head (level 1) or higher."""
    return level is not None and level >= ESCALATED_LEVEL


def owes_answer(status: str) -> bool:
    """Tell whether the agency owes its answer in ``status`` (open, not paused, unanswered)."""
    return status in _groups()["owes"]


def is_overdue(status: str, due: date | None, today: date) -> bool:
    """Tell whether the answer is owed and its deadline is before ``today``."""
    return due is not None and due < today and owes_answer(status)


def is_past_roadmap(status: str, due: date | None, today: date) -> bool:
    """Tell whether a petition being resolved missed its roadmap's target date."""
    return due is not None and due < today and status == ROADMAP.value


def dated_figure(row: Mapping[str, Any]) -> str | None:
    """Return which dated figure the row may fall into once its due date passes, if any."""
    if row["due_date"] is None:
        return None
    if row["status"] == ROADMAP.value:
        return PAST_ROADMAP
    return OVERDUE if owes_answer(row["status"]) else None


def answer_result(row: Mapping[str, Any]) -> str:
    """Return the row of the answer-result table the item belongs to (one row per item)."""
    if row["outcome"]:
        return str(row["outcome"])
    if row["status"] in _groups()["review"]:
        return AWAITING_REVIEW
    return ENDED_UNANSWERED if row["status"] in _groups()["concluded"] else NOT_ANSWERED


def row_flags(row: Mapping[str, Any], today: date) -> dict[str, bool]:
    """Return the per-item figures of a list or export row as of ``today``.

    Summing a flag over the rows of a scope gives the board's count of the same name.
    """
    raised = is_raised(row)
    return {
        RAISED: raised,
        ANSWERED: raised and is_answered(row),
        ON_TIME: raised and is_answered_on_time(row),
        LATE: raised and is_answered_late(row),
        RESOLVED: raised and is_resolved(row),
        OVERDUE: raised and is_overdue(row["status"], row["due_date"], today),
        PAST_ROADMAP: raised and is_past_roadmap(row["status"], row["due_date"], today),
        ESCALATED: raised and is_escalated(row["escalation_level"]),
        FORWARDED_LATE: raised and is_forwarded_late(row),
    }


def item_counts(row: Mapping[str, Any]) -> list[str]:
    """Return the today-independent counters a raised item adds to (not its dated ones)."""
    names = [RAISED]
    if row["kind"] == PETITION:
        names.append(PETITIONS)
    if row["status"] not in _groups()["concluded"]:
        names.append(OPEN)
    if is_escalated(row["escalation_level"]):
        names.append(ESCALATED)
    if is_answered(row):
        names.append(ANSWERED)
        if is_answered_on_time(row):
            names.append(ON_TIME)
        elif is_answered_late(row):
            names.append(LATE)
    if is_resolved(row):
        names.append(RESOLVED)
    if is_forwarded_late(row):
        names.append(FORWARDED_LATE)
    return names


# -- dated counters ---------------------------------------------------------------------------
@lru_cache(maxsize=8192)
def due_buckets(due: date) -> tuple[str, str, str]:
    """Return the year, month and day counters an item due on ``due`` adds to."""
    return f"y{due:%Y}", f"m{due:%Y-%m}", f"d{due.isoformat()}"


def before(today: date) -> list[tuple[str, str]]:
    """Return half-open ranges of bucket names that together hold every date before ``today``.

    Disjoint: earlier years, earlier months of this year, earlier days of this month.
    """
    return [("y", f"y{today:%Y}"), (f"m{today:%Y}-01", f"m{today:%Y-%m}"),
            (f"d{today:%Y-%m}-01", f"d{today.isoformat()}")]


# -- rates over counts ------------------------------------------------------------------------
def rate(part: int | None, whole: int | None) -> float | None:
    """Return ``part / whole`` as a percentage (one decimal), None when nothing to divide."""
    return round(100.0 * (part or 0) / whole, 1) if whole else None


def on_time_rate(counts: Mapping[str, Any]) -> float | None:
    """Return answered on time / answered."""
    return rate(counts.get(ON_TIME, 0), counts.get(ANSWERED, 0))


def answered_rate(counts: Mapping[str, Any]) -> float | None:
    """Return answered / raised."""
    return rate(counts.get(ANSWERED, 0), counts.get(RAISED, 0))


def resolved_rate(counts: Mapping[str, Any]) -> float | None:
    """Return resolved voter petitions / voter petitions raised."""
    return rate(counts.get(RESOLVED, 0), counts.get(PETITIONS, 0))


def share(counts: Mapping[str, Any], name: str) -> float | None:
    """Return the count ``name`` / raised (for counts without a rate of their own)."""
    return rate(counts.get(name, 0), counts.get(RAISED, 0))


def with_rates(counts: Mapping[str, Any]) -> dict[str, Any]:
    """Return the counts with the three rates added (None where there is nothing to divide)."""
    result = dict(counts)
    result["on_time_rate"] = on_time_rate(counts)
    result["answered_rate"] = answered_rate(counts)
    result["resolved_rate"] = resolved_rate(counts)
    return result


# -- the same definitions as SQL over the items view -----------------------------------------
def raised_sql(c: Any) -> ColumnElement[bool]:
    """Return the condition "counts as raised"."""
    return c.status != Status.MERGED.value


def overdue_sql(c: Any, today: date) -> ColumnElement[bool]:
    """Return the condition "overdue on ``today``" (served by the status, due date index)."""
    return and_(c.status.in_(owes_answer_values()), c.due_date < today)


def not_overdue_sql(c: Any, today: date) -> ColumnElement[bool]:
    """Return the negation of ``overdue_sql`` (no due date counts as not overdue)."""
    return ~and_(c.status.in_(owes_answer_values()), c.due_date.is_not(None),
                 c.due_date < today)


def past_roadmap_sql(c: Any, today: date) -> ColumnElement[bool]:
    """Return the condition "past its roadmap date on ``today``"."""
    return and_(c.status == ROADMAP.value, c.due_date < today)


def escalated_sql(c: Any) -> ColumnElement[bool]:
    """Return the condition "escalated"."""
    return c.escalation_level >= ESCALATED_LEVEL


def answered_sql(c: Any) -> ColumnElement[bool]:
    """Return the condition "answered"."""
    return c.answered_on.is_not(None)


def on_time_sql(c: Any) -> ColumnElement[bool]:
    """Return the condition "answered on time"."""
    return and_(c.answered_on.is_not(None), c.answered_on_time.is_(True))


def late_sql(c: Any) -> ColumnElement[bool]:
    """Return the condition "answered late"."""
    return and_(c.answered_on.is_not(None), c.answered_on_time.is_(False))


def forwarded_late_sql(c: Any) -> ColumnElement[bool]:
    """Return the condition "forwarded late"."""
    return c.forwarded_late.is_(True)


def resolved_sql(c: Any) -> ColumnElement[bool]:
    """Return the condition "a voter petition resolved"."""
    return and_(c.kind == PETITION, c.outcome == RESOLVED_OUTCOME)


def answer_result_sql(c: Any) -> ColumnElement[str]:
    """Return the answer-result row of each item as SQL (see ``answer_result``)."""
    return case(
        (c.outcome.is_not(None), c.outcome),
        (c.status.in_(_groups()["review"]), literal(AWAITING_REVIEW)),
        (c.status.in_(concluded_values()), literal(ENDED_UNANSWERED)),
        else_=literal(NOT_ANSWERED),
    )


def tally_columns(c: Any, today: date) -> dict[str, ColumnElement[Any]]:
    """Return one summing column per figure, named as the counters (for GROUP BY queries)."""
    from sqlalchemy import func

    def count(condition: ColumnElement[bool]) -> ColumnElement[Any]:
        return func.sum(case((condition, 1), else_=0))

    return {
        RAISED: func.count(), PETITIONS: count(c.kind == PETITION), OPEN: count(c.is_open.is_(True)),
        ANSWERED: count(answered_sql(c)), ON_TIME: count(on_time_sql(c)), LATE: count(late_sql(c)),
        RESOLVED: count(resolved_sql(c)), OVERDUE: count(overdue_sql(c, today)),
        PAST_ROADMAP: count(past_roadmap_sql(c, today)), ESCALATED: count(escalated_sql(c)),
        FORWARDED_LATE: count(forwarded_late_sql(c)),
    }

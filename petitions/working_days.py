"""The working-day calendar of Vietnam: the ``holidays`` library, corrected by the official days.

The library is the base (it knows the fixed holidays and Tết for any year); the days the
government announced (swaps, make-up Saturdays, days that are not holidays after all) come
from ``petitions/reference/holidays-vn.json`` and the admins' entries, and override it.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from importlib import resources

import holidays

from domain.calendar import CalendarDay, WorkingCalendar, check_calendar_day

# The library names a bridge day off "Day off (substituted from MM/DD/YYYY)": that weekend
# day is worked instead, so it counts as a working day.
_SUBSTITUTED = re.compile(r"substituted from (\d{2}/\d{2}/\d{4})")


class _SwappedWorkingDays:
    """Weekend days declared working days, read from the holiday names year by year."""

    def __init__(self, known: holidays.HolidayBase) -> None:
        self._known = known
        self._years: dict[int, set[date]] = {}

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date):
            return False
        return day in self._for_year(day.year)

    def _for_year(self, year: int) -> set[date]:
        if year not in self._years:
            found: set[date] = set()
            # A swap can cross a year boundary, so look at the neighbouring years too.
            for y in (year - 1, year, year + 1):
                self._known.get(date(y, 1, 1))  # makes the library populate year ``y``
            for _, name in sorted(self._known.items()):
                for text in _SUBSTITUTED.findall(name):
                    found.add(datetime.strptime(text, "%m/%d/%Y").date())
            self._years[year] = {d for d in found if d.year == year}
        return self._years[year]


@lru_cache(maxsize=1)
def vietnam_calendar() -> WorkingCalendar:
    """Return a calendar that skips weekends and Vietnamese public holidays (Tết included).

    Weekend days worked in exchange for a bridge day off (e.g. Saturday 26 April 2025 for
    Friday 2 May 2025) count as working days.
    """
    known = holidays.country_holidays("VN")

    def holiday_name(day: date) -> str | None:
        return known.get(day)

    return WorkingCalendar(holiday_name, working_weekend_days=_SwappedWorkingDays(known))


@lru_cache(maxsize=1)
def shipped_calendar_days() -> tuple[CalendarDay, ...]:
    """Return the official days listed in the file shipped with the package."""
    text = resources.files("petitions.reference").joinpath("holidays-vn.json").read_text("utf-8")
    return tuple(check_calendar_day(entry) for entry in json.loads(text)["days"])


def official_calendar(days: Iterable[CalendarDay] | None = None) -> WorkingCalendar:
    """Return the library's calendar with the official ``days`` (default: the shipped file) over it."""
    return vietnam_calendar().with_official(shipped_calendar_days() if days is None else days)

"""The working-day calendar of Vietnam, from the maintained ``holidays`` library."""
from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays

from domain.calendar import WorkingCalendar


@lru_cache(maxsize=1)
def vietnam_calendar() -> WorkingCalendar:
    """Return a calendar that skips weekends and Vietnamese public holidays (Tết included)."""
    known = holidays.country_holidays("VN")

    def holiday_name(day: date) -> str | None:
        return known.get(day)

    return WorkingCalendar(holiday_name)

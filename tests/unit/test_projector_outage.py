"""The projector's loop outlives a database outage with two log lines, not one per poll."""
from __future__ import annotations

import logging
import threading

import pytest

from projections.runner import Projector


class _Flaky:
    """Stands in for a projector whose database is away for ``down`` polls, then back."""

    def __init__(self, down: int, polls: int, stop: threading.Event) -> None:
        self.down, self.polls, self.stop, self.calls = down, polls, stop, 0

    def catch_up(self) -> int:
        self.calls += 1
        if self.calls >= self.polls:
            self.stop.set()
        if self.calls <= self.down:
            raise ConnectionRefusedError("the database is away")
        return 0


def test_a_repeated_failure_is_logged_once_then_its_end_with_the_count(
        caplog: pytest.LogCaptureFixture) -> None:
    stop = threading.Event()
    flaky = _Flaky(down=20, polls=22, stop=stop)

    Projector.run_forever(flaky, stop, interval=0)  # type: ignore[arg-type]

    records = [r for r in caplog.records if r.name == "projections.runner"]
    assert [r.levelno for r in records] == [logging.ERROR, logging.WARNING]
    assert "after 20 failed attempts" in records[1].getMessage()

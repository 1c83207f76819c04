"""Build the runtime (tracker, views, projector) the web app works with.

Until ``petitions.runtime.Runtime`` exists, a small stand-in wraps a bare ``Tracker``:
the item page reads from the tracker, which is always current, so read-your-writes holds.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from petitions.settings import Settings


class TrackerOnlyRuntime:
    """A runtime with a tracker and no projections (used until the real one lands)."""

    def __init__(self, settings: Settings, clock: Callable[[], datetime] | None = None) -> None:
        from petitions.application import Tracker

        self.settings = settings
        self.tracker = Tracker(settings, clock=clock)
        self.views = None
        self.projector = None

    def wait_for(self, receipt: Any, timeout: float = 5.0) -> None:
        """Nothing to wait for: there are no projections."""


def build_runtime(settings: Settings, clock: Callable[[], datetime] | None = None) -> Any:
    """Return the lead's Runtime when available, else a tracker-only stand-in."""
    try:
        from petitions.runtime import Runtime
    except ImportError:
        return TrackerOnlyRuntime(settings, clock)
    try:
        return Runtime(settings, clock=clock)
    except TypeError:  # a Runtime without a clock parameter
        return Runtime(settings)

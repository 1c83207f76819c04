"""Build the runtime (tracker, views, projector) the web app works with."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from petitions.settings import Settings


def build_runtime(settings: Settings, clock: Callable[[], datetime] | None = None) -> Any:
    """Return the process's Runtime; tests pass a fixed ``clock``."""
    from petitions.runtime import Runtime

    return Runtime(settings, clock=clock)

"""The scheduler process: runs the escalation scan and the projection catch-up."""
from __future__ import annotations


def main() -> None:
    """Run the scheduler (built by the escalation issue)."""
    raise SystemExit("The scheduler is not built yet.")

"""The ``petitions`` command line."""
from __future__ import annotations


def main() -> None:
    """Run the command line (subcommands arrive with the core issue)."""
    raise SystemExit("not built yet")

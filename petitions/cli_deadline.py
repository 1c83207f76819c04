"""``petitions deadline``: the due date and how it was computed, for a clerk at the counter."""
from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from domain.errors import InvalidInput
from petitions.deadline_explanation import KIND_RULES, describe_for_counter
from petitions.settings import Settings


def _day(text: str) -> date:
    for parse in (date.fromisoformat, _dmy):
        try:
            return parse(text)
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"not a date: {text!r} (use YYYY-MM-DD or DD/MM/YYYY)")


def _dmy(text: str) -> date:
    day, month, year = (int(part) for part in text.split("/"))
    return date(year, month, day)


def register(sub: Any) -> None:
    """Add ``deadline`` to the ``petitions`` parser."""
    p = sub.add_parser("deadline", help="print a due date and how it is computed")
    p.add_argument("--kind", required=True, choices=sorted(KIND_RULES),
                   help="what the clock is for (denunciation: initial processing, …)")
    p.add_argument("--from", dest="start", required=True, type=_day,
                   help="the triggering date (received, accepted, decision learned of)")
    p.add_argument("--complex", action="store_true", help="a complex case (complaints)")
    p.add_argument("--remote", action="store_true", help="a remote area with difficult travel")
    p.add_argument("--rule", help="a limit of the policy by its key (overrides --kind's rule)")
    p.set_defaults(command=cmd_deadline)


def cmd_deadline(args: argparse.Namespace, settings: Settings) -> int:
    """Print the due date and the explanation (rule and version, unit, days skipped)."""
    from petitions.cli import open_tracker

    with open_tracker(settings) as tracker:
        try:
            facts = tracker.deadline_for(args.kind, args.start, complex_case=args.complex,
                                         remote=args.remote, rule=args.rule)
        except InvalidInput as exc:
            print(f"petitions deadline: {exc}", file=sys.stderr)
            return 2
    print(describe_for_counter(facts))
    return 0

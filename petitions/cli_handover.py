"""``petitions handover``: hand the open items of an abolished unit to a successor.

The command-line twin of the council office's hand-over page: ``--dry-run`` prints the
preview (what would move, counts per pair of units); without it the items are handed over,
each by an event recorded under ``--actor`` in the office's role.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from domain.actor import Actor, Role
from domain.errors import DomainError
from petitions.settings import Settings

DEFAULT_REASON = "Sắp xếp đơn vị hành chính (Nghị quyết 1656/NQ-UBTVQH15)"


def register(sub: Any) -> None:
    """Add ``handover`` to the ``petitions`` parser."""
    p = sub.add_parser("handover", help="hand the open items of an abolished unit to a successor")
    p.add_argument("--from", dest="from_unit", default="",
                   help="code of the abolished unit (with --by-lineage: empty means every one)")
    p.add_argument("--to", dest="to_unit", default="", help="code of the successor unit")
    p.add_argument("--by-lineage", action="store_true",
                   help="each unit's items to its main successor in the lineage file")
    p.add_argument("--reason", default=DEFAULT_REASON, help="the basis recorded on each item")
    p.add_argument("--actor", default="cli", help="user name recorded as the office's actor")
    p.add_argument("--dry-run", action="store_true", help="print what would move; store nothing")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(command=cmd_handover)


def cmd_handover(args: argparse.Namespace, settings: Settings) -> int:
    """Preview or run a hand-over; exit 1 with the reason when it is refused."""
    from petitions.runtime import Runtime

    if args.to_unit and args.by_lineage:
        print("petitions handover: give either --to or --by-lineage, not both", file=sys.stderr)
        return 2
    actor = Actor(args.actor, Role.SECRETARIAT)
    runtime = Runtime(settings)
    try:
        runtime.wait_for(runtime.tracker.position())  # plan on current views
        options = dict(to_unit=args.to_unit, by_lineage=args.by_lineage)
        try:
            if args.dry_run:
                plan = runtime.tracker.plan_hand_over(actor, args.from_unit, **options)
            else:
                plan = runtime.tracker.hand_over_bulk(actor, args.from_unit, reason=args.reason,
                                                      **options)
                runtime.wait_for(runtime.tracker.position())
        except DomainError as err:
            print(f"petitions handover: refused: {err}", file=sys.stderr)
            return 1
        _print(plan, runtime.tracker.reference()["units"], args.json)
        return 0
    finally:
        runtime.close()


def _print(plan: Any, units: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(plan.to_dict(), ensure_ascii=False, indent=2))
        return
    name = lambda code: (units.get(code) or {}).get("name", code)  # noqa: E731
    verb = "handed over" if plan.done else "would be handed over"
    print(f"{len(plan.moves)} open items {verb} on {plan.today.isoformat()}:")
    for from_unit, to_unit, n in plan.counts():
        print(f"  {n:6d}  {name(from_unit)} ({from_unit}) -> {name(to_unit)} ({to_unit})")
    for unit, n in sorted(plan.unresolved.items()):
        print(f"  {n:6d}  {name(unit)} ({unit}): no successor in the lineage, left in place")
    if plan.done and (plan.skipped or plan.conflicts):
        print(f"skipped {plan.skipped} (closed or moved meanwhile), {plan.conflicts} conflicts")

"""``petitions reference``: print the reference entries valid on a day, and their history."""
from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from domain.errors import DomainError
from domain.reference import entries_on
from petitions.settings import Settings

# The command's words, the catalog's sections.
SECTIONS = {
    "units": "units", "agencies": "agencies", "sessions": "council_sessions",
    "deputy-groups": "deputy_groups", "terms": "council_terms", "fields": "fields",
    "competence-levels": "competence_levels", "lineage": "lineage",
}
COLUMNS = ("code", "name", "kind", "valid from", "valid to")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("expected a date as YYYY-MM-DD") from None


def register(sub: Any) -> None:
    """Register ``petitions reference SECTION [--on DATE | --all]`` and ``… history``."""
    parser = sub.add_parser("reference",
                            help="print reference entries valid on a day (default today)")
    sections = parser.add_subparsers(title="sections", metavar="SECTION")
    for word in SECTIONS:
        p = sections.add_parser(word, help=f"the {word.replace('-', ' ')} valid on a day")
        when = p.add_mutually_exclusive_group()
        when.add_argument("--on", type=_day, metavar="DATE",
                          help="the day, YYYY-MM-DD (default: today in Hanoi)")
        when.add_argument("--all", action="store_true", help="every era's entries")
        p.set_defaults(command=cmd_reference, section=SECTIONS[word])
    p = sections.add_parser("history", help="every recorded change: who, when, why")
    p.add_argument("section", nargs="?", choices=sorted(SECTIONS), help="only this section")
    p.add_argument("code", nargs="?", help="only this entry")
    p.set_defaults(command=cmd_reference_history)


def _open(settings: Settings) -> Any:
    from petitions.application import Tracker

    return Tracker(settings)


def rows_of(entries: dict[str, dict[str, Any]]) -> list[tuple[str, ...]]:
    """Return the table rows (code, name, kind, valid from, valid to) of some entries."""
    return [(code, str(e.get("name") or e.get("name_vi") or e.get("new_name") or ""),
             str(e.get("kind") or e.get("term") or e.get("share") or ""),
             str(e.get("valid_from") or "…"), str(e.get("valid_to") or "…"))
            for code, e in entries.items()]


def table(rows: list[tuple[str, ...]], header: tuple[str, ...] = COLUMNS) -> str:
    """Lay rows out in tab-free aligned columns under a header."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(v).ljust(w) for v, w in zip(r, widths)).rstrip()
             for r in [header, *rows]]
    return "\n".join(lines)


def cmd_reference(args: argparse.Namespace, settings: Settings) -> int:
    """Print one section's entries valid on the day (or every era's)."""
    tracker = _open(settings)
    try:
        entries = tracker.reference().get(args.section, {})
        day = args.on or tracker.today()
    except DomainError as err:
        print(str(err), file=sys.stderr)
        return 1
    finally:
        tracker.close()
    shown = entries if args.all else entries_on(entries, day)
    if args.section == "council_sessions":  # a session's own dates matter most
        rows = [(*row, str(shown[row[0]].get("opens_on") or ""),
                 str(shown[row[0]].get("closes_on") or "")) for row in rows_of(shown)]
        print(table(rows, (*COLUMNS, "opens on", "closes on")))
    else:
        print(table(rows_of(shown)))
    when = "every era" if args.all else f"valid on {day.isoformat()}"
    print(f"{len(shown)} {args.section.replace('_', ' ')} ({when})")
    return 0


def cmd_reference_history(args: argparse.Namespace, settings: Settings) -> int:
    """Print the recorded changes of reference data, oldest first."""
    tracker = _open(settings)
    try:
        section = SECTIONS.get(args.section) if args.section else None
        changes = tracker.reference_history(section, args.code)
    finally:
        tracker.close()
    rows = [(f"{c['at']:%Y-%m-%d %H:%M}", c["event"], c["section"], str(c["code"]),
             f"{c['actor']} ({c['role']})" if c["role"] else c["actor"], c["reason"] or "")
            for c in changes]
    print(table(rows, ("time (UTC)", "event", "section", "code", "who", "reason")))
    print(f"{len(rows)} changes")
    return 0

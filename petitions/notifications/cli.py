"""``petitions outbox status|retry``: see the escalation emails not sent yet, send them now."""
from __future__ import annotations

import argparse
from typing import Any

from petitions.settings import Settings


def register(sub: Any) -> None:
    """Add ``petitions outbox status`` and ``petitions outbox retry`` to the parser."""
    parser = sub.add_parser("outbox", help="escalation emails: what is not sent yet; retry now")
    actions = parser.add_subparsers(title="actions", metavar="ACTION", dest="action",
                                    required=True)
    status = actions.add_parser("status", help="count the emails per state; list unsent ones")
    status.set_defaults(command=cmd_status)
    retry = actions.add_parser(
        "retry", help="make failed or skipped emails due now (the next sender run sends them)")
    retry.add_argument("codes", nargs="*", metavar="CODE",
                       help="item codes whose unsent emails to retry, e.g. KN-2025-00001")
    retry.add_argument("--all", action="store_true",
                       help="every email that failed at least once or was skipped")
    retry.add_argument("--send", action="store_true",
                       help="send them now instead of waiting for the scheduler")
    retry.set_defaults(command=cmd_retry)


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    """Print the counts per state, then one line per unsent email, by item code."""
    from petitions.notifications.sender import outbox_status
    from petitions.runtime import Runtime

    runtime = Runtime(settings)
    try:
        status = outbox_status(runtime.tracker, runtime.views.engine)
    finally:
        runtime.close()
    counts = status.counts
    print(f"Outbox: {counts['sent']} sent, {counts['pending']} waiting, "
          f"{counts['failing']} failing, {counts['skipped']} skipped.")
    for row in status.unsent:
        print("\t".join([row.name, row.state, f"{row.attempts} attempt(s)",
                         f"next {row.next_attempt:%Y-%m-%d %H:%M}" if row.next_attempt else "-",
                         row.last_error or ""]))
    return 1 if counts["failing"] else 0


def cmd_retry(args: argparse.Namespace, settings: Settings) -> int:
    """Make the chosen unsent emails due now; with ``--send``, send them at once."""
    import sys

    from petitions.errors import ItemNotFound
    from petitions.notifications.sender import retry_now, send_pending
    from petitions.runtime import Runtime

    if bool(args.codes) == bool(args.all):
        print("petitions outbox retry: name item codes or --all (not both).", file=sys.stderr)
        return 2
    runtime = Runtime(settings)
    try:
        try:
            queued = retry_now(runtime.tracker, runtime.views.engine,
                               codes=None if args.all else list(args.codes))
        except ItemNotFound as err:
            print(f"petitions outbox retry: {err}", file=sys.stderr)
            return 1
        print(f"{queued} email(s) due now.")
        if args.send and queued:
            runtime.projector.catch_up()
            report = send_pending(runtime.tracker, runtime.views.engine)
            if report is None:
                print("Another sender is draining the outbox; it will send them.")
            else:
                print(f"emails sent: {report.sent}, failed: {report.failed}")
                for error in report.errors:
                    print(f"  {error}", file=sys.stderr)
                return 1 if report.failed else 0
    finally:
        runtime.close()
    return 0

"""``petitions project`` and ``petitions projections rebuild|status``: run and inspect views."""
from __future__ import annotations

import argparse
import signal
import threading
from typing import Any

from tqdm import tqdm

from petitions.runtime import Runtime
from petitions.settings import Settings


def register(sub: Any) -> None:
    """Add the projection subcommands to the ``petitions`` parser."""
    p = sub.add_parser("project", help="follow the event log and keep the views up to date")
    p.add_argument("--once", action="store_true", help="catch up once and exit")
    p.add_argument("--interval", type=float, default=1.0, help="seconds between polls (1.0)")
    p.set_defaults(command=cmd_project)

    p = sub.add_parser("projections", help="rebuild the views or show their position and lag")
    actions = p.add_subparsers(title="actions", metavar="ACTION", dest="action", required=True)
    r = actions.add_parser("rebuild", help="drop the views and apply every event again")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.set_defaults(command=cmd_rebuild)
    s = actions.add_parser("status", help="position and lag of each view")
    s.set_defaults(command=cmd_status)


def cmd_project(args: argparse.Namespace, settings: Settings) -> int:
    """Run the projector: once, or until interrupted."""
    runtime = Runtime(settings)
    try:
        if args.once:
            print(f"applied {runtime.projector.catch_up()} events")
            return 0
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        print("projector running; Ctrl+C to stop")
        try:
            runtime.projector.run_forever(stop, args.interval)
        except KeyboardInterrupt:
            pass
        return 0
    finally:
        runtime.close()


def cmd_rebuild(args: argparse.Namespace, settings: Settings) -> int:
    """Rebuild every view from the first event, with a progress bar."""
    runtime = Runtime(settings)
    try:
        head = runtime.tracker.position()
        rebuilt = runtime.projector.rebuilt_projections()
        with tqdm(total=head * len(rebuilt), unit="event",
                  desc="rebuilding views", disable=args.quiet) as bar:
            count = runtime.projector.rebuild(progress=bar.update)
        print(f"rebuilt {len(rebuilt)} view(s) from {count} events "
              "(the hash chain is kept, never recomputed)")
        return 0
    finally:
        runtime.close()


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    """Print each view's position in the log and how far behind it is."""
    runtime = Runtime(settings)
    try:
        print(f"{'view':<16}{'position':>12}{'head':>12}{'lag':>10}")
        for status in runtime.projector.status():
            print(f"{status.name:<16}{status.position:>12}{status.head:>12}{status.lag:>10}")
        return 0
    finally:
        runtime.close()

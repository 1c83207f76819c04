"""``petitions serve``: the web app under waitress, added to the command line by ``register``.

``register`` is the ``serve`` entry point of the ``petitions.commands`` group (setup.cfg):
the command line in ``petitions/`` finds it there and never imports the web layer itself.
"""
from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from petitions.settings import Settings


def register(sub: Any) -> None:
    """Add ``petitions serve`` to the CLI's subparsers."""
    p = sub.add_parser("serve", help="serve the web application with waitress")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    p.add_argument("--port", type=int, default=5000, help="port to listen on (5000)")
    p.add_argument("--threads", type=int, default=8, help="worker threads (8)")
    p.add_argument("--no-scheduler", action="store_true",
                   help="do not run the escalation scheduler in this process "
                        "(when `petitions scheduler` runs on its own)")
    p.set_defaults(command=cmd_serve)


def with_served_base_url(settings: Settings, host: str, port: int) -> Settings:
    """Point links in emails at the served address when no base URL was configured.

    ``serve --port 5600`` with the default ``PETITIONS_BASE_URL`` would otherwise send
    links to port 5000; a configured base URL (a proxy's public address) is kept.
    """
    import os

    if os.environ.get("PETITIONS_BASE_URL") or settings.base_url != Settings.base_url:
        return settings
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    return settings.with_(base_url=f"http://{shown}:{port}")


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the web app with waitress, with the escalation scheduler in the background."""
    import waitress

    from web import create_app

    settings = with_served_base_url(settings, args.host, args.port)
    app = create_app({"SETTINGS": settings})
    logging.basicConfig()  # as waitress.serve did: warnings (an outage) reach stderr
    try:  # bind first: a busy port is one line, before anything says "Serving"
        server = waitress.create_server(app, host=args.host, port=args.port,
                                        threads=args.threads)
    except OSError as exc:
        print(f"petitions serve: cannot listen on {args.host}:{args.port}: "
              f"{exc.strerror or exc}. Is another server using it? Try --port.",
              file=sys.stderr)
        return 1
    background = None
    if not args.no_scheduler:
        # The scheduler is the other top-level layer: serving is where the two meet.
        import scheduler

        background = scheduler.start_background(settings)
        print("Scheduler: escalation scan, emails and read models run in the background.")
    print(f"Serving on http://{args.host}:{args.port}/ (Ctrl+C to stop)", flush=True)
    try:
        server.run()
    finally:
        if background is not None:
            background.shutdown(wait=False)
    return 0

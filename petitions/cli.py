"""The ``petitions`` command line: set up the stores, load demo data, serve the web app.

Each subcommand is a ``cmd_<name>(args, settings) -> int`` function registered in
``build_parser``; later issues add theirs (``project``, ``projections``, ``scheduler``,
``user add``, ``digest``) the same way.
"""
from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from typing import Any, Iterator

from petitions.settings import Settings

Command = Callable[[argparse.Namespace, Settings], int]

# "module:function" hooks that ``demo`` calls after loading items (for example the demo
# users of the web app); each takes the settings and returns lines to print.
DEMO_HOOKS: list[str] = ["petitions.cli:add_demo_users"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (also used by the console script)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    settings = Settings.from_env()
    try:
        return int(args.command(args, settings) or 0)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="petitions",
        description="Voter petitions and complaints tracker "
                    "(Theo dõi kiến nghị cử tri và đơn thư).",
    )
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = sub.add_parser("init", help="create the stores and load the reference data")
    p.set_defaults(command=cmd_init)

    p = sub.add_parser("config", help="print the effective settings (secrets masked)")
    p.set_defaults(command=cmd_config)

    p = sub.add_parser("demo", help="load realistic demo data (once per store)")
    p.add_argument("--items", type=_positive, default=3000,
                   help="number of petitions and complaints (default 3000)")
    p.add_argument("--seed", type=int, default=2024, help="random seed (default 2024)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--fast", action="store_true",
                   help="bulk-load items with their histories in large batches (benchmarks; "
                        "petitions/demo/bulk.py), not command by command")
    p.set_defaults(command=cmd_demo)

    p = sub.add_parser("serve", help="serve the web application with waitress")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    p.add_argument("--port", type=int, default=5000, help="port to listen on (5000)")
    p.add_argument("--threads", type=int, default=8, help="worker threads (8)")
    p.add_argument("--no-scheduler", action="store_true",
                   help="do not run the escalation scheduler in this process "
                        "(when `petitions scheduler` runs on its own)")
    p.set_defaults(command=cmd_serve)

    p = sub.add_parser("scheduler", help="run the escalation scheduler (scan, emails, views)")
    p.add_argument("--once", action="store_true", help="run one round and exit")
    p.add_argument("--dry-run", action="store_true",
                   help="print what would be escalated and change nothing (implies --once)")
    p.set_defaults(command=cmd_scheduler)

    from petitions import cli_projections

    cli_projections.register(sub)
    importlib.import_module("petitions.digest.cli").register(sub)
    importlib.import_module("petitions.users").register_cli(sub)  # petitions user add

    # Later issues add their subcommands here: project, projections, scheduler, user, digest.
    return parser


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


@contextmanager
def open_tracker(settings: Settings, clock: Any = None,
                 **store_options: str) -> Iterator[Any]:
    """Open the tracker on the configured store (plus eventsourcing options); close it after."""
    from petitions.application import Tracker

    env = {**settings.event_store_env(), **store_options} if store_options else None
    tracker = Tracker(settings, clock=clock, env=env)
    try:
        yield tracker
    finally:
        tracker.close()


def describe_store(settings: Settings) -> str:
    """Say where events are stored, without secrets."""
    if settings.is_postgres:
        url = settings.masked()["database_url"]
        schema = f", schema {settings.database_schema}" if settings.database_schema else ""
        return f"PostgreSQL {url}{schema}"
    return f"SQLite {settings.instance / 'events.sqlite3'}"


# -- init -------------------------------------------------------------------------------------
def cmd_init(args: argparse.Namespace, settings: Settings) -> int:
    """Create the instance folder and stores, load reference data; safe to run again."""
    print(f"Instance folder: {settings.instance}")
    key_file = settings.instance / "secret_key"
    if settings.secret_key:
        print("Secret key: from PETITIONS_SECRET_KEY")
    else:
        existed = key_file.exists()
        settings.effective_secret_key()
        print(f"Secret key: {'kept' if existed else 'created'} in {key_file}")
    if settings.is_postgres and settings.database_schema:
        print(f"PostgreSQL schema {settings.database_schema}: {_create_schema(settings)}")
    with open_tracker(settings) as tracker:
        print(f"Event store: {describe_store(settings)} (ready)")
        changed = tracker.load_reference()
        reference = tracker.reference()
        sizes = ", ".join(f"{len(entries)} {section.replace('_', ' ')}"
                          for section, entries in reference.items())
        if changed:
            print(f"Reference data: recorded {changed} entries ({sizes})")
        else:
            print(f"Reference data: already up to date ({sizes})")
    views = _create_views(settings)
    if views:
        print(views)
    print("Done. Next: `petitions demo` for demo data, `petitions serve` to start the web app.")
    return 0


def _create_schema(settings: Settings) -> str:
    """Create the configured PostgreSQL schema if it is missing; say which happened."""
    import psycopg
    from psycopg import sql

    url = settings.database_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s",
                              (settings.database_schema,)).fetchone()
        if exists:
            return "exists"
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(
            sql.Identifier(settings.database_schema)))
    return "created"


def _create_views(settings: Settings) -> str:
    """Create the read-model tables when the projections package provides them."""
    try:
        store = importlib.import_module("projections.store")
    except ImportError:
        return ""
    views = store.Views.from_settings(settings)
    try:
        views.create_all()
    finally:
        views.dispose()
    return f"Read models: ready ({settings.views_url().split('://')[0]})"


# -- config -----------------------------------------------------------------------------------
def cmd_config(args: argparse.Namespace, settings: Settings) -> int:
    """Print every effective setting with its environment variable, secrets masked."""
    shown = settings.masked()
    width = max(len(name) for name in shown) + len("PETITIONS_")
    for name, value in shown.items():
        print(f"{('PETITIONS_' + name.upper()).ljust(width)}  {value if value != '' else '-'}")
    print(f"{'(event store)'.ljust(width)}  {describe_store(settings)}")
    return 0


# -- demo -------------------------------------------------------------------------------------
def _demo_fast(args: argparse.Namespace, settings: Settings) -> int:
    """Bulk-load ``--items`` items with their histories (``petitions.demo.bulk``)."""
    from petitions.demo import load_bulk, print_progress

    with open_tracker(settings) as tracker:
        result = load_bulk(tracker, args.items, seed=args.seed,
                           progress=None if args.quiet else print_progress("Bulk items"))
    print(f"{result.items:,} items, {result.events:,} events in {result.seconds:,.0f} s; "
          "run `petitions projections rebuild` (or the projector) to fill the views.")
    return 0


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    """Load demo data through the application, once per store, with a progress bar."""
    from petitions.demo import START, SimulatedClock, demo_marker, load_demo

    if getattr(args, "fast", False):
        return _demo_fast(args, settings)
    clock = SimulatedClock()
    # The demo is the only writer while it runs, so cached aggregates never go stale;
    # caching halves the time it takes.
    with open_tracker(settings, clock=clock, AGGREGATE_CACHE_MAXSIZE="20000",
                      AGGREGATE_CACHE_FASTFORWARD="n") as tracker:
        if tracker.load_reference():
            print("Reference data loaded (the store was not initialised: ran `init` first).")
        started = time.monotonic()
        bar = None
        if not args.quiet and demo_marker(tracker) is None:
            from datetime import datetime, timezone

            from tqdm import tqdm

            days = (datetime.now(timezone.utc) - START).days
            bar = tqdm(total=days, unit="day", desc="Demo data", file=sys.stderr,
                       bar_format="{desc} |{bar}| {percentage:3.0f}% [{elapsed}]")

        def progress(days: int, label: str) -> None:
            if bar is not None:
                bar.update(days)
                bar.set_description_str(f"Demo data up to {label}", refresh=False)

        try:
            result = load_demo(tracker, clock, items=args.items, seed=args.seed,
                               progress=progress)
        finally:
            if bar is not None:
                bar.close()
    if result.already_loaded:
        marker = result.marker
        if marker["finished_at"] is None:
            print(f"A demo run started at {marker['started_at']:%Y-%m-%d %H:%M} UTC "
                  "has not finished: it is still running or was interrupted. Nothing was "
                  "added. To load the demo again, use an empty store (a new instance folder "
                  "or PostgreSQL schema).", file=sys.stderr)
            return 1
        total = sum(marker["counts"].values())
        print(f"Demo data is already loaded ({total} items, seed {marker['seed']}, "
              f"{marker['finished_at']:%Y-%m-%d}); nothing was added.")
        return 0
    elapsed = time.monotonic() - started
    print(f"Created {result.created} items in {elapsed:.0f} s "
          f"({result.by_kind['petition']} voter petitions, "
          f"{result.by_kind['complaint']} complaints).")
    print("By status:")
    for status, count in sorted(result.by_status.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {status:<16} {count:>6}")
    print(f"Escalated past the due date: {result.escalated}; second-round complaints: "
          f"{result.second_rounds}; anonymous denunciations filed: {result.anonymous_filed}.")
    caught_up = _catch_up_views(settings, quiet=args.quiet)
    if caught_up:
        print(caught_up)
    for line in _run_demo_hooks(settings):
        print(line)
    if result.failures:
        print(f"{len(result.failures)} demo steps were refused (first: "
              f"{result.failures[0]}).", file=sys.stderr)
    return 0


def _catch_up_views(settings: Settings, *, quiet: bool) -> str:
    """Bring the read models up to date, when the projections package provides them."""
    try:
        runtime_module = importlib.import_module("petitions.runtime")
    except ImportError:
        return ""
    runtime = runtime_module.Runtime(settings)
    try:
        lag = sum(status.lag for status in runtime.projector.status())
        bar = None
        if not quiet and lag:
            from tqdm import tqdm

            bar = tqdm(total=lag, unit="event", desc="Read models", file=sys.stderr)
        try:
            applied = runtime.projector.catch_up(progress=bar.update if bar else None)
        finally:
            if bar is not None:
                bar.close()
    finally:
        runtime.close()
    return f"Read models: applied {applied} events."


def add_demo_users(settings: Settings) -> list[str]:
    """Create the web app's demo users that do not exist yet; return lines to print."""
    from petitions.users import DEMO_PASSWORD, DEMO_USERS, UserStore
    from petitions.users import add_demo_users as add_users

    store = UserStore.from_settings(settings)
    created = add_users(store)
    names = ", ".join(spec["username"] for spec in DEMO_USERS)
    state = f"created {len(created)}" if created else "already present"
    return [f"Demo users ({state}): {names}; password: {DEMO_PASSWORD}"]


def _run_demo_hooks(settings: Settings) -> list[str]:
    lines: list[str] = []
    for spec in DEMO_HOOKS:
        module, _, name = spec.partition(":")
        lines += list(getattr(importlib.import_module(module), name)(settings) or [])
    return lines


# -- serve ------------------------------------------------------------------------------------
def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the web app with waitress, with the escalation scheduler in the background."""
    import waitress

    app = _web_app(settings)
    scheduler = None
    if not args.no_scheduler:
        # scheduler.py sits above petitions/ (like web/): imported only when serving.
        scheduler = importlib.import_module("scheduler").start_background(settings)
        print("Scheduler: escalation scan, emails and read models run in the background.")
    print(f"Serving on http://{args.host}:{args.port}/ (Ctrl+C to stop)", flush=True)
    try:
        waitress.serve(app, host=args.host, port=args.port, threads=args.threads)
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
    return 0


def _web_app(settings: Settings) -> Any:
    """Return the Flask app from ``web.create_app`` or, before it lands, a placeholder."""
    try:
        web = importlib.import_module("web")
    except ImportError:
        web = None
    create_app = getattr(web, "create_app", None)
    if create_app is not None:
        return create_app()
    return _placeholder_app(settings)


PLACEHOLDER = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Kiến nghị cử tri — Hà Nội</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>Theo dõi kiến nghị cử tri và đơn thư</h1>
<p>Voter petitions and complaints tracker. The web interface is not built yet;
the event store holds <strong>{events}</strong> events.</p>
<p>Giao diện web đang được xây dựng.</p>
</body></html>
"""


def _placeholder_app(settings: Settings) -> Callable[..., Any]:
    """Return a tiny WSGI app that says the web interface is coming."""
    from petitions.application import Tracker

    tracker = Tracker(settings)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        body = PLACEHOLDER.format(events=tracker.position()).encode("utf-8")
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                  ("Content-Length", str(len(body)))])
        return [body]

    return app


# -- scheduler (issue 6) ------------------------------------------------------------------------
def cmd_scheduler(args: argparse.Namespace, settings: Settings) -> int:
    """Run the escalation scheduler in the foreground, or one round of it with ``--once``."""
    # scheduler.py sits above petitions/ (like web/): import it only when it is asked for.
    scheduler = importlib.import_module("scheduler")
    if not (args.once or args.dry_run):
        scheduler.main(settings)
        return 0
    from petitions.runtime import Runtime

    runtime = Runtime(settings)
    try:
        summary = scheduler.run_once(runtime, dry_run=args.dry_run)
    finally:
        runtime.close()
    return 0 if summary is not None else 1


if __name__ == "__main__":
    raise SystemExit(main())

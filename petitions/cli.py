"""The ``petitions`` command line: set up the stores, load demo data, plus the layers' commands.

Each subcommand is a ``cmd_<name>(args, settings) -> int`` function registered on the parser.
This package's own commands are added in ``build_parser``; the layers above it add theirs
through the ``petitions.commands`` entry points (setup.cfg): ``serve`` from ``web.cli`` and
``scheduler`` from ``scheduler.py``, each a ``register(subparsers)`` function. The command
line never imports those layers itself.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from importlib.metadata import EntryPoint, entry_points
from typing import Any, Iterator

from petitions import (cli_deadline, cli_documents, cli_handover, cli_integrity,
                       cli_projections, cli_reports, cli_stock)
from petitions.digest import cli as digest_cli
from petitions.intake import cli as intake_cli
from petitions.notifications import cli as outbox_cli
from domain.errors import DomainError
from petitions.availability import (
    DatabaseUnreachable, first_line, is_database_unavailable, probe_database,
)
from petitions.settings import Settings, SettingsError
from petitions.reference import cli as reference_cli
from petitions.users import cli as users_cli

Command = Callable[[argparse.Namespace, Settings], int]

# Where the layers above petitions/ register their subcommands.
COMMANDS_GROUP = "petitions.commands"
NO_COMMANDS_HINT = (
    f"No command is registered in the {COMMANDS_GROUP!r} entry points, so `serve` and "
    "`scheduler` are missing: the installed package metadata predates them or the package "
    "is not installed. Install it again (pip install -e .) to register them."
)


class _Parser(argparse.ArgumentParser):
    """An argument parser that explains a missing layer command instead of only refusing it."""

    hint = ""

    def error(self, message: str) -> Any:
        """Print the usage, the error and (when commands are missing) why; exit with 2."""
        super().error(f"{message}\n{self.hint}" if self.hint else message)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (also used by the console script)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        settings = Settings.from_env()
    except SettingsError as err:  # validated at start: one line per setting, nothing run
        for line in err.problems:
            print(f"petitions: {line}", file=sys.stderr)
        return 2
    try:
        if getattr(args, "needs_store", True):
            probe_database(settings)
        return int(args.command(args, settings) or 0)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except (CommandError, DatabaseUnreachable) as err:
        print(f"petitions: {err}", file=sys.stderr)
        return 1
    except DomainError as err:  # e.g. "Reference data is not loaded: run `petitions init`."
        print(f"petitions: {err}", file=sys.stderr)
        return 1
    except Exception as err:
        if not is_database_unavailable(err):
            raise  # a bug: its traceback is what a fix needs
        print(f"petitions: the database stopped answering ({first_line(err)}).",
              file=sys.stderr)
        return 1


class CommandError(Exception):
    """A command that cannot run as asked; its message is the one line to print."""


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every subcommand, the other layers' ones included."""
    parser = _Parser(
        prog="petitions",
        description="Voter petitions and complaints tracker "
                    "(Theo dõi kiến nghị cử tri và đơn thư).",
    )
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = sub.add_parser("init", help="create the stores and load the reference data")
    p.set_defaults(command=cmd_init)

    p = sub.add_parser("config", help="print the effective settings (secrets masked)")
    p.set_defaults(command=cmd_config, needs_store=False)

    p = sub.add_parser("demo", help="load realistic demo data (once per store)")
    p.add_argument("--items", type=_positive, default=3000,
                   help="number of petitions and complaints (default 3000)")
    p.add_argument("--seed", type=int, default=2024, help="random seed (default 2024)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--fast", action="store_true",
                   help="bulk-load items with their histories in large batches (benchmarks; "
                        "petitions/demo/bulk.py), not command by command")
    p.set_defaults(command=cmd_demo)

    if not register_layer_commands(sub):
        parser.hint = NO_COMMANDS_HINT
        parser.epilog = NO_COMMANDS_HINT

    cli_projections.register(sub)
    cli_integrity.register(sub)  # verify, backup, restore
    cli_deadline.register(sub)
    digest_cli.register(sub)
    cli_stock.register(sub)  # petitions stock --session|--half|--year|--from … --to …
    cli_reports.register(sub)  # petitions reports list|get, petitions worker
    users_cli.register(sub)  # petitions user add
    outbox_cli.register(sub)  # petitions outbox status|retry
    cli_handover.register(sub)  # petitions handover
    cli_documents.register(sub)  # petitions documents list|register|urge|slip|file
    intake_cli.register(sub)  # petitions import template|FILE (issue 17)
    reference_cli.register(sub)  # petitions reference units|agencies|sessions|… [--on DATE]
    return parser


def layer_commands() -> list[EntryPoint]:
    """Return the ``register`` hooks that the layers above petitions/ declare, by name."""
    return sorted(entry_points(group=COMMANDS_GROUP), key=lambda ep: ep.name)


def register_layer_commands(sub: Any) -> list[str]:
    """Let each layer above add its subcommands; return the names of those added."""
    added = []
    for hook in layer_commands():
        try:
            register = hook.load()
        except ImportError as exc:  # a layer's own dependency is missing: say so, go on
            print(f"petitions: the {hook.name!r} command ({hook.value}) cannot be loaded: "
                  f"{exc}", file=sys.stderr)
            continue
        register(sub)
        added.append(hook.name)
    return added


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
    print(f"Instance folder: {settings.instance} (private: only this account may read it)")
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
        days = tracker.load_calendar()
        print(f"Holiday calendar: recorded {days} official days" if days
              else "Holiday calendar: already up to date")
    print(_create_views(settings))
    print(f"At rest: {at_rest(settings)}")
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
    """Create the read-model tables."""
    from projections.store import Views

    views = Views.from_settings(settings)
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
    print(f"{'(at rest)'.ljust(width)}  {at_rest(settings)}")
    return 0


def at_rest(settings: Settings) -> str:
    """Say whether personal data is encrypted in the event store."""
    from petitions.instance import CLEARTEXT_WARNING

    if settings.cipher_key:
        return "event data encrypted (AES-GCM); the read models hold no personal data"
    return "WARNING: " + CLEARTEXT_WARNING


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
    print(f"Commitments from the year-end 2025 questioning sessions: "
          f"{result.by_kind['commitment']} (register: /commitments).")
    docs = result.documents
    print(f"Documents (register: /documents): {docs.get('reply_letters', 0)} agencies' reply "
          f"letters with their PDF, {docs.get('urging_letters', 0)} urging letters, "
          f"{docs.get('transfer_slips', 0)} transfer slips.")
    print(f"Escalated past the due date: {result.escalated}; second-round complaints: "
          f"{result.second_rounds}; anonymous denunciations filed: {result.anonymous_filed}.")
    print(_catch_up_views(settings, quiet=args.quiet))
    print(add_demo_users(settings))
    if result.failures:
        print(f"{len(result.failures)} demo steps were refused (first: "
              f"{result.failures[0]}).", file=sys.stderr)
    return 0


def _catch_up_views(settings: Settings, *, quiet: bool) -> str:
    """Bring the read models up to date."""
    from petitions.runtime import Runtime

    runtime = Runtime(settings)
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


def add_demo_users(settings: Settings) -> str:
    """Create the web app's demo users that do not exist yet; return a line to print."""
    from petitions.users.demo import DEMO_PASSWORD, DEMO_USERS
    from petitions.users.demo import add_demo_users as add_users
    from petitions.users.store import UserStore

    created = add_users(UserStore.from_settings(settings))
    names = ", ".join(spec["username"] for spec in DEMO_USERS)
    state = f"created {len(created)}" if created else "already present"
    return f"Demo users ({state}): {names}; password: {DEMO_PASSWORD}"


if __name__ == "__main__":
    raise SystemExit(main())
